//! The optimiser of `escalate fit-doctrine`: a bounded coordinate search, and profile-likelihood
//! intervals.
//!
//! Why a coordinate search of our own rather than Nelder–Mead or a crate: the log-likelihood is
//! piecewise smooth with steps (a confidence threshold moves the likelihood only where it crosses an
//! observed confidence) and is −∞ where restraint + escalation > 1 or a choice gets probability 0.
//! A grid over each parameter's whole range finds the best step whatever the slopes say, then a
//! shrinking local grid refines it; each move is accepted only if it is strictly better, so the
//! search is deterministic and never leaves the bounds. It is small enough to read in one sitting.

/// Points of the first grid over a parameter's whole range.
const COARSE_POINTS: usize = 41;
/// Points either side of the best value in each refining grid.
const FINE_HALF: i32 = 3;
/// Refining grids, each `FINE_SHRINK` times finer than the last.
const FINE_LEVELS: i32 = 5;
/// Refining grids of the inner search of a profile (its start is already near the maximum).
const PROFILE_LEVELS: i32 = 3;
/// How much finer each refining grid is.
const FINE_SHRINK: f64 = 4.0;
/// Sweeps over all parameters at most.
const MAX_SWEEPS: usize = 30;
/// A sweep that gains less than this much log-likelihood ends the search.
const SWEEP_TOLERANCE: f64 = 1e-9;
/// Sweeps of the inner search of a profile (warm-started at the maximum).
const PROFILE_SWEEPS: usize = 2;
/// Bisection steps to find an interval's end.
const BISECTIONS: usize = 8;

/// The 95 % quantile of the chi-squared distribution with one degree of freedom: a profile
/// log-likelihood within half of it of the maximum is inside the 95 % interval (Wilks).
pub const CHI2_1_95: f64 = 3.841_458_820_694_124;

/// Maximises `f` over the box `bounds`, moving only the coordinates marked `free`, from `start`.
/// With `global`, each coordinate's first grid spans its whole range; otherwise the search is local
/// (as in a profile, warm-started at the maximum). Returns the point and its value.
pub fn maximise<F: FnMut(&[f64]) -> f64>(
    f: &mut F,
    start: &[f64],
    bounds: &[(f64, f64)],
    free: &[bool],
    global: bool,
    max_sweeps: usize,
) -> (Vec<f64>, f64) {
    search(f, start, bounds, free, global, max_sweeps, FINE_LEVELS)
}

fn search<F: FnMut(&[f64]) -> f64>(
    f: &mut F,
    start: &[f64],
    bounds: &[(f64, f64)],
    free: &[bool],
    global: bool,
    max_sweeps: usize,
    levels: i32,
) -> (Vec<f64>, f64) {
    let mut x = start.to_vec();
    let mut best = f(&x);
    for _ in 0..max_sweeps {
        let before = best;
        for i in (0..x.len()).filter(|i| free[*i]) {
            let (lo, hi) = bounds[i];
            let mut try_at = |v: f64, x: &mut Vec<f64>, best: &mut f64| {
                let v = v.clamp(lo, hi);
                if v == x[i] {
                    return;
                }
                let old = x[i];
                x[i] = v;
                let y = f(x);
                if y > *best {
                    *best = y;
                } else {
                    x[i] = old;
                }
            };
            let step = (hi - lo) / (COARSE_POINTS - 1) as f64;
            if global {
                for k in 0..COARSE_POINTS {
                    try_at(lo + k as f64 * step, &mut x, &mut best);
                }
            }
            let mut h = step;
            for _ in 0..levels {
                let centre = x[i];
                for j in -FINE_HALF..=FINE_HALF {
                    try_at(centre + f64::from(j) * h, &mut x, &mut best);
                }
                h /= FINE_SHRINK;
            }
        }
        // NaN: nothing finite found yet (−∞ − −∞).
        let gained = best - before;
        if gained.is_nan() || gained <= SWEEP_TOLERANCE {
            break;
        }
    }
    (x, best)
}

/// A 95 % profile-likelihood interval of one coordinate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// The interval reaches the lower bound of the search.
    pub at_lower_bound: bool,
    /// The interval reaches the upper bound of the search.
    pub at_upper_bound: bool,
}

impl Interval {
    /// The profile never falls far enough from its maximum to exclude any value: the decisions
    /// say nothing about this parameter.
    pub fn flat(&self) -> bool {
        self.at_lower_bound && self.at_upper_bound
    }
}

