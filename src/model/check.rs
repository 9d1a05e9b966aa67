//! Validation: the raw loaded files checked against the domain's rules (ids, codes, numbers
//! with their units, references between goals, initiatives and indicators), every error
//! collected with its place in the file.

use super::quantity::{Measured, Quantity, Unit};
use super::rating::{Achievement, InitiativeEffectiveness, OutcomeRating, StrategyEffectiveness, StrategyProgress};
use super::target::{
    Comparator, ComparatorKind, Direction, Target, WithdrawalCriterion, WithdrawalKind, WithdrawalRule,
};
use super::{
    City, CityId, Correction, Goal, GoalId, IndicatorDef, IndicatorId, Initiative, InitiativeId, LocalGovCode,
    Measurement, Policy, PolicyId, PolicyNode, PolicyPillar, Report, Site, Source, Survey, Ward, WardFingerprint,
    WardId,
};
use crate::error::{Error, Errors, Span};
use crate::ja::FiscalYear;
use crate::load::{self, IdMap, Loaded, RawMeasurement, RawTarget, RawYear, SourceFile};
use crate::web::WebUrl;
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;

/// Collects errors while checking one file.
struct Checker<'a> {
    file: &'a SourceFile,
    errors: &'a mut Errors,
}

impl Checker<'_> {
    fn span<T>(&self, s: &Spanned<T>) -> Span {
        self.file.span_of(s)
    }

    fn invalid<T>(&mut self, s: &Spanned<T>, found: &str, expected: &str) {
        let span = self.span(s);
        self.errors.push(Error::invalid(span, found, expected));
    }

    fn code<T>(&mut self, s: Option<&Spanned<String>>, parse: fn(&str) -> Option<T>, expected: &str) -> Option<T> {
        let s = s?;
        let text = s.get_ref().trim();
        if matches!(text, "―" | "—" | "－") {
            return None;
        }
        if text.is_empty() {
            // A blank would be published as no rating, as if the source had none.
            let expected = format!("{expected}; 「―」 where the source prints a dash, or no line where it has none");
            self.invalid(s, "", &expected);
            return None;
        }
        let parsed = parse(text);
        if parsed.is_none() {
            self.invalid(s, text, expected);
        }
        parsed
    }

    /// Checks that `s` names one of `known` (a reference to a goal, a policy item…).
    fn reference(&mut self, s: &Spanned<String>, kind: &'static str, known: &[String]) {
        if !known.contains(s.get_ref()) {
            let span = self.span(s);
            self.errors.push(Error::UnknownReference { span, kind, id: s.get_ref().clone(), known: known.to_vec() });
        }
    }

    fn id<I: From<String>>(&mut self, s: &Spanned<String>, kind: &str) -> I {
        if !load::is_valid_id(s.get_ref()) {
            self.invalid(
                s,
                s.get_ref(),
                &format!("a {kind} id of lowercase ASCII letters, digits and hyphens (e.g. 1-1, kita-bosai)"),
            );
        }
        I::from(s.get_ref().clone())
    }

    fn year(&mut self, s: &Spanned<RawYear>) -> Option<FiscalYear> {
        let parsed = match s.get_ref() {
            RawYear::Text(t) => FiscalYear::parse(t),
            RawYear::Number(n) => i32::try_from(*n).ok().and_then(|n| FiscalYear::parse(&n.to_string())),
        };
        if parsed.is_none() {
            let found = match s.get_ref() {
                RawYear::Text(t) => t.clone(),
                RawYear::Number(n) => n.to_string(),
            };
            self.invalid(s, &found, "a fiscal year such as 平成28年度, H28, 令和元年度 or 2016");
        }
        parsed
    }

    /// `s` parsed by `parse`, or an error saying what `parse` expected.
    fn parsed<T>(&mut self, s: &Spanned<String>, parse: impl Fn(&str) -> Result<T, String>) -> Option<T> {
        match parse(s.get_ref()) {
            Ok(v) => Some(v),
            Err(expected) => {
                self.invalid(s, s.get_ref(), &expected);
                None
            }
        }
    }

    fn quantity(&mut self, s: &Spanned<String>, unit: &str) -> Option<Quantity> {
        self.parsed(s, |t| Quantity::parse(t, &Unit::parse(unit)))
    }

    /// A measured value: text as the source prints it. A bare number is an error that shows
    /// the text to write, with the indicator's unit (`83.2` → `"83.2％"`).
    fn value(&mut self, v: &Spanned<load::RawValue>, unit: &str) -> Option<Measured> {
        match v.get_ref() {
            load::RawValue::Text(text) => {
                let span = self.span(v);
                Measured::parse(text, &Unit::parse(unit))
                    .map_err(|expected| self.errors.push(Error::invalid(span, text, expected)))
                    .ok()
            }
            load::RawValue::Number(n) => {
                let shown = n.to_string();
                let expected = format!("the value as the source prints it, in quotes with its unit: \"{shown}{unit}\"");
                self.invalid(v, &shown, &expected);
                None
            }
        }
    }

    fn measured(&mut self, s: &Spanned<String>, unit: &str) -> Option<Measured> {
        self.parsed(s, |t| Measured::parse(t, &Unit::parse(unit)))
    }

    fn target(&mut self, raw: &RawTarget, unit: &str) -> Option<Target> {
        let c = raw.comparator.get_ref().trim();
        let Some(kind) = ComparatorKind::parse(c) else {
            self.invalid(&raw.comparator, c, Comparator::EXPECTED);
            return None;
        };
        let value = match (&raw.value, kind.value_unit()) {
            (Some(v), Some(value_unit)) => Some(self.quantity(v, value_unit.of(unit))?),
            (None, Some(_)) => {
                self.invalid(&raw.comparator, c, &format!("a `value` beside the comparator {c}"));
                return None;
            }
            (Some(v), None) => {
                self.invalid(v, v.get_ref(), &format!("no `value` for the comparator {c}"));
                return None;
            }
            (None, None) => None,
        };
        let base = if kind == ComparatorKind::ReductionFromBase {
            let Some(base) = raw.base.as_ref() else {
                self.invalid(&raw.comparator, c, "a `base` fiscal year beside 基準年度比削減");
                return None;
            };
            Some(self.year(base)?)
        } else {
            None
        };
        let Some(comparator) = Comparator::new(kind, value, base) else {
            // Not reached: the value and base were checked above.
            self.invalid(&raw.comparator, c, Comparator::EXPECTED);
            return None;
        };
        let deadline = match &raw.deadline {
            Some(d) => Some(self.year(d)?),
            None => None,
        };
        Some(Target { text: raw.text.clone(), comparator, deadline })
    }

    fn withdrawal(&mut self, raw: &load::RawWithdrawal, unit: Option<&str>) -> Option<WithdrawalCriterion> {
        let rule = match &raw.comparator {
            None => WithdrawalRule::Qualitative,
            Some(c) => {
                let name = c.get_ref().trim();
                let Some(kind) = WithdrawalKind::parse(name) else {
                    self.invalid(c, name, WithdrawalRule::EXPECTED);
                    return None;
                };
                let value = match (kind.value_unit(), &raw.value) {
                    (Some(value_unit), Some(v)) => Some(self.quantity(v, value_unit.of(unit.unwrap_or("")))?),
                    (Some(_), None) => {
                        self.invalid(c, name, &format!("a `value` beside the comparator {name}"));
                        return None;
                    }
                    // A value beside a rule that takes none is ignored.
                    (None, _) => None,
                };
                let Some(rule) = WithdrawalRule::new(kind, value) else {
                    // Not reached: the value was checked above.
                    self.invalid(c, name, WithdrawalRule::EXPECTED);
                    return None;
                };
                rule
            }
        };
        Some(WithdrawalCriterion {
            text: raw.text.clone(),
            rule,
            indicator: raw.indicator.as_ref().map(|s| IndicatorId::new(s.get_ref().clone())),
        })
    }

    /// A `direction` given beside a target must be the one its comparator implies: 「50％以上」
    /// with `direction = "lower"` would make every progress display point the wrong way.
    fn direction_agrees(&mut self, raw: &Spanned<String>, given: Option<Direction>, target: Option<&Target>) {
        let (Some(given), Some(target)) = (given, target) else { return };
        let Some(implied) = target.direction() else { return };
        if given != implied {
            let expected = format!(
                "`{}` (the target 「{}」 is met by {} values), or no `direction`",
                implied.code(),
                target.short(),
                implied.code()
            );
            self.invalid(raw, raw.get_ref().trim(), &expected);
        }
    }

    /// A report's restated target for a city-wide indicator must be met the way the
    /// indicator's direction in policy.toml (given, or implied by its target there) says.
    fn restated_direction(&mut self, raw: &RawTarget, target: &Target, def: &IndicatorDef) {
        let (Some(direction), Some(implied)) = (def.direction, target.direction()) else { return };
        if direction != implied {
            let fitting: Vec<&str> = ComparatorKind::ALL
                .into_iter()
                .filter(|k| k.direction().is_none_or(|d| d == direction))
                .map(ComparatorKind::word)
                .collect();
            let expected = format!(
                "a comparator met by {} values, the direction of city-wide indicator `{}` in policy.toml: one of {}",
                direction.code(),
                def.id,
                fitting.join(", ")
            );
            self.invalid(&raw.comparator, raw.comparator.get_ref().trim(), &expected);
        }
    }

    /// A survey behind a value, with where its figures stand (for proof-reading).
    fn survey(&mut self, s: &load::RawSurvey) -> Survey {
        Survey {
            name: s.name.clone(),
            asked: s.asked.as_ref().map(|a| *a.get_ref()),
            answered: s.answered.as_ref().map(|a| *a.get_ref()),
            response_rate: s.response_rate.as_ref().and_then(|r| self.quantity(r, "％")),
            when: s.when.clone(),
            spans: [
                s.asked.as_ref().map(|a| self.span(a)),
                s.answered.as_ref().map(|a| self.span(a)),
                s.response_rate.as_ref().map(|r| self.span(r)),
            ],
        }
    }

    fn measurement(&mut self, raw: &RawMeasurement, city: &BTreeMap<IndicatorId, IndicatorDef>) -> Option<Measurement> {
        let id: IndicatorId = self.id(&raw.indicator, "indicator");
        let def = if let Some(def) = city.get(&id) {
            if let Some(u) = &raw.unit
                && Unit::parse(u.get_ref()) != def.unit
            {
                self.invalid(u, u.get_ref(), &format!("the unit of city-wide indicator `{id}`: {}", def.unit));
            }
            let mut def = def.clone();
            // A report may restate the target it was evaluated against: unless the report
            // gives its own `direction`, the target must be met the city-wide indicator's way.
            if let Some(t) = &raw.target {
                let target = self.target(t, &def.unit)?;
                if raw.direction.is_none() {
                    self.restated_direction(t, &target, &def);
                }
                def.target = Some(target);
            }
            def
        } else {
            let (Some(name), Some(unit)) = (&raw.name, &raw.unit) else {
                let span = self.span(&raw.indicator);
                // With one of the two given, the id is meant as the ward's own indicator: say
                // what is missing rather than that the id is unknown.
                let missing = match (&raw.name, &raw.unit) {
                    (Some(_), None) => Some("`unit`"),
                    (None, Some(_)) => Some("`name`"),
                    _ => None,
                };
                if let Some(missing) = missing {
                    self.errors.push(Error::invalid(
                        span,
                        id.as_str(),
                        format!(
                            "a ward's own indicator (one not in policy.toml) to give its `name` and `unit` (and \
                             `target`) in every report that lists it: add {missing}"
                        ),
                    ));
                    return None;
                }
                self.errors.push(Error::UnknownReference {
                    span,
                    kind: "indicator (not in policy.toml; a ward-own indicator needs `name` and `unit`)",
                    id: id.to_string(),
                    known: city.keys().map(ToString::to_string).collect(),
                });
                return None;
            };
            let unit = Unit::parse(unit.get_ref());
            let target = match &raw.target {
                Some(t) => Some(self.target(t, &unit)?),
                None => None,
            };
            IndicatorDef {
                id: id.clone(),
                name: name.clone(),
                unit,
                direction: None,
                target,
                description: String::new(),
                city_wide: false,
            }
        };
        let mut def = def;
        if let Some(d) = &raw.direction {
            def.direction = self.code(Some(d), Direction::parse, Direction::EXPECTED);
            self.direction_agrees(d, def.direction, def.target.as_ref());
        }
        if def.direction.is_none() {
            def.direction = def.target.as_ref().and_then(Target::direction);
        }
        let unit = def.unit.clone();
        let value = match &raw.value {
            Some(v) => Some(self.value(v, &unit)?),
            None => None,
        };
        let previous = match &raw.previous {
            Some(v) => Some(self.value(v, &unit)?),
            None => None,
        };
        let survey = raw.survey.as_ref().map(|s| self.survey(s));
        let continues = raw.continues.as_ref().map(|c| (self.id(c, "indicator"), self.span(c)));
        Some(Measurement {
            indicator: def,
            measure: raw.measure.clone(),
            value,
            previous,
            rating: self.code(raw.rating.as_ref(), OutcomeRating::parse, OutcomeRating::EXPECTED),
            notes: raw.notes.clone(),
            survey,
            source_ref: raw.source_ref.clone(),
            series_break: raw.series_break.clone(),
            continues,
            declared_new: raw.new_indicator,
            as_printed: raw.as_printed,
            id_span: self.span(&raw.indicator),
            value_span: raw.value.as_ref().map_or_else(|| self.span(&raw.indicator), |v| self.span(v)),
            previous_span: raw.previous.as_ref().map_or_else(|| self.span(&raw.indicator), |v| self.span(v)),
        })
    }
}

