//! Japanese conventions every step shares: full-width characters folded to half-width, and
//! fiscal years (年度) with their eras (元号). The lowest layer: it imports nothing of the crate.

use std::fmt;

/// Folds full-width ASCII (digits, letters, ％, ．, ，) to half-width, and the ideographic
/// space to a space. Used before any parsing so 「５０％」 and 「50%」 read the same.
pub fn normalize_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// A Japanese era, as used in fiscal-year labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// 昭和: 1926–1989.
    Showa,
    /// 平成: 1989–2019. 平成1年 = 1989.
    Heisei,
    /// 令和: from 2019-05-01. 令和元年度 = FY2019.
    Reiwa,
}

impl Era {
    pub fn name(self) -> &'static str {
        match self {
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }
    /// The Western year of the era's first year (元年).
    fn first_year(self) -> i32 {
        match self {
            Era::Showa => 1926,
            Era::Heisei => 1989,
            Era::Reiwa => 2019,
        }
    }
}

/// A fiscal year (年度), April to March, identified by the Western year it starts in:
/// 平成28年度 = FY2016 = 2016-04-01 to 2017-03-31.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(pub i32);

/// The first year whose label is kept made (see `FiscalYear::label`).
const LABEL_CACHE_FROM: i32 = 1950;

impl FiscalYear {
    pub fn western(self) -> i32 {
        self.0
    }

    /// The era a fiscal year is named after. A fiscal year is named by the era in force on
    /// 1 April, except FY2019 which, starting under 平成31年, is officially 令和元年度.
    pub fn era(self) -> (Era, i32) {
        let era = if self.0 >= 2019 {
            Era::Reiwa
        } else if self.0 >= 1989 {
            Era::Heisei
        } else {
            Era::Showa
        };
        (era, self.0 - era.first_year() + 1)
    }

    /// 「平成28年度」「令和元年度」
    pub fn era_label(self) -> String {
        let (era, n) = self.era();
        if n == 1 { format!("{}元年度", era.name()) } else { format!("{}{}年度", era.name(), n) }
    }

