//! Build-time SVG: the progress bar of one value and the chart of a series. No JavaScript;
//! every mark has a shape as well as a colour, and the surrounding HTML carries the words.

use crate::model::quantity::{axis_max, format_number};
use crate::text::escape;
use std::fmt::Write;

/// The top of a chart's value axis: the same rule as every progress bar's scale (the
/// comparison chart's too).
fn chart_max(unit: &str, marks: &[f64]) -> f64 {
    axis_max(unit, marks)
}

/// Inputs of one progress bar.
pub struct Bar {
    pub value: f64,
    pub target: Option<f64>,
    pub withdrawal: Option<f64>,
    /// The end of the scale (the indicator's, the same on every page).
    pub max: f64,
    pub tone: &'static str,
}

/// The bar's width in view-box units, and how close (in those units: a shape's width and a bit)
/// two markers may come before their shapes are drawn apart.
const BAR_W: f64 = 300.0;
pub const MARKERS_APART: f64 = 14.0;

/// A horizontal bar on a fixed scale from 0 (left) to `max` (right): the value as a filled
/// rectangle, the target as a solid line under a diamond (◆), the withdrawal criterion as a
/// dashed line under a square (■); neither shape is a status icon (✓ △ ▼). Each line has a
/// casing in the page colour, so it keeps its contrast over any fill (1.4.11) and in print.
/// Markers closer than `MARKERS_APART` have their shapes drawn side by side, never on top of
/// each other.
pub fn bar(b: &Bar) -> String {
    let at = |v: f64| (v / b.max).clamp(0.0, 1.0) * BAR_W;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="bar bar-{tone}" viewBox="-8 0 316 36" aria-hidden="true" focusable="false"><rect class="track" x="0" y="15" width="{BAR_W}" height="14"/><rect class="fill" x="0" y="15" width="{fill:.1}" height="14"/>"#,
        tone = b.tone,
        fill = at(b.value),
    );
    let (tx, wx) = (b.target.map(at), b.withdrawal.map(at));
    // Shapes side by side when the lines (nearly) coincide: the smaller value's on the left.
    let (t_shift, w_shift) = match (tx, wx) {
        (Some(t), Some(w)) if (t - w).abs() < MARKERS_APART => {
            let apart = (MARKERS_APART - (t - w).abs()) / 2.0;
            if t <= w { (-apart, apart) } else { (apart, -apart) }
        }
        _ => (0.0, 0.0),
    };
    if let Some(wx) = wx {
        let _ = write!(
            s,
            r#"<line class="casing" x1="{wx:.1}" y1="12" x2="{wx:.1}" y2="34"/><line class="withdrawal" x1="{wx:.1}" y1="12" x2="{wx:.1}" y2="34"/><rect class="withdrawal-mark" x="{a:.1}" y="0.5" width="10" height="10"/>"#,
            a = wx + w_shift - 5.0
        );
    }
    if let Some(tx) = tx {
        let _ = write!(
            s,
            r#"<line class="casing" x1="{tx:.1}" y1="12" x2="{tx:.1}" y2="34"/><line class="target" x1="{tx:.1}" y1="12" x2="{tx:.1}" y2="34"/><path class="target-mark" d="M{a:.1} 0l6 6l-6 6l-6-6z"/>"#,
            a = tx + t_shift
        );
    }
    // The withdrawal line dashed over the target's where they coincide: both stay visible.
    if let (Some(tx), Some(wx)) = (tx, wx)
        && (tx - wx).abs() < 1e-9
    {
        let _ = write!(s, r#"<line class="withdrawal over-target" x1="{wx:.1}" y1="12" x2="{wx:.1}" y2="34"/>"#);
    }
    s.push_str("</svg>");
    s
}

/// One point of a chart.
pub struct ChartPoint {
    pub year: i32,
    pub label: String,
    pub value: Option<f64>,
    /// Not comparable with the point before it.
    pub break_before: bool,
}

