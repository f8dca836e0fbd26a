//! `--find`: search seeds for a run whose two arms show a named contrast.
//!
//! Seed `s` means master seed `s`, replicate 0 (the run `escalate demo --seed s` narrates). The search
//! runs on rayon and returns the smallest seed that shows the contrast, whatever the thread count.

use crate::model::Trigger;
use crate::outcome::Outcome;
use crate::scenario::compile::Compiled;
use crate::sim::Simulator;
use rayon::prelude::*;
use std::sync::Arc;

/// A contrast between a baseline arm (A) and a compared arm (B) of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contrast {
    /// Armed conflict in A, none in B.
    KineticWithoutChannelsOnly,
    /// A crisis in A, none in B.
    CrisisWithoutChannelsOnly,
    /// A misattribution in A, and in B a channel corrected one.
    MisattributionCorrected,
    /// In A a freelancing proxy's operation was answered, and the run reached a crisis.
    ProxyFreelanceCrisis,
    /// In A a mercenary's operation was blamed on the wrong state and answered, and the run reached
    /// a crisis.
    MercenaryMisattributedCrisis,
    /// As mercenary-misattributed-crisis, and B stays below the crisis rung: the demo's default story.
    MercenaryCrisisAverted,
    /// In A a false flag was answered, and the run reached a crisis.
    FalseFlagCrisis,
}

impl Contrast {
    /// Every contrast with its name and a one-line description (for `--help` and errors).
    pub const ALL: [(Contrast, &'static str, &'static str); 7] = [
        (
            Contrast::KineticWithoutChannelsOnly,
            "kinetic-without-channels-only",
            "armed conflict in the baseline arm, none in the other",
        ),
        (
            Contrast::CrisisWithoutChannelsOnly,
            "crisis-without-channels-only",
            "a crisis in the baseline arm, none in the other",
        ),
        (
            Contrast::MisattributionCorrected,
            "misattribution-corrected",
            "a misattribution in the baseline arm; a channel corrects one in the other",
        ),
        (
            Contrast::ProxyFreelanceCrisis,
            "proxy-freelance-crisis",
            "a freelancing proxy's operation is answered and the baseline arm reaches a crisis",
        ),
        (
            Contrast::MercenaryMisattributedCrisis,
            "mercenary-misattributed-crisis",
            "a mercenary's operation is blamed on the wrong state and answered, and the baseline arm reaches a crisis",
        ),
        (
            Contrast::MercenaryCrisisAverted,
            "mercenary-crisis-averted",
            "as mercenary-misattributed-crisis, and the other arm stays below the crisis rung",
        ),
        (
            Contrast::FalseFlagCrisis,
            "false-flag-crisis",
            "a false flag is answered and the baseline arm reaches a crisis",
        ),
    ];

    /// The contrast of a name.
    pub fn from_name(name: &str) -> Option<Contrast> {
        Self::ALL.iter().find(|c| c.1 == name).map(|c| c.0)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|c| c.0 == self).map_or("", |c| c.1)
    }

    /// Whether the outcomes of the baseline arm `a` and the compared arm `b` show it.
    pub fn shown_by(self, a: &Outcome, b: &Outcome) -> bool {
        let by = |o: &Outcome, t: Trigger| o.responses_by_trigger[t as usize] > 0;
        match self {
            Contrast::KineticWithoutChannelsOnly => a.kinetic() && !b.kinetic(),
            Contrast::CrisisWithoutChannelsOnly => a.crisis() && !b.crisis(),
            Contrast::MisattributionCorrected => a.misattributions > 0 && b.corrections > 0,
            Contrast::ProxyFreelanceCrisis => a.crisis() && by(a, Trigger::FreelancingProxy),
            Contrast::MercenaryMisattributedCrisis => a.crisis() && by(a, Trigger::Mercenary),
            Contrast::MercenaryCrisisAverted => {
                a.crisis() && by(a, Trigger::Mercenary) && !b.crisis()
            }
            Contrast::FalseFlagCrisis => a.crisis() && by(a, Trigger::FalseFlag),
        }
    }
}

/// The smallest seed in `1..=max_seeds` whose run shows `contrast` between arms `a` and `b`.
pub fn find_seed(
    params: &Arc<Compiled>,
    contrast: Contrast,
    a: usize,
    b: usize,
    max_seeds: u64,
) -> Option<u64> {
    let last = usize::try_from(max_seeds).unwrap_or(usize::MAX - 1);
    (1..last + 1)
        .into_par_iter()
        .with_min_len(64)
        .map_init(
            || Simulator::new(params.clone()),
            |sim, seed| {
                let seed = seed as u64;
                let oa = sim.run(seed, 0, a).outcome;
                let ob = sim.run(seed, 0, b).outcome;
                contrast.shown_by(&oa, &ob).then_some(seed)
            },
        )
        .find_first(Option::is_some)
        .flatten()
}
