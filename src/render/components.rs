//! Small precomputed rows for templates: strings ready to print, never the whole model.

use super::Cx;
use super::svg;
use crate::ja::FiscalYear;
use crate::link::{Progress, Series};
use crate::model::quantity::Unit;
use crate::model::quantity::{Measured, axis_max, format_number};
use crate::model::rating::{
    Achievement, Code, InitiativeEffectiveness, OutcomeRating, StrategyEffectiveness, StrategyProgress, Tone,
};
use crate::model::target::{Direction, Target, WithdrawalCriterion};
use crate::model::{City, CityId, Goal, GoalId, IndicatorId, Initiative, InitiativeId, Measurement, ReportIn, WardId};
use crate::text::{escape, markdown, markdown_under};
use crate::urls::{self, Urls};
use serde::Serialize;

/// A rating code with its meaning, always printed together.
#[derive(Debug, Clone, Serialize)]
pub struct CodeView {
    pub code: String,
    pub meaning: String,
    pub scale: String,
    pub tone: Tone,
    /// A shape that says the same as the tone (never colour alone).
    pub icon: &'static str,
    /// The badge, ready to print (it appears hundreds of times on a report page: made once
    /// here rather than by a template macro each time).
    pub html: String,
}

/// The badge reads meaning first, code after: 「順調（A）」 reads and sounds better than
/// 「A（順調）」.
pub fn code_view(c: &impl Code) -> CodeView {
    let (code, meaning, tone) = (c.code(), c.meaning(), c.tone());
    let html = format!(
        r#"<span class="code tone-{}"><span class="code-icon" aria-hidden="true">{}</span><span class="code-meaning">{}</span><span class="code-value">（{}）</span></span>"#,
        tone.class(),
        tone.icon(),
        escape(&meaning),
        escape(&code)
    );
    CodeView { code, meaning, scale: c.scale().to_string(), tone, icon: tone.icon(), html }
}

/// One legend line (code and meaning) for the legend block.
#[derive(Debug, Serialize)]
pub struct LegendGroup {
    pub scale: String,
    pub entries: Vec<CodeView>,
}

/// The legend of every rating scale, as printed on every page of the source.
pub fn legend() -> Vec<LegendGroup> {
    let group = |scale: &str, entries: Vec<CodeView>| LegendGroup { scale: scale.to_string(), entries };
    vec![
        group("アウトカムの達成状況", OutcomeRating::ALL.iter().map(code_view).collect()),
        group("戦略の進捗状況", StrategyProgress::ALL.iter().map(code_view).collect()),
        group("戦略のアウトカムに対する有効性", StrategyEffectiveness::ALL.iter().map(code_view).collect()),
        group("業績目標の達成状況", Achievement::all().iter().map(code_view).collect()),
        group("戦略に対する取組の有効性", InitiativeEffectiveness::ALL.iter().map(code_view).collect()),
    ]
}

#[derive(Debug, Serialize)]
pub struct Crumb {
    pub name: String,
    pub url: String,
    /// The whole name when `name` is shortened (「指標：区役所を…」), for screen readers.
    pub full: Option<String>,
}

/// The progress bar of one value with its words.
#[derive(Debug, Clone, Serialize)]
pub struct BarView {
    pub svg: String,
    /// The text equivalent, e.g. 「目標 50％以上に対し 81％：達成」.
    pub text: String,
    pub status: String,
    pub tone: Tone,
    pub icon: &'static str,
    pub target_label: Option<String>,
    pub withdrawal_label: Option<String>,
    /// The target and the withdrawal criterion are the same number: one key entry says both.
    pub same_place: Option<String>,
    /// The end of the scale as printed under the bar: 「20名」「100％」 (the start is 0).
    pub scale_end: String,
    /// Which way is better, as printed under the bar: 「← 小さいほどよい」.
    pub direction: Option<&'static str>,
}

