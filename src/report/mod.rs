//! Reports: the terminal table, `summary.json`, `replicates.csv`, the manifest, and the result folder.

pub mod csv_out;
pub mod folder;
pub mod summary;
pub mod table;