fn policy_node(
    ck: &mut Checker,
    raw: &load::RawPolicyNode,
    defs: &mut BTreeMap<IndicatorId, (IndicatorDef, Span)>,
) -> PolicyNode {
    let mut ids = Vec::new();
    for ind in &raw.indicators {
        let id: IndicatorId = ck.id(&ind.id, "indicator");
        let unit = ind.unit.as_ref().map(|u| Unit::parse(u.get_ref())).unwrap_or_default();
        let target = ind.target.as_ref().and_then(|t| ck.target(t, &unit));
        let mut direction =
            ind.direction.as_ref().and_then(|d| ck.code(Some(d), Direction::parse, Direction::EXPECTED));
        if let Some(d) = &ind.direction {
            ck.direction_agrees(d, direction, target.as_ref());
        }
        if direction.is_none() {
            direction = target.as_ref().and_then(Target::direction);
        }
        let span = ck.span(&ind.id);
        if let Some((_, first)) = defs.get(&id) {
            ck.errors.push(Error::Duplicate { span, kind: "indicator", id: id.to_string(), first: first.clone() });
        } else {
            let def = IndicatorDef {
                id: id.clone(),
                name: ind.name.clone(),
                unit,
                direction,
                target,
                description: ind.description.clone(),
                city_wide: true,
            };
            defs.insert(id.clone(), (def, span));
        }
        ids.push(id);
    }
    PolicyNode {
        id: ck.id(&raw.id, "policy item"),
        label: raw.label.clone(),
        title: raw.title.clone(),
        indicators: ids,
        children: raw.items.iter().map(|c| policy_node(ck, c, defs)).collect(),
    }
}

