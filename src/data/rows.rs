//! The rows of the data files: an observation of a series at each place of the report that
//! gives it (`observations.csv` and each series' files), and the rows of a report (each
//! report's files).

use super::columns::{OBSERVATION_FIELDS, REPORT_FIELDS};
use super::table::{Cell, Row, Table};
use crate::ja::FiscalYear;
use crate::link::{self, Linked, Point, Series};
use crate::model::quantity::Measured;
use crate::model::rating::Code;
use crate::model::target::{Comparator, Direction, Target, WithdrawalCriterion};
use crate::model::{City, Goal, GoalId, Initiative, Measurement, RatedWith, ReportIn, Survey, UNCERTAIN, Ward};
use crate::urls::{self, Urls};

// ---- shared cell helpers ----

/// The note of an initiative for which the source prints 「―」 as 撤退基準.
const NO_WITHDRAWAL: &str = "撤退基準：記載なし（原資料は「―」）";

pub(super) fn direction_code(d: Option<Direction>) -> Cell {
    Cell::opt(d.map(Direction::code))
}

fn measured(value: &Measured) -> (Cell, Cell) {
    let number = match value {
        Measured::Value(q) => Cell::Number(q.plain()),
        Measured::NotReported | Measured::Unfilled | Measured::Text(_) => Cell::Empty,
    };
    (number, Cell::Text(value.to_string()))
}

fn target_cells(row: &mut Row, t: Option<&Target>) {
    let Some(t) = t else { return };
    let value = match (&t.comparator, t.comparator.value()) {
        (Comparator::Zero, _) => Cell::Number("0".into()),
        (_, Some(q)) => Cell::Number(q.plain()),
        (_, None) => Cell::Empty,
    };
    row.insert("target_value", value);
    row.insert("comparator", Cell::text(t.comparator_code()));
    row.insert("target_text", Cell::text(t.text.clone()));
    if let Comparator::ReductionFromBase { base, .. } = &t.comparator {
        row.insert("target_base_fiscal_year", Cell::year(Some(*base)));
    }
    row.insert("deadline_fiscal_year", Cell::year(t.deadline));
}

fn survey_cells(row: &mut Row, s: Option<&Survey>) {
    let Some(s) = s else { return };
    row.insert("survey_name", Cell::text(s.name.clone()));
    row.insert("survey_asked", s.asked.map_or(Cell::Empty, |n| Cell::Integer(i64::from(n))));
    row.insert("survey_answered", s.answered.map_or(Cell::Empty, |n| Cell::Integer(i64::from(n))));
    row.insert("survey_response_rate", s.response_rate.as_ref().map_or(Cell::Empty, |q| Cell::Number(q.plain())));
}

fn code_cells(row: &mut Row, key: &'static str, meaning_key: &'static str, c: Option<&impl Code>) {
    if let Some(c) = c {
        row.insert(key, Cell::text(c.code()));
        row.insert(meaning_key, Cell::text(c.meaning()));
    }
}

fn place_cells(row: &mut Row, city: &City, ward: &Ward) {
    row.insert("city", Cell::text(city.id.clone()));
    row.insert("city_name", Cell::text(city.name.clone()));
    row.insert("local_gov_code", Cell::text(city.code.as_str()));
    row.insert("ward", Cell::text(ward.id.clone()));
    row.insert("ward_name", Cell::text(ward.name.clone()));
}

fn join_notes(notes: Vec<String>) -> Cell {
    Cell::text(notes.into_iter().filter(|n| !n.trim().is_empty()).collect::<Vec<_>>().join(" ／ "))
}

// ---- rows ----

/// Where a report gives an observation: the measurement, and the goal and initiative it
/// stands under.
struct Place<'r> {
    m: &'r Measurement,
    goal: Option<&'r GoalId>,
    initiative: Option<&'r Initiative>,
}

/// The measurement of `ward`'s report of `year` that `row` names.
fn place<'w>(ward: &'w Ward, year: FiscalYear, row: &link::Row) -> Option<Place<'w>> {
    let report = ward.reports.iter().find(|r| r.fiscal_year == year)?;
    match row {
        link::Row::Goal { goal, indicator } => {
            let g = report.goals.iter().find(|g| &g.id == goal)?;
            let m = g.outcomes.iter().find(|m| &m.indicator.id == indicator)?;
            Some(Place { m, goal: Some(&g.id), initiative: None })
        }
        link::Row::Initiative { initiative, indicator } => {
            let i = report.initiatives.iter().find(|i| &i.id == initiative)?;
            let m = i.indicators.iter().find(|m| &m.indicator.id == indicator)?;
            Some(Place { m, goal: i.goal.as_ref(), initiative: Some(i) })
        }
    }
}

