//! The systems, one file per phase, and the order they run in.

pub mod channels;
pub mod clock;
pub mod doctrine;
pub mod escalation;
pub mod forensics;
pub mod params;
pub mod planning;
pub mod response;
pub mod strategy;

use crate::model::*;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel, SingleThreadedExecutor};

/// The phases of one step (one event day), in order.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Jump to the next event day.
    Clock,
    /// Public attributions: perception of intent, doctrine, channel consulted.
    Attribution,
    /// Channel answers arrive.
    Answers,
    /// Responses are carried out; the other side answers.
    Responses,
    /// Trust: dialogue rounds, exposed lies, then annual reviews of agreements.
    Trust,
}

/// Label of the per-event-day schedule.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Step;

/// Label of the per-replicate setup schedule.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Setup;

fn settings(ambiguity: LogLevel) -> ScheduleBuildSettings {
    ScheduleBuildSettings {
        ambiguity_detection: ambiguity,
        ..Default::default()
    }
}

/// The step schedule: every system in an explicitly ordered phase.
pub fn step_schedule(ambiguity: LogLevel) -> Schedule {
    let mut s = Schedule::new(Step);
    s.set_executor(SingleThreadedExecutor::new());
    s.set_build_settings(settings(ambiguity));
    s.configure_sets(
        (
            Phase::Clock,
            Phase::Attribution,
            Phase::Answers,
            Phase::Responses,
            Phase::Trust,
        )
            .chain(),
    );
    // Each system runs only when it has events due: the cost of a step follows its events.
    s.add_systems((
        clock::advance_clock.in_set(Phase::Clock),
        response::respond_to_incidents
            .run_if(|d: Res<Due>| !d.attributed.is_empty())
            .in_set(Phase::Attribution),
        response::hear_channel_answers
            .run_if(|d: Res<Due>| !d.answers.is_empty())
            .in_set(Phase::Answers),
        escalation::carry_out_responses
            .run_if(|d: Res<Due>| !d.responses.is_empty())
            .in_set(Phase::Responses),
        escalation::adjust_trust
            .run_if(|d: Res<Due>| {
                !d.rounds.is_empty() || !d.lies.is_empty() || !d.reviews.is_empty()
            })
            .in_set(Phase::Trust),
    ));
    s
}

/// The setup schedule: draw the replicate's candidate operations (only when the replicate changes:
/// every arm reads the same plan), decide which of them happen in the arm, then schedule dialogue
/// rounds.
pub fn setup_schedule(ambiguity: LogLevel) -> Schedule {
    let mut s = Schedule::new(Setup);
    s.set_executor(SingleThreadedExecutor::new());
    s.set_build_settings(settings(ambiguity));
    s.add_systems(
        (
            planning::draw_candidates.run_if(planning::plan_is_stale),
            planning::plan_operations,
            planning::schedule_dialogues,
        )
            .chain(),
    );
    s
}