pub struct Chart<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub unit: &'a str,
    pub points: &'a [ChartPoint],
    pub target: Option<(f64, String)>,
    pub withdrawal: Option<(f64, String)>,
    /// The series' one scale (link: `Series::scale_max`), where every progress bar of the
    /// indicator ends: the value axis ends there too, so a value stands at the same height of
    /// the axis as its bar's length (one scale rule, not a chart zoomed to its own points).
    /// `None`: from the chart's own marks by the same rule (`axis_max`).
    pub scale_max: Option<f64>,
}

/// Where a line chart draws: the plot area inside its 640×340 view box, and the scales of
/// years and values.
struct Frame {
    max: f64,
    /// Where the plot starts: right of the widest value-axis label.
    left: f64,
    first: i32,
    last: i32,
}

impl Frame {
    const W: f64 = 640.0;
    const H: f64 = 340.0;
    /// The least room left of the plot for the value axis's labels (more when they are wider).
    const LEFT: f64 = 64.0;
    const RIGHT: f64 = 24.0;
    const TOP: f64 = 24.0;
    /// Room for two lines of year labels (Western and era) at `LAYOUT_FONT`.
    const BOTTOM: f64 = 68.0;

    /// The plot's width.
    fn width(&self) -> f64 {
        Self::W - self.left - Self::RIGHT
    }

    /// Years between the first and the last point (at least one, so a single year centres).
    fn span(&self) -> f64 {
        f64::from((self.last - self.first).max(1))
    }

    fn x(&self, year: i32) -> f64 {
        let width = self.width();
        if self.first == self.last {
            self.left + width / 2.0
        } else {
            self.left + f64::from(year - self.first) / self.span() * width
        }
    }

    /// How a label at `year` is anchored: the first year's starts at its point and the last
    /// year's ends there, so neither runs into the value axis or off the edge.
    fn anchor(&self, year: i32) -> &'static str {
        match year {
            _ if self.first == self.last => "middle",
            y if y == self.first => "start",
            y if y == self.last => "end",
            _ => "middle",
        }
    }

    fn y(&self, v: f64) -> f64 {
        Self::TOP + (1.0 - (v / self.max).clamp(0.0, 1.0)) * (Self::H - Self::TOP - Self::BOTTOM)
    }
}

/// A text's box in chart units, for the label layout.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Area {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    /// A label's box (kept `LABEL_GAP` from other labels), else a mark's (points, lines).
    text: bool,
}

impl Area {
    fn overlap(&self, o: &Area) -> f64 {
        let w = self.x1.min(o.x1) - self.x0.max(o.x0);
        let h = self.y1.min(o.y1) - self.y0.max(o.y0);
        if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
    }
    fn inside_chart(&self) -> bool {
        self.x0 >= 0.0 && self.y0 >= 0.0 && self.x1 <= Frame::W && self.y1 <= Frame::H
    }
    /// The box grown by `pad` on every side (labels keep that far apart).
    fn padded(&self, pad: f64) -> Area {
        Area { x0: self.x0 - pad, y0: self.y0 - pad, x1: self.x1 + pad, y1: self.y1 + pad, ..*self }
    }
}

/// The largest size chart text is set at (24 units on narrow screens, 14 on wide ones: the
/// stylesheet's): the layout measures at it, so labels clear each other at every width.
pub const LAYOUT_FONT: f64 = 24.0;
/// How far apart (chart units) two labels are kept.
const LABEL_GAP: f64 = 12.0;
/// How far a label stays from a mark (a point, a line).
const MARK_GAP: f64 = 2.0;

/// The approximate width of `text` at font size `size`: full-width characters (kanji, kana,
/// ％, 【】) 1 em, ASCII letters and digits 0.6 em, a space 0.3 em.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            ' ' => 0.3,
            c if c.is_ascii() => 0.6,
            // Half-width katakana and the like.
            '\u{ff61}'..='\u{ff9f}' => 0.5,
            _ => 1.0,
        })
        .sum::<f64>()
        * size
}

