//! The sparkline of a series on the ward page: every year's value as a dot on one small line,
//! the target as a dashed line, a series break as a gap with a dotted upright line. The SVG is
//! `aria-hidden`: the words beside it (`text`) say the same, so a screen reader hears it once.

use crate::link::Series;
use crate::model::target::Target;
use std::fmt::Write;

const W: f64 = 120.0;
const H: f64 = 32.0;
/// Room around the marks so a dot is never cut.
const PAD: f64 = 4.0;

/// One year of a sparkline.
#[derive(Debug, Clone, PartialEq)]
pub struct SparkPoint {
    pub year: i32,
    pub value: Option<f64>,
    /// Not comparable with the year before (a series break).
    pub break_before: bool,
}

/// Where each year's dot stands (x, y), in the order of `points`; `None` for a year without a
/// number. The scale runs from the lowest mark to the highest (values and target), so a small
/// change shows; marks all equal stand in the middle.
pub fn layout(points: &[SparkPoint], target: Option<f64>) -> (Vec<Option<(f64, f64)>>, Option<f64>) {
    let years: Vec<i32> = points.iter().map(|p| p.year).collect();
    let (first, last) = (years.iter().min().copied().unwrap_or(0), years.iter().max().copied().unwrap_or(0));
    let mut marks: Vec<f64> = points.iter().filter_map(|p| p.value).collect();
    marks.extend(target);
    let lo = marks.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = marks.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let flat = !lo.is_finite() || (hi - lo).abs() < 1e-12;
    let x = |year: i32| {
        if last == first { W / 2.0 } else { PAD + f64::from(year - first) / f64::from(last - first) * (W - 2.0 * PAD) }
    };
    let y = |v: f64| if flat { H / 2.0 } else { H - PAD - (v - lo) / (hi - lo) * (H - 2.0 * PAD) };
    let dots = points.iter().map(|p| p.value.map(|v| (round(x(p.year)), round(y(v))))).collect();
    (dots, target.map(|t| round(y(t))))
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The sparkline of a series: the SVG (hidden from screen readers) and its text equivalent.
pub fn sparkline(s: &Series) -> (String, String) {
    let points: Vec<SparkPoint> = s
        .points
        .iter()
        .map(|p| SparkPoint { year: p.year.western(), value: p.number(), break_before: p.break_before.is_some() })
        .collect();
    let target = s.points.last().and_then(|p| p.target.as_ref()).or(s.indicator.target.as_ref());
    let level = target.and_then(|t| t.level(None));
    let (dots, target_y) = layout(&points, level);
    let mut svg = format!(
        r#"<svg class="sparkline" viewBox="0 0 {W} {H}" width="{W}" height="{H}" aria-hidden="true" focusable="false">"#
    );
    if let Some(ty) = target_y {
        let _ = write!(svg, r#"<line class="spark-target" x1="0" y1="{ty}" x2="{W}" y2="{ty}"/>"#);
    }
    // The line, cut at a year without a number and at a break.
    let mut path = String::new();
    let mut pen_down = false;
    for (p, dot) in points.iter().zip(&dots) {
        if p.break_before {
            pen_down = false;
        }
        match dot {
            Some((x, y)) => {
                let _ = write!(path, "{}{x},{y}", if pen_down { " L" } else { " M" });
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if !path.is_empty() {
        let _ = write!(svg, r#"<path class="spark-line" d="{}"/>"#, path.trim_start());
    }
    for (i, (p, dot)) in points.iter().zip(&dots).enumerate() {
        if p.break_before && i > 0 {
            let prev = dots[..i].iter().rev().flatten().next().map_or(0.0, |d| d.0);
            let x = dot.map_or(prev, |d| round(f64::midpoint(prev, d.0)));
            let _ = write!(svg, r#"<line class="spark-break" x1="{x}" y1="0" x2="{x}" y2="{H}"/>"#);
        }
        if let Some((x, y)) = dot {
            let _ = write!(svg, r#"<circle class="spark-dot" cx="{x}" cy="{y}" r="2.5" data-year="{}"/>"#, p.year);
        }
    }
    svg.push_str("</svg>");
    (svg, text(s, target))
}

/// The sparkline in words: 「平成28年度 40.0％、平成29年度 45.0％、（系列の断絶）平成30年度 30.0％。目標 50％以上」.
fn text(s: &Series, target: Option<&Target>) -> String {
    let values: Vec<String> = s
        .points
        .iter()
        .map(|p| {
            let cut = if p.break_before.is_some() { "（ここで系列の断絶）" } else { "" };
            format!("{cut}{} {}", p.year.era_label(), p.label())
        })
        .collect();
    let mut t = format!("推移：{}", values.join("、"));
    if let Some(target) = target {
        let _ = write!(t, "。目標 {}", crate::render::components::target_words(target));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(year: i32, value: Option<f64>, break_before: bool) -> SparkPoint {
        SparkPoint { year, value, break_before }
    }

    #[test]
    fn every_year_has_its_place_and_the_target_its_line() {
        let points =
            [p(2015, Some(0.0), false), p(2016, Some(50.0), false), p(2017, None, false), p(2018, Some(100.0), true)];
        let (dots, target) = layout(&points, Some(50.0));
        assert_eq!(dots, vec![Some((4.0, 28.0)), Some((41.3, 16.0)), None, Some((116.0, 4.0))]);
        assert_eq!(target, Some(16.0));
    }

    #[test]
    fn one_value_stands_in_the_middle() {
        let (dots, target) = layout(&[p(2016, Some(3.0), false)], None);
        assert_eq!(dots, vec![Some((60.0, 16.0))]);
        assert_eq!(target, None);
        // From the lowest mark to the highest, not from zero: 40 → 45 against 50 fills the height.
        let (dots, target) = layout(&[p(2016, Some(40.0), false), p(2017, Some(45.0), false)], Some(50.0));
        assert_eq!(dots, vec![Some((4.0, 28.0)), Some((116.0, 16.0))]);
        assert_eq!(target, Some(4.0));
    }
}