/// Checks that ids in a list are unique; reports the second occurrence.
fn unique<'a>(ck: &mut Checker, kind: &'static str, ids: impl Iterator<Item = &'a Spanned<String>>) {
    let mut seen: IdMap<Span> = IdMap::new();
    for s in ids {
        let span = ck.span(s);
        if let Some(first) = seen.get(s.get_ref()) {
            ck.errors.push(Error::Duplicate { span, kind, id: s.get_ref().clone(), first: first.clone() });
        } else {
            seen.insert(s.get_ref().clone(), span);
        }
    }
}

fn date_string(d: &toml::value::Datetime) -> Option<String> {
    (d.time.is_none() && d.offset.is_none()).then(|| d.date.map(|d| d.to_string())).flatten()
}

fn report(ck: &mut Checker, lr: &load::LoadedReport, city: &City) -> Option<Report> {
    let r = &lr.report;
    let fy = ck.year(&r.fiscal_year)?;
    if lr.folder != fy.western().to_string() {
        let span = ck.span(&r.fiscal_year);
        // A folder named like a fiscal year but not in Western years (`H29`, `平成29年度`): the
        // folder is what to change, and its name is known.
        let error = match FiscalYear::parse(&lr.folder) {
            Some(folder_year) if lr.folder != folder_year.western().to_string() => Error::invalid(
                span,
                lr.folder.clone(),
                format!(
                    "a report folder named by its Western fiscal year: rename the folder to `{}` ({} is FY{})",
                    folder_year.western(),
                    lr.folder,
                    folder_year.western()
                ),
            ),
            _ => Error::invalid(
                span,
                fy.label(),
                format!(
                    "the fiscal year of the folder name `{}` (folders are named by Western fiscal year)",
                    lr.folder
                ),
            ),
        };
        ck.errors.push(error);
    }
    let updated = r.updated.as_ref().and_then(|d| {
        let (s, found) = match d.get_ref() {
            load::RawDate::Date(date) => (date_string(date), date.to_string()),
            load::RawDate::Text(text) => (crate::ja::parse_date(text), text.clone()),
        };
        if s.is_none() {
            ck.invalid(d, &found, "a date such as 2017-06-30 or 平成29年6月30日");
        }
        s
    });
    unique(ck, "goal", r.goals.iter().map(|g| &g.id));
    unique(ck, "initiative", r.initiatives.iter().map(|i| &i.id));
    let policy_ids: Vec<String> =
        city.policy.as_ref().map(|p| p.nodes().iter().map(|n| n.id.to_string()).collect()).unwrap_or_default();
    let goal_ids: Vec<String> = r.goals.iter().map(|g| g.id.get_ref().clone()).collect();

    if r.goals.is_empty() && r.initiatives.is_empty() {
        let span = ck.span(&r.fiscal_year);
        ck.errors.push(Error::invalid(
            span,
            "a report without goals or initiatives",
            "its goals ([[goals]]) and initiatives ([[initiatives]]) as the source gives them (docs/content-format.md)",
        ));
    }
    let goals_raw = &r.goals;
    let mut goals: Vec<Goal> = goals_raw.iter().map(|g| goal(ck, g, city, &policy_ids)).collect();
    let initiatives: Vec<Initiative> = r.initiatives.iter().map(|i| initiative(ck, i, city, &goal_ids)).collect();
    resolve_goal_titles(&mut goals, goals_raw, city);
    let corrections = corrections(ck, r, &goals, &initiatives, city);

    Some(Report {
        fiscal_year: fy,
        title: r.title.clone(),
        updated,
        source: r.source.as_ref().map(|s| Source {
            title: s.title.clone(),
            file: s.file.clone(),
            url: s.url.as_ref().and_then(|u| ck.parsed(u, WebUrl::parse)),
            published: s.published.clone(),
        }),
        transcription_notes: r.transcription_notes.clone(),
        intro: lr.intro.clone(),
        goals,
        initiatives,
        corrections,
        file: lr.file.path.clone(),
    })
}

