//! Calibration by approximate Bayesian computation: priors over the scenario's uncertain parameters,
//! target statistics of one arm, sequential Monte Carlo ABC on the Monte Carlo engine, and the
//! output folder of `escalate calibrate`, and
//! reading that folder back for `escalate run --posterior`.

pub mod checkpoint;
pub mod load;
pub mod output;
pub mod posterior;
pub mod prior;
pub mod run;
pub mod smc;
pub mod spec;
pub mod statistics;
