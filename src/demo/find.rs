//! `--find`: search seeds for a run whose two arms show a named contrast.
//!
//! Seed `s` means master seed `s`, replicate 0 (the run `escalate demo --seed s` narrates). The search
//! runs on the Monte Carlo engine and returns the smallest seeds that show the contrast, whatever the
//! thread count. Before searching, [`Contrast::impossible`] says when the scenario itself rules the
//! contrast out; after a search that found nothing, [`Found::baseline`] says whether the baseline
//! arm's half of it ever happened.

use crate::model::Trigger;
use crate::montecarlo::engine::{BLOCK, Engine, Flow, Interrupted, Meter, Plan, Work};
use crate::outcome::Outcome;
use crate::scenario::compile::{Compiled, ExecutorRole, SourceKind};
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

    /// Whether the baseline arm's outcome `a` shows its half of the contrast.
    pub fn baseline(self, a: &Outcome) -> bool {
        let by = |o: &Outcome, t: Trigger| o.responses_by_trigger[t as usize] > 0;
        match self {
            Contrast::KineticWithoutChannelsOnly => a.kinetic(),
            Contrast::CrisisWithoutChannelsOnly => a.crisis(),
            Contrast::MisattributionCorrected => a.misattributions > 0,
            Contrast::ProxyFreelanceCrisis => a.crisis() && by(a, Trigger::FreelancingProxy),
            Contrast::MercenaryMisattributedCrisis | Contrast::MercenaryCrisisAverted => {
                a.crisis() && by(a, Trigger::Mercenary)
            }
            Contrast::FalseFlagCrisis => a.crisis() && by(a, Trigger::FalseFlag),
        }
    }

    /// The baseline arm's half, in words.
    pub fn baseline_words(self) -> &'static str {
        match self {
            Contrast::KineticWithoutChannelsOnly => "armed conflict",
            Contrast::CrisisWithoutChannelsOnly => "a crisis",
            Contrast::MisattributionCorrected => "a misattribution",
            Contrast::ProxyFreelanceCrisis => "a crisis after a freelancing proxy's operation",
            Contrast::MercenaryMisattributedCrisis | Contrast::MercenaryCrisisAverted => {
                "a crisis after a mercenary's operation blamed on the wrong state"
            }
            Contrast::FalseFlagCrisis => "a crisis after a false flag",
        }
    }

    /// The compared arm's half, in words (None: the contrast asks nothing of it).
    pub fn other_words(self) -> Option<&'static str> {
        match self {
            Contrast::KineticWithoutChannelsOnly => Some("stays out of armed conflict"),
            Contrast::CrisisWithoutChannelsOnly | Contrast::MercenaryCrisisAverted => {
                Some("stays below the crisis rung")
            }
            Contrast::MisattributionCorrected => Some("corrects a misattribution over a channel"),
            _ => None,
        }
    }

    /// Why the scenario cannot show the contrast between arms `a` and `b`, when that follows from
    /// the scenario itself (None: it may; only a search can tell).
    pub fn impossible(self, p: &Compiled, a: usize, b: usize) -> Option<String> {
        if self.other_words().is_some() && p.arms[a].active == p.arms[b].active {
            return Some(format!(
                "the arms \"{}\" and \"{}\" switch on the same measures, so their runs never differ",
                p.arms[a].name, p.arms[b].name
            ));
        }
        let drawn = |s: &crate::scenario::compile::Source| s.rate_per_day > 0.0;
        let injected = |pred: &dyn Fn(&crate::scenario::compile::CompiledInject) -> bool| {
            p.injects.iter().any(pred)
        };
        match self {
            Contrast::KineticWithoutChannelsOnly if p.kinetic_rung.is_none() => {
                Some("its ladder has no kinetic rung".into())
            }
            Contrast::ProxyFreelanceCrisis
                if !p
                    .sources
                    .iter()
                    .any(|s| s.kind == SourceKind::Freelance && drawn(s)) =>
            {
                Some("it has no proxy that acts on its own account".into())
            }
            Contrast::MercenaryMisattributedCrisis | Contrast::MercenaryCrisisAverted => {
                let misleads = |e: usize| {
                    matches!(&p.executors[e].role,
                        ExecutorRole::Mercenary { tool_reuse, .. } if *tool_reuse > 0.0)
                };
                let used = p.sources.iter().any(|s| drawn(s) && misleads(s.executor))
                    || injected(&|i| {
                        p.sources
                            .get(i.source)
                            .is_some_and(|s| misleads(s.executor))
                    });
                (!used).then(|| {
                    "no mercenary in it has reused tools that can point at the wrong state".into()
                })
            }
            Contrast::FalseFlagCrisis => {
                let flags = p
                    .sources
                    .iter()
                    .any(|s| drawn(s) && s.false_flag.is_some_and(|(_, share)| share > 0.0))
                    || injected(&|i| i.false_flag.is_some());
                (!flags).then(|| "no operation in it plants a false flag".into())
            }
            _ => None,
        }
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

/// What a block of seeds showed.
#[derive(Debug, Default)]
struct Block {
    /// Seeds that show the contrast, in order.
    shown: Vec<u64>,
    /// Seeds whose baseline arm shows its half.
    baseline: u64,
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
    type Output = Block;
    type Worker = Simulator;

    fn worker(&self) -> Simulator {
        Simulator::new(self.params.clone())
    }

    fn simulate(&self, sim: &mut Simulator, s: &Seeds) -> anyhow::Result<Block> {
        let cancel = self.cancel.as_deref();
        let mut block = Block::default();
        for seed in s.first..s.end {
            let oa = sim.run_cancellable(seed, 0, self.a, cancel);
            let ob = sim.run_cancellable(seed, 0, self.b, cancel);
            let (Some(oa), Some(ob)) = (oa, ob) else {
                return Err(Interrupted.into());
            };
            block.baseline += u64::from(self.contrast.baseline(&oa.outcome));
            if self.contrast.shown_by(&oa.outcome, &ob.outcome) {
                block.shown.push(seed);
            }
        }
        Ok(block)
    }
}

/// Plans seeds in order and stops at the block that completes the list: blocks are merged in
/// order, so these are the smallest seeds, whatever the thread count.
struct FindPlan {
    next: u64,
    end: u64,
    want: usize,
    found: Found,
}

impl Plan for FindPlan {
    type Task = Seeds;
    type Output = Block;

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

    fn merge(&mut self, s: Seeds, block: Block) -> anyhow::Result<Flow> {
        self.found.tried = s.end - 1;
        self.found.baseline += block.baseline;
        self.found.seeds.extend(block.shown);
        Ok(if self.found.seeds.len() >= self.want {
            self.found.seeds.truncate(self.want);
            Flow::Stop
        } else {
            Flow::Continue
        })
    }

    fn progress(&self) -> (u64, u64) {
        (self.found.tried, 2 * self.found.tried)
    }
}

/// What a search found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// The smallest seeds that show the contrast, in order (at most the number asked for).
    pub seeds: Vec<u64>,
    /// Seeds tried: 1 to `tried`.
    pub tried: u64,
    /// Of those, the seeds whose baseline arm shows its half of the contrast.
    pub baseline: u64,
}

/// The smallest `want` seeds in `1..=max_seeds` whose runs show `contrast` between arms `a` and
/// `b`.
pub fn find_seeds(
    engine: &Engine,
    params: &Arc<Compiled>,
    contrast: Contrast,
    (a, b): (usize, usize),
    max_seeds: u64,
    want: usize,
) -> anyhow::Result<Found> {
    let mut plan = FindPlan {
        next: 1,
        end: max_seeds.saturating_add(1),
        want: want.max(1),
        found: Found::default(),
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

/// The smallest seed in `1..=max_seeds` whose run shows `contrast` between arms `a` and `b`.
pub fn find_seed(
    engine: &Engine,
    params: &Arc<Compiled>,
    contrast: Contrast,
    a: usize,
    b: usize,
    max_seeds: u64,
) -> anyhow::Result<Option<u64>> {
    Ok(find_seeds(engine, params, contrast, (a, b), max_seeds, 1)?
        .seeds
        .first()
        .copied())
}