/// One value of a series, as rows of `observations.csv`: one per place of the report that
/// gives it (a goal's outcome, an initiative's indicator), each with that place's target, codes,
/// survey and notes.
pub(super) fn observation_rows(urls: &Urls, city: &City, ward: &Ward, s: &Series, p: &Point) -> Vec<Row> {
    let own = !p.from_previous_column;
    let mut rows = Vec::new();
    for at in &p.places {
        let Some(Place { m, goal, initiative }) = place(ward, p.reported_in, at) else { continue };
        let mut row = Row::new(OBSERVATION_FIELDS);
        place_cells(&mut row, city, ward);
        row.insert("fiscal_year", Cell::year(Some(p.year)));
        row.insert("era_label", Cell::text(p.year.era_label()));
        row.insert("indicator_id", Cell::text(s.indicator.id.clone()));
        row.insert("indicator_name", Cell::text(s.indicator.name.clone()));
        let (record_type, place) = match initiative {
            None => ("outcome", urls::goal_anchor(goal.expect("an outcome stands under its goal"))),
            Some(i) => ("initiative_indicator", urls::initiative_anchor(&i.id)),
        };
        row.insert("record_type", Cell::text(record_type));
        row.insert("place", Cell::text(place));
        row.insert("goal_id", Cell::opt(goal.map(ToString::to_string)));
        row.insert("initiative_id", Cell::opt(initiative.map(|i| i.id.to_string())));
        row.insert("report_fiscal_year", Cell::year(Some(p.reported_in)));
        row.insert("value_column", Cell::text(if own { "this_year" } else { "previous_year" }));
        let (value, text) = p.value.as_ref().map_or((Cell::Empty, Cell::text(link::NO_VALUE)), measured);
        row.insert("value", value);
        row.insert("value_text", text);
        row.insert("unit", Cell::text(s.indicator.unit.clone()));
        row.insert("direction", direction_code(s.indicator.direction));
        target_cells(&mut row, m.indicator.target.as_ref());
        if own {
            code_cells(&mut row, "rating", "rating_meaning", m.rating.as_ref());
            row.insert("rating_shared_with", Cell::opt(m.rated_with.as_ref().map(|w| w.indicator.to_string())));
            let code = initiative.and_then(|i| i.achievement_code.as_ref());
            code_cells(&mut row, "achievement_code", "achievement_meaning", code);
        }
        survey_cells(&mut row, if own { m.survey.as_ref() } else { m.previous_survey.as_ref() });
        row.insert("uncertain", Cell::Bool(m.uncertain.is_some()));
        let mut notes = Vec::new();
        if own && let Some(b) = &m.series_break {
            notes.push(format!("系列の断絶：{b}"));
        }
        if let Some(c) = &p.correction {
            notes.push(format!("訂正：{c}"));
        }
        if !own {
            notes.push(format!("{}の報告の「前年度」欄の値", p.reported_in.label()));
        }
        if let Some(u) = &m.uncertain {
            notes.push(format!("{UNCERTAIN}：{u}"));
        }
        if own {
            notes.extend(m.rated_with.as_ref().map(RatedWith::words));
            notes.extend(m.notes.iter().cloned());
            notes.extend(m.source_ref.as_ref().map(|r| format!("出典箇所：{r}")));
        }
        row.insert("note", join_notes(notes));
        let series_url = urls.absolute(&urls::series(&city.id, &ward.id, &s.indicator.id));
        row.insert("page_url", Cell::text(format!("{series_url}#fy{}", p.year.western())));
        row.insert("report_url", Cell::text(urls.absolute(&urls::report(&city.id, &ward.id, p.reported_in))));
        row.insert("series_url", Cell::text(series_url));
        rows.push(row);
    }
    rows
}

/// The withdrawal criteria of an initiative that apply: all texts, and the first one's rule.
fn withdrawal_cells(row: &mut Row, criteria: &[&WithdrawalCriterion]) {
    let Some(w) = criteria.first() else { return };
    row.insert("withdrawal_text", join_notes(criteria.iter().map(|w| w.text.trim().to_string()).collect()));
    let (code, value) = (w.rule.code(), w.rule.value());
    row.insert("withdrawal_comparator", Cell::text(code));
    if let Some(q) = value {
        row.insert("withdrawal_value", Cell::Number(q.plain()));
    }
}

