//! Identity across years and wards: each indicator's series, its progress, and the
//! city-wide comparisons. Pure: reads the model, returns data.

use crate::error::{Error, Errors, Span, Warning};
use crate::ja::FiscalYear;
use crate::model::quantity::Measured;
use crate::model::quantity::axis_max;
use crate::model::rating::{Code, OutcomeRating};
use crate::model::target::{Comparator, Direction, Target, WithdrawalCriterion};
use crate::model::{
    City, CityId, GoalId, IndicatorDef, IndicatorId, InitiativeId, Measurement, RatedWith, Report, SeriesKey, Site,
    Survey, UNCERTAIN, Ward, WardFingerprint, WardId,
};
use std::collections::BTreeMap;
use std::collections::BTreeSet;

/// One fiscal year's value in a series.
#[derive(Debug, Clone)]
pub struct Point {
    pub year: FiscalYear,
    /// The value; `None` when the report gives the year's row without one (a rating or a
    /// note only): still an observation.
    pub value: Option<Measured>,
    pub rating: Option<OutcomeRating>,
    /// The target in force in the report that gave this value.
    pub target: Option<Target>,
    /// Set when this value is not comparable with the one before it (設問変更 etc.).
    pub break_before: Option<String>,
    /// Set when content declared this value as a correction of another report's.
    pub correction: Option<String>,
    /// The survey behind the value: the report's own for its year, or the one it gives for its
    /// 前年度 column (`previous_survey`).
    pub survey: Option<Survey>,
    /// The source prints the rating once for this outcome and another one (counted once).
    pub rated_with: Option<RatedWith>,
    /// Why the reading of the value (or its rating or code) is uncertain.
    pub uncertain: Option<String>,
    pub notes: Vec<String>,
    pub source_ref: Option<String>,
    /// The fiscal year of the report the value was taken from.
    pub reported_in: FiscalYear,
    /// True when it is a report's 前年度 column.
    pub from_previous_column: bool,
    /// Where the value stands in that report.
    pub row: Row,
    /// Every row of that report that gives the value (`row` first): a goal's outcome, an
    /// initiative's indicator, or both, each with its own target, codes and notes.
    pub places: Vec<Row>,
}

/// How pages show a year's row that gives no value (as the report cards do).
pub const NO_VALUE: &str = "記載なし";

impl Point {
    /// The value as pages print it: 「81％」, 「―」, or 「記載なし」 when the row gives none.
    pub fn label(&self) -> String {
        self.value.as_ref().map_or_else(|| NO_VALUE.to_string(), ToString::to_string)
    }
    /// The number, when the value is one.
    pub fn number(&self) -> Option<f64> {
        self.value.as_ref().and_then(Measured::number)
    }
    /// The notes of the value, in reading order. `with_survey`: pages print the survey among
    /// them; data files have columns of their own for it.
    pub fn notes(&self, with_survey: bool) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(b) = &self.break_before {
            notes.push(format!("系列の断絶：{b}"));
        }
        if let Some(c) = &self.correction {
            notes.push(format!("訂正：{c}"));
        }
        if self.from_previous_column {
            notes.push(format!("{}の報告の「前年度」欄の値", self.reported_in.label()));
        }
        if let Some(u) = &self.uncertain {
            notes.push(format!("{UNCERTAIN}：{u}"));
        }
        if let Some(w) = &self.rated_with {
            notes.push(w.words());
        }
        if with_survey && let Some(sv) = &self.survey {
            notes.push(sv.describe());
        }
        notes.extend(self.notes.iter().cloned());
        if let Some(r) = &self.source_ref {
            notes.push(format!("出典箇所：{r}"));
        }
        notes
    }
}

/// The row of a report a value stands in: a goal's outcome or an initiative's indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A goal's outcome, with the indicator id as that report has it (before any rename).
    Goal { goal: GoalId, indicator: IndicatorId },
    /// An initiative's indicator, with the indicator id as that report has it.
    Initiative { initiative: InitiativeId, indicator: IndicatorId },
}

/// The computed progress status (Statistics Canada / Open SDG compound-growth method).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    Achieved,
    OnTrack,
    NeedsAcceleration,
    Limited,
    Worsening,
    /// The deadline has passed without the target being met.
    MissedDeadline,
    /// One point, or none since the last break.
    InsufficientData,
    /// The target is qualitative, relative or has no deadline.
    NotAssessable,
}

