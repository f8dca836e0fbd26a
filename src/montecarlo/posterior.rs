//! Runs under parameter uncertainty: a pool of compiled scenarios, one per posterior particle, the
//! particle each replicate draws (keyed by master seed and replicate only, so every arm of a
//! replicate uses the same parameters and the arms keep their common random numbers), and the
//! spread of the estimates between the particles drawn.
//!
//! The interval "with parameter uncertainty" combines the Monte Carlo interval of an estimate with
//! the between-draw standard deviation of the quantity, estimated by one-way random-effects analysis
//! of variance over the replicates grouped by the particle they drew (docs/MODEL.md, section 10.2).

use super::metrics::{METRICS, MetricId, PerMetric};
use super::stats::{Interval, Moments, Z95};
use crate::rng::{combine, replicate_seed};
use crate::scenario::compile::Compiled;
use crate::sim::{RunResult, Simulator};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// Key of the stream a replicate draws its particle from, apart from every model process (1–8).
const POSTERIOR_DRAW: u64 = 0x504F_5354_4552_494F;

/// The weighted posterior, compiled: one scenario per particle.
#[derive(Debug, Clone)]
pub struct PosteriorPool {
    /// Per particle: the scenario with its parameter values.
    pub scenarios: Vec<Arc<Compiled>>,
    /// Per particle: its number in posterior.csv.
    pub particle_ids: Vec<u64>,
    /// Cumulative normalised weights (the last is 1).
    cumulative: Vec<f64>,
    /// Effective sample size of the weights, 1 / Σ w².
    pub effective_sample_size: f64,
}

impl PosteriorPool {
    /// A pool from particles and their weights (non-negative, finite, some positive: the loader
    /// checks this and names the row otherwise).
    pub fn new(
        scenarios: Vec<Arc<Compiled>>,
        particle_ids: Vec<u64>,
        weights: &[f64],
    ) -> PosteriorPool {
        let total: f64 = weights.iter().sum();
        let mut acc = 0.0;
        let mut cumulative: Vec<f64> = weights
            .iter()
            .map(|w| {
                acc += w / total;
                acc
            })
            .collect();
        if let Some(last) = cumulative.last_mut() {
            *last = 1.0;
        }
        let effective_sample_size = 1.0 / weights.iter().map(|w| (w / total).powi(2)).sum::<f64>();
        PosteriorPool {
            scenarios,
            particle_ids,
            cumulative,
            effective_sample_size,
        }
    }

    /// Particles in the pool.
    pub fn len(&self) -> usize {
        self.scenarios.len()
    }

    /// Whether the pool is empty (never, once loaded).
    pub fn is_empty(&self) -> bool {
        self.scenarios.is_empty()
    }

    /// The particle replicate `replicate` of master seed `seed` uses: drawn by weight from a stream
    /// of its own keyed by (seed, replicate), the same in every arm.
    pub fn draw(&self, seed: u64, replicate: u64) -> usize {
        let mut rng =
            ChaCha8Rng::seed_from_u64(combine(replicate_seed(seed, replicate), POSTERIOR_DRAW));
        // 53 random bits: a uniform in [0, 1).
        let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        self.cumulative
            .partition_point(|c| *c <= u)
            .min(self.cumulative.len() - 1)
    }
}

/// Simulators kept per worker, at most this many at a time: a simulator caches what it derives from
/// its scenario (the victims' priors, the sponsors' expectations), so each particle needs its own.
pub const LIVE_SIMULATORS: usize = 256;

/// Memory one simulator of the default scenario holds once it has run, with its share of a worker's
/// growth (measured: a run under 200 particles on 2 threads peaked 450 MB above a plain run's
/// 43 MB, 1.1 MB a simulator), rounded up.
pub const SIMULATOR_BYTES: f64 = 1.25e6;

/// Blocks a worker simulates under a posterior before it builds its simulators afresh. Building
/// one and running its first replicate costs about 1.5 ms more than a warm replicate (its schedules
/// and its cached priors and expectations), so rebuilding the posterior's simulators every 16
/// blocks, as a plain run does, nearly doubled the run's time; every 128 blocks bounds each
/// worker's growth (about 1.5 KB per replicate-arm run) at 8 times a plain run's.
pub const BLOCKS_PER_DRAW_SIMULATORS: u32 = 128;