/// The status words of a value against its target and withdrawal criterion.
fn judge(
    value: f64,
    previous: Option<f64>,
    target: Option<&Target>,
    withdrawal: Option<&WithdrawalCriterion>,
) -> Option<(String, Tone)> {
    if withdrawal.and_then(|w| w.is_triggered(value, previous)) == Some(true) {
        return Some(("撤退基準に該当".into(), Tone::Bad));
    }
    if target?.is_met(value, previous)? {
        Some(("達成".into(), Tone::Good))
    } else {
        Some(("未達成".into(), Tone::Warning))
    }
}

pub fn target_words(t: &Target) -> String {
    match t.deadline {
        Some(d) => format!("{}までに{}", d.label(), t.short()),
        None => t.short(),
    }
}

/// The bar for `value`, or `None` when there is nothing numeric to draw against.
/// `scale`: the end of every bar of the indicator (its series'), so a value is drawn the same
/// length on every page; `None` for a value outside any series.
pub fn bar_view(
    value: &Measured,
    previous: Option<f64>,
    unit: &str,
    target: Option<&Target>,
    withdrawal: Option<&WithdrawalCriterion>,
    scale: Option<f64>,
) -> Option<BarView> {
    let q = value.quantity()?;
    let target_level = target.and_then(|t| t.level(previous));
    let withdrawal_level = withdrawal.and_then(|w| w.threshold(previous));
    if target_level.is_none() && withdrawal_level.is_none() {
        return None;
    }
    let (status, tone) = judge(q.value, previous, target, withdrawal)?;
    let decimals = q.decimals;
    let target_label = target.map(|t| format!("目標 {}", t.short()));
    let withdrawal_label = withdrawal_level
        .map(|w| format!("撤退基準 {}{unit}", format_number(w, decimals.max(u8::from(w.fract() != 0.0)))));
    // The sentence beside the status word (shown before it, so not repeated here), with the
    // good direction: the bar alone does not say which way is better.
    let mut text = match target {
        Some(t) => format!("目標 {}に対し {q}", target_words(t)),
        None => q.to_string(),
    };
    let direction = target.and_then(Target::direction);
    let mut notes: Vec<String> = direction.map(|d| d.label().to_string()).into_iter().collect();
    notes.extend(withdrawal_label.clone());
    if !notes.is_empty() {
        text.push_str(&format!("（{}）", notes.join("、")));
    }
    let mut marks = vec![q.value];
    marks.extend(target_level);
    marks.extend(withdrawal_level);
    let max = scale.filter(|s| marks.iter().all(|m| m <= s)).unwrap_or_else(|| axis_max(unit, &marks));
    let svg = svg::bar(&svg::Bar {
        value: q.value,
        target: target_level,
        withdrawal: withdrawal_level,
        max,
        tone: tone.class(),
    });
    let same_place = match (target_level, withdrawal_level, &target_label, &withdrawal_label) {
        (Some(t), Some(w), Some(tl), Some(wl)) if (t - w).abs() < 1e-9 => Some(format!("{tl}と{wl}は同じ位置")),
        _ => None,
    };
    let scale_end = format!("{}{unit}", format_number(max, u8::from(max.fract() != 0.0)));
    let direction = direction.map(|d| match d {
        Direction::Lower => "← 小さいほどよい",
        Direction::Higher => "大きいほどよい →",
    });
    Some(BarView {
        svg,
        text,
        status,
        tone,
        icon: tone.icon(),
        target_label,
        withdrawal_label,
        same_place,
        scale_end,
        direction,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgressView {
    pub status: Progress,
    pub label: &'static str,
    pub ratio: Option<String>,
    /// The ward's own rating disagrees with the trend.
    pub disagrees: bool,
}

/// The computed status of `series` as of `year` (the one judgement every page gives for it),
/// against the ward's rating of that year.
pub fn progress_view(series: &Series, year: FiscalYear, rating: Option<OutcomeRating>) -> ProgressView {
    let a = series.assessment_at(year);
    let disagrees = crate::overview::disagree(rating, a.status);
    ProgressView {
        status: a.status,
        label: a.status.label(),
        ratio: a.ratio.map(|r| format!("{}％", format_number(r * 100.0, 0))),
        disagrees,
    }
}

/// An indicator card as pages embed it: rendered once (measurement.html) from a
/// `MeasurementView`, shown on every page that lists the indicator.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub anchor: String,
    pub html: String,
}

/// One indicator as a report gives it (the context of measurement.html).
#[derive(Debug, Clone, Serialize)]
pub struct MeasurementView {
    pub anchor: String,
    pub id: IndicatorId,
    pub name: String,
    /// The name cut to 30 characters (…), for link text.
    pub short_name: String,
    pub measure: Option<String>,
    pub unit: Unit,
    pub city_wide: bool,
    pub year_label: String,
    pub value: Option<String>,
    pub previous_year_label: String,
    pub previous: Option<String>,
    pub target: Option<String>,
    pub target_source: Option<String>,
    pub direction: Option<&'static str>,
    pub rating: Option<CodeView>,
    /// The source prints the rating once for this outcome and another: 「評価は「…」と合わせて1つ…」.
    pub rated_with: Option<String>,
    /// Why the reading of this row is uncertain (`uncertain`).
    pub uncertain: Option<String>,
    pub bar: Option<BarView>,
    pub progress: Option<ProgressView>,
    pub notes: Vec<String>,
    pub survey: Option<String>,
    /// The survey behind the 前年度 value, in words.
    pub previous_survey: Option<String>,
    pub series_break: Option<String>,
    pub source_ref: Option<String>,
    pub series_url: Option<String>,
    pub comparison_url: Option<String>,
}

pub fn measurement_view(
    cx: &Cx,
    at: ReportIn,
    m: &Measurement,
    anchor: String,
    withdrawals: &[WithdrawalCriterion],
) -> MeasurementView {
    let fy = at.report.fiscal_year;
    let previous = m.previous.as_ref().and_then(Measured::number);
    let target = m.indicator.target.as_ref();
    // The criterion that applies to this indicator and has a numeric threshold.
    let withdrawal = WithdrawalCriterion::applicable(withdrawals, &m.indicator.id, previous);
    let series = cx.linked.series(&at.city.id, &at.ward.id, &m.indicator.id);
    MeasurementView {
        anchor,
        id: m.indicator.id.clone(),
        name: m.indicator.name.clone(),
        short_name: crate::text::shorten(&m.indicator.name, 30),
        measure: m.measure.clone().filter(|x| x != &m.indicator.name),
        unit: m.indicator.unit.clone(),
        city_wide: m.indicator.city_wide,
        year_label: fy.label(),
        value: m.value.as_ref().map(ToString::to_string),
        previous_year_label: fy.previous().label(),
        previous: m.previous.as_ref().map(ToString::to_string),
        target: target.map(target_words),
        target_source: target.map(|t| t.text.clone()),
        direction: m.indicator.direction.map(Direction::label),
        rating: m.rating.as_ref().map(code_view),
        rated_with: m.rated_with.as_ref().map(crate::model::RatedWith::words),
        uncertain: m.uncertain.clone(),
        bar: m
            .value
            .as_ref()
            .and_then(|v| bar_view(v, previous, &m.indicator.unit, target, withdrawal, series.map(|s| s.scale_max))),
        progress: series.map(|s| progress_view(s, fy, m.rating)),
        notes: m.notes.clone(),
        survey: m.survey.as_ref().map(crate::model::Survey::describe),
        previous_survey: m.previous_survey.as_ref().map(crate::model::Survey::describe),
        series_break: m.series_break.clone(),
        source_ref: m.source_ref.clone(),
        series_url: series.map(|s| cx.urls.link(&urls::series(&s.city, &s.ward, &s.indicator.id))),
        comparison_url: m.indicator.city_wide.then(|| cx.urls.link(&urls::comparison(&at.city.id, &m.indicator.id))),
    }
}

/// A goal, ready to print.
#[derive(Debug, Serialize)]
pub struct GoalView {
    pub id: GoalId,
    pub label: String,
    pub title: String,
    /// The sentence a title made from the desired state was cut from (`text::cut_from`).
    pub title_full: Option<String>,
    pub anchor: String,
    pub url: String,
    pub policy: Vec<String>,
    pub desired_state: String,
    pub strategy: String,
    pub strategy_revised: bool,
    pub outcome_rating: Option<CodeView>,
    pub strategy_progress: Option<CodeView>,
    pub effectiveness: Option<CodeView>,
    pub issues: String,
    pub next_steps: String,
    /// The outcome indicators, for their cards.
    #[serde(skip)]
    pub measurements: Vec<MeasurementView>,
    /// Their cards (filled by the renderer from `measurements`).
    pub outcomes: Vec<Card>,
    pub initiatives: Vec<InitiativeSummary>,
    pub notes: Vec<String>,
}

/// The policy path of a goal: 「1 豊かなコミュニティの実現」「（２）…」「㋐ …」.
fn policy_path(city: &City, id: &str) -> Vec<String> {
    fn find<'a>(nodes: &'a [crate::model::PolicyNode], id: &str, path: &mut Vec<&'a crate::model::PolicyNode>) -> bool {
        for n in nodes {
            path.push(n);
            if n.id == id || find(&n.children, id, path) {
                return true;
            }
            path.pop();
        }
        false
    }
    let Some(policy) = &city.policy else { return vec![] };
    for p in &policy.pillars {
        let mut path = Vec::new();
        if find(&p.areas, id, &mut path) {
            let mut out = vec![p.title.clone()];
            out.extend(
                path.iter()
                    .map(|n| if n.label.is_empty() { n.title.clone() } else { format!("{} {}", n.label, n.title) }),
            );
            return out;
        }
    }
    vec![]
}

/// A goal with its narrative as the goal page shows it (under `h2` sections); the report page
/// shows the same view without the narrative.
pub fn goal_view(cx: &Cx, at: ReportIn, g: &Goal) -> GoalView {
    let (c, w, fy) = (&at.city.id, &at.ward.id, at.report.fiscal_year);
    let prose = |text: &str| markdown_under(text, 2);
    GoalView {
        id: g.id.clone(),
        label: format!("【{}】", g.id),
        title: g.title.clone(),
        title_full: crate::text::cut_from(&g.title, &g.desired_state),
        anchor: urls::goal_anchor(&g.id),
        url: cx.urls.link(&urls::goal(c, w, fy, &g.id)),
        policy: g.policy.as_ref().map(|p| policy_path(at.city, p)).unwrap_or_default(),
        desired_state: prose(&g.desired_state),
        strategy: prose(&g.strategy),
        strategy_revised: g.strategy_revised,
        outcome_rating: g.outcome_rating.as_ref().map(code_view),
        strategy_progress: g.strategy_progress.as_ref().map(code_view),
        effectiveness: g.effectiveness.as_ref().map(code_view),
        issues: prose(&g.issues),
        next_steps: prose(&g.next_steps),
        measurements: g
            .outcomes
            .iter()
            .map(|m| measurement_view(cx, at, m, urls::outcome_anchor(&g.id, &m.indicator.id), &[]))
            .collect(),
        outcomes: Vec::new(),
        initiatives: at
            .report
            .initiatives
            .iter()
            .filter(|i| i.goal.as_deref() == Some(g.id.as_str()))
            .map(|i| initiative_summary(cx, at, i))
            .collect(),
        notes: g.notes.iter().map(|n| markdown(n)).collect(),
    }
}

#[derive(Debug, Serialize)]
pub struct InitiativeSummary {
    pub id: InitiativeId,
    pub label: String,
    pub title: String,
    /// The sentence a title made from the content was cut from (`text::cut_from`).
    pub title_full: Option<String>,
    pub anchor: String,
    pub url: String,
    pub goal: Option<String>,
    pub achievement: Option<CodeView>,
    pub effectiveness: Option<CodeView>,
}

pub fn initiative_summary(cx: &Cx, at: ReportIn, i: &Initiative) -> InitiativeSummary {
    InitiativeSummary {
        id: i.id.clone(),
        label: i.bracketed_label(),
        title: i.title.clone(),
        title_full: crate::text::cut_from(&i.title, &i.content),
        anchor: urls::initiative_anchor(&i.id),
        url: cx.urls.link(&urls::initiative(&at.city.id, &at.ward.id, at.report.fiscal_year, &i.id)),
        goal: i.goal.as_ref().map(|g| format!("【{g}】")),
        achievement: i.achievement_code.as_ref().map(code_view),
        effectiveness: i.effectiveness.as_ref().map(code_view),
    }
}

#[derive(Debug, Serialize)]
pub struct InitiativeView {
    #[serde(flatten)]
    pub summary: InitiativeSummary,
    /// The page heading: the initiative's own title, else its number (the source gives
    /// initiatives no titles; a cut-off sentence makes a poor heading).
    pub heading: String,
    pub goal_url: Option<String>,
    pub goal_title: Option<String>,
    pub goal_title_full: Option<String>,
    pub content: Prose,
    pub performance_target: Prose,
    /// Each 撤退基準's text (HTML), once: criteria stated in one sentence share it.
    pub withdrawal: Option<Vec<String>>,
    /// The source prints 「―」 for 撤退基準: it gives none.
    pub no_withdrawal: bool,
    pub previous_results: Prose,
    pub results: Prose,
    pub achievement_text: Prose,
    pub issues: Prose,
    pub improvements: Prose,
    /// The performance indicators, for their cards.
    #[serde(skip)]
    pub measurements: Vec<MeasurementView>,
    /// Their cards (filled by the renderer from `measurements`).
    pub indicators: Vec<Card>,
    pub notes: Vec<String>,
}

/// Markdown shown as HTML under a heading of `level` (`text::markdown_under`), made into HTML
/// only when its page is rendered: a page's key is fed the Markdown ([`super::kept::keying`]),
/// so a page read back from the cache never renders it.
#[derive(Debug)]
pub struct Prose {
    markdown: String,
    level: u8,
}

impl Prose {
    pub fn new(markdown: &str, level: u8) -> Prose {
        Prose { markdown: markdown.to_string(), level }
    }

    pub fn html(&self) -> String {
        markdown_under(&self.markdown, self.level)
    }
}

impl Serialize for Prose {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if super::kept::keying() {
            s.serialize_newtype_struct("mieruka::Prose", &(self.level, &self.markdown))
        } else {
            s.serialize_str(&self.html())
        }
    }
}

