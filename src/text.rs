//! Text as the site prints it: Markdown to sanitised HTML, phrase-wrapped headings, escaping,
//! plain-text summaries, Japanese dates. Used by every step that writes text.

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
    let events: Vec<Event> = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).collect();
    // pulldown-cmark escapes text itself: only raw HTML, links and images can carry anything
    // unwanted (or need `rel`), and only then is the (costly) sanitiser run.
    let needs_sanitising = events.iter().any(|e| {
        matches!(e, Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::Image { .. } | Tag::Link { .. }))
    });
    let events = events.into_iter().map(|event| match event {
        Event::Text(t) if needs_display(&t) => Event::Text(display(&t).into()),
        other => other,
    });
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(&mut out, events);
    if !needs_sanitising {
        return out;
    }
    // A removed `javascript:` URL leaves `<a rel=…>` without href, which is invalid HTML.
    SANITIZER.clean(&out).to_string().replace("<a rel=\"noopener noreferrer\">", "<a>")
}

/// What the sanitiser would remove from raw HTML written in Markdown: each tag (byte range in
/// `text`) that is dropped, or that loses an attribute, with what goes, in words. The site never
/// publishes it; the author is told rather than left to wonder where an image or a style went.
pub fn removed_markup(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    use pulldown_cmark::Event;
    let mut removed = Vec::new();
    if !text.contains('<') {
        return removed;
    }
    let (tags, tag_attributes, generic, with_content) = (
        SANITIZER.clone_tags(),
        SANITIZER.clone_tag_attributes(),
        SANITIZER.clone_generic_attributes(),
        SANITIZER.clone_clean_content_tags(),
    );
    for (event, range) in
        Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).into_offset_iter()
    {
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            continue;
        }
        for (at, tag) in start_tags(&text[range.clone()]) {
            let at = range.start + at;
            let name = tag.name.to_ascii_lowercase();
            let what = if tags.contains(name.as_str()) {
                let allowed = |a: &str| {
                    generic.contains(a) || tag_attributes.get(name.as_str()).is_some_and(|set| set.contains(a))
                };
                let dropped: Vec<String> = tag
                    .attributes
                    .iter()
                    .map(|(a, _)| a.to_ascii_lowercase())
                    .filter(|a| !allowed(a))
                    .map(|a| format!("`{a}`"))
                    .collect();
                if dropped.is_empty() {
                    continue;
                }
                let noun = if dropped.len() == 1 { "the attribute" } else { "the attributes" };
                format!("{noun} {} of <{name}>", dropped.join(", "))
            } else {
                let alt = tag.attributes.iter().find(|(a, _)| a.eq_ignore_ascii_case("alt"));
                match alt {
                    Some((_, alt)) if !alt.is_empty() => format!("the element <{name}> with its alt text 「{alt}」"),
                    _ if with_content.contains(name.as_str()) => format!("the element <{name}> with its content"),
                    _ => format!("the element <{name}> (its text is kept)"),
                }
            };
            removed.push((at..at + tag.len, what));
        }
    }
    removed
}

/// A start tag found in raw HTML: its name, attributes (name, value) and length in bytes.
struct StartTag {
    name: String,
    attributes: Vec<(String, String)>,
    len: usize,
}

/// The start tags of a piece of raw HTML, with their byte offsets. A small scanner, enough for
/// what an author writes by hand (`<img src="a.png" alt="地図">`, `<p style=color:red>`).
fn start_tags(html: &str) -> Vec<(usize, StartTag)> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|p| i + p) {
        i = lt + 1;
        let name_len = b[i..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'-').count();
        if name_len == 0 || !b[i].is_ascii_alphabetic() {
            continue;
        }
        let name = html[i..i + name_len].to_string();
        let mut j = i + name_len;
        let mut attributes = Vec::new();
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' || b[j] == b'/' {
                break;
            }
            let start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            let attribute = html[start..j].to_string();
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let quote = b[j];
                    let end = memchr::memchr(quote, &b[j + 1..]).map_or(b.len(), |p| j + 1 + p);
                    value = html[j + 1..end].to_string();
                    j = (end + 1).min(b.len());
                } else {
                    let start = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[start..j].to_string();
                }
            }
            if !attribute.is_empty() {
                attributes.push((attribute, value));
            }
        }
        let end = memchr::memchr(b'>', &b[j..]).map_or(b.len(), |p| j + p + 1);
        out.push((lt, StartTag { name, attributes, len: end - lt }));
        i = end;
    }
    out
}

/// Text as the site prints it: digits and Latin letters half-width (「１０回」→「10回」,
/// 「ＣＢ化」→「CB化」), the shorthand 「H29年度」 written out as 「平成29年度（2017年度）」
/// so it reads correctly aloud, and a date the source gives without its era (「29年4月」) with
/// the era added in editorial brackets (「〔平成〕29年4月」, `with_eras`). Everything else is kept
/// as the source has it; 原文 quotations (the `verbatim` filter) are not passed through here.
pub fn display(s: &str) -> String {
    // Most strings have nothing to change: a cheap byte scan first.
    if !needs_display(s) {
        return s.to_string();
    }
    with_eras(&widths_and_shorthands(s))
}

