//! Text in the plots: fonts by size, weight and colour; text measured, shortened and wrapped to fit;
//! numbers formatted for labels.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle};

use super::font::FAMILY;
use super::palette::{INK, MUTED};

#[derive(Clone, Copy)]
pub(super) struct Font {
    pub(super) size: f64,
    pub(super) bold: bool,
    pub(super) colour: RGBColor,
}

pub(super) const fn font(size: f64) -> Font {
    Font {
        size,
        bold: false,
        colour: INK,
    }
}

impl Font {
    pub(super) const fn bold(self) -> Self {
        Font { bold: true, ..self }
    }
    pub(super) const fn colour(self, colour: RGBColor) -> Self {
        Font { colour, ..self }
    }
    pub(super) fn desc(self) -> FontDesc<'static> {
        let style = if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        FontDesc::new(FontFamily::Name(FAMILY), self.size, style)
    }
    pub(super) fn style(self, h: HPos, v: VPos) -> TextStyle<'static> {
        TextStyle {
            font: self.desc(),
            color: self.colour.to_backend_color(),
            pos: Pos::new(h, v),
        }
    }
    /// Width of `text` in pixels.
    pub(super) fn width(self, text: &str) -> i32 {
        match self.desc().box_size(text) {
            Ok((w, _)) => w as i32,
            Err(_) => (text.chars().count() as f64 * self.size * 0.6) as i32,
        }
    }
    /// `text`, shortened with an ellipsis until it fits in `max` pixels.
    pub(super) fn fit(self, text: &str, max: i32) -> String {
        if self.width(text) <= max {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let shortened = |keep: usize| {
            chars[..keep]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
                + "…"
        };
        // The longest prefix that fits, by bisection (widths grow with the prefix).
        let (mut fits, mut too_long) = (0, chars.len());
        while too_long - fits > 1 {
            let mid = (fits + too_long) / 2;
            if self.width(&shortened(mid)) <= max {
                fits = mid;
            } else {
                too_long = mid;
            }
        }
        if fits == 0 && self.width("…") > max {
            return String::new();
        }
        shortened(fits)
    }
    /// `text` broken into at most `lines` lines of at most `max` pixels (the last one shortened).
    pub(super) fn wrap(self, text: &str, max: i32, lines: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate) <= max || current.is_empty() {
                current = candidate;
            } else {
                out.push(std::mem::replace(&mut current, word.to_string()));
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
        if out.len() > lines.max(1) {
            let rest = out.split_off(lines.max(1) - 1).join(" ");
            out.push(rest);
        }
        out.into_iter().map(|l| self.fit(&l, max)).collect()
    }

    pub(super) fn width_max(self, texts: &[String]) -> i32 {
        texts.iter().map(|t| self.width(t)).max().unwrap_or(0)
    }
}

pub(super) const TITLE: Font = font(30.0).bold();
pub(super) const SUBTITLE: Font = font(19.0).colour(MUTED);
pub(super) const FOOTER: Font = font(15.0).colour(MUTED);
pub(super) const TICK: Font = font(16.0).colour(INK);
pub(super) const AXIS_LABEL: Font = font(18.0).colour(INK);
pub(super) const LEGEND: Font = font(17.0).colour(INK);
pub(super) const PANEL_TITLE: Font = font(18.0).bold();

/// Decimals needed to print multiples of `step` exactly.
fn decimals(step: f64) -> usize {
    (0..6)
        .find(|d| {
            let scaled = step * 10f64.powi(*d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(6)
}

pub(super) fn fmt_tick(v: f64, step: f64) -> String {
    let s = format!("{:.*}", decimals(step), v);
    // "-0" reads as a sign error.
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s.replace('-', "−")
    }
}

pub(super) fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A share (0–1) as a percentage with sensible precision.
pub(super) fn fmt_share(share: f64) -> String {
    if !share.is_finite() {
        "–".to_string()
    } else if share <= 0.0 {
        "0 %".to_string()
    } else if share < 0.001 {
        "<0.1 %".to_string()
    } else if share < 0.1 {
        format!("{:.1} %", share * 100.0)
    } else {
        format!("{:.0} %", share * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::plots::register_fonts;

    #[test]
    fn text_helpers_fit_and_wrap() {
        register_fonts().expect("fonts");
        let long = "agreement and pledge only with a very long name";
        let fitted = LEGEND.fit(long, 150);
        assert!(LEGEND.width(&fitted) <= 150 && fitted.ends_with('…'));
        assert_eq!(LEGEND.fit("short", 150), "short");
        let lines = TICK.wrap("full kinetic conflict", 110, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| TICK.width(l) <= 110));
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(fmt_tick(-0.0, 0.5), "0.0");
        assert_eq!(fmt_tick(-2.0, 1.0), "−2");
        assert_eq!(fmt_share(0.0004), "<0.1 %");
    }
}
