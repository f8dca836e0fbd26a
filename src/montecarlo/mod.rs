//! Monte Carlo: one engine running blocks of replicates on rayon, paired replicates of a scenario,
//! streaming statistics.

pub mod aggregate;
pub mod budget;
pub mod engine;
pub mod mechanisms;
pub mod metrics;
pub mod paired;
pub mod pairs;
pub mod posterior;
pub mod stats;

pub use aggregate::{Aggregate, ArmAggregate, BlockAggregate};
pub use engine::{Engine, EngineOptions, Interrupted};
pub use paired::{run_paired, run_paired_posterior};
