//! The ECS data of the model: components, resources, events, and the event log (the record of what
//! happened). No I/O, no behaviour.

pub mod agenda;
pub mod components;
pub mod event_log;
pub mod plan;
pub mod resources;
pub mod seat;

pub use agenda::*;
pub use components::*;
pub use resources::*;
