//! Validation: the raw loaded files checked against the domain's rules (ids, codes, numbers
//! with their units, references between goals, initiatives and indicators), every error
//! collected with its place in the file.

use super::quantity::{Measured, Quantity, Unit};
use super::rating::{
    Achievement, Code, InitiativeEffectiveness, OutcomeRating, StrategyEffectiveness, StrategyProgress,
};
use super::target::{
    Comparator, ComparatorKind, Direction, Target, WithdrawalCriterion, WithdrawalKind, WithdrawalRule,
};
use super::{
    City, CityId, Correction, Goal, GoalId, IndicatorDef, IndicatorId, Initiative, InitiativeId, LocalGovCode,
    Measurement, Policy, PolicyId, PolicyNode, PolicyPillar, RatedWith, Report, Site, Source, Survey, Ward,
    WardFingerprint, WardId,
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
        // 「未記入」 is allowed in a draft only, and said where it stands (`placeholders`).
        if matches!(text, "―" | "—" | "－" | load::PLACEHOLDER) {
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

    /// A date as an ISO string: a TOML date or 和暦 text (平成29年6月30日).
    fn date(&mut self, d: &Spanned<load::RawDate>) -> Option<String> {
        let (s, found) = match d.get_ref() {
            load::RawDate::Date(date) => (date_string(date), date.to_string()),
            load::RawDate::Text(text) => (crate::ja::parse_date(text), text.clone()),
        };
        if s.is_none() && found.trim() != load::PLACEHOLDER {
            self.invalid(d, &found, "a date such as 2017-06-30 or 平成29年6月30日");
        }
        s
    }

    /// `file` of a report's `[source]`: a file under `static/`, named with the nearest one
    /// when it is not there.
    fn static_file(&mut self, file: &Spanned<String>, statics: &[load::StaticFile]) -> Option<load::StaticFile> {
        let name = file.get_ref().trim().trim_start_matches('/');
        let name = name.strip_prefix("static/").unwrap_or(name);
        if let Some(f) = statics.iter().find(|f| f.path == name) {
            return Some(f.clone());
        }
        let near = statics
            .iter()
            .map(|f| (strsim::levenshtein(&f.path, name), &f.path))
            .filter(|(d, p)| *d <= 3.max(p.chars().count() / 4))
            .min()
            .map(|(_, p)| format!(" (did you mean `{p}`?)"))
            .unwrap_or_default();
        self.invalid(
            file,
            file.get_ref(),
            &format!(
                "a file under static/, published with the site as the original document: there is no \
                 static/{name}{near}; put the document there, or give its address as `url`"
            ),
        );
        None
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
            load::RawValue::Words(w) => {
                let text = w.text.trim();
                if text.is_empty() || text == load::PLACEHOLDER {
                    self.invalid(v, text, "the result as the source prints it, e.g. { text = \"4地域中3地域\" }");
                    return None;
                }
                Some(Measured::Text(crate::ja::normalize_width(text)))
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

    /// The survey behind a 前年度 value: an error without that value.
    fn previous_survey(&mut self, raw: Option<&Spanned<load::RawSurvey>>, has_previous: bool) -> Option<Survey> {
        let s = raw?;
        if !has_previous {
            let expected = "a `previous` (前年度) value beside `previous_survey`: the survey stands behind that value";
            self.invalid(s, "a survey of no 前年度 value", expected);
        }
        Some(self.survey(s.get_ref()))
    }

    /// Why a reading is uncertain: text, not empty.
    fn uncertain(&mut self, raw: Option<&Spanned<String>>) -> Option<String> {
        let u = raw?;
        let reason = u.get_ref().trim();
        if reason.is_empty() {
            self.invalid(
                u,
                "",
                "why the reading is uncertain (which of the source's values or codes the layout leaves \
                 ambiguous, and how it was read), or no `uncertain`",
            );
            return None;
        }
        Some(reason.to_string())
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
        // The name of the outcome it names is filled in by `rated_with`, once the goal's outcomes are known.
        let rated_with =
            raw.rated_with.as_ref().map(|r| RatedWith { indicator: self.id(r, "indicator"), name: String::new() });
        Some(Measurement {
            indicator: def,
            measure: raw.measure.clone(),
            value,
            previous,
            rating: self.code(raw.rating.as_ref(), OutcomeRating::parse, OutcomeRating::EXPECTED),
            notes: raw.notes.clone(),
            survey,
            previous_survey: self.previous_survey(raw.previous_survey.as_ref(), raw.previous.is_some()),
            source_ref: raw.source_ref.clone(),
            series_break: raw.series_break.clone(),
            continues,
            declared_new: raw.new_indicator,
            as_printed: raw.as_printed,
            rated_with,
            uncertain: self.uncertain(raw.uncertain.as_ref()),
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

fn report(ck: &mut Checker, lr: &load::LoadedReport, city: &City, statics: &[load::StaticFile]) -> Option<Report> {
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
    let updated = r.updated.as_ref().and_then(|d| ck.date(d));
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
        draft: r.draft,
        title: r.title.clone(),
        updated,
        source: r.source.as_ref().map(|s| Source {
            title: s.title.clone(),
            file: s.file.as_ref().and_then(|f| ck.static_file(f, statics)),
            url: s.url.as_ref().and_then(|u| ck.parsed(u, WebUrl::parse)),
            published: s.published.as_ref().and_then(|d| ck.date(d)),
        }),
        transcription_notes: r.transcription_notes.clone(),
        intro: lr.intro.as_ref().map(|f| f.text.clone()),
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
    let mut outcomes: Vec<Measurement> =
        g.outcomes.iter().filter_map(|m| ck.measurement(m, &city.indicators)).collect();
    rated_with(ck, &g.outcomes, &mut outcomes);
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

/// `rated_with` of a goal's outcomes: it names another outcome of the goal that carries the
/// rating itself, with the same rating (the source prints one rating for both). Fills in that
/// outcome's name.
fn rated_with(ck: &mut Checker, raw: &[RawMeasurement], outcomes: &mut [Measurement]) {
    let rated: Vec<(IndicatorId, String, Option<OutcomeRating>, bool)> = outcomes
        .iter()
        .map(|m| (m.indicator.id.clone(), m.indicator.name.clone(), m.rating, m.rated_with.is_some()))
        .collect();
    for r in raw {
        let Some(with) = &r.rated_with else { continue };
        let Some(at) = outcomes.iter().position(|m| m.indicator.id == r.indicator.get_ref().as_str()) else {
            continue;
        };
        let named = with.get_ref().as_str();
        let resolved = if named == r.indicator.get_ref().as_str() {
            ck.invalid(
                with,
                named,
                "the id of another outcome of this goal, whose rating the source prints once for both",
            );
            None
        } else if let Some((id, name, rating, chained)) = rated.iter().find(|(id, ..)| *id == named) {
            let own = outcomes[at].rating;
            match rating {
                _ if *chained => {
                    let expected = format!(
                        "an outcome that carries the rating itself: `{id}` has its own `rated_with`; name the \
                         outcome both share the rating with"
                    );
                    ck.invalid(with, named, &expected);
                    None
                }
                None => {
                    let expected = format!("an outcome with a rating (A or B): `{id}` has none to share");
                    ck.invalid(with, named, &expected);
                    None
                }
                Some(shared) if own != Some(*shared) => {
                    let found = own.map_or_else(|| "no rating".to_string(), |o| o.code());
                    let expected = format!(
                        "{}, the rating of `{id}`: `rated_with` says the source prints one rating for both",
                        shared.code()
                    );
                    match &r.rating {
                        Some(s) => ck.invalid(s, &found, &expected),
                        None => ck.invalid(with, &found, &expected),
                    }
                    None
                }
                Some(_) => Some(name.clone()),
            }
        } else {
            let span = ck.span(with);
            let known =
                rated.iter().filter(|(id, ..)| *id != r.indicator.get_ref().as_str()).map(|(id, ..)| id.to_string());
            ck.errors.push(Error::UnknownReference {
                span,
                kind: "outcome of this goal (`rated_with` names the outcome whose rating the source prints once for both)",
                id: named.to_string(),
                known: known.collect(),
            });
            None
        };
        match resolved {
            Some(name) => {
                if let Some(w) = &mut outcomes[at].rated_with {
                    w.name = name;
                }
            }
            None => outcomes[at].rated_with = None,
        }
    }
}

fn initiative(ck: &mut Checker, i: &load::RawInitiative, city: &City, goal_ids: &[String]) -> Initiative {
    let id: InitiativeId = ck.id(&i.id, "initiative");
    if let Some(g) = &i.goal {
        ck.reference(g, "goal", goal_ids);
    }
    let mut indicators: Vec<Measurement> =
        i.indicators.iter().filter_map(|m| ck.measurement(m, &city.indicators)).collect();
    // Only outcomes carry a 個別 rating (A/B) to share.
    for r in &i.indicators {
        if let Some(with) = &r.rated_with {
            ck.invalid(
                with,
                with.get_ref(),
                "no `rated_with` on an initiative's indicator: only a goal's outcomes ([[goals.outcomes]]) carry \
                 a rating (A/B) that the source may print once for two",
            );
        }
    }
    for m in &mut indicators {
        m.rated_with = None;
    }
    let (withdrawals, no_withdrawal) = withdrawals(ck, i, &indicators);
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
        no_withdrawal,
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

/// Whether a withdrawal's `text` is the dash the source prints where it gives no criterion.
fn is_dash(text: &str) -> bool {
    matches!(text.trim(), "―" | "—" | "－" | "-" | "ー")
}

/// An initiative's withdrawal criteria (撤退基準), each with the unit of its threshold: the
/// named indicator's, else the one all the initiative's indicators share; and whether the
/// source prints 「―」 instead (`text = "―"` alone: no criterion).
fn withdrawals(
    ck: &mut Checker,
    i: &load::RawInitiative,
    indicators: &[Measurement],
) -> (Vec<WithdrawalCriterion>, bool) {
    let indicators_failed = indicators.len() != i.indicators.len();
    let all: Vec<&load::RawWithdrawal> = i.withdrawal.iter().chain(&i.withdrawals).collect();
    let dash = all.iter().find(|w| is_dash(&w.text));
    if let Some(w) = dash {
        // 「―」 says there is no criterion: a rule, a value, an indicator or another criterion
        // beside it contradicts it.
        let beside = [&w.comparator, &w.value, &w.indicator].into_iter().flatten().next();
        if let Some(s) = beside {
            let expected =
                "`text = \"―\"` alone, where the source prints 「―」 (no criterion), or the criterion's own text";
            ck.invalid(s, s.get_ref(), expected);
        } else if all.len() > 1 {
            let span = ck.span(&i.id);
            ck.errors.push(Error::invalid(
                span,
                format!("initiative `{}` with 「―」 and another withdrawal criterion", i.id.get_ref()),
                "either 「―」 (the source gives no criterion) or the criteria the source states",
            ));
        }
        return (Vec::new(), true);
    }
    let criteria = all
        .into_iter()
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
        .collect();
    (criteria, false)
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
const RESERVED_CITY_IDS: [&str; 8] =
    ["about", "accessibility", "assets", "data", "indicators", "pagefind", "search", "status"];

/// Folder names a city's own pages use (docs/urls.md): its comparisons and its status summary.
const RESERVED_WARD_IDS: [&str; 2] = ["indicators", "status"];

/// Validates everything loaded; reports every error at once.
/// 「未記入」 left where it may not stay: every place is an error (`what` says what to write).
fn unfilled(file: &SourceFile, what: &str, errors: &mut Errors) {
    for span in load::placeholders(file) {
        errors.push(Error::invalid(
            span,
            load::PLACEHOLDER,
            format!(
                "{what}: 未記入 marks what `mieruka new report` left to fill in; only a report with \
                 `draft = true` may keep it (a draft is published only with --drafts)"
            ),
        ));
    }
}

/// Reports checked by an earlier build (the preview), by city, ward and report folder, with
/// the fingerprint of their ward then: taken again while it is unchanged (a report is made
/// from its own files, its city's and the files of static/ it names).
#[derive(Debug, Default)]
pub struct ModelCache {
    reports: std::sync::Mutex<std::collections::HashMap<ReportKey, (u64, Arc<Report>)>>,
}

/// A report by its city's, ward's and own folder names.
type ReportKey = (String, String, String);

/// [`build`], taking unchanged reports from `cache` instead of checking them again. A report
/// with a mistake is never kept.
pub fn build_cached(
    loaded: &Loaded,
    drafts: bool,
    cache: &ModelCache,
    fingerprint: WardFingerprint,
) -> Result<Site, Errors> {
    build_with(loaded, drafts, Some((cache, fingerprint)))
}

/// One report checked, or taken from `cache` while its ward's fingerprint is unchanged.
fn report_kept(
    lr: &load::LoadedReport,
    city: &City,
    ward: &str,
    statics: &[load::StaticFile],
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
    if !lr.report.draft {
        unfilled(&lr.file, "this year's figure or words", &mut own);
    }
    let r = report(&mut Checker { file: &lr.file, errors: &mut own }, lr, city, statics).map(Arc::new);
    if let (Some((c, key, fingerprint)), Some(r), true) = (kept, &r, own.is_empty()) {
        let mut reports = c.reports.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        reports.insert(key, (fingerprint, r.clone()));
    }
    (r, own)
}

/// One ward and its reports, checked in parallel; drafts left out unless `drafts`.
fn ward(
    lw: &load::LoadedWard,
    city: &City,
    drafts: bool,
    statics: &[load::StaticFile],
    cache: Option<(&ModelCache, WardFingerprint)>,
    errors: &mut Errors,
    drafts_left_out: &mut Vec<std::path::PathBuf>,
) -> Ward {
    use rayon::prelude::*;
    if !load::is_valid_id(&lw.id) || RESERVED_WARD_IDS.contains(&lw.id.as_str()) {
        let expected =
            "a ward folder name of lowercase ASCII letters, digits and hyphens, other than indicators and status";
        errors.push(Error::invalid(Span::file(&lw.file.path), &lw.id, expected));
    }
    unfilled(&lw.file, "the ward's name or description", errors);
    let (shown, left_out): (Vec<&load::LoadedReport>, Vec<_>) =
        lw.reports.iter().partition(|lr| drafts || !lr.report.draft);
    drafts_left_out.extend(left_out.iter().map(|lr| lr.file.path.clone()));
    // Reports are checked in parallel, each into its own error list, merged in order.
    let checked: Vec<(Option<Arc<Report>>, Errors)> =
        shown.par_iter().map(|lr| report_kept(lr, city, &lw.id, statics, cache)).collect();
    let mut reports = Vec::with_capacity(checked.len());
    for (r, own) in checked {
        errors.0.extend(own.0);
        reports.extend(r);
    }
    reports.sort_by_key(|r| r.fiscal_year);
    Ward {
        id: WardId::new(lw.id.clone()),
        name: lw.ward.name.clone(),
        name_kana: lw.ward.name_kana.clone(),
        description: lw.ward.description.clone(),
        reports,
    }
}

/// The typed site. Reports marked `draft = true` are left out (and named in `drafts_left_out`)
/// unless `drafts` is set; a draft that is included may hold 「未記入」 placeholders.
pub fn build(loaded: &Loaded, drafts: bool) -> Result<Site, Errors> {
    build_with(loaded, drafts, None)
}

fn build_with(loaded: &Loaded, drafts: bool, cache: Option<(&ModelCache, WardFingerprint)>) -> Result<Site, Errors> {
    let mut errors = Errors::default();
    let mut cities = Vec::new();
    let mut drafts_left_out = Vec::new();
    for lc in &loaded.cities {
        unfilled(&lc.file, "the municipality's name or code", &mut errors);
        if let Some((file, _)) = &lc.policy {
            unfilled(file, "the policy's text", &mut errors);
        }
        let mut ck = Checker { file: &lc.file, errors: &mut errors };
        if !load::is_valid_id(&lc.id) || RESERVED_CITY_IDS.contains(&lc.id.as_str()) {
            let expected = format!(
                "a city folder name of lowercase ASCII letters, digits and hyphens, other than {}",
                RESERVED_CITY_IDS.join(", ")
            );
            ck.errors.push(Error::invalid(Span::file(&lc.file.path), &lc.id, expected));
        }
        let code = LocalGovCode::parse(lc.municipality.code.get_ref().trim());
        if code.is_none() && lc.municipality.code.get_ref().trim() != load::PLACEHOLDER {
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
            let w = ward(lw, &city, drafts, &loaded.statics, cache, &mut errors, &mut drafts_left_out);
            city.wards.push(w);
        }
        cities.push(city);
    }
    errors.into_result(Site {
        home_intro: loaded.home_intro.as_ref().map(|f| f.text.clone()),
        cities,
        drafts_left_out,
        statics: loaded.statics.clone(),
    })
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

    /// Checks the first `[[goals]]` and `[[initiatives]]` of `toml` (no city-wide indicators);
    /// returns them and every error as printed.
    fn goal_and_initiative(toml: &str) -> (Option<Goal>, Option<Initiative>, Vec<String>) {
        #[derive(serde::Deserialize)]
        struct Doc {
            #[serde(default)]
            goals: Vec<load::RawGoal>,
            #[serde(default)]
            initiatives: Vec<load::RawInitiative>,
        }
        let doc: Doc = toml::from_str(toml).unwrap();
        let file = SourceFile::new(PathBuf::from("x.toml"), toml.to_string());
        let mut errors = Errors::default();
        let mut ck = Checker { file: &file, errors: &mut errors };
        let city = City {
            id: CityId::new("c".to_string()),
            name: String::new(),
            name_en: String::new(),
            code: LocalGovCode(String::new()),
            policy: None,
            indicators: BTreeMap::new(),
            wards: Vec::new(),
        };
        let g = doc.goals.first().map(|g| goal(&mut ck, g, &city, &[]));
        let i = doc.initiatives.first().map(|i| initiative(&mut ck, i, &city, &[]));
        (g, i, errors.0.iter().map(ToString::to_string).collect())
    }

    /// A goal whose two outcomes the source rates with one 「Ｂ」.
    const SHARED: &str = r#"[[goals]]
id = "2-5"
desired_state = "d"

[[goals.outcomes]]
indicator = "taiki"
name = "保育所待機児童数"
unit = "名"
value = "3名"
rating = "B"

[[goals.outcomes]]
indicator = "horyu"
name = "入所保留児童数"
unit = "名"
value = "218名"
rating = "B"
rated_with = "taiki"
"#;

    #[test]
    fn rated_with_names_another_outcome_of_the_goal_with_the_same_rating() {
        let (g, _, errors) = goal_and_initiative(SHARED);
        assert_eq!(errors, Vec::<String>::new());
        let g = g.unwrap();
        assert_eq!(g.outcomes[0].rated_with, None);
        let shared = g.outcomes[1].rated_with.as_ref().expect("rated with taiki");
        assert_eq!((shared.indicator.as_str(), shared.name.as_str()), ("taiki", "保育所待機児童数"));
        assert_eq!(shared.words(), "評価は「保育所待機児童数」と合わせて1つ（原資料は2つの指標に1つの評価を印字）");

        let first_error = |toml: &str| {
            let (g, _, errors) = goal_and_initiative(toml);
            assert!(g.unwrap().outcomes.iter().all(|m| m.rated_with.is_none()), "not kept when wrong");
            errors.first().cloned().unwrap_or_else(|| panic!("no error for\n{toml}"))
        };
        // Another rating than the one it shares: the error stands on the rating.
        let e = first_error(&SHARED.replace("value = \"218名\"\nrating = \"B\"", "value = \"218名\"\nrating = \"A\""));
        assert!(
            e.starts_with(
                "error: found `A`, expected B, the rating of `taiki`: `rated_with` says the source prints one \
                 rating for both\n  --> x.toml:17:10\n"
            ),
            "{e}"
        );
        // No rating of its own: the error stands on `rated_with`.
        let e = first_error(&SHARED.replace("value = \"218名\"\nrating = \"B\"\n", "value = \"218名\"\n"));
        assert!(e.starts_with("error: found `no rating`, expected B, the rating of `taiki`"), "{e}");
        let e = first_error(&SHARED.replace("rated_with = \"taiki\"", "rated_with = \"horyu\""));
        assert!(e.contains("expected the id of another outcome of this goal"), "{e}");
        let e = first_error(&SHARED.replace("rated_with = \"taiki\"", "rated_with = \"taiki-x\""));
        assert!(
            e.starts_with(
                "error: unknown outcome of this goal (`rated_with` names the outcome whose rating the source \
                 prints once for both) `taiki-x` (known: taiki)"
            ),
            "{e}"
        );
        let unrated = SHARED.replacen("rating = \"B\"\n", "", 1).replace("rating = \"B\"\nrated_with", "rated_with");
        assert!(first_error(&unrated).contains("expected an outcome with a rating (A or B): `taiki` has none"));
        let chained = SHARED.replacen("rating = \"B\"\n", "rating = \"B\"\nrated_with = \"horyu\"\n", 1);
        let (_, _, errors) = goal_and_initiative(&chained);
        assert!(errors.iter().any(|e| e.contains("`horyu` has its own `rated_with`")), "{errors:?}");
    }

    #[test]
    fn only_outcomes_share_a_rating() {
        let toml = r#"[[initiatives]]
id = "2-5-1"
content = "c"

[[initiatives.indicators]]
indicator = "taiki"
name = "保育所待機児童数"
unit = "名"
value = "3名"
rated_with = "horyu"
"#;
        let (_, i, errors) = goal_and_initiative(toml);
        assert!(i.unwrap().indicators[0].rated_with.is_none());
        assert!(
            errors[0].starts_with(
                "error: found `horyu`, expected no `rated_with` on an initiative's indicator: only a goal's outcomes"
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn an_uncertain_reading_says_why() {
        let toml = SHARED.replace("rated_with = \"taiki\"", "uncertain = \"評価の位置が曖昧\"");
        let (g, _, errors) = goal_and_initiative(&toml);
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(g.unwrap().outcomes[1].uncertain.as_deref(), Some("評価の位置が曖昧"));
        let (g, _, errors) = goal_and_initiative(&SHARED.replace("rated_with = \"taiki\"", "uncertain = \"  \""));
        assert!(g.unwrap().outcomes[1].uncertain.is_none());
        assert!(errors[0].starts_with("error: found ``, expected why the reading is uncertain"), "{errors:?}");
    }

    #[test]
    fn a_previous_survey_stands_behind_a_previous_value() {
        let survey =
            "previous_survey = { name = \"区民アンケート\", asked = 1500, answered = 553, response_rate = \"36.9％\" }";
        let with = SHARED.replace("value = \"3名\"", &format!("value = \"3名\"\nprevious = \"14名\"\n{survey}"));
        let (g, _, errors) = goal_and_initiative(&with);
        assert_eq!(errors, Vec::<String>::new());
        let s = g.unwrap().outcomes[0].previous_survey.clone().expect("a previous survey");
        assert_eq!(s.describe(), "区民アンケート、対象 1,500人、回答 553人、回収率 36.9％");
        let without = SHARED.replace("value = \"3名\"", &format!("value = \"3名\"\n{survey}"));
        let (_, _, errors) = goal_and_initiative(&without);
        assert!(
            errors[0].starts_with(
                "error: found `a survey of no 前年度 value`, expected a `previous` (前年度) value beside \
                 `previous_survey`: the survey stands behind that value\n  --> x.toml:10:19\n"
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn a_dash_for_withdrawal_is_no_criterion() {
        let toml = r#"[[initiatives]]
id = "yoshiki3-1"
content = "c"
withdrawal = { text = "―" }

[[initiatives.indicators]]
indicator = "sakugen"
name = "削減率"
unit = "％"
value = "29％"
"#;
        let (_, i, errors) = goal_and_initiative(toml);
        assert_eq!(errors, Vec::<String>::new());
        let i = i.unwrap();
        assert!(i.no_withdrawal && i.withdrawals.is_empty());
        // Stated in words is a criterion, not none.
        let (_, i, _) = goal_and_initiative(&toml.replace("text = \"―\"", "text = \"評価が星ゼロとなった場合\""));
        let i = i.unwrap();
        assert!(!i.no_withdrawal);
        assert_eq!(i.withdrawals[0].rule, WithdrawalRule::Qualitative);
        // A rule beside 「―」 contradicts it.
        let (_, i, errors) =
            goal_and_initiative(&toml.replace("text = \"―\"", "text = \"―\", comparator = \"未満\", value = \"30％\""));
        assert!(i.unwrap().no_withdrawal);
        assert!(errors[0].starts_with("error: found `未満`, expected `text = \"―\"` alone"), "{errors:?}");
    }
}
