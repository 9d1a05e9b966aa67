//! Chart images (docs/urls.md, docs/benchmarks.md): each chart as an SVG file of its own
//! ([`standalone`]), and a 1200×630 PNG preview of each indicator and report page for link
//! previews (`og:image`), drawn at build time by resvg ([`card`], [`Painter`]).
//!
//! The PNGs need a Japanese font: the file `site.toml` names (`[images] font`) or one found on
//! the system ([`font::SYSTEM_FAMILIES`]). Without one the build warns once and the pages
//! have no preview image (never boxes in place of characters); `images = false` turns them off.
//!
//! Drawing is cached by content: a PNG is kept in `.mieruka-cache/images/` beside site.toml
//! under the hash of what its card is made of ([`card::Card`]: texts, chart), the layout code
//! and the font's identity, and an unchanged card is read back instead of laid out and drawn
//! again. Entries no build uses any more are removed at the end of a build.

pub mod card;
pub mod font;
pub mod standalone;

use crate::config::ImagesSetting;
use crate::error::{Error, Span, Warning};
use resvg::{tiny_skia, usvg};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The cache folder, relative to the site root (where site.toml is).
pub const CACHE_DIR: &str = ".mieruka-cache/images";

/// What the image cache's keys include besides the card and the font: the renderer and its
/// settings (a new resvg or `BudouX` may draw differently: bump it with the crate).
const RENDERER: &str = "resvg 0.49, 1200x630, png 0.18 balanced rgb v2, budoux 0.1";

/// The code that turns a card's inputs into its SVG (the layout, the line breaking of its
/// heading, the chart's frame): part of every cache key, so a change to it draws every card again.
const CARD_CODE: [&str; 3] = [include_str!("card.rs"), include_str!("standalone.rs"), include_str!("../text.rs")];

/// How many images a build drew and how many it read back from the cache.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub drawn: usize,
    pub cached: usize,
}

/// Draws the preview images of one build (shared by the threads that render pages).
pub struct Painter {
    font: font::JapaneseFont,
    cache: Option<PathBuf>,
    /// The cache entries this build used (the others are removed at the end).
    used: Mutex<BTreeSet<String>>,
    drawn: AtomicUsize,
    cached: AtomicUsize,
    warnings: Mutex<Vec<Warning>>,
    /// Why the cache could not be written, if it could not (said once).
    cache_error: Mutex<Option<String>>,
}

/// The painter a build draws with, or `None` (images off, or no Japanese font: then a
/// warning). A font that site.toml names but that cannot be used is an error.
pub fn painter(
    root: &Path,
    setting: &ImagesSetting,
    site_toml: &str,
) -> Result<(Option<Painter>, Vec<Warning>), Error> {
    if !setting.enabled {
        return Ok((None, Vec::new()));
    }
    let shown = Path::new("site.toml");
    let found = if let Some(name) = &setting.font {
        named_font(root, name, site_toml)?
    } else if let Ok(f) = font::system() {
        f
    } else {
        let warning = Warning {
            span: Span::file(shown),
            message: format!(
                "no Japanese font found (looked for {} …): the indicator and report pages get no preview image \
                 (og:image). Install one (Debian and Ubuntu: apt-get install fonts-noto-cjk), or name a font file in \
                 site.toml (`[images]` `font = \"fonts/ipaexg.ttf\"`), or turn preview images off (`images = false`)",
                font::SYSTEM_FAMILIES[..4].join(", ")
            ),
            other: None,
        };
        return Ok((None, vec![warning]));
    };
    let cache = root.join(CACHE_DIR);
    let mut warnings = Vec::new();
    let cache = match std::fs::create_dir_all(&cache) {
        Ok(()) => Some(cache),
        Err(e) => {
            warnings.push(Warning {
                span: Span::file(shown),
                message: format!(
                    "the image cache {} cannot be made ({e}): every preview image is drawn again on each build",
                    cache.display()
                ),
                other: None,
            });
            None
        }
    };
    let painter = Painter {
        font: found,
        cache,
        used: Mutex::default(),
        drawn: AtomicUsize::new(0),
        cached: AtomicUsize::new(0),
        warnings: Mutex::default(),
        cache_error: Mutex::default(),
    };
    Ok((Some(painter), warnings))
}

/// A drawn card as PNG: RGB on white (a card is opaque: its background is a white rectangle),
/// at the png crate's balanced level (about 45 KB a card). The fast level would take ~40 % less
/// CPU but doubles the files (docs/benchmarks.md).
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    // Premultiplied colour over white: c + (255 − alpha).
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| {
            let under = 255 - p[3];
            [p[0].saturating_add(under), p[1].saturating_add(under), p[2].saturating_add(under)]
        })
        .collect();
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

/// The font file site.toml names (`[images] font`), or the error at its line.
fn named_font(root: &Path, name: &str, site_toml: &str) -> Result<font::JapaneseFont, Error> {
    let shown = Path::new("site.toml");
    let span =
        site_toml.find(name).map_or_else(|| Span::file(shown), |i| Span::new(shown, site_toml, i..i + name.len()));
    font::file(&root.join(name)).map_err(|e| {
        let expected = match e {
            font::NoFont::NotJapanese { family, missing } => {
                format!("a font with Japanese characters ({family} has no 「{missing}」)")
            }
            font::NoFont::Unreadable(why) => {
                format!("a font file (.ttf, .otf or .ttc) relative to the site root ({why})")
            }
            font::NoFont::NotInstalled => "a font file".to_string(),
        };
        Error::invalid(span, name, expected)
    })
}

