//! Build-time SVG: the progress bar of one value and the chart of a series. No JavaScript;
//! every mark has a shape as well as a colour, and the surrounding HTML carries the words.

use crate::model::quantity::format_number;
use crate::text::escape;
use std::fmt::Write;

/// Where the bar's scale ends: 100 for percentages, else a round number above every mark.
pub fn scale_max(unit: &str, marks: &[f64]) -> f64 {
    let top = marks.iter().copied().fold(0.0_f64, f64::max);
    if unit == "％" && top <= 100.0 {
        return 100.0;
    }
    nice_ceiling(top * 1.15)
}

/// The top of a chart's value axis: like `scale_max`, but only where each of its four steps is a
/// round number (0, 5, 10, 15, 20 rather than 0, 6, 12, 19, 25).
fn chart_max(unit: &str, marks: &[f64]) -> f64 {
    let top = marks.iter().copied().fold(0.0_f64, f64::max);
    if unit == "％" && top <= 100.0 {
        return 100.0;
    }
    let x = top * 1.15;
    if x <= 0.0 {
        return 4.0;
    }
    let magnitude = 10f64.powf(x.log10().floor());
    let f = x / magnitude;
    [1.2, 2.0, 4.0, 6.0, 8.0, 10.0].into_iter().find(|&n| n >= f).unwrap_or(10.0) * magnitude
}

fn nice_ceiling(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(x.log10().floor());
    let f = x / magnitude;
    let nice = [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0].into_iter().find(|&n| n >= f).unwrap_or(10.0);
    nice * magnitude
}

/// Inputs of one progress bar.
pub struct Bar {
    pub value: f64,
    pub target: Option<f64>,
    pub withdrawal: Option<f64>,
    pub max: f64,
    pub tone: &'static str,
}

/// A horizontal bar: the value as a filled rectangle, the target as a downward triangle
/// on a solid line, the withdrawal criterion as a dashed line with a cross.
pub fn bar(b: &Bar) -> String {
    const W: f64 = 300.0;
    let x = |v: f64| (v / b.max).clamp(0.0, 1.0) * W;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="bar bar-{tone}" viewBox="-8 0 316 34" aria-hidden="true" focusable="false"><rect class="track" x="0" y="12" width="{W}" height="14"/><rect class="fill" x="0" y="12" width="{fill:.1}" height="14"/>"#,
        tone = b.tone,
        fill = x(b.value),
    );
    if let Some(w) = b.withdrawal {
        let wx = x(w);
        let _ = write!(
            s,
            r#"<line class="withdrawal" x1="{wx:.1}" y1="8" x2="{wx:.1}" y2="30"/><path class="withdrawal-mark" d="M{a:.1} 0l8 8m0 -8l-8 8"/>"#,
            a = wx - 4.0
        );
    }
    if let Some(t) = b.target {
        let tx = x(t);
        let _ = write!(
            s,
            r#"<line class="target" x1="{tx:.1}" y1="8" x2="{tx:.1}" y2="32"/><path class="target-mark" d="M{a:.1} 0h10l-5 8z"/>"#,
            a = tx - 5.0
        );
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
}

/// Where a line chart draws: the plot area inside its 640×300 view box, and the scales of
/// years and values.
struct Frame {
    max: f64,
    first: i32,
    last: i32,
}

impl Frame {
    const W: f64 = 640.0;
    const H: f64 = 300.0;
    const LEFT: f64 = 64.0;
    const RIGHT: f64 = 24.0;
    const TOP: f64 = 24.0;
    const BOTTOM: f64 = 48.0;

    /// Years between the first and the last point (at least one, so a single year centres).
    fn span(&self) -> f64 {
        f64::from((self.last - self.first).max(1))
    }

