//! Measured values: a number with its unit, written consistently whatever width the source used.

use crate::ja::normalize_width;
use std::fmt;

/// A unit as the site prints it (単位): 「％」 always full-width, anything else as the source
/// gives it, folded to half-width (「人」「件」「点」「名」); empty for a bare number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Unit(String);

impl Unit {
    /// 「％」, the unit of shares and rates (回収率, 基準年度比削減).
    pub const PERCENT: &'static str = "％";

    /// The unit as content writes it, in its printed form: `%` and `％` are the same unit.
    pub fn parse(unit: &str) -> Unit {
        let u = normalize_width(unit.trim());
        if u == "%" { Unit::percent() } else { Unit(u) }
    }

    pub fn percent() -> Unit {
        Unit(Unit::PERCENT.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Unit {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Unit {
    fn from(unit: &str) -> Unit {
        Unit::parse(unit)
    }
}

impl From<Unit> for String {
    fn from(unit: Unit) -> String {
        unit.0
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `n` (half-width) is a number as reports print them: an optional minus, digits with
/// commas only between groups of three (`2,750`, `1,234,567`, or none: `2750`), and an
/// optional decimal point with digits on both sides (`81.5`).
fn is_plain_number(n: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let n = n.strip_prefix('-').unwrap_or(n);
    let (int, frac) = match n.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (n, None),
    };
    if frac.is_some_and(|f| !digits(f)) {
        return false;
    }
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    digits(first) && (rest.is_empty() || (first.len() <= 3 && rest.iter().all(|g| g.len() == 3 && digits(g))))
}

/// A number with its unit, e.g. 86.0 ％ or 2,750 人. Keeps the decimals the source printed
/// (86.0 stays 86.0) so the site never pretends to more or less precision.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub decimals: u8,
    pub unit: Unit,
}

impl Quantity {
    /// Parses 「81％」「86.0%」「2,750人」「３.４点」「１件」 against the expected unit.
    /// Returns an explanation of what was expected on failure.
    pub fn parse(text: &str, unit: &Unit) -> Result<Quantity, String> {
        let unit = unit.clone();
        let s = normalize_width(text.trim());
        let s = s.replace('％', "%");
        let number_end = s
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_digit() || c == '.' || c == ',' || c == '-'))
            .map_or(s.len(), |(i, _)| i);
        let (number, rest) = s.split_at(number_end);
        let rest = rest.trim();
        let found_unit = Unit::parse(rest);
        if number.is_empty() {
            return Err(format!("a number with the unit {unit} (e.g. 「12{unit}」), or 「―」"));
        }
        if found_unit != unit && !(found_unit.is_empty() && unit.is_empty()) {
            return Err(format!("a number followed by the indicator's unit 「{unit}」"));
        }
        // A misplaced separator must not change the number silently (「81,5％」 is not 815％).
        if !is_plain_number(number) {
            return Err(format!(
                "a number such as 「2,750{unit}」 or 「81.5{unit}」: thousands separated by commas in groups of \
                 three, digits on both sides of a decimal point"
            ));
        }
        let digits = number.replace(',', "");
        let value: f64 = digits.parse().map_err(|_| format!("a number followed by 「{unit}」"))?;
        let decimals = digits.split_once('.').map_or(0, |(_, d)| d.len() as u8);
        Ok(Quantity { value, decimals, unit })
    }

    /// The number alone, half-width, with thousands separators: 「2,750」「86.0」.
    pub fn number(&self) -> String {
        format_number(self.value, self.decimals)
    }

    /// Plain number for data files: no separators, `.` decimal point.
    pub fn plain(&self) -> String {
        format!("{:.*}", self.decimals as usize, self.value)
    }
}

/// The top of a value scale (a chart's value axis, every progress bar of an indicator): 100 for
/// percentages up to 100, else a round number above every mark whose quarter steps are round
/// too (0, 5, 10, 15, 20 rather than 0, 6, 12, 19, 25).
pub fn axis_max(unit: &str, marks: &[f64]) -> f64 {
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

pub fn format_number(value: f64, decimals: u8) -> String {
    let d = usize::from(decimals);
    // The digits of |value| with `decimals` decimals, without the point. Fast path: a value
    // that is (within rounding) a number with `decimals` digits, as every parsed value is,
    // comes out the same from integer formatting, without float printing.
    let scaled = value.abs() * 10f64.powi(i32::from(decimals));
    let digits = if decimals <= 6 && scaled < 1e15 && (scaled - scaled.round()).abs() < 1e-6 {
        let n = (scaled.round() as u64).to_string();
        if n.len() <= d { format!("{}{n}", "0".repeat(d + 1 - n.len())) } else { n }
    } else {
        format!("{:.*}", d, value.abs()).replace('.', "")
    };
    let (int, frac) = digits.split_at(digits.len() - d);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 2);
    if value < 0.0 && digits.bytes().any(|b| b != b'0') {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if d > 0 {
        out.push('.');
        out.push_str(frac);
    }
    out
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.number(), self.unit)
    }
}

/// A measured value as a report gives it: a number, or 「―」 (nothing to report).
#[derive(Debug, Clone, PartialEq)]
pub enum Measured {
    Value(Quantity),
    /// 「―」: the report states there is nothing to report.
    NotReported,
    /// 「未記入」: not filled in yet, in a draft (`mieruka new report`); an error anywhere else.
    Unfilled,
    /// A result the source prints in words or in another measure than the indicator's unit
    /// (「4地域中3地域」 for a share in ％; content writes `{ text = "…" }`): kept as printed,
    /// with no number.
    Text(String),
}

impl Measured {
    pub fn parse(text: &str, unit: &Unit) -> Result<Measured, String> {
        let t = text.trim();
        if matches!(t, "―" | "—" | "－" | "-" | "ー") {
            return Ok(Measured::NotReported);
        }
        if t == crate::load::PLACEHOLDER {
            return Ok(Measured::Unfilled);
        }
        Quantity::parse(t, unit).map(Measured::Value)
    }
    pub fn quantity(&self) -> Option<&Quantity> {
        match self {
            Measured::Value(q) => Some(q),
            Measured::NotReported | Measured::Unfilled | Measured::Text(_) => None,
        }
    }
    pub fn number(&self) -> Option<f64> {
        self.quantity().map(|q| q.value)
    }
}

impl fmt::Display for Measured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Measured::Value(q) => q.fmt(f),
            Measured::NotReported => f.write_str("―"),
            Measured::Unfilled => f.write_str(crate::load::PLACEHOLDER),
            Measured::Text(t) => f.write_str(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_the_source_wrote_them() {
        for (v, d, want) in [
            (2750.0, 0, "2,750"),
            (86.0, 1, "86.0"),
            (64.6, 1, "64.6"),
            (0.05, 2, "0.05"),
            (-3.5, 1, "-3.5"),
            (-0.0, 1, "0.0"),
            (1_234_567.891, 3, "1,234,567.891"),
            (0.25, 1, "0.2"),
            (2.0 / 3.0, 2, "0.67"),
            (1e16, 0, "10,000,000,000,000,000"),
        ] {
            assert_eq!(format_number(v, d), want, "{v} with {d} decimals");
            // The fast path and float printing agree.
            let slow = format!("{:.*}", d as usize, v);
            assert_eq!(
                format_number(v, d).replace(',', "").trim_start_matches('-'),
                slow.trim_start_matches('-'),
                "{v}"
            );
        }
    }

    #[test]
    fn full_and_half_width_read_the_same() {
        let a = Quantity::parse("５０％", &Unit::parse("％")).unwrap();
        let b = Quantity::parse("50%", &Unit::parse("%")).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "50％");
    }