/// The box of `text` with its baseline at `y` (at `LAYOUT_FONT`), anchored at `x`.
fn text_area(x: f64, y: f64, anchor: &str, text: &str) -> Area {
    let w = text_width(text, LAYOUT_FONT);
    let x0 = match anchor {
        "end" => x - w,
        "middle" => x - w / 2.0,
        _ => x,
    };
    Area { x0, y0: y - 0.88 * LAYOUT_FONT, x1: x0 + w, y1: y + 0.12 * LAYOUT_FONT, text: true }
}

/// Where a label may go: x, y, anchor, and the baseline's shift from y in em (`dy`): a label
/// under a point sits one line below it at every font size.
#[derive(Debug, Clone, Copy)]
struct Spot {
    x: f64,
    y: f64,
    anchor: &'static str,
    dy: f64,
}

fn spot(x: f64, y: f64, anchor: &'static str, dy: f64) -> Spot {
    Spot { x, y, anchor, dy }
}

impl Spot {
    fn area(&self, text: &str) -> Area {
        text_area(self.x, self.y + self.dy * LAYOUT_FONT, self.anchor, text)
    }
    /// The `<text>` element of `class` at this spot.
    fn text(&self, class: &str, text: &str) -> String {
        format!(
            r#"<text class="{class}" x="{:.1}" y="{:.1}" dy="{}em" text-anchor="{}">{}</text>"#,
            self.x,
            self.y,
            self.dy,
            self.anchor,
            escape(text)
        )
    }
}

/// Boxes along a line from (x1, y1) to (x2, y2), for labels to keep off it.
fn along(x1: f64, y1: f64, x2: f64, y2: f64) -> impl Iterator<Item = Area> {
    let steps = ((x2 - x1).hypot(y2 - y1) / 6.0).ceil().max(1.0) as u32;
    (0..=steps).map(move |i| {
        let t = f64::from(i) / f64::from(steps);
        let (x, y) = (x1 + (x2 - x1) * t, y1 + (y2 - y1) * t);
        Area { x0: x - 1.5, y0: y - 1.5, x1: x + 1.5, y1: y + 1.5, text: false }
    })
}

/// The first of `spots` where `text` stays inside the chart and clear of every box placed so
/// far; else the one that overlaps least. The chosen box joins `placed`.
fn place(placed: &mut Vec<Area>, text: &str, spots: &[Spot]) -> Spot {
    let mut best: Option<(f64, Spot)> = None;
    for &spot in spots {
        let area = spot.area(text);
        let mut cost: f64 =
            placed.iter().map(|p| area.padded(if p.text { LABEL_GAP } else { MARK_GAP }).overlap(p)).sum();
        if !area.inside_chart() {
            cost += 1e6;
        }
        if cost == 0.0 {
            best = Some((0.0, spot));
            break;
        }
        if best.is_none_or(|(c, _)| cost < c) {
            best = Some((cost, spot));
        }
    }
    let spot = best.map_or(spot(0.0, 0.0, "start", 0.0), |b| b.1);
    placed.push(spot.area(text));
    spot
}

