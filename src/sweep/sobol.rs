//! Variance-based global sensitivity (Sobol' indices): the Saltelli design in the unit cube, and
//! Jansen's estimators of the first-order and total indices with bootstrap intervals, as pure
//! functions of the model's outputs (Saltelli et al. 2010, "Variance based sensitivity analysis of
//! model output", Computer Physics Communications 181, table 2, estimators (b) and (f)).
//!
//! The design has N base rows. Row j holds k + 2 points, in this order: A_j, B_j, then A_B^(i)_j
//! for i = 1..k (A_j with its i-th coordinate taken from B_j). A and B are independent uniform
//! samples from a seeded ChaCha stream: no low-discrepancy sequence (none of the crates we keep
//! gives a scrambled Sobol' sequence), so the estimators' error falls as 1/sqrt(N), and the
//! bootstrap intervals say how large it is.
//!
//! When the outputs are estimates with independent noise of variance σ² (a sweep point's Monte Carlo
//! error), the variance V the indices divide by includes σ², the A − A_B^i differences carry 2σ²,
//! and so, with share = σ²/V: ST ≈ ST_true (1 − share) + share and S1 ≈ S1_true (1 − share). A
//! parameter that does nothing gets ST ≈ share, with a bootstrap interval clear of 0: the bootstrap
//! carries the noise's spread, not its bias (tested below).

use crate::rng::combine;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Fewest base rows of a Sobol' design a sweep file may ask for (the bootstrap resamples rows;
/// with fewer there is little to resample).
pub const MIN_SOBOL_SAMPLES: u32 = 8;
/// Fewest bootstrap resamples a sweep file may ask for (fewer make the intervals' ends noisy).
pub const MIN_BOOTSTRAP: u32 = 100;
/// Most bootstrap resamples a sweep file may ask for (and that a hand-edited `sweep.json` gets).
pub const MAX_BOOTSTRAP: u32 = 100_000;

/// Key mixed with the seed for the bootstrap's resampling stream.
const BOOTSTRAP_STREAM: u64 = 0x534F_424F_4C5F_4253; // "SOBOL_BS"

/// Points per base row: A, B and the k A_B matrices' rows.
pub fn points_per_row(k: usize) -> usize {
    k + 2
}

/// The Saltelli design in the unit cube: N rows of k + 2 points of k coordinates each, in design
/// order (row by row), drawn from `rng`.
pub fn saltelli_unit(n: usize, k: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    let mut out = Vec::with_capacity(n * points_per_row(k));
    for _ in 0..n {
        let a: Vec<f64> = (0..k).map(|_| rng.random::<f64>()).collect();
        let b: Vec<f64> = (0..k).map(|_| rng.random::<f64>()).collect();
        out.push(a.clone());
        out.push(b.clone());
        for i in 0..k {
            let mut ab = a.clone();
            ab[i] = b[i];
            out.push(ab);
        }
    }
    out
}

/// An index with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexEstimate {
    /// The estimate from all N rows.
    pub value: f64,
    /// 2.5 % bootstrap percentile.
    pub lo: f64,
    /// 97.5 % bootstrap percentile.
    pub hi: f64,
}

/// One parameter's first-order (S1) and total (ST) indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndices {
    /// First-order index: the share of the output's variance the parameter explains alone.
    pub first: IndexEstimate,
    /// Total index: the share that would remain were every other parameter known (its effect with
    /// all its interactions).
    pub total: IndexEstimate,
}