impl Progress {
    pub fn label(self) -> &'static str {
        match self {
            Progress::Achieved => "目標達成",
            Progress::OnTrack => "順調（期限までに達成の見込み）",
            Progress::NeedsAcceleration => "加速が必要",
            Progress::Limited => "進捗が限定的",
            Progress::Worsening => "悪化",
            Progress::MissedDeadline => "期限までに未達成",
            Progress::InsufficientData => "データ不足（判定できません）",
            Progress::NotAssessable => "判定対象外",
        }
    }
    /// Its folder in status list URLs (docs/urls.md): `on-track`, `missed-deadline`….
    pub fn slug(self) -> &'static str {
        match self {
            Progress::Achieved => "achieved",
            Progress::OnTrack => "on-track",
            Progress::NeedsAcceleration => "needs-acceleration",
            Progress::Limited => "limited",
            Progress::Worsening => "worsening",
            Progress::MissedDeadline => "missed-deadline",
            Progress::InsufficientData => "insufficient-data",
            Progress::NotAssessable => "not-assessable",
        }
    }
    /// Whether the status supports a rating of A (順調); `None` when it says nothing.
    pub fn is_favourable(self) -> Option<bool> {
        match self {
            Progress::Achieved | Progress::OnTrack => Some(true),
            Progress::NeedsAcceleration | Progress::Limited | Progress::Worsening | Progress::MissedDeadline => {
                Some(false)
            }
            Progress::InsufficientData | Progress::NotAssessable => None,
        }
    }
}

/// The progress result with the figures that justify it.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub status: Progress,
    /// Observed / required growth, when computed.
    pub ratio: Option<f64>,
    pub base: Option<(FiscalYear, f64)>,
    pub latest: Option<(FiscalYear, f64)>,
}

/// The assessment of a year without a value.
static NO_DATA: Assessment = Assessment { status: Progress::InsufficientData, ratio: None, base: None, latest: None };

/// An indicator of one ward across every fiscal year.
#[derive(Debug, Clone)]
pub struct Series {
    pub city: CityId,
    pub ward: WardId,
    /// The newest definition (name, unit, target) of the indicator.
    pub indicator: IndicatorDef,
    /// Ids this indicator had before (declared with `continues`).
    pub former_ids: Vec<IndicatorId>,
    pub points: Vec<Point>,
    /// The assessment as of each point's year (from the points up to it), beside `points`:
    /// the one judgement every page gives for that indicator and year.
    pub assessments: Vec<Assessment>,
    /// The assessment as of the latest point (the last of `assessments`).
    pub assessment: Assessment,
    /// The fiscal years of the reports the values come from, oldest first.
    pub reports: Vec<FiscalYear>,
    /// The newest `updated` date of those reports: when the series' data last changed.
    pub updated: Option<String>,
    /// The end of every progress bar of the indicator, on every page (goal, initiative, report):
    /// a round number above all its values, targets and withdrawal thresholds of every year
    /// (`axis_max`), so the same value is drawn the same length everywhere.
    pub scale_max: f64,
}

impl Series {
    pub fn latest(&self) -> Option<&Point> {
        self.points.last()
    }
    pub fn point(&self, year: FiscalYear) -> Option<&Point> {
        self.points.iter().find(|p| p.year == year)
    }
    /// The assessment as of `year`: from the points up to it. Every page that judges the
    /// indicator for a year (goal, report, series, ward, overview pages) reads it here.
    pub fn assessment_at(&self, year: FiscalYear) -> &Assessment {
        match self.points.iter().rposition(|p| p.year <= year) {
            Some(i) => &self.assessments[i],
            None => &NO_DATA,
        }
    }
    /// The point a report gives in its own row for its year (not a 前年度 column).
    pub fn reported(&self, year: FiscalYear) -> Option<&Point> {
        self.point(year).filter(|p| p.reported_in == year && !p.from_previous_column)
    }
    /// The years the series covers, in words with the Western years:
    /// 「平成27年度〜平成28年度（2015〜2016年度）」, or one year's label.
    pub fn years_label(&self) -> String {
        match (self.points.first(), self.points.last()) {
            (Some(a), Some(b)) if a.year != b.year => format!(
                "{}〜{}（{}〜{}年度）",
                a.year.era_label(),
                b.year.era_label(),
                a.year.western(),
                b.year.western()
            ),
            (Some(a), _) => a.year.label(),
            _ => String::new(),
        }
    }
}

/// Everything later steps need besides the model.
#[derive(Debug)]
pub struct Linked {
    /// Every series, in key order (city, ward, indicator). Shared: the preview keeps an
    /// unchanged ward's series from one build to the next.
    pub series: BTreeMap<SeriesKey, std::sync::Arc<Series>>,
    /// A renamed indicator's old id (in the key) → its current id.
    pub renamed: BTreeMap<SeriesKey, IndicatorId>,
    /// What linking doubts: ids that look like a misspelling of an earlier report's.
    pub warnings: Vec<Warning>,
}

impl Linked {
    /// The series of an indicator in a ward, by its current id or any former one.
    pub fn series(&self, city: &CityId, ward: &WardId, indicator: &IndicatorId) -> Option<&Series> {
        let mut key = SeriesKey { city: city.clone(), ward: ward.clone(), indicator: indicator.clone() };
        if let Some(current) = self.renamed.get(&key) {
            key.indicator = current.clone();
        }
        self.series.get(&key).map(|s| &**s)
    }
}

/// One value a report gives for an indicator: its own year's, or its 前年度 column.
struct Observation<'a> {
    row: Row,
    year: FiscalYear,
    /// `None`: the report's own row for its year without a value.
    value: Option<&'a Measured>,
    m: &'a Measurement,
    reported_in: FiscalYear,
    from_previous_column: bool,
    span: &'a Span,
}

