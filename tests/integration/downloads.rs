//! One download of everything and one per indicator: the zips opened and compared with the
//! files the site publishes, their READMEs, `data/indicators.json`, the citation blocks
//! (BibTeX, CSL-JSON, 閲覧日), the licences site.toml can name, JSON-LD (Dataset on comparison
//! pages, `BreadcrumbList` matching the breadcrumbs shown) and page titles naming the ward once.

use crate::common::copy_dir;
use mieruka::data::size_label;
use mieruka::urls;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

fn root(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    if name == "real" { dir.to_path_buf() } else { dir.join("tests/fixtures").join(name) }
}

struct Site {
    base: String,
    files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    fn render(root: &Path) -> Site {
        let outputs =
            mieruka::render_site(root, None).unwrap_or_else(|e| panic!("{} does not build:\n{e}", root.display()));
        let config = mieruka::config::SiteConfig::load(root).unwrap();
        Site { base: config.base_url, files: outputs.into_iter().map(|o| (o.path, o.bytes)).collect() }
    }
    fn bytes(&self, path: &str) -> &[u8] {
        self.files.get(path).unwrap_or_else(|| panic!("no output {path}"))
    }
    fn text(&self, path: &str) -> String {
        String::from_utf8(self.bytes(path).to_vec()).unwrap()
    }
    fn json(&self, path: &str) -> Value {
        serde_json::from_slice(self.bytes(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
    /// The output an absolute URL of this site is.
    fn at_url(&self, url: &str) -> &[u8] {
        let local = url.strip_prefix(&self.base).unwrap_or_else(|| panic!("{url} is not on {}", self.base));
        self.bytes(&urls::file_of(local.split('#').next().unwrap()))
    }
    fn pages(&self) -> impl Iterator<Item = (&String, String)> {
        self.files.iter().filter(|(p, _)| p.ends_with(".html")).map(|(p, b)| (p, String::from_utf8(b.clone()).unwrap()))
    }
    fn model(root: &Path) -> (mieruka::model::Site, mieruka::link::Linked) {
        let (loaded, errors) = mieruka::load::load(root);
        assert!(errors.is_empty(), "{errors}");
        let site = mieruka::model::build(&loaded, false).unwrap();
        let linked = mieruka::link::link(&site).unwrap();
        (site, linked)
    }
}

/// The entries of a zip, in archive order, with their bytes.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().to_string(), b)
        })
        .collect()
}

/// The contents of every `<script type="application/ld+json">` of a page.
fn json_lds(html: &str) -> Vec<String> {
    const OPEN: &str = r#"<script type="application/ld+json">"#;
    html.split(OPEN).skip(1).map(|s| s[..s.find("</script>").expect("closed script")].to_string()).collect()
}

fn unescape(html: &str) -> String {
    html.replace("&quot;", "\"").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// The text of the first `<pre class="citation-code"><code>` after `marker`.
fn code_after<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &html[at..];
    let start = rest.find("<pre class=\"citation-code\"><code>").unwrap() + "<pre class=\"citation-code\"><code>".len();
    &rest[start..start + rest[start..].find("</code></pre>").unwrap()]
}

