//! Prior distributions: sampling, density, support and moments (no dependency beyond our streams).

use super::spec::Distribution;
use crate::rng::Draws;

/// Draws before a truncated normal sample gives up (the loader refuses truncations holding less
/// than [`MIN_NORMAL_MASS`] of the normal, so this is never reached in practice).
const MAX_TRUNCATION_TRIES: u32 = 100_000;

/// The least share of a normal prior's mass its bounds must keep.
pub const MIN_NORMAL_MASS: f64 = 1e-3;

impl Distribution {
    /// The support's bounds.
    pub fn bounds(&self) -> (f64, f64) {
        match *self {
            Distribution::Uniform { min, max }
            | Distribution::LogUniform { min, max }
            | Distribution::Beta { min, max, .. }
            | Distribution::Normal { min, max, .. } => (min, max),
        }
    }

    /// Whether `x` lies in the support.
    pub fn contains(&self, x: f64) -> bool {
        let (lo, hi) = self.bounds();
        x >= lo && x <= hi
    }

    /// Density at `x` (0 outside the support).
    pub fn density(&self, x: f64) -> f64 {
        if !self.contains(x) {
            return 0.0;
        }
        match *self {
            Distribution::Uniform { min, max } => 1.0 / (max - min),
            Distribution::LogUniform { min, max } => 1.0 / (x * (max / min).ln()),
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => {
                let w = max - min;
                let u = ((x - min) / w).clamp(0.0, 1.0);
                let log = (alpha - 1.0) * u.ln() + (beta - 1.0) * (1.0 - u).ln()
                    - ln_beta(alpha, beta)
                    - w.ln();
                log.exp()
            }
            Distribution::Normal { mean, sd, min, max } => {
                let z = (x - mean) / sd;
                let mass = normal_cdf((max - mean) / sd) - normal_cdf((min - mean) / sd);
                (-0.5 * z * z).exp() / (sd * (std::f64::consts::TAU).sqrt() * mass)
            }
        }
    }

    /// One draw.
    pub fn sample(&self, d: &mut Draws<'_>) -> f64 {
        match *self {
            Distribution::Uniform { min, max } => min + (max - min) * d.uniform(),
            Distribution::LogUniform { min, max } => {
                (min.ln() + (max / min).ln() * d.uniform()).exp()
            }
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => {
                let a = gamma(alpha, d);
                let b = gamma(beta, d);
                min + (max - min) * a / (a + b)
            }
            Distribution::Normal { mean, sd, min, max } => {
                for _ in 0..MAX_TRUNCATION_TRIES {
                    let x = mean + sd * d.normal();
                    if (min..=max).contains(&x) {
                        return x;
                    }
                }
                // Unreachable for a prior the loader accepted; the midpoint keeps the run going.
                0.5 * (min + max)
            }
        }
    }

    /// Standard deviation of the distribution (for the "data inform it" rule), computed by
    /// quadrature on a fine grid so every family is treated alike.
    pub fn sd(&self) -> f64 {
        let (lo, hi) = self.bounds();
        const STEPS: usize = 20_000;
        let h = (hi - lo) / STEPS as f64;
        let (mut m0, mut m1, mut m2) = (0.0, 0.0, 0.0);
        for i in 0..STEPS {
            let x = lo + (i as f64 + 0.5) * h;
            let p = self.density(x) * h;
            m0 += p;
            m1 += p * x;
            m2 += p * x * x;
        }
        let mean = m1 / m0;
        (m2 / m0 - mean * mean).max(0.0).sqrt()
    }

    /// The family's name and parameters, for reports.
    pub fn describe(&self) -> String {
        match *self {
            Distribution::Uniform { min, max } => format!("uniform on [{min}, {max}]"),
            Distribution::LogUniform { min, max } => format!("log-uniform on [{min}, {max}]"),
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => format!("beta({alpha}, {beta}) on [{min}, {max}]"),
            Distribution::Normal { mean, sd, min, max } => {
                format!("normal({mean}, sd {sd}) truncated to [{min}, {max}]")
            }
        }
    }
}

/// A Gamma(shape, 1) draw (Marsaglia and Tsang 2000; shapes below 1 through the boost
/// Gamma(a) = Gamma(a + 1)·U^(1/a)).
fn gamma(shape: f64, d: &mut Draws<'_>) -> f64 {
    if shape < 1.0 {
        let u = d.uniform();
        return gamma(shape + 1.0, d) * u.powf(1.0 / shape);
    }
    let dd = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * dd).sqrt();
    loop {
        let x = d.normal();
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u = d.uniform();
        if u.ln() < 0.5 * x * x + dd - dd * v + dd * v.ln() {
            return dd * v;
        }
    }
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (std::f64::consts::TAU).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// The standard normal distribution function (erfc by the Numerical Recipes Chebyshev fit,
/// relative error below 1.2e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = -z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let y = t
        * (-x * x - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    let erfc = if x >= 0.0 { y } else { 2.0 - y };
    0.5 * erfc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Streams;

    fn all() -> Vec<Distribution> {
        vec![
            Distribution::Uniform { min: 2.0, max: 5.0 },
            Distribution::LogUniform {
                min: 0.5,
                max: 50.0,
            },
            Distribution::Beta {
                alpha: 2.0,
                beta: 5.0,
                min: 0.0,
                max: 1.0,
            },
            Distribution::Beta {
                alpha: 0.5,
                beta: 0.8,
                min: 1.0,
                max: 3.0,
            },
            Distribution::Normal {
                mean: 1.0,
                sd: 1.0,
                min: 0.0,
                max: 4.0,
            },
        ]
    }

    #[test]
    fn densities_integrate_to_one() {
        for d in all() {
            let (lo, hi) = d.bounds();
            let n = 200_000;
            let h = (hi - lo) / n as f64;
            let total: f64 = (0..n)
                .map(|i| d.density(lo + (i as f64 + 0.5) * h) * h)
                .sum();
            // Midpoint rule; the beta(0.5, 0.8) has integrable spikes at its ends, hence 1 %.
            assert!((total - 1.0).abs() < 0.01, "{d:?}: {total}");
        }
    }

    #[test]
    fn samples_stay_in_the_support_and_match_the_mean() {
        // 20,000 draws: the sample mean is within 5 standard errors of the true mean (a false
        // failure has probability below 1e-6 per distribution).
        let mut streams = Streams::new(7);
        let mut draws = streams.keyed(crate::rng::Process::Planning, 0);
        for d in all() {
            let (lo, hi) = d.bounds();
            let n = 20_000;
            let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut draws)).collect();
            assert!(xs.iter().all(|x| (lo..=hi).contains(x)), "{d:?}");
            let h = (hi - lo) / 100_000.0;
            let mean: f64 = (0..100_000)
                .map(|i| {
                    let x = lo + (i as f64 + 0.5) * h;
                    x * d.density(x) * h
                })
                .sum();
            let m = xs.iter().sum::<f64>() / n as f64;
            let se = d.sd() / (n as f64).sqrt();
            assert!(
                (m - mean).abs() < 5.0 * se + 0.005 * mean.abs(),
                "{d:?}: {m} vs {mean}"
            );
        }
    }

    #[test]
    fn special_functions_match_known_values() {
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-12);
        assert!((normal_cdf(1.959_963_985) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
    }
}