/// Whether two values a report gives disagree (a row without a value agrees with any).
fn differ(a: Option<&Measured>, b: Option<&Measured>) -> bool {
    a.zip(b).is_some_and(|(a, b)| !same_value(a, b))
}

fn same_value(a: &Measured, b: &Measured) -> bool {
    match (a.number(), b.number()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

/// Builds every series and its assessment. Fails on undeclared disagreements.
pub fn link(site: &Site) -> Result<Linked, Errors> {
    use rayon::prelude::*;
    // Each ward is linked alone (its links read only its own entries), in parallel, and the
    // parts put together in the site's order.
    let wards: Vec<(&City, &Ward)> = site.cities.iter().flat_map(|c| c.wards.iter().map(move |w| (c, w))).collect();
    let parts: Vec<(Linked, Errors)> = wards
        .par_iter()
        .map(|(city, ward)| {
            let mut part = Linked { series: BTreeMap::new(), renamed: BTreeMap::new(), warnings: Vec::new() };
            let mut errors = Errors::default();
            link_ward(&city.id, ward, &mut part, &mut errors);
            (part, errors)
        })
        .collect();
    let mut linked = Linked { series: BTreeMap::new(), renamed: BTreeMap::new(), warnings: Vec::new() };
    let mut errors = Errors::default();
    for (mut part, own) in parts {
        linked.series.append(&mut part.series);
        linked.renamed.append(&mut part.renamed);
        linked.warnings.append(&mut part.warnings);
        errors.0.extend(own.0);
    }
    errors.into_result(linked)
}

/// Each ward's part of [`Linked`] from an earlier build (the preview), with the fingerprint of
/// the ward then: a ward's series are made from its own reports only, so they are taken again
/// while it is unchanged.
#[derive(Debug, Default)]
pub struct LinkCache {
    wards: std::collections::HashMap<(String, String), (u64, Linked)>,
}

/// [`link`], taking the series of unchanged wards from `cache`.
pub fn link_cached(site: &Site, cache: &mut LinkCache, fingerprint: WardFingerprint) -> Result<Linked, Errors> {
    let mut linked = Linked { series: BTreeMap::new(), renamed: BTreeMap::new(), warnings: Vec::new() };
    let mut errors = Errors::default();
    for city in &site.cities {
        for ward in &city.wards {
            let key = (city.id.to_string(), ward.id.to_string());
            let now = fingerprint(city.id.as_str(), ward.id.as_str());
            let part = match cache.wards.get(&key) {
                Some((then, part)) if *then == now => part,
                _ => {
                    // Linked alone, then added: a ward's links read only its own entries.
                    let mut part = Linked { series: BTreeMap::new(), renamed: BTreeMap::new(), warnings: Vec::new() };
                    let mut own = Errors::default();
                    link_ward(&city.id, ward, &mut part, &mut own);
                    if !own.is_empty() {
                        errors.0.extend(own.0);
                        cache.wards.remove(&key);
                        continue;
                    }
                    &cache.wards.entry(key).insert_entry((now, part)).into_mut().1
                }
            };
            linked.series.extend(part.series.iter().map(|(k, s)| (k.clone(), s.clone())));
            linked.renamed.extend(part.renamed.iter().map(|(k, id)| (k.clone(), id.clone())));
            linked.warnings.extend(part.warnings.iter().cloned());
        }
    }
    errors.into_result(linked)
}

/// Every measurement of a ward's reports, with the report and the row it stands in.
fn measurements(ward: &Ward) -> impl Iterator<Item = (&Report, &Measurement, Row)> {
    ward.reports.iter().flat_map(|r| {
        let outcomes = r.goals.iter().flat_map(|g| {
            g.outcomes.iter().map(move |m| (m, Row::Goal { goal: g.id.clone(), indicator: m.indicator.id.clone() }))
        });
        let initiatives = r.initiatives.iter().flat_map(|i| {
            i.indicators
                .iter()
                .map(move |m| (m, Row::Initiative { initiative: i.id.clone(), indicator: m.indicator.id.clone() }))
        });
        let r: &Report = r;
        outcomes.chain(initiatives).map(move |(m, row)| (r, m, row))
    })
}

/// Old id → new id within a ward, from `continues`. A misspelt old id is an error: it would
/// silently leave the series unjoined.
fn successors<'w>(ward: &'w Ward, errors: &mut Errors) -> BTreeMap<&'w IndicatorId, &'w IndicatorId> {
    let declared: BTreeSet<&IndicatorId> = measurements(ward).map(|(_, m, _)| &m.indicator.id).collect();
    let mut successor = BTreeMap::new();
    for (_, m, _) in measurements(ward) {
        if let Some((old, span)) = &m.continues {
            if !declared.contains(old) {
                errors.push(Error::UnknownReference {
                    span: span.clone(),
                    kind: "indicator to continue (no report of this ward has it)",
                    id: old.to_string(),
                    known: declared.iter().map(ToString::to_string).collect(),
                });
            }
            successor.insert(old, &m.indicator.id);
        }
    }
    successor
}

/// The newest id of an indicator, following `continues` (at most 16 renames: a cycle stops).
fn canonical<'w>(successor: &BTreeMap<&'w IndicatorId, &'w IndicatorId>, id: &'w IndicatorId) -> &'w IndicatorId {
    let mut id = id;
    for _ in 0..16 {
        match successor.get(id) {
            Some(next) if *next != id => id = next,
            _ => break,
        }
    }
    id
}

