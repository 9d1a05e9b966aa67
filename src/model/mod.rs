//! The validated, typed domain: cities, wards, reports, goals, initiatives and their
//! measurements, and the value types they are made of. `build` (in `check`) turns the raw
//! loaded files into it, collecting every error.

mod check;
pub mod id;
mod markup;
mod proofread;
pub mod quantity;
pub mod rating;
pub mod target;
pub(crate) mod vocab;

pub use check::{ModelCache, build, build_cached};

/// A number that changes whenever anything a ward's reports are made from may have changed
/// (its city's files, its own, site.toml): given by the preview, which keeps what a ward's
/// unchanged number allows (`ModelCache`, `link::LinkCache`, `data::DataCache`). Arguments:
/// the city's and the ward's folder names.
pub type WardFingerprint<'f> = &'f (dyn Fn(&str, &str) -> u64 + Sync);
pub use id::{CityId, GoalId, IndicatorId, InitiativeId, PolicyId, SeriesKey, WardId};
pub use markup::removed_markup;
pub use proofread::proofread;

use crate::error::Span;
use crate::ja::FiscalYear;
use crate::web::WebUrl;
use quantity::{Measured, Quantity, Unit};
use rating::{Achievement, InitiativeEffectiveness, OutcomeRating, StrategyEffectiveness, StrategyProgress};
use std::collections::BTreeMap;
use std::path::PathBuf;
use target::{Direction, Target, WithdrawalCriterion};
#[derive(Debug)]
pub struct Site {
    pub home_intro: Option<String>,
    pub cities: Vec<City>,
    /// Reports marked `draft = true` that this build leaves out (built without `--drafts`).
    pub drafts_left_out: Vec<PathBuf>,
    /// Files of `static/`, published as they are.
    pub statics: Vec<crate::load::StaticFile>,
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
    pub id: CityId,
    pub name: String,
    pub name_en: String,
    pub code: LocalGovCode,
    pub policy: Option<Policy>,
    /// City-wide indicators (成果指標), declared once in policy.toml.
    pub indicators: BTreeMap<IndicatorId, IndicatorDef>,
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
    pub id: PolicyId,
    pub title: String,
    pub areas: Vec<PolicyNode>,
}

/// An area, item (（１）) or sub-item (㋐) of the policy.
#[derive(Debug)]
pub struct PolicyNode {
    pub id: PolicyId,
    pub label: String,
    pub title: String,
    pub indicators: Vec<IndicatorId>,
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
    pub id: IndicatorId,
    pub name: String,
    pub unit: Unit,
    pub direction: Option<Direction>,
    pub target: Option<Target>,
    pub description: String,
    /// Declared in policy.toml, the same for every ward.
    pub city_wide: bool,
}

#[derive(Debug)]
pub struct Ward {
    pub id: WardId,
    pub name: String,
    pub name_kana: String,
    pub description: String,
    /// Sorted by fiscal year.
    pub reports: Vec<std::sync::Arc<Report>>,
}

#[derive(Debug)]
pub struct Source {
    pub title: String,
    /// The original document published with the site (a file under `static/`).
    pub file: Option<crate::load::StaticFile>,
    /// Where the source document is published (checked: https, http or mailto only).
    pub url: Option<WebUrl>,
    /// When the ward published it (ISO date).
    pub published: Option<String>,
}

/// One ward's self-evaluation for one fiscal year.
#[derive(Debug)]
pub struct Report {
    pub fiscal_year: FiscalYear,
    /// `draft = true`: not yet published; in a build only with `--drafts`, with a 下書き banner.
    pub draft: bool,
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
    pub id: GoalId,
    pub policy: Option<PolicyId>,
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
    /// Where `asked`, `answered` and `response_rate` stand (for proof-reading warnings).
    pub spans: [Option<Span>; 3],
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
    /// The survey behind the 前年度 value (`previous`), where the source gives it.
    pub previous_survey: Option<Survey>,
    pub source_ref: Option<String>,
    /// Why this year's value is not comparable with earlier ones.
    pub series_break: Option<String>,
    /// The id of the indicator this one continues under a new id, and where it is declared.
    pub continues: Option<(IndicatorId, Span)>,
    /// Content declares the id new although an earlier report has a similar one.
    pub declared_new: bool,
    /// The source prints this value with figures that contradict it (a note says so).
    pub as_printed: bool,
    /// The source prints one rating for this outcome and another of the same goal: the rating
    /// is that one's, counted once (for it) in [`Report::rating_counts`].
    pub rated_with: Option<RatedWith>,
    /// Why the reading of this row (its value, rating or code) is uncertain: the layout of
    /// the source leaves its place ambiguous.
    pub uncertain: Option<String>,
    /// Where the indicator's id stands.
    pub id_span: Span,
    pub value_span: Span,
    pub previous_span: Span,
}

/// The outcome whose rating the source prints once for it and another outcome (`rated_with`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatedWith {
    pub indicator: IndicatorId,
    /// That outcome's indicator name (for 「評価は…と合わせて1つ」).
    pub name: String,
}

impl RatedWith {
    /// 「評価は「保育所待機児童数」と合わせて1つ（原資料は2つの指標に1つの評価を印字）」
    pub fn words(&self) -> String {
        format!("評価は「{}」と合わせて1つ（原資料は2つの指標に1つの評価を印字）", self.name)
    }
}

/// How pages and data files introduce the reason of an uncertain reading (`uncertain`).
pub const UNCERTAIN: &str = "読み取りに不確かさがあります";

/// An initiative (具体的取組, 【1-1-1】 or 【様式3 取組項目1】).
#[derive(Debug)]
pub struct Initiative {
    pub id: InitiativeId,
    /// The number as printed, without brackets: 「1-1-1」「様式3 取組項目1」.
    pub label: String,
    pub goal: Option<GoalId>,
    /// Its title, resolved once: its own, else the start of its content, else its number.
    pub title: String,
    /// The heading of its page: its own title, else its number (the source gives initiatives
    /// no titles; a cut-off sentence makes a poor heading).
    pub heading: String,
    pub content: String,
    pub performance_target: String,
    /// 撤退基準: usually one; some initiatives state one per indicator.
    pub withdrawals: Vec<WithdrawalCriterion>,
    /// The source prints 「―」 in the 撤退基準 column: it gives no criterion (`withdrawals` is
    /// then empty). Not the same as a criterion stated in words, nor as none transcribed.
    pub no_withdrawal: bool,
    pub previous_results: String,
    pub results: String,
    pub achievement: String,
    pub achievement_code: Option<Achievement>,
    /// Where the achievement code stands.
    pub achievement_span: Option<Span>,
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

/// How many A and B outcome ratings a report gives, for its goals and for their indicators:
/// as many as the source prints (a rating printed once for two outcomes counts once).
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
            for m in g.outcomes.iter().filter(|m| m.rated_with.is_none()) {
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
    pub indicator: IndicatorId,
    pub fiscal_year: FiscalYear,
    pub value: Measured,
    pub note: String,
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_government_code_check_digit() {
        assert!(LocalGovCode::parse("271004").is_some(), "大阪市");
        assert!(LocalGovCode::parse("131016").is_some(), "千代田区");
        assert!(LocalGovCode::parse("271005").is_none());
        assert!(LocalGovCode::parse("27100").is_none());
    }
}