/// A line chart over fiscal years. Points across a break are not joined; the break is a
/// dotted vertical line with a label. Every label is placed by measuring it (`text_width`)
/// against the ones already placed: value labels move beside or below their points rather than
/// run into an axis label, the target's label moves off a break line.
pub fn chart(c: &Chart) -> String {
    let mut marks: Vec<f64> = c.points.iter().filter_map(|p| p.value).collect();
    marks.extend(c.target.as_ref().map(|t| t.0));
    marks.extend(c.withdrawal.as_ref().map(|t| t.0));
    let (first, last) = match (c.points.first(), c.points.last()) {
        (Some(f), Some(l)) => (f.year, l.year),
        _ => (0, 0),
    };
    // A scale below a mark (a caller's mistake) would draw it off the chart: then the rule.
    let max = c.scale_max.filter(|m| marks.iter().all(|v| v <= m)).unwrap_or_else(|| chart_max(c.unit, &marks));
    let widest = (0..=4).map(|i| text_width(&tick_label(max, i, c.unit), LAYOUT_FONT)).fold(0.0, f64::max);
    let frame = Frame { max, left: Frame::LEFT.max(widest + 10.0), first, last };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        w = Frame::W,
        h = Frame::H,
        id = c.id,
        title = escape(c.title),
        desc = escape(c.description)
    );
    // Everything a label must keep clear of, as it is drawn.
    let mut placed: Vec<Area> = Vec::new();
    axes(&mut s, &frame, c, &mut placed);
    lines(&mut s, &frame, c, &mut placed);
    for p in c.points {
        if let Some(v) = p.value {
            let (x, y) = (frame.x(p.year), frame.y(v));
            placed.push(Area { x0: x - 5.0, y0: y - 5.0, x1: x + 5.0, y1: y + 5.0, text: false });
        }
    }
    let mut labels = String::new();
    reference_lines(&mut s, &mut labels, &frame, c, &mut placed);
    for p in c.points {
        if let Some(v) = p.value {
            let (x, y) = (frame.x(p.year), frame.y(v));
            let anchor = frame.anchor(p.year);
            let (above, below) = (y - 10.0, y + 10.0);
            let at = place(
                &mut placed,
                &p.label,
                &[
                    spot(x, above, anchor, 0.0),
                    spot(x + 8.0, above, "start", 0.0),
                    spot(x - 8.0, above, "end", 0.0),
                    spot(x + 12.0, y, "start", 0.35),
                    spot(x - 12.0, y, "end", 0.35),
                    spot(x, below, anchor, 0.88),
                    spot(x + 8.0, below, "start", 0.88),
                    spot(x - 8.0, below, "end", 0.88),
                    // A line further off, for a crowded chart.
                    spot(x, above, anchor, -1.1),
                    spot(x, below, anchor, 1.98),
                    spot(x, above, anchor, -2.2),
                    spot(x, below, anchor, 3.08),
                ],
            );
            let _ = write!(s, r#"<circle class="point" cx="{x:.1}" cy="{y:.1}" r="5"/>"#);
            labels.push_str(&at.text("value-label", &p.label));
        }
    }
    // Labels last: drawn over the lines (each on a casing in the page colour).
    s.push_str(&labels);
    s.push_str("</svg>");
    s
}

/// The value axis's `i`th label of four steps up to `max`: 「15名」.
fn tick_label(max: f64, i: u8, unit: &str) -> String {
    let step = max / 4.0;
    let decimals = u8::from((step - step.round()).abs() > 1e-9);
    format!("{}{unit}", format_number(step * f64::from(i), decimals))
}

/// A year's tick label in two lines: the Western year, and the era year under it
/// (「2016」「平成28」).
fn era_year(year: i32) -> String {
    let era = crate::ja::FiscalYear(year).era_label();
    era.trim_end_matches("年度").to_string()
}