/// Jansen's estimators over the rows `rows` (indices into the design's base rows; repeats allowed,
/// for the bootstrap): (S1, ST) per parameter. The variance is that of the f(A) and f(B) of those
/// rows together. NaN when the output does not vary.
fn jansen(y: &[f64], k: usize, rows: &[usize]) -> Vec<(f64, f64)> {
    let per = points_per_row(k);
    let n = rows.len() as f64;
    let mut sum = 0.0;
    let mut sum2 = 0.0;
    for &j in rows {
        for v in [y[j * per], y[j * per + 1]] {
            sum += v;
            sum2 += v * v;
        }
    }
    let mean = sum / (2.0 * n);
    let var = (sum2 / (2.0 * n) - mean * mean) * (2.0 * n) / (2.0 * n - 1.0);
    (0..k)
        .map(|i| {
            let mut total = 0.0;
            let mut first = 0.0;
            for &j in rows {
                let (a, b, ab) = (y[j * per], y[j * per + 1], y[j * per + 2 + i]);
                total += (a - ab).powi(2);
                first += (b - ab).powi(2);
            }
            let st = total / (2.0 * n) / var;
            let s1 = (var - first / (2.0 * n)) / var;
            (s1, st)
        })
        .collect()
}

/// The `q` quantile of sorted values (linear interpolation between order statistics).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = q * (sorted.len() - 1) as f64;
    let (i, f) = (h.floor() as usize, h - h.floor());
    if i + 1 < sorted.len() {
        sorted[i] + f * (sorted[i + 1] - sorted[i])
    } else {
        sorted[i]
    }
}

