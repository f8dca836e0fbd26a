//! Strategic operations (MODEL.md §7, "Strategic operations"): the signs of deterrence with imperfect
//! attribution (Baliga, Bueno de Mesquita and Wolitzky 2020), each shown on the default scenario
//! with a fixed seed.
//!
//! What is counted: the candidate operations a sponsor holds back (`Event::Deterred`). The arms of
//! a comparison draw the same candidates (common random numbers: the candidate stream of a source
//! depends only on the seed, the replicate and the source's own rate), so a sponsor's attacks are
//! its candidates minus what it holds back, and more attacks is exactly fewer held back.
//!
//! The bands: for paired replicates r = 1..R, with D_r the difference in held-back candidates, the
//! mean of D is asymptotically normal with standard error s_D/√R (s_D the sample standard
//! deviation). "More attacks" is asserted as mean(D) > 4·SE, which fails by chance with probability
//! about 3·10⁻⁵ when the effect is real and large enough to matter, and always fails when the
//! mechanism is off (D ≡ 0) or its sign is flipped (mean(D) < 0).

mod common;

use common::*;
use escalate::model::Deception;
use escalate::model::event_log::Event;
use escalate::scenario::Scenario;
use escalate::sim::Simulator;
use std::sync::Arc;

const SEED: u64 = 2016;
const REPLICATES: u64 = 1500;
const US: usize = 0;
const RUS: usize = 1;
const PRK: usize = 2;

/// Per replicate of the baseline arm: candidates `sponsor` held back, and honest misattributions by
/// the US (public blame of a state that did not order the operation, from noisy evidence).
fn per_replicate(s: &Scenario, sponsor: usize) -> Vec<(f64, f64)> {
    let p = Arc::new(compile(s));
    let mut sim = Simulator::new(p);
    (0..REPLICATES)
        .map(|r| {
            let (_, log) = sim.run_logged(SEED, r, 0);
            let mut deterred = 0.0;
            let mut honest = 0.0;
            let mut truth = std::collections::HashMap::new();
            for e in &log.entries {
                match &e.event {
                    Event::Deterred { op, .. } if op.sponsor == Some(sponsor) => deterred += 1.0,
                    Event::Launched { op, .. } => {
                        truth.insert(op.key, (op.sponsor, op.victim));
                    }
                    Event::Attributed {
                        op,
                        blamed,
                        deception: Deception::HonestError,
                        ..
                    } if truth
                        .get(op)
                        .is_some_and(|&(sp, v)| v == US && sp != Some(*blamed)) =>
                    {
                        honest += 1.0
                    }
                    _ => {}
                }
            }
            (deterred, honest)
        })
        .collect()
}

