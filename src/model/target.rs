//! Targets (目標) and withdrawal criteria (撤退基準): comparison in both directions.
//!
//! Each vocabulary is spelt once, on its type: the words content writes, the codes data files
//! use, the labels pages show, and what follows from them (whether a `value` is needed, in
//! which unit, which way is good). Parsing, error messages and data codes all read from there.

use super::quantity::Quantity;
use super::vocab::joined;
use crate::ja::FiscalYear;

/// Which way is good for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Higher,
    /// e.g. 保育所待機児童数 (target ゼロ).
    Lower,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::Higher, Direction::Lower];
    const CODES: [[&'static str; 1]; 2] = [[Direction::Higher.code()], [Direction::Lower.code()]];
    /// For an error message: 「higher or lower」.
    pub const EXPECTED: &'static str = joined!("", Direction::CODES, " or ");
    const LEGEND: [[&'static str; 4]; 2] = [
        [Direction::Higher.code(), "（", Direction::Higher.label(), "）"],
        [Direction::Lower.code(), "（", Direction::Lower.label(), "）"],
    ];
    /// For a data dictionary: 「`higher`（値が大きいほどよい）または `lower`（値が小さいほどよい）」.
    pub const DATA_LEGEND: &'static str = joined!("", Direction::LEGEND, "または ");

    /// The words content may write (`direction = "lower"`, or 「低いほどよい」), the code
    /// first, and the label pages show.
    const fn words(self) -> ([&'static str; 2], &'static str) {
        match self {
            Direction::Higher => (["higher", "高いほどよい"], "値が大きいほどよい"),
            Direction::Lower => (["lower", "低いほどよい"], "値が小さいほどよい"),
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        let s = s.trim();
        Direction::ALL.into_iter().find(|d| d.words().0.contains(&s))
    }
    /// The code in content and data files: `higher` / `lower`.
    pub const fn code(self) -> &'static str {
        self.words().0[0]
    }
    /// For a reader: 「値が大きいほどよい」.
    pub const fn label(self) -> &'static str {
        self.words().1
    }
}

impl serde::Serialize for Direction {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// What the `value` of a comparator or withdrawal rule is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueUnit {
    /// The indicator's own unit (「50％」「10件」).
    Indicator,
    /// ％ whatever the indicator's unit (a reduction rate, a share of the previous year).
    Percent,
}

impl ValueUnit {
    /// The unit itself, given the indicator's.
    pub fn of(self, indicator_unit: &str) -> &str {
        match self {
            ValueUnit::Indicator => indicator_unit,
            ValueUnit::Percent => "％",
        }
    }
}

/// The kind of a target's comparator, without its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComparatorKind {
    AtLeast,
    Reach,
    MoreThan,
    AtMost,
    Below,
    Zero,
    IncreaseOnPrevious,
    DecreaseOnPrevious,
    ReductionFromBase,
    Qualitative,
}

/// What a comparator kind is called and what follows from it.
#[derive(Debug, Clone, Copy)]
struct ComparatorWords {
    /// In content: `comparator = "以上"`.
    word: &'static str,
    /// In data files: the `comparator` column.
    code: &'static str,
    /// What the code means, for a data dictionary: 「以上」「定性的な目標」.
    gloss: &'static str,
    /// What its `value` is measured in; `None` when it takes no `value`.
    value: Option<ValueUnit>,
    /// Which values meet it; `None` for a qualitative target.
    direction: Option<Direction>,
}

impl ComparatorKind {
    /// Every kind, in the order messages list them.
    pub const ALL: [ComparatorKind; 10] = [
        ComparatorKind::AtLeast,
        ComparatorKind::Reach,
        ComparatorKind::MoreThan,
        ComparatorKind::AtMost,
        ComparatorKind::Below,
        ComparatorKind::Zero,
        ComparatorKind::IncreaseOnPrevious,
        ComparatorKind::DecreaseOnPrevious,
        ComparatorKind::ReductionFromBase,
        ComparatorKind::Qualitative,
    ];
    const WORDS: [[&'static str; 1]; 10] = {
        let mut words = [[""]; 10];
        let mut i = 0;
        while i < words.len() {
            words[i] = [ComparatorKind::ALL[i].word()];
            i += 1;
        }
        words
    };
    /// For an error message: 「one of 以上, 到達, …」.
    pub const EXPECTED: &'static str = joined!("one of ", ComparatorKind::WORDS, ", ");
    const LEGEND: [[&'static str; 4]; 10] = {
        let mut legend = [[""; 4]; 10];
        let mut i = 0;
        while i < legend.len() {
            let k = ComparatorKind::ALL[i];
            legend[i] = [k.code(), "（", k.words().gloss, "）"];
            i += 1;
        }
        legend
    };
    /// For a data dictionary: 「`at_least`（以上）、`reach`（…）、…」.
    pub const DATA_LEGEND: &'static str = joined!("", ComparatorKind::LEGEND, "、");

    /// The one definition of each comparator.
    const fn words(self) -> ComparatorWords {
        use ComparatorKind as K;
        use Direction::{Higher, Lower};
        use ValueUnit::{Indicator, Percent};
        let (word, code, gloss, value, direction) = match self {
            K::AtLeast => ("以上", "at_least", "以上", Some(Indicator), Some(Higher)),
            K::Reach => (
                "到達",
                "reach",
                "目標値に達すること。原資料が「100％」のように値だけを示すもの",
                Some(Indicator),
                Some(Higher),
            ),
            K::MoreThan => ("超", "more_than", "超", Some(Indicator), Some(Higher)),
            K::AtMost => ("以下", "at_most", "以下", Some(Indicator), Some(Lower)),
            K::Below => ("未満", "below", "未満", Some(Indicator), Some(Lower)),
            K::Zero => ("ゼロ", "zero", "ゼロ", None, Some(Lower)),
            K::IncreaseOnPrevious => ("前年度より増", "increase_on_previous", "前年度より増", None, Some(Higher)),
            K::DecreaseOnPrevious => ("前年度より減", "decrease_on_previous", "前年度より減", None, Some(Lower)),
            // The measured value is the reduction achieved, in ％: the more the better.
            K::ReductionFromBase => {
                ("基準年度比削減", "reduction_from_base", "基準年度比削減。値は削減率％", Some(Percent), Some(Higher))
            }
            K::Qualitative => ("定性", "qualitative", "定性的な目標", None, None),
        };
        ComparatorWords { word, code, gloss, value, direction }
    }

    /// Reads the word content writes (`comparator = "以上"`).
    pub fn parse(s: &str) -> Option<ComparatorKind> {
        let s = s.trim();
        ComparatorKind::ALL.into_iter().find(|k| k.word() == s)
    }
    /// The word in content: 「以上」.
    pub const fn word(self) -> &'static str {
        self.words().word
    }
    /// The code in data files: `at_least`.
    pub const fn code(self) -> &'static str {
        self.words().code
    }
    /// What the target's `value` is measured in; `None` when the comparator takes no `value`.
    pub const fn value_unit(self) -> Option<ValueUnit> {
        self.words().value
    }
    /// The direction the comparator implies, if any.
    pub const fn direction(self) -> Option<Direction> {
        self.words().direction
    }
}

/// How a target is stated.
#[derive(Debug, Clone, PartialEq)]
pub enum Comparator {
    /// 以上
    AtLeast(Quantity),
    /// A bare target value (「100％」「各地域平均60件」): reached when the value gets there.
    Reach(Quantity),
    /// 超
    MoreThan(Quantity),
    /// 以下
    AtMost(Quantity),
    /// 未満
    Below(Quantity),
    /// ゼロ
    Zero,
    /// 前年度より増 (前年度に比べ増やす)
    IncreaseOnPrevious,
    /// 前年度より減
    DecreaseOnPrevious,
    /// 基準年度比 N％削減: the measured value is the reduction achieved, in ％.
    ReductionFromBase { percent: Quantity, base: FiscalYear },
    /// A target stated in words only.
    Qualitative,
}

impl Comparator {
    pub const EXPECTED: &'static str = ComparatorKind::EXPECTED;

    /// A comparator of `kind` with its value, and for 基準年度比削減 its base year; `None`
    /// when `kind` needs one of them and it is missing (a value it does not take is ignored).
    pub fn new(kind: ComparatorKind, value: Option<Quantity>, base: Option<FiscalYear>) -> Option<Comparator> {
        Some(match kind {
            ComparatorKind::AtLeast => Comparator::AtLeast(value?),
            ComparatorKind::Reach => Comparator::Reach(value?),
            ComparatorKind::MoreThan => Comparator::MoreThan(value?),
            ComparatorKind::AtMost => Comparator::AtMost(value?),
            ComparatorKind::Below => Comparator::Below(value?),
            ComparatorKind::Zero => Comparator::Zero,
            ComparatorKind::IncreaseOnPrevious => Comparator::IncreaseOnPrevious,
            ComparatorKind::DecreaseOnPrevious => Comparator::DecreaseOnPrevious,
            ComparatorKind::ReductionFromBase => Comparator::ReductionFromBase { percent: value?, base: base? },
            ComparatorKind::Qualitative => Comparator::Qualitative,
        })
    }

    pub fn kind(&self) -> ComparatorKind {
        match self {
            Comparator::AtLeast(_) => ComparatorKind::AtLeast,
            Comparator::Reach(_) => ComparatorKind::Reach,
            Comparator::MoreThan(_) => ComparatorKind::MoreThan,
            Comparator::AtMost(_) => ComparatorKind::AtMost,
            Comparator::Below(_) => ComparatorKind::Below,
            Comparator::Zero => ComparatorKind::Zero,
            Comparator::IncreaseOnPrevious => ComparatorKind::IncreaseOnPrevious,
            Comparator::DecreaseOnPrevious => ComparatorKind::DecreaseOnPrevious,
            Comparator::ReductionFromBase { .. } => ComparatorKind::ReductionFromBase,
            Comparator::Qualitative => ComparatorKind::Qualitative,
        }
    }

    /// The `value` it was stated with (for 基準年度比削減 the reduction rate, in ％).
    pub fn value(&self) -> Option<&Quantity> {
        match self {
            Comparator::AtLeast(q)
            | Comparator::Reach(q)
            | Comparator::MoreThan(q)
            | Comparator::AtMost(q)
            | Comparator::Below(q)
            | Comparator::ReductionFromBase { percent: q, .. } => Some(q),
            Comparator::Zero
            | Comparator::IncreaseOnPrevious
            | Comparator::DecreaseOnPrevious
            | Comparator::Qualitative => None,
        }
    }
}

/// A target: comparator, deadline, the source's wording.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub text: String,
    pub comparator: Comparator,
    pub deadline: Option<FiscalYear>,
}

