//! The ECS data of the model: components, resources and events. No I/O, no behaviour.

pub mod components;
pub mod resources;

pub use components::*;
pub use resources::*;