/// `display` but for eras added to dates.
fn widths_and_shorthands(s: &str) -> String {
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
            if let Some(fy) = crate::ja::FiscalYear::parse(&format!("H{n}")) {
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

/// 「N年M月」 without an era (the source's 「29年4月」) with the era before it in editorial
/// brackets: 「〔平成〕29年4月」. Only years 12–31, which can only be 平成 in a report of this
/// kind (令和12年 is 2030); 「元年」 and years up to 11 (平成 or 令和) are left as they are.
/// A year after a digit, an era name or a Latin letter (「平成29年」「2017年」「H29年」) has one.
pub fn with_eras(s: &str) -> String {
    if !s.contains('年') {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_year = c.is_ascii_digit() && (i == 0 || !has_era_before(&chars[..i]));
        if starts_year {
            let digits: String = chars[i..].iter().take_while(|c| c.is_ascii_digit()).collect();
            let j = i + digits.len();
            let month: String = chars.get(j + 1..).unwrap_or(&[]).iter().take_while(|c| c.is_ascii_digit()).collect();
            let is_date = chars.get(j) == Some(&'年')
                && !month.is_empty()
                && month.len() <= 2
                && chars.get(j + 1 + month.len()) == Some(&'月');
            if is_date && digits.len() <= 2 && digits.parse::<u32>().is_ok_and(|n| (12..=31).contains(&n)) {
                out.push_str("〔平成〕");
            }
            out.push_str(&digits);
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Whether the text before a number already names its era or is part of a longer number.
fn has_era_before(before: &[char]) -> bool {
    let Some(&last) = before.last() else { return false };
    last.is_ascii_alphanumeric() || "成和正治元〕.,，．".contains(last) || ('０'..='９').contains(&last)
}

/// Whether `display` would change `s`: an `H` (a possible era shorthand), a full-width digit
/// or Latin letter (U+FF10–FF19, FF21–FF3A, FF41–FF5A: EF BC 90–99, EF BC A1–BA, EF BD 81–9A
/// in UTF-8), or 「年」 between a one- or two-digit number and a digit (a date perhaps without
/// its era, 「29年4月」: E5 B9 B4; not 「2016年度」 nor 「2019年6月」, which need nothing).
fn needs_display(s: &str) -> bool {
    let b = s.as_bytes();
    // Only a year of one or two digits gets an era (`with_eras`): 「2019年6月」 needs nothing.
    let short_year = |i: usize| {
        let run = b[..i].iter().rev().take_while(|c| c.is_ascii_digit()).count();
        (1..=2).contains(&run)
    };
    if memchr::memchr_iter(0xB4, b).any(|i| {
        i >= 2 && b[i - 2..i] == [0xE5, 0xB9] && short_year(i - 2) && b.get(i + 1).is_some_and(u8::is_ascii_digit)
    }) {
        return true;
    }
    let mut from = 0;
    while let Some(i) = memchr::memchr2(b'H', 0xEF, &b[from..]).map(|i| from + i) {
        if b[i] == b'H' {
            return true;
        }
        if i + 2 < b.len() && matches!((b[i + 1], b[i + 2]), (0xBC, 0x90..=0x99 | 0xA1..=0xBA) | (0xBD, 0x81..=0x9A)) {
            return true;
        }
        from = i + 1;
    }
    false
}

/// Markdown with headings shifted so they sit under the page's own heading level.
pub fn markdown_under(text: &str, level: u8) -> String {
    let mut html = markdown(text);
    if !html.contains("<h") {
        return html;
    }
    for l in (1..=6u8).rev() {
        let to = (l + level).min(6);
        html = html.replace(&format!("<h{l}>"), &format!("<h{to}>")).replace(&format!("</h{l}>"), &format!("</h{to}>"));
    }
    html
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    push_escaped(&mut out, s);
    out
}

/// Appends `s` with `& < > " '` escaped.
fn push_escaped(out: &mut String, s: &str) {
    escaped_runs(s, |run| out.push_str(run));
}

/// `s` with `& < > " '` escaped, handed over in pieces: the runs between those characters
/// whole, and each replacement.
fn escaped_runs(s: &str, mut put: impl FnMut(&str)) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        put(&s[start..i]);
        put(rep);
        start = i + 1;
    }
    put(&s[start..]);
}

/// What templates print: `display`ed, then escaped, straight into the page (Tera's escape
/// function).
pub fn write_escaped_display(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let shown;
    let s = if needs_display(s) {
        shown = display(s);
        shown.as_str()
    } else {
        s
    };
    let mut result = Ok(());
    escaped_runs(s, |run| {
        if result.is_ok() && !run.is_empty() {
            result = out.write_all(run.as_bytes());
        }
    });
    result
}

/// Escapes `s` and marks phrase boundaries (文節) with `<wbr>`, so headings under
/// `word-break: keep-all` break between phrases in every browser (`BudouX` model).
pub fn phrases(s: &str) -> String {
    // The same names come back on many pages (report, goal, series, comparison) and years:
    // each made once for the whole build, looked up by the text as given (before `display`).
    static CACHE: LazyLock<std::sync::RwLock<rustc_hash::FxHashMap<String, String>>> = LazyLock::new(Default::default);
    if let Some(hit) = CACHE.read().expect("no panics while holding it").get(s) {
        return hit.clone();
    }
    let shown = &display(s);
    if !shown.chars().any(|c| c as u32 >= 0x3000) {
        return escape(shown);
    }
    let model = budoux::models::default_japanese_model();
    let html = join_phrases(&budoux::parse(model, shown)).iter().map(|p| escape(p)).collect::<Vec<_>>().join("<wbr>");
    CACHE.write().expect("no panics while holding it").insert(s.to_string(), html.clone());
    html
}

/// The phrases (文節) of `s`, where a line may break (`BudouX`, with the 禁則 of [`phrases`]).
pub fn phrase_list(s: &str) -> Vec<String> {
    join_phrases(&budoux::parse(budoux::models::default_japanese_model(), s))
}

/// The class of the span that keeps a code on one line (`white-space: nowrap` in style.css).
pub const NOWRAP_CLASS: &str = "nobr";

/// A rendered page with every code of its text in `<span class="nobr">` (the codes of
/// [`codes_in_page`]): in content's Markdown, names and template text alike. Markup is left
/// as it is, and so are comments and the elements where a span has no place or no effect
/// (script, style, title, SVG, option, pre, textarea).
///
/// This runs on every page, so it looks only where a hyphen stands between two digits and asks
/// there whether it is in text: a tag starts at `<` and ends at the first `>` after it (values
/// that templates print have theirs escaped), so a place is inside a tag exactly when the
/// nearest `<` or `>` before it is a `<`. Walking every tag of the page cost a tenth of a
/// build's time. The same output as walking them: tested against that walk.
pub fn nowrap_codes_in_page(html: Vec<u8>) -> Vec<u8> {
    let codes = codes_in_page(&html);
    if codes.is_empty() {
        return html;
    }
    let mut out = Vec::with_capacity(html.len() + codes.len() * 26);
    let mut copied = 0;
    for (start, end) in codes {
        out.extend_from_slice(&html[copied..start]);
        push_nowrap_span(&html[start..end], &mut out);
        copied = end;
    }
    out.extend_from_slice(&html[copied..]);
    out
}

/// The byte ranges of the codes in the text of a page ([`nowrap_codes_in_page`]), in order:
/// every run of digits joined by hyphens (2-5-1, 【1-1】's 1-1, 06-6313-9986), since browsers may
/// break a line after an ASCII hyphen (and `overflow-wrap: anywhere` anywhere), which splits
/// 2-5-1 into 2-5- / 1. Escaped entities (`&#39;`) have no hyphen and are never matched.
fn codes_in_page(html: &[u8]) -> Vec<(usize, usize)> {
    let digit_at = |i: usize| html.get(i).is_some_and(u8::is_ascii_digit);
    let digits_from = |mut i: usize| {
        while digit_at(i) {
            i += 1;
        }
        i
    };
    let mut codes = Vec::new();
    let mut left_alone = LeftAlone { html, from: 0, next: None };
    let mut done = 0;
    for hyphen in memchr::memchr_iter(b'-', html) {
        if hyphen < done || hyphen == 0 || !digit_at(hyphen - 1) || !digit_at(hyphen + 1) {
            continue;
        }
        if inside_tag(html, hyphen) || left_alone.covers(hyphen) {
            continue;
        }
        // The whole code: back to its first digit (over earlier `digits-`), on to its last.
        let mut start = hyphen;
        loop {
            while start > 0 && digit_at(start - 1) {
                start -= 1;
            }
            if start >= 2 && html[start - 1] == b'-' && digit_at(start - 2) {
                start -= 1;
            } else {
                break;
            }
        }
        let mut end = digits_from(hyphen + 1);
        while html.get(end) == Some(&b'-') && digit_at(end + 1) {
            end = digits_from(end + 1);
        }
        done = end;
        if !glued(html, start, end) {
            codes.push((start, end));
        }
    }
    codes
}

/// Whether `at` is inside a tag: the nearest `<` or `>` before it is a `<`.
fn inside_tag(html: &[u8], at: usize) -> bool {
    memchr::memrchr2(b'<', b'>', &html[..at]).is_some_and(|p| html[p] == b'<')
}

/// The comments and the elements whose text is left alone, found in order as the places asked
/// about move on.
struct LeftAlone<'a> {
    html: &'a [u8],
    /// Where the next one is looked for.
    from: usize,
    /// The next one (or the one `at` is in), as a byte range; `None` before the first look.
    next: Option<(usize, usize)>,
}

impl LeftAlone<'_> {
    /// Whether `at` lies in a comment or such an element; `at` never goes back.
    fn covers(&mut self, at: usize) -> bool {
        loop {
            if let Some((start, end)) = self.next
                && at < end
            {
                return at >= start;
            }
            self.next = Some(self.find().unwrap_or((usize::MAX, usize::MAX)));
        }
    }

    fn find(&mut self) -> Option<(usize, usize)> {
        const RAW: [&[u8]; 7] = [b"script", b"style", b"title", b"svg", b"option", b"pre", b"textarea"];
        let html = self.html;
        while let Some(i) = memchr::memchr(b'<', &html[self.from..]) {
            let open = self.from + i;
            self.from = open + 1;
            let at = &html[open..];
            let end = if at.starts_with(b"<!--") {
                Some(memchr::memmem::find(at, b"-->").map_or(at.len(), |e| e + 3))
            } else {
                let name_len = at[1..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
                let name = &at[1..=name_len];
                RAW.iter().find(|r| r.eq_ignore_ascii_case(name)).map(|raw| {
                    let close = memchr::memmem::find_iter(at, b"</")
                        .find(|&c| at.get(c + 2..c + 2 + raw.len()).is_some_and(|n| n.eq_ignore_ascii_case(raw)));
                    close.and_then(|c| memchr::memchr(b'>', &at[c..]).map(|e| c + e + 1)).unwrap_or(at.len())
                })
            };
            // A `<` inside another tag starts nothing.
            if let Some(end) = end
                && !inside_tag(html, open)
            {
                self.from = open + end;
                return Some((open, open + end));
            }
        }
        self.from = html.len();
        None
    }
}

/// Part of a URL, an id or a word (goals/2-5/, goal-1-1-jiritsu) is not a code.
fn glued(b: &[u8], start: usize, end: usize) -> bool {
    let before = start > 0 && matches!(b[start - 1], b'-' | b'/' | b'.' | b'_' | b'#' | b'=');
    let after = b.get(end).is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'-' | b'_' | b'/'));
    before || after
}

