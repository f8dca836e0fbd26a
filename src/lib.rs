//! escalate: a Monte Carlo simulator of cyber escalation between states, acting directly and through
//! proxies and mercenaries, with and without confidence-building channels.
//!
//! The library is organised as the model's layers: [`scenario`] (what users write), [`model`] (ECS
//! data), [`systems`] (behaviour, one phase per file), [`sim`] (one replicate), [`montecarlo`]
//! (paired replicates in parallel, statistics) and [`report`] (tables and files).

pub mod cli;
pub mod error;
pub mod model;
pub mod montecarlo;
pub mod outcome;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod systems;
