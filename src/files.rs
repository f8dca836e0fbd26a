//! Writing files so that a reader never sees half of one: through a hidden sibling and a rename.

use anyhow::{Context, Result};
use std::path::Path;

/// Runs `write` on a hidden sibling of `path` (same extension, so an encoder that goes by the
/// extension knows the format), then renames it into place; removes the sibling if anything fails.
pub fn write_through_temporary(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".partial-{}-{name}", std::process::id()));
    let result = write(&tmp).and_then(|()| {
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
    });
    if result.is_err() {
        // Best effort: the error being returned matters more than a leftover temporary file.
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to `path` through a temporary sibling and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_through_temporary(path, |tmp| {
        std::fs::write(tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_is_left() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("a.csv");
        write_atomically(&path, b"first").expect("writes");
        write_atomically(&path, b"second").expect("replaces");
        assert_eq!(std::fs::read(&path).expect("reads"), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("lists")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.csv")]);
    }

    #[test]
    fn a_failed_write_leaves_neither_the_file_nor_a_temporary() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("plot.png");
        let err = write_through_temporary(&path, |tmp| {
            std::fs::write(tmp, b"half")?;
            anyhow::bail!("the encoder failed")
        })
        .expect_err("the failure is returned");
        assert!(err.to_string().contains("encoder failed"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).expect("lists").count(), 0);
    }

    #[test]
    fn writing_into_a_missing_folder_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("missing").join("sweep.json");
        let err = write_atomically(&path, b"{}").expect_err("no such folder");
        assert!(format!("{err:#}").contains("sweep.json"), "{err:#}");
    }
}
