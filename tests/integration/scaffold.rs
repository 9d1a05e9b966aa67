//! `mieruka init` and `mieruka new report` through the real binary, in temporary folders: a new
//! site builds at once; a folder with anything in it is refused; next year's report of the real
//! Kita site keeps every indicator, continues every series and keeps the comments; an existing
//! report is never overwritten; a new ward gets a skeleton with its ward.toml and municipality.toml.

use crate::common;
use crate::common::Files;
use mieruka::load::{LoadedReport, RawMeasurement, RawValue};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One run of `mieruka <args>` in `cwd`.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn mieruka(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_mieruka")).args(args).current_dir(cwd).output().expect("run mieruka");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

impl Run {
    fn assert_success(&self) -> &Run {
        assert_eq!(self.code, Some(0), "failed:\n{}\n{}", self.stdout, self.stderr);
        self
    }
    fn assert_failure(&self) -> &Run {
        assert_eq!(self.code, Some(1), "did not fail:\n{}\n{}", self.stdout, self.stderr);
        self
    }
}

/// Every file under `dir`, relative, with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// A copy of this repository's real site (site.toml, content/: Kita's FY2016 report,
/// static/: its source text, and the accessibility checklist site.toml names).
fn real_site() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("site.toml"), tmp.path().join("site.toml")).unwrap();
    common::copy_dir(&repo.join("content"), &tmp.path().join("content"));
    std::fs::create_dir_all(tmp.path().join("docs")).unwrap();
    let checklist = "docs/accessibility-checklist.toml";
    std::fs::copy(repo.join(checklist), tmp.path().join(checklist)).unwrap();
    if repo.join("static").is_dir() {
        common::copy_dir(&repo.join("static"), &tmp.path().join("static"));
    }
    tmp
}

/// `mieruka build --root <tmp> --out <tmp>/public [more]`.
fn build(tmp: &tempfile::TempDir, more: &[&str]) -> Run {
    let out = tmp.path().join("public");
    let mut args = vec!["build", "--root", root_arg(tmp), "--out", out.to_str().unwrap()];
    args.extend(more);
    mieruka(tmp.path(), &args)
}

fn root_arg(tmp: &tempfile::TempDir) -> &str {
    tmp.path().to_str().expect("a UTF-8 temporary path")
}

// ---- init ------------------------------------------------------------------------------

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let run = mieruka(tmp.path(), &["init", "site"]);
    run.assert_success();
    for file in ["site.toml", "content/index.md", ".gitignore"] {
        assert!(tmp.path().join("site").join(file).is_file(), "no {file}");
        assert!(run.stdout.contains(file), "{file} is not named:\n{}", run.stdout);
    }
    assert_eq!(std::fs::read_to_string(tmp.path().join("site/.gitignore")).unwrap(), "public/\n.mieruka-cache/\n");
    let site = tmp.path().join("site");
    mieruka(&site, &["build"]).assert_success();
    let built = Files::read(&site.join("public"));
    for page in ["", "about/progress/", "accessibility/"] {
        assert!(built.exists(page), "no page {page:?}");
    }
    built.assert_contains("", "まだ公開している報告書はありません");
    // The settings say what each field is; the build reads them as the site's.
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    for field in ["title", "description", "base_url", "publisher", "[licence]", "[accessibility]", "contact"] {
        assert!(toml.contains(&format!("# {field}")), "site.toml does not document {field}");
    }
}

/// `init` proposes 公共データ利用規約（第1.0版） in its commented site.toml: uncommented, the
/// site states it with its attribution.
#[test]
fn init_proposes_the_public_data_licence() {
    let tmp = tempfile::tempdir().unwrap();
    mieruka(tmp.path(), &["init", "site"]).assert_success();
    let site = tmp.path().join("site");
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    let proposed = "# [licence]\n# id = \"PDL-1.0\"\n";
    assert!(toml.contains(proposed), "{toml}");
    assert!(toml.contains("公共データ利用規約（第1.0版）"));
    std::fs::write(site.join("site.toml"), toml.replacen(proposed, "[licence]\nid = \"PDL-1.0\"\n", 1)).unwrap();
    mieruka(&site, &["build"]).assert_success();
    let built = Files::read(&site.join("public"));
    built.assert_contains("", "公共データ利用規約（第1.0版）</a>に従って利用できます。");
    built.assert_contains("", "PDL1.0（https://www.digital.go.jp/resources/open_data/public_data_license_v1.0）");
    built.assert_contains("", "を加工して作成");
}