fn goal(ck: &mut Checker, g: &load::RawGoal, city: &City, policy_ids: &[String]) -> Goal {
    let id = ck.id(&g.id, "goal");
    if let Some(p) = &g.policy {
        ck.reference(p, "policy item", policy_ids);
    }
    let outcomes = g.outcomes.iter().filter_map(|m| ck.measurement(m, &city.indicators)).collect();
    Goal {
        id,
        policy: g.policy.as_ref().map(|p| PolicyId::new(p.get_ref().clone())),
        // Resolved by `resolve_goal_titles`, once every goal of the report is known.
        title: String::new(),
        desired_state: g.desired_state.clone(),
        strategy: g.strategy.clone(),
        strategy_revised: g.strategy_revised,
        outcome_rating: ck.code(g.outcome_rating.as_ref(), OutcomeRating::parse, OutcomeRating::EXPECTED),
        strategy_progress: ck.code(g.strategy_progress.as_ref(), StrategyProgress::parse, StrategyProgress::EXPECTED),
        effectiveness: ck.code(g.effectiveness.as_ref(), StrategyEffectiveness::parse, StrategyEffectiveness::EXPECTED),
        issues: g.issues.clone(),
        next_steps: g.next_steps.clone(),
        outcomes,
        notes: g.notes.clone(),
    }
}

