//! Output folders: where results go, what escalate may replace, and how a folder is written.
//!
//! The rules, the same for `run`, `sweep` and `merge`:
//! - without `--out`, results go to a fresh numbered folder under `results/` (`results/runs/NAME-001`,
//!   then `-002`, …), so a default run never collides with earlier or published results;
//! - a folder that does not exist, or is empty, is written without `--force`;
//! - a non-empty folder is replaced only with `--force`, and only when everything in it is a file
//!   escalate writes into that kind of folder: a user's own file inside it, a file, a device, a link
//!   or any other folder is never deleted, with or without `--force`;
//! - while a process writes a folder it holds a lock file beside it (naming its PID); a second writer
//!   gets a clear error, and a lock left by a dead process is taken over;
//! - a result folder is written into a hidden temporary sibling that is renamed into place only when
//!   complete; temporary siblings left by dead processes are removed by the next run that finds them.

use crate::error::InputError;
use anyhow::Context;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What kind of folder escalate writes, which decides the files it may replace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderKind {
    /// A result folder of `escalate run`.
    Result,
    /// A sweep folder of `escalate sweep` or `escalate merge`.
    Sweep,
    /// A folder of `escalate discover`.
    Discovery,
    /// A folder of `escalate calibrate`.
    Calibration,
}

/// Files of a result folder other than the plots.
const RESULT_FILES: &[&str] = &[
    "scenario.ron",
    "summary.json",
    "manifest.json",
    "replicates.csv",
    "attribution.csv",
    "highest_rung.csv",
    "survival.csv",
    "timeline.csv",
    "triggers.csv",
    "report.md",
    "report.html",
    "DATA.md",
    "posterior_draws.csv",
];

/// Files of a sweep folder other than the plots and the `shards` folder.
const SWEEP_FILES: &[&str] = &[
    "sweep.csv",
    "sweep.json",
    "sweep.ron",
    "morris.csv",
    "sobol.csv",
    "sobol.md",
    "manifest.json",
    "DATA.md",
];

/// Files of a discovery folder other than its plot.
const DISCOVERY_FILES: &[&str] = &["discovery.json", "discovery.md", "trajectory.csv"];

/// Files of a calibration folder other than its plots.
const CALIBRATION_FILES: &[&str] = &[
    "calibration.json",
    "calibration.ron",
    "posterior.csv",
    "generations.csv",
    "parameters.csv",
    "predictive.csv",
    "report.md",
];

/// Plot stems of a calibration folder.
pub const CALIBRATION_PLOTS: &[&str] = &["marginals", "pairs", "predictive"];

/// Format tag of a calibration folder's calibration.json (it marks the folder as escalate's).
pub const CALIBRATION_FORMAT: &str = "escalate-calibration-1";

impl FolderKind {
    fn noun(self) -> &'static str {
        match self {
            FolderKind::Result => "result folder",
            FolderKind::Sweep => "sweep folder",
            FolderKind::Discovery => "discovery folder",
            FolderKind::Calibration => "calibration folder",
        }
    }

    /// Whether escalate writes a file or folder of this name into this kind of folder.
    fn writes(self, name: &str) -> bool {
        if is_temporary_name(name) {
            return true;
        }
        let (files, stems): (&[&str], Vec<&str>) = match self {
            FolderKind::Result => (
                RESULT_FILES,
                crate::report::plots::PLOTS
                    .iter()
                    .map(|(s, _)| *s)
                    .collect(),
            ),
            FolderKind::Sweep => (SWEEP_FILES, crate::report::plots::sweep_stems().collect()),
            FolderKind::Discovery => (DISCOVERY_FILES, vec!["discovery"]),
            FolderKind::Calibration => (CALIBRATION_FILES, CALIBRATION_PLOTS.to_vec()),
        };
        files.contains(&name)
            || name
                .rsplit_once('.')
                .is_some_and(|(stem, ext)| matches!(ext, "png" | "svg") && stems.contains(&stem))
    }

    /// Whether the folder shows that escalate wrote it (not merely files with familiar names).
    fn is_marked(self, dir: &Path) -> bool {
        match self {
            FolderKind::Result => is_escalate_manifest(&dir.join("manifest.json")),
            FolderKind::Sweep => {
                dir.join("shards").is_dir()
                    || dir.join("sweep.json").is_file()
                    || is_escalate_manifest(&dir.join("manifest.json"))
            }
            FolderKind::Discovery => std::fs::read_to_string(dir.join("discovery.json"))
                .is_ok_and(|t| t.contains(crate::report::discovery::DISCOVERY_FORMAT)),
            FolderKind::Calibration => std::fs::read_to_string(dir.join("calibration.json"))
                .is_ok_and(|t| t.contains(CALIBRATION_FORMAT)),
        }
    }
}