#[test]
fn init_in_the_current_folder_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    mieruka(tmp.path(), &["init"]).assert_success();
    assert!(tmp.path().join("site.toml").is_file());
    assert!(tmp.path().join("content/index.md").is_file());
}

#[test]
fn init_refuses_a_folder_with_anything_in_it_and_writes_nothing() {
    for existing in [".git/HEAD", "README.md", ".hidden"] {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join(existing);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "x").unwrap();
        let before = snapshot(tmp.path());
        let run = mieruka(tmp.path(), &["init", "."]);
        run.assert_failure();
        let name = existing.split('/').next().unwrap();
        assert!(run.stderr.contains("空のフォルダではありません") && run.stderr.contains(name), "{}", run.stderr);
        assert!(run.stderr.contains("何も書いていません"), "{}", run.stderr);
        assert_eq!(snapshot(tmp.path()), before, "init wrote into a folder holding {existing}");
    }
}

// ---- new report, from the latest report --------------------------------------------------

/// Every measurement of a report (goal outcomes, then initiative indicators), in file order.
fn measurements(r: &LoadedReport) -> Vec<&RawMeasurement> {
    r.report
        .goals
        .iter()
        .flat_map(|g| &g.outcomes)
        .chain(r.report.initiatives.iter().flat_map(|i| &i.indicators))
        .collect()
}

fn text(v: Option<&toml::Spanned<RawValue>>) -> Option<String> {
    v.map(|v| match v.get_ref() {
        RawValue::Text(t) => t.clone(),
        RawValue::Number(n) => n.to_string(),
        RawValue::Words(w) => w.text.clone(),
    })
}

