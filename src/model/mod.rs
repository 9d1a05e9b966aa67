//! The validated, typed domain. `build` turns raw loaded files into it, collecting every error.

pub mod quantity;
pub mod rating;
pub mod target;
pub(crate) mod vocab;
pub mod year;

use crate::error::{Error, Errors, Span};
use crate::load::{self, IdMap, Loaded, RawMeasurement, RawTarget, RawYear, SourceFile};
use quantity::{Measured, Quantity, canonical_unit};
use rating::{Achievement, InitiativeEffectiveness, OutcomeRating, StrategyEffectiveness, StrategyProgress};
use std::path::PathBuf;
use target::{Comparator, ComparatorKind, Direction, Target, WithdrawalCriterion, WithdrawalKind, WithdrawalRule};
use toml::Spanned;
use year::FiscalYear;

#[derive(Debug)]
pub struct Site {
    pub home_intro: Option<String>,
    pub cities: Vec<City>,
}

/// 全国地方公共団体コード: five digits and a check digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalGovCode(String);

impl LocalGovCode {
    pub fn parse(s: &str) -> Option<LocalGovCode> {
        let digits: Vec<u32> = s.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
        if digits.len() != 6 {
            return None;
        }
        let sum: u32 = digits[..5].iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
        ((11 - sum % 11) % 10 == digits[5]).then(|| LocalGovCode(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug)]
pub struct City {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub code: LocalGovCode,
    pub policy: Option<Policy>,
    /// City-wide indicators (成果指標), declared once in policy.toml.
    pub indicators: IdMap<IndicatorDef>,
    pub wards: Vec<Ward>,
}

/// 区政運営基本方針.
#[derive(Debug)]
pub struct Policy {
    pub title: String,
    pub pillars: Vec<PolicyPillar>,
}

#[derive(Debug)]
pub struct PolicyPillar {
    pub id: String,
    pub title: String,
    pub areas: Vec<PolicyNode>,
}

/// An area, item (（１）) or sub-item (㋐) of the policy.
#[derive(Debug)]
pub struct PolicyNode {
    pub id: String,
    pub label: String,
    pub title: String,
    pub indicators: Vec<String>,
    pub children: Vec<PolicyNode>,
}

impl PolicyNode {
    pub fn walk<'a>(&'a self, out: &mut Vec<&'a PolicyNode>) {
        out.push(self);
        for c in &self.children {
            c.walk(out);
        }
    }
}

impl Policy {
    pub fn nodes(&self) -> Vec<&PolicyNode> {
        let mut out = Vec::new();
        for p in &self.pillars {
            for a in &p.areas {
                a.walk(&mut out);
            }
        }
        out
    }

    /// The area, item or sub-item with this id (no allocation: used on every goal page).
    pub fn find(&self, id: &str) -> Option<&PolicyNode> {
        fn search<'a>(nodes: &'a [PolicyNode], id: &str) -> Option<&'a PolicyNode> {
            nodes.iter().find_map(|n| if n.id == id { Some(n) } else { search(&n.children, id) })
        }
        self.pillars.iter().find_map(|p| search(&p.areas, id))
    }
}

/// What an indicator is: the same in every year that uses its id.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorDef {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub direction: Option<Direction>,
    pub target: Option<Target>,
    pub description: String,
    /// Declared in policy.toml, the same for every ward.
    pub city_wide: bool,
}

#[derive(Debug)]
pub struct Ward {
    pub id: String,
    pub name: String,
    pub name_kana: String,
    pub description: String,
    /// Sorted by fiscal year.
    pub reports: Vec<Report>,
}

#[derive(Debug)]
pub struct Source {
    pub title: String,
    pub file: String,
    pub url: Option<String>,
    pub published: Option<String>,
}

/// One ward's self-evaluation for one fiscal year.
#[derive(Debug)]
pub struct Report {
    pub fiscal_year: FiscalYear,
    pub title: String,
    /// ISO date the data was published or last updated.
    pub updated: Option<String>,
    pub source: Option<Source>,
    pub transcription_notes: Vec<String>,
    pub intro: Option<String>,
    pub goals: Vec<Goal>,
    pub initiatives: Vec<Initiative>,
    pub corrections: Vec<Correction>,
    pub file: PathBuf,
}

