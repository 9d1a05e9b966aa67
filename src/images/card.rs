//! The 1200×630 preview cards (`og:image`) as SVG, drawn to PNG by [`super::Painter`]: an
//! indicator's card shows its chart, a report's card its ward, year, title and rating counts.
//! Every figure on a card comes from the page it previews.

use super::standalone;
use crate::text::escape;
use std::fmt::Write;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The style of a card; `family` is the font the images are drawn with.
fn style(family: &str) -> String {
    let font = format!("'{}',sans-serif", family.replace('\'', ""));
    format!(
        "{}.kicker{{fill:#4d4d52;font-size:30px;font-family:{font}}}\
         .heading{{fill:#1a1a1c;font-size:46px;font-weight:bold;font-family:{font}}}\
         .site{{fill:#4d4d52;font-size:26px;font-family:{font}}}\
         .label{{fill:#1a1a1c;font-size:34px;font-family:{font}}}\
         .count{{fill:#1a1a1c;font-size:40px;font-weight:bold;font-family:{font}}}\
         .band{{fill:#0031d8}}.good{{fill:#0031d8}}.bad{{fill:#c21c1c}}",
        standalone::chart_style(&font)
    )
}

/// How wide a character is, in em (CJK and other wide characters 1, the rest about half).
fn em(c: char) -> f64 {
    if c.is_ascii() || ('\u{FF61}'..='\u{FF9F}').contains(&c) { 0.55 } else { 1.0 }
}

/// `text` broken between phrases (文節) into at most `lines` lines of at most `width` em (a
/// phrase longer than a line is broken where it must); a cut text ends with 「…」.
pub fn wrap(text: &str, width: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0.0;
    for phrase in crate::text::phrase_list(text) {
        let w: f64 = phrase.chars().map(em).sum();
        if used + w > width && !line.is_empty() && w <= width {
            out.push(std::mem::take(&mut line));
            used = 0.0;
        }
        for c in phrase.chars() {
            if used + em(c) > width {
                out.push(std::mem::take(&mut line));
                used = 0.0;
            }
            line.push(c);
            used += em(c);
        }
    }
    if !line.is_empty() {
        out.push(line);
    }
    if out.len() > lines {
        out.truncate(lines);
        let last = out.last_mut().expect("at least one line");
        // Room for the ellipsis at the end of the last line.
        while last.chars().map(em).sum::<f64>() + 1.0 > width {
            last.pop();
        }
        last.push('…');
    }
    out
}

fn open(s: &mut String, family: &str, title: &str) {
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><title>{}</title><style>{}</style><rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/><rect class="band" width="{WIDTH}" height="12"/>"##,
        escape(title),
        style(family)
    );
}

/// Kicker, heading lines (each at most 24 em, at most `lines`), returning where the next
/// thing may start.
fn heading(s: &mut String, kicker: &str, title: &str, lines: usize) -> f64 {
    let _ = write!(s, r#"<text class="kicker" x="56" y="74">{}</text>"#, escape(kicker));
    let mut y = 74.0;
    for line in wrap(title, 23.5, lines) {
        y += 60.0;
        let _ = write!(s, r#"<text class="heading" x="56" y="{y}">{}</text>"#, escape(&line));
    }
    y
}

fn close(s: &mut String, site: &str) {
    let _ = write!(
        s,
        r##"<line x1="56" y1="566" x2="1144" y2="566" stroke="#767680" stroke-width="1"/><text class="site" x="56" y="606">{}</text></svg>"##,
        escape(site)
    );
}

/// An indicator's card: kicker (city, ward), its name and its chart.
pub fn series(family: &str, site: &str, kicker: &str, name: &str, chart: &str) -> String {
    let mut s = String::new();
    open(&mut s, family, name);
    let top = heading(&mut s, kicker, name, 2) + 18.0;
    let (w, h) = standalone::view_size(chart).unwrap_or((640.0, 300.0));
    let _ = write!(
        s,
        r#"<svg x="40" y="{top}" width="1120" height="{height}" viewBox="0 0 {w} {h}">{}</svg>"#,
        standalone::inner(chart),
        height = 548.0 - top,
    );
    close(&mut s, site);
    s
}

/// What a preview card shows, all it is drawn from besides the font: its cache key is made of
/// this value ([`Card::key_parts`]), so nothing can be drawn that the key does not name.
#[derive(Debug)]
pub enum Card<'a> {
    /// An indicator's card ([`series`]).
    Series { site: &'a str, kicker: &'a str, name: &'a str, chart: &'a str },
    /// A report's card ([`report`]).
    Report { site: &'a str, kicker: &'a str, title: &'a str, counts: Counts<'a> },
}

impl Card<'_> {
    /// Every field of the card, each as its length and its bytes (so no two cards give the same
    /// stream), for the cache key. Written out field by field: formatting the card with `Debug`
    /// escaped each character of its chart's SVG, a twentieth of a build's time.
    pub fn key_parts(&self, feed: &mut impl FnMut(&[u8])) {
        let mut text = |t: &str| {
            feed(&(t.len() as u64).to_le_bytes());
            feed(t.as_bytes());
        };
        match self {
            Card::Series { site, kicker, name, chart } => {
                text("series");
                for t in [site, kicker, name, chart] {
                    text(t);
                }
            }
            Card::Report { site, kicker, title, counts: Counts { rows } } => {
                text("report");
                for t in [site, kicker, title] {
                    text(t);
                }
                for (label, a, b) in rows {
                    text(label);
                    text(&a.to_string());
                    text(&b.to_string());
                }
            }
        }
    }

    /// The card as SVG, set in `family`.
    pub fn svg(&self, family: &str) -> String {
        match self {
            Card::Series { site, kicker, name, chart } => series(family, site, kicker, name, chart),
            Card::Report { site, kicker, title, counts } => report(family, site, kicker, title, counts),
        }
    }
}

