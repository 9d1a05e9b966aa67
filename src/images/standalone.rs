//! A chart as a file of its own (`chart.svg`): the chart the page draws, with the XML
//! namespace, a size, a white background and its own style sheet (colours, the Japanese font
//! list), so that it looks the same opened alone, in an editor or placed in a document.

use std::fmt::Write;

/// The font list of the site's style sheet: the Japanese fonts of the usual systems.
pub const FONT_LIST: &str = r#""Noto Sans JP", "Noto Sans CJK JP", "Hiragino Kaku Gothic ProN", "Hiragino Sans", "BIZ UDPGothic", "Yu Gothic", YuGothic, Meiryo, IPAexGothic, sans-serif"#;

/// The chart classes' style (the site's light colours, as plain values: no custom
/// properties, which SVG editors and renderers do not all read). `font` is a CSS font list.
pub fn chart_style(font: &str) -> String {
    format!(
        ".grid{{stroke:#767680;stroke-width:.5}}\
         .axis,.value-label,.target-label,.withdrawal-label,.break-label{{fill:#1a1a1c;font-size:14px;font-family:{font}}}\
         .value-label{{font-weight:bold}}\
         .line{{fill:none;stroke:#0031d8;stroke-width:3}}\
         .point{{fill:#0031d8;stroke:#fff;stroke-width:2}}\
         .fill{{fill:#0031d8}}\
         .track{{fill:#e8e8ee}}\
         .target{{stroke:#1a1a1c;stroke-width:3}}\
         .target-mark{{fill:#1a1a1c}}\
         .withdrawal{{stroke:#c21c1c;stroke-width:3;stroke-dasharray:4 3}}\
         .break{{stroke:#1a1a1c;stroke-width:2;stroke-dasharray:2 4}}"
    )
}

/// The width and height of a chart's `viewBox` (`0 0 W H`).
pub fn view_size(chart: &str) -> Option<(f64, f64)> {
    let rest = &chart[chart.find("viewBox=\"")? + 9..];
    let mut n = rest[..rest.find('"')?].split_whitespace().map(|v| v.parse::<f64>().ok());
    let (_, _, w, h) = (n.next()??, n.next()??, n.next()??, n.next()??);
    Some((w, h))
}

/// The inside of a chart's `<svg>` element (everything between its tags).
pub fn inner(chart: &str) -> &str {
    let start = chart.find('>').map_or(0, |i| i + 1);
    let end = chart.rfind("</svg>").unwrap_or(chart.len()).max(start);
    &chart[start..end]
}

/// The chart (an `<svg>` element as the page has it, with its `<title>` and `<desc>`) as a
/// standalone SVG document. A chart without `<desc>` (the page says it in a table) gets
/// `desc`, when given, after its title.
pub fn document(chart: &str, desc: Option<&str>) -> String {
    let (w, h) = view_size(chart).unwrap_or((640.0, 300.0));
    let open_end = chart.find('>').map_or(0, |i| i + 1);
    // The opening tag without `<svg` and `>`: its class, viewBox, role and ARIA references.
    let attributes = chart.get(4..open_end.saturating_sub(1)).unwrap_or("");
    let body = inner(chart);
    // `<title>` and `<desc>` stay first (what a screen reader or a file browser shows); the
    // style and the background follow them.
    let head_end = ["</desc>", "</title>"]
        .iter()
        .filter_map(|t| body.find(t).map(|i| i + t.len()))
        .find(|&i| body[..i].matches('<').count() <= 4)
        .unwrap_or(0);
    let mut head = body[..head_end].to_string();
    if let Some(d) = desc.filter(|_| !head.contains("<desc")) {
        let _ = write!(head, "<desc>{}</desc>", crate::text::escape(d));
    }
    let mut s = String::with_capacity(chart.len() + 1024);
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\"{attributes}>{head}<style>{}</style><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>{}</svg>\n",
        chart_style(FONT_LIST),
        &body[head_end..],
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHART: &str = r#"<svg class="chart" viewBox="0 0 640 300" role="img" aria-labelledby="c-title" aria-describedby="c-desc"><title id="c-title">北区の推移</title><desc id="c-desc">平成27年度 55.9％</desc><line class="grid" x1="64" y1="10" x2="616" y2="10"/></svg>"#;

    #[test]
    fn the_file_has_namespace_size_style_and_its_title_first() {
        let s = document(CHART, Some("ignored: the chart has its own"));
        assert_eq!(s.matches("<desc").count(), 1);
        assert!(s.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"300\" class=\"chart\" viewBox=\"0 0 640 300\" role=\"img\""), "{s}");
        let title = s.find("<title").unwrap();
        let desc = s.find("<desc").unwrap();
        let style = s.find("<style>").unwrap();
        let grid = s.find("class=\"grid\"").unwrap();
        assert!(title < desc && desc < style && style < grid, "{s}");
        assert!(s.contains("Noto Sans CJK JP") && s.contains(".line{fill:none;stroke:#0031d8"), "{s}");
        assert!(s.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn a_chart_without_desc_keeps_its_title_first() {
        let s = document(
            r#"<svg class="chart ranking" viewBox="0 0 640 92" role="img"><title id="r">比較</title><rect class="fill" x="1"/></svg>"#,
            Some("第一区 30％、第二区 <25％>"),
        );
        assert!(s.contains(r#"height="92""#));
        assert!(s.contains(r#"<title id="r">比較</title><desc>第一区 30％、第二区 &lt;25％&gt;</desc><style>"#), "{s}");
    }
}