#[test]
fn all_data_zip_holds_every_data_file_a_readme_and_an_offline_package() {
    for name in ["minimal", "series", "real"] {
        let site = Site::render(&root(name));
        let zip = site.bytes(urls::ALL_DATA_ZIP);
        let entries = unzip(zip);
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted, "{name}: entries in name order");
        let by_name: BTreeMap<&str, &[u8]> = entries.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        // Every data file of the site is in it, byte for byte, at its path on the site.
        let data_files: Vec<&String> = site
            .files
            .keys()
            .filter(|p| {
                p.ends_with("/data.csv")
                    || p.ends_with("/data.json")
                    || p.starts_with("data/") && !p.ends_with(".zip") && p.as_str() != urls::DATAPACKAGE
            })
            .collect();
        assert!(data_files.len() >= 6, "{name}: {data_files:?}");
        for path in &data_files {
            assert_eq!(by_name.get(path.as_str()).copied(), Some(site.bytes(path)), "{name}: {path} in the zip");
        }
        assert_eq!(entries.len(), data_files.len() + 2, "{name}: the data files, README.md and datapackage.json");
        // The package inside names files by their path in the archive: it works unzipped.
        let package: Value = serde_json::from_slice(by_name["datapackage.json"]).unwrap();
        let online = site.json(urls::DATAPACKAGE);
        assert_eq!(package["resources"].as_array().unwrap().len(), online["resources"].as_array().unwrap().len());
        for r in package["resources"].as_array().unwrap() {
            let path = r["path"].as_str().unwrap();
            assert!(!path.contains("://") && !path.contains(".."), "{path}");
            let bytes = by_name.get(path).unwrap_or_else(|| panic!("{name}: {path} is not in the zip"));
            assert_eq!(r["bytes"].as_u64(), Some(bytes.len() as u64), "{path}");
            for key in ["schema", "jsonSchema"] {
                if let Some(schema) = r[key].as_str() {
                    assert!(by_name.contains_key(schema), "{name}: {key} {schema} is not in the zip");
                }
            }
            if r["format"] == "json" {
                assert!(r["jsonSchema"].is_string(), "{name}: {path} names no JSON Schema");
            }
        }
        let readme = String::from_utf8(by_name["README.md"].to_vec()).unwrap();
        for must in [
            "# ",
            "## ファイル",
            "`data/observations.csv`",
            "`data/indicators.json`",
            "`datapackage.json`",
            "## 引用の仕方",
            "閲覧日",
            "## IDとURL",
            "dtype",
        ] {
            assert!(readme.contains(must), "{name}: README has no {must}:\n{readme}");
        }
        // Every page's footer links it with its size.
        let link = format!(r#"type="application/zip" download>すべてのデータ（ZIP、{}）</a>"#, size_label(zip.len()));
        for (path, html) in site.pages() {
            if html.contains(r#"<footer class="site-footer">"#) {
                assert!(html.contains(&link), "{name}: {path} has no {link}");
            }
        }
    }
}

#[test]
fn the_real_readme_names_the_licence_the_source_and_the_columns() {
    let site = Site::render(&root("real"));
    let entries = unzip(site.bytes(urls::ALL_DATA_ZIP));
    let readme = String::from_utf8(entries.iter().find(|(n, _)| n == "README.md").unwrap().1.clone()).unwrap();
    assert!(readme.contains("クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）"), "{readme}");
    assert!(readme.contains("出典：区政運営 自己評価の見える化（http://localhost:8000/）、CC BY 4.0"), "{readme}");
    assert!(readme.contains("を加工して作成"));
    assert!(
        readme.contains(
            "平成28年度（2016年度）：大阪市北区「区政運営基本方針の成果目標の達成に向けた取組状況について（北区）」"
        ),
        "{readme}"
    );
    assert!(readme.contains("| `local_gov_code` | 全国地方公共団体コード |"));
    assert!(readme.contains("| `record_type` |"), "the report columns too");
}