/// Memory a posterior run's simulators add to a plain run's estimate, bytes: each worker's live
/// simulators and the growth of the replicate-arms it runs before it rebuilds them.
pub fn simulators_memory(particles: usize, arms: usize, threads: usize) -> f64 {
    let growth_per_replicate_arm = 1536.0;
    threads as f64
        * (particles.min(LIVE_SIMULATORS) as f64 * SIMULATOR_BYTES
            + f64::from(BLOCKS_PER_DRAW_SIMULATORS)
                * super::engine::BLOCK as f64
                * arms as f64
                * growth_per_replicate_arm)
}

/// A worker's simulators, one per particle it has met, built on first use.
pub struct DrawSimulators {
    pool: Arc<PosteriorPool>,
    sims: Vec<Option<Simulator>>,
    live: usize,
}

impl DrawSimulators {
    /// No simulator built yet.
    pub fn new(pool: Arc<PosteriorPool>) -> DrawSimulators {
        let n = pool.len();
        DrawSimulators {
            pool,
            sims: (0..n).map(|_| None).collect(),
            live: 0,
        }
    }

    /// The simulator of particle `k`. Results never depend on a simulator's history, so dropping
    /// them all when too many are alive changes nothing but time.
    pub fn get(&mut self, k: usize) -> &mut Simulator {
        if self.sims[k].is_none() {
            if self.live >= LIVE_SIMULATORS {
                self.sims.iter_mut().for_each(|s| *s = None);
                self.live = 0;
            }
            self.sims[k] = Some(Simulator::new(self.pool.scenarios[k].clone()));
            self.live += 1;
        }
        self.sims[k]
            .as_mut()
            .expect("invariant: the simulator was just built")
    }
}

/// Per replicate of a block: the particle drawn and every metric of every arm.
#[derive(Debug, Clone, Default)]
pub struct DrawBlock {
    draws: Vec<u32>,
    values: Vec<f64>,
}

impl DrawBlock {
    /// Adds one replicate (all arms, in arm order) that drew particle `k`.
    pub fn push(&mut self, k: usize, runs: &[RunResult]) {
        self.draws
            .push(u32::try_from(k).expect("invariant: fewer than 2^32 particles"));
        for run in runs {
            self.values
                .extend(METRICS.iter().map(|m| (m.value)(&run.outcome)));
        }
    }
}

/// Moments per particle drawn: every metric of every arm, and its paired difference with the first
/// arm, over the replicates that drew the particle.
#[derive(Debug, Clone)]
pub struct DrawSpread {
    arms: usize,
    /// Per particle: `arms × metrics` moments of the values, then the same of the differences.
    groups: Vec<Vec<Moments>>,
}

impl DrawSpread {
    /// Empty, for `particles` particles and `arms` arms.
    pub fn new(particles: usize, arms: usize) -> DrawSpread {
        DrawSpread {
            arms,
            groups: vec![Vec::new(); particles],
        }
    }

    /// Adds a block; call in replicate order (the floats are then the same at any thread count).
    pub fn merge(&mut self, block: &DrawBlock) {
        let m = METRICS.len();
        let stride = self.arms * m;
        for (k, values) in block.draws.iter().zip(block.values.chunks_exact(stride)) {
            let g = &mut self.groups[*k as usize];
            if g.is_empty() {
                *g = vec![Moments::default(); 2 * stride];
            }
            let (base, _) = values.split_at(m);
            for (i, v) in values.iter().enumerate() {
                g[i].push(*v);
                g[stride + i].push(v - base[i % m]);
            }
        }
    }

    /// Particles drawn by at least one replicate.
    pub fn draws_used(&self) -> usize {
        self.groups.iter().filter(|g| !g.is_empty()).count()
    }

    fn between(&self, index: usize) -> f64 {
        between_draw_sd(
            self.groups
                .iter()
                .filter(|g| !g.is_empty())
                .map(|g| &g[index]),
        )
    }