impl Target {
    /// The direction the comparator implies, if any.
    pub fn direction(&self) -> Option<Direction> {
        self.comparator.kind().direction()
    }

    /// The numeric level of the target, given the previous year's value where the target is relative.
    pub fn level(&self, previous: Option<f64>) -> Option<f64> {
        match &self.comparator {
            Comparator::Zero => Some(0.0),
            Comparator::IncreaseOnPrevious | Comparator::DecreaseOnPrevious => previous,
            c => c.value().map(|q| q.value),
        }
    }

    /// Whether `value` meets the target; `None` when it cannot be said from numbers.
    pub fn is_met(&self, value: f64, previous: Option<f64>) -> Option<bool> {
        Some(match &self.comparator {
            Comparator::AtLeast(q) | Comparator::Reach(q) => value >= q.value,
            Comparator::MoreThan(q) => value > q.value,
            Comparator::AtMost(q) => value <= q.value,
            Comparator::Below(q) => value < q.value,
            Comparator::Zero => value == 0.0,
            Comparator::IncreaseOnPrevious => value > previous?,
            Comparator::DecreaseOnPrevious => value < previous?,
            Comparator::ReductionFromBase { percent, .. } => value >= percent.value,
            Comparator::Qualitative => return None,
        })
    }

    /// Short words for the target, e.g. 「50％以上」「ゼロ」「前年度より増」.
    pub fn short(&self) -> String {
        match &self.comparator {
            Comparator::Reach(q) => q.to_string(),
            Comparator::ReductionFromBase { percent, base } => format!("{}比{percent}削減", base.era_label()),
            Comparator::Qualitative => self.text.clone(),
            c => match c.value() {
                Some(q) => format!("{q}{}", c.kind().word()),
                None => c.kind().word().to_string(),
            },
        }
    }

