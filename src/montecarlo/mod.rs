//! Monte Carlo: arms, paired replicates on rayon, streaming statistics.

pub mod aggregate;
pub mod metrics;
pub mod runner;
pub mod stats;

pub use aggregate::{Aggregate, ArmAggregate};
pub use runner::{Interrupted, RunConfig, run_paired};