fn push_nowrap_span(code: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(b"<span class=\"");
    out.extend_from_slice(NOWRAP_CLASS.as_bytes());
    out.extend_from_slice(b"\">");
    out.extend_from_slice(code);
    out.extend_from_slice(b"</span>");
}

/// [`phrases`] for a text that `shorten` or `summary` may have cut: the cut mark 「…」 is shown
/// but hidden from screen readers (which read it as 「てんてんてん」), and when `full`, the text
/// it was cut from, is given, the rest of it follows in visually hidden text, so a screen
/// reader hears the whole text once (for link text: its name is the whole name).
pub fn phrases_cut(s: &str, full: Option<&str>) -> String {
    let Some(shown) = s.strip_suffix(CUT_MARK) else { return phrases(s) };
    let shown = shown.trim_end();
    let mut html = phrases(shown);
    html.push_str(&format!("<span aria-hidden=\"true\">{CUT_MARK}</span>"));
    let (shown, full) = (display(shown), full.map(display));
    if let Some(rest) = full.as_deref().and_then(|f| f.strip_prefix(shown.as_str())).filter(|r| !r.trim().is_empty()) {
        html.push_str(&format!("<span class=\"visually-hidden\">{}</span>", escape(rest)));
    }
    html
}

/// The first sentence of Markdown `text` (to its first 「。」, at most 150 characters) when
/// `title` is a cut start of it, else `None`: what a screen reader hears for a title made from
/// the start of a goal's desired state or an initiative's content. One sentence, not the whole
/// text: the name of a link in a list must stay a name.
pub fn cut_from(title: &str, text: &str) -> Option<String> {
    let shown = title.strip_suffix(CUT_MARK)?.trim_end();
    let plain = summary(text, usize::MAX);
    let end = plain.char_indices().take(150).find(|&(_, c)| c == '。').map(|(i, c)| i + c.len_utf8())?;
    let sentence = &plain[..end];
    (sentence.starts_with(shown) && sentence.len() > shown.len()).then(|| sentence.to_string())
}