fn goal_cells(row: &mut Row, g: &Goal, ratings: bool) {
    row.insert("goal_id", Cell::text(g.id.clone()));
    row.insert("goal_title", Cell::text(g.title.clone()));
    if ratings {
        code_cells(row, "goal_outcome_rating", "goal_outcome_rating_meaning", g.outcome_rating.as_ref());
        code_cells(row, "strategy_progress", "strategy_progress_meaning", g.strategy_progress.as_ref());
        code_cells(row, "strategy_effectiveness", "strategy_effectiveness_meaning", g.effectiveness.as_ref());
        row.insert("strategy_revised", Cell::Bool(g.strategy_revised));
    }
}

/// The rows of one report's data files.
pub(super) struct ReportRows<'a> {
    pub(super) urls: &'a Urls,
    pub(super) linked: &'a Linked,
    pub(super) at: ReportIn<'a>,
}

impl ReportRows<'_> {
    fn base(&self, record_type: &str, place: String) -> Row {
        let mut row = Row::new(REPORT_FIELDS);
        place_cells(&mut row, self.at.city, self.at.ward);
        let fy = self.at.report.fiscal_year;
        row.insert("report_fiscal_year", Cell::year(Some(fy)));
        row.insert("report_era_label", Cell::text(fy.era_label()));
        row.insert("record_type", Cell::text(record_type));
        row.insert("record_id", Cell::text(place.clone()));
        row.insert("place", Cell::text(place));
        row
    }

    fn initiative_cells(&self, row: &mut Row, i: &Initiative) {
        if let Some(g) = i.goal.as_ref().and_then(|g| self.at.report.goals.iter().find(|x| &x.id == g)) {
            goal_cells(row, g, false);
        }
        row.insert("initiative_id", Cell::text(i.id.clone()));
        row.insert("initiative_label", Cell::text(i.label.clone()));
        row.insert("initiative_title", Cell::text(i.title.clone()));
        code_cells(row, "achievement_code", "achievement_meaning", i.achievement_code.as_ref());
        code_cells(row, "initiative_effectiveness", "initiative_effectiveness_meaning", i.effectiveness.as_ref());
    }

    /// The value rows (this year, and the 前年度 column when given) of one measurement, a
    /// goal's outcome or an indicator of `initiative`.
    fn measurement_rows(
        &self,
        base: &Row,
        m: &Measurement,
        page_url: String,
        initiative: Option<&Initiative>,
    ) -> Vec<Row> {
        let (c, w, fy) = (&self.at.city.id, &self.at.ward.id, self.at.report.fiscal_year);
        let series = self.linked.series(c, w, &m.indicator.id);
        let mut base = base.clone();
        let withdrawals = initiative.map_or(&[][..], |i| &i.withdrawals);
        let applicable: Vec<&WithdrawalCriterion> =
            withdrawals.iter().filter(|w| w.indicator.as_ref().is_none_or(|i| *i == m.indicator.id)).collect();
        withdrawal_cells(&mut base, &applicable);
        base.insert("uncertain", Cell::Bool(m.uncertain.is_some()));
        // Notes of every row of the measurement, after the row's own.
        let mut shared_notes = Vec::new();
        if let Some(u) = &m.uncertain {
            shared_notes.push(format!("{UNCERTAIN}：{u}"));
        }
        if initiative.is_some_and(|i| i.no_withdrawal) {
            shared_notes.push(NO_WITHDRAWAL.to_string());
        }
        base.insert("indicator_id", Cell::text(m.indicator.id.clone()));
        base.insert("indicator_name", Cell::text(m.indicator.name.clone()));
        base.insert("measure", Cell::opt(m.measure.clone().filter(|x| x != &m.indicator.name)));
        base.insert("unit", Cell::text(m.indicator.unit.clone()));
        base.insert("direction", direction_code(m.indicator.direction));
        target_cells(&mut base, m.indicator.target.as_ref());
        base.insert("page_url", Cell::text(page_url));
        if let Some(s) = series {
            base.insert("series_url", Cell::text(self.urls.absolute(&urls::series(c, w, &s.indicator.id))));
        }
        // A correction declared anywhere for this indicator and year is noted beside the printed value.
        let correction = |year: FiscalYear, printed: &Measured| -> Option<String> {
            let p = series?.point(year)?;
            let note = p.correction.as_ref()?;
            Some(if p.value.as_ref() == Some(printed) {
                format!("訂正：{note}")
            } else {
                format!("訂正：{note}（訂正後の値：{}）", p.label())
            })
        };
        let mut rows = Vec::new();
        let place = match base.cell("place") {
            Some(Cell::Text(place)) => place.clone(),
            _ => unreachable!("every report row has its place"),
        };
        let record_id = |column: &str| Cell::text(format!("{place}/{}/{column}", m.indicator.id));
        let mut this_year = base.clone();
        this_year.insert("value_column", Cell::text("this_year"));
        this_year.insert("record_id", record_id("this_year"));
        this_year.insert("fiscal_year", Cell::year(Some(fy)));
        this_year.insert("era_label", Cell::text(fy.era_label()));
        if let Some(v) = &m.value {
            let (value, text) = measured(v);
            this_year.insert("value", value);
            this_year.insert("value_text", text);
        }
        code_cells(&mut this_year, "rating", "rating_meaning", m.rating.as_ref());
        if let Some(shared) = &m.rated_with {
            this_year.insert("rating_shared_with", Cell::text(shared.indicator.to_string()));
        }
        survey_cells(&mut this_year, m.survey.as_ref());
        let mut notes = Vec::new();
        if let Some(b) = &m.series_break {
            notes.push(format!("系列の断絶：{b}"));
        }
        notes.extend(m.value.as_ref().and_then(|v| correction(fy, v)));
        notes.extend(shared_notes.iter().cloned());
        notes.extend(m.rated_with.as_ref().map(RatedWith::words));
        notes.extend(m.notes.iter().cloned());
        if let Some(r) = &m.source_ref {
            notes.push(format!("出典箇所：{r}"));
        }
        this_year.insert("note", join_notes(notes));
        rows.push(this_year);
        if let Some(v) = &m.previous {
            let py = fy.previous();
            let mut prev = base;
            prev.insert("value_column", Cell::text("previous_year"));
            prev.insert("record_id", record_id("previous_year"));
            prev.insert("fiscal_year", Cell::year(Some(py)));
            prev.insert("era_label", Cell::text(py.era_label()));
            let (value, text) = measured(v);
            prev.insert("value", value);
            prev.insert("value_text", text);
            survey_cells(&mut prev, m.previous_survey.as_ref());
            let mut notes = vec![format!("{}の報告の「前年度」欄の値", fy.label())];
            notes.extend(correction(py, v));
            notes.extend(shared_notes);
            prev.insert("note", join_notes(notes));
            rows.push(prev);
        }
        rows
    }

    pub(super) fn table(&self) -> Table {
        let (c, w, fy) = (&self.at.city.id, &self.at.ward.id, self.at.report.fiscal_year);
        let report_url = self.urls.absolute(&urls::report(c, w, fy));
        let mut table = Table::new(REPORT_FIELDS);
        for g in &self.at.report.goals {
            if g.outcomes.is_empty() {
                let mut row = self.base("goal", urls::goal_anchor(&g.id));
                goal_cells(&mut row, g, true);
                row.insert("page_url", Cell::text(format!("{report_url}#{}", urls::goal_anchor(&g.id))));
                table.push(row);
            }
            for m in &g.outcomes {
                let mut base = self.base("outcome", urls::goal_anchor(&g.id));
                goal_cells(&mut base, g, true);
                let page_url = format!("{report_url}#{}", urls::outcome_anchor(&g.id, &m.indicator.id));
                for row in self.measurement_rows(&base, m, page_url, None) {
                    table.push(row);
                }
            }
        }
        for i in &self.at.report.initiatives {
            let initiative_url = self.urls.absolute(&urls::initiative(c, w, fy, &i.id));
            if i.indicators.is_empty() {
                let mut row = self.base("initiative", urls::initiative_anchor(&i.id));
                self.initiative_cells(&mut row, i);
                withdrawal_cells(&mut row, &i.withdrawals.iter().collect::<Vec<_>>());
                if i.no_withdrawal {
                    row.insert("note", Cell::text(NO_WITHDRAWAL));
                }
                row.insert("page_url", Cell::text(initiative_url.clone()));
                table.push(row);
            }
            for m in &i.indicators {
                let mut base = self.base("initiative_indicator", urls::initiative_anchor(&i.id));
                self.initiative_cells(&mut base, i);
                let page_url = format!("{initiative_url}#indicator-{}", m.indicator.id);
                for row in self.measurement_rows(&base, m, page_url, Some(i)) {
                    table.push(row);
                }
            }
        }
        table
    }
}
