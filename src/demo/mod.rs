//! The instructor's demo: one replicate narrated event by event, its arms side by side, with
//! scripted injects, a search for seeds that show a contrast, and a timeline picture.
//!
//! The demo reads the model's event log ([`crate::model::event_log`]), recorded only when the demo
//! asks for it; the Monte Carlo path does not record it.

pub mod find;
pub mod inject;
pub mod narrate;
pub mod text;
pub mod words;

use crate::scenario::compile::Compiled;

/// The scenario `escalate demo` narrates when none is given: the classroom scenario.
pub const DEMO_SCENARIO: &str = include_str!("../../scenarios/classroom.ron");
/// Name shown for it in messages.
pub const DEMO_SCENARIO_LABEL: &str = "scenarios/classroom.ron (built in)";

/// An arm name as a slug (defined with the scenario, whose validation refuses two arms with one).
pub use crate::scenario::text::slug;

/// The arm named `wanted` (its exact name or its slug), or an error listing the valid ones.
pub fn arm_by_name(p: &Compiled, wanted: &str) -> Result<usize, String> {
    p.arms
        .iter()
        .position(|a| a.name == wanted || slug(&a.name) == slug(wanted))
        .ok_or_else(|| {
            format!(
                "no arm \"{wanted}\"; valid arms: {}",
                p.arms
                    .iter()
                    .map(|a| format!("{} (\"{}\")", slug(&a.name), a.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("with channels"), "with-channels");
        assert_eq!(
            slug("Hostland-Vostria hotline only"),
            "hostland-vostria-hotline-only"
        );
        assert_eq!(slug("CERT link only"), "cert-link-only");
    }
}