/// Mean and standard error of the mean of `d`.
fn mean_se(d: &[f64]) -> (f64, f64) {
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Paired differences `a − b` of the first (`pick` 0) or second member of each replicate's pair.
fn diff(a: &[(f64, f64)], b: &[(f64, f64)], pick: usize) -> Vec<f64> {
    let get = |x: &(f64, f64)| if pick == 0 { x.0 } else { x.1 };
    a.iter().zip(b).map(|(x, y)| get(x) - get(y)).collect()
}

fn assert_positive(d: &[f64], what: &str) {
    let (mean, se) = mean_se(d);
    assert!(
        mean > 4.0 * se,
        "{what}: mean paired difference {mean:.4}, standard error {se:.4}"
    );
}

fn with_us_skill(skill: f64) -> Scenario {
    let mut s = default_scenario();
    s.states[US].attribution.skill = skill;
    s
}

#[test]
fn noisier_attribution_brings_more_attacks() {
    // Russia holds back more of its candidates against a sharp US than against a noisy one.
    let sharp = per_replicate(&with_us_skill(1.0), RUS);
    let noisy = per_replicate(&with_us_skill(0.1), RUS);
    assert_positive(&diff(&sharp, &noisy, 0), "held back, sharp − noisy");
    // The same holds for North Korea, a rarely suspected attacker.
    let sharp = per_replicate(&with_us_skill(1.0), PRK);
    let noisy = per_replicate(&with_us_skill(0.1), PRK);
    assert_positive(
        &diff(&sharp, &noisy, 0),
        "North Korea held back, sharp − noisy",
    );
}

/// The default scenario with perfect US attribution: skill 1, no forensic noise, nothing deniable.
fn perfect(mut s: Scenario) -> Scenario {
    s.states[US].attribution.skill = 1.0;
    s.states[US].attribution.forensic_noise = 0.0;
    for p in &mut s.proxies {
        p.deniability = 0.0;
    }
    for i in &mut s.independents {
        i.deniability = 0.0;
    }
    // A mercenary's evidence is uninformative with its deniability, and its reused tools are seen
    // through at skill 1 like any deception.
    for m in &mut s.mercenaries {
        m.deniability = 0.0;
    }
    s
}

/// The default scenario with North Korea's campaign against the US three times as intense.
fn aggressive_north_korea(mut s: Scenario) -> Scenario {
    let c = s
        .campaigns
        .iter_mut()
        .find(|c| c.sponsor == "PRK" && c.executor.is_none())
        .expect("the default scenario has a campaign North Korea runs itself");
    c.rate_per_year *= 3.0;
    s
}

#[test]
fn one_attackers_aggression_raises_anothers_only_when_attribution_is_noisy() {
    // Noisy (the default): North Korean operations misread as Russian ones mean Russia is blamed
    // anyway more often, and analysts who know North Korea is busier suspect Russia less when the
    // evidence is unclear (the prior); both make each Russian operation cost less at the margin.
    // (Flipping the sign of the first route alone leaves this passing through the second; the
    // false-alarm test below isolates the first.)
    let calm = per_replicate(&default_scenario(), RUS);
    let tense = per_replicate(&aggressive_north_korea(default_scenario()), RUS);
    assert_positive(&diff(&calm, &tense, 0), "Russia held back, calm − tense");
    // Perfect: nobody else's operation is ever blamed on Russia, so its choices do not change at
    // all, replicate by replicate (its candidates and their uniforms are the same draws).
    let calm = per_replicate(&perfect(default_scenario()), RUS);
    let tense = per_replicate(&perfect(aggressive_north_korea(default_scenario())), RUS);
    assert!(
        calm.iter().map(|x| x.0).sum::<f64>() > 0.0,
        "deterrence acts"
    );
    assert_eq!(
        calm.iter().map(|x| x.0).collect::<Vec<_>>(),
        tense.iter().map(|x| x.0).collect::<Vec<_>>()
    );
}

#[test]
fn fewer_false_alarms_never_bring_more_attacks() {
    // A false alarm: Russia blamed for a criminal gang's work (mimicry). Without it Russia is
    // blamed anyway less often, so it holds back at least as many candidates in every replicate
    // (the same uniforms against acceptances that are all lower), and more on average.
    let alarms = per_replicate(&default_scenario(), RUS);
    let mut s = default_scenario();
    for i in &mut s.independents {
        i.mimicry = 0.0;
    }
    let fewer = per_replicate(&s, RUS);
    for (r, (a, f)) in alarms.iter().zip(&fewer).enumerate() {
        assert!(
            f.0 >= a.0,
            "replicate {r}: {} held back with fewer false alarms, {} with more",
            f.0,
            a.0
        );
    }
    assert_positive(
        &diff(&fewer, &alarms, 0),
        "held back, fewer − more false alarms",
    );
}

#[test]
fn honest_misattribution_falls_as_attribution_skill_rises() {
    // Honest misattributions need no deceiver: noisy evidence read through the prior. They fall
    // from skill 0.1 to 0.6 to 1.0 (where only deniable executors' evidence is still uninformative).
    let low = per_replicate(&with_us_skill(0.1), RUS);
    let mid = per_replicate(&with_us_skill(0.6), RUS);
    let high = per_replicate(&with_us_skill(1.0), RUS);
    assert_positive(
        &diff(&low, &mid, 1),
        "honest misattributions, skill 0.1 − 0.6",
    );
    assert_positive(
        &diff(&mid, &high, 1),
        "honest misattributions, skill 0.6 − 1.0",
    );
    // With no forensic noise and nothing deniable, there are none at all.
    let none = per_replicate(&perfect(default_scenario()), RUS);
    assert_eq!(none.iter().map(|x| x.1).sum::<f64>(), 0.0);
}

#[test]
fn held_back_candidates_follow_the_equilibrium_acceptance() {
    // Russia's own campaign (source 0) draws Poisson(λ·H) candidates and keeps each with its
    // acceptance, whose mean over the candidates' attributes is the equilibrium rate A of
    // `Expectations`. So the candidates held back are Poisson(λ·H·(1 − A)) per run; the mean of R
    // runs has standard deviation sqrt(λ·H·(1 − A)/R), and a 4.5 sd band fails about once in
    // 150 000.
    use escalate::systems::forensics::Priors;
    use escalate::systems::strategy::Expectations;
    let s = default_scenario();
    let p = compile(&s);
    let e = Expectations::of(&p, &Priors::of(&p), &p.arms[0].active);
    let a = e.acceptance[0];
    assert!(
        a > 0.5 && a < 0.95,
        "deterrence bites but does not stop Russia: {a}"
    );
    let expected = p.sources[0].rate_per_day * f64::from(s.horizon_days) * (1.0 - a);
    let runs = per_replicate(&s, RUS);
    // Every Russian candidate held back is counted, from Russia's other sources too (the hired
    // criminals', the proxy's): add them with their own equilibrium rates.
    let rus = p
        .states
        .iter()
        .position(|st| st.name == "RUS")
        .expect("RUS");
    let proxy: f64 = (1..p.sources.len())
        .filter(|&k| p.sources[k].sponsor == Some(rus))
        .map(|k| p.sources[k].rate_per_day * f64::from(s.horizon_days) * (1.0 - e.acceptance[k]))
        .sum();
    let mean = runs.iter().map(|x| x.0).sum::<f64>() / runs.len() as f64;
    let sd = ((expected + proxy) / runs.len() as f64).sqrt();
    assert!(
        (mean - expected - proxy).abs() < 4.5 * sd,
        "held back per run {mean:.3}, expected {:.3} ± {:.3}",
        expected + proxy,
        4.5 * sd
    );
}
