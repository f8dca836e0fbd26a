//! Parameter sweeps: a design of points over scenario parameters, each run in paired arms.

pub mod plotdata;