    #[test]
    fn keeps_decimals_and_groups_thousands() {
        assert_eq!(Quantity::parse("86.0%", &Unit::parse("％")).unwrap().to_string(), "86.0％");
        let q = Quantity::parse("2,750人", &Unit::parse("人")).unwrap();
        assert_eq!((q.value, q.number(), q.plain()), (2750.0, "2,750".to_string(), "2750".to_string()));
        assert_eq!(Quantity::parse("３.４点", &Unit::parse("点")).unwrap().to_string(), "3.4点");
        assert_eq!(Quantity::parse("１２３４５６７名", &Unit::parse("名")).unwrap().number(), "1,234,567");
    }

    #[test]
    fn wrong_unit_or_no_number_is_an_error() {
        assert!(Quantity::parse("81人", &Unit::parse("％")).unwrap_err().contains("「％」"));
        assert!(Quantity::parse("約半分", &Unit::parse("％")).is_err());
        assert!(Quantity::parse("1.2.3％", &Unit::parse("％")).is_err());
        // A bare number for an indicator with a unit, or a unit for one without.
        assert!(Quantity::parse("81", &Unit::parse("％")).is_err());
        assert!(Quantity::parse("81％", &Unit::parse("")).is_err());
        assert_eq!(Quantity::parse("81", &Unit::parse("")).unwrap().value, 81.0);
    }

    #[test]
    fn misplaced_separators_are_errors_not_other_numbers() {
        let ok = |t: &str, unit: &str| Quantity::parse(t, &Unit::parse(unit)).map(|q| q.value);
        assert_eq!(ok("2,750人", "人"), Ok(2750.0));
        assert_eq!(ok("1,234,567人", "人"), Ok(1_234_567.0));
        assert_eq!(ok("２，７５０人", "人"), Ok(2750.0), "full-width forms of the same");
        assert_eq!(ok("81.5％", "％"), Ok(81.5));
        assert_eq!(ok("８１．５％", "％"), Ok(81.5));
        assert_eq!(ok("-3.5点", "点"), Ok(-3.5));
        for bad in
            ["81,5％", ",1％", ".7％", "1.％", "2,75,0％", "2,00％", "1,2345％", "3.,1％", "1..2％", "-％", "1,％"]
        {
            let e = ok(bad, "％").expect_err(bad);
            assert!(e.contains("groups of three") || e.contains("a number with the unit"), "{bad}: {e}");
        }
        assert!(ok("1．地域", "地域").is_err(), "a full-width point with nothing after it");
    }

    #[test]
    fn dash_means_nothing_to_report() {
        assert_eq!(Measured::parse("―", &Unit::parse("％")).unwrap(), Measured::NotReported);
        assert_eq!(Measured::NotReported.to_string(), "―");
    }
}
