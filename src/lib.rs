//! escalate: a Monte Carlo simulator of cyber escalation between states, acting directly and through
//! proxies and mercenaries, with and without confidence-building channels.
//!
//! The library is organised in layers, each importing only the ones below it (docs/ARCHITECTURE.md;
//! `scripts/check-layers.sh` enforces it): the foundation ([`error`], [`files`], [`rng`], [`units`]),
//! [`scenario`] (what users write, validated and compiled), [`model`] (ECS data and the event log,
//! with [`outcome`]), [`systems`] (behaviour, one phase per file), [`sim`] (one replicate, with
//! [`timeline`]), [`montecarlo`] (paired replicates in parallel, statistics), [`report`] (tables,
//! files, plots), [`sweep`] (parameter sweeps), [`demo`] (the narrated classroom run), [`play`] (a
//! student in one state's seat) and [`cli`].
//!
//! Running one replicate of the built-in scenario in each arm, as the Monte Carlo layer does:
//!
//! ```
//! use escalate::scenario::parse_scenario;
//! use escalate::scenario::load::DEFAULT_SCENARIO;
//! use escalate::sim::Simulator;
//! use std::sync::Arc;
//!
//! // Parsing validates the scenario and compiles it (names resolved to indices).
//! let compiled = parse_scenario("default", DEFAULT_SCENARIO).expect("the built-in scenario is valid");
//! let params = Arc::new(compiled);
//! let mut sim = Simulator::new(params.clone());
//! let without = sim.run(2016, 0, 0); // master seed, replicate, arm ("without channels")
//! let with = sim.run(2016, 0, 1); // the same replicate with every channel on
//! assert_eq!(params.arms[1].name, "with channels");
//! // The arms share their operations: what differs is what the channels changed.
//! assert!(without.outcome.ops_detected <= without.outcome.ops_launched);
//! assert_eq!(sim.run(2016, 0, 0), without); // a run is a function of seed, replicate and arm
//! # let _ = with;
//! ```

pub mod calibrate;
pub mod classroom;
pub mod cli;
pub mod demo;
pub mod error;
pub mod files;
pub mod model;
pub mod montecarlo;
pub mod outcome;
pub mod play;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod sweep;
pub mod systems;
pub mod timeline;
pub mod units;
