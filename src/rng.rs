//! Seeded random streams: one ChaCha8 stream per (master seed, replicate, random process), with
//! sub-streams keyed by a stable event key, so that the arms of a replicate share their draws.
//!
//! A draw about operation 17 of source 2 comes from the same numbers in every arm, whatever else
//! happened before it in that arm: that is what makes the arms' difference the effect of the channels
//! (common random numbers) rather than noise.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The random processes of the model. Each has its own stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Process {
    /// Arrival times and attributes of operations.
    Planning = 1,
    /// Agreement and pledge compliance.
    Compliance = 2,
    /// Detection and its delay.
    Detection = 3,
    /// Attribution: misleading evidence, analysts' skill, confidence growth.
    Attribution = 4,
    /// Channel availability, reliability and whether answers are believed.
    Channels = 5,
    /// Response choice (restraint or escalation noise) and honesty of the accused.
    Response = 6,
    /// Dialogue rounds.
    Dialogue = 7,
    /// What scripted operations (injects) leave unsaid; keyed by the inject, so that every other
    /// process's draws stay as they are without the inject.
    Inject = 8,
}

const PROCESSES: usize = 8;

/// SplitMix64 finaliser: a bijective mix of 64 bits.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Combines two keys into one (order matters).
pub fn combine(a: u64, b: u64) -> u64 {
    mix64(a ^ mix64(b).rotate_left(17))
}

/// The seed of one replicate, derived from the master seed (printed in `replicates.csv`).
pub fn replicate_seed(master: u64, replicate: u64) -> u64 {
    combine(mix64(master), replicate)
}

/// A standard normal from two uniforms in (0, 1) (Box–Muller).
pub fn box_muller(u1: f64, u2: f64) -> f64 {
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// The per-replicate set of streams.
#[derive(Debug, Clone)]
pub struct Streams {
    seed: u64,
    rngs: [ChaCha8Rng; PROCESSES],
}

impl Streams {
    /// Streams for a replicate seed.
    pub fn new(replicate_seed: u64) -> Streams {
        Streams {
            seed: replicate_seed,
            rngs: std::array::from_fn(|i| {
                ChaCha8Rng::seed_from_u64(combine(replicate_seed, i as u64 + 1))
            }),
        }
    }

    /// The replicate seed the streams were built from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// An owned copy of the stream of `process`, positioned at the start of sub-stream `key`, for a
    /// long sequence of draws (e.g. every operation of one source).
    pub fn sequence(&self, process: Process, key: u64) -> ChaCha8Rng {
        let mut rng = self.rngs[process as usize - 1].clone();
        position(&mut rng, key);
        rng
    }

    /// The stream of `process`, positioned at the start of the sub-stream `key`.
    pub fn keyed(&mut self, process: Process, key: u64) -> Draws<'_> {
        let rng = &mut self.rngs[process as usize - 1];
        position(rng, key);
        Draws { rng }
    }
}

/// Positions `rng` at the start of its sub-stream `key`. The word position goes first: it empties
/// the buffer without refilling it, so the stream change that follows has nothing to regenerate
/// (`set_stream` on a partly used buffer refills it, and a `set_word_pos(0)` after it threw that
/// refill away: two wasted four-block refills per keyed draw). The next draw fills the buffer once.
fn position(rng: &mut ChaCha8Rng, key: u64) {
    rng.set_word_pos(0);
    rng.set_stream(key);
}

/// Draws from one positioned stream.
pub struct Draws<'a> {
    rng: &'a mut ChaCha8Rng,
}

impl<'a> Draws<'a> {
    /// Draws from an owned stream (see [`Streams::sequence`]).
    pub fn from(rng: &'a mut ChaCha8Rng) -> Draws<'a> {
        Draws { rng }
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        // 32 random bits are plenty for the probabilities of this model and halve the stream's work.
        (f64::from(self.rng.next_u32()) + 0.5) * (1.0 / 4_294_967_296.0)
    }

    /// True with probability `p`. Always consumes one draw, so that streams stay aligned whatever `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Standard normal (Box–Muller; consumes two draws).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform();
        let u2 = self.uniform();
        box_muller(u1, u2)
    }

    /// Log-normal with the given median and log standard deviation.
    pub fn lognormal(&mut self, median: f64, spread: f64) -> f64 {
        median * (spread * self.normal()).exp()
    }

    /// Exponential with the given rate (per unit of time).
    pub fn exponential(&mut self, rate: f64) -> f64 {
        -self.uniform().ln() / rate
    }

    /// Index drawn from a cumulative distribution.
    pub fn pick(&mut self, cdf: &[f64]) -> usize {
        let u = self.uniform();
        cdf.iter().position(|c| u < *c).unwrap_or(cdf.len() - 1)
    }

    /// Uniform index in 0..n (n ≥ 1).
    pub fn index(&mut self, n: usize) -> usize {
        ((self.uniform() * n as f64) as usize).min(n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_draws_do_not_depend_on_what_was_drawn_before() {
        let mut a = Streams::new(42);
        let mut b = Streams::new(42);
        let _ = a.keyed(Process::Detection, 5).uniform();
        let _ = a.keyed(Process::Detection, 6).normal();
        let x = a.keyed(Process::Detection, 7).uniform();
        let y = b.keyed(Process::Detection, 7).uniform();
        assert_eq!(x, y);
    }

    #[test]
    fn a_sequence_starts_where_a_keyed_stream_starts() {
        let mut s = Streams::new(3);
        let mut seq = s.sequence(Process::Planning, 11);
        let a = Draws::from(&mut seq).uniform();
        let b = s.keyed(Process::Planning, 11).uniform();
        assert_eq!(a, b);
    }

    #[test]
    fn a_keyed_stream_starts_at_its_start_whatever_was_drawn_from_the_last_one() {
        // The reference: a fresh generator set to the sub-stream, word by word from the start.
        let mut fresh = ChaCha8Rng::seed_from_u64(combine(77, Process::Response as u64));
        fresh.set_stream(9);
        let expected: Vec<u32> = (0..70).map(|_| fresh.next_u32()).collect();
        let mut s = Streams::new(77);
        // Leave the buffer partly used (3 words), then fully used and refilled (65 words).
        for used in [3, 65] {
            let mut d = s.keyed(Process::Response, 4);
            for _ in 0..used {
                d.uniform();
            }
            let rng = &mut s.rngs[Process::Response as usize - 1];
            position(rng, 9);
            let got: Vec<u32> = (0..70).map(|_| rng.next_u32()).collect();
            assert_eq!(got, expected, "after {used} words of another sub-stream");
        }
    }

    #[test]
    fn processes_and_keys_give_different_numbers() {
        let mut s = Streams::new(1);
        let a = s.keyed(Process::Detection, 1).uniform();
        let b = s.keyed(Process::Attribution, 1).uniform();
        let c = s.keyed(Process::Detection, 2).uniform();
        assert!(a != b && a != c && b != c);
    }

    #[test]
    fn uniform_draws_have_the_right_mean() {
        // Mean of n uniforms: sd = sqrt(1/12/n); 5 sd band.
        let mut s = Streams::new(9);
        let mut d = s.keyed(Process::Planning, 0);
        let n = 100_000;
        let mean = (0..n).map(|_| d.uniform()).sum::<f64>() / n as f64;
        let sd = (1.0 / 12.0 / n as f64).sqrt();
        assert!((mean - 0.5).abs() < 5.0 * sd, "mean {mean}");
    }
}
