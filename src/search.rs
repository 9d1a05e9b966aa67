//! Site search: a Pagefind index of the pages a reader looks for (reports, goals, initiatives,
//! indicators, comparisons, wards, cities, the status summaries and lists, what changed since
//! a ward's previous report, and how progress is assessed; not the home page, the
//! accessibility statement or the search page itself), made from the linked site rather than
//! from the written pages: one small record per page, with its title as a heading (Pagefind
//! weighs headings), its names and text, and the filters 市・区・年度・状況 (状況: the computed
//! statuses of the indicators the page judges, as the page gives them). The records are made
//! in URL order, so the index is the same bytes every build.
//!
//! Pagefind segments Japanese with ICU4X (the `extended` feature) and also indexes the pairs of
//! segments, so a compound such as 「待機児童」 is found whole; the names of indicators, goals
//! and places are also given as the record's title and heading, which rank first. A goal's
//! record names the indicators of the initiatives serving it too, and its title is indexed by
//! phrases (`title_words`), so that the goal on a subject comes before the pages that only
//! mention it.

use crate::link::{Linked, Progress, Series};
use crate::model::rating::{Code as _, OutcomeRating};
use crate::model::{City, Goal, Initiative, Measurement, ReportIn, Site, Ward};
use crate::output::Output;
use crate::overview::{self, Entry, Standing};
use crate::text;
use crate::urls;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Where the index is published, under the site's base path.
pub const FOLDER: &str = "pagefind/";

/// One page as the index knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Site-relative URL path of the page (`osaka/kita/2016/`).
    pub url: String,
    /// What the results list shows as the link text.
    pub title: String,
    /// What kind of page (指標, 目標, 取組, 報告, 区, 市, 区別の比較), shown with each result.
    pub kind: &'static str,
    /// Names that belong to the page, given whole (the indicator's, the goal's, the ward's).
    pub names: Vec<String>,
    /// The page's text as HTML: sanitised Markdown of the content, or [`plain`] text.
    pub text: Vec<String>,
    /// Filter name and value (e.g. ("区", "北区")); a name may repeat (several years).
    pub filters: Vec<(&'static str, String)>,
}

/// The filter names, in the order the search page offers them.
pub const FILTERS: [&str; 4] = ["市", "区", "年度", "状況"];

/// Every record, sorted by URL.
pub fn records(site: &Site, linked: &Linked) -> Vec<Record> {
    let mut out = Vec::new();
    for city in &site.cities {
        out.push(Record {
            url: urls::city(&city.id),
            title: city.name.clone(),
            kind: "市",
            names: vec![city.name.clone()],
            text: city.wards.iter().map(|w| plain(&w.name)).collect(),
            filters: vec![("市", city.name.clone())],
        });
        for ward in &city.wards {
            out.push(ward_record(linked, city, ward));
        }
        for (id, def) in &city.indicators {
            if !def.city_wide {
                continue;
            }
            out.push(Record {
                url: urls::comparison(&city.id, id),
                title: format!("{}（区別の比較）", def.name),
                kind: "区別の比較",
                names: vec![def.name.clone(), city.name.clone()],
                text: city.wards.iter().map(|w| plain(&w.name)).collect(),
                filters: vec![("市", city.name.clone())],
            });
        }
    }
    // Each report's indicators as the status pages count them (`Cx::entries`).
    let entries: Vec<(ReportIn, Vec<Entry>)> = site.reports().map(|at| (at, overview::entries(linked, at))).collect();
    for &(at, _) in &entries {
        out.push(report_record(linked, at));
        for g in &at.report.goals {
            out.push(goal_record(linked, at, g));
        }
        for i in &at.report.initiatives {
            out.push(initiative_record(linked, at, i));
        }
        out.extend(changes_record(linked, at));
    }
    for s in linked.series.values() {
        if let Some((city, ward)) = site.ward(&s.city, &s.ward) {
            out.push(series_record(city, ward, s));
        }
    }
    // The status summaries and lists: the whole site's, then each city's.
    for city in std::iter::once(None).chain(site.cities.iter().map(Some)) {
        let mut scope: Vec<&(ReportIn, Vec<Entry>)> =
            entries.iter().filter(|(at, _)| city.is_none_or(|c| c.id == at.city.id)).collect();
        // In the pages' order: ward by ward, the newest year first.
        scope.sort_by_key(|(at, _)| (&at.city.id, &at.ward.id, std::cmp::Reverse(at.report.fiscal_year)));
        out.push(status_record(city, &scope));
        out.extend(Standing::ALL.into_iter().map(|s| status_list_record(city, &scope, s)));
    }
    out.push(method_record());
    out.sort_by(|a, b| a.url.cmp(&b.url));
    out.dedup_by(|a, b| a.url == b.url);
    out
}

