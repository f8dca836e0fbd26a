//! `escalate classroom`: the game of [`crate::play`] in a browser. A local web server holds one
//! room: the facilitator's page (the projector: the ladder of each pair, the events narrated as
//! they happen, the controls, the end screen) and the students' pages (the seat's view only: what
//! that state knows, its options, its doctrine's choice). The simulation stays synchronous and
//! deterministic: the room keeps the list of choices taken and replays it ([`game`]), so the
//! saved decisions replay with `escalate play --replay` to the same transcript ([`transcript`]).

pub mod api;
pub mod assets;
pub mod game;
pub mod room;
pub mod secret;
pub mod server;
pub mod transcript;

use crate::play::record::DecisionFile;
use anyhow::Context;

/// The decision file as `escalate play --save` writes it.
pub fn decision_file_text(file: &DecisionFile) -> anyhow::Result<String> {
    let text =
        ron::ser::to_string_pretty(file, ron::ser::PrettyConfig::default().compact_arrays(true))
            .context("cannot write the decision file")?;
    Ok(format!("{text}\n"))
}
