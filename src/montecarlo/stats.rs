//! Interval estimates: Wilson intervals for proportions, normal intervals for means and for paired
//! differences, and the replicates needed for a target precision.

use serde::{Deserialize, Deserializer, Serialize};

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// An estimate with its 95 % interval: the one interval type of the program (results, sweeps,
/// plots, reports). Written to JSON as `{"value", "lo", "hi"}`; an undefined bound (NaN) is written
/// as `null` and read back as NaN.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Point estimate.
    #[serde(deserialize_with = "nan_if_null")]
    pub value: f64,
    /// Lower bound of the 95 % interval.
    #[serde(deserialize_with = "nan_if_null")]
    pub lo: f64,
    /// Upper bound of the 95 % interval.
    #[serde(deserialize_with = "nan_if_null")]
    pub hi: f64,
}

/// JSON has no NaN: serde_json writes it as `null`, so `null` reads back as NaN (a missing key is
/// still an error).
fn nan_if_null<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

impl Interval {
    /// Width of the interval.
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }
}

/// Wilson score interval for `k` successes in `n` trials.
pub fn wilson(k: u64, n: u64) -> Interval {
    if n == 0 {
        return Interval {
            value: f64::NAN,
            lo: f64::NAN,
            hi: f64::NAN,
        };
    }
    let n_f = n as f64;
    let p = k as f64 / n_f;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denom;
    let half = Z95 * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() / denom;
    // At k = 0 (k = n) the lower (upper) bound is exactly 0 (1); rounding would leave 1e-17.
    let lo = if k == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if k == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Interval { value: p, lo, hi }
}

/// Streaming mean and variance (Welford), accumulated in a fixed order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Moments {
    /// Observations.
    pub n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    /// Adds one observation.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Sample mean.
    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.mean }
    }

    /// Sample standard deviation.
    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            (self.m2 / (self.n - 1) as f64).sqrt()
        }
    }

    /// Mean with its normal 95 % interval (the sample sizes here are large).
    pub fn estimate(&self) -> Interval {
        let m = self.mean();
        let half = if self.n == 0 {
            f64::NAN
        } else {
            Z95 * self.sd() / (self.n as f64).sqrt()
        };
        Interval {
            value: m,
            lo: m - half,
            hi: m + half,
        }
    }
}

/// Replicates needed for a 95 % interval of half-width `half_width` given a standard deviation.
pub fn replicates_for(sd: f64, half_width: f64) -> u64 {
    if half_width <= 0.0 {
        return u64::MAX;
    }
    ((Z95 * sd / half_width).powi(2)).ceil() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_textbook_value() {
        // 10 of 100: Wilson 95 % interval is [0.0552, 0.1744] (Newcombe 1998, method 3).
        let e = wilson(10, 100);
        assert!((e.lo - 0.0552).abs() < 5e-4, "{e:?}");
        assert!((e.hi - 0.1744).abs() < 5e-4, "{e:?}");
    }

    #[test]
    fn wilson_stays_inside_zero_one_at_the_edges() {
        let z = wilson(0, 50);
        assert_eq!(z.lo, 0.0);
        assert!(z.hi > 0.0 && z.hi < 0.1);
        let f = wilson(50, 50);
        assert_eq!(f.hi, 1.0);
        assert!(f.lo > 0.9);
    }

    #[test]
    fn moments_match_the_two_pass_formula() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let mut m = Moments::default();
        xs.iter().for_each(|x| m.push(*x));
        assert!((m.mean() - 5.0).abs() < 1e-12);
        let var = xs.iter().map(|x| (x - 5.0f64).powi(2)).sum::<f64>() / 7.0;
        assert!((m.sd() - var.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn replicates_for_a_proportion_of_one_half() {
        // sd 0.5, half-width 0.01 → (1.96 × 0.5 / 0.01)² ≈ 9604.
        assert_eq!(replicates_for(0.5, 0.01), 9604);
    }
}
