//! Targets (目標) and withdrawal criteria (撤退基準): comparison in both directions.

use super::quantity::Quantity;
use super::year::FiscalYear;

/// Which way is good for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    /// e.g. 保育所待機児童数 (target ゼロ).
    Lower,
}

impl Direction {
    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim() {
            "higher" | "高いほどよい" => Some(Direction::Higher),
            "lower" | "低いほどよい" => Some(Direction::Lower),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Direction::Higher => "値が大きいほどよい",
            Direction::Lower => "値が小さいほどよい",
        }
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
    pub const EXPECTED: &'static str =
        "one of 以上, 到達, 超, 以下, 未満, ゼロ, 前年度より増, 前年度より減, 基準年度比削減, 定性";
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
        match self.comparator {
            Comparator::AtLeast(_)
            | Comparator::Reach(_)
            | Comparator::MoreThan(_)
            | Comparator::IncreaseOnPrevious
            | Comparator::ReductionFromBase { .. } => Some(Direction::Higher),
            Comparator::AtMost(_) | Comparator::Below(_) | Comparator::Zero | Comparator::DecreaseOnPrevious => {
                Some(Direction::Lower)
            }
            Comparator::Qualitative => None,
        }
    }

    /// The numeric level of the target, given the previous year's value where the target is relative.
    pub fn level(&self, previous: Option<f64>) -> Option<f64> {
        match &self.comparator {
            Comparator::AtLeast(q)
            | Comparator::Reach(q)
            | Comparator::MoreThan(q)
            | Comparator::AtMost(q)
            | Comparator::Below(q) => Some(q.value),
            Comparator::ReductionFromBase { percent, .. } => Some(percent.value),
            Comparator::Zero => Some(0.0),
            Comparator::IncreaseOnPrevious | Comparator::DecreaseOnPrevious => previous,
            Comparator::Qualitative => None,
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
            Comparator::AtLeast(q) => format!("{q}以上"),
            Comparator::Reach(q) => q.to_string(),
            Comparator::MoreThan(q) => format!("{q}超"),
            Comparator::AtMost(q) => format!("{q}以下"),
            Comparator::Below(q) => format!("{q}未満"),
            Comparator::Zero => "ゼロ".into(),
            Comparator::IncreaseOnPrevious => "前年度より増".into(),
            Comparator::DecreaseOnPrevious => "前年度より減".into(),
            Comparator::ReductionFromBase { percent, base } => format!("{}比{percent}削減", base.era_label()),
            Comparator::Qualitative => self.text.clone(),
        }
    }

    /// Comparator name for data files.
    pub fn comparator_code(&self) -> &'static str {
        match self.comparator {
            Comparator::AtLeast(_) => "at_least",
            Comparator::Reach(_) => "reach",
            Comparator::MoreThan(_) => "more_than",
            Comparator::AtMost(_) => "at_most",
            Comparator::Below(_) => "below",
            Comparator::Zero => "zero",
            Comparator::IncreaseOnPrevious => "increase_on_previous",
            Comparator::DecreaseOnPrevious => "decrease_on_previous",
            Comparator::ReductionFromBase { .. } => "reduction_from_base",
            Comparator::Qualitative => "qualitative",
        }
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
    pub const EXPECTED: &'static str = "one of 未満, 以下, 超, 以上, 前年度比未満, 前年度より減少せず, 定性";
}

/// 撤退基準: the level at which an initiative is rebuilt or stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct WithdrawalCriterion {
    pub text: String,
    pub rule: WithdrawalRule,
    /// The indicator (of the initiative) it applies to.
    pub indicator: Option<String>,
}

impl WithdrawalCriterion {
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
    }
}
