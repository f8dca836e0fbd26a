//! PRIM, the patient rule induction method (Friedman and Fisher, "Bump hunting in high-dimensional
//! data", Statistics and Computing 9, 1999), as used for scenario discovery (Bryant and Lempert,
//! "Thinking inside the box", Technological Forecasting and Social Change 77, 2010).
//!
//! Given points `x` (one row per point, one column per parameter) and whether each is a case of
//! interest, PRIM peels a box down from the whole parameter space: at each step it removes the
//! thin slice (a fraction `alpha` of the points still in the box, at the low or the high end of
//! one parameter) whose removal leaves the highest share of cases in the box, until the box would
//! hold fewer than `min_mass` of all points. Each step is a box on the peeling trajectory, with its
//! *coverage* (the share of all cases that fall in it) and *density* (the share of its points
//! that are cases). The chosen box is the one of highest coverage whose density reaches the
//! threshold; it is then pasted: widened again on any side where that raises its density.
//!
//! On a grid, values tie: a peel removes every point at the lowest (or highest) remaining level of
//! a parameter when the `alpha` quantile falls on that level, so a peel is never empty.

/// Tuning of the peeling (defaults as in the EMA Workbench: `alpha` 0.05, `min_mass` 0.05).
#[derive(Debug, Clone, Copy)]
pub struct PrimSettings {
    /// Fraction of the box's points removed by one peel, in (0, 0.5].
    pub alpha: f64,
    /// Smallest box, as a fraction of all points, in (0, 1].
    pub min_mass: f64,
    /// Density the chosen box must reach, in (0, 1].
    pub threshold: f64,
}

impl Default for PrimSettings {
    fn default() -> Self {
        PrimSettings {
            alpha: 0.05,
            min_mass: 0.05,
            threshold: 0.8,
        }
    }
}

/// A box: per parameter, the lowest and highest value it keeps (inclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
}

impl Limits {
    fn contains(&self, p: &[f64]) -> bool {
        p.iter()
            .zip(self.lo.iter().zip(&self.hi))
            .all(|(v, (lo, hi))| *v >= *lo && *v <= *hi)
    }
}

/// One box on the peeling trajectory, or the pasted box.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimBox {
    /// Peeling step (0: the whole space).
    pub step: usize,
    pub limits: Limits,
    /// Points in the box.
    pub mass: usize,
    /// Cases in the box.
    pub cases: usize,
    /// Cases in the box / all cases.
    pub coverage: f64,
    /// Cases in the box / points in the box.
    pub density: f64,
    /// Parameters the box restricts (a limit inside the range of the data), by index.
    pub restricted: Vec<usize>,
}

/// The outcome of PRIM.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimResult {
    /// Every box of the peeling trajectory, from the whole space.
    pub trajectory: Vec<PrimBox>,
    /// Index in `trajectory` of the box chosen before pasting.
    pub chosen: usize,
    /// The chosen box after pasting.
    pub pasted: PrimBox,
    /// Whether the chosen box reaches the density threshold (otherwise it is the densest box).
    pub reaches_threshold: bool,
    /// Range of the data per parameter (the whole space).
    pub range: Limits,
    /// Points, and cases, overall.
    pub points: usize,
    pub cases: usize,
}

