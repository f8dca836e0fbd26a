//! Scenario files: serde types, loading with located errors, validation, and resolution to indices.

pub mod builtin;
pub mod compile;
pub mod load;
pub mod locate;
pub mod reference;
pub mod text;
pub mod types;
pub mod validate;

pub use compile::Compiled;
pub use load::{load_scenario, parse_scenario};
pub use types::Scenario;
