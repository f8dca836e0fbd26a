//! `--find`: search seeds for a run whose two arms show a named contrast.
//!
//! Seed `s` means master seed `s`, replicate 0 (the run `escalate demo --seed s` narrates). The search
//! runs on the Monte Carlo engine and returns the smallest seed that shows the contrast, whatever the
//! thread count.

use crate::model::Trigger;
use crate::montecarlo::engine::{BLOCK, Engine, Flow, Interrupted, Meter, Plan, Work};
use crate::outcome::Outcome;
use crate::scenario::compile::Compiled;
use crate::sim::Simulator;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

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

/// Seeds `first..end` to try.
#[derive(Debug, Clone, Copy)]
struct Seeds {
    first: u64,
    end: u64,
}

/// Tries seeds in blocks; each worker keeps its simulator.
struct FindWork<'a> {
    params: &'a Arc<Compiled>,
    cancel: Option<Arc<AtomicBool>>,
    contrast: Contrast,
    a: usize,
    b: usize,
}

impl Work for FindWork<'_> {
    type Task = Seeds;
    type Output = Option<u64>;
    type Worker = Simulator;

    fn worker(&self) -> Simulator {
        Simulator::new(self.params.clone())
    }

    fn simulate(&self, sim: &mut Simulator, s: &Seeds) -> anyhow::Result<Option<u64>> {
        let cancel = self.cancel.as_deref();
        for seed in s.first..s.end {
            let oa = sim.run_cancellable(seed, 0, self.a, cancel);
            let ob = sim.run_cancellable(seed, 0, self.b, cancel);
            let (Some(oa), Some(ob)) = (oa, ob) else {
                return Err(Interrupted.into());
            };
            if self.contrast.shown_by(&oa.outcome, &ob.outcome) {
                return Ok(Some(seed));
            }
        }
        Ok(None)
    }
}

/// Plans seeds in order and stops at the first block that holds one: blocks are merged in order,
/// so that is the smallest seed, whatever the thread count.
struct FindPlan {
    next: u64,
    end: u64,
    tried: u64,
    found: Option<u64>,
}

impl Plan for FindPlan {
    type Task = Seeds;
    type Output = Option<u64>;

    fn next_task(&mut self) -> anyhow::Result<Option<Seeds>> {
        Ok((self.next < self.end).then(|| {
            let s = Seeds {
                first: self.next,
                end: self.next.saturating_add(BLOCK).min(self.end),
            };
            self.next = s.end;
            s
        }))
    }

    fn merge(&mut self, s: Seeds, found: Option<u64>) -> anyhow::Result<Flow> {
        self.tried = s.end - 1;
        self.found = found;
        Ok(if found.is_some() {
            Flow::Stop
        } else {
            Flow::Continue
        })
    }

    fn progress(&self) -> (u64, u64) {
        (self.tried, 2 * self.tried)
    }
}

/// The smallest seed in `1..=max_seeds` whose run shows `contrast` between arms `a` and `b`.
pub fn find_seed(
    engine: &Engine,
    params: &Arc<Compiled>,
    contrast: Contrast,
    a: usize,
    b: usize,
    max_seeds: u64,
) -> anyhow::Result<Option<u64>> {
    let mut plan = FindPlan {
        next: 1,
        end: max_seeds.saturating_add(1),
        tried: 0,
        found: None,
    };
    let work = FindWork {
        params,
        cancel: engine.cancel_flag(),
        contrast,
        a,
        b,
    };
    engine.run(
        &mut plan,
        &work,
        Meter {
            total: max_seeds,
            unit: "seeds",
        },
    )?;
    Ok(plan.found)
}