/// Grid lines with the value axis labels (5 steps), and each year under its point: the Western
/// year over the era year. Years too close for their labels are labelled every second (third…)
/// year, the first and the last always.
fn axes(s: &mut String, frame: &Frame, c: &Chart, placed: &mut Vec<Area>) {
    let (left, x2) = (frame.left, Frame::W - Frame::RIGHT);
    for i in 0..=4 {
        let y = frame.y(frame.max * f64::from(i) / 4.0);
        let label = tick_label(frame.max, i, c.unit);
        let at = spot(left - 6.0, y, "end", 0.35);
        placed.push(at.area(&label));
        let _ = write!(
            s,
            r#"<line class="grid" x1="{left}" y1="{y:.1}" x2="{x2}" y2="{y:.1}"/>{}"#,
            at.text("axis", &label)
        );
    }
    let widest = c.points.iter().map(|p| text_width(&era_year(p.year), LAYOUT_FONT)).fold(0.0, f64::max);
    let spacing = if c.points.len() > 1 { (x2 - left) / frame.span() } else { f64::INFINITY };
    let every = ((widest + 2.0 * LABEL_GAP) / spacing).ceil().max(1.0) as i32;
    let base = Frame::H - Frame::BOTTOM;
    for p in c.points {
        let due = (p.year - frame.first) % every == 0 || p.year == frame.last;
        // The last year's label is always drawn: the one before it gives way.
        let crowded = p.year != frame.last && f64::from(frame.last - p.year) * spacing < widest + 2.0 * LABEL_GAP;
        if !due || crowded {
            continue;
        }
        let (x, anchor) = (frame.x(p.year), frame.anchor(p.year));
        let (year, era) = (spot(x, base + 4.0, anchor, 1.0), spot(x, base + 4.0, anchor, 2.2));
        placed.push(year.area(&p.year.to_string()));
        placed.push(era.area(&era_year(p.year)));
        s.push_str(&year.text("axis year", &p.year.to_string()));
        s.push_str(&era.text("axis era", &era_year(p.year)));
    }
}