/// Runs PRIM. `x` has one row per point; every row has the same length; `y` has one entry per row.
/// Returns `None` when there are no points or no cases.
pub fn prim(x: &[Vec<f64>], y: &[bool], s: PrimSettings) -> Option<PrimResult> {
    let n = x.len();
    let d = x.first().map_or(0, Vec::len);
    let total_cases = y.iter().filter(|&&c| c).count();
    if n == 0 || total_cases == 0 || y.len() != n {
        return None;
    }
    let range = Limits {
        lo: (0..d)
            .map(|j| x.iter().map(|r| r[j]).fold(f64::INFINITY, f64::min))
            .collect(),
        hi: (0..d)
            .map(|j| x.iter().map(|r| r[j]).fold(f64::NEG_INFINITY, f64::max))
            .collect(),
    };
    let describe = |step: usize, limits: Limits| -> PrimBox {
        let inside: Vec<usize> = (0..n).filter(|&i| limits.contains(&x[i])).collect();
        let cases = inside.iter().filter(|&&i| y[i]).count();
        let restricted = (0..d)
            .filter(|&j| limits.lo[j] > range.lo[j] || limits.hi[j] < range.hi[j])
            .collect();
        PrimBox {
            step,
            mass: inside.len(),
            cases,
            coverage: cases as f64 / total_cases as f64,
            density: if inside.is_empty() {
                0.0
            } else {
                cases as f64 / inside.len() as f64
            },
            restricted,
            limits,
        }
    };
    let min_mass = ((s.min_mass * n as f64).ceil() as usize).max(1);
    let mut trajectory = vec![describe(0, range.clone())];
    loop {
        let current = trajectory
            .last()
            .expect("the whole space is on the trajectory");
        if current.density >= 1.0 {
            break;
        }
        let Some(next) = best_peel(x, y, current, s.alpha, min_mass) else {
            break;
        };
        let b = describe(trajectory.len(), next);
        if b.density < current.density {
            break;
        }
        trajectory.push(b);
    }
    let reaching: Vec<usize> = (0..trajectory.len())
        .filter(|&k| trajectory[k].density >= s.threshold)
        .collect();
    let chosen = match reaching.first() {
        // Coverage falls along the trajectory: the first box that reaches the threshold covers most.
        Some(&k) => k,
        None => (0..trajectory.len())
            .max_by(|&a, &b| trajectory[a].density.total_cmp(&trajectory[b].density))
            .unwrap_or(0),
    };
    let pasted = paste(x, &trajectory[chosen], &range, s.alpha, &describe);
    Some(PrimResult {
        reaches_threshold: !reaching.is_empty(),
        chosen,
        pasted,
        trajectory,
        range,
        points: n,
        cases: total_cases,
    })
}

/// The peel that leaves the densest box of at least `min_mass` points (ties: the larger box, then
/// the first parameter, low side first); `None` when no peel keeps enough points.
fn best_peel(
    x: &[Vec<f64>],
    y: &[bool],
    current: &PrimBox,
    alpha: f64,
    min_mass: usize,
) -> Option<Limits> {
    let inside: Vec<usize> = (0..x.len())
        .filter(|&i| current.limits.contains(&x[i]))
        .collect();
    let d = current.limits.lo.len();
    let mut best: Option<(f64, usize, Limits)> = None;
    for j in 0..d {
        let mut values: Vec<f64> = inside.iter().map(|&i| x[i][j]).collect();
        values.sort_by(f64::total_cmp);
        let (Some(&min), Some(&max)) = (values.first(), values.last()) else {
            continue;
        };
        if min == max {
            continue;
        }
        let k = ((alpha * values.len() as f64).floor() as usize).max(1);
        for low_side in [true, false] {
            let mut limits = current.limits.clone();
            if low_side {
                // Keep values above the k-th smallest; on ties, drop the whole lowest level.
                let cut = values[k - 1];
                limits.lo[j] = values
                    .iter()
                    .copied()
                    .find(|&v| v > cut)
                    .unwrap_or(max)
                    .max(min);
            } else {
                let cut = values[values.len() - k];
                limits.hi[j] = values
                    .iter()
                    .rev()
                    .copied()
                    .find(|&v| v < cut)
                    .unwrap_or(min);
            }
            let kept: Vec<usize> = inside
                .iter()
                .copied()
                .filter(|&i| limits.contains(&x[i]))
                .collect();
            if kept.len() < min_mass || kept.len() == inside.len() {
                continue;
            }
            let density = kept.iter().filter(|&&i| y[i]).count() as f64 / kept.len() as f64;
            let better = match &best {
                None => true,
                Some((bd, bm, _)) => density > *bd || (density == *bd && kept.len() > *bm),
            };
            if better {
                best = Some((density, kept.len(), limits));
            }
        }
    }
    best.map(|(_, _, l)| l)
}