    /// Comparator name for data files.
    pub fn comparator_code(&self) -> &'static str {
        self.comparator.kind().code()
    }
}

/// The kind of a withdrawal rule, without its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithdrawalKind {
    Below,
    AtMost,
    Above,
    AtLeast,
    BelowShareOfPrevious,
    NoDecrease,
    Qualitative,
}

impl WithdrawalKind {
    /// Every kind, in the order messages list them.
    pub const ALL: [WithdrawalKind; 7] = [
        WithdrawalKind::Below,
        WithdrawalKind::AtMost,
        WithdrawalKind::Above,
        WithdrawalKind::AtLeast,
        WithdrawalKind::BelowShareOfPrevious,
        WithdrawalKind::NoDecrease,
        WithdrawalKind::Qualitative,
    ];
    const WORDS: [[&'static str; 1]; 7] = {
        let mut words = [[""]; 7];
        let mut i = 0;
        while i < words.len() {
            words[i] = [WithdrawalKind::ALL[i].word()];
            i += 1;
        }
        words
    };
    /// For an error message: 「one of 未満, 以下, …」.
    pub const EXPECTED: &'static str = joined!("one of ", WithdrawalKind::WORDS, ", ");
    const LEGEND: [[&'static str; 4]; 7] = {
        let mut legend = [[""; 4]; 7];
        let mut i = 0;
        while i < legend.len() {
            let k = WithdrawalKind::ALL[i];
            legend[i] = [k.code(), "（", k.words().2, "）"];
            i += 1;
        }
        legend
    };
    /// For a data dictionary: 「`below`（未満）、`at_most`（以下）、…」.
    pub const DATA_LEGEND: &'static str = joined!("", WithdrawalKind::LEGEND, "、");

    /// The one definition of each rule: the word in content (`comparator = "未満"`), the code
    /// in data files, what the code means (for a data dictionary), and what its `value` is
    /// measured in (`None`: it takes none).
    const fn words(self) -> (&'static str, &'static str, &'static str, Option<ValueUnit>) {
        use ValueUnit::{Indicator, Percent};
        match self {
            WithdrawalKind::Below => ("未満", "below", "未満", Some(Indicator)),
            WithdrawalKind::AtMost => ("以下", "at_most", "以下", Some(Indicator)),
            WithdrawalKind::Above => ("超", "above", "超", Some(Indicator)),
            WithdrawalKind::AtLeast => ("以上", "at_least", "以上", Some(Indicator)),
            WithdrawalKind::BelowShareOfPrevious => {
                ("前年度比未満", "below_share_of_previous", "前年度の値の withdrawal_value ％未満", Some(Percent))
            }
            WithdrawalKind::NoDecrease => ("前年度より減少せず", "no_decrease", "前年度より減少せず", None),
            WithdrawalKind::Qualitative => ("定性", "qualitative", "定性", None),
        }
    }

    /// Reads the word content writes (`comparator = "未満"`).
    pub fn parse(s: &str) -> Option<WithdrawalKind> {
        let s = s.trim();
        WithdrawalKind::ALL.into_iter().find(|k| k.word() == s)
    }
    /// The word in content: 「未満」.
    pub const fn word(self) -> &'static str {
        self.words().0
    }
    /// The code in data files: `below`.
    pub const fn code(self) -> &'static str {
        self.words().1
    }
    /// What the rule's `value` is measured in; `None` when it takes no `value`.
    pub const fn value_unit(self) -> Option<ValueUnit> {
        self.words().3
    }
}