/// A page's meta description: words, then a text summarised to at most `max` characters
/// ([`crate::text::summary`], cut between two phrases by `BudouX`), summarised only when its
/// page is rendered: a page's key is fed the text ([`super::kept::keying`]), so a page read
/// back from the cache never segments it.
#[derive(Debug, Default)]
pub struct Description {
    words: String,
    summarised: Option<(String, usize)>,
}

impl Description {
    /// `words`, then `text` summarised to at most `max` characters.
    pub fn summary(words: impl Into<String>, text: &str, max: usize) -> Description {
        Description { words: words.into(), summarised: Some((text.to_string(), max)) }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.summarised.as_ref().is_none_or(|(t, _)| t.is_empty())
    }

    pub fn text(&self) -> String {
        match &self.summarised {
            Some((text, max)) => format!("{}{}", self.words, crate::text::summary(text, *max)),
            None => self.words.clone(),
        }
    }
}

impl From<String> for Description {
    fn from(words: String) -> Description {
        Description { words, summarised: None }
    }
}

impl From<&str> for Description {
    fn from(words: &str) -> Description {
        Description::from(words.to_string())
    }
}

impl Serialize for Description {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if super::kept::keying() {
            s.serialize_newtype_struct("mieruka::Description", &(&self.words, &self.summarised))
        } else {
            s.serialize_str(&self.text())
        }
    }
}