/// Widens `b` on any side where taking back points (a fraction `alpha` of the box's mass, at least
/// one distinct value) raises its density, the best such side first, until none does.
fn paste(
    x: &[Vec<f64>],
    b: &PrimBox,
    range: &Limits,
    alpha: f64,
    describe: &dyn Fn(usize, Limits) -> PrimBox,
) -> PrimBox {
    let mut current = b.clone();
    loop {
        let mut best: Option<PrimBox> = None;
        let d = current.limits.lo.len();
        for j in 0..d {
            for low_side in [true, false] {
                // Points outside the box on this side only (inside on every other parameter).
                let mut outside: Vec<f64> = x
                    .iter()
                    .filter(|p| {
                        let v = p[j];
                        let beyond = if low_side {
                            v < current.limits.lo[j]
                        } else {
                            v > current.limits.hi[j]
                        };
                        beyond
                            && (0..d).all(|k| {
                                k == j
                                    || (p[k] >= current.limits.lo[k]
                                        && p[k] <= current.limits.hi[k])
                            })
                    })
                    .map(|p| p[j])
                    .collect();
                if outside.is_empty() {
                    continue;
                }
                // Nearest first.
                outside.sort_by(f64::total_cmp);
                if low_side {
                    outside.reverse();
                }
                let k = ((alpha * current.mass as f64).floor() as usize)
                    .max(1)
                    .min(outside.len());
                let mut limits = current.limits.clone();
                if low_side {
                    limits.lo[j] = outside[k - 1].max(range.lo[j]);
                } else {
                    limits.hi[j] = outside[k - 1].min(range.hi[j]);
                }
                let candidate = describe(current.step, limits);
                let better = best
                    .as_ref()
                    .is_none_or(|bb| candidate.density > bb.density);
                if candidate.density > current.density && better {
                    best = Some(candidate);
                }
            }
        }
        match best {
            Some(bb) => current = bb,
            None => return current,
        }
    }
}

/// The one-sided binomial p-value that a box's density would be at least as high as it is if its
/// restriction of parameter `j` were dropped — the probability, under that looser box's density,
/// of seeing at least `b.cases` cases among `b.mass` points (the "quasi-p-value" of Bryant and
/// Lempert's PRIM diagnostics). A high value says the restriction adds little.
pub fn restriction_p_value(
    x: &[Vec<f64>],
    y: &[bool],
    b: &PrimBox,
    range: &Limits,
    j: usize,
) -> f64 {
    let mut looser = b.limits.clone();
    looser.lo[j] = range.lo[j];
    looser.hi[j] = range.hi[j];
    let inside: Vec<usize> = (0..x.len()).filter(|&i| looser.contains(&x[i])).collect();
    if inside.is_empty() {
        return 1.0;
    }
    let p = inside.iter().filter(|&&i| y[i]).count() as f64 / inside.len() as f64;
    binomial_upper_tail(b.mass as u64, b.cases as u64, p)
}