#[test]
fn each_series_has_a_zip_with_its_csv_metadata_and_readme() {
    for name in ["minimal", "series", "real"] {
        let r = root(name);
        let site = Site::render(&r);
        let (_, linked) = Site::model(&r);
        assert!(!linked.series.is_empty());
        for s in linked.series.values() {
            let (c, w, id) = (&s.city, &s.ward, &s.indicator.id);
            let zip_path = urls::series_zip(c, w, id);
            assert!(zip_path.ends_with(&format!("/{c}-{w}-{id}.zip")), "{zip_path}");
            let entries = unzip(site.bytes(&zip_path));
            let names: Vec<String> = entries.iter().map(|(n, _)| n.clone()).collect();
            assert_eq!(
                names,
                ["README.md".to_string(), format!("{id}.csv"), format!("{id}.metadata.json")],
                "{zip_path}"
            );
            assert_eq!(
                entries[1].1,
                site.bytes(&urls::series_csv(c, w, id)),
                "{zip_path}: the CSV published beside it"
            );
            let meta: Value = serde_json::from_slice(&entries[2].1).unwrap();
            assert_eq!(meta["indicator"]["id"], id.as_str());
            assert!(meta.get("observations").is_none(), "metadata, not the values");
            let columns = meta["columns"].as_array().unwrap();
            assert!(columns.iter().any(|c| c["name"] == "value" && c["type"] == "number"), "{zip_path}");
            assert_eq!(meta["sources"].as_array().unwrap().len(), s.reports.len());
            let readme = String::from_utf8(entries[0].1.clone()).unwrap();
            for must in [
                s.indicator.name.as_str(),
                "## ファイル",
                "## 列",
                "| `value` |",
                "## 引用の仕方",
                "閲覧日：　　年　　月　　日",
                id.as_str(),
            ] {
                assert!(readme.contains(must), "{zip_path}: README has no {must}:\n{readme}");
            }
            // The series page offers it with its size.
            let page = site.text(&urls::file_of(&urls::series(c, w, id)));
            let link = format!(
                r#"<a href="/{zip_path}" type="application/zip" download>CSV・説明（メタデータJSON）・README の一式：ZIP形式（{}）</a>"#,
                size_label(site.bytes(&zip_path).len())
            );
            let link =
                link.replace("href=\"/", &format!("href=\"{}", mieruka::config::base_path_of(&site.base).unwrap()));
            assert!(page.contains(&link), "{name}: no {link}");
        }
    }
}

#[test]
fn zips_are_byte_identical_between_builds_and_dated_from_content() {
    let minimal = root("minimal");
    let (a, b) = (Site::render(&minimal), Site::render(&minimal));
    let zips: Vec<&String> = a.files.keys().filter(|p| p.ends_with(".zip")).collect();
    assert!(zips.len() >= 2);
    for path in zips {
        assert!(a.files[path] == b.files[path], "{path} differs between two builds");
        let mut archive = zip::ZipArchive::new(Cursor::new(a.files[path].clone())).unwrap();
        let entry = archive.by_index(0).unwrap();
        let date = entry.last_modified().unwrap();
        // The minimal report's `updated` date, not the day of the build.
        assert_eq!((date.year(), date.month(), date.day()), (2017, 6, 30), "{path}");
    }
}

#[test]
fn indicators_json_lists_every_indicator_with_its_urls() {
    for name in ["minimal", "series", "real"] {
        let r = root(name);
        let site = Site::render(&r);
        let (_, linked) = Site::model(&r);
        let index = site.json(urls::INDICATORS);
        assert!(index["promise"].as_str().unwrap().contains("変わりません"));
        let list = index["indicators"].as_array().unwrap();
        assert_eq!(list.len(), linked.series.len(), "{name}: one entry per indicator of each ward");
        for (entry, s) in list.iter().zip(linked.series.values()) {
            assert_eq!(entry["id"], s.indicator.id.as_str());
            assert_eq!(entry["name"], s.indicator.name.as_str());
            assert_eq!(entry["unit"], s.indicator.unit.to_string());
            assert_eq!(entry["ward"]["id"], s.ward.as_str());
            assert_eq!(entry["scope"], if s.indicator.city_wide { "city_wide" } else { "ward" });
            let years: Vec<i64> = entry["years"].as_array().unwrap().iter().map(|y| y.as_i64().unwrap()).collect();
            let mut want: Vec<i64> = s.points.iter().map(|p| i64::from(p.year.western())).collect();
            want.dedup();
            assert_eq!(years, want, "{}", s.indicator.id);
            assert_eq!(entry["first_year"].as_i64(), want.first().copied());
            for key in ["page_url", "csv_url", "json_url", "zip_url"] {
                let url = entry[key].as_str().unwrap();
                assert!(!site.at_url(url).is_empty(), "{name}: {key} {url}");
            }
            assert_eq!(
                entry["page_url"].as_str().unwrap(),
                format!("{}{}", site.base, urls::series(&s.city, &s.ward, &s.indicator.id))
            );
            if s.indicator.city_wide {
                assert!(!site.at_url(entry["comparison_url"].as_str().unwrap()).is_empty());
            } else {
                assert!(entry["comparison_url"].is_null());
            }
        }
        // A resource of the data package, and the method page states the promise.
        let package = site.json(urls::DATAPACKAGE);
        let resource =
            package["resources"].as_array().unwrap().iter().find(|r| r["name"] == "indicators").expect("listed");
        assert_eq!(resource["path"], "indicators.json");
        assert_eq!(resource["bytes"].as_u64(), Some(site.bytes(urls::INDICATORS).len() as u64));
        let method = site.text(&urls::file_of(urls::METHOD));
        assert!(method.contains(mieruka::data::ID_PROMISE), "{name}: the method page states the promise");
        assert!(method.contains("indicators.json"));
    }
}