    fn x(&self, year: i32) -> f64 {
        let width = Self::W - Self::LEFT - Self::RIGHT;
        if self.first == self.last {
            Self::LEFT + width / 2.0
        } else {
            Self::LEFT + f64::from(year - self.first) / self.span() * width
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

/// A line chart over fiscal years. Points across a break are not joined; the break is a
/// dotted vertical line with a label.
pub fn chart(c: &Chart) -> String {
    let mut marks: Vec<f64> = c.points.iter().filter_map(|p| p.value).collect();
    marks.extend(c.target.as_ref().map(|t| t.0));
    marks.extend(c.withdrawal.as_ref().map(|t| t.0));
    let (first, last) = match (c.points.first(), c.points.last()) {
        (Some(f), Some(l)) => (f.year, l.year),
        _ => (0, 0),
    };
    let frame = Frame { max: chart_max(c.unit, &marks), first, last };
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
    axes(&mut s, &frame, c);
    reference_lines(&mut s, &frame, c);
    lines(&mut s, &frame, c);
    for p in c.points {
        if let Some(v) = p.value {
            let (x, y) = (frame.x(p.year), frame.y(v));
            let _ = write!(
                s,
                r#"<circle class="point" cx="{x:.1}" cy="{y:.1}" r="5"/><text class="value-label" x="{x:.1}" y="{ty:.1}" text-anchor="{anchor}">{label}</text>"#,
                ty = if y < Frame::TOP + 20.0 { y + 20.0 } else { y - 10.0 },
                anchor = frame.anchor(p.year),
                label = escape(&p.label)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Grid lines with the value axis labels (5 steps), and the year under each point.
fn axes(s: &mut String, frame: &Frame, c: &Chart) {
    let (left, x2) = (Frame::LEFT, Frame::W - Frame::RIGHT);
    for i in 0..=4 {
        let v = frame.max * f64::from(i) / 4.0;
        let y = frame.y(v);
        let step = frame.max / 4.0;
        let decimals = u8::from((step - step.round()).abs() > 1e-9);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{left}" y1="{y:.1}" x2="{x2}" y2="{y:.1}"/><text class="axis" x="{tx}" y="{ty:.1}" text-anchor="end">{label}{unit}</text>"#,
            tx = left - 6.0,
            ty = y + 4.0,
            label = format_number(v, decimals),
            unit = escape(c.unit)
        );
    }
    for p in c.points {
        let _ = write!(
            s,
            r#"<text class="axis" x="{x:.1}" y="{y}" text-anchor="{anchor}">{year}</text>"#,
            x = frame.x(p.year),
            y = Frame::H - Frame::BOTTOM + 20.0,
            anchor = frame.anchor(p.year),
            year = p.year
        );
    }
}

/// The target and withdrawal lines with their labels.
fn reference_lines(s: &mut String, frame: &Frame, c: &Chart) {
    let (left, x2) = (Frame::LEFT, Frame::W - Frame::RIGHT);
    if let Some((v, label)) = &c.target {
        let y = frame.y(*v);
        let _ = write!(
            s,
            r#"<line class="target" x1="{left}" y1="{y:.1}" x2="{x2}" y2="{y:.1}"/><text class="target-label" x="{x2}" y="{ty:.1}" text-anchor="end">▼ {label}</text>"#,
            ty = y - 6.0,
            label = escape(label)
        );
    }
    if let Some((v, label)) = &c.withdrawal {
        let y = frame.y(*v);
        let _ = write!(
            s,
            r#"<line class="withdrawal" x1="{left}" y1="{y:.1}" x2="{x2}" y2="{y:.1}"/><text class="withdrawal-label" x="{left}" y="{ty:.1}">× {label}</text>"#,
            ty = y + 16.0,
            label = escape(label)
        );
    }
}

/// The values joined by a line, split at breaks (drawn as a labelled dotted line) and gaps.
fn lines(s: &mut String, frame: &Frame, c: &Chart) {
    let mut path = String::new();
    let mut pen_down = false;
    for p in c.points {
        if p.break_before {
            let x = frame.x(p.year) - (Frame::W - Frame::LEFT - Frame::RIGHT) / frame.span() / 2.0;
            let _ = write!(
                s,
                r#"<line class="break" x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{y2}"/><text class="break-label" x="{tx:.1}" y="{ty}">系列の断絶</text>"#,
                top = Frame::TOP,
                y2 = Frame::H - Frame::BOTTOM,
                tx = x + 4.0,
                ty = Frame::TOP + 12.0
            );
            pen_down = false;
        }
        match p.value {
            Some(v) => {
                let _ = write!(path, "{}{:.1} {:.1}", if pen_down { "L" } else { "M" }, frame.x(p.year), frame.y(v));
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
    let max = scale_max(unit, &marks);
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
            r#"<line class="target" x1="{x:.1}" y1="4" x2="{x:.1}" y2="{y2:.1}"/><text class="target-label" x="{x:.1}" y="{ty:.1}" text-anchor="middle">▲ {label}</text>"#,
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
        assert_eq!(scale_max("％", &[81.0, 50.0]), 100.0);
        assert_eq!(scale_max("人", &[2750.0, 2700.0]), 4000.0);
        assert_eq!(scale_max("名", &[0.0]), 1.0);
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
        // The sentence beside the bar says it all: the drawing is hidden from screen readers.
        assert!(s.contains(r#"aria-hidden="true""#) && !s.contains("aria-label"), "{s}");
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
        });
        let path = s.split(r#"class="line" d=""#).nth(1).unwrap();
        let d = &path[..path.find('"').unwrap()];
        assert_eq!(d.matches('M').count(), 2, "two separate segments: {d}");
        assert!(!d.contains('L'), "no line joins the two points: {d}");
        assert!(s.contains("系列の断絶"));
    }
}