/// First-order and total Sobol' indices of each of `k` parameters from the outputs `y` of a
/// Saltelli design (N rows of k + 2 points, in the order of [`saltelli_unit`]), with 95 % bootstrap
/// percentile intervals from `resamples` resamples of the N rows (drawn from a stream keyed by
/// `seed`, so the intervals are reproducible).
pub fn sobol_indices(y: &[f64], k: usize, resamples: usize, seed: u64) -> Vec<SobolIndices> {
    let per = points_per_row(k);
    assert!(
        k > 0 && y.len().is_multiple_of(per) && !y.is_empty(),
        "invariant: a Saltelli design's outputs come in whole rows of k + 2"
    );
    let n = y.len() / per;
    let all: Vec<usize> = (0..n).collect();
    let point = jansen(y, k, &all);
    let mut rng = ChaCha8Rng::seed_from_u64(combine(seed, BOOTSTRAP_STREAM));
    let mut boot: Vec<Vec<(f64, f64)>> = vec![Vec::with_capacity(resamples); k];
    let mut rows = vec![0usize; n];
    for _ in 0..resamples {
        for r in rows.iter_mut() {
            *r = rng.random_range(0..n);
        }
        for (i, e) in jansen(y, k, &rows).into_iter().enumerate() {
            boot[i].push(e);
        }
    }
    point
        .into_iter()
        .zip(boot)
        .map(|((s1, st), b)| {
            let mut firsts: Vec<f64> = b.iter().map(|e| e.0).filter(|x| x.is_finite()).collect();
            let mut totals: Vec<f64> = b.iter().map(|e| e.1).filter(|x| x.is_finite()).collect();
            firsts.sort_by(f64::total_cmp);
            totals.sort_by(f64::total_cmp);
            SobolIndices {
                first: IndexEstimate {
                    value: s1,
                    lo: quantile(&firsts, 0.025),
                    hi: quantile(&firsts, 0.975),
                },
                total: IndexEstimate {
                    value: st,
                    lo: quantile(&totals, 0.025),
                    hi: quantile(&totals, 0.975),
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// The Ishigami function on [−π, π]³ from unit coordinates.
    fn ishigami(u: &[f64], a: f64, b: f64) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    }

    /// Analytic indices of Ishigami (Sobol' and Levitan 1999): (S1, ST) for x1, x2, x3.
    fn ishigami_truth(a: f64, b: f64) -> [(f64, f64); 3] {
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        [(v1 / v, (v1 + v13) / v), (v2 / v, v2 / v), (0.0, v13 / v)]
    }

    #[test]
    fn the_analytic_ishigami_indices_are_the_published_ones() {
        let t = ishigami_truth(7.0, 0.1);
        let published = [(0.314, 0.558), (0.442, 0.442), (0.0, 0.244)];
        for (got, want) in t.iter().zip(published) {
            assert!(
                (got.0 - want.0).abs() < 1e-3 && (got.1 - want.1).abs() < 1e-3,
                "{t:?}"
            );
        }
    }

    #[test]
    fn ishigami_indices_are_recovered_within_their_bootstrap_intervals() {
        // N = 8,192 base rows (40,960 evaluations), 500 bootstrap resamples, seed 11.
        let (a, b, n, k) = (7.0, 0.1, 8192, 3);
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let design = saltelli_unit(n, k, &mut rng);
        assert_eq!(design.len(), n * (k + 2));
        let y: Vec<f64> = design.iter().map(|u| ishigami(u, a, b)).collect();
        let got = sobol_indices(&y, k, 500, 11);
        for (i, (est, (s1, st))) in got.iter().zip(ishigami_truth(a, b)).enumerate() {
            for (name, e, truth) in [("S1", est.first, s1), ("ST", est.total, st)] {
                assert!(
                    e.lo <= truth && truth <= e.hi,
                    "x{}: {name} = {truth:.3} not in [{:.3}, {:.3}] (estimate {:.3})",
                    i + 1,
                    e.lo,
                    e.hi,
                    e.value
                );
                // Not vacuous: the intervals are narrow enough to tell the parameters apart.
                assert!(e.hi - e.lo < 0.08, "x{}: {name} interval {e:?}", i + 1);
            }
        }
    }

    #[test]
    fn the_design_rows_are_a_b_and_a_with_one_column_of_b() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let d = saltelli_unit(4, 3, &mut rng);
        for row in d.chunks(5) {
            let (a, b) = (&row[0], &row[1]);
            for i in 0..3 {
                for c in 0..3 {
                    assert_eq!(row[2 + i][c], if c == i { b[c] } else { a[c] });
                }
            }
        }
    }

    #[test]
    fn independent_noise_pulls_st_up_and_s1_down_by_the_noise_share() {
        // y = u0 + e, with e independent between points (a point's Monte Carlo error without
        // common random numbers), variance sd² = V(u0) = 1/12: half the variance is noise. The
        // docs' rule: ST ≈ ST_true (1 − share) + share, S1 ≈ S1_true (1 − share).
        let (n, sd) = (20_000, (1.0f64 / 12.0).sqrt());
        let mut rng = ChaCha8Rng::seed_from_u64(21);
        let d = saltelli_unit(n, 2, &mut rng);
        let mut noise = ChaCha8Rng::seed_from_u64(22);
        let y: Vec<f64> = d
            .iter()
            .map(|u| {
                // A normal draw by Box–Muller: enough for a test.
                let (a, b): (f64, f64) = (noise.random(), noise.random());
                u[0] + sd * (-2.0 * (1.0 - a).ln()).sqrt() * (2.0 * PI * b).cos()
            })
            .collect();
        let share = 0.5;
        let got = sobol_indices(&y, 2, 200, 3);
        let inert = got[1].total;
        assert!(
            (inert.value - share).abs() < 0.03,
            "ST of a parameter that does nothing ≈ the noise share: {inert:?}"
        );
        assert!(
            inert.lo > 0.0,
            "and its interval does not include 0: {inert:?}"
        );
        let active = got[0];
        assert!(
            (active.first.value - (1.0 - share)).abs() < 0.03,
            "S1 shrunk by the noise: {active:?}"
        );
        assert!(
            (active.total.value - 1.0).abs() < 0.03,
            "ST of the only parameter stays near 1: {active:?}"
        );
    }

    #[test]
    fn a_parameter_the_output_ignores_has_indices_near_zero_and_the_intervals_are_reproducible() {
        // y = u0 exactly: S1 = ST = 1 for the first parameter, 0 for the second.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let d = saltelli_unit(2000, 2, &mut rng);
        let y: Vec<f64> = d.iter().map(|u| u[0]).collect();
        let got = sobol_indices(&y, 2, 200, 1);
        assert!((got[0].first.value - 1.0).abs() < 0.05 && (got[0].total.value - 1.0).abs() < 0.05);
        assert_eq!(got[1].total.value, 0.0);
        assert!(got[1].first.value.abs() < 0.05);
        assert_eq!(got, sobol_indices(&y, 2, 200, 1));
    }
}