/// Every status a record may be filtered on (状況): the indicators' statuses now (series and
/// ward pages) and as of each report's year (report, goal, initiative and status pages). The
/// search page offers these.
pub fn statuses(site: &Site, linked: &Linked) -> BTreeSet<Progress> {
    let mut all: BTreeSet<Progress> = linked.series.values().map(|s| s.assessment.status).collect();
    for at in site.reports() {
        let ms = at.report.goals.iter().flat_map(|g| &g.outcomes);
        all.extend(judged(linked, at, ms.chain(at.report.initiatives.iter().flat_map(|i| &i.indicators))));
    }
    all
}

/// A plain text as a paragraph of the record, ended as a sentence.
fn plain(t: &str) -> String {
    let t = text::escape(t);
    if t.ends_with('。') { format!("<p>{t}</p>") } else { format!("<p>{t}。</p>") }
}

fn place(city: &City, ward: &Ward) -> Vec<(&'static str, String)> {
    vec![("市", city.name.clone()), ("区", ward.name.clone())]
}

/// The place and year of a report, as filters.
fn report_place(at: ReportIn) -> Vec<(&'static str, String)> {
    let mut filters = place(at.city, at.ward);
    filters.push(("年度", at.report.fiscal_year.label()));
    filters
}

/// The 状況 filter of indicators' computed statuses: each once, in [`Progress`]' order.
fn status_filters(statuses: impl IntoIterator<Item = Progress>) -> Vec<(&'static str, String)> {
    let statuses: BTreeSet<Progress> = statuses.into_iter().collect();
    statuses.into_iter().map(|p| ("状況", p.label().to_string())).collect()
}

/// Filters each once, in the order first given.
fn unique(filters: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    let mut seen = BTreeSet::new();
    filters.into_iter().filter(|f| seen.insert(f.clone())).collect()
}

/// The computed statuses of a report's indicators as of its year: what their cards on the
/// report, goal and initiative pages show (`Series::assessment_at`).
fn judged<'a>(
    linked: &'a Linked,
    at: ReportIn<'a>,
    measurements: impl IntoIterator<Item = &'a Measurement> + 'a,
) -> impl Iterator<Item = Progress> + 'a {
    let fy = at.report.fiscal_year;
    measurements
        .into_iter()
        .filter_map(move |m| linked.series(&at.city.id, &at.ward.id, &m.indicator.id))
        .map(move |s| s.assessment_at(fy).status)
}

fn ward_record(linked: &Linked, city: &City, ward: &Ward) -> Record {
    let mut filters = place(city, ward);
    filters.extend(ward.reports.iter().map(|r| ("年度", r.fiscal_year.label())));
    // The ward page's indicators, each as of its latest year (as its series record).
    let series = linked.series.values().filter(|s| s.city == city.id && s.ward == ward.id);
    filters.extend(status_filters(series.map(|s| s.assessment.status)));
    Record {
        url: urls::ward(&city.id, &ward.id),
        title: format!("{}{}", city.name, ward.name),
        kind: "区",
        names: vec![ward.name.clone(), city.name.clone()],
        text: vec![text::markdown(&ward.description)],
        filters: unique(filters),
    }
}

fn report_record(linked: &Linked, at: ReportIn) -> Record {
    let ReportIn { city, ward, report } = at;
    let mut filters = report_place(at);
    let outcomes = report.goals.iter().flat_map(|g| &g.outcomes);
    let indicators = report.initiatives.iter().flat_map(|i| &i.indicators);
    filters.extend(status_filters(judged(linked, at, outcomes.chain(indicators))));
    let mut text: Vec<String> = report.goals.iter().map(|g| plain(&g.title)).collect();
    text.extend(report.initiatives.iter().map(|i| plain(&i.title)));
    Record {
        url: urls::report(&city.id, &ward.id, report.fiscal_year),
        title: format!("{}{} {}", city.name, ward.name, report.title),
        kind: "報告",
        names: vec![ward.name.clone(), report.fiscal_year.label()],
        text,
        filters,
    }
}