#[test]
fn next_years_report_continues_every_series_of_the_latest() {
    let tmp = real_site();
    let run = mieruka(tmp.path(), &["new", "report", "osaka/kita/平成29年度", "--root", root_arg(&tmp)]);
    run.assert_success();
    let path = tmp.path().join("content/osaka/kita/2017/report.toml");
    assert!(path.is_file());
    for said in
        ["content/osaka/kita/2017/report.toml", "未記入", "mieruka serve --drafts", "mieruka check", "draft = true"]
    {
        assert!(run.stdout.contains(said), "the message does not say {said}:\n{}", run.stdout);
    }

    // It loads with the raw shapes, beside the report it was made from.
    let (loaded, errors) = mieruka::load::load(tmp.path());
    assert!(errors.is_empty(), "{errors}");
    let ward = &loaded.cities[0].wards[0];
    let [latest, next] = ward.reports.as_slice() else { panic!("two reports expected") };
    assert_eq!((latest.folder.as_str(), next.folder.as_str()), ("2016", "2017"));
    assert!(next.report.draft && !latest.report.draft);
    assert!(matches!(next.report.fiscal_year.get_ref(), mieruka::load::RawYear::Text(t) if t == "平成29年度"));

    let (old, new) = (measurements(latest), measurements(next));
    let ids = |ms: &[&RawMeasurement]| ms.iter().map(|m| m.indicator.get_ref().clone()).collect::<BTreeSet<_>>();
    assert_eq!(ids(&old), ids(&new), "the indicators differ");
    assert_eq!(old.len(), new.len());
    for (o, n) in old.iter().zip(&new) {
        let id = o.indicator.get_ref();
        assert_eq!(n.indicator.get_ref(), id);
        assert_eq!(text(n.previous.as_ref()), text(o.value.as_ref()), "previous of {id} is not the FY2016 value");
        assert_eq!(text(n.value.as_ref()).as_deref(), Some("未記入"), "value of {id}");
        assert_eq!(n.name, o.name, "name of {id}");
        assert_eq!(n.target.as_ref().map(|t| t.text.clone()), o.target.as_ref().map(|t| t.text.clone()));
        assert!(n.notes.is_empty() && n.series_break.is_none() && !n.as_printed, "{id} keeps last year's notes");
    }
    let goals = |r: &LoadedReport| r.report.goals.iter().map(|g| g.id.get_ref().clone()).collect::<Vec<_>>();
    assert_eq!(goals(latest), goals(next));
    for (o, n) in latest.report.initiatives.iter().zip(&next.report.initiatives) {
        assert_eq!(
            (n.id.get_ref(), &n.content, &n.performance_target),
            (o.id.get_ref(), &o.content, &o.performance_target)
        );
        assert_eq!(n.previous_results, o.results, "previous_results of {}", o.id.get_ref());
        assert_eq!(n.results, "未記入");
    }
    assert!(next.report.transcription_notes.is_empty() && next.report.corrections.is_empty());

    // The comments of the original are kept, line for line.
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: BTreeSet<&str> = text.lines().collect();
    let comments: Vec<&str> = latest.file.text.lines().filter(|l| l.trim_start().starts_with('#')).collect();
    assert!(comments.len() > 10, "the real report has comments to keep");
    for c in comments {
        assert!(lines.contains(c), "comment lost: {c}");
    }
    let at = text.lines().position(|l| l.starts_with("fiscal_year")).unwrap();
    assert!(text.lines().nth(at + 1).unwrap().starts_with("draft = true  # "), "draft = true follows fiscal_year");

    // The model takes it as a draft: left out of a build, shown with --drafts, 未記入 where it is.
    let run = build(&tmp, &[]);
    run.assert_success();
    assert!(run.stderr.contains("2017/report.toml is a draft"), "{}", run.stderr);
    build(&tmp, &["--drafts"]).assert_success();
    let page = std::fs::read_to_string(tmp.path().join("public/osaka/kita/2017/index.html")).unwrap();
    assert!(page.contains("下書き") && page.contains("未記入"));
    mieruka(tmp.path(), &["check", "--drafts", "--root", root_arg(&tmp)]).assert_success();
    // Without draft = true, every 未記入 is an error.
    std::fs::write(&path, text.replace("draft = true", "draft = false")).unwrap();
    let run = build(&tmp, &[]);
    run.assert_failure();
    assert!(run.stderr.contains("found `未記入`"), "{}", run.stderr);
}

#[test]
fn an_existing_report_is_never_overwritten() {
    let tmp = real_site();
    let root = root_arg(&tmp);
    mieruka(tmp.path(), &["new", "report", "osaka/kita/平成29年度", "--root", root]).assert_success();
    let before = snapshot(tmp.path());
    for year in ["H29", "2017", "平成28年度"] {
        let run = mieruka(tmp.path(), &["new", "report", &format!("osaka/kita/{year}"), "--root", root]);
        run.assert_failure();
        assert!(run.stderr.contains("すでにあります（already exists）"), "{}", run.stderr);
        assert!(run.stderr.contains("report.toml"), "{}", run.stderr);
        assert_eq!(snapshot(tmp.path()), before, "{year}: a file changed");
    }
    // The year after is made from the newest report below it: the FY2017 draft.
    mieruka(tmp.path(), &["new", "report", "osaka/kita/R1", "--root", root]).assert_success();
    let text = std::fs::read_to_string(tmp.path().join("content/osaka/kita/2019/report.toml")).unwrap();
    assert!(
        text.contains("fiscal_year = \"令和元年度\"")
            && text.contains("平成29年度の content/osaka/kita/2017/report.toml")
    );
}

// ---- new report, from nothing ----------------------------------------------------------