/// `s` escaped, with every 「…」 hidden from screen readers: for a
/// text that quotes a shortened title inside it (a citation: 目標【2-2】「北区内…定期的に…」),
/// where the mark stays visible, and in what is copied, but is not read out.
pub fn cut_marks(s: &str) -> String {
    escape(&display(s)).replace(CUT_MARK, &format!("<span aria-hidden=\"true\">{CUT_MARK}</span>"))
}

/// The mark at the end of a text `shorten` or `summary` cut.
pub const CUT_MARK: char = '…';

/// `BudouX`'s phrases, joined where a break would go against Japanese line-breaking rules
/// (禁則): never after an opening bracket (「【」 stranded at a line end), never before a closing
/// bracket or punctuation, and never inside a run of Latin letters, digits and hyphens
/// (a code such as 2-5-1).
fn join_phrases(parts: &[String]) -> Vec<String> {
    const OPENING: &str = "「『【（〔［｛〈《(［[“‘";
    const CLOSING: &str = "」』】）〕］｝〉》)]”’、。，．・：；？！ー…";
    let code = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    for part in parts {
        let joins = out.last().is_some_and(|prev: &String| {
            let (Some(end), Some(start)) = (prev.chars().last(), part.chars().next()) else { return false };
            OPENING.contains(end) || CLOSING.contains(start) || (code(end) && code(start))
        });
        match out.last_mut() {
            Some(prev) if joins => prev.push_str(part),
            _ => out.push(part.clone()),
        }
    }
    out
}

