//! The overview, after `link`: how each report's goals and indicators stand (by the ward's
//! own rating and by the computed status of `link`, as of the report's year), what changed
//! since the ward's previous report, and which indicators stand in each status. Pure: reads the
//! model and the linked series; the overview pages (home, ward, what changed, status summary)
//! make their rows from it.

use crate::ja::FiscalYear;
use crate::link::{Linked, Point, Progress, Series};
use crate::model::rating::OutcomeRating;
use crate::model::target::{Direction, Target, WithdrawalCriterion};
use crate::model::{GoalId, Measurement, Report, ReportIn, SeriesKey, Ward};
use std::collections::BTreeSet;

/// One indicator as a report gives it (its own row for its year), with its one judgement.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub series: &'a Series,
    pub point: &'a Point,
    /// The computed status as of the report's year ([`Series::assessment_at`]).
    pub status: Progress,
    /// The ward's own rating (a goal's outcome only).
    pub rating: Option<OutcomeRating>,
    /// The goal it stands under: its own (an outcome) or its initiative's.
    pub goal: Option<&'a GoalId>,
    /// A goal's outcome (else an initiative's indicator).
    pub outcome: bool,
}

impl Entry<'_> {
    /// The ward's rating and the computed status say opposite things.
    pub fn disagrees(&self) -> bool {
        disagree(self.rating, self.status)
    }
}

/// Whether a rating and a status say opposite things (a status that says nothing agrees).
pub fn disagree(rating: Option<OutcomeRating>, status: Progress) -> bool {
    matches!(
        (rating, status.is_favourable()),
        (Some(OutcomeRating::OnTrack), Some(false)) | (Some(OutcomeRating::NotOnTrack), Some(true))
    )
}

/// Every measurement of a report with the goal it stands under, in the report's order: each
/// goal's outcomes, then the initiatives' indicators.
fn measurements(report: &Report) -> impl Iterator<Item = (&Measurement, Option<&GoalId>, bool)> {
    let outcomes = report.goals.iter().flat_map(|g| g.outcomes.iter().map(move |m| (m, Some(&g.id), true)));
    let initiatives =
        report.initiatives.iter().flat_map(|i| i.indicators.iter().map(move |m| (m, i.goal.as_ref(), false)));
    outcomes.chain(initiatives)
}

/// The indicators a report gives, each once (the first row that gives it), in its order.
pub fn entries<'a>(linked: &'a Linked, at: ReportIn<'a>) -> Vec<Entry<'a>> {
    let fy = at.report.fiscal_year;
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (m, goal, outcome) in measurements(at.report) {
        let Some(series) = linked.series(&at.city.id, &at.ward.id, &m.indicator.id) else { continue };
        let Some(point) = series.reported(fy) else { continue };
        if !seen.insert(&series.indicator.id) {
            continue;
        }
        out.push(Entry { series, point, status: series.assessment_at(fy).status, rating: point.rating, goal, outcome });
    }
    out
}

/// How a report's goals stand: by the ward's overall rating of each goal, and by the computed
/// status of its outcome indicators (on track when every one that can be judged is favourable
/// and one at least can; not on track when one is unfavourable).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct GoalStanding {
    pub goals: usize,
    pub rated_on_track: usize,
    pub rated_not_on_track: usize,
    pub unrated: usize,
    pub trend_on_track: usize,
    pub trend_not_on_track: usize,
    pub trend_unknown: usize,
}

pub fn goal_standing(linked: &Linked, at: ReportIn) -> GoalStanding {
    let entries = entries(linked, at);
    let mut s = GoalStanding { goals: at.report.goals.len(), ..GoalStanding::default() };
    for g in &at.report.goals {
        match g.outcome_rating {
            Some(OutcomeRating::OnTrack) => s.rated_on_track += 1,
            Some(OutcomeRating::NotOnTrack) => s.rated_not_on_track += 1,
            None => s.unrated += 1,
        }
        let verdicts: Vec<bool> = entries
            .iter()
            .filter(|e| e.outcome && e.goal == Some(&g.id))
            .filter_map(|e| e.status.is_favourable())
            .collect();
        if verdicts.contains(&false) {
            s.trend_not_on_track += 1;
        } else if verdicts.is_empty() {
            s.trend_unknown += 1;
        } else {
            s.trend_on_track += 1;
        }
    }
    s
}

