//! The colours of the plots: the Okabe–Ito palette for arms, and the greys of text, grid, axes.
//!
//! Arms take the Okabe–Ito colours in an order chosen so that the first six differ in hue (no two
//! blues, no two yellows) and stay apart for readers with any of the three common colour-vision
//! deficiencies; the tests below check both on simulated vision.

use plotters::prelude::*;

/// Okabe–Ito, in the order arms get them: blue, orange, bluish green, reddish purple, black,
/// vermillion, then the second blue and the yellow, which only a seventh and eighth arm need.
const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xF0, 0xE4, 0x42),
];
pub(super) const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
pub(super) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(super) const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
pub(super) const AXIS: RGBColor = RGBColor(0x80, 0x80, 0x80);
pub(super) const CRISIS_TINT: RGBColor = RGBColor(0xFB, 0xEB, 0xE1);

pub(super) fn arm_colour(arm: usize) -> RGBColor {
    OKABE_ITO[arm % OKABE_ITO.len()]
}

/// Dark text on light fills, white text on dark ones (relative luminance below about 43 %).
pub(super) fn is_dark(c: RGBColor) -> bool {
    0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2) < 110.0
}

/// Colour-vision simulation and CIELAB distances, for the tests that keep palettes readable.
#[cfg(test)]
pub(super) mod vision {
    use plotters::prelude::RGBColor;

    /// Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
    pub(crate) const SIMULATIONS: [(&str, [[f64; 3]; 3]); 4] = [
        (
            "normal vision",
            [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        ),
        (
            "protanopia",
            [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
        ),
        (
            "deuteranopia",
            [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
        ),
        (
            "tritanopia",
            [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        ),
    ];

    fn linear(c: u8) -> f64 {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }

    /// CIELAB (D65) of `c` as seen through the simulation matrix `m`.
    pub(crate) fn lab(c: RGBColor, m: &[[f64; 3]; 3]) -> [f64; 3] {
        let l = [linear(c.0), linear(c.1), linear(c.2)];
        let s: Vec<f64> = (0..3)
            .map(|i| (0..3).map(|j| m[i][j] * l[j]).sum::<f64>().clamp(0.0, 1.0))
            .collect();
        let x = 0.4124 * s[0] + 0.3576 * s[1] + 0.1805 * s[2];
        let y = 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
        let z = 0.0193 * s[0] + 0.1192 * s[1] + 0.9505 * s[2];
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        let (fx, fy, fz) = (f(x / 0.95047), f(y), f(z / 1.08883));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    /// CIE76 colour difference under the simulation `m`.
    pub(crate) fn delta_e(a: RGBColor, b: RGBColor, m: &[[f64; 3]; 3]) -> f64 {
        let (p, q) = (lab(a, m), lab(b, m));
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt()
    }

    /// Hue angle in degrees and chroma, in normal vision.
    pub(crate) fn hue_chroma(c: RGBColor) -> (f64, f64) {
        let [_, a, b] = lab(c, &SIMULATIONS[0].1);
        (b.atan2(a).to_degrees().rem_euclid(360.0), a.hypot(b))
    }

    /// Every pair of `colours` closer than `min_delta` under some simulated vision, or (two
    /// chromatic colours) closer than `min_hue` degrees of hue: a list of complaints, empty if none.
    pub(crate) fn confusable(
        colours: &[(String, RGBColor)],
        min_delta: f64,
        min_hue: f64,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for (i, (na, a)) in colours.iter().enumerate() {
            for (nb, b) in &colours[i + 1..] {
                for (vision, m) in &SIMULATIONS {
                    let d = delta_e(*a, *b, m);
                    if d < min_delta {
                        out.push(format!("{na} and {nb}: ΔE {d:.0} in {vision}"));
                    }
                }
                let ((ha, ca), (hb, cb)) = (hue_chroma(*a), hue_chroma(*b));
                let apart = (ha - hb).abs().min(360.0 - (ha - hb).abs());
                if ca >= 10.0 && cb >= 10.0 && apart < min_hue {
                    out.push(format!("{na} and {nb}: hues {apart:.0}° apart"));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::vision::{SIMULATIONS, confusable, delta_e};
    use super::*;

    /// The lower bounds every palette of categories is held to: a CIE76 difference of 15 under
    /// normal, protan, deutan and tritan vision, and 20° of hue between chromatic colours.
    pub(crate) const MIN_DELTA: f64 = 15.0;
    pub(crate) const MIN_HUE: f64 = 20.0;

    #[test]
    fn the_first_six_arm_colours_are_told_apart_in_every_kind_of_vision() {
        let six: Vec<(String, RGBColor)> = (0..6)
            .map(|i| (format!("arm {i}"), arm_colour(i)))
            .collect();
        let problems = confusable(&six, MIN_DELTA, MIN_HUE);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn the_check_catches_the_two_okabe_ito_blues() {
        // Not vacuous: blue beside sky blue (the pair a reader mistook) fails it.
        let blues = [
            ("blue".to_string(), RGBColor(0x00, 0x72, 0xB2)),
            ("sky blue".to_string(), RGBColor(0x56, 0xB4, 0xE9)),
        ];
        assert!(!confusable(&blues, MIN_DELTA, MIN_HUE).is_empty());
        let identical = [
            ("a".to_string(), RGBColor(10, 20, 30)),
            ("b".to_string(), RGBColor(10, 20, 30)),
        ];
        assert!(confusable(&identical, MIN_DELTA, MIN_HUE).len() >= 4);
        assert!(delta_e(WHITE, BLACK, &SIMULATIONS[2].1) > 99.0);
    }
}