/// A hidden temporary file or folder escalate makes while writing (`.NAME.partial-PID`, `.partial-PID-NAME`)
/// or its lock file.
fn is_temporary_name(name: &str) -> bool {
    name.starts_with('.') && (name.contains(".partial-") || name.starts_with(".partial-"))
        || name.starts_with('.') && name.ends_with(".lock")
}

fn is_escalate_manifest(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|v| v.get("program").and_then(|p| p.as_str()) == Some("escalate"))
}

/// What stands at a path, for messages.
fn describe(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_symlink() {
        return "a symbolic link";
    }
    if t.is_file() {
        return "a file";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a folder"
    }
}

/// Whether `dir` is a folder with nothing in it.
pub fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Checks that `target` may be written: it does not exist, is an empty folder, or (with `force`) is a
/// folder of `kind` holding only what escalate writes there. Never allows a file, device or link.
pub fn check_writable(target: &Path, kind: FolderKind, force: bool) -> Result<(), InputError> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(InputError::Read {
                path: target.display().to_string(),
                cause: e,
            });
        }
    };
    if !meta.file_type().is_dir() {
        return Err(InputError::OutputNotFolder {
            path: target.display().to_string(),
            what: describe(&meta),
        });
    }
    if is_empty_dir(target) {
        return Ok(());
    }
    if !force {
        return Err(InputError::OutputExists {
            path: target.display().to_string(),
        });
    }
    check_replaceable(target, kind)
}

/// Checks that a non-empty folder holds only what escalate writes into a folder of `kind`.
pub fn check_replaceable(dir: &Path, kind: FolderKind) -> Result<(), InputError> {
    let foreign = foreign_entries(dir, kind);
    if foreign.is_empty() && kind.is_marked(dir) {
        return Ok(());
    }
    let why = if foreign.is_empty() {
        format!(
            "it has no manifest.json written by escalate, so it is not an escalate {}",
            kind.noun()
        )
    } else {
        const SHOWN: usize = 5;
        let mut list: Vec<String> = foreign
            .iter()
            .take(SHOWN)
            .map(|n| format!("\"{n}\""))
            .collect();
        if foreign.len() > SHOWN {
            list.push(format!("and {} more", foreign.len() - SHOWN));
        }
        format!(
            "it holds {} that escalate did not write ({})",
            if foreign.len() == 1 {
                "an entry"
            } else {
                "entries"
            },
            list.join(", ")
        )
    };
    Err(InputError::OutputForeign {
        path: dir.display().to_string(),
        kind: kind.noun(),
        why,
    })
}

/// Entries of `dir` (and of its `shards` folder, for a sweep) that escalate does not write there.
fn foreign_entries(dir: &Path, kind: FolderKind) -> Vec<String> {
    let mut foreign = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec!["(the folder cannot be read)".into()];
    };
    let mut names: Vec<(String, std::fs::FileType)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            Some((
                e.file_name().to_string_lossy().into_owned(),
                e.file_type().ok()?,
            ))
        })
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, t) in names {
        let ok = if kind == FolderKind::Sweep && name == "shards" && t.is_dir() {
            let inner = foreign_shard_entries(&dir.join("shards"));
            foreign.extend(inner.into_iter().map(|n| format!("shards/{n}")));
            true
        } else {
            t.is_file() && kind.writes(&name) || t.is_dir() && is_temporary_name(&name)
        };
        if !ok {
            foreign.push(name);
        }
    }
    foreign
}