/// The report before `at` in its ward, if any.
pub fn previous_report<'a>(ward: &'a Ward, report: &Report) -> Option<&'a Report> {
    ward.reports.iter().rev().find(|r| r.fiscal_year < report.fiscal_year).map(|r| &**r)
}

/// What changed in a report against the ward's previous report.
#[derive(Debug, Default)]
pub struct Changes<'a> {
    pub previous: Option<FiscalYear>,
    /// Goals whose overall rating changed: (goal, before, after).
    pub goal_ratings: Vec<(&'a GoalId, &'a str, Option<OutcomeRating>, Option<OutcomeRating>)>,
    /// Indicators whose own rating changed: (series, before, after).
    pub ratings: Vec<(&'a Series, Option<OutcomeRating>, Option<OutcomeRating>)>,
    /// Values that moved, better or worse by the indicator's good direction.
    pub values: Vec<ValueChange<'a>>,
    /// Targets or deadlines revised: (series, before, after).
    pub targets: Vec<(&'a Series, &'a Target, &'a Target)>,
    pub added: Vec<&'a Series>,
    pub dropped: Vec<&'a Series>,
    /// Withdrawal criteria breached now and not in the previous report: (series, criterion, value).
    pub withdrawals: Vec<(&'a Series, &'a WithdrawalCriterion, &'a Point)>,
}

#[derive(Debug)]
pub struct ValueChange<'a> {
    pub series: &'a Series,
    pub before: &'a Point,
    pub after: &'a Point,
    /// True: better; false: worse; `None`: no good direction is known, or `broken`.
    pub better: Option<bool>,
    /// A series break between the two years: the values are not comparable.
    pub broken: bool,
}

impl Changes<'_> {
    pub fn is_empty(&self) -> bool {
        self.goal_ratings.is_empty()
            && self.ratings.is_empty()
            && self.values.is_empty()
            && self.targets.is_empty()
            && self.added.is_empty()
            && self.dropped.is_empty()
            && self.withdrawals.is_empty()
    }
}

/// The withdrawal criterion that applies to an initiative's indicator and is met by `value`
/// (with the year before), as the progress bar judges it.
pub fn breached<'a>(
    withdrawals: &'a [WithdrawalCriterion],
    m: &Measurement,
    value: f64,
    previous: Option<f64>,
) -> Option<&'a WithdrawalCriterion> {
    withdrawals
        .iter()
        .filter(|w| w.indicator.as_ref().is_none_or(|i| *i == m.indicator.id) && w.threshold(previous).is_some())
        .find(|w| w.is_triggered(value, previous) == Some(true))
}

/// The criteria of a report breached by its indicators' values: (series, criterion, point).
fn breaches<'a>(linked: &'a Linked, at: ReportIn<'a>) -> Vec<(&'a Series, &'a WithdrawalCriterion, &'a Point)> {
    let mut out = Vec::new();
    for i in &at.report.initiatives {
        for m in &i.indicators {
            let Some(series) = linked.series(&at.city.id, &at.ward.id, &m.indicator.id) else { continue };
            let Some(point) = series.reported(at.report.fiscal_year) else { continue };
            let Some(value) = point.number() else { continue };
            let previous = m.previous.as_ref().and_then(crate::model::quantity::Measured::number);
            if let Some(w) = breached(&i.withdrawals, m, value, previous) {
                out.push((series, w, point));
            }
        }
    }
    out
}

fn key(s: &Series) -> SeriesKey {
    SeriesKey { city: s.city.clone(), ward: s.ward.clone(), indicator: s.indicator.id.clone() }
}

