//! A result folder written atomically: everything goes to a hidden temporary sibling, which is renamed
//! into place only when complete. An existing folder is replaced only with `--force`.

use crate::error::InputError;
use anyhow::Context;
use std::path::{Path, PathBuf};

/// A result folder being written.
pub struct ResultFolder {
    target: PathBuf,
    tmp: PathBuf,
    force: bool,
    committed: bool,
}

fn is_nonempty_dir_or_file(p: &Path) -> bool {
    match std::fs::read_dir(p) {
        Ok(mut it) => it.next().is_some(),
        Err(_) => p.exists(),
    }
}

impl ResultFolder {
    /// Checks that `target` may be written and creates the temporary folder beside it.
    pub fn create(target: &Path, force: bool) -> anyhow::Result<ResultFolder> {
        if is_nonempty_dir_or_file(target) && !force {
            return Err(InputError::OutputExists {
                path: target.display().to_string(),
            }
            .into());
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| InputError::Flag {
                flag: "--out".into(),
                message: format!("{} is not a folder name", target.display()),
            })?;
        let tmp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)
                .with_context(|| format!("cannot clear {}", tmp.display()))?;
        }
        std::fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        Ok(ResultFolder {
            target: target.to_path_buf(),
            tmp,
            force,
            committed: false,
        })
    }

    /// Path of a file inside the (temporary) folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.tmp.join(name)
    }

    /// Writes a whole file.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> anyhow::Result<()> {
        let p = self.file(name);
        std::fs::write(&p, contents).with_context(|| format!("cannot write {}", p.display()))
    }

    /// Where the folder will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the complete folder into place.
    pub fn commit(mut self) -> anyhow::Result<()> {
        if self.target.is_dir() && !is_nonempty_dir_or_file(&self.target) {
            // An empty folder (checked again: it may have filled while we ran) holds nothing to lose.
            std::fs::remove_dir(&self.target).with_context(|| {
                format!("cannot replace the empty folder {}", self.target.display())
            })?;
        }
        if self.target.exists() {
            if !self.force {
                // Something appeared while we were running: do not clobber it.
                return Err(InputError::OutputExists {
                    path: self.target.display().to_string(),
                }
                .into());
            }
            let old = self.tmp.with_extension("old");
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("cannot move the old {} aside", self.target.display()))?;
            std::fs::rename(&self.tmp, &self.target).with_context(|| {
                format!("cannot move the results into {}", self.target.display())
            })?;
            if old.is_dir() {
                std::fs::remove_dir_all(&old)
                    .with_context(|| format!("cannot remove {}", old.display()))?;
            } else {
                std::fs::remove_file(&old)
                    .with_context(|| format!("cannot remove {}", old.display()))?;
            }
        } else {
            std::fs::rename(&self.tmp, &self.target).with_context(|| {
                format!("cannot move the results into {}", self.target.display())
            })?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for ResultFolder {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}
