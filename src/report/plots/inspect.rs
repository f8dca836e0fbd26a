//! Test support: the text of an SVG drawn by these plots, each string with the box it covers,
//! measured with the bundled font the plots measure with; and overlaps between those boxes.

use super::canvas::Rect;
use super::text::font;

/// A string drawn in an SVG and the box it covers, in pixels.
#[derive(Clone, Debug)]
pub(super) struct Placed {
    pub(super) text: String,
    pub(super) rect: Rect,
}

/// The SVG backend writes font sizes divided by this (plotters' points-to-pixels factor).
const SVG_FONT_SCALE: f64 = 1.24;

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Every `<text>` of `svg` with its box: the measured width, and from the ascender to the descender
/// (0.76 and 0.24 of the SVG em) around the baseline plotters' `dy` puts it on; rotated text turned.
pub(super) fn texts(svg: &str) -> Vec<Placed> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text ") {
        rest = &rest[start..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let Some(close) = rest.find("</text>") else {
            break;
        };
        let text = unescape(rest[tag_end + 1..close].trim());
        rest = &rest[close..];
        let num = |n: &str| attribute(tag, n).and_then(|v| v.parse::<f64>().ok());
        let (Some(x), Some(y), Some(em)) = (num("x"), num("y"), num("font-size")) else {
            continue;
        };
        let bold = attribute(tag, "font-weight") == Some("bold");
        let f = if bold {
            font(em * SVG_FONT_SCALE).bold()
        } else {
            font(em * SVG_FONT_SCALE)
        };
        let w = f64::from(f.width(&text));
        let baseline_shift = match attribute(tag, "dy") {
            Some("0.76em") => 0.76 * em,
            Some("-0.5ex") => -0.25 * em,
            Some("0.5ex") => 0.25 * em,
            _ => 0.0,
        };
        let left = match attribute(tag, "text-anchor") {
            Some("middle") => -w / 2.0,
            Some("end") => -w,
            _ => 0.0,
        };
        // Along the text: [left, left + w]; across it: [shift − 0.76 em, shift + 0.24 em].
        let (a0, a1) = (left, left + w);
        let (c0, c1) = (baseline_shift - 0.76 * em, baseline_shift + 0.24 * em);
        let rect = if attribute(tag, "transform").is_some_and(|t| t.starts_with("rotate(270")) {
            // Reading upwards: along the text is −y, across it is +x.
            Rect::new(
                (x + c0).floor() as i32,
                (y - a1).floor() as i32,
                (x + c1).ceil() as i32,
                (y - a0).ceil() as i32,
            )
        } else {
            Rect::new(
                (x + a0).floor() as i32,
                (y + c0).floor() as i32,
                (x + a1).ceil() as i32,
                (y + c1).ceil() as i32,
            )
        };
        out.push(Placed { text, rect });
    }
    out
}

/// Every segment of every `<polyline>` of `svg` whose stroke is not one of `ignore` (e.g. the grid's
/// grey), as the box its stroke covers.
pub(super) fn strokes(svg: &str, ignore: &[&str]) -> Vec<Rect> {
    let mut out = Vec::new();
    for tag in svg.split("<polyline ").skip(1) {
        let tag = format!(" {}", &tag[..tag.find("/>").unwrap_or(tag.len())]);
        let tag = tag.as_str();
        let colour = attribute(tag, "stroke").unwrap_or("");
        if ignore.iter().any(|c| c.eq_ignore_ascii_case(colour)) {
            continue;
        }
        let half = attribute(tag, "stroke-width")
            .and_then(|w| w.parse::<f64>().ok())
            .unwrap_or(1.0)
            / 2.0;
        let points: Vec<(f64, f64)> = attribute(tag, "points")
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|p| {
                let (x, y) = p.split_once(',')?;
                Some((x.parse().ok()?, y.parse().ok()?))
            })
            .collect();
        for w in points.windows(2) {
            let ((ax, ay), (bx, by)) = (w[0], w[1]);
            out.push(Rect::new(
                (ax.min(bx) - half).floor() as i32,
                (ay.min(by) - half).floor() as i32,
                (ax.max(bx) + half).ceil() as i32,
                (ay.max(by) + half).ceil() as i32,
            ));
        }
    }
    out
}

/// Strings whose boxes a stroke crosses (by more than `slack` pixels).
pub(super) fn crossed(placed: &[Placed], strokes: &[Rect], slack: i32) -> Vec<String> {
    placed
        .iter()
        .filter_map(|p| {
            let hit = strokes.iter().find(|r| {
                let dx = p.rect.x1.min(r.x1) - p.rect.x0.max(r.x0);
                let dy = p.rect.y1.min(r.y1) - p.rect.y0.max(r.y0);
                dx > slack && dy > slack
            })?;
            Some(format!(
                "{:?} {:?} crossed by a line at {hit:?}",
                p.text, p.rect
            ))
        })
        .collect()
}

/// Pairs of strings whose boxes overlap by more than `slack` pixels in both directions.
pub(super) fn overlaps(placed: &[Placed], slack: i32) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in placed.iter().enumerate() {
        for b in &placed[i + 1..] {
            let dx = a.rect.x1.min(b.rect.x1) - a.rect.x0.max(b.rect.x0);
            let dy = a.rect.y1.min(b.rect.y1) - a.rect.y0.max(b.rect.y0);
            if dx > slack && dy > slack {
                out.push(format!(
                    "{:?} {:?} overlaps {:?} {:?}",
                    a.text, a.rect, b.text, b.rect
                ));
            }
        }
    }
    out
}

/// Strings that reach outside a `w` × `h` canvas.
pub(super) fn outside(placed: &[Placed], (w, h): (u32, u32)) -> Vec<String> {
    placed
        .iter()
        .filter(|p| p.rect.x0 < 0 || p.rect.y0 < 0 || p.rect.x1 > w as i32 || p.rect.y1 > h as i32)
        .map(|p| format!("{:?} {:?}", p.text, p.rect))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::plots::register_fonts;

    #[test]
    fn boxes_follow_anchors_and_overlaps_are_found() {
        register_fonts().expect("fonts");
        let svg = r#"<svg><text x="100" y="50" dy="0.5ex" text-anchor="end" font-family="DejaVu Sans" font-size="12.9">Hello &amp; bye</text>
<text x="90" y="52" dy="0.5ex" text-anchor="start" font-family="DejaVu Sans" font-size="12.9">world</text>
<text x="300" y="52" dy="0.5ex" text-anchor="middle" font-family="DejaVu Sans" font-size="12.9">far</text></svg>"#;
        let t = texts(svg);
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].text, "Hello & bye");
        assert_eq!(t[0].rect.x1, 100);
        assert!(t[0].rect.x0 < 30, "{:?}", t[0].rect);
        let o = overlaps(&t, 1);
        assert_eq!(o.len(), 1, "{o:?}");
        assert!(o[0].contains("world"));
        assert!(outside(&t, (200, 100)).len() == 1);
    }
}