#[test]
fn a_new_ward_gets_a_skeleton_with_what_is_missing() {
    let tmp = real_site();
    let root = root_arg(&tmp);
    let municipality = std::fs::read(tmp.path().join("content/osaka/municipality.toml")).unwrap();
    let run = mieruka(tmp.path(), &["new", "report", "osaka/naka/2017", "--root", root]);
    run.assert_success();
    for file in ["content/osaka/naka/2017/report.toml", "content/osaka/naka/ward.toml"] {
        assert!(tmp.path().join(file).is_file(), "no {file}");
        assert!(run.stdout.contains(file), "{file} not named:\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("municipality.toml"), "{}", run.stdout);
    assert_eq!(std::fs::read(tmp.path().join("content/osaka/municipality.toml")).unwrap(), municipality);

    // A new city too.
    let run = mieruka(tmp.path(), &["new", "report", "kyoto/sakyo/令和2年度", "--root", root]);
    run.assert_success();
    for file in
        ["content/kyoto/sakyo/2020/report.toml", "content/kyoto/sakyo/ward.toml", "content/kyoto/municipality.toml"]
    {
        assert!(tmp.path().join(file).is_file(), "no {file}");
        assert!(run.stdout.contains(file), "{file} not named:\n{}", run.stdout);
    }
    let code = std::fs::read_to_string(tmp.path().join("content/kyoto/municipality.toml")).unwrap();
    assert!(code.contains("code = \"未記入\""), "{code}");

    // Everything written loads with the raw shapes.
    let (loaded, errors) = mieruka::load::load(tmp.path());
    assert!(errors.is_empty(), "{errors}");
    let sakyo = loaded.cities.iter().find(|c| c.id == "kyoto").unwrap().wards.first().unwrap();
    let report = &sakyo.reports[0];
    assert!(report.report.draft);
    assert_eq!(report.report.title, "未記入");
    assert_eq!(
        (report.report.goals.len(), report.report.goals[0].outcomes.len(), report.report.initiatives.len()),
        (1, 1, 1)
    );
    assert!(report.file.text.contains("docs/content-format.md"));

    // ward.toml and municipality.toml cannot be drafts: the build names them until filled in.
    let run = build(&tmp, &["--drafts"]);
    run.assert_failure();
    for file in ["content/osaka/naka/ward.toml", "content/kyoto/sakyo/ward.toml", "content/kyoto/municipality.toml"] {
        assert!(run.stderr.contains(file), "{file} not named:\n{}", run.stderr);
    }
    for (file, from, to) in [
        ("content/osaka/naka/ward.toml", "name = \"未記入\"", "name = \"中央区\""),
        ("content/kyoto/sakyo/ward.toml", "name = \"未記入\"", "name = \"左京区\""),
        ("content/kyoto/municipality.toml", "name = \"未記入\"", "name = \"京都市\""),
        ("content/kyoto/municipality.toml", "code = \"未記入\"", "code = \"261009\""),
    ] {
        let path = tmp.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }
    // Then the skeletons are drafts like any other: left out, or shown with --drafts.
    build(&tmp, &[]).assert_success();
    build(&tmp, &["--drafts"]).assert_success();
    assert!(tmp.path().join("public/kyoto/sakyo/2020/index.html").is_file());
}

#[test]
fn a_calendar_year_is_refused_with_the_ways_to_write_a_fiscal_year() {
    let tmp = real_site();
    let before = snapshot(tmp.path());
    let run = mieruka(tmp.path(), &["new", "report", "osaka/kita/2017年", "--root", root_arg(&tmp)]);
    run.assert_failure();
    assert!(run.stderr.contains("`2017年` は暦年（calendar year）です"), "{}", run.stderr);
    assert!(run.stderr.contains("平成29年度") && run.stderr.contains("H29"), "{}", run.stderr);
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn a_folder_without_a_site_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let run = mieruka(tmp.path(), &["new", "report", "osaka/kita/2017"]);
    run.assert_failure();
    assert!(run.stderr.contains("サイトがありません") && run.stderr.contains("mieruka init"), "{}", run.stderr);
    assert!(snapshot(tmp.path()).is_empty());
}
