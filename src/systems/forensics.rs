//! Forensics: what the technical evidence of a covert operation points at, and what the victim
//! believes from it. Evidence is accurate with a probability set by the victim's skill, its forensic
//! noise and the executor's deniability; uninformative evidence points at a suspect drawn from the
//! victim's prior (the usual suspects), so an operation can be blamed on an innocent state with no
//! deceiver at all. The victim's confidence in the state it blames is its posterior probability.
//! Pure functions, used by planning (the draws) and by strategy (the expectations).

use crate::scenario::compile::{Compiled, SourceKind, StateId};
use crate::units::DAYS_PER_YEAR;

/// A suspect: a state, or `None` for a non-state group (no state blamed).
pub type Suspect = Option<StateId>;

/// Index of a suspect among `n + 1` (the states, then the non-state suspect).
pub fn suspect_index(n: usize, s: Suspect) -> usize {
    s.unwrap_or(n)
}

/// The suspect of index `i` among `n + 1`.
pub fn suspect_at(n: usize, i: usize) -> Suspect {
    (i < n).then_some(i)
}

/// Each victim's prior over suspects: the rate at which each is known to operate against it (a
/// campaign counts for its sponsor, a proxy's freelancing for its patron, whom the record blames,
/// independent groups for the non-state suspect), plus the victim's `prior_floor_per_year` for every
/// suspect other than itself. Built once per scenario.
#[derive(Debug, Clone)]
pub struct Priors {
    n: usize,
    /// `prob[v * (n + 1) + j]`: prior probability of suspect `j` for victim `v` (0 for `j = v`).
    prob: Vec<f64>,
    /// Cumulative form of `prob`, per victim.
    cdf: Vec<f64>,
}

impl Priors {
    /// The priors of every state of a compiled scenario.
    pub fn of(p: &Compiled) -> Priors {
        let n = p.states.len();
        let m = n + 1;
        let mut w = vec![0.0; n * m];
        for src in &p.sources {
            let suspect = match src.kind {
                SourceKind::Campaign => src.sponsor,
                SourceKind::Freelance => p.executors[src.executor].patron,
                SourceKind::Independent => None,
            };
            let per_target = src.rate_per_day * DAYS_PER_YEAR / src.targets.len().max(1) as f64;
            for &v in &src.targets {
                if suspect != Some(v) {
                    w[v * m + suspect_index(n, suspect)] += per_target;
                }
            }
        }
        for v in 0..n {
            let floor = p.states[v].spec.attribution.prior_floor_per_year;
            let row = &mut w[v * m..(v + 1) * m];
            for (j, x) in row.iter_mut().enumerate() {
                if j != v {
                    *x += floor;
                }
            }
            let total: f64 = row.iter().sum();
            for (j, x) in row.iter_mut().enumerate() {
                // With no record and no floor, every other suspect is as likely.
                *x = if total > 0.0 {
                    *x / total
                } else if j != v {
                    1.0 / (m - 1) as f64
                } else {
                    0.0
                };
            }
        }
        let mut cdf = w.clone();
        for row in cdf.chunks_mut(m) {
            let mut acc = 0.0;
            for x in row.iter_mut() {
                acc += *x;
                *x = acc;
            }
        }
        Priors { n, prob: w, cdf }
    }

    /// Victim `v`'s prior over suspects (length `n + 1`).
    pub fn of_victim(&self, v: StateId) -> &[f64] {
        let m = self.n + 1;
        &self.prob[v * m..(v + 1) * m]
    }

    /// The suspect uninformative evidence points at, for victim `v`, from one uniform.
    pub fn lookalike(&self, v: StateId, u: f64) -> Suspect {
        let m = self.n + 1;
        let row = &self.cdf[v * m..(v + 1) * m];
        let total = row[m - 1];
        let i = row.partition_point(|&c| c <= u * total).min(m - 1);
        suspect_at(self.n, i)
    }
}

/// Probability that the evidence of an operation is informative (points where the executor's
/// traces point): `(1 − noise × (1 − skill)) × (1 − deniability)`.
pub fn evidence_accuracy(skill: f64, noise: f64, deniability: f64) -> f64 {
    (1.0 - noise * (1.0 - skill)) * (1.0 - deniability)
}

/// What the victim concludes from evidence pointing at `signal`, evidence accurate with probability
/// `accuracy`, and its `prior` over suspects: the suspect with the highest posterior and that
/// posterior. The posterior of the suspect pointed at is `a + (1 − a)·prior`, of any other
/// `(1 − a)·prior`, since uninformative evidence points at a suspect drawn from the prior.
pub fn read_evidence(prior: &[f64], accuracy: f64, signal: usize) -> (usize, f64) {
    let a = accuracy;
    let pointed = a + (1.0 - a) * prior[signal];
    let (fav, fav_prior) =
        prior
            .iter()
            .copied()
            .enumerate()
            .fold((signal, prior[signal]), |best, (j, x)| {
                if x > best.1 { (j, x) } else { best }
            });
    let other = (1.0 - a) * fav_prior;
    if fav != signal && other > pointed {
        (fav, other)
    } else {
        (signal, pointed)
    }
}