fn initiative(ck: &mut Checker, i: &load::RawInitiative, city: &City, goal_ids: &[String]) -> Initiative {
    let id: InitiativeId = ck.id(&i.id, "initiative");
    if let Some(g) = &i.goal {
        ck.reference(g, "goal", goal_ids);
    }
    let indicators: Vec<Measurement> =
        i.indicators.iter().filter_map(|m| ck.measurement(m, &city.indicators)).collect();
    let withdrawals = withdrawals(ck, i, &indicators);
    let label = i.label.clone().unwrap_or_else(|| id.to_string());
    let heading = i.title.clone().unwrap_or_else(|| format!("取組【{label}】"));
    let title = i.title.clone().unwrap_or_else(|| {
        let first = crate::text::summary(&i.content, 40);
        if first.is_empty() { heading.clone() } else { first }
    });
    Initiative {
        label,
        id,
        goal: i.goal.as_ref().map(|g| GoalId::new(g.get_ref().clone())),
        title,
        heading,
        content: i.content.clone(),
        performance_target: i.performance_target.clone(),
        withdrawals,
        previous_results: i.previous_results.clone(),
        results: i.results.clone(),
        achievement: i.achievement.clone(),
        achievement_code: ck.code(i.achievement_code.as_ref(), Achievement::parse, Achievement::EXPECTED),
        achievement_span: i.achievement_code.as_ref().map(|a| ck.span(a)),
        effectiveness: ck.code(
            i.effectiveness.as_ref(),
            InitiativeEffectiveness::parse,
            InitiativeEffectiveness::EXPECTED,
        ),
        issues: i.issues.clone(),
        improvements: i.improvements.clone(),
        indicators,
        notes: i.notes.clone(),
    }
}

/// An initiative's withdrawal criteria (撤退基準), each with the unit of its threshold: the
/// named indicator's, else the one all the initiative's indicators share.
fn withdrawals(ck: &mut Checker, i: &load::RawInitiative, indicators: &[Measurement]) -> Vec<WithdrawalCriterion> {
    let indicators_failed = indicators.len() != i.indicators.len();
    i.withdrawal
        .iter()
        .chain(&i.withdrawals)
        .filter_map(|w| {
            // The unit of the threshold: the named indicator's, else the one shared by all.
            let target_unit = match &w.indicator {
                Some(ind) => match indicators.iter().find(|m| m.indicator.id == ind.get_ref().as_str()) {
                    Some(m) => Some(m.indicator.unit.to_string()),
                    None if indicators_failed => return None,
                    None => {
                        let span = ck.span(ind);
                        let known = indicators.iter().map(|m| m.indicator.id.to_string()).collect();
                        ck.errors.push(Error::UnknownReference {
                            span,
                            kind: "indicator of this initiative",
                            id: ind.get_ref().clone(),
                            known,
                        });
                        return None;
                    }
                },
                // An indicator that failed to parse was already reported: no second error.
                None if indicators_failed => return None,
                None => {
                    let mut units: Vec<&str> = indicators.iter().map(|m| m.indicator.unit.as_str()).collect();
                    units.sort_unstable();
                    units.dedup();
                    match (units.as_slice(), &w.value) {
                        ([unit], _) => Some(unit.to_string()),
                        (_, Some(v)) => {
                            let expected =
                                "an `indicator` naming which of this initiative's indicators the value applies to";
                            ck.invalid(v, v.get_ref(), expected);
                            return None;
                        }
                        (_, None) => None,
                    }
                }
            };
            ck.withdrawal(w, target_unit.as_deref())
        })
        .collect()
}

/// A report's declarations of which value stands (each in the unit of its indicator).
fn corrections(
    ck: &mut Checker,
    r: &load::RawReport,
    goals: &[Goal],
    initiatives: &[Initiative],
    city: &City,
) -> Vec<Correction> {
    r.corrections
        .iter()
        .filter_map(|c| {
            let fiscal_year = ck.year(&c.fiscal_year)?;
            let indicator = IndicatorId::new(c.indicator.get_ref().clone());
            let unit = goals
                .iter()
                .flat_map(|g| &g.outcomes)
                .chain(initiatives.iter().flat_map(|i| &i.indicators))
                .find(|m| m.indicator.id == indicator)
                .map(|m| m.indicator.unit.clone())
                .or_else(|| city.indicators.get(&indicator).map(|d| d.unit.clone()));
            let Some(unit) = unit else {
                let span = ck.span(&c.indicator);
                ck.errors.push(Error::UnknownReference {
                    span,
                    kind: "indicator (corrections name an indicator this report or policy.toml declares)",
                    id: indicator.to_string(),
                    known: vec![],
                });
                return None;
            };
            Some(Correction {
                indicator,
                fiscal_year,
                value: ck.measured(&c.value, &unit)?,
                note: c.note.clone(),
                span: ck.span(&c.value),
            })
        })
        .collect()
}