/// Plain text from Markdown, for meta descriptions and link text: first `max` characters.
/// Raw HTML in content is dropped, not shown as text (with what script and style hold).
pub fn summary(text: &str, max: usize) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut plain = String::with_capacity(text.len().min(max.saturating_mul(4)));
    let mut hidden = 0usize; // inside inline <script> or <style>
    for event in Parser::new_ext(text.trim(), Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) | Event::Code(t) if hidden == 0 => plain.push_str(&t),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            // Blocks start and end with a space; inline markup (emphasis, links) joins its text.
            Event::Start(tag)
                if !matches!(
                    tag,
                    Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
                ) =>
            {
                plain.push(' ');
            }
            Event::End(end)
                if !matches!(
                    end,
                    TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
                ) =>
            {
                plain.push(' ');
            }
            Event::InlineHtml(h) => {
                let tag = h.trim_start_matches('<').to_ascii_lowercase();
                if tag.starts_with("script") || tag.starts_with("style") {
                    hidden += 1;
                } else if tag.starts_with("/script") || tag.starts_with("/style") {
                    hidden = hidden.saturating_sub(1);
                }
            }
            _ => {}
        }
    }
    let plain = display(&plain).split_whitespace().collect::<Vec<_>>().join(" ");
    if plain.chars().count() <= max {
        return plain;
    }
    cut_at_phrase(&plain, max)
}

/// `text` cut to at most `max` characters at a phrase boundary, with 「…」 (`cut_at_phrase`);
/// unchanged when it is short enough. For link text made from a name.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_string() } else { cut_at_phrase(text, max) }
}

/// The character offsets in `text` where it may be cut or broken: between two phrases (文節, by
/// `BudouX`, joined where 禁則 forbids a break) and at spaces, but never right after a number or
/// a number's 「か」「ヶ」 (「1か / 所」 is one word to a reader, not two).
pub fn phrase_ends(text: &str) -> Vec<usize> {
    let model = budoux::models::default_japanese_model();
    let mut ends = Vec::new();
    let mut count = 0;
    let mut before: Vec<char> = Vec::new();
    for phrase in join_phrases(&budoux::parse(model, text)) {
        for (i, word) in phrase.split(' ').enumerate() {
            if i > 0 {
                count += 1;
                before.push(' ');
            }
            count += word.chars().count();
            before.extend(word.chars());
            let n = before.len();
            let digit = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(c));
            let counter_start = digit(before.last())
                || (before.last().is_some_and(|c| "かヶケカ".contains(*c))
                    && digit(n.checked_sub(2).and_then(|k| before.get(k))));
            if !counter_start {
                ends.push(count);
            }
        }
    }
    ends
}

/// The longest start of `text` of at most `max` characters that ends between two phrases
/// (`phrase_ends`) or at a space, with 「…」: a cut inside a word (「避…」「1か…」) reads wrongly.
/// A first phrase longer than `max` is cut at `max` characters all the same.
fn cut_at_phrase(text: &str, max: usize) -> String {
    // Names are cut for link texts on every page that lists them (a report page lists each
    // indicator of every goal): each cut made once for the whole build, as in [`phrases`].
    // By length, then text: looked up without copying the text.
    type Cuts = rustc_hash::FxHashMap<usize, rustc_hash::FxHashMap<String, String>>;
    static CACHE: LazyLock<std::sync::RwLock<Cuts>> = LazyLock::new(Default::default);
    if let Some(hit) = CACHE.read().expect("no panics while holding it").get(&max).and_then(|m| m.get(text)) {
        return hit.clone();
    }
    let cut = cut_uncached(text, max);
    CACHE.write().expect("no panics while holding it").entry(max).or_default().insert(text.to_string(), cut.clone());
    cut
}

fn cut_uncached(text: &str, max: usize) -> String {
    // BudouX decides each break from the three characters on either side, and the 禁則 joins
    // look no further than a run of letters: the breaks up to `max` are the same in a prefix a
    // little longer than `max`. Summaries cut long paragraphs on many pages; segmenting only
    // the prefix saves most of the work (same output: tested).
    let prefix = text.char_indices().nth(max + CUT_LOOKAHEAD).map_or(text, |(i, _)| &text[..i]);
    let end = phrase_ends(prefix).into_iter().take_while(|&e| e <= max).last().unwrap_or(max);
    let out: String = text.chars().take(end).collect();
    if end >= text.chars().count() {
        return out;
    }
    format!("{}{CUT_MARK}", out.trim_end())
}

/// How far past a cut [`cut_at_phrase`] segments (characters).
const CUT_LOOKAHEAD: usize = 24;