/// A ward goal (【1-1】).
#[derive(Debug)]
pub struct Goal {
    pub id: String,
    pub policy: Option<String>,
    /// The goal's title, resolved once: its own, else the policy item it serves (when no other
    /// goal of the report serves the same one), else the start of its desired state.
    pub title: String,
    /// めざす状態 (Markdown).
    pub desired_state: String,
    /// 戦略 (Markdown).
    pub strategy: String,
    /// 【改定履歴あり】
    pub strategy_revised: bool,
    pub outcome_rating: Option<OutcomeRating>,
    pub strategy_progress: Option<StrategyProgress>,
    pub effectiveness: Option<StrategyEffectiveness>,
    /// 課題
    pub issues: String,
    /// 今後の対応方向
    pub next_steps: String,
    pub outcomes: Vec<Measurement>,
    pub notes: Vec<String>,
}

/// Survey behind a value (e.g. 区民アンケート, 2,000 asked, 715 answered, 回収率 35.8％).
#[derive(Debug, Clone)]
pub struct Survey {
    pub name: String,
    pub asked: Option<u32>,
    pub answered: Option<u32>,
    pub response_rate: Option<Quantity>,
    pub when: Option<String>,
}

impl Survey {
    /// The survey in words: 「区民アンケート、対象 2,000人、回答 715人、回収率 35.8％」.
    pub fn describe(&self) -> String {
        let mut parts = vec![self.name.clone()];
        if let Some(w) = &self.when {
            parts.push(w.clone());
        }
        if let Some(a) = self.asked {
            parts.push(format!("対象 {}人", quantity::format_number(f64::from(a), 0)));
        }
        if let Some(a) = self.answered {
            parts.push(format!("回答 {}人", quantity::format_number(f64::from(a), 0)));
        }
        if let Some(r) = &self.response_rate {
            parts.push(format!("回収率 {r}"));
        }
        parts.join("、")
    }
}

/// One indicator's values as one report gives them.
#[derive(Debug, Clone)]
pub struct Measurement {
    pub indicator: IndicatorDef,
    /// The wording the value is reported under, when it differs from the indicator's name.
    pub measure: Option<String>,
    pub value: Option<Measured>,
    /// 前年度: the previous fiscal year's value as this report prints it.
    pub previous: Option<Measured>,
    pub rating: Option<OutcomeRating>,
    pub notes: Vec<String>,
    pub survey: Option<Survey>,
    pub source_ref: Option<String>,
    /// Why this year's value is not comparable with earlier ones.
    pub series_break: Option<String>,
    /// The id of the indicator this one continues under a new id, and where it is declared.
    pub continues: Option<(String, Span)>,
    pub value_span: Span,
    pub previous_span: Span,
}

/// An initiative (具体的取組, 【1-1-1】 or 【様式3 取組項目1】).
#[derive(Debug)]
pub struct Initiative {
    pub id: String,
    /// The number as printed, without brackets: 「1-1-1」「様式3 取組項目1」.
    pub label: String,
    pub goal: Option<String>,
    /// Its title, resolved once: its own, else the start of its content, else its number.
    pub title: String,
    /// The heading of its page: its own title, else its number (the source gives initiatives
    /// no titles; a cut-off sentence makes a poor heading).
    pub heading: String,
    pub content: String,
    pub performance_target: String,
    /// 撤退基準: usually one; some initiatives state one per indicator.
    pub withdrawals: Vec<WithdrawalCriterion>,
    pub previous_results: String,
    pub results: String,
    pub achievement: String,
    pub achievement_code: Option<Achievement>,
    pub effectiveness: Option<InitiativeEffectiveness>,
    pub issues: String,
    pub improvements: String,
    pub indicators: Vec<Measurement>,
    pub notes: Vec<String>,
}

impl Initiative {
    /// 「【1-1-1】」
    pub fn bracketed_label(&self) -> String {
        format!("【{}】", self.label)
    }
}

/// How many A and B outcome ratings a report gives, for its goals and for their indicators.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RatingCounts {
    pub goals_a: usize,
    pub goals_b: usize,
    pub indicators_a: usize,
    pub indicators_b: usize,
}

impl Report {
    pub fn rating_counts(&self) -> RatingCounts {
        let mut c = RatingCounts::default();
        for g in &self.goals {
            match g.outcome_rating {
                Some(OutcomeRating::OnTrack) => c.goals_a += 1,
                Some(OutcomeRating::NotOnTrack) => c.goals_b += 1,
                None => {}
            }
            for m in &g.outcomes {
                match m.rating {
                    Some(OutcomeRating::OnTrack) => c.indicators_a += 1,
                    Some(OutcomeRating::NotOnTrack) => c.indicators_b += 1,
                    None => {}
                }
            }
        }
        c
    }

    pub fn goal(&self, id: &str) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }
}