fn goal_record(linked: &Linked, at: ReportIn, g: &Goal) -> Record {
    let ReportIn { city, ward, report } = at;
    // The goal's indicators as the search page groups them: its outcomes, then those of the
    // initiatives serving it (whose titles its page lists): a goal is found by its subject.
    let initiatives: Vec<&Initiative> = report.initiatives.iter().filter(|i| i.goal.as_ref() == Some(&g.id)).collect();
    let indicators: Vec<&Measurement> =
        g.outcomes.iter().chain(initiatives.iter().flat_map(|i| &i.indicators)).collect();
    let mut filters = report_place(at);
    filters.extend(status_filters(judged(linked, at, indicators.iter().copied())));
    let mut names = vec![g.title.clone()];
    for m in &indicators {
        if !names.contains(&m.indicator.name) {
            names.push(m.indicator.name.clone());
        }
    }
    let mut text: Vec<String> =
        [&g.desired_state, &g.strategy, &g.issues, &g.next_steps].iter().map(|m| text::markdown(m)).collect();
    text.extend(initiatives.iter().map(|i| plain(&format!("取組【{}】{}", i.label, i.title))));
    Record {
        url: urls::goal(&city.id, &ward.id, report.fiscal_year, &g.id),
        title: format!("【{}】{}（{} {}）", g.id, g.title, ward.name, report.fiscal_year.label()),
        kind: "目標",
        names,
        text,
        filters,
    }
}

fn initiative_record(linked: &Linked, at: ReportIn, i: &Initiative) -> Record {
    let ReportIn { city, ward, report } = at;
    let mut filters = report_place(at);
    filters.extend(status_filters(judged(linked, at, &i.indicators)));
    let mut names = vec![i.title.clone()];
    names.extend(i.indicators.iter().map(|m| m.indicator.name.clone()));
    Record {
        url: urls::initiative(&city.id, &ward.id, report.fiscal_year, &i.id),
        title: format!("取組【{}】{}（{} {}）", i.label, i.title, ward.name, report.fiscal_year.label()),
        kind: "取組",
        names,
        text: [&i.content, &i.performance_target, &i.results, &i.achievement]
            .iter()
            .map(|m| text::markdown(m))
            .collect(),
        filters,
    }
}

fn series_record(city: &City, ward: &Ward, s: &Series) -> Record {
    let mut filters = place(city, ward);
    filters.extend(s.points.iter().map(|p| ("年度", p.year.label())));
    filters.extend(status_filters([s.assessment.status]));
    let mut text: Vec<String> = s.points.iter().map(|p| plain(&format!("{} {}", p.year.label(), p.label()))).collect();
    text.push(plain(&format!("状況：{}", s.assessment.status.label())));
    Record {
        url: urls::series(&city.id, &ward.id, &s.indicator.id),
        title: format!("{}（{}）", s.indicator.name, ward.name),
        kind: "指標",
        names: vec![s.indicator.name.clone(), ward.name.clone()],
        text,
        filters,
    }
}

/// What changed in a report since the ward's previous one (its page's rows), for a report
/// that has a previous one (the others have no such page).
fn changes_record(linked: &Linked, at: ReportIn) -> Option<Record> {
    let c = overview::changes(linked, at)?;
    let previous = c.previous?;
    let ReportIn { city, ward, report } = at;
    let fy = report.fiscal_year;
    let rating = |r: &Option<OutcomeRating>| {
        r.map_or_else(|| "評価なし".to_string(), |r| format!("{}（{}）", r.code(), r.meaning()))
    };
    let mut text = Vec::new();
    for (id, title, before, after) in &c.goal_ratings {
        text.push(plain(&format!("目標【{id}】{title}の評価：{} → {}", rating(before), rating(after))));
    }
    for (s, before, after) in &c.ratings {
        text.push(plain(&format!("{}の評価：{} → {}", s.indicator.name, rating(before), rating(after))));
    }
    for v in &c.values {
        let verdict = match (v.broken, v.better) {
            (true, _) => "比べられません（系列の断絶）",
            (false, Some(true)) => "改善",
            (false, Some(false)) => "悪化",
            (false, None) => "変化",
        };
        text.push(plain(&format!(
            "{}：{} → {}（{verdict}）",
            v.series.indicator.name,
            v.before.label(),
            v.after.label()
        )));
    }
    for (s, before, after) in &c.targets {
        text.push(plain(&format!("{}の目標：{} → {}", s.indicator.name, before.text, after.text)));
    }
    text.extend(c.added.iter().map(|s| plain(&format!("新しく加わった指標：{}", s.indicator.name))));
    text.extend(c.dropped.iter().map(|s| plain(&format!("報告されなくなった指標：{}", s.indicator.name))));
    for (s, w, p) in &c.withdrawals {
        text.push(plain(&format!("{}：撤退基準に該当（{}、{}）", s.indicator.name, w.text, p.label())));
    }
    if c.is_empty() {
        text.push(plain("評価、値、目標、指標、撤退基準のいずれにも変化はありません"));
    }
    Some(Record {
        url: urls::changes(&city.id, &ward.id, fy),
        title: format!("{}{} {}の報告：{}からの変化", city.name, ward.name, fy.era_label(), previous.era_label()),
        kind: "前の報告からの変化",
        names: vec![ward.name.clone(), fy.label()],
        text,
        filters: report_place(at),
    })
}

