//! Reports: the terminal table, `summary.json`, `replicates.csv`, the manifest, the result folder, and
//! the plots of results and sweeps with the data they are drawn from.

pub mod breakdown;
pub mod csv_out;
pub mod dictionary;
pub mod discovery;
pub mod document;
pub mod events;
pub mod folder;
pub mod manifest;
pub mod measure_effects;
pub mod mechanisms;
pub mod morris;
pub mod pairs;
pub mod plotdata;
pub mod plots;
pub mod posterior;
pub mod results;
pub mod sobol;
pub mod summary;
pub mod sweep_plotdata;
pub mod table;