    /// Between-draw standard deviation of every metric of arm `arm`.
    pub fn arm_sd(&self, arm: usize) -> PerMetric<f64> {
        PerMetric::from_fn(|id| self.between(arm * METRICS.len() + id as usize))
    }

    /// Between-draw standard deviation of every metric's paired difference, arm `arm` − arm 0.
    pub fn difference_sd(&self, arm: usize) -> PerMetric<f64> {
        let stride = self.arms * METRICS.len();
        PerMetric::from_fn(|id| self.between(stride + arm * METRICS.len() + id as usize))
    }
}

/// The standard deviation, between groups, of the groups' true means: one-way random-effects
/// analysis of variance by moments for unequal group sizes (Searle, Casella and McCulloch 1992,
/// section 3.6): σ²_between = (MSB − MSW) / n₀ with n₀ = (N − Σ nᵢ² / N) / (G − 1), floored at 0.
/// 0 with fewer than two groups or no replicate beyond one per group.
pub fn between_draw_sd<'a>(groups: impl Iterator<Item = &'a Moments>) -> f64 {
    let groups: Vec<&Moments> = groups.filter(|g| g.n > 0).collect();
    let g = groups.len() as f64;
    let n: f64 = groups.iter().map(|m| m.n as f64).sum();
    if groups.len() < 2 || n <= g {
        return 0.0;
    }
    let grand = groups.iter().map(|m| m.n as f64 * m.mean()).sum::<f64>() / n;
    let ssb: f64 = groups
        .iter()
        .map(|m| m.n as f64 * (m.mean() - grand).powi(2))
        .sum();
    let ssw: f64 = groups
        .iter()
        .map(|m| (m.n as f64 - 1.0) * m.sd().powi(2))
        .sum();
    let msb = ssb / (g - 1.0);
    let msw = ssw / (n - g);
    let n0 = (n - groups.iter().map(|m| (m.n as f64).powi(2)).sum::<f64>() / n) / (g - 1.0);
    ((msb - msw) / n0).max(0.0).sqrt()
}

/// The interval with parameter uncertainty: each side of the Monte Carlo interval widened in
/// quadrature by z·σ_between (so it contains the Monte Carlo interval, and equals it when the
/// parameters do not vary), clamped to `range` (a probability's [0, 1], a difference's [−1, 1]).
pub fn with_parameters(mc: Interval, sd_between: f64, range: Option<(f64, f64)>) -> Interval {
    let spread = Z95 * sd_between;
    let lo = mc.value - (mc.value - mc.lo).hypot(spread);
    let hi = mc.value + (mc.hi - mc.value).hypot(spread);
    let (lo, hi) = match range {
        Some((a, b)) => (lo.max(a), hi.min(b)),
        None => (lo, hi),
    };
    Interval {
        value: mc.value,
        lo,
        hi,
    }
}