/// A report's ward and year as the status pages name it: 「北区 平成28年度（2016年度）」, with
/// the city's name on the whole site's pages.
fn row_name(at: ReportIn, site_wide: bool) -> String {
    let ward = if site_wide { at.ward_full_name() } else { at.ward.name.clone() };
    format!("{ward} {}", at.report.fiscal_year.label())
}

/// The names of a status page: what it is, and its city's name (none on the whole site's).
fn status_names(what: &str, city: Option<&City>) -> Vec<String> {
    std::iter::once(what.to_string()).chain(city.map(|c| c.name.clone())).collect()
}

/// The status summary of a city (or of the whole site): for each ward and year, how many
/// indicators stand in each status and rating; filtered on the places, years and statuses it counts.
fn status_record(city: Option<&City>, scope: &[&(ReportIn, Vec<Entry>)]) -> Record {
    let mut text = Vec::new();
    let mut filters = Vec::new();
    let mut found = BTreeSet::new();
    for (at, list) in scope {
        let counts: Vec<String> = Standing::ALL
            .into_iter()
            .map(|s| (s, list.iter().filter(|e| s.holds(e)).count()))
            .filter(|&(_, n)| n > 0)
            .map(|(s, n)| format!("{} {n}", s.label()))
            .collect();
        text.push(plain(&format!("{}：{}の指標（{}）", row_name(*at, city.is_none()), list.len(), counts.join("、"))));
        filters.extend(report_place(*at));
        found.extend(list.iter().map(|e| e.status));
    }
    filters.extend(status_filters(found));
    Record {
        url: urls::status(city.map(|c| &c.id)),
        title: city.map_or_else(|| "指標の進捗状況の一覧".to_string(), |c| format!("{}の指標の進捗状況の一覧", c.name)),
        kind: "進捗状況",
        names: status_names("進捗状況の一覧", city),
        text,
        filters: unique(filters),
    }
}

/// The list of the indicators in one status or rating, of a city or of the whole site: by
/// ward and year, the indicators' names; filtered on those places, years and statuses.
fn status_list_record(city: Option<&City>, scope: &[&(ReportIn, Vec<Entry>)], standing: Standing) -> Record {
    let mut text = Vec::new();
    let mut filters = Vec::new();
    let mut found = BTreeSet::new();
    for (at, list) in scope {
        let items: Vec<&Entry> = list.iter().filter(|e| standing.holds(e)).collect();
        if items.is_empty() {
            continue;
        }
        let names: Vec<&str> = items.iter().map(|e| e.series.indicator.name.as_str()).collect();
        text.push(plain(&format!("{}：{}", row_name(*at, city.is_none()), names.join("、"))));
        filters.extend(report_place(*at));
        found.extend(items.iter().map(|e| e.status));
    }
    if text.is_empty() {
        text.push(plain("当てはまる指標はありません"));
    }
    filters.extend(status_filters(found));
    let whose = city.map_or("", |c| c.name.as_str());
    Record {
        url: urls::status_list(city.map(|c| &c.id), standing.slug()),
        title: format!("{whose}「{}」の指標", standing.label()),
        kind: "進捗状況",
        names: status_names(standing.label(), city),
        text,
        filters: unique(filters),
    }
}

/// The page that explains how progress is assessed (its words are the template's: the
/// record says what it explains, and names each status).
fn method_record() -> Record {
    let statuses: Vec<&str> = Standing::ALL
        .into_iter()
        .filter_map(|s| match s {
            Standing::Status(p) => Some(p.label()),
            Standing::Rated(_) => None,
        })
        .collect();
    Record {
        url: urls::METHOD.into(),
        title: "進捗状況の判定方法".into(),
        kind: "説明",
        names: vec!["判定の区分".into()],
        text: vec![
            plain("区が自ら付けた評価とは別に、指標の値の推移から、目標の期限までに達成できそうかを判定する方法"),
            plain("年平均成長率（複利）による方法：実績の伸び率と、目標に届くのに必要な伸び率の比率で判定します"),
            plain(&format!("判定の区分：{}", statuses.join("、"))),
            plain("値が小さいほどよい指標、年度ごとの判定、データのIDとURL"),
        ],
        filters: Vec::new(),
    }
}