pub fn initiative_view(cx: &Cx, at: ReportIn, i: &Initiative) -> InitiativeView {
    let goal = i.goal.as_ref().and_then(|g| at.report.goals.iter().find(|x| &x.id == g));
    InitiativeView {
        heading: i.heading.clone(),
        summary: initiative_summary(cx, at, i),
        goal_url: goal.map(|g| cx.urls.link(&urls::goal(&at.city.id, &at.ward.id, at.report.fiscal_year, &g.id))),
        goal_title: goal.map(|g| format!("【{}】{}", g.id, g.title.clone())),
        goal_title_full: goal
            .and_then(|g| crate::text::cut_from(&g.title, &g.desired_state).map(|full| format!("【{}】{full}", g.id))),
        content: Prose::new(&i.content, 2),
        performance_target: Prose::new(&i.performance_target, 2),
        withdrawal: (!i.withdrawals.is_empty()).then(|| {
            let mut texts: Vec<&str> = Vec::new();
            for w in &i.withdrawals {
                if !texts.contains(&w.text.as_str()) {
                    texts.push(&w.text);
                }
            }
            texts.into_iter().map(markdown).collect()
        }),
        no_withdrawal: i.no_withdrawal,
        previous_results: Prose::new(&i.previous_results, 2),
        results: Prose::new(&i.results, 2),
        achievement_text: Prose::new(&i.achievement, 2),
        issues: Prose::new(&i.issues, 2),
        improvements: Prose::new(&i.improvements, 2),
        measurements: i
            .indicators
            .iter()
            .map(|m| measurement_view(cx, at, m, format!("indicator-{}", m.indicator.id), &i.withdrawals))
            .collect(),
        indicators: Vec::new(),
        notes: i.notes.iter().map(|n| markdown(n)).collect(),
    }
}