/// 2017-06-30 → 2017年6月30日 (no slashes: screen readers read it as a date).
pub fn date_ja(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{}年{}月{}日", y, m.trim_start_matches('0'), d.trim_start_matches('0')),
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a template prints for `s`.
    fn escape_display(s: &str) -> String {
        let mut out = Vec::new();
        write_escaped_display(s, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn template_escaping_writes_the_displayed_text_escaped() {
        for s in ["", "平易な文", "<b>&\"'</b>", "Ｈ２９年度　&", "a<b", "'", "目標：１００％以上 <x>"]
        {
            assert_eq!(escape_display(s), escape(&display(s)), "{s}");
        }
        assert_eq!(escape_display("<a href=\"x\">"), "&lt;a href=&quot;x&quot;&gt;");
    }

    #[test]
    fn script_never_survives() {
        let html = markdown(
            "<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">x</a>\n\n<img src=x onerror=alert(1)>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn sanitiser_only_where_needed_and_output_the_same() {
        // Plain Markdown skips the sanitiser; what it makes must equal the sanitised form.
        for md in [
            "- 一\n- 二 & < > \" '",
            "**強調** `<code>` ~~消~~",
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "# 見出し\n\n1. 一",
        ] {
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
        // A date without its era gets it, marked as added; one with an era or a Western year not.
        assert_eq!(
            display("値は29年4月、前年度の値は28年4月の数です。"),
            "値は〔平成〕29年4月、前年度の値は〔平成〕28年4月の数です。"
        );
        assert_eq!(display("２９年４月現在"), "〔平成〕29年4月現在");
        for kept in ["平成29年4月", "2017年4月", "H29年4月", "元年5月", "3年4月", "29年度", "1,229年4月"]
        {
            assert_eq!(display(kept), kept);
        }
        assert_eq!(display("HP、SNS、H28 設問26"), "HP、SNS、H28 設問26");
        assert!(markdown("- 広報紙(特集４回)").contains("特集4回"));
    }

    #[test]
    fn a_cut_mark_is_seen_not_heard_and_a_cut_link_names_the_whole() {
        let full = "区役所を過去1年間に訪れた区民のうち、来庁者への案内サービスが良いと感じた区民の割合";
        let short = shorten(full, 30);
        let html = phrases_cut(&short, Some(full));
        assert!(html.contains("<span aria-hidden=\"true\">…</span>"), "{html}");
        assert_eq!(html.matches('…').count(), 1, "{html}");
        // A screen reader hears the shown text and the rest: the whole name, once.
        let heard = html
            .replace("<span aria-hidden=\"true\">…</span>", "")
            .replace("<wbr>", "")
            .replace("<span class=\"visually-hidden\">", "")
            .replace("</span>", "");
        assert_eq!(heard, full);
        // Without the whole text (a heading above it), only the mark is hidden.
        assert_eq!(phrases_cut(&short, None).matches("visually-hidden").count(), 0);
        // A text that is not cut is `phrases` as before; a `full` that is not its start is ignored.
        assert_eq!(phrases_cut("短い名前", Some("短い名前")), phrases("短い名前"));
        assert!(!phrases_cut(&short, Some("別の名前")).contains("visually-hidden"));
        assert_eq!(cut_marks("目標【2-2】「定期的に…」"), "目標【2-2】「定期的に<span aria-hidden=\"true\">…</span>」");
    }

    #[test]
    fn a_title_cut_from_prose_is_heard_to_the_end_of_its_sentence() {
        let state =
            "北区内全19地域において、地域住民の防災意識が高まり、定期的に避難所開設訓練が実施できる。\n\n次の段落。";
        let title = summary(state, 32);
        assert_eq!(
            cut_from(&title, state).as_deref(),
            Some("北区内全19地域において、地域住民の防災意識が高まり、定期的に避難所開設訓練が実施できる。")
        );
        assert_eq!(cut_from("自分の題", state), None);
        assert_eq!(
            cut_from(
                &summary("句点のない長い文がずっと続いていくのでどこで切れるかわからない", 10),
                "句点のない長い文がずっと続いていくのでどこで切れるかわからない"
            ),
            None
        );
    }

    /// Appends `b` (escaped text) to `out` with every code of digits joined by hyphens (2-5-1,
    /// 【1-1】's 1-1, 06-6313-9986) in `<span class="nobr">`: browsers may break a line after an
    /// ASCII hyphen (and `overflow-wrap: anywhere` anywhere), which splits 2-5-1 into 2-5- / 1. The
    /// characters stay as they are. Escaped entities (`&#39;`) have no hyphen and are never matched.
    fn push_nowrap_codes(b: &[u8], out: &mut Vec<u8>) {
        // Most runs of text between two tags have no hyphen at all.
        if memchr::memchr(b'-', b).is_none() {
            out.extend_from_slice(b);
            return;
        }
        let digits = |mut i: usize| {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            i
        };
        let (mut copied, mut i) = (0, 0);
        while i < b.len() {
            if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
                i += 1;
                continue;
            }
            let (start, mut end) = (i, digits(i));
            let mut hyphens = false;
            while end + 1 < b.len() && b[end] == b'-' && b[end + 1].is_ascii_digit() {
                hyphens = true;
                end = digits(end + 1);
            }
            if hyphens && !glued(b, start, end) {
                out.extend_from_slice(&b[copied..start]);
                push_nowrap_span(&b[start..end], out);
                copied = end;
            }
            i = end;
        }
        out.extend_from_slice(&b[copied..]);
    }

    /// The earlier [`nowrap_codes_in_page`], which walked every tag: the reference.
    /// A rendered page with every code of its text in `<span class="nobr">` (`push_nowrap_codes`): in
    /// content's Markdown, names and template text alike. Markup is left as it is, and so are the
    /// elements where a span has no place or no effect (script, style, title, SVG, option, pre).
    fn walked_nowrap_codes_in_page(html: Vec<u8>) -> Vec<u8> {
        const RAW: [&[u8]; 7] = [b"script", b"style", b"title", b"svg", b"option", b"pre", b"textarea"];
        // Most of a page is markup: nothing to do unless a hyphen stands between two digits
        // somewhere (a cheap scan; this runs on every page).
        let code_like = memchr::memchr_iter(b'-', &html)
            .any(|i| i > 0 && html[i - 1].is_ascii_digit() && html.get(i + 1).is_some_and(u8::is_ascii_digit));
        if !code_like {
            return html;
        }
        // Bytes, not text: the page is split only at ASCII bytes (< > and tag names) and codes
        // are ASCII, so what is copied stays valid UTF-8 without checking it again.
        let mut out = Vec::with_capacity(html.len() + 1024);
        let mut rest = &html[..];
        while let Some(lt) = memchr::memchr(b'<', rest) {
            push_nowrap_codes(&rest[..lt], &mut out);
            let at = &rest[lt..];
            let name_len = at[1..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            let name = &at[1..=name_len];
            let end = if at.starts_with(b"<!--") {
                memchr::memmem::find(at, b"-->").map(|e| e + 3)
            } else if let Some(raw) = RAW.iter().find(|r| r.eq_ignore_ascii_case(name)) {
                let close = memchr::memmem::find_iter(at, b"</")
                    .find(|&c| at.get(c + 2..c + 2 + raw.len()).is_some_and(|n| n.eq_ignore_ascii_case(raw)));
                close.and_then(|c| memchr::memchr(b'>', &at[c..]).map(|e| c + e + 1))
            } else {
                memchr::memchr(b'>', at).map(|e| e + 1)
            };
            let end = end.unwrap_or(at.len());
            out.extend_from_slice(&at[..end]);
            rest = &at[end..];
        }
        push_nowrap_codes(rest, &mut out);
        out
    }

    /// A small deterministic generator (xorshift), for the pages below.
    fn pages(count: usize) -> Vec<String> {
        const PIECES: [&str; 32] = [
            "<",
            ">",
            "-",
            "--",
            "1",
            "23",
            "4",
            "a",
            "/",
            ".",
            "_",
            "#",
            "=",
            " ",
            "【",
            "<svg>",
            "</svg>",
            "<SVG ",
            "</Svg",
            "<!--",
            "-->",
            "<pre>",
            "</pre>",
            "<p>",
            "</p>",
            "<a href=\"",
            "\">",
            "<title>",
            "</title>",
            "<script>",
            "</",
            "x-1",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        (0..count)
            .map(|_| {
                let len = (next() % 60) as usize;
                (0..len).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect()
            })
            .collect()
    }

    #[test]
    fn codes_are_found_as_walking_every_tag_finds_them() {
        for page in pages(200_000) {
            let walked = walked_nowrap_codes_in_page(page.as_bytes().to_vec());
            assert_eq!(
                String::from_utf8(nowrap_codes_in_page(page.as_bytes().to_vec())).unwrap(),
                String::from_utf8(walked).unwrap(),
                "{page:?}"
            );
        }
    }

    fn nowrap_codes(text: &str) -> String {
        String::from_utf8(nowrap_codes_in_page(text.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn codes_stay_on_one_line_with_their_hyphens() {
        assert_eq!(
            nowrap_codes("取組2-5-1と【1-1】"),
            "取組<span class=\"nobr\">2-5-1</span>と【<span class=\"nobr\">1-1</span>】"
        );
        for kept in
            ["2016年", "&#39;1&#39;", "a-b", "1-", "-1", "H28 設問26", "goals/2-5/", "#goal-1-1-jiritsu", "a-1-1"]
        {
            assert_eq!(nowrap_codes(kept), kept);
        }
        // Every text of a page, and nothing else: not markup, scripts, the title, SVG, options.
        let page = concat!(
            "<!DOCTYPE html><html><head><title>取組2-5-1</title><script type=\"application/ld+json\">{\"a\":\"2-5-1\"}</script></head>",
            "<body><h1 id=\"goal-2-5\">取組【2-5-1】</h1><!-- 1-1 --><p>JIS X 8341-3:2016 の<a href=\"/goals/1-1/\">目標1-1</a></p>",
            "<svg><text>1-2</text></svg><select><option>3-4</option></select><pre>5-6</pre></body></html>"
        );
        let out = String::from_utf8(nowrap_codes_in_page(page.as_bytes().to_vec())).unwrap();
        assert_eq!(
            out,
            page.replace("【2-5-1】", "【<span class=\"nobr\">2-5-1</span>】")
                .replace("8341-3:", "<span class=\"nobr\">8341-3</span>:")
                .replace("目標1-1<", "目標<span class=\"nobr\">1-1</span><")
        );
    }

    #[test]
    fn summary_is_text_only() {
        assert_eq!(summary("- 一つ目\n- 二つ目 <script>alert(1)</script>", 100), "一つ目 二つ目");
        assert!(summary("あいうえお", 3).ends_with('…') && summary("あいうえお", 3).chars().count() <= 4);
        // Cut between phrases, not inside a word.
        assert_eq!(summary("定期的に避難訓練を実施し、地域の防災力を高める", 6), "定期的に…");
        assert_eq!(summary("定期的に避難訓練を実施し、地域の防災力を高める", 12), "定期的に避難訓練を…");
        // Never after a number or its 「か」: 「1か…」 is a word cut in two.
        let cut = shorten("子ども・子育て支援新制度の充実により保育の場を増やす。 認可保育所の新増設 1か所85名", 40);
        assert!(cut.ends_with("新増設…"), "{cut}");
        assert_eq!(shorten("短い名前", 30), "短い名前");
        assert_eq!(summary("あいう", 3), "あいう");
        assert_eq!(
            summary("# 見出し\n\n本文 *強調* `x < y` &amp; Ｈ２８年度", 100),
            "見出し 本文 強調 x < y & 平成28年度（2016年度）"
        );
        assert_eq!(summary("本文*強調*です", 100), "本文強調です");
        assert_eq!(summary("- 新増設\n  - 1か所", 100), "新増設 1か所");
        assert_eq!(summary("<div>\n<script>alert(1)</script>\n</div>\n\n本文", 100), "本文");
        assert_eq!(escape_display("Ｈ２８年度 <b>"), "平成28年度（2016年度） &lt;b&gt;");
        assert_eq!(markdown("[x](javascript:alert(1))"), "<p><a>x</a></p>\n");
    }

    #[test]
    fn phrases_never_break_after_an_opening_bracket_or_inside_a_code() {
        for s in [
            "取組【2-5-1】の実施状況",
            "「大きな公共」を担う活力ある地域社会づくり",
            "様式3 取組項目1（区庁舎）の維持管理",
        ] {
            let h = phrases(s);
            for open in ["「<wbr>", "【<wbr>", "（<wbr>", "<wbr>」", "<wbr>】", "<wbr>）", "-<wbr>", "<wbr>-"] {
                assert!(!h.contains(open), "{s}: {h}");
            }
            assert_eq!(h.replace("<wbr>", ""), escape(&display(s)));
        }
        let parts: Vec<String> = ["取組【", "2-", "5-1】", "を"].iter().map(ToString::to_string).collect();
        assert_eq!(join_phrases(&parts), ["取組【2-5-1】", "を"]);
    }

    #[test]
    fn display_is_needed_for_what_it_changes_only() {
        for s in ["29年4月", "H29年度", "２９年", "ＡＢＣ", "年度は29年4月から"] {
            assert!(needs_display(s), "{s}");
            assert_ne!(display(s), s, "{s}");
        }
        for s in ["平成28年度（2016年度）", "2016年", "令和2年度末までに100％", "100年 4月"] {
            assert!(!needs_display(s), "{s}");
            assert_eq!(display(s), s, "{s}");
        }
    }

    #[test]
    fn a_cut_segments_only_a_prefix_and_cuts_where_the_whole_text_would() {
        let text = "地域活動協議会を核とした自律した地域運営の支援として、取組【2-5-1】の実施状況を毎年度ABCDEFGHIJKLMNOPQRSTUVWXYZ-2016-2017の報告にまとめ、区民の皆さまに「わかりやすく」お知らせします。保育所待機児童数ゼロ、入所保留児童数ゼロを目指し、1か所ずつ整備を進めます。";
        let whole = |max: usize| {
            let end = phrase_ends(text).into_iter().take_while(|&e| e <= max).last().unwrap_or(max);
            let out: String = text.chars().take(end).collect();
            if end >= text.chars().count() { out } else { format!("{}…", out.trim_end()) }
        };
        for max in 1..text.chars().count() + 2 {
            assert_eq!(cut_at_phrase(text, max), whole(max), "max {max}");
        }
    }

    #[test]
    fn phrases_are_escaped_and_marked() {
        let h = phrases("地域活動協議会を核とした自律した地域運営の支援");
        assert!(h.contains("<wbr>"), "{h}");
        assert_eq!(h.replace("<wbr>", ""), "地域活動協議会を核とした自律した地域運営の支援");
        assert_eq!(phrases("<b>"), "&lt;b&gt;");
    }
}