/// The figures of a report's card: (label, A count, B count) per row.
#[derive(Debug)]
pub struct Counts<'a> {
    pub rows: Vec<(&'a str, usize, usize)>,
}

/// A report's card: kicker (city, ward), year, its title and its A/B counts, each with a bar
/// whose parts are labelled in words (colour is not the only carrier).
pub fn report(family: &str, site: &str, kicker: &str, title: &str, counts: &Counts) -> String {
    let mut s = String::new();
    open(&mut s, family, title);
    let mut y = heading(&mut s, kicker, title, 3) + 84.0;
    let rows: Vec<_> = counts.rows.iter().filter(|(_, a, b)| a + b > 0).collect();
    if !rows.is_empty() {
        let _ = write!(s, r#"<text class="label" x="56" y="{y}">アウトカムの達成状況</text>"#);
    }
    for (label, a, b) in rows {
        y += 72.0;
        let total = (a + b) as f64;
        let (x0, width) = (560.0, 584.0);
        let wa = width * *a as f64 / total;
        let _ = write!(
            s,
            r#"<text class="label" x="56" y="{y}">{}</text><text class="count" x="250" y="{y}">A {a}件・B {b}件</text><rect class="good" x="{x0}" y="{top}" width="{wa:.1}" height="40"/><rect class="bad" x="{xb:.1}" y="{top}" width="{wb:.1}" height="40"/>"#,
            escape(label),
            top = y - 34.0,
            xb = x0 + wa,
            wb = width - wa,
        );
    }
    close(&mut s, site);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(card: &Card) -> Vec<u8> {
        let mut bytes = Vec::new();
        card.key_parts(&mut |b| bytes.extend_from_slice(b));
        bytes
    }

    #[test]
    fn every_field_is_in_the_key_and_fields_cannot_run_into_each_other() {
        let series = |site, kicker, name, chart| Card::Series { site, kicker, name, chart };
        let base = key(&series("s", "k", "n", "<svg/>"));
        for other in
            [series("t", "k", "n", "<svg/>"), series("s", "kk", "n", "<svg/>"), series("s", "k", "m", "<svg/>")]
        {
            assert_ne!(key(&other), base);
        }
        assert_ne!(key(&series("s", "k", "n", "<svg></svg>")), base);
        assert_ne!(key(&series("ab", "c", "n", "x")), key(&series("a", "bc", "n", "x")));
        let report = |rows| Card::Report { site: "s", kicker: "k", title: "t", counts: Counts { rows } };
        assert_ne!(key(&report(vec![("目標", 3, 1)])), key(&report(vec![("目標", 3, 2)])));
        assert_ne!(key(&report(vec![("目標", 3, 1)])), key(&report(vec![("指標", 3, 1)])));
        assert_ne!(key(&report(vec![])), key(&series("s", "k", "t", "")));
    }

    #[test]
    fn long_names_wrap_and_are_cut_with_an_ellipsis() {
        assert_eq!(wrap("北区の保育所待機児童数", 24.0, 2), vec!["北区の保育所待機児童数"]);
        let lines = wrap(&"あ".repeat(60), 24.0, 2);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].chars().count(), 24);
        assert!(lines[1].ends_with('…') && lines[1].chars().count() == 24, "{lines:?}");
        // Lines break between phrases, not inside a word.
        let lines = wrap("区政運営基本方針の成果目標の達成に向けた取組状況について（北区）", 23.5, 3);
        assert_eq!(lines, vec!["区政運営基本方針の成果目標の達成に向けた", "取組状況について（北区）"]);
        // Latin letters are narrower: more of them fit on a line.
        assert_eq!(wrap(&"a".repeat(40), 24.0, 2).len(), 1);
    }

    #[test]
    fn a_report_card_shows_its_counts_in_words() {
        let counts = Counts { rows: vec![("目標全体", 3, 1), ("指標ごと", 13, 3)] };
        let s = report("Noto Sans CJK JP", "サイト", "大阪市北区・平成28年度", "自己評価", &counts);
        assert!(s.contains("A 3件・B 1件") && s.contains("A 13件・B 3件"), "{s}");
        assert!(s.contains(r#"width="1200" height="630""#));
        // No row for counts that are all zero.
        let none = report("F", "サイト", "k", "t", &Counts { rows: vec![("目標全体", 0, 0)] });
        assert!(!none.contains("達成状況"), "{none}");
    }
}