/// The citation block of a page: the years in both calendars, the permanent URL, the source,
/// the data date, the 閲覧日 to fill in, and BibTeX and CSL-JSON that parse.
fn assert_citation(html: &str, page: &str, url: &str) {
    assert!(html.contains(r#"id="cite-heading">引用の仕方"#), "{page}: no citation block");
    assert!(html.contains("（2016年度）"), "{page}: the Western year");
    assert!(html.contains("平成28年度"), "{page}: the era year");
    assert!(html.contains(&format!(r#"<dd><a href="{url}">{url}</a></dd>"#)), "{page}: permanent URL {url}");
    assert!(html.contains("<dt>原資料（平成28年度（2016年度））</dt>"), "{page}: the source");
    assert!(html.contains("<dt>データ更新日</dt>"), "{page}");
    assert!(html.contains("<dt>閲覧日</dt><dd>　　年　　月　　日（記入してください）</dd>"), "{page}");
    assert!(html.contains("閲覧日：　　年　　月　　日）</p>"), "{page}: the line to copy has the 閲覧日");
    let bibtex = unescape(code_after(html, "<summary>BibTeX 形式</summary>"));
    assert!(bibtex.starts_with("@misc{") && bibtex.ends_with('}'), "{page}: {bibtex}");
    assert!(bibtex.contains(&format!("url = {{{url}}}")) && bibtex.contains("urldate = {YYYY-MM-DD}"), "{bibtex}");
    let braces = bibtex.chars().filter(|c| *c == '{').count() - bibtex.matches("\\{").count();
    assert_eq!(
        braces,
        bibtex.chars().filter(|c| *c == '}').count() - bibtex.matches("\\}").count(),
        "{page}: balanced"
    );
    let csl: Value = serde_json::from_str(&unescape(code_after(html, "<summary>CSL-JSON 形式"))).unwrap();
    assert_eq!(csl[0]["URL"], url, "{page}");
    assert_eq!(csl[0]["type"], "dataset");
    assert!(csl[0]["title"].as_str().unwrap().contains("（2016年度）"));
    assert_eq!(csl[0]["accessed"]["raw"], "YYYY-MM-DD");
}

#[test]
fn series_goal_initiative_and_report_pages_have_a_full_citation() {
    let site = Site::render(&root("real"));
    let base = "http://localhost:8000/";
    for page in [
        "osaka/kita/indicators/kita-hoikusho-taiki-jido/",
        "osaka/kita/2016/goals/1-1/",
        "osaka/kita/2016/initiatives/1-1-1/",
        "osaka/kita/2016/",
    ] {
        let html = site.text(&urls::file_of(page));
        assert_citation(&html, page, &format!("{base}{page}"));
    }
    let goal = site.text("osaka/kita/2016/goals/1-1/index.html");
    assert!(
        goal.contains(r#"<dt>引用する箇所</dt><dd>目標【<span class="nobr">1-1</span>】「地域活動協議会を核とした自律した地域運営の支援」</dd>"#)
    );
    // Citation keys come from ids.
    assert!(goal.contains("@misc{osaka-kita-2016-goal-1-1,"));
}

#[test]
fn content_cannot_break_out_of_bibtex_or_json_ld() {
    let tmp = tempfile::tempdir().unwrap();
    let src = root("minimal");
    copy_dir(&src, tmp.path());
    let ward = tmp.path().join("content/testshi/daiichi/2016/report.toml");
    let text = std::fs::read_to_string(&ward).unwrap();
    let evil = "} @misc{x, </script><script>alert(1)</script>";
    let text = text.replacen("name = \"", &format!("name = \"{evil}"), 1);
    std::fs::write(&ward, text.replacen("title = \"区政運営基本方針", &format!("title = \"{evil}区政運営基本方針"), 1))
        .unwrap();
    let site = Site::render(tmp.path());
    let (mut seen, mut bibtexes) = (0, 0);
    for (path, html) in site.pages() {
        assert!(!html.contains("<script>alert"), "{path}");
        for raw in json_lds(&html) {
            assert!(!raw.contains('<'), "{path}");
            serde_json::from_str::<Value>(&raw).unwrap();
            seen += usize::from(raw.contains("\\u003c/script\\u003e"));
        }
        if html.contains("<summary>BibTeX 形式</summary>") && html.contains("alert(1)") {
            let bibtex = unescape(code_after(&html, "<summary>BibTeX 形式</summary>"));
            assert!(!bibtex.replace("\\}", "").contains("} @misc"), "{path}: an unescaped brace: {bibtex}");
            assert!(bibtex.contains("\\} @misc\\{x,"), "{path}: escaped: {bibtex}");
            bibtexes += 1;
        }
    }
    assert!(seen > 0, "the name reached some JSON-LD, escaped");
    assert!(bibtexes >= 3, "the title reached the BibTeX of the series, goal and report pages");
}

#[test]
fn every_page_has_a_breadcrumb_list_from_home_to_itself() {
    // The home page, the 404 page, a moved indicator's page and the chart-only embed pages
    // included: schema.org's BreadcrumbList on every page, first the home page, last the page.
    for name in ["minimal", "real", "series"] {
        let site = Site::render(&root(name));
        let mut kinds = std::collections::BTreeSet::new();
        for (path, html) in site.pages() {
            let list = json_lds(&html)
                .into_iter()
                .map(|raw| serde_json::from_str::<Value>(&raw).unwrap())
                .find(|v| v["@type"] == "BreadcrumbList")
                .unwrap_or_else(|| panic!("{name}: {path} has no BreadcrumbList"));
            let items = list["itemListElement"].as_array().unwrap();
            assert_eq!(items[0]["item"].as_str(), Some(site.base.as_str()), "{name}: {path}");
            assert_eq!(items[0]["name"], "ホーム", "{name}: {path}");
            let own = format!("{}{}", site.base, path.strip_suffix("index.html").unwrap_or(path));
            assert_eq!(items.last().unwrap()["item"].as_str(), Some(own.as_str()), "{name}: {path}");
            kinds.insert(match path.as_str() {
                "index.html" => "home",
                "404.html" => "not found",
                p if p.ends_with("/embed/index.html") => "embed",
                _ if html.contains("http-equiv=\"refresh\"") => "moved",
                _ => "other",
            });
        }
        assert!(kinds.is_superset(&["home", "not found", "embed", "other"].into()), "{name}: {kinds:?}");
        // The series fixture renames an indicator (`continues`): its old URL is a moved page.
        assert!(name != "series" || kinds.contains("moved"), "{name}: {kinds:?}");
    }
}

#[test]
fn every_page_with_breadcrumbs_has_a_matching_breadcrumb_list() {
    for name in ["minimal", "real"] {
        let site = Site::render(&root(name));
        let base_path = mieruka::config::base_path_of(&site.base).unwrap();
        let mut checked = 0;
        for (path, html) in site.pages() {
            let Some(nav) = html.split(r#"<nav class="breadcrumbs wrap" aria-label="現在位置">"#).nth(1) else {
                continue;
            };
            let nav = &nav[..nav.find("</nav>").unwrap()];
            let shown: Vec<(String, String)> = nav
                .split("<li><a href=\"")
                .skip(1)
                .map(|li| {
                    let (href, rest) = li.split_once('"').unwrap();
                    let text = &rest[rest.find('>').unwrap() + 1..rest.find("</a>").unwrap()];
                    // As seen: phrase breaks and spans out, a cut name's hidden rest too.
                    let seen = text.split(r#"<span class="visually-hidden">"#).next().unwrap();
                    let seen = seen.replace("<wbr>", "").replace(r#"<span aria-hidden="true">"#, "");
                    let seen = seen.replace(r#"<span class="nobr">"#, "").replace("</span>", "");
                    (unescape(href), unescape(&seen))
                })
                .collect();
            let list = json_lds(&html)
                .into_iter()
                .map(|raw| serde_json::from_str::<Value>(&raw).unwrap())
                .find(|v| v["@type"] == "BreadcrumbList")
                .unwrap_or_else(|| panic!("{name}: {path} has breadcrumbs but no BreadcrumbList"));
            let items = list["itemListElement"].as_array().unwrap();
            assert_eq!(items.len(), shown.len(), "{path}");
            for (i, (item, (href, text))) in items.iter().zip(&shown).enumerate() {
                assert_eq!(item["position"], i + 1);
                assert_eq!(item["name"].as_str().unwrap(), text, "{path}");
                let local = href.strip_prefix(&base_path).unwrap();
                assert_eq!(item["item"].as_str().unwrap(), format!("{}{local}", site.base), "{path}");
            }
            checked += 1;
        }
        assert!(checked > 5, "{name}: {checked} pages");
    }
}

#[test]
fn comparison_pages_describe_a_dataset_with_each_wards_files() {
    let site = Site::render(&root("real"));
    let mut with_files = 0;
    for (path, html) in site.pages().filter(|(p, _)| p.starts_with("osaka/indicators/")) {
        let d: Value = serde_json::from_str(&json_lds(&html)[0]).unwrap();
        assert_eq!(d["@type"], "Dataset", "{path}");
        assert!(d["name"].as_str().unwrap().starts_with("大阪市 "), "{path}");
        let dist = d["distribution"].as_array().unwrap();
        for f in dist {
            assert_eq!(f["@type"], "DataDownload");
            let bytes = site.at_url(f["contentUrl"].as_str().unwrap());
            assert_eq!(f["contentSize"].as_str().unwrap(), bytes.len().to_string());
            // What the structured data lists, the page shows.
            let link = f["contentUrl"].as_str().unwrap().replace(&site.base, "/");
            assert!(html.contains(&format!(r#"<a href="{link}""#)), "{path}: no visible link to {link}");
        }
        assert!(dist.iter().any(|f| f["encodingFormat"] == "application/zip"));
        if dist.iter().any(|f| f["encodingFormat"] == "text/csv") {
            with_files += 1;
            assert!(dist.iter().any(|f| f["name"].as_str().unwrap().starts_with("大阪市北区")), "{path}");
        }
    }
    assert!(with_files > 0);
}

#[test]
fn titles_and_descriptions_name_the_ward_once() {
    let site = Site::render(&root("real"));
    for (path, html) in site.pages() {
        let title = &html[html.find("<title>").unwrap() + 7..html.find("</title>").unwrap()];
        assert!(!title.contains("北区 北区") && !title.contains("北区の北区"), "{path}: {title}");
        let under_ward = path.starts_with("osaka/kita/") && !path.contains("/embed/");
        if under_ward {
            assert_eq!(title.matches("大阪市北区").count(), 1, "{path}: {title}");
            let desc = html.split(r#"<meta name="description" content=""#).nth(1).unwrap();
            let desc = &desc[..desc.find('"').unwrap()];
            assert!(desc.contains("大阪市北区"), "{path}: {desc}");
        }
    }
    let t = site.text("osaka/kita/indicators/kita-miryoku-joho-hasshin/index.html");
    assert!(
        t.contains("<title>大阪市北区の魅力が十分に情報発信されていると感じる区民の割合の推移 |"),
        "clean when the name starts with the ward"
    );
}

// ---- licences ----------------------------------------------------------------------------

fn site_with_licence(licence: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root("minimal"), tmp.path());
    let toml = std::fs::read_to_string(tmp.path().join("site.toml")).unwrap();
    std::fs::write(tmp.path().join("site.toml"), format!("{toml}\n{licence}\n")).unwrap();
    tmp
}

#[test]
fn pdl_by_its_id_alone_with_its_attribution_everywhere() {
    let tmp = site_with_licence("[licence]\nid = \"PDL-1.0\"");
    let site = Site::render(tmp.path());
    let attribution = "出典：テスト用サイト（http://127.0.0.1:8357/）、PDL1.0（https://www.digital.go.jp/resources/open_data/public_data_license_v1.0）";
    let edited = "「テスト用サイト」（http://127.0.0.1:8357/）を加工して作成";
    let home = site.text("index.html");
    assert!(home.contains(r#"<a href="https://www.digital.go.jp/resources/open_data/public_data_license_v1.0">公共データ利用規約（第1.0版）</a>"#));
    assert!(home.contains(attribution) && home.contains(edited), "footer");
    let series = site.text("testshi/daiichi/indicators/jiritsu/index.html");
    assert!(
        series.contains(&format!("<p>利用するときは出典を記載してください（例：{attribution}）。</p>")),
        "citation block"
    );
    let zip = unzip(site.bytes("testshi/daiichi/indicators/jiritsu/testshi-daiichi-jiritsu.zip"));
    let readme = String::from_utf8(zip[0].1.clone()).unwrap();
    assert!(
        readme.contains("公共データ利用規約（第1.0版）") && readme.contains(attribution) && readme.contains(edited)
    );
    let package = site.json(urls::DATAPACKAGE);
    assert_eq!(package["licenses"][0]["name"], "PDL-1.0");
    assert_eq!(package["licenses"][0]["title"], "公共データ利用規約（第1.0版）");
}

#[test]
fn cc0_needs_no_attribution_and_named_licences_still_work() {
    let site = Site::render(site_with_licence("[licence]\nid = \"CC0-1.0\"").path());
    let home = site.text("index.html");
    assert!(home.contains("CC0 1.0") && !home.contains("出典を記載してください"), "CC0 asks for no attribution");
    let site = Site::render(
        site_with_licence("[licence]\nname = \"独自の利用規約\"\nurl = \"https://www.city.example.jp/riyou/\"").path(),
    );
    let home = site.text("index.html");
    assert!(home.contains(r#"<a href="https://www.city.example.jp/riyou/">独自の利用規約</a>"#));
    assert!(home.contains(
        "出典：テスト用サイト（http://127.0.0.1:8357/）、独自の利用規約（https://www.city.example.jp/riyou/）"
    ));
}

#[test]
fn an_unknown_licence_id_without_name_and_url_is_an_error_at_its_table() {
    let tmp = site_with_licence("[licence]\nid = \"GJ-2.0\"");
    let err = mieruka::render_site(tmp.path(), None).unwrap_err().to_string();
    assert!(err.contains("site.toml:4:1"), "{err}");
    assert!(err.contains("GJ-2.0") && err.contains("PDL-1.0, CC-BY-4.0, CC0-1.0"), "{err}");
}