/// The range an estimate of `id` lies in: [0, 1] for a probability, [−1, 1] for the difference of two.
pub fn metric_range(id: MetricId, difference: bool) -> Option<(f64, f64)> {
    id.is_proportion()
        .then_some(if difference { (-1.0, 1.0) } else { (0.0, 1.0) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(xs: &[f64]) -> Moments {
        let mut m = Moments::default();
        xs.iter().for_each(|x| m.push(*x));
        m
    }

    #[test]
    fn between_draw_sd_is_zero_when_groups_share_their_mean_and_finds_a_known_spread() {
        // Same values in every group: no spread between them.
        let same = [group(&[1.0, 2.0, 3.0]), group(&[3.0, 1.0, 2.0])];
        assert_eq!(between_draw_sd(same.iter()), 0.0);
        // Groups without noise inside, means 0 and 2 (n = 50 each): MSW = 0, so σ² = MSB / n₀
        // = (50·1 + 50·1) / 1 / 50 = 2 (the sample variance of the two means).
        let apart = [group(&[0.0; 50]), group(&[2.0; 50])];
        assert!((between_draw_sd(apart.iter()) - 2f64.sqrt()).abs() < 1e-12);
        // One group: nothing to compare.
        assert_eq!(between_draw_sd([group(&[0.0, 5.0])].iter()), 0.0);
    }

    /// 400 groups of 100 Bernoulli draws each, the groups' true probabilities `p(k)`.
    fn bernoulli_groups(seed: u64, p: impl Fn(usize) -> f64) -> Vec<Moments> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..400)
            .map(|k| {
                let xs: Vec<f64> = (0..100)
                    .map(|_| {
                        let u = f64::from(rng.next_u32()) / 4_294_967_296.0;
                        f64::from(u8::from(u < p(k)))
                    })
                    .collect();
                group(&xs)
            })
            .collect()
    }

    #[test]
    fn between_draw_sd_removes_the_noise_within_groups() {
        // Every group's true probability is 0.3: the group means still scatter with variance
        // 0.21 / 100 = 0.0021 (the noise within groups); the estimate of the variance between them
        // must remove it. Its own sampling sd is about sqrt(2 / 399) · 0.0021 = 1.5e-4, so a bound
        // of 6e-4 (4 sd) fails by chance with probability below 1e-4, and is a quarter of the noise.
        let groups = bernoulli_groups(7, |_| 0.3);
        let naive = {
            let mut m = Moments::default();
            groups.iter().for_each(|g| m.push(g.mean()));
            m.sd().powi(2)
        };
        assert!(
            naive > 0.0015,
            "not vacuous: the group means scatter ({naive})"
        );
        let var = between_draw_sd(groups.iter()).powi(2);
        assert!(var < 6e-4, "{var} (naive {naive})");
        // True probabilities 0.1 or 0.5 alternately: between-group sd 0.2 exactly (population sd of
        // two equally common values 0.2 apart from their mean). The estimate's relative error is
        // about 4 % (sd); a ±15 % band fails by chance below 1e-3.
        let apart = bernoulli_groups(8, |k| if k % 2 == 0 { 0.1 } else { 0.5 });
        let sd = between_draw_sd(apart.iter());
        assert!((sd - 0.2).abs() < 0.03, "{sd}");
    }

    #[test]
    fn the_interval_with_parameters_contains_the_monte_carlo_one() {
        let mc = Interval {
            value: 0.2,
            lo: 0.18,
            hi: 0.23,
        };
        assert_eq!(with_parameters(mc, 0.0, Some((0.0, 1.0))), mc);
        let wide = with_parameters(mc, 0.15, Some((0.0, 1.0)));
        assert!(wide.lo < mc.lo && wide.hi > mc.hi);
        assert_eq!(wide.lo, 0.0, "clamped at 0: {wide:?}");
        assert!((wide.hi - (0.2 + 0.03f64.hypot(Z95 * 0.15))).abs() < 1e-12);
        let unclamped = with_parameters(mc, 0.15, None);
        assert!((unclamped.lo - (0.2 - 0.02f64.hypot(Z95 * 0.15))).abs() < 1e-12);
    }

    #[test]
    fn draws_follow_the_weights_and_ignore_the_arm() {
        let s = crate::scenario::load::parse_scenario(
            "default",
            crate::scenario::load::DEFAULT_SCENARIO,
        )
        .expect("valid");
        let c = Arc::new(s);
        let pool = PosteriorPool::new(
            vec![c.clone(), c.clone(), c],
            vec![0, 1, 2],
            &[0.0, 1.0, 3.0],
        );
        let mut counts = [0u32; 3];
        for r in 0..4000 {
            let k = pool.draw(11, r);
            assert_eq!(
                k,
                pool.draw(11, r),
                "a replicate's draw is a function of (seed, replicate)"
            );
            counts[k] += 1;
        }
        assert_eq!(counts[0], 0, "a particle of weight 0 is never drawn");
        // 1000 of 4000 expected for particle 1 (sd 27): a band of ±5 sd fails by chance < 1e-6.
        assert!((865..=1135).contains(&counts[1]), "{counts:?}");
        assert!((pool.effective_sample_size - 1.0 / (0.0625 + 0.5625)).abs() < 1e-12);
    }
}
