//! Reports: the terminal table, `summary.json`, `replicates.csv`, the manifest, and the result folder.

pub mod csv_out;
pub mod dictionary;
pub mod document;
pub mod folder;
pub mod manifest;
pub mod plotdata;
pub mod plots;
pub mod results;
pub mod summary;
pub mod table;
