//! The points of a design: full grid, Latin hypercube, Morris trajectories, or a Saltelli design
//! for Sobol' indices.
//!
//! Designs are generated from the sweep file and the master seed alone (one ChaCha stream keyed by
//! the seed and a design constant), so every shard computes the same list of points.

use super::spec::{Design, Values};
use crate::rng::combine;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Most points a design may have (a sweep file asking for more is a mistake, not a workload).
pub const MAX_POINTS: u64 = 10_000_000;

/// Most replicates per arm a Sobol' design may ask for over all its points (points × replicates, at
/// the precision cap if there is one): a billion replicate-arms is about half a day of one core per
/// arm, beyond what a screening is for.
pub const MAX_SOBOL_REPLICATES: u64 = 1_000_000_000;

/// Key mixed with the master seed for the design's own stream (independent of every replicate's streams).
const DESIGN_STREAM: u64 = 0x5357_4545_505f_4445; // "SWEEP_DE"

/// One point of a design.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Parameter values, in parameter order.
    pub values: Vec<f64>,
    /// Morris trajectory this point belongs to (Morris designs only).
    pub trajectory: Option<usize>,
}

/// The lowest and highest value a parameter takes.
pub fn bounds(v: &Values) -> (f64, f64) {
    match v {
        Values::Range { min, max, .. } => (*min, *max),
        Values::List(xs) => (
            xs.iter().copied().fold(f64::INFINITY, f64::min),
            xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        ),
    }
}

/// How many values a grid takes for this parameter, counted without building them (a huge
/// `levels` must be refused before anything is allocated).
pub fn level_count(v: &Values) -> u64 {
    match v {
        Values::List(xs) => xs.len() as u64,
        Values::Range { min, max, levels } if min == max || *levels <= 1 => 1,
        Values::Range { levels, .. } => u64::from(*levels),
    }
}

/// The values a grid takes for this parameter, in order.
pub fn grid_levels(v: &Values) -> Vec<f64> {
    match v {
        Values::List(xs) => xs.clone(),
        Values::Range { min, max, levels } => {
            if min == max || *levels <= 1 {
                vec![*min]
            } else {
                let n = *levels as usize;
                (0..n)
                    .map(|i| {
                        if i == n - 1 {
                            *max
                        } else {
                            tidy(min + (max - min) * i as f64 / (n - 1) as f64)
                        }
                    })
                    .collect()
            }
        }
    }
}

/// Rounds a computed level to 12 significant digits, so 0.1 + 0.2 is written 0.3 in the results.
fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// The value at position `u` in [0, 1] of a parameter's values (a list is cut into equal bins).
fn at_unit(v: &Values, u: f64) -> f64 {
    match v {
        Values::Range { min, max, .. } => min + (max - min) * u,
        Values::List(xs) => xs[((u * xs.len() as f64) as usize).min(xs.len() - 1)],
    }
}

/// The value at level `j` of `p` levels (Morris): the range's evenly spaced levels, or a list's
/// nearest element.
fn at_level(v: &Values, j: u32, p: u32) -> f64 {
    let u = f64::from(j) / f64::from(p - 1);
    match v {
        Values::Range { min, max, .. } => {
            if j == p - 1 {
                *max
            } else {
                tidy(min + (max - min) * u)
            }
        }
        Values::List(xs) => xs[(u * (xs.len() - 1) as f64).round() as usize],
    }
}

/// Number of points the design produces (None if it overflows).
pub fn point_count(design: &Design, values: &[Values]) -> Option<u64> {
    match design {
        Design::Grid => values
            .iter()
            .try_fold(1u64, |acc, v| acc.checked_mul(level_count(v))),
        Design::LatinHypercube { samples } => Some(u64::from(*samples)),
        Design::Morris { trajectories, .. } => {
            u64::from(*trajectories).checked_mul(values.len() as u64 + 1)
        }
        Design::Sobol { samples, .. } => {
            u64::from(*samples).checked_mul(super::sobol::points_per_row(values.len()) as u64)
        }
    }
}