/// A report in its place: the city and ward it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct ReportIn<'a> {
    pub city: &'a City,
    pub ward: &'a Ward,
    pub report: &'a Report,
}

impl ReportIn<'_> {
    /// 「大阪市北区」
    pub fn ward_full_name(&self) -> String {
        format!("{}{}", self.city.name, self.ward.name)
    }
}

impl Site {
    /// Every report, in content order (city, ward, fiscal year).
    pub fn reports(&self) -> impl Iterator<Item = ReportIn<'_>> {
        self.cities.iter().flat_map(|city| {
            city.wards
                .iter()
                .flat_map(move |ward| ward.reports.iter().map(move |report| ReportIn { city, ward, report }))
        })
    }

    pub fn city(&self, id: &str) -> Option<&City> {
        self.cities.iter().find(|c| c.id == id)
    }

    /// A city and one of its wards.
    pub fn ward(&self, city: &str, ward: &str) -> Option<(&City, &Ward)> {
        let c = self.city(city)?;
        Some((c, c.wards.iter().find(|w| w.id == ward)?))
    }
}

/// Content's declaration of which value stands for an indicator and fiscal year.
#[derive(Debug, Clone)]
pub struct Correction {
    pub indicator: String,
    pub fiscal_year: FiscalYear,
    pub value: Measured,
    pub note: String,
    pub span: Span,
}

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
        if matches!(text, "―" | "—" | "－" | "") {
            return None;
        }
        let parsed = parse(text);
        if parsed.is_none() {
            self.invalid(s, text, expected);
        }
        parsed
    }

    fn id(&mut self, s: &Spanned<String>, kind: &str) -> String {
        if !load::is_valid_id(s.get_ref()) {
            self.invalid(
                s,
                s.get_ref(),
                &format!("a {kind} id of lowercase ASCII letters, digits and hyphens (e.g. 1-1, kita-bosai)"),
            );
        }
        s.get_ref().clone()
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

    fn quantity(&mut self, s: &Spanned<String>, unit: &str) -> Option<Quantity> {
        match Quantity::parse(s.get_ref(), unit) {
            Ok(q) => Some(q),
            Err(expected) => {
                self.invalid(s, s.get_ref(), &expected);
                None
            }
        }
    }

    fn measured(&mut self, s: &Spanned<String>, unit: &str) -> Option<Measured> {
        match Measured::parse(s.get_ref(), unit) {
            Ok(m) => Some(m),
            Err(expected) => {
                self.invalid(s, s.get_ref(), &expected);
                None
            }
        }
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
            indicator: raw.indicator.as_ref().map(|s| s.get_ref().clone()),
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

    fn measurement(&mut self, raw: &RawMeasurement, city: &IdMap<IndicatorDef>) -> Option<Measurement> {
        let id = self.id(&raw.indicator, "indicator");
        let def = if let Some(def) = city.get(&id) {
            if let Some(u) = &raw.unit
                && canonical_unit(u.get_ref()) != def.unit
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
                self.errors.push(Error::UnknownReference {
                    span,
                    kind: "indicator (not in policy.toml; a ward-own indicator needs `name` and `unit`)",
                    id,
                    known: city.keys().cloned().collect(),
                });
                return None;
            };
            let unit = canonical_unit(unit.get_ref());
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
            Some(v) => Some(self.measured(v, &unit)?),
            None => None,
        };
        let previous = match &raw.previous {
            Some(v) => Some(self.measured(v, &unit)?),
            None => None,
        };
        let survey = raw.survey.as_ref().map(|s| Survey {
            name: s.name.clone(),
            asked: s.asked,
            answered: s.answered,
            response_rate: s.response_rate.as_ref().and_then(|r| self.quantity(r, "％")),
            when: s.when.clone(),
        });
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
            value_span: raw.value.as_ref().map_or_else(|| self.span(&raw.indicator), |v| self.span(v)),
            previous_span: raw.previous.as_ref().map_or_else(|| self.span(&raw.indicator), |v| self.span(v)),
        })
    }
}

