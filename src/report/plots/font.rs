//! The bundled DejaVu Sans: its registration with plotters, and its glyph side bearings read from
//! the TrueType tables.

use std::sync::OnceLock;

use anyhow::{Result, anyhow};
use plotters::style::{FontStyle, register_font};

const REGULAR: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/DejaVuSans-Bold.ttf");
/// The font family the plots ask for (a CSS font list in SVG, a registered name for bitmaps).
pub(super) const FAMILY: &str = "DejaVu Sans, sans-serif";

/// Registers the font shipped in assets/ (DejaVu Sans, regular and bold) with plotters; idempotent.
pub fn register_fonts() -> Result<()> {
    static REGISTERED: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            // Under "sans-serif" for any other plotters user, and under the name the plots ask for, which
            // SVG viewers read as "DejaVu Sans if installed, else their sans-serif".
            for family in ["sans-serif", FAMILY] {
                register_font(family, FontStyle::Normal, REGULAR)
                    .map_err(|_| "assets/DejaVuSans.ttf is not a usable font".to_string())?;
                register_font(family, FontStyle::Bold, BOLD)
                    .map_err(|_| "assets/DejaVuSans-Bold.ttf is not a usable font".to_string())?;
            }
            Ok(())
        })
        .clone()
        .map_err(|e| anyhow!("registering the plot font: {e}"))
}

/// Left side bearings of a TrueType font, read from its `cmap`, `hhea`, `maxp` and `hmtx` tables.
///
/// plotters 0.3.7 rasterises each glyph from the left edge of its ink instead of its pen position plus
/// side bearing, so letters with a wide bearing (i, l, r, n) crowd their left neighbour and the rest
/// drift apart. Knowing the bearings, [`Canvas::glyphs`] puts every glyph where it belongs.
pub(super) struct Bearings {
    /// Ascent minus descent in font units: ab_glyph scales this height to the font size.
    height: f64,
    /// Left side bearing per glyph, in font units.
    lsb: Vec<i16>,
    /// Character ranges (first, last, glyph of first), sorted, non-overlapping.
    cmap: Vec<(u32, u32, u32)>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

impl Bearings {
    /// The bearings of the bundled regular or bold font (None only if the bundled file is unreadable).
    pub(super) fn of(bold: bool) -> Option<&'static Bearings> {
        static REGULAR_BEARINGS: OnceLock<Option<Bearings>> = OnceLock::new();
        static BOLD_BEARINGS: OnceLock<Option<Bearings>> = OnceLock::new();
        if bold {
            BOLD_BEARINGS.get_or_init(|| Bearings::parse(BOLD)).as_ref()
        } else {
            REGULAR_BEARINGS
                .get_or_init(|| Bearings::parse(REGULAR))
                .as_ref()
        }
    }

    fn parse(font: &[u8]) -> Option<Self> {
        let table = |tag: &[u8; 4]| -> Option<&[u8]> {
            let tables = usize::from(u16_at(font, 4)?);
            let record = (0..tables)
                .map(|i| 12 + 16 * i)
                .find(|&r| font.get(r..r + 4) == Some(&tag[..]))?;
            let (offset, length) = (
                u32_at(font, record + 8)? as usize,
                u32_at(font, record + 12)? as usize,
            );
            font.get(offset..offset.checked_add(length)?)
        };
        let hhea = table(b"hhea")?;
        let (ascent, descent) = (u16_at(hhea, 4)? as i16, u16_at(hhea, 6)? as i16);
        let metrics = usize::from(u16_at(hhea, 34)?);
        let glyphs = usize::from(u16_at(table(b"maxp")?, 4)?);
        let hmtx = table(b"hmtx")?;
        let lsb = (0..glyphs)
            .map(|g| {
                let at = if g < metrics {
                    4 * g + 2
                } else {
                    4 * metrics + 2 * (g - metrics)
                };
                u16_at(hmtx, at).map(|v| v as i16)
            })
            .collect::<Option<Vec<i16>>>()?;
        let height = f64::from(ascent) - f64::from(descent);
        (height > 0.0).then_some(())?;
        Some(Bearings {
            height,
            lsb,
            cmap: Self::cmap(table(b"cmap")?)?,
        })
    }

    /// The Unicode character map: the full-range (format 12) table if there is one, else the BMP one (format 4).
    fn cmap(t: &[u8]) -> Option<Vec<(u32, u32, u32)>> {
        let count = usize::from(u16_at(t, 2)?);
        let subtables: Vec<(u16, u16, usize)> = (0..count)
            .map(|i| {
                Some((
                    u16_at(t, 4 + 8 * i)?,
                    u16_at(t, 6 + 8 * i)?,
                    u32_at(t, 8 + 8 * i)? as usize,
                ))
            })
            .collect::<Option<_>>()?;
        let find = |encoding: u16, format: u16| {
            subtables
                .iter()
                .find(|s| s.0 == 3 && s.1 == encoding && u16_at(t, s.2) == Some(format))
                .map(|s| s.2)
        };
        let mut ranges = Vec::new();
        if let Some(at) = find(10, 12) {
            let groups = u32_at(t, at + 12)? as usize;
            for g in 0..groups {
                let group = at + 16 + 12 * g;
                ranges.push((
                    u32_at(t, group)?,
                    u32_at(t, group + 4)?,
                    u32_at(t, group + 8)?,
                ));
            }
        } else {
            let at = find(1, 4)?;
            let seg_x2 = usize::from(u16_at(t, at + 6)?);
            for s in 0..seg_x2 / 2 {
                let end = u16_at(t, at + 14 + 2 * s)?;
                let start = u16_at(t, at + 16 + seg_x2 + 2 * s)?;
                let delta = u16_at(t, at + 16 + 2 * seg_x2 + 2 * s)?;
                let range_at = at + 16 + 3 * seg_x2 + 2 * s;
                let range = usize::from(u16_at(t, range_at)?);
                for c in start..=end.min(0xFFFE) {
                    let glyph = if range == 0 {
                        c.wrapping_add(delta)
                    } else {
                        match u16_at(t, range_at + range + 2 * usize::from(c - start))? {
                            0 => 0,
                            g => g.wrapping_add(delta),
                        }
                    };
                    ranges.push((u32::from(c), u32::from(c), u32::from(glyph)));
                }
            }
        }
        ranges.sort_unstable();
        Some(ranges)
    }

    /// The left side bearing of `c` in pixels at font size `size` (0 for a character the font lacks).
    pub(super) fn lsb(&self, c: char, size: f64) -> f64 {
        let c = c as u32;
        let i = self.cmap.partition_point(|r| r.1 < c);
        let glyph = match self.cmap.get(i) {
            Some(&(first, _, g)) if first <= c => g.saturating_add(c - first) as usize,
            _ => 0,
        };
        self.lsb
            .get(glyph)
            .map_or(0.0, |&l| f64::from(l) * size / self.height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_font_bearings_are_read() {
        let regular = Bearings::of(false).expect("the regular font parses");
        let bold = Bearings::of(true).expect("the bold font parses");
        // DejaVu Sans at 17 px, as ab_glyph reports it: i 1.376, w 0.613.
        assert!((regular.lsb('i', 17.0) - 1.376).abs() < 0.01);
        assert!((regular.lsb('w', 17.0) - 0.613).abs() < 0.01);
        assert!(bold.lsb('i', 17.0) > 0.0);
        assert_eq!(
            regular.lsb('\u{10FFFF}', 17.0),
            regular.lsb('\u{10FFFE}', 17.0),
            "missing glyphs"
        );
    }
}