/// The record as the small HTML document Pagefind reads: its title as the heading, its names
/// and its text, each ended as a sentence (Pagefind puts 「. 」 between blocks that are not);
/// the title, kind and filters as attributes, so that excerpts show only the page's words.
fn document(r: &Record) -> String {
    let e = text::escape;
    let sentence = |t: &str| if t.ends_with(['。', '）', '」']) { e(t) } else { format!("{}。", e(t)) };
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><title>{t}</title></head><body><main data-pagefind-body>\
         <meta data-pagefind-meta=\"title[content]\" content=\"{words}\">\
         <meta data-pagefind-meta=\"kind[content]\" content=\"{k}\">",
        t = e(&r.title),
        words = e(&title_words(&r.title)),
        k = e(r.kind)
    );
    for (name, value) in &r.filters {
        let _ = write!(html, "<meta data-pagefind-filter=\"{}[content]\" content=\"{}\">", e(name), e(value));
    }
    let _ = write!(html, "<h1>{}</h1>", sentence(&r.title));
    for n in &r.names {
        let _ = write!(html, "<h2>{}</h2>", sentence(n));
    }
    for t in &r.text {
        let _ = write!(html, "<div>{t}</div>");
    }
    html.push_str("</main></body></html>");
    html
}

/// Between the phrases of a title as the index knows it: a space to Pagefind, next to none to
/// a reader (and where the results list may break the line, as the pages break at phrases).
const HAIR_SPACE: char = '\u{200A}';

/// The title as Pagefind's `title` metadata, which the results list shows: its phrases (文節,
/// [`text::phrase_list`]) apart by hair spaces. Pagefind adds a fixed boost, after the
/// words' own scores, to a page whose title has a word that starts with the query, and splits
/// the title into words only at white space: a Japanese title without spaces is one word, so
/// only a title that starts with the query would be boosted (「防災」 put the indicator
/// 「防災備蓄品が…」 above the goal 「…地域住民の防災意識が高まり…」). Apart, each phrase is a
/// word, and every title with a phrase that starts with the query is boosted alike.
fn title_words(title: &str) -> String {
    text::phrase_list(title).join(&HAIR_SPACE.to_string())
}

/// The cache folder of the index, relative to the site root (beside the images' cache).
pub const CACHE_DIR: &str = ".mieruka-cache/search";

/// What the cache key includes besides the records: the indexer and its settings (a new
/// Pagefind may write other files: bump it with the crate) and the layout of a cache file.
const INDEXER: &str = "pagefind 1.6.0 extended, force_language ja, mieruka index file v1";

/// The index of one build and where it came from.
#[derive(Debug)]
pub struct Index {
    /// The files under [`FOLDER`], sorted by path.
    pub files: Vec<Output>,
    /// Read back from the cache: the same records were indexed by an earlier build.
    pub cached: bool,
    /// Why the cache could not be written, if it could not (the build warns).
    pub cache_error: Option<String>,
}

/// The index of `records`, read from the cache in `cache` (a folder) when an earlier build
/// indexed the same records, else made by Pagefind and kept there. Pagefind indexes one
/// record at a time (seconds for a large city: docs/benchmarks.md); the same records always
/// give the same files, so a build whose content did not change reads them back. The cache
/// keeps one index: the entries of earlier builds are removed once a new one is kept.
/// A failure is Pagefind's own (not a content mistake): its message, for [`crate::error::Error::Search`].
pub fn index(records: &[Record], cache: Option<&std::path::Path>) -> Result<Index, String> {
    // Each record's document is made where it is used, not all held at once (they are most
    // of what a build holds while it renders).
    let Some(dir) = cache else {
        return Ok(Index { files: pagefind_index(records)?, cached: false, cache_error: None });
    };
    index_keyed(records, dir, &cache_key(records))
}

fn index_keyed(records: &[Record], dir: &std::path::Path, key: &str) -> Result<Index, String> {
    let file = dir.join(format!("{key}.index"));
    if let Some(files) = read_index(&file) {
        return Ok(Index { files, cached: true, cache_error: None });
    }
    let files = pagefind_index(records)?;
    let cache_error = keep(dir, &file, &pack(&files), "index").err().map(|e| e.to_string());
    Ok(Index { files, cached: false, cache_error })
}

fn read_index(file: &std::path::Path) -> Option<Vec<Output>> {
    std::fs::read(file).ok().and_then(|bytes| unpack(&bytes))
}

