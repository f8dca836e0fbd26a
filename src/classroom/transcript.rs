//! The game as `escalate play --replay` prints it: the room's decisions replayed through the same
//! prompts and ending, so a saved classroom game and its replay can be compared byte for byte.

use crate::model::seat::Choice;
use crate::play::Game;
use crate::play::ending::ending;
use crate::play::prompt::{Prompter, Source};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// A writer into a shared buffer (the prompter owns its writer).
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What `escalate play --replay` prints for `choices` on `game`, without colour.
pub fn transcript(game: &Game, choices: &[Choice]) -> String {
    let params = &game.params;
    let buffer = Shared::default();
    let mut out = format!(
        "escalate play: you are {} in {} (arm \"{}\", seed {}).\n\n",
        params.states[game.seat].name, params.scenario.name, params.arms[game.arm].name, game.seed
    );
    let (prompter, _failure) = Prompter::new(
        params.clone(),
        Source::Replay(choices.to_vec(), "the room's decisions".into()),
        Box::new(buffer.clone()),
        false,
    );
    let yours = game.play(Box::new(prompter));
    out += &String::from_utf8_lossy(&buffer.0.lock().unwrap_or_else(|e| e.into_inner()));
    let doctrine = game.doctrine_path();
    out += &format!("The game ends on day {}.\n\n", params.scenario.horizon_days);
    for l in ending(params, game.seat, &yours, &doctrine) {
        out += &l;
        out.push('\n');
    }
    out
}
