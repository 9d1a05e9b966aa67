//! docs/templates.md against the templates the binary carries: every built-in template is
//! listed, the count is right, and every `page.…` field a built-in template prints is documented.

use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn templates_md_lists_every_template_and_every_page_field() {
    let docs = read("docs/templates.md");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert!(docs.contains(&format!("**Only these {} names**", names.len())), "the count of templates");
    let mut missing = Vec::new();
    for name in &names {
        if !docs.contains(&format!("| `{name}` |")) {
            missing.push(format!("{name} (not in the table of templates)"));
        }
        let text = read(&format!("templates/{name}"));
        let mut rest = text.as_str();
        while let Some(i) = rest.find("page.") {
            let field: String = rest[i + 5..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            rest = &rest[i + 5..];
            let documented = [format!("`page.{field}`"), format!("`page.{field},"), format!("page.{field}`")]
                .iter()
                .any(|n| docs.contains(n.as_str()));
            if !field.is_empty() && !documented {
                missing.push(format!("{name}: page.{field}"));
            }
        }
    }
    missing.dedup();
    assert!(missing.is_empty(), "docs/templates.md does not document: {missing:#?}");
}