/// What changed in `at` against the ward's previous report (`None` for its first report).
pub fn changes<'a>(linked: &'a Linked, at: ReportIn<'a>) -> Option<Changes<'a>> {
    let before_report = previous_report(at.ward, at.report)?;
    let before_at = ReportIn { report: before_report, ..at };
    let (now, then) = (entries(linked, at), entries(linked, before_at));
    let mut c = Changes { previous: Some(before_report.fiscal_year), ..Changes::default() };
    for g in &at.report.goals {
        if let Some(old) = before_report.goal(&g.id)
            && old.outcome_rating != g.outcome_rating
        {
            c.goal_ratings.push((&g.id, g.title.as_str(), old.outcome_rating, g.outcome_rating));
        }
    }
    let then_keys: BTreeSet<SeriesKey> = then.iter().map(|e| key(e.series)).collect();
    let now_keys: BTreeSet<SeriesKey> = now.iter().map(|e| key(e.series)).collect();
    for e in &now {
        let Some(old) = then.iter().find(|o| std::ptr::eq(o.series, e.series)) else {
            if !then_keys.contains(&key(e.series)) {
                c.added.push(e.series);
            }
            continue;
        };
        if old.rating != e.rating {
            c.ratings.push((e.series, old.rating, e.rating));
        }
        if let (Some(a), Some(b)) = (old.point.number(), e.point.number())
            && (a - b).abs() > 1e-9
        {
            let def = &e.series.indicator;
            let direction = def.direction.or(e.point.target.as_ref().and_then(Target::direction));
            // A break between the two years: the values are not comparable.
            let broken = e
                .series
                .points
                .iter()
                .any(|p| p.year > old.point.year && p.year <= e.point.year && p.break_before.is_some());
            let better = if broken { None } else { direction.map(|d| (b > a) == (d == Direction::Higher)) };
            c.values.push(ValueChange { series: e.series, before: old.point, after: e.point, better, broken });
        }
        if let (Some(a), Some(b)) = (&old.point.target, &e.point.target)
            && (a.text != b.text || a.deadline != b.deadline || a.comparator != b.comparator)
        {
            c.targets.push((e.series, a, b));
        }
    }
    c.dropped = then.iter().filter(|o| !now_keys.contains(&key(o.series))).map(|o| o.series).collect();
    let breached_before: Vec<SeriesKey> = breaches(linked, before_at).iter().map(|(s, _, _)| key(s)).collect();
    c.withdrawals = breaches(linked, at).into_iter().filter(|(s, _, _)| !breached_before.contains(&key(s))).collect();
    Some(c)
}

/// What a status summary counts and a list page lists: a computed status or a self-rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Status(Progress),
    Rated(Option<OutcomeRating>),
}

impl Standing {
    /// Every standing, in the order of the summary's columns.
    pub const ALL: [Standing; 11] = [
        Standing::Status(Progress::Achieved),
        Standing::Status(Progress::OnTrack),
        Standing::Status(Progress::NeedsAcceleration),
        Standing::Status(Progress::Limited),
        Standing::Status(Progress::Worsening),
        Standing::Status(Progress::MissedDeadline),
        Standing::Status(Progress::InsufficientData),
        Standing::Status(Progress::NotAssessable),
        Standing::Rated(Some(OutcomeRating::OnTrack)),
        Standing::Rated(Some(OutcomeRating::NotOnTrack)),
        Standing::Rated(None),
    ];

    /// The folder of its list page (docs/urls.md): stable, from the code of the status.
    pub fn slug(self) -> &'static str {
        match self {
            Standing::Status(p) => p.slug(),
            Standing::Rated(Some(OutcomeRating::OnTrack)) => "rated-a",
            Standing::Rated(Some(OutcomeRating::NotOnTrack)) => "rated-b",
            Standing::Rated(None) => "unrated",
        }
    }

    /// The standing whose list page is at `slug` (the reverse of [`Standing::slug`]).
    pub fn from_slug(slug: &str) -> Option<Standing> {
        Standing::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// Its name for a reader.
    pub fn label(self) -> &'static str {
        match self {
            Standing::Status(p) => p.label(),
            Standing::Rated(Some(OutcomeRating::OnTrack)) => "区の評価 A（順調）",
            Standing::Rated(Some(OutcomeRating::NotOnTrack)) => "区の評価 B（順調でない）",
            Standing::Rated(None) => "区の評価なし",
        }
    }

    pub fn holds(self, e: &Entry) -> bool {
        match self {
            Standing::Status(p) => e.status == p,
            Standing::Rated(r) => e.rating == r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_distinct() {
        let slugs: BTreeSet<&str> = Standing::ALL.iter().map(|s| s.slug()).collect();
        assert_eq!(slugs.len(), Standing::ALL.len());
        for s in Standing::ALL {
            assert_eq!(Standing::from_slug(s.slug()), Some(s));
        }
        assert_eq!(Standing::from_slug("index"), None);
    }

    #[test]
    fn only_opposite_verdicts_disagree() {
        assert!(disagree(Some(OutcomeRating::OnTrack), Progress::Worsening));
        assert!(disagree(Some(OutcomeRating::NotOnTrack), Progress::Achieved));
        assert!(!disagree(Some(OutcomeRating::OnTrack), Progress::NotAssessable));
        assert!(!disagree(None, Progress::Worsening));
    }
}
