//! Proof-reading: what a careful reader of the source would query. Each rule compares two
//! things a report says that should agree, and warns (naming both places) when they do not;
//! the build goes on, `--deny-warnings` stops it. A value the source itself prints with
//! figures that contradict it is recorded as printed, with a note, and `as_printed = true`.

use super::quantity::Unit;
use super::quantity::{Measured, format_number};
use super::rating::{Achievement, AchievementLevel, Code};
use super::{IndicatorId, Initiative, Measurement, Site, Survey};
use crate::error::Warning;
use std::collections::BTreeSet;

/// Every proof-reading warning of the site, in content order.
pub fn proofread(site: &Site) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for at in site.reports() {
        let r = at.report;
        let measurements =
            r.goals.iter().flat_map(|g| &g.outcomes).chain(r.initiatives.iter().flat_map(|i| &i.indicators));
        for m in measurements.filter(|m| !m.as_printed) {
            for s in m.survey.iter().chain(&m.previous_survey) {
                warnings.extend(survey(s));
            }
            warnings.extend(share_above_100(m));
        }
        for i in &r.initiatives {
            warnings.extend(achievement(i));
        }
    }
    for city in &site.cities {
        for ward in &city.wards {
            warnings.extend(deadline_before_target(ward));
        }
    }
    warnings
}

/// A share (割合, in ％) above 100％: a misplaced decimal point or a swapped figure. Rates that
/// may pass 100 (前年度比, 達成率) are not shares and are left alone.
fn share_above_100(m: &Measurement) -> Option<Warning> {
    let share = m.indicator.unit.as_str() == Unit::PERCENT
        && (m.indicator.name.contains("割合") || m.measure.as_deref().is_some_and(|w| w.contains("割合")));
    let value = m.value.as_ref().and_then(Measured::number)?;
    (share && value > 100.0).then(|| Warning {
        span: m.value_span.clone(),
        message: format!(
            "{} is above 100％ for a share (「{}」); check the figure and its decimal point",
            m.value.as_ref().map(ToString::to_string).unwrap_or_default(),
            m.indicator.name
        ),
        other: None,
    })
}

/// A ward's own indicator whose target has a deadline before the first fiscal year that states
/// it (平成27年度までに… first given in the 平成28年度 report): most likely a mistyped year.
fn deadline_before_target(ward: &super::Ward) -> Vec<Warning> {
    let mut warnings = Vec::new();
    // (indicator, target text) already seen in an earlier report of the ward.
    let mut seen: BTreeSet<(&IndicatorId, &str)> = BTreeSet::new();
    for r in &ward.reports {
        let measurements =
            r.goals.iter().flat_map(|g| &g.outcomes).chain(r.initiatives.iter().flat_map(|i| &i.indicators));
        for m in measurements.filter(|m| !m.indicator.city_wide) {
            let Some(t) = &m.indicator.target else { continue };
            if !seen.insert((&m.indicator.id, t.text.as_str())) || m.as_printed {
                continue;
            }
            if let Some(deadline) = t.deadline.filter(|d| *d < r.fiscal_year) {
                warnings.push(Warning {
                    span: m.id_span.clone(),
                    message: format!(
                        "the target 「{}」 of `{}` has its deadline {} before {}, the first report that \
                         states it; check the deadline's year",
                        t.text,
                        m.indicator.id,
                        deadline.label(),
                        r.fiscal_year.label()
                    ),
                    other: None,
                });
            }
        }
    }
    warnings
}

/// A survey's figures agree: no more answers than people asked, and a response rate (回収率)
/// that is answered ÷ asked to the decimals printed.
fn survey(s: &Survey) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let [asked_at, answered_at, rate_at] = &s.spans;
    let (Some(asked), Some(answered)) = (s.asked, s.answered) else { return warnings };
    if let (Some(asked_at), Some(answered_at)) = (asked_at, answered_at)
        && answered > asked
    {
        warnings.push(Warning {
            span: answered_at.clone(),
            message: format!(
                "{} answered, more than the {} asked in survey 「{}」",
                format_number(f64::from(answered), 0),
                format_number(f64::from(asked), 0),
                s.name
            ),
            other: Some((asked_at.clone(), "asked")),
        });
    }
    if let (Some(rate), Some(rate_at), Some(answered_at)) = (&s.response_rate, rate_at, answered_at)
        && asked > 0
    {
        let computed = f64::from(answered) / f64::from(asked) * 100.0;
        // The printed rate is rounded to its decimals: half a unit of the last one either way.
        let tolerance = 0.5 * 10f64.powi(-i32::from(rate.decimals)) + 1e-9;
        if (rate.value - computed).abs() > tolerance {
            warnings.push(Warning {
                span: rate_at.clone(),
                message: format!(
                    "回収率 {rate} is not answered ÷ asked: {} ÷ {} = {}％ in survey 「{}」",
                    format_number(f64::from(answered), 0),
                    format_number(f64::from(asked), 0),
                    format_number(computed, rate.decimals.max(1) + 1),
                    s.name
                ),
                other: Some((answered_at.clone(), "answered")),
            });
        }
    }
    warnings
}

/// An initiative's achievement code agrees with its indicators' values: no ① (目標達成) while
/// a value misses its target, and ③ (撤退基準未達成) wherever a value falls on the wrong side
/// of the withdrawal criterion (撤退基準).
fn achievement(i: &Initiative) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let (Some(code), Some(code_at)) = (i.achievement_code, &i.achievement_span) else { return warnings };
    for m in i.indicators.iter().filter(|m| !m.as_printed) {
        let Some(value) = m.value.as_ref().and_then(Measured::number) else { continue };
        let previous = m.previous.as_ref().and_then(Measured::number);
        let shown = m.value.as_ref().map(ToString::to_string).unwrap_or_default();
        let breached = i
            .withdrawals
            .iter()
            .filter(|w| w.indicator.as_ref().is_none_or(|id| *id == m.indicator.id))
            .find(|w| w.is_triggered(value, previous) == Some(true));
        if let Some(w) = breached
            && code.level() != AchievementLevel::BelowWithdrawal
        {
            warnings.push(warning(
                code,
                code_at,
                m,
                &format!("{shown} breaches the withdrawal criterion 「{}」, which is ③", w.text.trim()),
            ));
        } else if code.level() == AchievementLevel::Achieved
            && let Some(t) = &m.indicator.target
            && t.is_met(value, previous) == Some(false)
        {
            warnings.push(warning(code, code_at, m, &format!("{shown} misses the target 「{}」", t.text)));
        }
    }
    warnings
}

fn warning(code: Achievement, code_at: &crate::error::Span, m: &Measurement, why: &str) -> Warning {
    Warning {
        span: code_at.clone(),
        message: format!(
            "achievement code {} ({}) contradicts indicator `{}`: {why}; correct the code or the value",
            code.code(),
            code.meaning(),
            m.indicator.id
        ),
        other: Some((m.value_span.clone(), "the value")),
    }
}
