//! Text to HTML: Markdown (sanitised), phrase-wrapped headings, escaping.

use pulldown_cmark::{Options, Parser, html};
use std::sync::LazyLock;

/// The sanitiser: what Markdown produces is allowed, nothing that runs script.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(Some("noopener noreferrer"));
    // Reports carry no images; an image from content could lack alt text or point nowhere.
    b.rm_tags(["img"]);
    b
});

/// Markdown to sanitised HTML. Raw HTML in content is cleaned: no script, no handlers.
pub fn markdown(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    use pulldown_cmark::{Event, Tag};
    let events: Vec<Event> = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .map(|event| match event {
            Event::Text(t) => Event::Text(display(&t).into()),
            other => other,
        })
        .collect();
    // pulldown-cmark escapes text itself: only raw HTML, links and images can carry anything
    // unwanted (or need `rel`), and only then is the (costly) sanitiser run.
    let needs_sanitising =
        events.iter().any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::Image { .. } | Tag::Link { .. })));
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(&mut out, events.into_iter());
    if !needs_sanitising {
        return out;
    }
    // A removed `javascript:` URL leaves `<a rel=…>` without href, which is invalid HTML.
    SANITIZER.clean(&out).to_string().replace("<a rel=\"noopener noreferrer\">", "<a>")
}

/// Text as the site prints it: digits and Latin letters half-width (「１０回」→「10回」,
/// 「ＣＢ化」→「CB化」), and the shorthand 「H29年度」 written out as 「平成29年度（2017年度）」
/// so it reads correctly aloud. Everything else is kept as the source has it.
pub fn display(s: &str) -> String {
    // Most strings have nothing to change: a cheap scan first.
    if !s.chars().any(|c| c == 'H' || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')) {
        return s.to_string();
    }
    let folded: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    if !folded.contains('H') {
        return folded;
    }
    let mut out = String::with_capacity(folded.len() + 16);
    let mut rest = folded.as_str();
    while let Some(i) = rest.find('H') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let preceded_by_latin = out.chars().last().is_some_and(|c| c.is_ascii_alphanumeric());
        if !digits.is_empty() && !preceded_by_latin && after[digits.len()..].starts_with("年度") {
            let n: i32 = digits.parse().unwrap_or(0);
            if let Some(fy) = crate::model::year::FiscalYear::parse(&format!("H{n}")) {
                out.push_str(&fy.label());
                rest = &after[digits.len() + "年度".len()..];
                continue;
            }
        }
        out.push('H');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Markdown with headings shifted so they sit under the page's own heading level.
pub fn markdown_under(text: &str, level: u8) -> String {
    let mut html = markdown(text);
    for l in (1..=6u8).rev() {
        let to = (l + level).min(6);
        html = html.replace(&format!("<h{l}>"), &format!("<h{to}>")).replace(&format!("</h{l}>"), &format!("</h{to}>"));
    }
    html
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes `s` and marks phrase boundaries (文節) with `<wbr>`, so headings under
/// `word-break: keep-all` break between phrases in every browser (BudouX model).
pub fn phrases(s: &str) -> String {
    let s = &display(s);
    if !s.chars().any(|c| c as u32 >= 0x3000) {
        return escape(s);
    }
    // The same names come back on many pages (report, goal, series, comparison): segment once
    // per thread.
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, String>> = Default::default();
    }
    CACHE.with(|cache| {
        if let Some(hit) = cache.borrow().get(s) {
            return hit.clone();
        }
        let model = budoux::models::default_japanese_model();
        let html = budoux::parse(model, s).iter().map(|p| escape(p)).collect::<Vec<_>>().join("<wbr>");
        cache.borrow_mut().insert(s.to_string(), html.clone());
        html
    })
}

/// Keeps text only: every tag dropped, script and style with their content.
static TEXT_ONLY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(ammonia::Builder::empty);

/// Plain text from Markdown, for meta descriptions and link text: first `max` characters.
/// Raw HTML in content is dropped, not shown as text.
pub fn summary(text: &str, max: usize) -> String {
    let html = markdown(text).replace('\n', " ");
    let escaped = TEXT_ONLY.clean(&html).to_string();
    let plain = escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = plain.chars().take(max).collect();
    if plain.chars().count() > max {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_never_survives() {
        let html = markdown("<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">x</a>\n\n<img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn sanitiser_only_where_needed_and_output_the_same() {
        // Plain Markdown skips the sanitiser; what it makes must equal the sanitised form.
        for md in ["- 一\n- 二 & < > \" '", "**強調** `<code>` ~~消~~", "| a | b |\n|---|---|\n| 1 | 2 |", "# 見出し\n\n1. 一"] {
            let fast = markdown(md);
            assert_eq!(fast, SANITIZER.clean(&fast).to_string(), "{md}");
        }
    }

    #[test]
    fn markdown_lists() {
        assert_eq!(markdown("- 一\n- 二"), "<ul>\n<li>一</li>\n<li>二</li>\n</ul>\n");
        assert!(markdown_under("# 見出し", 2).contains("<h3>"));
    }

    #[test]
    fn display_text_is_half_width_with_written_out_eras() {
        assert_eq!(display("勉強会（年１０回）、ＣＢ化"), "勉強会（年10回）、CB化");
        assert_eq!(display("H29年度までに50％以上"), "平成29年度（2017年度）までに50％以上");
        assert_eq!(display("Ｈ２８年度"), "平成28年度（2016年度）");
        assert_eq!(display("HP、SNS、H28 設問26"), "HP、SNS、H28 設問26");
        assert!(markdown("- 広報紙(特集４回)").contains("特集4回"));
    }

    #[test]
    fn summary_is_text_only() {
        assert_eq!(summary("- 一つ目\n- 二つ目 <script>alert(1)</script>", 100), "一つ目 二つ目");
        assert_eq!(summary("あいうえお", 3), "あいう…");
        assert_eq!(markdown("[x](javascript:alert(1))"), "<p><a>x</a></p>\n");
    }

    #[test]
    fn phrases_are_escaped_and_marked() {
        let h = phrases("地域活動協議会を核とした自律した地域運営の支援");
        assert!(h.contains("<wbr>"), "{h}");
        assert_eq!(h.replace("<wbr>", ""), "地域活動協議会を核とした自律した地域運営の支援");
        assert_eq!(phrases("<b>"), "&lt;b&gt;");
    }
}
