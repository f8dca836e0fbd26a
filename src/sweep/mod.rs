//! Parameter sweeps: a design of points over scenario parameters, each run in paired arms.

pub mod design;
pub mod discover;
pub mod load;
pub mod merge;
pub mod output;
pub mod path;
pub mod rows;
pub mod run;
pub mod sensitivity;
pub mod shard;
pub mod sobol;
pub mod spec;
pub mod table;