/// Every point of the design, in index order.
pub fn points(design: &Design, values: &[Values], seed: u64) -> Vec<Point> {
    let mut rng = ChaCha8Rng::seed_from_u64(combine(seed, DESIGN_STREAM));
    match design {
        Design::Grid => {
            let levels: Vec<Vec<f64>> = values.iter().map(grid_levels).collect();
            let total = levels.iter().map(Vec::len).product::<usize>();
            (0..total)
                .map(|mut i| {
                    let mut vals = vec![0.0; levels.len()];
                    // The last parameter varies fastest.
                    for (k, l) in levels.iter().enumerate().rev() {
                        vals[k] = l[i % l.len()];
                        i /= l.len();
                    }
                    Point {
                        values: vals,
                        trajectory: None,
                    }
                })
                .collect()
        }
        Design::LatinHypercube { samples } => {
            let n = *samples as usize;
            let columns: Vec<Vec<f64>> = values
                .iter()
                .map(|v| {
                    let mut strata: Vec<usize> = (0..n).collect();
                    for i in (1..n).rev() {
                        let j = rng.random_range(0..=i);
                        strata.swap(i, j);
                    }
                    strata
                        .into_iter()
                        .map(|s| {
                            let u = (s as f64 + rng.random::<f64>()) / n as f64;
                            at_unit(v, u.min(1.0))
                        })
                        .collect()
                })
                .collect();
            (0..n)
                .map(|i| Point {
                    values: columns.iter().map(|c| c[i]).collect(),
                    trajectory: None,
                })
                .collect()
        }
        Design::Morris {
            trajectories,
            levels,
        } => {
            let p = *levels;
            let jump = p / 2; // Δ = p / (2 (p − 1)) in unit scale = p/2 levels
            let k = values.len();
            let mut out = Vec::with_capacity(*trajectories as usize * (k + 1));
            for t in 0..*trajectories as usize {
                // Start levels, chosen so that the jump stays on the grid; then a random order of
                // parameters and a random direction for each.
                let mut order: Vec<usize> = (0..k).collect();
                for i in (1..k).rev() {
                    let j = rng.random_range(0..=i);
                    order.swap(i, j);
                }
                let mut current: Vec<u32> = (0..k)
                    .map(|_| {
                        let base = rng.random_range(0..p - jump);
                        if rng.random::<bool>() {
                            base
                        } else {
                            base + jump
                        }
                    })
                    .collect();
                let to_values = |lv: &[u32]| -> Vec<f64> {
                    lv.iter()
                        .zip(values)
                        .map(|(j, v)| at_level(v, *j, p))
                        .collect()
                };
                out.push(Point {
                    values: to_values(&current),
                    trajectory: Some(t),
                });
                for &param in &order {
                    current[param] = if current[param] >= jump {
                        current[param] - jump
                    } else {
                        current[param] + jump
                    };
                    out.push(Point {
                        values: to_values(&current),
                        trajectory: Some(t),
                    });
                }
            }
            out
        }
        Design::Sobol { samples, .. } => {
            // Row j is A_j, B_j, then A_j with its i-th coordinate from B_j for each parameter i.
            super::sobol::saltelli_unit(*samples as usize, values.len(), &mut rng)
                .into_iter()
                .map(|u| Point {
                    values: u.iter().zip(values).map(|(u, v)| at_unit(v, *u)).collect(),
                    trajectory: None,
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(min: f64, max: f64, levels: u32) -> Values {
        Values::Range { min, max, levels }
    }

    #[test]
    fn grid_is_the_full_product_last_parameter_fastest() {
        let v = [range(0.0, 1.0, 3), Values::List(vec![10.0, 20.0])];
        let pts = points(&Design::Grid, &v, 1);
        assert_eq!(point_count(&Design::Grid, &v), Some(6));
        let got: Vec<Vec<f64>> = pts.into_iter().map(|p| p.values).collect();
        assert_eq!(
            got,
            vec![
                vec![0.0, 10.0],
                vec![0.0, 20.0],
                vec![0.5, 10.0],
                vec![0.5, 20.0],
                vec![1.0, 10.0],
                vec![1.0, 20.0]
            ]
        );
    }

    #[test]
    fn level_count_agrees_with_the_levels_built() {
        for v in [
            range(0.0, 1.0, 5),
            range(2.0, 2.0, 9),
            range(0.0, 1.0, 1),
            Values::List(vec![1.0, 3.0]),
        ] {
            assert_eq!(level_count(&v), grid_levels(&v).len() as u64);
        }
        assert_eq!(level_count(&range(0.0, 1.0, u32::MAX)), u64::from(u32::MAX));
    }

    #[test]
    fn grid_levels_are_written_as_people_write_them() {
        assert_eq!(
            grid_levels(&range(0.1, 0.9, 5)),
            vec![0.1, 0.3, 0.5, 0.7, 0.9]
        );
        assert_eq!(grid_levels(&range(0.0, 1.0, 11))[3], 0.3);
    }

    #[test]
    fn latin_hypercube_hits_every_stratum_of_every_parameter_exactly_once() {
        for (n, seed) in [(1u32, 3u64), (7, 1), (64, 2), (500, 99)] {
            let v = [range(0.0, 1.0, 2), range(-5.0, 5.0, 2), range(2.0, 3.0, 2)];
            let pts = points(&Design::LatinHypercube { samples: n }, &v, seed);
            assert_eq!(pts.len(), n as usize);
            for (k, par) in v.iter().enumerate() {
                let (lo, hi) = bounds(par);
                let mut hit = vec![0u32; n as usize];
                for p in &pts {
                    let u = (p.values[k] - lo) / (hi - lo);
                    assert!((0.0..=1.0).contains(&u));
                    hit[((u * f64::from(n)) as usize).min(n as usize - 1)] += 1;
                }
                assert!(hit.iter().all(|&h| h == 1), "n {n} parameter {k}: {hit:?}");
            }
        }
    }

    #[test]
    fn morris_trajectories_are_well_formed() {
        let v: Vec<Values> = (0..10).map(|i| range(0.0, f64::from(i + 1), 2)).collect();
        for levels in [2u32, 4, 6] {
            let r = 25;
            let pts = points(
                &Design::Morris {
                    trajectories: r,
                    levels,
                },
                &v,
                7,
            );
            assert_eq!(pts.len(), r as usize * (v.len() + 1));
            let delta = f64::from(levels) / (2.0 * f64::from(levels - 1));
            for (t, traj) in pts.chunks(v.len() + 1).enumerate() {
                assert!(traj.iter().all(|p| p.trajectory == Some(t)));
                let mut changed = vec![0; v.len()];
                for pair in traj.windows(2) {
                    let diffs: Vec<usize> = (0..v.len())
                        .filter(|&k| pair[0].values[k] != pair[1].values[k])
                        .collect();
                    assert_eq!(diffs.len(), 1, "exactly one parameter moves per step");
                    let k = diffs[0];
                    changed[k] += 1;
                    let (lo, hi) = bounds(&v[k]);
                    let step = (pair[1].values[k] - pair[0].values[k]).abs() / (hi - lo);
                    assert!((step - delta).abs() < 1e-9, "step {step} vs Δ {delta}");
                }
                assert!(
                    changed.iter().all(|&c| c == 1),
                    "each parameter moves once: {changed:?}"
                );
                for p in traj {
                    for (k, x) in p.values.iter().enumerate() {
                        let (lo, hi) = bounds(&v[k]);
                        assert!((lo..=hi).contains(x));
                    }
                }
            }
        }
    }

    #[test]
    fn sobol_rows_are_a_b_and_a_with_one_parameter_from_b_in_each_range() {
        let v = [
            range(0.0, 1.0, 2),
            range(-5.0, 5.0, 2),
            Values::List(vec![1.0, 2.0, 3.0]),
        ];
        let d = Design::Sobol {
            samples: 50,
            bootstrap: 100,
        };
        let pts = points(&d, &v, 9);
        assert_eq!(point_count(&d, &v), Some(50 * 5));
        assert_eq!(pts.len(), 50 * 5);
        for row in pts.chunks(5) {
            let (a, b) = (&row[0].values, &row[1].values);
            for i in 0..3 {
                for c in 0..3 {
                    let want = if c == i { b[c] } else { a[c] };
                    assert_eq!(row[2 + i].values[c], want, "A_B^{i}, coordinate {c}");
                }
            }
            for p in row {
                assert!(p.trajectory.is_none());
                for (x, par) in p.values.iter().zip(&v) {
                    let (lo, hi) = bounds(par);
                    assert!((lo..=hi).contains(x), "{x} outside [{lo}, {hi}]");
                }
            }
        }
        // A and B are independent draws, not copies: every coordinate differs somewhere.
        for c in 0..2 {
            assert!(pts.chunks(5).any(|r| r[0].values[c] != r[1].values[c]));
        }
        // Every list element is taken.
        for x in [1.0, 2.0, 3.0] {
            assert!(pts.iter().any(|p| p.values[2] == x), "{x}");
        }
        assert_eq!(
            pts,
            points(&d, &v, 9),
            "the same seed gives the same design"
        );
        assert_ne!(pts, points(&d, &v, 10));
    }

    #[test]
    fn designs_depend_only_on_the_seed() {
        let v = [range(0.0, 1.0, 2), range(0.0, 1.0, 2)];
        let d = Design::LatinHypercube { samples: 20 };
        assert_eq!(points(&d, &v, 5), points(&d, &v, 5));
        assert_ne!(points(&d, &v, 5), points(&d, &v, 6));
    }
}