/// The rule of a withdrawal criterion (撤退基準): when it is triggered.
#[derive(Debug, Clone, PartialEq)]
pub enum WithdrawalRule {
    /// 「…未満であった場合」
    Below(Quantity),
    /// 「…以下の場合」
    AtMost(Quantity),
    /// For lower-is-better measures: 「…を超えた場合」
    Above(Quantity),
    /// For lower-is-better measures: 「…以上の場合」
    AtLeast(Quantity),
    /// 「前年度実績の80％を下回った場合」: below this share of the previous year's value.
    BelowShareOfPrevious(Quantity),
    /// 「前年と比して減少していない場合」
    NoDecrease,
    /// Stated in words only.
    Qualitative,
}

impl WithdrawalRule {
    pub const EXPECTED: &'static str = WithdrawalKind::EXPECTED;

    /// A rule of `kind` with its value; `None` when `kind` needs a value and it is missing
    /// (a value it does not take is ignored).
    pub fn new(kind: WithdrawalKind, value: Option<Quantity>) -> Option<WithdrawalRule> {
        Some(match kind {
            WithdrawalKind::Below => WithdrawalRule::Below(value?),
            WithdrawalKind::AtMost => WithdrawalRule::AtMost(value?),
            WithdrawalKind::Above => WithdrawalRule::Above(value?),
            WithdrawalKind::AtLeast => WithdrawalRule::AtLeast(value?),
            WithdrawalKind::BelowShareOfPrevious => WithdrawalRule::BelowShareOfPrevious(value?),
            WithdrawalKind::NoDecrease => WithdrawalRule::NoDecrease,
            WithdrawalKind::Qualitative => WithdrawalRule::Qualitative,
        })
    }

