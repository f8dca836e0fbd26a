//! `escalate demo --picture DIR`: the timeline picture of the narrated run (PNG, SVG, and GIF with
//! `--gif`), from the runs' event logs.

use crate::demo::narrate::{ArmStory, Narration};
use crate::error::InputError;
use crate::model::event_log::Event;
use crate::report::plots::{DemoPicture, DemoTrack, demo_png, demo_svg};
use crate::scenario::compile::Compiled;
use anyhow::Context;
use std::path::Path;

/// The picture of a narrated run.
pub fn picture(p: &Compiled, seed: u64, stories: &[ArmStory], story: &Narration) -> DemoPicture {
    let short = |s: usize| p.states[s].name.clone();
    let tracks = stories
        .iter()
        .map(|a| {
            let mut runs: Vec<(u32, u8)> = vec![(0, 0)];
            let mut marks = Vec::new();
            let mut peak = 0;
            for e in &a.entries {
                if runs.last().is_some_and(|r| r.1 != e.rung) {
                    runs.push((e.day, e.rung));
                }
                match &e.event {
                    Event::Responded {
                        actor,
                        against,
                        rung,
                        wrongful,
                        ..
                    } => {
                        // Label new heights only; the other responses are dots.
                        let label = if *rung > peak {
                            peak = *rung;
                            format!(
                                "{}→{}: {}{}",
                                short(*actor),
                                short(*against),
                                p.scenario.ladder.rungs[*rung as usize].name,
                                if *wrongful { " (wrong state)" } else { "" }
                            )
                        } else {
                            String::new()
                        };
                        marks.push((e.day, e.rung, label));
                    }
                    Event::Answered {
                        after: 0, actor, ..
                    } => marks.push((e.day, e.rung, format!("{} stands down", short(*actor)))),
                    Event::EvidenceShared {
                        convinced: true,
                        accused,
                        ..
                    } => marks.push((
                        e.day,
                        e.rung,
                        format!("CERT/hotline clears {}", short(*accused)),
                    )),
                    Event::Launched { op, .. } if op.injected => {
                        marks.push((e.day, e.rung, "inject".to_string()))
                    }
                    _ => {}
                }
            }
            // The runs from the event log miss decays between events: take the exact timeline.
            let exact = &a.result.incidents.timeline;
            DemoTrack {
                name: a.name.clone(),
                runs: if exact.is_empty() {
                    runs
                } else {
                    exact.clone()
                },
                marks,
            }
        })
        .collect();
    DemoPicture {
        title: format!("One run of \"{}\", seed {seed}: the same world, one switch flipped", p.scenario.name),
        subtitle: "The current rung (highest over pairs of states) day by day in each arm; dots mark responses, labels new heights".into(),
        rungs: p.scenario.ladder.rungs.iter().map(|r| r.name.clone()).collect(),
        crisis_rung: p.crisis_rung,
        horizon: p.scenario.horizon_days,
        tracks,
        divergence: story.divergence_day.map(|d| (d, format!("day {d}: the arms part"))),
        footer: format!("escalate {}; scenario {}, seed {seed} (replicate 0); escalate demo --seed {seed} replays it", env!("CARGO_PKG_VERSION"), p.scenario.name),
    }
}

/// Writes demo_timeline.png and .svg (and .gif) into `dir`, refusing to overwrite without `force`.
pub fn write(
    dir: &Path,
    p: &Compiled,
    seed: u64,
    stories: &[ArmStory],
    story: &Narration,
    gif: bool,
    force: bool,
) -> anyhow::Result<()> {
    let mut files = vec!["demo_timeline.png", "demo_timeline.svg"];
    if gif {
        files.push("demo_timeline.gif");
    }
    if !force {
        for f in &files {
            let path = dir.join(f);
            if path.exists() {
                return Err(InputError::Flag {
                    flag: "--picture".into(),
                    message: format!(
                        "{} already exists; choose another folder or pass --force to replace it",
                        path.display()
                    ),
                }
                .into());
            }
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let pic = picture(p, seed, stories, story);
    demo_png(&pic, &dir.join("demo_timeline.png"))?;
    let svg = demo_svg(&pic)?;
    std::fs::write(dir.join("demo_timeline.svg"), svg)
        .with_context(|| format!("cannot write {}", dir.join("demo_timeline.svg").display()))?;
    #[cfg(feature = "gif")]
    if gif {
        crate::report::plots::demo_gif(&pic, &dir.join("demo_timeline.gif"), 36)?;
    }
    Ok(())
}