/// Gives each goal its title: its own, else the title of the policy item it serves when no
/// other goal of the report serves one of the same title, else the start of its desired state
/// (the source gives goals no titles), else its number.
fn resolve_goal_titles(goals: &mut [Goal], raw: &[load::RawGoal], city: &City) {
    let policy_title = |g: &Goal| {
        let node = city.policy.as_ref()?.find(g.policy.as_deref()?)?;
        (!node.title.is_empty()).then_some(node.title.as_str())
    };
    let policy_titles: Vec<Option<&str>> = goals.iter().map(policy_title).collect();
    let titles: Vec<String> = goals
        .iter()
        .zip(raw)
        .zip(&policy_titles)
        .map(|((g, r), policy)| {
            if let Some(own) = &r.title {
                return own.clone();
            }
            if let Some(t) = policy
                && policy_titles.iter().filter(|p| *p == &Some(*t)).count() == 1
            {
                return (*t).to_string();
            }
            let state = crate::text::summary(&g.desired_state, 32);
            if state.is_empty() { format!("目標【{}】", g.id) } else { state }
        })
        .collect();
    for (g, t) in goals.iter_mut().zip(titles) {
        g.title = t;
    }
}

/// Folder names the site's own pages use at the top level (docs/urls.md).
const RESERVED_CITY_IDS: [&str; 5] = ["about", "accessibility", "assets", "data", "indicators"];

/// Validates everything loaded; reports every error at once.
pub fn build(loaded: &Loaded) -> Result<Site, Errors> {
    build_with(loaded, None)
}

/// Reports checked by an earlier build (the preview), by city, ward and report folder, with
/// the fingerprint of their ward then: taken again while it is unchanged (a report is made
/// from its own files and its city's).
#[derive(Debug, Default)]
pub struct ModelCache {
    reports: std::sync::Mutex<std::collections::HashMap<ReportKey, (u64, Arc<Report>)>>,
}

/// A report by its city's, ward's and own folder names.
type ReportKey = (String, String, String);

/// [`build`], taking unchanged reports from `cache` instead of checking them again. A report
/// with a mistake is never kept.
pub fn build_cached(loaded: &Loaded, cache: &ModelCache, fingerprint: WardFingerprint) -> Result<Site, Errors> {
    build_with(loaded, Some((cache, fingerprint)))
}

/// One report checked, or taken from `cache` while its ward's fingerprint is unchanged.
fn report_kept(
    lr: &load::LoadedReport,
    city: &City,
    ward: &str,
    cache: Option<(&ModelCache, WardFingerprint)>,
) -> (Option<Arc<Report>>, Errors) {
    let kept = cache.map(|(c, f)| (c, (city.id.to_string(), ward.to_string(), lr.folder.clone()), f(&city.id, ward)));
    if let Some((c, key, fingerprint)) = &kept {
        let reports = c.reports.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, r)) = reports.get(key).filter(|(f, _)| f == fingerprint) {
            return (Some(r.clone()), Errors::default());
        }
    }
    let mut own = Errors::default();
    let r = report(&mut Checker { file: &lr.file, errors: &mut own }, lr, city).map(Arc::new);
    if let (Some((c, key, fingerprint)), Some(r), true) = (kept, &r, own.is_empty()) {
        let mut reports = c.reports.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        reports.insert(key, (fingerprint, r.clone()));
    }
    (r, own)
}