/// The probability, over the evidence, that the victim publicly blames each suspect: the evidence
/// points at suspect `s` with probability `a·apparent[s] + (1 − a)·prior[s]`, and the suspect read
/// from it is blamed publicly when `ceiling × posterior` exceeds `threshold`.
pub fn blame_distribution(
    prior: &[f64],
    accuracy: f64,
    apparent: &[f64],
    ceiling: f64,
    threshold: f64,
) -> Vec<f64> {
    let mut out = vec![0.0; prior.len()];
    for s in 0..prior.len() {
        let p_signal = accuracy * apparent[s] + (1.0 - accuracy) * prior[s];
        if p_signal <= 0.0 {
            continue;
        }
        let (blamed, posterior) = read_evidence(prior, accuracy, s);
        if ceiling * posterior > threshold {
            out[blamed] += p_signal;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};

    #[test]
    fn accuracy_rises_with_skill_and_falls_with_noise_and_deniability() {
        assert_eq!(evidence_accuracy(1.0, 0.7, 0.0), 1.0);
        assert_eq!(evidence_accuracy(0.3, 0.0, 0.0), 1.0);
        assert!((evidence_accuracy(0.0, 0.5, 0.2) - 0.4).abs() < 1e-12);
        for s in 0..10 {
            let (lo, hi) = (s as f64 / 10.0, (s + 1) as f64 / 10.0);
            assert!(evidence_accuracy(lo, 0.4, 0.1) < evidence_accuracy(hi, 0.4, 0.1));
            assert!(evidence_accuracy(0.5, lo, 0.1) > evidence_accuracy(0.5, hi, 0.1));
        }
    }

    #[test]
    fn the_posterior_follows_the_evidence_and_the_prior() {
        let prior = [0.0, 0.75, 0.05, 0.2];
        // Perfect evidence: certain of whoever it points at.
        assert_eq!(read_evidence(&prior, 1.0, 2), (2, 1.0));
        // Noisy evidence at an unlikely suspect: less sure than at the usual suspect.
        let (b, unlikely) = read_evidence(&prior, 0.8, 2);
        let (_, usual) = read_evidence(&prior, 0.8, 1);
        assert_eq!(b, 2);
        assert!((unlikely - (0.8 + 0.2 * 0.05)).abs() < 1e-12);
        assert!(unlikely < usual);
        // Evidence barely better than chance: the prior's favourite is read from it.
        assert_eq!(read_evidence(&prior, 0.1, 2).0, 1);
        // Posteriors of the pointed suspect and the rest sum to one.
        let a = 0.6;
        let pointed = read_evidence(&prior, a, 3).1;
        let rest: f64 = [0, 1, 2].iter().map(|&j| (1.0 - a) * prior[j]).sum();
        assert!((pointed + rest - 1.0).abs() < 1e-12);
    }

    #[test]
    fn priors_follow_the_record_and_exclude_the_victim() {
        let p = parse_scenario("default", DEFAULT_SCENARIO).expect("valid");
        let pr = Priors::of(&p);
        let n = p.states.len();
        for v in 0..n {
            let row = pr.of_victim(v);
            assert_eq!(row[v], 0.0);
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            // Every uniform picks someone other than the victim.
            for k in 0..100 {
                let u = (k as f64 + 0.5) / 100.0;
                assert_ne!(pr.lookalike(v, u), Some(v));
            }
        }
        // Russia is the US's usual suspect.
        let us = pr.of_victim(0);
        assert!(us[1] > us[2] && us[1] > us[n], "{us:?}");
    }

    #[test]
    fn perfect_evidence_blames_only_the_apparent_culprit_and_noise_spreads_blame() {
        let prior = [0.0, 0.75, 0.05, 0.2];
        let apparent = [0.0, 0.0, 1.0, 0.0];
        let perfect = blame_distribution(&prior, 1.0, &apparent, 0.95, 0.7);
        assert_eq!(perfect, vec![0.0, 0.0, 1.0, 0.0]);
        let noisy = blame_distribution(&prior, 0.8, &apparent, 0.95, 0.7);
        assert!(
            noisy[1] > 0.0,
            "an innocent usual suspect is blamed: {noisy:?}"
        );
        assert!(noisy[2] < 1.0);
    }
}