    /// 「平成28年度（2016年度）」: the era with the Western year beside it.
    pub fn label(self) -> String {
        // Printed on almost every line of every page: made once per year.
        static LABELS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
            (LABEL_CACHE_FROM..LABEL_CACHE_FROM + 200).map(|y| FiscalYear(y).label_uncached()).collect()
        });
        match usize::try_from(self.0 - LABEL_CACHE_FROM).ok().and_then(|i| LABELS.get(i)) {
            Some(l) => l.clone(),
            None => self.label_uncached(),
        }
    }

    fn label_uncached(self) -> String {
        format!("{}（{}年度）", self.era_label(), self.0)
    }

    #[must_use]
    pub fn previous(self) -> FiscalYear {
        FiscalYear(self.0 - 1)
    }

    /// Parses 平成28年度, H28, Ｈ２８年度, 令和元年度, R1, 2016, 2016年度.
    pub fn parse(text: &str) -> Option<FiscalYear> {
        let s = normalize_width(text.trim());
        let s = s.strip_suffix("年度").unwrap_or(&s).trim();
        let s = s.strip_suffix('年').unwrap_or(s);
        if let Ok(y) = s.parse::<i32>() {
            return (1900..=2200).contains(&y).then_some(FiscalYear(y));
        }
        let (era, rest) = [
            ("平成", Era::Heisei),
            ("令和", Era::Reiwa),
            ("昭和", Era::Showa),
            ("H", Era::Heisei),
            ("R", Era::Reiwa),
            ("S", Era::Showa),
        ]
        .iter()
        .find_map(|(p, e)| s.strip_prefix(p).map(|r| (*e, r)))?;
        let n: i32 = if rest == "元" { 1 } else { rest.parse().ok()? };
        let max = match era {
            Era::Showa => 64,
            Era::Heisei => 31,
            Era::Reiwa => 99,
        };
        (1..=max).contains(&n).then(|| FiscalYear(era.first_year() + n - 1))
    }
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// A date written in text, as an ISO date (`2018-06-29`): 「平成30年6月29日」「令和元年5月1日」
/// 「H30.6.29」 or 「2018年6月29日」「2018-06-29」. `None` for anything else or a day that does
/// not exist.
pub fn parse_date(text: &str) -> Option<String> {
    let s = normalize_width(text.trim());
    let eras = [("平成", 1988), ("令和", 2018), ("昭和", 1925), ("H", 1988), ("R", 2018), ("S", 1925)];
    let (offset, rest) = match eras.iter().find_map(|(p, o)| s.strip_prefix(p).map(|r| (*o, r))) {
        Some((o, r)) => (o, r.to_string()),
        None => (0, s.clone()),
    };
    let rest = rest.replacen("元", "1", 1);
    let parts: Vec<&str> = rest.split(['年', '月', '日', '.', '-', '/']).filter(|p| !p.is_empty()).collect();
    let [y, m, d] = parts.as_slice() else { return None };
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let year = y + offset;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let ok = (1900..=2200).contains(&year) && (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1];
    ok.then(|| format!("{year:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_era_and_western_writing() {
        assert_eq!(parse_date("平成30年6月29日").as_deref(), Some("2018-06-29"));
        assert_eq!(parse_date("令和元年5月1日").as_deref(), Some("2019-05-01"));
        assert_eq!(parse_date("Ｈ３０．６．２９").as_deref(), Some("2018-06-29"));
        assert_eq!(parse_date("2017年6月30日").as_deref(), Some("2017-06-30"));
        assert_eq!(parse_date("2017-06-30").as_deref(), Some("2017-06-30"));
        assert_eq!(parse_date("平成31年2月29日"), None, "2019 is not a leap year");
        assert_eq!(parse_date("2020-02-29").as_deref(), Some("2020-02-29"));
        assert_eq!(parse_date("平成30年13月1日"), None);
        assert_eq!(parse_date("そのうち"), None);
    }

    #[test]
    fn full_width_letters_digits_and_spaces_fold_to_half_width() {
        assert_eq!(normalize_width("Ｈ２９　５０％，１．５"), "H29 50%,1.5");
        assert_eq!(normalize_width("平成　北区"), "平成 北区", "the ideographic space too");
        assert_eq!(normalize_width("ｱ"), "ｱ", "half-width katakana stays");
    }

    #[test]
    fn heisei_and_reiwa() {
        assert_eq!(FiscalYear::parse("平成28年度"), Some(FiscalYear(2016)));
        assert_eq!(FiscalYear::parse("H29"), Some(FiscalYear(2017)));
        assert_eq!(FiscalYear::parse("Ｈ２９年度"), Some(FiscalYear(2017)));
        assert_eq!(FiscalYear::parse("令和元年度"), Some(FiscalYear(2019)));
        assert_eq!(FiscalYear::parse("R2"), Some(FiscalYear(2020)));
        assert_eq!(FiscalYear::parse("平成31年度"), Some(FiscalYear(2019)));
        assert_eq!(FiscalYear::parse("2016年度"), Some(FiscalYear(2016)));
        assert_eq!(FiscalYear::parse("2016"), Some(FiscalYear(2016)));
    }

    #[test]
    fn rejects_nonsense() {
        assert_eq!(FiscalYear::parse("平成40年度"), None);
        assert_eq!(FiscalYear::parse("来年度"), None);
        assert_eq!(FiscalYear::parse("H0"), None);
    }

    #[test]
    fn prints_era_and_western_year() {
        assert_eq!(FiscalYear(2016).label(), "平成28年度（2016年度）");
        assert_eq!(FiscalYear(2019).era_label(), "令和元年度");
        assert_eq!(FiscalYear(2018).era_label(), "平成30年度");
        assert_eq!(FiscalYear(2024).era_label(), "令和6年度");
        assert_eq!(FiscalYear(2016).to_string(), "平成28年度（2016年度）", "Display is the label");
    }
}