fn build_with(loaded: &Loaded, cache: Option<(&ModelCache, WardFingerprint)>) -> Result<Site, Errors> {
    use rayon::prelude::*;
    let mut errors = Errors::default();
    let mut cities = Vec::new();
    for lc in &loaded.cities {
        let mut ck = Checker { file: &lc.file, errors: &mut errors };
        if !load::is_valid_id(&lc.id) || RESERVED_CITY_IDS.contains(&lc.id.as_str()) {
            let expected = format!(
                "a city folder name of lowercase ASCII letters, digits and hyphens, other than {}",
                RESERVED_CITY_IDS.join(", ")
            );
            ck.errors.push(Error::invalid(Span::file(&lc.file.path), &lc.id, expected));
        }
        let code = LocalGovCode::parse(lc.municipality.code.get_ref().trim());
        if code.is_none() {
            ck.invalid(
                &lc.municipality.code,
                lc.municipality.code.get_ref(),
                "a 6-digit 全国地方公共団体コード whose last digit is its check digit (e.g. 271004)",
            );
        }
        let mut defs: BTreeMap<IndicatorId, (IndicatorDef, Span)> = BTreeMap::new();
        let policy = lc.policy.as_ref().map(|(file, raw)| {
            let mut ck = Checker { file, errors: &mut errors };
            // Goals name policy items by id: each must be one item.
            fn items<'r>(nodes: &'r [load::RawPolicyNode], out: &mut Vec<&'r Spanned<String>>) {
                for n in nodes {
                    out.push(&n.id);
                    items(&n.items, out);
                }
            }
            let mut ids = Vec::new();
            for p in &raw.pillars {
                items(&p.areas, &mut ids);
            }
            unique(&mut ck, "policy pillar", raw.pillars.iter().map(|p| &p.id));
            unique(&mut ck, "policy item", ids.into_iter());
            Policy {
                title: raw.title.clone(),
                pillars: raw
                    .pillars
                    .iter()
                    .map(|p| PolicyPillar {
                        id: ck.id(&p.id, "policy pillar"),
                        title: p.title.clone(),
                        areas: p.areas.iter().map(|a| policy_node(&mut ck, a, &mut defs)).collect(),
                    })
                    .collect(),
            }
        });
        let mut city = City {
            id: CityId::new(lc.id.clone()),
            name: lc.municipality.name.clone(),
            name_en: lc.municipality.name_en.clone(),
            code: code.unwrap_or(LocalGovCode(String::new())),
            policy,
            indicators: defs.into_iter().map(|(k, (d, _))| (k, d)).collect(),
            wards: Vec::new(),
        };
        for lw in &lc.wards {
            if !load::is_valid_id(&lw.id) || lw.id == "indicators" {
                let expected =
                    "a ward folder name of lowercase ASCII letters, digits and hyphens, other than indicators";
                errors.push(Error::invalid(Span::file(&lw.file.path), &lw.id, expected));
            }
            // Reports are checked in parallel, each into its own error list, merged in order.
            let checked: Vec<(Option<Arc<Report>>, Errors)> =
                lw.reports.par_iter().map(|lr| report_kept(lr, &city, &lw.id, cache)).collect();
            let mut reports = Vec::with_capacity(checked.len());
            for (r, own) in checked {
                errors.0.extend(own.0);
                reports.extend(r);
            }
            reports.sort_by_key(|r| r.fiscal_year);
            city.wards.push(Ward {
                id: WardId::new(lw.id.clone()),
                name: lw.ward.name.clone(),
                name_kana: lw.ward.name_kana.clone(),
                description: lw.ward.description.clone(),
                reports,
            });
        }
        cities.push(city);
    }
    errors.into_result(Site { home_intro: loaded.home_intro.clone(), cities })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// Checks one TOML table as `[[outcomes]]` of a report (against `city`'s indicators) or as
    /// a policy.toml item; returns the first error as printed, if any.
    fn check(toml: &str, city: &BTreeMap<IndicatorId, IndicatorDef>) -> (Option<IndicatorDef>, Option<String>) {
        #[derive(serde::Deserialize)]
        struct Doc {
            #[serde(default)]
            outcomes: Vec<RawMeasurement>,
            #[serde(default)]
            items: Vec<load::RawPolicyNode>,
        }
        let doc: Doc = toml::from_str(toml).unwrap();
        let file = SourceFile::new(PathBuf::from("x.toml"), toml.to_string());
        let mut errors = Errors::default();
        let mut ck = Checker { file: &file, errors: &mut errors };
        let def = if let Some(m) = doc.outcomes.first() {
            ck.measurement(m, city).map(|m| m.indicator)
        } else {
            let mut defs = BTreeMap::new();
            policy_node(&mut ck, &doc.items[0], &mut defs);
            defs.into_values().next().map(|(d, _)| d)
        };
        (def, errors.0.first().map(ToString::to_string))
    }

    fn error_of(toml: &str, city: &BTreeMap<IndicatorId, IndicatorDef>) -> String {
        check(toml, city).1.unwrap_or_else(|| panic!("no error for\n{toml}"))
    }

    const OWN: &str = r#"[[outcomes]]