#[derive(Debug, Serialize)]
pub struct YearLink {
    pub label: String,
    pub url: String,
}

pub fn year_link(urls: &Urls, city: &CityId, ward: &WardId, fy: FiscalYear) -> YearLink {
    YearLink { label: fy.label(), url: urls.link(&urls::report(city, ward, fy)) }
}

/// A report's source document as every page of the report names it: its title, the ward's
/// address for it, the copy published with this site (under `static/`) and when it was published.
#[derive(Debug, Clone, Serialize)]
pub struct SourceLink {
    pub title: String,
    /// Where the ward publishes it.
    pub url: Option<String>,
    /// The copy published with this site.
    pub file: Option<FileLink>,
    /// (ISO date, Japanese date) of publication.
    pub published: Option<(String, String)>,
}

/// A file of `static/` as a link: its address, 「PDF」「テキスト」… and its size.
#[derive(Debug, Clone, Serialize)]
pub struct FileLink {
    pub href: String,
    /// 「PDF、1.2MB」
    pub label: String,
}

/// What a reader should know of a file before opening it: its kind, from its extension.
fn file_kind(path: &str) -> String {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "pdf" => "PDF".into(),
        "txt" => "テキスト".into(),
        "csv" => "CSV".into(),
        "xlsx" | "xls" => "Excel".into(),
        "docx" | "doc" => "Word".into(),
        "" => "ファイル".into(),
        e => e.to_ascii_uppercase(),
    }
}

pub fn source_link(urls: &Urls, at: ReportIn) -> Option<SourceLink> {
    let s = at.report.source.as_ref()?;
    Some(SourceLink {
        title: s.title.clone(),
        url: s.url.as_ref().map(ToString::to_string),
        file: s.file.as_ref().map(|f| FileLink {
            href: urls.link(&urls::static_file(&f.path)),
            label: format!(
                "{}、{}",
                file_kind(&f.path),
                crate::data::size_label(usize::try_from(f.size).unwrap_or(usize::MAX))
            ),
        }),
        published: s.published.as_ref().map(|d| (d.clone(), crate::text::date_ja(d))),
    })
}