impl Painter {
    /// The font family the cards are set in.
    pub fn family(&self) -> &str {
        &self.font.family
    }

    /// The cache key of a card: what it is drawn from, the code that lays it out
    /// ([`CARD_CODE`]), the font's and the renderer's identity. Keyed by what the card is made
    /// of rather than by its SVG, an unchanged card is not even laid out again.
    fn key(&self, card: &card::Card) -> String {
        static CODE: std::sync::LazyLock<[u8; 32]> =
            std::sync::LazyLock::new(|| CARD_CODE.iter().fold(Sha256::new(), Digest::chain_update).finalize().into());
        let mut h = Sha256::new();
        h.update(RENDERER.as_bytes());
        h.update([0]);
        h.update(*CODE);
        h.update(self.font.identity.as_bytes());
        h.update([0]);
        card.key_parts(&mut |bytes| h.update(bytes));
        crate::output::hex_name(h)
    }

    /// The PNG of a card for the page at `page` (site-relative), from the cache or drawn (laid
    /// out only then). `None` when the font lacks a character of it (warned: no image rather
    /// than boxes).
    pub fn png(&self, page: &str, card: &card::Card) -> Option<Vec<u8>> {
        let key = self.key(card);
        let file = format!("{key}.png");
        self.used.lock().expect("no panics while holding it").insert(file.clone());
        if let Some(dir) = &self.cache
            && let Ok(bytes) = std::fs::read(dir.join(&file))
        {
            self.cached.fetch_add(1, Ordering::Relaxed);
            return Some(bytes);
        }
        let bytes = match self.draw(&card.svg(self.family())) {
            Ok(bytes) => bytes,
            Err(message) => {
                self.warn(format!("{message}: the page {page} gets no preview image"));
                return None;
            }
        };
        self.drawn.fetch_add(1, Ordering::Relaxed);
        if let Some(dir) = &self.cache {
            // Written aside and renamed: a reader never sees half a file.
            let tmp = dir.join(format!("{key}.{}.tmp", std::process::id()));
            let stored = std::fs::write(&tmp, &bytes).and_then(|()| std::fs::rename(&tmp, dir.join(&file)));
            if let Err(e) = stored {
                let _ = std::fs::remove_file(&tmp);
                self.cache_error.lock().expect("no panics while holding it").get_or_insert(e.to_string());
            }
        }
        Some(bytes)
    }

    /// Draws an SVG with the font alone; the characters it lacks are an error.
    fn draw(&self, svg: &str) -> Result<Vec<u8>, String> {
        let missing = Mutex::new(BTreeSet::new());
        let db = self.font.db().map_err(|e| format!("the font cannot be read ({e})"))?;
        let options = font::options(db, &self.font.family, &missing);
        let tree =
            usvg::Tree::from_str(svg, &options).map_err(|e| format!("the preview image's SVG is invalid ({e})"))?;
        drop(options);
        let missing = missing.into_inner().expect("no panics while holding it");
        if !missing.is_empty() {
            let chars: String = missing.into_iter().fold(String::new(), |mut s, c| {
                let _ = write!(s, "「{c}」");
                s
            });
            return Err(format!("the font {} has no {chars}", self.font.family));
        }
        let size = tree.size().to_int_size();
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("the preview image has no size")?;
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        encode(&pixmap).map_err(|e| format!("the preview image cannot be encoded ({e})"))
    }

    fn warn(&self, message: String) {
        let warning = Warning { span: Span::file(Path::new("site.toml")), message, other: None };
        self.warnings.lock().expect("no panics while holding it").push(warning);
    }

    /// Ends the build's drawing: removes the cache entries it did not use, and returns what
    /// it drew and what it warned about (sorted: the same order every build).
    pub fn finish(&self) -> (Stats, Vec<Warning>) {
        let mut warnings = std::mem::take(&mut *self.warnings.lock().expect("no panics while holding it"));
        if let Some(e) = self.cache_error.lock().expect("no panics while holding it").take() {
            self.warn(format!("the image cache cannot be written ({e}): preview images are drawn again on each build"));
            warnings.append(&mut self.warnings.lock().expect("no panics while holding it"));
        }
        warnings.sort_by(|a, b| a.message.cmp(&b.message));
        let used = self.used.lock().expect("no panics while holding it");
        if let Some(dir) = &self.cache
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.ends_with(".png") && !used.contains(&name) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        let stats = Stats { drawn: self.drawn.load(Ordering::Relaxed), cached: self.cached.load(Ordering::Relaxed) };
        (stats, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_encoded_as_rgb_over_white() {
        let mut pixmap = tiny_skia::Pixmap::new(2, 1).unwrap();
        // Opaque blue, and black at half opacity (premultiplied: 0, 0, 0, 128).
        pixmap.pixels_mut()[0] = tiny_skia::PremultipliedColorU8::from_rgba(0, 49, 216, 255).unwrap();
        pixmap.pixels_mut()[1] = tiny_skia::PremultipliedColorU8::from_rgba(0, 0, 0, 128).unwrap();
        let png = encode(&pixmap).unwrap();
        // IHDR: width 2, height 1, depth 8, colour type 2 (RGB).
        assert_eq!(&png[16..26], &[0, 0, 0, 2, 0, 0, 0, 1, 8, 2]);
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        assert_eq!(&buf[..6], &[0, 49, 216, 127, 127, 127]);
        // The same pixels, the same bytes.
        assert_eq!(encode(&pixmap).unwrap(), png);
    }
}