    pub fn kind(&self) -> WithdrawalKind {
        match self {
            WithdrawalRule::Below(_) => WithdrawalKind::Below,
            WithdrawalRule::AtMost(_) => WithdrawalKind::AtMost,
            WithdrawalRule::Above(_) => WithdrawalKind::Above,
            WithdrawalRule::AtLeast(_) => WithdrawalKind::AtLeast,
            WithdrawalRule::BelowShareOfPrevious(_) => WithdrawalKind::BelowShareOfPrevious,
            WithdrawalRule::NoDecrease => WithdrawalKind::NoDecrease,
            WithdrawalRule::Qualitative => WithdrawalKind::Qualitative,
        }
    }

    /// The code in data files: `below`, `no_decrease`…
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The `value` it was stated with (for 前年度比未満 the share, in ％).
    pub fn value(&self) -> Option<&Quantity> {
        match self {
            WithdrawalRule::Below(q)
            | WithdrawalRule::AtMost(q)
            | WithdrawalRule::Above(q)
            | WithdrawalRule::AtLeast(q)
            | WithdrawalRule::BelowShareOfPrevious(q) => Some(q),
            WithdrawalRule::NoDecrease | WithdrawalRule::Qualitative => None,
        }
    }
}

/// 撤退基準: the level at which an initiative is rebuilt or stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct WithdrawalCriterion {
    pub text: String,
    pub rule: WithdrawalRule,
    /// The indicator (of the initiative) it applies to.
    pub indicator: Option<super::IndicatorId>,
}

