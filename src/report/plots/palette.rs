//! The colours of the plots: the Okabe–Ito palette for arms, and the greys of text, grid, axes.

use plotters::prelude::*;

/// Okabe–Ito, in the order arms get them (yellow and black last: weakest as lines on white).
const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x00, 0x00),
];
pub(super) const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
pub(super) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(super) const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
pub(super) const AXIS: RGBColor = RGBColor(0x80, 0x80, 0x80);
pub(super) const CRISIS_TINT: RGBColor = RGBColor(0xFB, 0xEB, 0xE1);

pub(super) fn arm_colour(arm: usize) -> RGBColor {
    OKABE_ITO[arm % OKABE_ITO.len()]
}