/// P(X ≥ k) for X ~ Binomial(n, p), summed in log space.
fn binomial_upper_tail(n: u64, k: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let ln_choose = |n: u64, r: u64| -> f64 {
        (1..=r)
            .map(|i| ((n - r + i) as f64).ln() - (i as f64).ln())
            .sum()
    };
    (k..=n)
        .map(|i| (ln_choose(n, i) + i as f64 * p.ln() + (n - i) as f64 * (1.0 - p).ln()).exp())
        .sum::<f64>()
        .min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reproducible stream of uniforms (the tests need no real randomness, only spread).
    fn uniforms(seed: u64) -> impl FnMut() -> f64 {
        let mut s = seed;
        move || {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// 2,000 points in the unit cube (3 parameters); cases are the points of the planted box
    /// x0 < 0.3 and x1 > 0.6 (18 % of the space), with a fraction `noise` of labels flipped.
    fn planted(noise: f64) -> (Vec<Vec<f64>>, Vec<bool>) {
        let mut u = uniforms(7);
        let x: Vec<Vec<f64>> = (0..2000).map(|_| vec![u(), u(), u()]).collect();
        let y = x
            .iter()
            .map(|p| (p[0] < 0.3 && p[1] > 0.6) != (u() < noise))
            .collect();
        (x, y)
    }

    #[test]
    fn finds_a_planted_box_and_restricts_only_its_parameters() {
        let (x, y) = planted(0.0);
        // A threshold near 1 peels down to the planted box (the default, 0.8, stops at a looser
        // box that already has 80 % cases).
        let r = prim(
            &x,
            &y,
            PrimSettings {
                threshold: 0.97,
                ..PrimSettings::default()
            },
        )
        .unwrap();
        let b = &r.pasted;
        assert_eq!(b.restricted, vec![0, 1], "{b:?}");
        // Limits within a peel's width (5 % of the remaining points) of the truth.
        assert!(b.limits.hi[0] > 0.25 && b.limits.hi[0] < 0.35, "{b:?}");
        assert!(b.limits.lo[1] > 0.55 && b.limits.lo[1] < 0.65, "{b:?}");
        assert!(b.density >= 0.97 && b.coverage >= 0.8, "{b:?}");
        assert!(r.reaches_threshold);
        // The trajectory starts with the whole space at the base rate and never loses density.
        assert_eq!(r.trajectory[0].mass, 2000);
        assert_eq!(r.trajectory[0].coverage, 1.0);
        for w in r.trajectory.windows(2) {
            assert!(w[1].density >= w[0].density && w[1].coverage <= w[0].coverage);
            assert!(w[1].mass < w[0].mass);
        }
    }

    #[test]
    fn noise_lowers_density_but_the_box_stays() {
        let (x, y) = planted(0.1);
        let r = prim(
            &x,
            &y,
            PrimSettings {
                threshold: 0.85,
                ..PrimSettings::default()
            },
        )
        .unwrap();
        let b = &r.pasted;
        assert_eq!(b.restricted, vec![0, 1], "{b:?}");
        assert!(b.limits.hi[0] > 0.2 && b.limits.hi[0] < 0.4, "{b:?}");
        assert!(b.limits.lo[1] > 0.5 && b.limits.lo[1] < 0.7, "{b:?}");
        // 10 % of labels flipped: the planted box holds about 90 % cases, and no honest box much more.
        assert!(b.density >= 0.85 && b.density < 0.97, "{b:?}");
        // The restrictions matter: dropping either makes such a density implausible.
        for j in [0, 1] {
            let p = restriction_p_value(&x, &y, b, &r.range, j);
            assert!(p < 1e-6, "parameter {j}: {p}");
        }
    }

    #[test]
    fn grid_levels_are_peeled_whole() {
        // A 5 × 5 grid (levels 0, 0.25, …, 1); cases where the first parameter is 0 or 0.25.
        let mut x = Vec::new();
        for a in 0..5 {
            for b in 0..5 {
                x.push(vec![a as f64 / 4.0, b as f64 / 4.0]);
            }
        }
        let y: Vec<bool> = x.iter().map(|p| p[0] <= 0.25).collect();
        let r = prim(&x, &y, PrimSettings::default()).unwrap();
        let b = &r.pasted;
        assert_eq!(b.limits.lo, vec![0.0, 0.0]);
        assert_eq!(b.limits.hi, vec![0.25, 1.0]);
        assert_eq!((b.mass, b.cases, b.density, b.coverage), (10, 10, 1.0, 1.0));
        assert_eq!(b.restricted, vec![0]);
    }

    #[test]
    fn no_cases_or_no_points_give_no_box() {
        assert!(prim(&[], &[], PrimSettings::default()).is_none());
        let x = vec![vec![0.0], vec![1.0]];
        assert!(prim(&x, &[false, false], PrimSettings::default()).is_none());
    }

    #[test]
    fn binomial_tail_matches_exact_values() {
        // P(X ≥ 2), X ~ B(3, 0.5) = 4/8.
        assert!((binomial_upper_tail(3, 2, 0.5) - 0.5).abs() < 1e-12);
        // P(X ≥ 10), X ~ B(10, 0.2) = 0.2^10.
        assert!((binomial_upper_tail(10, 10, 0.2) - 0.2f64.powi(10)).abs() < 1e-18);
        assert_eq!(binomial_upper_tail(10, 0, 0.3), 1.0);
    }
}