impl WithdrawalCriterion {
    /// The criterion of `criteria` that applies to `indicator` (one naming it, or one naming
    /// none) and has a numeric threshold given the previous year's value.
    pub fn applicable<'a>(
        criteria: &'a [WithdrawalCriterion],
        indicator: &super::IndicatorId,
        previous: Option<f64>,
    ) -> Option<&'a WithdrawalCriterion> {
        criteria.iter().find(|w| w.indicator.as_ref().is_none_or(|i| i == indicator) && w.threshold(previous).is_some())
    }

    /// The numeric threshold, given the previous year's value where it is relative.
    pub fn threshold(&self, previous: Option<f64>) -> Option<f64> {
        match &self.rule {
            WithdrawalRule::Below(q)
            | WithdrawalRule::AtMost(q)
            | WithdrawalRule::Above(q)
            | WithdrawalRule::AtLeast(q) => Some(q.value),
            WithdrawalRule::BelowShareOfPrevious(share) => previous.map(|p| p * share.value / 100.0),
            WithdrawalRule::NoDecrease => previous,
            WithdrawalRule::Qualitative => None,
        }
    }

    /// Whether `value` falls on the wrong side of the criterion.
    pub fn is_triggered(&self, value: f64, previous: Option<f64>) -> Option<bool> {
        let t = self.threshold(previous)?;
        Some(match self.rule {
            WithdrawalRule::Below(_) | WithdrawalRule::BelowShareOfPrevious(_) => value < t,
            WithdrawalRule::AtMost(_) => value <= t,
            WithdrawalRule::Above(_) => value > t,
            WithdrawalRule::AtLeast(_) | WithdrawalRule::NoDecrease => value >= t,
            WithdrawalRule::Qualitative => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(v: f64, unit: &str) -> Quantity {
        Quantity { value: v, decimals: 0, unit: unit.into() }
    }

    fn target(c: Comparator) -> Target {
        Target { text: String::new(), comparator: c, deadline: Some(FiscalYear(2017)) }
    }

    #[test]
    fn higher_is_better_targets() {
        let t = target(Comparator::AtLeast(q(50.0, "％")));
        assert_eq!(t.direction(), Some(Direction::Higher));
        assert_eq!(t.is_met(81.0, None), Some(true));
        assert_eq!(t.is_met(50.0, None), Some(true));
        assert_eq!(t.is_met(37.4, None), Some(false));
        assert_eq!(t.short(), "50％以上");
    }

    #[test]
    fn lower_is_better_targets() {
        let zero = target(Comparator::Zero);
        assert_eq!(zero.direction(), Some(Direction::Lower));
        assert_eq!(zero.is_met(3.0, None), Some(false));
        assert_eq!(zero.is_met(0.0, None), Some(true));
        let below = target(Comparator::Below(q(10.0, "件")));
        assert_eq!(below.is_met(10.0, None), Some(false));
        assert_eq!(below.is_met(9.0, None), Some(true));
    }

    #[test]
    fn each_comparator_meets_its_target_at_the_right_side_of_the_boundary() {
        let met = |c: Comparator, v: f64, previous: Option<f64>| target(c).is_met(v, previous);
        // 超: strictly more; 以下: equal or less; 前年度より減: strictly less than last year.
        for (v, want) in [(49.0, false), (50.0, false), (51.0, true)] {
            assert_eq!(met(Comparator::MoreThan(q(50.0, "％")), v, None), Some(want), "超 {v}");
        }
        for (v, want) in [(9.0, true), (10.0, true), (11.0, false)] {
            assert_eq!(met(Comparator::AtMost(q(10.0, "件")), v, None), Some(want), "以下 {v}");
        }
        for (v, want) in [(99.0, true), (100.0, false), (101.0, false)] {
            assert_eq!(met(Comparator::DecreaseOnPrevious, v, Some(100.0)), Some(want), "前年度より減 {v}");
        }
    }

    #[test]
    fn relative_targets_need_the_previous_year() {
        let t = target(Comparator::IncreaseOnPrevious);
        assert_eq!(t.is_met(2750.0, Some(2700.0)), Some(true));
        assert_eq!(t.is_met(2600.0, Some(2700.0)), Some(false));
        assert_eq!(t.is_met(2750.0, None), None);
        let r = target(Comparator::ReductionFromBase { percent: q(35.0, "％"), base: FiscalYear(2013) });
        assert_eq!(r.is_met(29.0, None), Some(false));
        assert_eq!(r.short(), "平成25年度比35％削減");
    }

    #[test]
    fn each_comparator_is_read_and_written_from_one_definition() {
        let codes: Vec<&str> = ComparatorKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            [
                "at_least",
                "reach",
                "more_than",
                "at_most",
                "below",
                "zero",
                "increase_on_previous",
                "decrease_on_previous",
                "reduction_from_base",
                "qualitative"
            ]
        );
        for kind in ComparatorKind::ALL {
            assert_eq!(ComparatorKind::parse(kind.word()), Some(kind));
            let value = kind.value_unit().map(|u| q(5.0, u.of("件")));
            let c = Comparator::new(kind, value, Some(FiscalYear(2013))).unwrap();
            assert_eq!(c.kind(), kind);
            assert_eq!(c.value().is_some(), kind.value_unit().is_some());
            let t = target(c);
            assert_eq!((t.comparator_code(), t.direction()), (kind.code(), kind.direction()));
        }
        assert_eq!(ComparatorKind::parse(" 以上 "), Some(ComparatorKind::AtLeast));
        assert_eq!(ComparatorKind::parse("以上です"), None);
        assert_eq!(Comparator::new(ComparatorKind::AtLeast, None, None), None);
        assert_eq!(Comparator::new(ComparatorKind::ReductionFromBase, Some(q(35.0, "％")), None), None);
        assert_eq!(ComparatorKind::ReductionFromBase.value_unit().map(|u| u.of("件")), Some("％"));
        let shorts: Vec<String> = [
            Comparator::Reach(q(100.0, "％")),
            Comparator::MoreThan(q(3.0, "件")),
            Comparator::AtMost(q(10.0, "人")),
            Comparator::DecreaseOnPrevious,
            Comparator::Qualitative,
        ]
        .into_iter()
        .map(|c| Target { text: "仕組みを立ち上げる".into(), ..target(c) }.short())
        .collect();
        assert_eq!(shorts, ["100％", "3件超", "10人以下", "前年度より減", "仕組みを立ち上げる"]);
    }

    #[test]
    fn each_withdrawal_rule_is_read_and_written_from_one_definition() {
        let codes: Vec<&str> = WithdrawalKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            ["below", "at_most", "above", "at_least", "below_share_of_previous", "no_decrease", "qualitative"]
        );
        for kind in WithdrawalKind::ALL {
            assert_eq!(WithdrawalKind::parse(kind.word()), Some(kind));
            let rule = WithdrawalRule::new(kind, kind.value_unit().map(|u| q(80.0, u.of("人")))).unwrap();
            assert_eq!((rule.kind(), rule.code()), (kind, kind.code()));
            assert_eq!(rule.value().is_some(), kind.value_unit().is_some());
        }
        assert_eq!(WithdrawalKind::BelowShareOfPrevious.value_unit().map(|u| u.of("人")), Some("％"));
        assert_eq!(WithdrawalRule::new(WithdrawalKind::Below, None), None);
        assert_eq!(WithdrawalRule::Below(q(30.0, "％")).value(), Some(&q(30.0, "％")));
    }

    #[test]
    fn data_dictionary_legends_are_made_from_the_vocabulary() {
        assert_eq!(
            ComparatorKind::DATA_LEGEND,
            "at_least（以上）、reach（目標値に達すること。原資料が「100％」のように値だけを示すもの）、more_than（超）、at_most（以下）、below（未満）、zero（ゼロ）、increase_on_previous（前年度より増）、decrease_on_previous（前年度より減）、reduction_from_base（基準年度比削減。値は削減率％）、qualitative（定性的な目標）"
        );
        assert_eq!(
            WithdrawalKind::DATA_LEGEND,
            "below（未満）、at_most（以下）、above（超）、at_least（以上）、below_share_of_previous（前年度の値の withdrawal_value ％未満）、no_decrease（前年度より減少せず）、qualitative（定性）"
        );
        assert_eq!(Direction::DATA_LEGEND, "higher（値が大きいほどよい）または lower（値が小さいほどよい）");
    }

    #[test]
    fn directions_in_content_data_and_pages() {
        for (words, d) in
            [("higher", Direction::Higher), (" 高いほどよい", Direction::Higher), ("低いほどよい", Direction::Lower)]
        {
            assert_eq!(Direction::parse(words), Some(d));
        }
        assert_eq!(Direction::parse("up"), None);
        assert_eq!((Direction::Lower.code(), Direction::Lower.label()), ("lower", "値が小さいほどよい"));
        assert_eq!(serde_json::to_string(&Direction::ALL).unwrap(), r#"["higher","lower"]"#);
    }

    #[test]
    fn withdrawal_thresholds() {
        let w = WithdrawalCriterion {
            text: String::new(),
            rule: WithdrawalRule::BelowShareOfPrevious(q(80.0, "％")),
            indicator: None,
        };
        assert_eq!(w.threshold(Some(2700.0)), Some(2160.0));
        assert_eq!(w.is_triggered(2750.0, Some(2700.0)), Some(false));
        assert_eq!(w.is_triggered(2000.0, Some(2700.0)), Some(true));
        let w =
            WithdrawalCriterion { text: String::new(), rule: WithdrawalRule::Below(q(30.0, "％")), indicator: None };
        assert_eq!(w.is_triggered(29.9, None), Some(true));
        let w = WithdrawalCriterion { text: String::new(), rule: WithdrawalRule::NoDecrease, indicator: None };
        assert_eq!(w.is_triggered(3.0, Some(14.0)), Some(false));
        assert_eq!(w.is_triggered(14.0, Some(14.0)), Some(true));
        // 以下 triggers at the threshold, 超 only above it.
        let w = |rule| WithdrawalCriterion { text: String::new(), rule, indicator: None };
        for (v, want) in [(29.0, true), (30.0, true), (31.0, false)] {
            assert_eq!(w(WithdrawalRule::AtMost(q(30.0, "人"))).is_triggered(v, None), Some(want), "以下 {v}");
        }
        for (v, want) in [(29.0, false), (30.0, false), (31.0, true)] {
            assert_eq!(w(WithdrawalRule::Above(q(30.0, "件"))).is_triggered(v, None), Some(want), "超 {v}");
        }
    }
}