indicator = "own"
name = "待機児童数"
unit = "人"
target = { text = "ゼロ", comparator = "ゼロ" }
"#;

    #[test]
    fn direction_beside_a_target_must_be_the_one_it_implies() {
        let none = BTreeMap::new();
        let lower = format!("{OWN}direction = \"lower\"\n");
        assert_eq!(check(&lower, &none).0.unwrap().direction, Some(Direction::Lower));
        assert_eq!(check(OWN, &none).0.unwrap().direction, Some(Direction::Lower), "implied");

        let higher = format!("{OWN}direction = \"higher\"\n");
        let e = error_of(&higher, &none);
        assert!(
            e.starts_with(
                "error: found `higher`, expected `lower` (the target 「ゼロ」 is met by lower values), or no `direction`\n  --> x.toml:6:13\n"
            ),
            "{e}"
        );
        let japanese = format!("{OWN}direction = \"高いほどよい\"\n");
        assert!(error_of(&japanese, &none).contains("found `高いほどよい`, expected `lower`"));

        let at_least = r#"[[outcomes]]
indicator = "own"
name = "割合"
unit = "％"
direction = "lower"
target = { text = "50％以上", comparator = "以上", value = "50％" }
"#;
        let e = error_of(at_least, &none);
        assert!(
            e.contains("found `lower`, expected `higher` (the target 「50％以上」 is met by higher values)"),
            "{e}"
        );
        assert!(e.contains("x.toml:5:13"), "{e}");

        // A qualitative target implies nothing: any direction stands.
        let words = r#"[[outcomes]]
indicator = "own"
name = "割合"
unit = "％"
direction = "lower"
target = { text = "仕組みを立ち上げる", comparator = "定性" }
"#;
        assert_eq!(check(words, &none).1, None);
    }

    #[test]
    fn every_comparator_is_checked_against_a_direction() {
        for kind in ComparatorKind::ALL {
            let Some(implied) = kind.direction() else { continue };
            let value = match kind.value_unit() {
                Some(u) => format!(", value = \"5{}\"", u.of("件")),
                None => String::new(),
            };
            let base = if kind == ComparatorKind::ReductionFromBase { ", base = 2013" } else { "" };
            for given in Direction::ALL {
                let toml = format!(
                    "[[outcomes]]\nindicator = \"own\"\nname = \"n\"\nunit = \"件\"\ndirection = \"{}\"\n\
                     target = {{ text = \"t\", comparator = \"{}\"{value}{base} }}\n",
                    given.code(),
                    kind.word()
                );
                let error = check(&toml, &BTreeMap::new()).1;
                assert_eq!(error.is_some(), given != implied, "{} with {}: {error:?}", kind.word(), given.code());
            }
        }
    }

    #[test]
    fn direction_in_policy_toml_is_checked_against_its_target() {
        let policy = r#"[[items]]
id = "1-1"
[[items.indicators]]
id = "kyodo"
name = "割合"
unit = "％"
direction = "lower"
target = { text = "50％以上", comparator = "以上", value = "50％" }
"#;
        let e = error_of(policy, &BTreeMap::new());
        assert!(
            e.contains("found `lower`, expected `higher` (the target 「50％以上」 is met by higher values)"),
            "{e}"
        );
        assert!(e.contains("x.toml:7:13"), "{e}");
        let agreeing = policy.replace("\"lower\"", "\"higher\"");
        assert_eq!(check(&agreeing, &BTreeMap::new()).1, None);
    }

    #[test]
    fn a_city_wide_indicator_keeps_its_direction_in_reports() {
        let policy = r#"[[items]]
id = "1-1"
[[items.indicators]]
id = "kyodo"
name = "割合"
unit = "％"
target = { text = "50％以上", comparator = "以上", value = "50％" }
"#;
        let def = check(policy, &BTreeMap::new()).0.unwrap();
        assert_eq!(def.direction, Some(Direction::Higher));
        let city: BTreeMap<IndicatorId, IndicatorDef> = [(IndicatorId::new("kyodo"), def)].into();

        // The report's `direction` is checked against the city-wide target…
        let e = error_of("[[outcomes]]\nindicator = \"kyodo\"\ndirection = \"lower\"\n", &city);
        assert!(
            e.contains("found `lower`, expected `higher` (the target 「50％以上」 is met by higher values)"),
            "{e}"
        );

        // …a restated target against the city-wide direction…
        let restated = r#"[[outcomes]]
indicator = "kyodo"
target = { text = "30％以下", comparator = "以下", value = "30％" }
"#;
        let e = error_of(restated, &city);
        assert!(
            e.starts_with(
                "error: found `以下`, expected a comparator met by higher values, the direction of city-wide \
                 indicator `kyodo` in policy.toml: one of 以上, 到達, 超, 前年度より増, 基準年度比削減, 定性\n  \
                 --> x.toml:3:41\n"
            ),
            "{e}"
        );
        let same_way = restated.replace("30％以下", "60％以上").replace("以下", "以上");
        assert_eq!(check(&same_way, &city).1, None);

        // …and a restated target with the report's own `direction` against that direction.
        let own_way = format!("{restated}direction = \"lower\"\n");
        assert_eq!(check(&own_way, &city).1, None);
        let wrong_way = format!("{restated}direction = \"higher\"\n");
        assert!(error_of(&wrong_way, &city).contains("the target 「30％以下」 is met by lower values"));
    }

    #[test]
    fn comparator_messages_are_made_from_the_vocabulary() {
        assert_eq!(
            Comparator::EXPECTED,
            "one of 以上, 到達, 超, 以下, 未満, ゼロ, 前年度より増, 前年度より減, 基準年度比削減, 定性"
        );
        assert_eq!(WithdrawalRule::EXPECTED, "one of 未満, 以下, 超, 以上, 前年度比未満, 前年度より減少せず, 定性");
        assert_eq!(Direction::EXPECTED, "higher or lower");
        let unknown = OWN.replace("\"ゼロ\" }", "\"ぜろ\" }");
        let e = error_of(&unknown, &BTreeMap::new());
        assert!(e.starts_with(&format!("error: found `ぜろ`, expected {}\n", Comparator::EXPECTED)), "{e}");
    }

    #[test]
    fn a_report_may_restate_a_city_wide_unit_only_as_it_is() {
        let policy = "[[items]]\nid = \"1-1\"\n[[items.indicators]]\nid = \"kyodo\"\nname = \"割合\"\nunit = \"％\"\n";
        let city: BTreeMap<IndicatorId, IndicatorDef> =
            [(IndicatorId::new("kyodo"), check(policy, &BTreeMap::new()).0.unwrap())].into();
        let outcome = |unit: &str| format!("[[outcomes]]\nindicator = \"kyodo\"\nunit = \"{unit}\"\n");
        assert_eq!(check(&outcome("%"), &city).1, None, "the same unit, half-width");
        let e = error_of(&outcome("人"), &city);
        assert!(e.contains("found `人`, expected the unit of city-wide indicator `kyodo`: ％"), "{e}");
    }
}