fn foreign_shard_entries(shards: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(shards) else {
        return vec!["(the folder cannot be read)".into()];
    };
    let mut foreign: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let ours = name == "sweep.ron"
                || is_temporary_name(&name)
                || name.starts_with("shard-")
                    && (name.ends_with(".csv") || name.ends_with(".json"));
            !(ours && e.file_type().is_ok_and(|t| t.is_file()))
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    foreign.sort();
    foreign
}

/// The next fresh numbered folder `parent/STEM-NNN` (one past the highest number in use, counting the
/// temporary folders of runs still being written), so default outputs never collide.
pub fn next_numbered(parent: &Path, stem: &str) -> PathBuf {
    parent.join(format!("{stem}-{:03}", highest_number(parent, stem) + 1))
}

/// The highest numbered folder `parent/STEM-NNN` that exists, if any.
pub fn latest_numbered(parent: &Path, stem: &str) -> Option<PathBuf> {
    let n = highest_number_of(parent, stem, false);
    (n > 0).then(|| parent.join(format!("{stem}-{n:03}")))
}

fn highest_number(parent: &Path, stem: &str) -> u64 {
    highest_number_of(parent, stem, true)
}

fn highest_number_of(parent: &Path, stem: &str, count_temporary: bool) -> u64 {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let plain = name.strip_prefix(stem).and_then(|r| r.strip_prefix('-'));
            let hidden = || {
                let rest = name
                    .strip_prefix('.')?
                    .strip_prefix(stem)?
                    .strip_prefix('-')?;
                Some(rest.split_once('.')?.0)
            };
            let digits = match plain {
                Some(d) => d,
                None if count_temporary => hidden()?,
                None => return None,
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse::<u64>().ok()
        })
        .max()
        .unwrap_or(0)
}