/// An id that a ward's report uses for the first time while an earlier report has one that
/// this report no longer gives, with a close spelling (edit distance 1–2) or the same name: most
/// likely a typo that silently splits a series in two. Silenced by `continues` (a rename) or
/// `new_indicator = true` (really new).
fn identity_warnings(ward: &Ward, successor: &BTreeMap<&IndicatorId, &IndicatorId>) -> Vec<Warning> {
    let mut warnings = Vec::new();
    // The newest earlier measurement of each (canonical) id, with its report's year.
    let mut earlier: BTreeMap<&IndicatorId, (FiscalYear, &Measurement)> = BTreeMap::new();
    for (i, report) in ward.reports.iter().enumerate() {
        let here: Vec<&Measurement> = measurements_of(report).collect();
        let ids: BTreeSet<&IndicatorId> = here.iter().map(|m| canonical(successor, &m.indicator.id)).collect();
        if i > 0 {
            for m in &here {
                let id = canonical(successor, &m.indicator.id);
                if earlier.contains_key(id) || m.continues.is_some() || m.declared_new {
                    continue;
                }
                let similar = earlier.iter().filter(|(old, _)| !ids.contains(*old)).find(|(old, (_, o))| {
                    let distance = strsim::levenshtein(old.as_str(), id.as_str());
                    distance <= 2 || o.indicator.name == m.indicator.name
                });
                if let Some((old, (year, o))) = similar {
                    warnings.push(Warning {
                        span: m.id_span.clone(),
                        message: format!(
                            "indicator `{id}` is new in {}, but {} has `{old}`「{}」, which this report does not give: \
                             did you mean `{old}` ({})? If it is that indicator under a new id, add \
                             `continues = \"{old}\"`; if it is really new, add `new_indicator = true`",
                            report.fiscal_year.label(),
                            year.label(),
                            o.indicator.name,
                            year.era_label(),
                        ),
                        other: Some((o.id_span.clone(), "the earlier id")),
                    });
                }
            }
        }
        for m in here {
            earlier.insert(canonical(successor, &m.indicator.id), (report.fiscal_year, m));
        }
    }
    warnings.dedup_by(|a, b| a.span == b.span);
    warnings
}

/// The ward's latest rating of an indicator against the trend its values show, where they are
/// far apart: A (順調) while the values worsen or missed their deadline, B (順調でない) while
/// the target is achieved. (Pages show every disagreement; the build warns of these.)
fn rating_against_trend(
    id: &IndicatorId,
    observations: &[Observation],
    points: &[Point],
    assessment: &Assessment,
) -> Option<Warning> {
    let last = points.last()?;
    let own = observations.iter().find(|o| o.year == last.year && !o.from_previous_column && o.m.rating.is_some())?;
    if own.m.as_printed {
        return None;
    }
    let rating = own.m.rating?;
    let far_apart = match rating {
        OutcomeRating::OnTrack => matches!(assessment.status, Progress::Worsening | Progress::MissedDeadline),
        OutcomeRating::NotOnTrack => assessment.status == Progress::Achieved,
    };
    far_apart.then(|| Warning {
        span: own.span.clone(),
        message: format!(
            "indicator `{id}` is rated {} ({}) in {}, but its values say 「{}」: check the rating and the values; \
             if both are as the source prints them, say why in a note and add `as_printed = true`",
            rating.code(),
            rating.meaning(),
            last.year.label(),
            assessment.status.label()
        ),
        other: None,
    })
}

/// Every measurement of one report: its goals' outcomes, then its initiatives' indicators.
fn measurements_of(r: &Report) -> impl Iterator<Item = &Measurement> {
    r.goals.iter().flat_map(|g| &g.outcomes).chain(r.initiatives.iter().flat_map(|i| &i.indicators))
}