/// The target and withdrawal lines (into `s`) with their labels (into `labels`, drawn last),
/// each label where it clears the others and any break line.
fn reference_lines(s: &mut String, labels: &mut String, frame: &Frame, c: &Chart, placed: &mut Vec<Area>) {
    let (left, x2) = (frame.left, Frame::W - Frame::RIGHT);
    // The target's label first tries above its line at the right, the withdrawal's below
    // its line at the left; then the other places.
    let mut line = |s: &mut String, class: &str, mark: &str, v: f64, label: &str, target: bool| {
        let y = frame.y(v);
        let _ = write!(s, r#"<line class="{class}" x1="{left}" y1="{y:.1}" x2="{x2}" y2="{y:.1}"/>"#);
        let text = format!("{mark} {label}");
        let spots = [
            spot(x2, y - 6.0, "end", 0.0),
            spot(left + 4.0, y - 6.0, "start", 0.0),
            spot(x2, y + 6.0, "end", 0.88),
            spot(left + 4.0, y + 6.0, "start", 0.88),
        ];
        let order: [usize; 4] = if target { [0, 1, 2, 3] } else { [3, 2, 1, 0] };
        let at = place(placed, &text, &order.map(|i| spots[i]));
        placed.extend(along(left, y, x2, y));
        labels.push_str(&at.text(&format!("{class}-label"), &text));
    };
    if let Some((v, label)) = &c.target {
        line(s, "target", "◆", *v, label, true);
    }
    if let Some((v, label)) = &c.withdrawal {
        line(s, "withdrawal", "■", *v, label, false);
    }
}

/// The values joined by a line, split at breaks (drawn as a labelled dotted line) and gaps.
fn lines(s: &mut String, frame: &Frame, c: &Chart, placed: &mut Vec<Area>) {
    let mut path = String::new();
    let mut pen_down = false;
    let mut pen: Option<(f64, f64)> = None;
    for p in c.points {
        if p.break_before {
            let x = frame.x(p.year) - frame.width() / frame.span() / 2.0;
            placed.push(Area { x0: x - 2.0, y0: Frame::TOP, x1: x + 2.0, y1: Frame::H - Frame::BOTTOM, text: false });
            let at = place(
                placed,
                "系列の断絶",
                &[spot(x + 4.0, Frame::TOP - 8.0, "start", 0.88), spot(x - 4.0, Frame::TOP - 8.0, "end", 0.88)],
            );
            let _ = write!(
                s,
                r#"<line class="break" x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{y2}"/>{label}"#,
                top = Frame::TOP,
                y2 = Frame::H - Frame::BOTTOM,
                label = at.text("break-label", "系列の断絶"),
            );
            pen_down = false;
        }
        match p.value {
            Some(value) => {
                let (px, py) = (frame.x(p.year), frame.y(value));
                if pen_down && let Some((from_x, from_y)) = pen {
                    placed.extend(along(from_x, from_y, px, py));
                }
                let _ = write!(path, "{}{px:.1} {py:.1}", if pen_down { "L" } else { "M" });
                pen = Some((px, py));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if !path.is_empty() {
        let _ = write!(s, r#"<path class="line" d="{path}"/>"#);
    }
}

/// A horizontal bar chart of one value per ward (the comparison page), sorted by the caller.
pub fn ranking(
    id: &str,
    title: &str,
    unit: &str,
    rows: &[(String, f64, String)],
    target: Option<(f64, String)>,
) -> String {
    const W: f64 = 640.0;
    const ROW: f64 = 28.0;
    const LEFT: f64 = 96.0;
    const RIGHT: f64 = 80.0;
    let h = ROW * rows.len() as f64 + 36.0;
    let mut marks: Vec<f64> = rows.iter().map(|r| r.1).collect();
    marks.extend(target.as_ref().map(|t| t.0));
    let max = chart_max(unit, &marks);
    let px = |v: f64| LEFT + (v / max).clamp(0.0, 1.0) * (W - LEFT - RIGHT);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart ranking" viewBox="0 0 {W} {h}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{}</title>"#,
        escape(title)
    );
    for (i, (name, v, label)) in rows.iter().enumerate() {
        let y = 8.0 + ROW * i as f64;
        let _ = write!(
            s,
            r#"<text class="axis" x="{tx}" y="{ty:.1}" text-anchor="end">{name}</text><rect class="fill" x="{LEFT}" y="{y:.1}" width="{w:.1}" height="18"/><text class="value-label" x="{lx:.1}" y="{ty:.1}">{label}</text>"#,
            tx = LEFT - 8.0,
            ty = y + 14.0,
            name = escape(name),
            w = px(*v) - LEFT,
            lx = px(*v) + 6.0,
            label = escape(label)
        );
    }
    if let Some((v, label)) = target {
        let x = px(v);
        let _ = write!(
            s,
            r#"<line class="target" x1="{x:.1}" y1="4" x2="{x:.1}" y2="{y2:.1}"/><text class="target-label" x="{x:.1}" y="{ty:.1}" text-anchor="middle">◆ {label}</text>"#,
            y2 = h - 24.0,
            ty = h - 8.0,
            label = escape(&label)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_scale_is_100() {
        assert_eq!(chart_max("％", &[81.0, 50.0]), 100.0);
        assert_eq!(chart_max("人", &[2750.0, 2700.0]), 4000.0);
    }

    /// The value axis ends at the series' bar scale, so a value is at the same proportion of
    /// both; a scale that would leave a mark off the chart is not used.
    #[test]
    fn the_chart_axis_is_the_bars_scale() {
        let points = [ChartPoint { year: 2016, label: "3名".into(), value: Some(3.0), break_before: false }];
        let axis_top = |scale_max| {
            let svg = chart(&Chart {
                id: "c",
                title: "t",
                description: "d",
                unit: "名",
                points: &points,
                target: None,
                withdrawal: None,
                scale_max,
            });
            // The value ticks, from 0 up: the last is the top of the axis.
            let labels = svg
                .split(r#"<text class="axis""#)
                .skip(1)
                .map(|t| t.split('>').nth(1).unwrap().split('<').next().unwrap());
            labels.filter(|l| l.ends_with('名')).last().unwrap_or_default().to_string()
        };
        assert_eq!(axis_top(Some(20.0)), "20名");
        assert_eq!(axis_top(None), "4名");
        assert_eq!(axis_top(Some(2.0)), "4名");
    }

    #[test]
    fn chart_axis_steps_are_round_numbers() {
        // 14名 × 1.15 = 16.1 → 0, 5, 10, 15, 20 (not 0, 6, 12, 19, 25).
        assert_eq!(chart_max("名", &[14.0, 3.0]), 20.0);
        assert_eq!(chart_max("人", &[2750.0]), 4000.0);
        assert_eq!(chart_max("件", &[50.0, 60.0]), 80.0);
        assert_eq!(chart_max("％", &[81.0]), 100.0);
        for top in [0.4, 3.0, 7.0, 14.0, 22.0, 95.0, 130.0, 2750.0] {
            let step = chart_max("件", &[top]) / 4.0;
            let scaled = step / 10f64.powf(step.log10().floor());
            assert!([1.0, 1.5, 2.0, 2.5, 3.0, 5.0].iter().any(|n| (n - scaled).abs() < 1e-9), "{top}: step {step}");
        }
    }

    #[test]
    fn bar_marks_target_and_withdrawal() {
        let s = bar(&Bar { value: 81.0, target: Some(50.0), withdrawal: Some(30.0), max: 100.0, tone: "good" });
        assert!(s.contains(r#"width="243.0""#), "{s}");
        assert!(s.contains(r#"class="target" x1="150.0""#), "{s}");
        assert!(s.contains(r#"class="withdrawal" x1="90.0""#), "{s}");
        assert!(s.contains(r#"<path class="target-mark" d="M150.0 0"#), "{s}");
        assert!(s.contains(r#"<rect class="withdrawal-mark" x="85.0""#), "{s}");
        // Each line on a casing that keeps it visible over the fill.
        assert_eq!(s.matches(r#"class="casing""#).count(), 2, "{s}");
        // The sentence beside the bar says it all: the drawing is hidden from screen readers.
        assert!(s.contains(r#"aria-hidden="true""#) && !s.contains("aria-label"), "{s}");
    }

    /// 入所保留児童数: target and withdrawal criterion both 224名. Their shapes are drawn apart
    /// and both lines stay visible.
    #[test]
    fn coinciding_markers_are_drawn_apart() {
        let s = bar(&Bar { value: 218.0, target: Some(224.0), withdrawal: Some(224.0), max: 400.0, tone: "good" });
        let at = |class: &str, attr: &str| -> f64 {
            let i = s.find(&format!(r#"class="{class}" {attr}=""#)).unwrap() + class.len() + attr.len() + 11;
            s[i..].split(['"', ' ']).next().unwrap().trim_start_matches('M').parse().unwrap()
        };
        let (diamond_centre, square_centre) = (at("target-mark", "d"), at("withdrawal-mark", "x") + 5.0);
        assert!((square_centre - diamond_centre).abs() >= MARKERS_APART - 1e-9, "{s}");
        assert!(s.contains("over-target"), "the dashed line drawn over the solid one: {s}");
    }

    /// The boxes of every `<text>` of a chart, as the layout measures them.
    fn label_boxes(svg: &str) -> Vec<(String, Area)> {
        let attr = |tag: &str, name: &str| -> Option<String> {
            let i = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(tag[i..].split('"').next()?.to_string())
        };
        svg.split("<text ")
            .skip(1)
            .map(|t| {
                let (tag, rest) = t.split_once('>').unwrap();
                let text = rest.split("</text>").next().unwrap().to_string();
                let num = |n: &str| attr(tag, n).map_or(0.0, |v| v.trim_end_matches("em").parse::<f64>().unwrap());
                let anchor = attr(tag, "text-anchor").unwrap_or_else(|| "start".into());
                let area = text_area(num("x"), num("y") + num("dy") * LAYOUT_FONT, &anchor, &text);
                (text, area)
            })
            .collect()
    }

    fn assert_no_label_overlaps(svg: &str) {
        let boxes = label_boxes(svg);
        for (i, (a, ba)) in boxes.iter().enumerate() {
            assert!(ba.inside_chart(), "「{a}」 leaves the chart: {ba:?}");
            for (b, bb) in &boxes[i + 1..] {
                assert!(ba.padded(2.0).overlap(bb) == 0.0, "「{a}」 {ba:?} and 「{b}」 {bb:?} overlap");
            }
        }
    }

    /// The 待機児童数 series of the real content (北区, 平成27・28年度: 14名 → 3名, target ゼロ): the
    /// first value's label, 「14名」, drawn above its point at the value axis, ran into that
    /// axis's 「15名」.
    #[test]
    fn value_labels_clear_the_axis_labels() {
        let points = [
            ChartPoint { year: 2015, label: "14名".into(), value: Some(14.0), break_before: false },
            ChartPoint { year: 2016, label: "3名".into(), value: Some(3.0), break_before: false },
        ];
        let s = chart(&Chart {
            id: "c",
            title: "t",
            description: "d",
            unit: "名",
            points: &points,
            target: Some((0.0, "目標 ゼロ".into())),
            withdrawal: None,
            scale_max: None,
        });
        let boxes = label_boxes(&s);
        let find = |t: &str| boxes.iter().find(|(x, _)| x == t).unwrap_or_else(|| panic!("no 「{t}」 in {s}")).1;
        let (value, axis) = (find("14名"), find("15名"));
        assert!(value.padded(LABEL_GAP - 1e-9).overlap(&axis) == 0.0, "14名 {value:?} against 15名 {axis:?}");
        assert_no_label_overlaps(&s);
        // The axis says the era as well as the Western year.
        assert!(s.contains(">2015</text>") && s.contains(">平成27</text>") && s.contains(">平成28</text>"), "{s}");
    }

    /// A target label that would run across the series-break line moves; labels stay apart in a
    /// crowded chart (eight years, a break, a target and a withdrawal line close together).
    #[test]
    fn labels_move_off_a_break_line_and_each_other() {
        let values = [52.0, 55.0, 54.0, 49.0, 47.0, 51.0, 50.5, 53.0];
        let points: Vec<ChartPoint> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| ChartPoint {
                year: 2012 + i as i32,
                label: format!("{v}％"),
                value: Some(v),
                break_before: i == 7,
            })
            .collect();
        let s = chart(&Chart {
            id: "c",
            title: "t",
            description: "d",
            unit: "％",
            points: &points,
            target: Some((55.0, "目標 55％以上".into())),
            withdrawal: Some((50.0, "撤退基準 50％未満".into())),
            scale_max: None,
        });
        assert_no_label_overlaps(&s);
        let brk: f64 = s.split(r#"class="break" x1=""#).nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        let target = label_boxes(&s).into_iter().find(|(t, _)| t.starts_with("◆")).unwrap().1;
        assert!(!(target.x0..=target.x1).contains(&brk), "the target label {target:?} crosses the break at {brk}");
    }

    #[test]
    fn text_width_counts_full_width_characters_as_one_em() {
        assert_eq!(text_width("14名", 10.0), 22.0);
        assert_eq!(text_width("平成28", 10.0), 32.0);
    }

    #[test]
    fn chart_does_not_join_across_a_break() {
        let points = [
            ChartPoint { year: 2015, label: "55.9％".into(), value: Some(55.9), break_before: false },
            ChartPoint { year: 2016, label: "37.4％".into(), value: Some(37.4), break_before: true },
        ];
        let s = chart(&Chart {
            id: "c",
            title: "t",
            description: "d",
            unit: "％",
            points: &points,
            target: Some((50.0, "目標 50％".into())),
            withdrawal: None,
            scale_max: None,
        });
        let path = s.split(r#"class="line" d=""#).nth(1).unwrap();
        let d = &path[..path.find('"').unwrap()];
        assert_eq!(d.matches('M').count(), 2, "two separate segments: {d}");
        assert!(!d.contains('L'), "no line joins the two points: {d}");
        assert!(s.contains("系列の断絶"));
    }
}