/// Whether a process with this PID is running (on systems without /proc, assume it is: never take
/// over or delete what may be in use).
pub fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if !proc.is_dir() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// A lock file held while a process writes a folder; removed when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Takes the lock at `path` for `what` (said in the error), or names the process holding it.
    /// A lock left by a process that is no longer running is taken over.
    pub fn acquire(path: &Path, what: &Path) -> anyhow::Result<Lock> {
        for _ in 0..3 {
            match OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(mut f) => {
                    writeln!(f, "{}", std::process::id())
                        .with_context(|| format!("cannot write the lock {}", path.display()))?;
                    return Ok(Lock {
                        path: path.to_path_buf(),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(path)
                        .ok()
                        .and_then(|t| t.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if process_alive(pid) => {
                            return Err(InputError::OutputLocked {
                                path: what.display().to_string(),
                                pid,
                                lock: path.display().to_string(),
                            }
                            .into());
                        }
                        // Stale (dead holder) or half-written by a process that died at once.
                        _ => {
                            let _ = std::fs::remove_file(path);
                        }
                    }
                }
                Err(e) => {
                    return Err(anyhow::Error::new(e)
                        .context(format!("cannot create the lock {}", path.display())));
                }
            }
        }
        anyhow::bail!(
            "cannot take the lock {} (it keeps reappearing)",
            path.display()
        )
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The lock file of a folder: a hidden sibling `.NAME.lock`.
pub fn lock_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_of(target).join(format!(".{name}.lock"))
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Removes `.NAME.partial-PID` (and `.NAME.partial-PID.old`) siblings left by processes no longer running.
fn remove_dead_partials(parent: &Path, name: &str) {
    let prefix = format!(".{name}.partial-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        if let Ok(pid) = pid.parse::<u32>()
            && !process_alive(pid)
            && e.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Where a result folder goes: a folder the user named, or a fresh numbered one.
#[derive(Clone, Debug)]
pub enum Destination {
    /// `--out DIR`.
    Named(PathBuf),
    /// The default: `PARENT/STEM-NNN`, the next free number.
    Numbered {
        /// The folder holding the numbered folders.
        parent: PathBuf,
        /// The name before `-NNN`.
        stem: String,
    },
}

/// A result folder being written.
pub struct ResultFolder {
    target: PathBuf,
    tmp: PathBuf,
    kind: FolderKind,
    force: bool,
    numbered: Option<(PathBuf, String)>,
    committed: bool,
    _lock: Lock,
}

impl ResultFolder {
    /// Checks that the destination may be written, takes its lock and creates the temporary folder.
    pub fn create(
        dest: &Destination,
        kind: FolderKind,
        force: bool,
    ) -> anyhow::Result<ResultFolder> {
        let (target, numbered) = match dest {
            Destination::Named(p) => (p.clone(), None),
            Destination::Numbered { parent, stem } => {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create the folder {}", parent.display()))?;
                (
                    next_numbered(parent, stem),
                    Some((parent.clone(), stem.clone())),
                )
            }
        };
        check_writable(&target, kind, force)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != ".." && n != ".")
            .ok_or_else(|| InputError::Flag {
                flag: "--out".into(),
                message: format!("{} is not a folder name", target.display()),
            })?;
        let parent = parent_of(&target);
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        let lock = Lock::acquire(&lock_path(&target), &target)?;
        remove_dead_partials(&parent, &name);
        let tmp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)
                .with_context(|| format!("cannot clear {}", tmp.display()))?;
        }
        std::fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        Ok(ResultFolder {
            target,
            tmp,
            kind,
            force,
            numbered,
            committed: false,
            _lock: lock,
        })
    }

    /// Path of a file inside the (temporary) folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.tmp.join(name)
    }

    /// Writes a whole file.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> anyhow::Result<()> {
        let p = self.file(name);
        std::fs::write(&p, contents).with_context(|| self.cannot_write(name))
    }

    /// The message for a failed write of `name`: names the folder the user asked for, with the
    /// hidden folder being filled in brackets (it is removed when the write fails).
    pub fn cannot_write(&self, name: &str) -> String {
        format!(
            "cannot write {name} of {} (in the unfinished folder {}, which is removed)",
            self.target.display(),
            self.tmp.display()
        )
    }

    /// Where the folder will be once committed (a numbered folder may move on if another process
    /// takes its number first: [`ResultFolder::commit`] returns the final place).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the complete folder into place and returns where it is.
    pub fn commit(mut self) -> anyhow::Result<PathBuf> {
        loop {
            if self.target.is_dir() && is_empty_dir(&self.target) {
                // An empty folder (checked again: it may have filled while we ran) holds nothing to lose.
                std::fs::remove_dir(&self.target).with_context(|| {
                    format!("cannot replace the empty folder {}", self.target.display())
                })?;
            }
            if std::fs::symlink_metadata(&self.target).is_err() {
                break;
            }
            if let Some((parent, stem)) = &self.numbered {
                // Another process took this number while we ran: take the next one.
                self.target = next_numbered(parent, stem);
                continue;
            }
            // Something may have appeared while we ran: check again before replacing it.
            check_writable(&self.target, self.kind, self.force)?;
            let old = self.tmp.with_extension("old");
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("cannot move the old {} aside", self.target.display()))?;
            std::fs::rename(&self.tmp, &self.target).with_context(|| {
                format!("cannot move the results into {}", self.target.display())
            })?;
            std::fs::remove_dir_all(&old)
                .with_context(|| format!("cannot remove {}", old.display()))?;
            self.committed = true;
            return Ok(self.target.clone());
        }
        std::fs::rename(&self.tmp, &self.target)
            .with_context(|| format!("cannot move the results into {}", self.target.display()))?;
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for ResultFolder {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> tempfile::TempDir {
        tempfile::tempdir().expect("a scratch folder")
    }

    #[test]
    fn numbered_folders_count_up_from_the_highest_in_use() {
        let d = scratch();
        assert_eq!(next_numbered(d.path(), "x"), d.path().join("x-001"));
        std::fs::create_dir(d.path().join("x-001")).expect("mkdir");
        std::fs::create_dir(d.path().join("x-007")).expect("mkdir");
        std::fs::create_dir(d.path().join("x-abc")).expect("mkdir");
        std::fs::create_dir(d.path().join("xy-050")).expect("mkdir");
        assert_eq!(next_numbered(d.path(), "x"), d.path().join("x-008"));
        assert_eq!(latest_numbered(d.path(), "x"), Some(d.path().join("x-007")));
        // A run still writing `.x-008.partial-PID` holds number 8.
        std::fs::create_dir(d.path().join(".x-008.partial-12")).expect("mkdir");
        assert_eq!(next_numbered(d.path(), "x"), d.path().join("x-009"));
        assert_eq!(latest_numbered(d.path(), "x"), Some(d.path().join("x-007")));
    }

    #[test]
    fn force_replaces_only_a_folder_of_escalate_files() {
        let d = scratch();
        let r = d.path().join("r");
        std::fs::create_dir(&r).expect("mkdir");
        std::fs::write(r.join("summary.json"), "{}").expect("write");
        std::fs::write(r.join("manifest.json"), r#"{"program": "escalate"}"#).expect("write");
        std::fs::write(r.join("survival.png"), "").expect("write");
        assert!(matches!(
            check_writable(&r, FolderKind::Result, false),
            Err(InputError::OutputExists { .. })
        ));
        check_writable(&r, FolderKind::Result, true).expect("an escalate result folder");
        // A sweep folder's files are not a result folder's.
        std::fs::write(r.join("sweep_heatmaps.png"), "").expect("write");
        assert!(check_writable(&r, FolderKind::Result, true).is_err());
        std::fs::remove_file(r.join("sweep_heatmaps.png")).expect("rm");
        std::fs::write(r.join("thesis.tex"), "").expect("write");
        let e = check_writable(&r, FolderKind::Result, true).expect_err("a user's file");
        assert!(e.to_string().contains("\"thesis.tex\""), "{e}");
    }

    #[test]
    fn force_refuses_files_links_and_unmarked_folders() {
        let d = scratch();
        let f = d.path().join("f");
        std::fs::write(&f, "data").expect("write");
        let e = check_writable(&f, FolderKind::Result, true).expect_err("a file");
        assert!(e.to_string().contains("is a file"), "{e}");
        // Files with familiar names but no manifest of ours: not ours to delete.
        let u = d.path().join("u");
        std::fs::create_dir(&u).expect("mkdir");
        std::fs::write(u.join("report.md"), "my notes").expect("write");
        let e = check_writable(&u, FolderKind::Result, true).expect_err("unmarked");
        assert!(e.to_string().contains("no manifest.json"), "{e}");
        #[cfg(unix)]
        {
            let l = d.path().join("l");
            std::os::unix::fs::symlink(&u, &l).expect("symlink");
            let e = check_writable(&l, FolderKind::Result, true).expect_err("a link");
            assert!(e.to_string().contains("symbolic link"), "{e}");
        }
    }

    #[test]
    fn a_live_lock_is_refused_and_a_dead_one_taken_over() {
        let d = scratch();
        let p = d.path().join(".r.lock");
        let held = Lock::acquire(&p, &d.path().join("r")).expect("first lock");
        let e = Lock::acquire(&p, &d.path().join("r")).expect_err("held");
        assert!(
            e.to_string().contains(&std::process::id().to_string()),
            "{e}"
        );
        drop(held);
        assert!(!p.exists(), "the lock is removed when dropped");
        // A PID above the kernel's maximum (4,194,304) cannot be running.
        std::fs::write(&p, "99999999\n").expect("write");
        let _l = Lock::acquire(&p, &d.path().join("r")).expect("a stale lock is taken over");
    }
}
