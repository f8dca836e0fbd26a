//! Plain prompts: the decision shown as text, the choice read as one line. Works on a terminal and
//! with stdin piped (a scripted game: one choice per line).

use super::view::{choice_label, parse_choice, render};
use crate::demo::text::paint;
use crate::model::seat::{Choice, Decider, SeatView};
use crate::scenario::compile::Compiled;
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};

/// Where the choices come from.
pub enum Source {
    /// Typed on a terminal: a bad choice is explained and asked again.
    Terminal(Box<dyn BufRead + Send + Sync>),
    /// A script, one choice per line (`name` in messages): a bad choice or a missing line ends
    /// the game with an error naming the line.
    Script(Box<dyn BufRead + Send + Sync>, String),
    /// The choices of a saved game, replayed in order (`name` in messages).
    Replay(Vec<Choice>, String),
}

/// The first problem a game met (a bad line, a script too short, a replay that does not fit):
/// the game then goes on with the doctrine's choices, silently, and the caller reports it.
pub type Failure = Arc<Mutex<Option<String>>>;

/// A decider that shows each decision and reads the choice.
pub struct Prompter {
    params: Arc<Compiled>,
    source: Source,
    out: Box<dyn Write + Send + Sync>,
    /// Lines read (the line number of the last one) or choices replayed.
    read: usize,
    failure: Failure,
    /// ANSI colour for the headings and the choice.
    color: bool,
}

impl Prompter {
    /// A prompter reading from `source` and writing to `out`; the returned handle holds the first
    /// failure, if any.
    pub fn new(
        params: Arc<Compiled>,
        source: Source,
        out: Box<dyn Write + Send + Sync>,
        color: bool,
    ) -> (Prompter, Failure) {
        let failure: Failure = Arc::new(Mutex::new(None));
        (
            Prompter {
                params,
                source,
                out,
                read: 0,
                failure: failure.clone(),
                color,
            },
            failure,
        )
    }

    fn fail(&mut self, message: String) {
        let mut f = self.failure.lock().unwrap_or_else(|e| e.into_inner());
        f.get_or_insert(message);
    }

    fn failed(&self) -> bool {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// The next choice, or None after recording why there is none.
    fn next_choice(
        &mut self,
        view: &SeatView,
        options: &[Choice],
        doctrine: Choice,
    ) -> std::io::Result<Option<Choice>> {
        let p = self.params.clone();
        loop {
            match &mut self.source {
                Source::Replay(choices, name) => {
                    let name = name.clone();
                    let Some(c) = choices.get(self.read).copied() else {
                        self.fail(format!(
                            "{name} holds {} decisions; the game asks for another on day {}",
                            self.read, view.day
                        ));
                        return Ok(None);
                    };
                    self.read += 1;
                    if !options.contains(&c) {
                        self.fail(format!(
                            "{name}: decision {} ({}) is not an option on day {}",
                            self.read,
                            choice_label(&p, c),
                            view.day
                        ));
                        return Ok(None);
                    }
                    return Ok(Some(c));
                }
                Source::Script(input, name) => {
                    let name = name.clone();
                    let mut line = String::new();
                    if input.read_line(&mut line)? == 0 {
                        self.fail(format!(
                            "{name} ended after line {}, before the decision on day {}: give one choice per line to the end of the game",
                            self.read, view.day
                        ));
                        return Ok(None);
                    }
                    self.read += 1;
                    return match parse_choice(&p, &line, options, doctrine) {
                        Ok(c) => Ok(Some(c)),
                        Err(e) => {
                            self.fail(format!("{name}, line {}: {e}", self.read));
                            Ok(None)
                        }
                    };
                }
                Source::Terminal(input) => {
                    let mut line = String::new();
                    if input.read_line(&mut line)? == 0 {
                        self.fail(format!(
                            "input ended before the decision on day {}",
                            view.day
                        ));
                        return Ok(None);
                    }
                    self.read += 1;
                    match parse_choice(&p, &line, options, doctrine) {
                        Ok(c) => return Ok(Some(c)),
                        Err(e) => {
                            write!(self.out, "{e}. Your choice? ")?;
                            self.out.flush()?;
                        }
                    }
                }
            }
        }
    }

    fn show(
        &mut self,
        view: &SeatView,
        options: &[Choice],
        doctrine: Choice,
    ) -> std::io::Result<Option<Choice>> {
        for (i, l) in render(&self.params, view, options, doctrine)
            .into_iter()
            .enumerate()
        {
            // The heading stands out; the rest is plain.
            writeln!(self.out, "{}", paint(self.color && i == 0, "1;36", &l))?;
        }
        write!(self.out, "Your choice? ")?;
        self.out.flush()?;
        let chosen = self.next_choice(view, options, doctrine)?;
        if let Some(c) = chosen {
            let typed = matches!(self.source, Source::Terminal(_));
            // A terminal has echoed the typed line; a script or a replay has not.
            if !typed {
                writeln!(self.out)?;
            }
            let note = if c == doctrine {
                " (as your doctrine would)"
            } else {
                ""
            };
            let chosen = format!("You choose {}{note}.", choice_label(&self.params, c));
            writeln!(self.out, "{}\n", paint(self.color, "1", &chosen))?;
        }
        Ok(chosen)
    }
}

impl Decider for Prompter {
    fn decide(&mut self, view: &SeatView, options: &[Choice], doctrine: &Choice) -> Choice {
        if self.failed() {
            return *doctrine;
        }
        match self.show(view, options, *doctrine) {
            Ok(Some(c)) => c,
            Ok(None) => *doctrine,
            Err(e) => {
                self.fail(format!("cannot prompt: {e}"));
                *doctrine
            }
        }
    }
}
