//! The READMEs in Japanese that the zips carry: what each file is, what the columns mean,
//! where the values come from, the licence and how to cite.

use super::columns::{OBSERVATION_FIELDS, REPORT_FIELDS};
use super::table::{Field, PANDAS_NOTE};
use crate::config::SiteConfig;
use crate::link::{Linked, Series};
use crate::model::{City, Report, Site, Ward};
use crate::text::date_ja;
use crate::urls::{self, Urls};
use std::fmt::Write;

/// Where a report's source document is: its address, else the copy published with the site.
fn source_line(urls: &Urls, ward_full: &str, r: &Report) -> Option<String> {
    let s = r.source.as_ref()?;
    let mut line = format!("{}：{ward_full}「{}」", r.fiscal_year.label(), s.title);
    let url = s
        .url
        .as_ref()
        .map(ToString::to_string)
        .or_else(|| s.file.as_ref().map(|f| urls.absolute(&urls::static_file(&f.path))));
    if let Some(u) = url {
        line.push_str(&format!("（{u}）"));
    }
    if let Some(d) = &s.published {
        line.push_str(&format!("、{}公表", date_ja(d)));
    }
    if !r.transcription_notes.is_empty() {
        line.push_str(&format!("。転記の際の注記：{}", r.transcription_notes.join(" ")));
    }
    Some(line)
}

fn columns(out: &mut String, fields: &[Field]) {
    out.push_str("| 列名 | 名前 | 説明 |\n| --- | --- | --- |\n");
    for f in fields {
        let cell = |t: &str| t.replace('|', "｜").replace('\n', " ");
        let _ = writeln!(out, "| `{}` | {} | {} |", f.name, cell(f.title), cell(f.description));
    }
}

fn licence(out: &mut String, config: &SiteConfig) {
    out.push_str("\n## 利用条件\n\n");
    let terms = config.licence_terms();
    if terms.is_empty() {
        out.push_str("利用条件は定められていません。利用する前に発行者に確認してください。\n");
    }
    for t in terms {
        let _ = writeln!(out, "{t}");
    }
    out.push_str("\nこのデータは、各区が公表した報告書（原資料）の値を書き写し、年度をまたいでつないだもの（原資料を加工して作成したもの）です。数値を確かめるときは原資料を参照してください。\n");
}

/// The README of one series' zip.
pub(super) fn series(config: &SiteConfig, urls: &Urls, city: &City, ward: &Ward, s: &Series) -> String {
    let (c, w, id) = (&city.id, &ward.id, &s.indicator.id);
    let ward_full = format!("{}{}", city.name, ward.name);
    let page = urls.absolute(&urls::series(c, w, id));
    let mut out = format!("# {}\n\n", super::series_title(city, ward, &s.indicator.name));
    let _ = writeln!(
        out,
        "このZIPファイルは「{}」（{}）が公開している、指標1つのデータです。\n",
        config.title, config.base_url
    );
    let _ = writeln!(out, "- 区：{ward_full}（全国地方公共団体コード {}）", city.code.as_str());
    let _ = writeln!(out, "- 指標：{}（指標ID：`{id}`）", s.indicator.name);
    if !s.former_ids.is_empty() {
        let ids: Vec<String> = s.former_ids.iter().map(|i| format!("`{i}`")).collect();
        let _ = writeln!(out, "- 以前の指標ID：{}", ids.join("、"));
    }
    let _ = writeln!(out, "- 単位：{}", s.indicator.unit);
    if let Some(d) = s.indicator.direction {
        let _ = writeln!(out, "- 望ましい方向：{}", d.label());
    }
    let _ = writeln!(
        out,
        "- 種類：{}",
        if s.indicator.city_wide {
            "全市共通の指標（各区が同じ指標で評価）"
        } else {
            "区の指標"
        }
    );
    let _ = writeln!(out, "- 年度：{}（値 {}件）", s.years_label(), s.points.len());
    if let Some(u) = &s.updated {
        let _ = writeln!(out, "- データ更新日：{}", date_ja(u));
    }
    let _ = writeln!(out, "- ページ：{page}");
    out.push_str("\n## ファイル\n\n");
    let _ = writeln!(
        out,
        "- `{id}.csv`：年度ごとの値。1行は1つの値と、それを示している報告の箇所（目標のアウトカム、取組の業績目標）の組です。文字コードは UTF-8（BOM付き）。{} と同じ内容です。",
        urls.absolute(&urls::series_csv(c, w, id))
    );
    let _ = writeln!(out, "- `{id}.metadata.json`：この指標の説明、列の説明、原資料（JSON）。");
    out.push_str("- `README.md`：このファイル。\n");
    let _ = writeln!(out, "\n{PANDAS_NOTE}\n\n## 列\n");
    columns(&mut out, OBSERVATION_FIELDS);
    let sources: Vec<String> = s
        .reports
        .iter()
        .filter_map(|fy| ward.reports.iter().find(|r| r.fiscal_year == *fy))
        .filter_map(|r| source_line(urls, &ward_full, r))
        .collect();
    if !sources.is_empty() {
        out.push_str("\n## 原資料\n\n");
        for l in sources {
            let _ = writeln!(out, "- {l}");
        }
    }
    licence(&mut out, config);
    out.push_str("\n## 引用の仕方\n\n");
    let latest = s.reports.last().and_then(|fy| ward.reports.iter().find(|r| r.fiscal_year == *fy));
    if let Some(r) = latest {
        let subject = format!("指標「{}」の推移", s.indicator.name);
        let years = s.years_label();
        let text = super::citation_text(config, &ward_full, &r.title, &years, &subject, &page, s.updated.as_deref());
        let _ = writeln!(out, "{}", super::with_access_date(&text));
    }
    out
}

