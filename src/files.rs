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
        // Named by the file being written (a full disk names the file the user knows), with the
        // temporary sibling in the cause's context.
        std::fs::write(tmp, bytes).with_context(|| {
            format!(
                "cannot write {} (through its temporary copy {})",
                path.display(),
                tmp.display()
            )
        })
    })
}

/// Writes `bytes` to `path` through a temporary sibling, then links it into place only if `path`
/// does not exist (the link fails atomically if it does): an existing file is never replaced.
pub fn write_new_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".partial-{}-{name}", std::process::id()));
    let result = std::fs::write(&tmp, bytes)
        .with_context(|| {
            format!(
                "cannot write {} (through its temporary copy {})",
                path.display(),
                tmp.display()
            )
        })
        .and_then(|()| {
            std::fs::hard_link(&tmp, path).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    anyhow::anyhow!(
                        "{} already exists; choose another name (it is never replaced)",
                        path.display()
                    )
                } else {
                    anyhow::Error::new(e).context(format!("cannot write {}", path.display()))
                }
            })
        });
    // Best effort: the file is in place (or the error matters more) whatever becomes of the copy.
    let _ = std::fs::remove_file(&tmp);
    result
}

/// What a failed write means when the storage refused it: a full disk, a file-size limit or a
/// quota. `None` for any other error (its own message says enough).
pub fn storage_hint(e: &anyhow::Error) -> Option<&'static str> {
    e.chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .find_map(|io| match io.raw_os_error() {
            Some(libc::ENOSPC) => Some(
                "the disk is full: free some space or write elsewhere with --out",
            ),
            Some(libc::EFBIG) => Some(
                "a file-size limit was reached (see `ulimit -f`): raise it or write elsewhere with --out",
            ),
            Some(libc::EDQUOT) => Some(
                "the disk quota is exceeded: free some space or write elsewhere with --out",
            ),
            _ => None,
        })
}

/// Largest result file escalate reads back (summary.json, manifest.json, a CSV, sweep files): a
/// run within its memory limit writes far less (a century's timeline of 255 rungs in 64 arms is the
/// largest, under 1 GiB), and a larger file would be held in memory several times over.
pub const MAX_RESULT_FILE_BYTES: u64 = 1 << 30;

/// Opens `path` for reading after checking that it is a regular file (not a device, a pipe or a
/// link to one, such as /dev/zero) of at most `limit` bytes; the reader stops at the limit even if
/// the file grows meanwhile.
pub fn open_bounded(path: &Path, limit: u64) -> Result<std::io::Take<std::fs::File>> {
    use std::io::Read;
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if !meta.is_file() {
        anyhow::bail!(
            "{} is not a regular file (a folder, a device, a pipe or a link to one); escalate reads only the files it wrote",
            path.display()
        );
    }
    if meta.len() > limit {
        anyhow::bail!(
            "{} is {} bytes, more than the {} MiB escalate reads back; it was not written by a run within the limits",
            path.display(),
            meta.len(),
            limit / (1024 * 1024)
        );
    }
    let f = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(f.take(limit))
}

/// Reads a whole text file written by escalate, bounded as [`open_bounded`].
pub fn read_bounded_to_string(path: &Path, limit: u64) -> Result<String> {
    use std::io::Read;
    let mut text = String::new();
    open_bounded(path, limit)?
        .read_to_string(&mut text)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_reads_refuse_special_and_oversized_files() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("summary.json");
        std::fs::write(&path, b"0123456789").expect("writes");
        assert_eq!(
            read_bounded_to_string(&path, 10).expect("fits"),
            "0123456789"
        );
        let e = read_bounded_to_string(&path, 9).expect_err("too large");
        assert!(format!("{e:#}").contains("is 10 bytes"), "{e:#}");
        let e = read_bounded_to_string(dir.path(), 9).expect_err("a folder");
        assert!(format!("{e:#}").contains("not a regular file"), "{e:#}");
        #[cfg(unix)]
        {
            let link = dir.path().join("timeline.csv");
            std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
            let e = read_bounded_to_string(&link, 1 << 20).expect_err("a device");
            assert!(format!("{e:#}").contains("not a regular file"), "{e:#}");
        }
    }

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