fn policy_node(ck: &mut Checker, raw: &load::RawPolicyNode, defs: &mut IdMap<(IndicatorDef, Span)>) -> PolicyNode {
    let mut ids = Vec::new();
    for ind in &raw.indicators {
        let id = ck.id(&ind.id, "indicator");
        let unit = ind.unit.as_ref().map(|u| canonical_unit(u.get_ref())).unwrap_or_default();
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
            ck.errors.push(Error::Duplicate { span, kind: "indicator", id: id.clone(), first: first.clone() });
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

#[allow(clippy::too_many_lines)] // to be split (issue 12)
fn report(ck: &mut Checker, lr: &load::LoadedReport, city: &City) -> Option<Report> {
    let r = &lr.report;
    let fy = ck.year(&r.fiscal_year)?;
    if lr.folder != fy.western().to_string() {
        let span = ck.span(&r.fiscal_year);
        ck.errors.push(Error::invalid(
            span,
            fy.label(),
            format!("the fiscal year of the folder name `{}` (folders are named by Western fiscal year)", lr.folder),
        ));
    }
    let updated = r.updated.as_ref().and_then(|d| {
        let s = date_string(d.get_ref());
        if s.is_none() {
            ck.invalid(d, &d.get_ref().to_string(), "a date such as 2017-06-30");
        }
        s
    });
    unique(ck, "goal", r.goals.iter().map(|g| &g.id));
    unique(ck, "initiative", r.initiatives.iter().map(|i| &i.id));
    let policy_ids: Vec<String> =
        city.policy.as_ref().map(|p| p.nodes().iter().map(|n| n.id.clone()).collect()).unwrap_or_default();
    let goal_ids: Vec<String> = r.goals.iter().map(|g| g.id.get_ref().clone()).collect();

    let mut goals = Vec::new();
    for g in &r.goals {
        let id = ck.id(&g.id, "goal");
        if let Some(p) = &g.policy
            && !policy_ids.contains(p.get_ref())
        {
            let span = ck.span(p);
            ck.errors.push(Error::UnknownReference {
                span,
                kind: "policy item",
                id: p.get_ref().clone(),
                known: policy_ids.clone(),
            });
        }
        let outcomes = g.outcomes.iter().filter_map(|m| ck.measurement(m, &city.indicators)).collect();
        goals.push(Goal {
            id,
            policy: g.policy.as_ref().map(|p| p.get_ref().clone()),
            // Resolved below, once every goal of the report is known.
            title: String::new(),
            desired_state: g.desired_state.clone(),
            strategy: g.strategy.clone(),
            strategy_revised: g.strategy_revised,
            outcome_rating: ck.code(g.outcome_rating.as_ref(), OutcomeRating::parse, OutcomeRating::EXPECTED),
            strategy_progress: ck.code(
                g.strategy_progress.as_ref(),
                StrategyProgress::parse,
                StrategyProgress::EXPECTED,
            ),
            effectiveness: ck.code(
                g.effectiveness.as_ref(),
                StrategyEffectiveness::parse,
                StrategyEffectiveness::EXPECTED,
            ),
            issues: g.issues.clone(),
            next_steps: g.next_steps.clone(),
            outcomes,
            notes: g.notes.clone(),
        });
    }

    let mut initiatives = Vec::new();
    for i in &r.initiatives {
        let id = ck.id(&i.id, "initiative");
        if let Some(g) = &i.goal
            && !goal_ids.contains(g.get_ref())
        {
            let span = ck.span(g);
            ck.errors.push(Error::UnknownReference {
                span,
                kind: "goal",
                id: g.get_ref().clone(),
                known: goal_ids.clone(),
            });
        }
        let indicators: Vec<Measurement> =
            i.indicators.iter().filter_map(|m| ck.measurement(m, &city.indicators)).collect();
        let indicators_failed = indicators.len() != i.indicators.len();
        let withdrawals = i
            .withdrawal
            .iter()
            .chain(&i.withdrawals)
            .filter_map(|w| {
                // The unit of the threshold: the named indicator's, else the one shared by all.
                let target_unit = match &w.indicator {
                    Some(ind) => match indicators.iter().find(|m| &m.indicator.id == ind.get_ref()) {
                        Some(m) => Some(m.indicator.unit.clone()),
                        None if indicators_failed => return None,
                        None => {
                            let span = ck.span(ind);
                            let known = indicators.iter().map(|m| m.indicator.id.clone()).collect();
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
        let label = i.label.clone().unwrap_or_else(|| id.clone());
        let heading = i.title.clone().unwrap_or_else(|| format!("取組【{label}】"));
        let title = i.title.clone().unwrap_or_else(|| {
            let first = crate::text::summary(&i.content, 40);
            if first.is_empty() { heading.clone() } else { first }
        });
        initiatives.push(Initiative {
            label,
            id,
            goal: i.goal.as_ref().map(|g| g.get_ref().clone()),
            title,
            heading,
            content: i.content.clone(),
            performance_target: i.performance_target.clone(),
            withdrawals,
            previous_results: i.previous_results.clone(),
            results: i.results.clone(),
            achievement: i.achievement.clone(),
            achievement_code: ck.code(i.achievement_code.as_ref(), Achievement::parse, Achievement::EXPECTED),
            effectiveness: ck.code(
                i.effectiveness.as_ref(),
                InitiativeEffectiveness::parse,
                InitiativeEffectiveness::EXPECTED,
            ),
            issues: i.issues.clone(),
            improvements: i.improvements.clone(),
            indicators,
            notes: i.notes.clone(),
        });
    }

    resolve_goal_titles(&mut goals, &r.goals, city);

    let corrections = r
        .corrections
        .iter()
        .filter_map(|c| {
            let fiscal_year = ck.year(&c.fiscal_year)?;
            let indicator = c.indicator.get_ref().clone();
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
                    id: indicator,
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
        .collect();

    Some(Report {
        fiscal_year: fy,
        title: r.title.clone(),
        updated,
        source: r.source.as_ref().map(|s| Source {
            title: s.title.clone(),
            file: s.file.clone(),
            url: s.url.clone(),
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
        let mut defs: IdMap<(IndicatorDef, Span)> = IdMap::new();
        let policy = lc.policy.as_ref().map(|(file, raw)| {
            let mut ck = Checker { file, errors: &mut errors };
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
            id: lc.id.clone(),
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
            let checked: Vec<(Option<Report>, Errors)> = lw
                .reports
                .par_iter()
                .map(|lr| {
                    let mut own = Errors::default();
                    let r = report(&mut Checker { file: &lr.file, errors: &mut own }, lr, &city);
                    (r, own)
                })
                .collect();
            let mut reports = Vec::with_capacity(checked.len());
            for (r, own) in checked {
                errors.0.extend(own.0);
                reports.extend(r);
            }
            reports.sort_by_key(|r| r.fiscal_year);
            city.wards.push(Ward {
                id: lw.id.clone(),
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

    /// Checks one TOML table as `[[outcomes]]` of a report (against `city`'s indicators) or as
    /// a policy.toml item; returns the first error as printed, if any.
    fn check(toml: &str, city: &IdMap<IndicatorDef>) -> (Option<IndicatorDef>, Option<String>) {
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
            let mut defs = IdMap::new();
            policy_node(&mut ck, &doc.items[0], &mut defs);
            defs.into_values().next().map(|(d, _)| d)
        };
        (def, errors.0.first().map(ToString::to_string))
    }

    fn error_of(toml: &str, city: &IdMap<IndicatorDef>) -> String {
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
        let none = IdMap::new();
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
                let error = check(&toml, &IdMap::new()).1;
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
        let e = error_of(policy, &IdMap::new());
        assert!(
            e.contains("found `lower`, expected `higher` (the target 「50％以上」 is met by higher values)"),
            "{e}"
        );
        assert!(e.contains("x.toml:7:13"), "{e}");
        let agreeing = policy.replace("\"lower\"", "\"higher\"");
        assert_eq!(check(&agreeing, &IdMap::new()).1, None);
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
        let def = check(policy, &IdMap::new()).0.unwrap();
        assert_eq!(def.direction, Some(Direction::Higher));
        let city: IdMap<IndicatorDef> = [("kyodo".to_string(), def)].into();

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
    fn a_report_may_restate_a_city_wide_unit_only_as_it_is() {
        let policy = "[[items]]\nid = \"1-1\"\n[[items.indicators]]\nid = \"kyodo\"\nname = \"割合\"\nunit = \"％\"\n";
        let city: IdMap<IndicatorDef> = [("kyodo".to_string(), check(policy, &IdMap::new()).0.unwrap())].into();
        let outcome = |unit: &str| format!("[[outcomes]]\nindicator = \"kyodo\"\nunit = \"{unit}\"\n");
        assert_eq!(check(&outcome("%"), &city).1, None, "the same unit, half-width");
        let e = error_of(&outcome("人"), &city);
        assert!(e.contains("found `人`, expected the unit of city-wide indicator `kyodo`: ％"), "{e}");
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
        let e = error_of(&unknown, &IdMap::new());
        assert!(e.starts_with(&format!("error: found `ぜろ`, expected {}\n", Comparator::EXPECTED)), "{e}");
    }

    #[test]
    fn local_government_code_check_digit() {
        assert!(LocalGovCode::parse("271004").is_some(), "大阪市");
        assert!(LocalGovCode::parse("131016").is_some(), "千代田区");
        assert!(LocalGovCode::parse("271005").is_none());
        assert!(LocalGovCode::parse("27100").is_none());
    }
}