/// The README of the archive of all data.
pub(super) fn all(config: &SiteConfig, urls: &Urls, site: &Site, linked: &Linked, entries: &[&str]) -> String {
    let mut out = format!("# {}：すべてのデータ\n\n", config.title);
    if !config.description.is_empty() {
        let _ = writeln!(out, "{}\n", config.description);
    }
    let _ = writeln!(
        out,
        "このZIPファイルは、{}（{}）のすべてのデータファイル（全市・全区・全年度）をまとめたものです。フォルダの構成はサイトのURLと同じで、各ファイルはサイト上の同じパスのファイルと同じ内容です。",
        config.title, config.base_url
    );
    let reports = site.reports().count();
    let _ = writeln!(out, "\n- 報告：{reports}件\n- 指標（区ごと）：{}件", linked.series.len());
    if let Some(d) = site.reports().filter_map(|at| at.report.updated.as_deref()).max() {
        let _ = writeln!(out, "- データ更新日：{}", date_ja(d));
    }
    out.push_str("\n## ファイル\n\n");
    out.push_str("- `README.md`：このファイル。\n");
    out.push_str("- `datapackage.json`：データパッケージ（Frictionless Data Package）。すべてのファイルと列の説明を、このZIPの中のパスで記載しています（展開したフォルダで `frictionless validate datapackage.json` により検証できます）。サイト上の版は ");
    let _ = writeln!(out, "{} です。", urls.absolute(urls::DATAPACKAGE));
    out.push_str("- `data/observations.csv`：すべての指標の値。1行は1つの値（指標・区・年度）とそれを示している報告の箇所の組です。\n");
    out.push_str("- `data/indicators.json`：指標の一覧（指標ID・名前・単位・望ましい方向・区の指標か全市共通の指標か・値のある年度・URL）。\n");
    out.push_str(
        "- `data/schemas/observations.json`、`data/schemas/report.json`：CSVファイルの列の定義（Table Schema）。\n",
    );
    out.push_str(
        "- `data/schemas/series.schema.json`、`data/schemas/report.schema.json`、`data/schemas/indicators.schema.json`：JSONファイルの形の定義（JSON Schema）。\n",
    );
    let count = |suffix: &str, part: &str| entries.iter().filter(|p| p.contains(part) && p.ends_with(suffix)).count();
    let _ = writeln!(
        out,
        "- `<市>/<区>/indicators/<指標ID>/data.csv`・`data.json`（{}件）：区ごとの指標の、年度ごとの値。",
        count("data.csv", "/indicators/")
    );
    let _ = writeln!(
        out,
        "- `<市>/<区>/<年度>/data.csv`・`data.json`（{}件）：1つの報告（区・年度）のすべての行（目標、指標の値、取組）と評価。",
        count("data.csv", "") - count("data.csv", "/indicators/")
    );
    out.push_str("\nCSVファイルの文字コードは UTF-8（BOM付き）、改行は CRLF、1行目が列名です。数値は単位を付けずに記載し、値のない欄は空欄（0 ではありません）です。");
    let _ = writeln!(out, "{PANDAS_NOTE}\n\n## `data/observations.csv` の列\n");
    columns(&mut out, OBSERVATION_FIELDS);
    out.push_str("\n## 報告ごとの `data.csv` の列\n\n");
    columns(&mut out, REPORT_FIELDS);
    let sources: Vec<String> =
        site.reports().filter_map(|at| source_line(urls, &at.ward_full_name(), at.report)).collect();
    if !sources.is_empty() {
        out.push_str("\n## 原資料\n\n");
        for l in sources {
            let _ = writeln!(out, "- {l}");
        }
    }
    licence(&mut out, config);
    out.push_str("\n## 引用の仕方\n\n");
    let publisher = if config.publisher.is_empty() { String::new() } else { format!("{}「", config.publisher) };
    let close = if publisher.is_empty() { "" } else { "」" };
    let _ = writeln!(
        out,
        "{publisher}{}{close}（{}）、すべてのデータ（ZIP）。（閲覧日：　　年　　月　　日）",
        config.title, config.base_url
    );
    out.push_str("\n指標ごとのデータを引用するときは、各指標のページの「引用の仕方」を使ってください。\n");
    let _ = writeln!(out, "\n## IDとURL\n\n{}", super::ID_PROMISE);
    out
}
