//! The data flow goes one way: each top-level module of `src/` imports only modules that
//! come before it in `LAYERS` (the steps before it, and the shared pieces below them). A
//! module that reached up (data into render, say) would fail here with the line that does it.

use std::collections::BTreeSet;
use std::path::Path;

/// Lowest first. `lib.rs` and `main.rs` run the steps and may use them all.
const LAYERS: &[&str] = &[
    "ja",
    "output",
    "error",
    "web",
    "text",
    // The 達成基準チェックリスト that site.toml names (read with it).
    "checklist",
    "config",
    "load",
    "model",
    "link",
    // After link: how reports stand, what changed, counts by status (the overview pages).
    "overview",
    "urls",
    // The search index's records, made from the linked site (the search page names its folder).
    "search",
    "data",
    // Chart images: the SVG files and the preview PNGs (drawn with resvg, cached).
    "images",
    "render",
    "discovery",
    "write",
    // Not a step: `mieruka init` and `mieruka new report` write content for the clerk.
    "scaffold",
    "serve",
];

/// Modules that run the steps themselves, as `lib.rs` does, and so may also use its functions
/// (`crate::render_site_into`): the preview, at the top.
const RUNS_THE_STEPS: &[&str] = &["serve"];

/// The top-level module a file of `src/` belongs to (`src/render/pages/goal.rs` → render).
fn module_of(path: &Path, src: &Path) -> Option<String> {
    let rel = path.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy().into_owned();
    Some(first.trim_end_matches(".rs").to_string())
}

/// The top-level modules a file names as `crate::<module>`.
fn imports(text: &str) -> BTreeSet<(String, usize)> {
    let mut found = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.insert((name, n + 1));
            }
            rest = after;
        }
    }
    found
}

#[test]
fn modules_import_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    files.sort();
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(f, &src)).collect();
    let mut wrong = Vec::new();
    let mut seen = BTreeSet::new();
    for f in &files {
        let Some(module) = module_of(f, &src) else { continue };
        if module == "lib" || module == "main" {
            continue;
        }
        let rank = LAYERS.iter().position(|m| *m == module);
        assert!(rank.is_some(), "{}: module `{module}` is not in LAYERS (tests/integration/layers.rs)", f.display());
        seen.insert(module.clone());
        let text = std::fs::read_to_string(f).unwrap();
        for (used, line) in imports(&text) {
            if used == module {
                continue;
            }
            match LAYERS.iter().position(|m| *m == used) {
                Some(r) if Some(r) < rank => {}
                None if RUNS_THE_STEPS.contains(&module.as_str()) && !modules.contains(&used) => {}
                _ => wrong.push(format!(
                    "{}:{line}: `{module}` uses `crate::{used}`",
                    f.strip_prefix(&src).unwrap().display()
                )),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the flow of data (LAYERS in tests/integration/layers.rs):\n{}",
        wrong.join("\n")
    );
    let missing: Vec<&&str> = LAYERS.iter().filter(|m| !seen.contains(**m)).collect();
    assert!(missing.is_empty(), "LAYERS names modules that do not exist: {missing:?}");
}

#[test]
fn the_check_sees_a_reach_upwards() {
    let found = imports("use crate::render::Output; // crate::data in a comment\nlet x = crate::urls::home();");
    let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["render", "urls"]);
}