/// [`index`] for a build that knows the digest of everything its records are made from
/// (`content`: the content files, the settings and mieruka itself; `data::Fingerprints::site`):
/// when an earlier build saw the same content, its index is read back without making the
/// records at all (making them, Markdown included, and hashing them for the key was a
/// twentieth of a build). The cache notes which records' index each content digest had (a
/// `.content` file); `make` is only called when that note is missing or its index is gone.
fn index_of_content(
    make: impl FnOnce() -> Vec<Record>,
    dir: &std::path::Path,
    content: &str,
) -> Result<(Index, Option<usize>), String> {
    let note = dir.join(format!("{content}.content"));
    let noted =
        std::fs::read_to_string(&note).ok().filter(|k| k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit()));
    if let Some(files) = noted.and_then(|key| read_index(&dir.join(format!("{key}.index")))) {
        return Ok((Index { files, cached: true, cache_error: None }, None));
    }
    let records = make();
    let key = cache_key(&records);
    let mut index = index_keyed(&records, dir, &key)?;
    if let Err(e) = keep(dir, &note, key.as_bytes(), "content") {
        index.cache_error.get_or_insert(e.to_string());
    }
    Ok((index, Some(records.len())))
}

/// The index of the site's records ([`records`]), each of its files handed to `emit` as soon
/// as it is ready; the cache is `root`'s [`CACHE_DIR`], looked up by `content` (the digest of
/// what the records are made from, [`index_of_content`]) when there is one. Says how long it
/// took when `MIERUKA_PROFILE` is set (docs/benchmarks.md).
pub fn index_into(
    site: &Site,
    linked: &Linked,
    root: &std::path::Path,
    content: Option<&str>,
    emit: &(dyn Fn(Output) + Sync),
) -> Result<Index, String> {
    let started = std::time::Instant::now();
    let dir = root.join(CACHE_DIR);
    let (mut index, made) = if let Some(content) = content {
        index_of_content(|| records(site, linked), &dir, content)?
    } else {
        let records = records(site, linked);
        (index(&records, Some(&dir))?, Some(records.len()))
    };
    if std::env::var_os("MIERUKA_PROFILE").is_some() {
        let bytes: usize = index.files.iter().map(|o| o.bytes.len()).sum();
        let (ms, kb) = (started.elapsed().as_secs_f64() * 1e3, bytes / 1024);
        let how = match (made, index.cached) {
            (None, _) => "no records made: the content is unchanged, read from the cache".to_string(),
            (Some(n), true) => format!("{n} records read from the cache"),
            (Some(n), false) => format!("{n} records indexed"),
        };
        eprintln!("profile: search index {ms:.1} ms on its own thread, {how}, {kb} kB");
    }
    for o in std::mem::take(&mut index.files) {
        emit(o);
    }
    Ok(index)
}

impl Index {
    /// The warning of a cache that could not be written (the build is not wrong, only slower).
    pub fn warning(&self) -> Option<crate::error::Warning> {
        self.cache_error.as_ref().map(|e| crate::error::Warning {
            span: crate::error::Span::file(std::path::Path::new("site.toml")),
            message: format!("the search index cannot be kept in {CACHE_DIR} ({e}): it is made again on each build"),
            other: None,
        })
    }
}

/// The cache key: the indexer, then each record's URL and document, hashed (SHA-256, hex).
fn cache_key(records: &[Record]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(INDEXER.as_bytes());
    for r in records {
        h.update([0]);
        h.update(r.url.as_bytes());
        h.update([0]);
        h.update(document(r).as_bytes());
    }
    crate::output::hex_name(h)
}

/// Keeps a file in the cache folder (written aside and renamed: a reader never sees half a
/// file), then removes the other files there with its extension (`index`, `content`): earlier
/// builds' ones, which only mieruka writes.
fn keep(dir: &std::path::Path, file: &std::path::Path, bytes: &[u8], extension: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = file.with_extension(format!("{}.tmp", std::process::id()));
    if let Err(e) = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, file)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    for e in std::fs::read_dir(dir)?.flatten() {
        let path = e.path();
        if path.extension().is_some_and(|x| x == extension) && path != file {
            let _ = std::fs::remove_file(path);
        }
    }
    Ok(())
}

/// The files of an index as one cache file: for each, its path's length (u32, little-endian),
/// the path, its length (u64) and its bytes.
fn pack(files: &[Output]) -> Vec<u8> {
    let size = files.iter().map(|f| 12 + f.path.len() + f.bytes.len()).sum();
    let mut out = Vec::with_capacity(size);
    for f in files {
        out.extend((f.path.len() as u32).to_le_bytes());
        out.extend(f.path.as_bytes());
        out.extend((f.bytes.len() as u64).to_le_bytes());
        out.extend(&f.bytes);
    }
    out
}