/// The 95 % profile-likelihood interval of coordinate `k` around the maximum `mle` (value `top`):
/// the values where the log-likelihood, maximised over the other free coordinates, stays within
/// `CHI2_1_95 / 2` of `top`. Each end is found by bisection between the maximum and the bound.
pub fn profile_interval<F: FnMut(&[f64]) -> f64>(
    f: &mut F,
    mle: &[f64],
    top: f64,
    bounds: &[(f64, f64)],
    free: &[bool],
    k: usize,
) -> Interval {
    let cut = top - CHI2_1_95 / 2.0;
    let mut others = free.to_vec();
    others[k] = false;
    let mut profile = |v: f64| {
        let mut start = mle.to_vec();
        start[k] = v;
        search(
            f,
            &start,
            bounds,
            &others,
            false,
            PROFILE_SWEEPS,
            PROFILE_LEVELS,
        )
        .1
    };
    let mut end = |bound: f64| {
        if profile(bound) >= cut {
            return (bound, true);
        }
        // inside: within the cut; outside: beyond it.
        let (mut inside, mut outside) = (mle[k], bound);
        for _ in 0..BISECTIONS {
            let mid = (inside + outside) / 2.0;
            if profile(mid) >= cut {
                inside = mid;
            } else {
                outside = mid;
            }
        }
        // The end reported is the first value found outside: the interval errs on the wide side
        // by at most the bisection's resolution.
        (outside, false)
    };
    let (lo, at_lower_bound) = end(bounds[k].0);
    let (hi, at_upper_bound) = end(bounds[k].1);
    Interval {
        lo,
        hi,
        at_lower_bound,
        at_upper_bound,
    }
}

/// Sweeps of the search that finds the maximum.
pub const SEARCH_SWEEPS: usize = MAX_SWEEPS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_maximum_of_a_bounded_quadratic_and_stops_at_a_bound() {
        let mut f = |x: &[f64]| -(x[0] - 0.3).powi(2) - 4.0 * (x[1] - 2.0).powi(2);
        let (x, y) = maximise(
            &mut f,
            &[0.9, 0.1],
            &[(0.0, 1.0), (0.0, 1.0)],
            &[true, true],
            true,
            SEARCH_SWEEPS,
        );
        assert!((x[0] - 0.3).abs() < 1e-4, "{x:?}");
        assert_eq!(x[1], 1.0, "the maximum is beyond the bound: {x:?}");
        assert!((y + 4.0).abs() < 1e-6);
    }

    #[test]
    fn finds_a_step_that_slopes_do_not_show_and_avoids_minus_infinity() {
        // Flat except on [0.62, 0.64], and −∞ above 0.9.
        let mut f = |x: &[f64]| {
            if x[0] > 0.9 {
                f64::NEG_INFINITY
            } else if (0.62..=0.64).contains(&x[0]) {
                1.0
            } else {
                0.0
            }
        };
        let (x, y) = maximise(&mut f, &[0.0], &[(0.0, 1.0)], &[true], true, SEARCH_SWEEPS);
        assert_eq!(y, 1.0, "{x:?}");
    }

    #[test]
    fn the_profile_interval_of_a_normal_likelihood_is_the_wald_interval() {
        // Log-likelihood of a normal mean with standard error 0.05 at 0.4: interval 0.4 ± 1.96 × 0.05.
        let se: f64 = 0.05;
        let mut f = |x: &[f64]| -(x[0] - 0.4).powi(2) / (2.0 * se * se) - (x[1] - 0.5).powi(2);
        let bounds = [(0.0, 1.0), (0.0, 1.0)];
        let free = [true, true];
        let (mle, top) = maximise(&mut f, &[0.5, 0.5], &bounds, &free, true, SEARCH_SWEEPS);
        let i = profile_interval(&mut f, &mle, top, &bounds, &free, 0);
        let half = CHI2_1_95.sqrt() * se;
        // Within the bisection's resolution (0.4 / 2⁸ and 0.6 / 2⁸), on the wide side.
        assert!(
            i.lo <= 0.4 - half && i.lo > 0.4 - half - 0.4 / 256.0,
            "{i:?}"
        );
        assert!(
            i.hi >= 0.4 + half && i.hi < 0.4 + half + 0.6 / 256.0,
            "{i:?}"
        );
        assert!(!i.flat());
        // The second coordinate's curvature is tiny: its interval reaches both bounds.
        let flat = profile_interval(&mut f, &mle, top, &bounds, &free, 1);
        assert!(flat.flat(), "{flat:?}");
    }
}