/// What a ward's reports give for one indicator (under its newest id).
#[derive(Default)]
struct Gathered<'w> {
    observations: Vec<Observation<'w>>,
    /// The newest definition, with the fiscal year of the report that gives it.
    def: Option<(FiscalYear, &'w IndicatorDef)>,
    /// The series' unit and the first report that gave it.
    unit: Option<(&'w str, FiscalYear)>,
    /// Every number a progress bar of the indicator draws: values, target levels, withdrawal
    /// thresholds.
    marks: Vec<f64>,
}

fn link_ward(city: &CityId, ward: &Ward, linked: &mut Linked, errors: &mut Errors) {
    let successor = successors(ward, errors);
    linked.warnings.extend(identity_warnings(ward, &successor));
    let mut gathered: BTreeMap<&IndicatorId, Gathered> = BTreeMap::new();
    for (r, m, row) in measurements(ward) {
        let id = canonical(&successor, &m.indicator.id);
        let g = gathered.entry(id).or_default();
        // One series, one unit: 120人 and 120件 are not the same figure.
        let (unit, since) = *g.unit.get_or_insert((m.indicator.unit.as_str(), r.fiscal_year));
        if unit != m.indicator.unit.as_str() {
            errors.push(Error::invalid(
                m.value_span.clone(),
                format!("unit 「{}」", m.indicator.unit),
                format!("the unit 「{unit}」 that indicator `{id}` has in {}", since.label()),
            ));
            continue;
        }
        if id != &m.indicator.id {
            let old = SeriesKey { city: city.clone(), ward: ward.id.clone(), indicator: m.indicator.id.clone() };
            linked.renamed.insert(old, id.clone());
        }
        let def = g.def.get_or_insert((r.fiscal_year, &m.indicator));
        if r.fiscal_year >= def.0 && &m.indicator.id == id {
            *def = (r.fiscal_year, &m.indicator);
        }
        let previous = m.previous.as_ref().and_then(Measured::number);
        g.marks.extend(m.value.as_ref().and_then(Measured::number));
        g.marks.extend(previous);
        g.marks.extend(m.indicator.target.as_ref().and_then(|t| t.level(previous)));
        if let Row::Initiative { initiative, .. } = &row
            && let Some(i) = r.initiatives.iter().find(|i| &i.id == initiative)
        {
            g.marks.extend(
                WithdrawalCriterion::applicable(&i.withdrawals, &m.indicator.id, previous)
                    .and_then(|w| w.threshold(previous)),
            );
        }
        let mut observe = |value, year, from_previous_column, span| {
            let reported_in = r.fiscal_year;
            g.observations.push(Observation {
                row: row.clone(),
                year,
                value,
                m,
                reported_in,
                from_previous_column,
                span,
            });
        };
        // The report's own row is an observation of its year even without a value (a rating,
        // a note): every consumer (series, pages, data files) gets it.
        observe(m.value.as_ref(), r.fiscal_year, false, &m.value_span);
        if let Some(v) = &m.previous {
            observe(Some(v), r.fiscal_year.previous(), true, &m.previous_span);
        }
    }
    for (id, g) in gathered {
        let Some((_, def)) = g.def else { continue };
        let points = points(ward, &successor, id, &g.observations, errors);
        let mut marks = g.marks;
        marks.extend(points.iter().filter_map(Point::number));
        let scale_max = axis_max(&def.unit, &marks);
        let key = SeriesKey { city: city.clone(), ward: ward.id.clone(), indicator: id.clone() };
        let former_ids = linked
            .renamed
            .iter()
            .filter(|(old, new)| old.city == key.city && old.ward == key.ward && *new == id)
            .map(|(old, _)| old.indicator.clone())
            .collect();
        let assessments: Vec<Assessment> = (1..=points.len()).map(|n| assess(def, &points[..n])).collect();
        let assessment = assessments.last().cloned().unwrap_or_else(|| assess(def, &points));
        linked.warnings.extend(rating_against_trend(id, &g.observations, &points, &assessment));
        let reports: BTreeSet<FiscalYear> = points.iter().map(|p| p.reported_in).collect();
        let updated =
            ward.reports.iter().filter(|r| reports.contains(&r.fiscal_year)).filter_map(|r| r.updated.clone()).max();
        let series = Series {
            city: city.clone(),
            ward: ward.id.clone(),
            indicator: def.clone(),
            former_ids,
            points,
            assessments,
            assessment,
            reports: reports.into_iter().collect(),
            updated,
            scale_max,
        };
        linked.series.insert(key, std::sync::Arc::new(series));
    }
}

/// A value as an error names it: 「81％」, or 「記載なし」.
fn label(v: Option<&Measured>) -> String {
    v.map_or_else(|| NO_VALUE.to_string(), ToString::to_string)
}

/// One point per fiscal year from an indicator's observations: a report's own-year value
/// outranks another's 前年度 column; two that disagree need a declared correction.
fn points(
    ward: &Ward,
    successor: &BTreeMap<&IndicatorId, &IndicatorId>,
    id: &IndicatorId,
    observations: &[Observation],
    errors: &mut Errors,
) -> Vec<Point> {
    let mut by_year: BTreeMap<FiscalYear, Vec<&Observation>> = BTreeMap::new();
    for o in observations {
        by_year.entry(o.year).or_default().push(o);
    }
    let mut points = Vec::new();
    for (year, list) in by_year {
        let correction = ward
            .reports
            .iter()
            .flat_map(|r| &r.corrections)
            .find(|c| c.fiscal_year == year && canonical(successor, &c.indicator) == id);
        let primary = list.iter().find(|o| !o.from_previous_column).unwrap_or(&list[0]);
        // One report listing an indicator twice (a goal's outcome and an initiative's
        // indicator) must give it one value: no correction can choose between them.
        let twice = list.iter().enumerate().find_map(|(i, a)| {
            list[i + 1..]
                .iter()
                .find(|b| {
                    b.reported_in == a.reported_in
                        && b.from_previous_column == a.from_previous_column
                        && differ(a.value, b.value)
                })
                .map(|b| (a, b))
        });
        if let Some((first, second)) = twice {
            errors.push(Error::Conflict {
                span: second.span.clone(),
                other: first.span.clone(),
                indicator: id.to_string(),
                fiscal_year: year.label(),
                values: (label(second.value), label(first.value)),
                same_report: true,
            });
            continue;
        }
        // The value: the primary report's, else one that another report gives for the year.
        let printed = list.iter().filter(|o| o.reported_in == primary.reported_in).find_map(|o| o.value);
        let mut value = printed.or_else(|| list.iter().find_map(|o| o.value)).cloned();
        let mut correction_note = None;
        if let Some(c) = correction {
            value = Some(c.value.clone());
            correction_note = Some(c.note.clone());
        } else if let Some(other) = list.iter().find(|o| differ(o.value, value.as_ref())) {
            errors.push(Error::Conflict {
                span: other.span.clone(),
                other: primary.span.clone(),
                indicator: id.to_string(),
                fiscal_year: year.label(),
                values: (label(other.value), label(value.as_ref())),
                same_report: false,
            });
            continue;
        }
        let own = list.iter().find(|o| !o.from_previous_column);
        // Every row of the primary report that gives the year (its own rows, or its 前年度
        // column): the point takes what the first of them that has it gives.
        let given: Vec<&&Observation> = list
            .iter()
            .filter(|o| o.reported_in == primary.reported_in && o.from_previous_column == primary.from_previous_column)
            .collect();
        // A value known only from a 前年度 column: the survey that report gives for it.
        let survey =
            given.iter().find_map(|o| if own.is_some() { o.m.survey.clone() } else { o.m.previous_survey.clone() });
        points.push(Point {
            year,
            value,
            rating: own.and(given.iter().find_map(|o| o.m.rating)),
            target: given.iter().find_map(|o| o.m.indicator.target.clone()),
            break_before: own.and_then(|o| o.m.series_break.clone()),
            correction: correction_note,
            survey,
            rated_with: own.and_then(|o| o.m.rated_with.clone()),
            uncertain: primary.m.uncertain.clone(),
            notes: own.map(|o| o.m.notes.clone()).unwrap_or_default(),
            source_ref: own.and_then(|o| o.m.source_ref.clone()),
            reported_in: primary.reported_in,
            from_previous_column: own.is_none(),
            row: primary.row.clone(),
            places: given.iter().map(|o| o.row.clone()).collect(),
        });
    }
    points
}

/// The compound-annual-growth-rate method (Statistics Canada, as used by Open SDG):
/// ratio = observed annual growth since the base year ÷ growth required to reach the target
/// by its deadline; ≥ 95 % on track, ≥ 60 % needs acceleration, ≥ 0 limited, < 0 worsening.
/// Where compound growth is undefined (a value or target of zero) the linear annual change is used.
///
/// A latest value that meets its target is 目標達成 whatever the target's kind or deadline
/// (「ゼロ」 without a deadline, 「前年度より増」 against the year before): the same judgement as
/// the progress bar's 「達成」. Only an unmet target needs a deadline and a level to be judged.
pub fn assess(def: &IndicatorDef, points: &[Point]) -> Assessment {
    let none = |status| Assessment { status, ratio: None, base: None, latest: None };
    let Some(last) = points.last() else { return none(Progress::InsufficientData) };
    let Some(target) = last.target.as_ref().or(def.target.as_ref()) else { return none(Progress::NotAssessable) };
    let direction = def.direction.or(target.direction()).unwrap_or(Direction::Higher);
    if target.comparator == Comparator::Qualitative {
        return none(Progress::NotAssessable);
    }
    // The comparable segment: points since the last break, with a number.
    let start = points.iter().rposition(|p| p.break_before.is_some()).unwrap_or(0);
    let segment: Vec<(FiscalYear, f64)> =
        points[start..].iter().filter_map(|p| p.number().map(|v| (p.year, v))).collect();
    let (Some(level), Some(deadline)) = (target.level(None), target.deadline) else {
        // Judged against itself only: met, or not assessable.
        let Some(&latest) = segment.last() else { return none(Progress::NotAssessable) };
        let previous = segment.iter().rev().nth(1).filter(|(y, _)| *y == latest.0.previous()).map(|&(_, v)| v);
        // (A relative target without the year before cannot be met: `is_met` says `None`.)
        if target.is_met(latest.1, previous) == Some(true) {
            return Assessment {
                status: Progress::Achieved,
                ratio: None,
                base: segment.first().copied(),
                latest: Some(latest),
            };
        }
        return Assessment { status: Progress::NotAssessable, ratio: None, base: None, latest: Some(latest) };
    };
    let Some(&latest) = segment.last() else { return none(Progress::InsufficientData) };
    if target.is_met(latest.1, None) == Some(true) {
        return Assessment {
            status: Progress::Achieved,
            ratio: None,
            base: segment.first().copied(),
            latest: Some(latest),
        };
    }
    if segment.len() < 2 {
        return Assessment { status: Progress::InsufficientData, ratio: None, base: None, latest: Some(latest) };
    }
    let base = segment[0];
    if latest.0 >= deadline {
        return Assessment { status: Progress::MissedDeadline, ratio: None, base: Some(base), latest: Some(latest) };
    }
    let observed_years = f64::from(latest.0.western() - base.0.western());
    let required_years = f64::from(deadline.western() - base.0.western());
    let (observed, required) = if base.1 > 0.0 && latest.1 > 0.0 && level > 0.0 {
        ((latest.1 / base.1).powf(1.0 / observed_years) - 1.0, (level / base.1).powf(1.0 / required_years) - 1.0)
    } else {
        ((latest.1 - base.1) / observed_years, (level - base.1) / required_years)
    };
    // When the base already met the target, no growth is required: keeping the level is
    // on track, moving the wrong way is worsening.
    let good = if direction == Direction::Higher { 1.0 } else { -1.0 };
    let ratio =
        if required * good <= 1e-12 { if observed * good >= 0.0 { 1.0 } else { -1.0 } } else { observed / required };
    let status = if ratio >= 0.95 {
        Progress::OnTrack
    } else if ratio >= 0.6 {
        Progress::NeedsAcceleration
    } else if ratio >= 0.0 {
        Progress::Limited
    } else {
        Progress::Worsening
    };
    Assessment { status, ratio: Some(ratio), base: Some(base), latest: Some(latest) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::quantity::Quantity;

    fn def(target: Comparator, deadline: i32) -> IndicatorDef {
        let t = Target { text: String::new(), comparator: target, deadline: Some(FiscalYear(deadline)) };
        IndicatorDef {
            id: "x".into(),
            name: "x".into(),
            unit: "％".into(),
            direction: t.direction(),
            target: Some(t),
            description: String::new(),
            city_wide: false,
        }
    }

    fn q(v: f64) -> Quantity {
        Quantity { value: v, decimals: 1, unit: "％".into() }
    }

    fn points(d: &IndicatorDef, values: &[(i32, f64)]) -> Vec<Point> {
        values
            .iter()
            .map(|&(y, v)| Point {
                year: FiscalYear(y),
                value: Some(Measured::Value(q(v))),
                rating: None,
                target: d.target.clone(),
                break_before: None,
                correction: None,
                survey: None,
                rated_with: None,
                uncertain: None,
                notes: vec![],
                source_ref: None,
                reported_in: FiscalYear(y),
                from_previous_column: false,
                row: Row::Goal { goal: "1-1".into(), indicator: "x".into() },
                places: vec![Row::Goal { goal: "1-1".into(), indicator: "x".into() }],
            })
            .collect()
    }

    #[test]
    fn higher_is_better_statuses() {
        let d = def(Comparator::AtLeast(q(50.0)), 2018);
        assert_eq!(assess(&d, &points(&d, &[(2015, 40.0), (2016, 52.0)])).status, Progress::Achieved);
        // Needs 40 → 50 over 3 years; observed 40 → 44 in one: ≈ 1.30 × required.
        assert_eq!(assess(&d, &points(&d, &[(2015, 40.0), (2016, 44.0)])).status, Progress::OnTrack);
        assert_eq!(assess(&d, &points(&d, &[(2015, 40.0), (2016, 42.0)])).status, Progress::NeedsAcceleration);
        assert_eq!(assess(&d, &points(&d, &[(2015, 40.0), (2016, 40.5)])).status, Progress::Limited);
        assert_eq!(assess(&d, &points(&d, &[(2015, 55.9), (2016, 37.4)])).status, Progress::Worsening);
        assert_eq!(assess(&d, &points(&d, &[(2016, 37.4)])).status, Progress::InsufficientData);
        assert_eq!(assess(&d, &points(&d, &[(2017, 40.0), (2018, 45.0)])).status, Progress::MissedDeadline);
    }

    #[test]
    fn lower_is_better_and_zero_targets() {
        let d = def(Comparator::Zero, 2018);
        // 14 → 3 waiting children: needs −14/3 years (linear, target zero); observed −11 in one year.
        let a = assess(&d, &points(&d, &[(2015, 14.0), (2016, 3.0)]));
        assert_eq!(a.status, Progress::OnTrack);
        assert_eq!(assess(&d, &points(&d, &[(2015, 3.0), (2016, 14.0)])).status, Progress::Worsening);
        assert_eq!(assess(&d, &points(&d, &[(2015, 3.0), (2016, 0.0)])).status, Progress::Achieved);
    }

    #[test]
    fn growth_is_compound_when_every_figure_is_positive() {
        // 10 → 80 by 2018 needs ×2 a year (100 %); 10 → 40 in two years is exactly that. A
        // linear reading (+15 a year against +23⅓ needed) would say NeedsAcceleration.
        let d = def(Comparator::AtLeast(q(80.0)), 2018);
        let a = assess(&d, &points(&d, &[(2015, 10.0), (2017, 40.0)]));
        assert_eq!(a.status, Progress::OnTrack);
        assert!((a.ratio.unwrap() - 1.0).abs() < 1e-9, "{:?}", a.ratio);
        // A fall to zero: compound growth is undefined, the linear change is used
        // (−10 a year against +23⅓ needed).
        let a = assess(&d, &points(&d, &[(2015, 10.0), (2016, 0.0)]));
        assert_eq!(a.status, Progress::Worsening);
        assert!((a.ratio.unwrap() + 10.0 / (70.0 / 3.0)).abs() < 1e-9, "{:?}", a.ratio);
        // From zero: linear, +4 a year against +80/3 needed.
        let a = assess(&d, &points(&d, &[(2015, 0.0), (2016, 4.0)]));
        assert_eq!(a.status, Progress::Limited);
        assert!((a.ratio.unwrap() - 0.15).abs() < 1e-9, "{:?}", a.ratio);
    }

    #[test]
    fn values_a_billionth_apart_differ() {
        let v = |x| Measured::Value(q(x));
        assert!(same_value(&v(0.5), &v(0.5)));
        assert!(!same_value(&v(1e-9), &v(0.0)));
        assert!(same_value(&Measured::NotReported, &Measured::NotReported));
        assert!(!same_value(&Measured::NotReported, &v(0.0)));
    }

    fn series(years: &[i32]) -> Series {
        let d = def(Comparator::AtLeast(q(50.0)), 2018);
        let values: Vec<(i32, f64)> = years.iter().map(|&y| (y, 40.0)).collect();
        let points = points(&d, &values);
        Series {
            city: "c".into(),
            ward: "w".into(),
            assessments: (1..=points.len()).map(|n| assess(&d, &points[..n])).collect(),
            assessment: assess(&d, &points),
            indicator: d,
            former_ids: vec![],
            points,
            reports: vec![],
            updated: None,
            scale_max: 80.0,
        }
    }

    #[test]
    fn a_series_finds_its_years_and_names_its_span() {
        let s = series(&[2015, 2016, 2019]);
        assert_eq!(s.point(FiscalYear(2016)).map(|p| p.year), Some(FiscalYear(2016)));
        assert!(s.point(FiscalYear(2017)).is_none());
        assert_eq!(s.years_label(), "平成27年度〜令和元年度（2015〜2019年度）");
        assert_eq!(series(&[2016]).years_label(), "平成28年度（2016年度）");
        assert_eq!(series(&[]).years_label(), "");
    }

    #[test]
    fn a_met_target_is_achieved_without_a_deadline_or_against_the_year_before() {
        // 0 against 「ゼロ」 with no deadline: the bar says 達成, so must the status.
        let mut d = def(Comparator::Zero, 2018);
        d.target.as_mut().unwrap().deadline = None;
        let zero = points(&d, &[(2016, 0.0)]);
        assert_eq!(assess(&d, &zero).status, Progress::Achieved);
        assert_eq!(assess(&d, &points(&d, &[(2016, 3.0)])).status, Progress::NotAssessable);
        let d = def(Comparator::IncreaseOnPrevious, 2018);
        assert_eq!(assess(&d, &points(&d, &[(2015, 10.0), (2016, 12.0)])).status, Progress::Achieved);
        assert_eq!(assess(&d, &points(&d, &[(2015, 10.0), (2016, 9.0)])).status, Progress::NotAssessable);
        // Against a year that is not the one before: not met.
        assert_eq!(assess(&d, &points(&d, &[(2014, 10.0), (2016, 12.0)])).status, Progress::NotAssessable);
    }

    #[test]
    fn each_year_is_judged_on_the_values_up_to_it() {
        let d = def(Comparator::Zero, 2020);
        let p = points(&d, &[(2015, 5.0), (2016, 0.0), (2017, 0.0), (2018, 1.0)]);
        let s = Series {
            city: "c".into(),
            ward: "w".into(),
            assessments: (1..=p.len()).map(|n| assess(&d, &p[..n])).collect(),
            assessment: assess(&d, &p),
            indicator: d,
            former_ids: vec![],
            points: p,
            reports: vec![],
            updated: None,
            scale_max: 10.0,
        };
        assert_eq!(s.assessment_at(FiscalYear(2015)).status, Progress::InsufficientData);
        assert_eq!(s.assessment_at(FiscalYear(2016)).status, Progress::Achieved);
        assert_eq!(s.assessment_at(FiscalYear(2017)).status, Progress::Achieved);
        assert_eq!(s.assessment_at(FiscalYear(2018)).status, s.assessment.status);
        assert_ne!(s.assessment.status, Progress::Achieved);
        assert_eq!(s.assessment_at(FiscalYear(2014)).status, Progress::InsufficientData);
    }

    #[test]
    fn a_break_leaves_too_little_data() {
        let d = def(Comparator::AtLeast(q(50.0)), 2018);
        let mut p = points(&d, &[(2015, 55.9), (2016, 37.4)]);
        p[1].break_before = Some("設問変更".into());
        assert_eq!(assess(&d, &p).status, Progress::InsufficientData);
    }
}