/// The files of a cache file, or `None` if it is not one [`pack`] wrote whole (then the
/// index is made again).
fn unpack(mut bytes: &[u8]) -> Option<Vec<Output>> {
    fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, rest) = bytes.split_at_checked(n)?;
        *bytes = rest;
        Some(head)
    }
    let mut files = Vec::new();
    while !bytes.is_empty() {
        let n = u32::from_le_bytes(take(&mut bytes, 4)?.try_into().ok()?) as usize;
        let path = std::str::from_utf8(take(&mut bytes, n)?).ok()?.to_string();
        let n = usize::try_from(u64::from_le_bytes(take(&mut bytes, 8)?.try_into().ok()?)).ok()?;
        let file = take(&mut bytes, n)?.to_vec();
        if !path.starts_with(FOLDER) {
            return None;
        }
        files.push(Output { path, bytes: file });
    }
    (!files.is_empty()).then_some(files)
}

/// The index and Pagefind's browser side, as files under [`FOLDER`]. Only what the search
/// page uses is published (not Pagefind's own user interfaces).
fn pagefind_index(records: &[Record]) -> Result<Vec<Output>, String> {
    let failed = |what: &str, e: &dyn std::fmt::Display| format!("{what}: {e}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed("starting the indexer", &e))?;
    let options = pagefind::options::PagefindServiceConfig::builder().force_language("ja".to_string()).build();
    let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| failed("the indexer", &e))?;
    let files = runtime.block_on(async {
        for r in records {
            // The URL as the page links it, from the site's root: the search page gives
            // Pagefind the base path, and Pagefind puts the two together.
            let url = format!("/{}", r.url);
            index.add_html_file(None, Some(url), document(r)).await.map_err(|e| failed(&r.url, &e))?;
        }
        index.get_files().await.map_err(|e| failed("writing the index", &e))
    })?;
    let mut out: Vec<Output> = files
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            let published = !name.starts_with("pagefind-ui")
                && !name.starts_with("pagefind-component-ui")
                && !name.starts_with("pagefind-modular-ui")
                && !name.starts_with("pagefind-highlight");
            published.then(|| Output { path: format!("{FOLDER}{name}"), bytes: f.contents })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            url: "osaka/kita/indicators/x/".into(),
            title: "保育所待機児童数（北区）".into(),
            kind: "指標",
            names: vec!["保育所待機児童数<script>alert(1)</script>".into(), "北区".into()],
            text: vec![plain("平成28年度（2016年度） 3名")],
            filters: vec![("区", "北区".into()), ("年度", "平成28年度（2016年度）".into())],
        }
    }

    #[test]
    fn a_record_is_a_document_with_its_title_kind_and_filters_as_attributes() {
        let html = document(&record());
        let words = title_words("保育所待機児童数（北区）");
        assert!(html.contains(&format!(r#"<meta data-pagefind-meta="title[content]" content="{words}">"#)), "{html}");
        assert!(html.contains(r#"<meta data-pagefind-meta="kind[content]" content="指標">"#));
        assert!(html.contains(r#"<meta data-pagefind-filter="区[content]" content="北区">"#));
        assert!(html.contains(r#"<meta data-pagefind-filter="年度[content]" content="平成28年度（2016年度）">"#));
        // Headings end as sentences (no 「. 」 between them in excerpts); content is escaped.
        assert!(html.contains("<h1>保育所待機児童数（北区）</h1>"), "{html}");
        assert!(html.contains("<h2>北区。</h2>"), "{html}");
        assert!(html.contains("<p>平成28年度（2016年度） 3名。</p>"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
    }

    #[test]
    fn a_title_is_indexed_by_its_phrases_and_shown_as_it_is() {
        let title = "【2-2】北区内全19地域において、地域住民の防災意識が高まり";
        let words = title_words(title);
        assert_eq!(words.replace(HAIR_SPACE, ""), title);
        // Pagefind splits the title at the hair spaces: 「防災」 starts a word of it.
        let split: Vec<&str> = words.split_whitespace().collect();
        assert!(split.len() > 2, "{split:?}");
        assert!(split.iter().any(|w| w.starts_with("防災")), "{split:?}");
    }

    #[test]
    fn the_index_has_the_records_and_only_what_the_search_page_uses() {
        let files = index(&[record()], None).unwrap().files;
        let paths: Vec<&str> = files.iter().map(|o| o.path.as_str()).collect();
        assert!(paths.contains(&"pagefind/pagefind.js"), "{paths:?}");
        assert!(paths.contains(&"pagefind/pagefind-entry.json"), "{paths:?}");
        assert!(paths.iter().any(|p| p.starts_with("pagefind/fragment/")), "{paths:?}");
        assert!(paths.iter().any(|p| p.starts_with("pagefind/filter/")), "{paths:?}");
        assert!(!paths.iter().any(|p| p.contains("-ui")), "{paths:?}");
        assert!(paths.windows(2).all(|w| w[0] < w[1]), "sorted");
        let entry = &files.iter().find(|o| o.path.ends_with("pagefind-entry.json")).unwrap().bytes;
        let entry: serde_json::Value = serde_json::from_slice(entry).unwrap();
        assert_eq!(entry["languages"]["ja"]["page_count"], 1, "{entry}");
        // The same records, the same bytes.
        let again = index(&[record()], None).unwrap().files;
        assert!(files.iter().zip(&again).all(|(a, b)| a.path == b.path && a.bytes == b.bytes));
    }

    #[test]
    fn the_same_content_reads_its_index_back_without_making_the_records() {
        let dir = std::env::temp_dir().join(format!("mieruka-search-content-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        let made = std::cell::Cell::new(0);
        let make = |r: Record| {
            made.set(made.get() + 1);
            vec![r]
        };
        let (first, n) = index_of_content(|| make(record()), &dir, &a).unwrap();
        assert_eq!((first.cached, n, made.get()), (false, Some(1), 1));
        // The same content: read back, no records made.
        let (again, n) = index_of_content(|| make(record()), &dir, &a).unwrap();
        assert_eq!((again.cached, n, made.get()), (true, None, 1));
        assert_eq!(again.files, first.files);
        // Another digest (a new mieruka, an edit) with the same records: made, and their index read back.
        let (same_records, n) = index_of_content(|| make(record()), &dir, &b).unwrap();
        assert_eq!((same_records.cached, n, made.get()), (true, Some(1), 2));
        // Other records under that digest: indexed anew, and noted for it.
        let mut other = record();
        other.title = "入所保留児童数（北区）".into();
        let (changed, _) = index_of_content(|| make(other.clone()), &dir, &a).unwrap();
        assert!(!changed.cached);
        assert_ne!(changed.files, first.files);
        let (back, n) = index_of_content(|| make(other.clone()), &dir, &a).unwrap();
        assert_eq!((back.cached, n), (true, None));
        assert_eq!(back.files, changed.files);
        // One note and one index are kept; a damaged note only costs making the records.
        let mut kept: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name()).collect();
        kept.sort();
        assert_eq!(kept.len(), 2, "{kept:?}");
        std::fs::write(dir.join(format!("{a}.content")), "not a key").unwrap();
        let (noted_badly, n) = index_of_content(|| make(other.clone()), &dir, &a).unwrap();
        assert_eq!((noted_badly.cached, n), (true, Some(1)));
        assert_eq!(noted_badly.files, changed.files);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_index_is_read_back_from_the_cache_when_the_records_are_the_same() {
        let dir = std::env::temp_dir().join(format!("mieruka-search-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let made = index(&[record()], Some(&dir)).unwrap();
        assert!(!made.cached && made.cache_error.is_none());
        let kept: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0].extension().unwrap(), "index");
        // The same records: the same files, read back.
        let again = index(&[record()], Some(&dir)).unwrap();
        assert!(again.cached);
        assert_eq!(again.files, made.files);
        // Another record: indexed anew, and the earlier entry removed.
        let mut other = record();
        other.title = "入所保留児童数（北区）".into();
        let changed = index(&[other.clone()], Some(&dir)).unwrap();
        assert!(!changed.cached);
        assert_ne!(changed.files, made.files);
        let kept: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        // A damaged cache file is not used: the index is made again, the same as before.
        std::fs::write(&kept[0], b"\x05\x00\x00\x00pagef").unwrap();
        let remade = index(&[other], Some(&dir)).unwrap();
        assert!(!remade.cached);
        assert_eq!(remade.files, changed.files);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_cache_file_is_the_files_it_was_made_of() {
        let files = vec![
            Output { path: "pagefind/a.pf_meta".into(), bytes: vec![1, 2, 3] },
            Output { path: "pagefind/pagefind.js".into(), bytes: b"x".to_vec() },
        ];
        let packed = pack(&files);
        assert_eq!(unpack(&packed), Some(files));
        assert_eq!(unpack(&packed[..packed.len() - 1]), None, "cut short");
        assert_eq!(unpack(b""), None, "empty");
        let elsewhere = pack(&[Output { path: "../x".into(), bytes: vec![] }]);
        assert_eq!(unpack(&elsewhere), None, "a path outside the index folder");
    }

    #[test]
    fn the_cache_key_names_the_pagefind_version_the_crate_is_built_with() {
        // A new Pagefind may write other files for the same records: its version is in the key.
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
        let at = lock.find("name = \"pagefind\"\nversion = \"").expect("pagefind in Cargo.lock");
        let version = lock[at..].lines().nth(1).unwrap().trim_start_matches("version = ").trim_matches('"');
        assert!(INDEXER.starts_with(&format!("pagefind {version} ")), "{INDEXER} vs Cargo.lock's {version}");
    }
}
