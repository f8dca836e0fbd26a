//! `escalate completions` and `escalate man`: shell completion scripts and manual pages, generated
//! from the same clap definitions as `--help`, so they never drift from the program.

use super::Cli;
use crate::error::InputError;
use clap::{Args, CommandFactory};
use std::path::PathBuf;

/// Examples for `escalate completions --help`.
pub const COMPLETION_EXAMPLES: &str = "Examples:
  escalate completions bash > ~/.local/share/bash-completion/completions/escalate
  escalate completions zsh > ~/.zfunc/_escalate     # with fpath+=(~/.zfunc) in ~/.zshrc
  escalate completions fish > ~/.config/fish/completions/escalate.fish";

/// Examples for `escalate man --help`.
pub const MAN_EXAMPLES: &str = "Examples:
  escalate man | man -l -                            # read it now
  escalate man --out ~/.local/share/man/man1         # escalate.1, escalate-run.1, …";

/// Options of `escalate completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Options of `escalate man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write escalate.1 and one page per subcommand (escalate-run.1, …) into this folder instead of
    /// printing the main page. Existing pages are never written over.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs `escalate completions`.
pub fn completions(a: CompletionsArgs) -> anyhow::Result<()> {
    let mut cmd = Cli::command();
    clap_complete::generate(a.shell, &mut cmd, "escalate", &mut std::io::stdout());
    Ok(())
}

/// Runs `escalate man`.
pub fn man(a: ManArgs) -> anyhow::Result<()> {
    let cmd = Cli::command();
    let Some(dir) = a.out else {
        clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
        return Ok(());
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let mut pages = vec![("escalate.1".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let name = format!("escalate-{}", sub.get_name());
        pages.push((format!("{name}.1"), sub.clone().name(name)));
    }
    let existing: Vec<&str> = pages
        .iter()
        .map(|(f, _)| f.as_str())
        .filter(|f| dir.join(f).exists())
        .collect();
    if !existing.is_empty() {
        return Err(InputError::Flag {
            flag: "--out".into(),
            message: format!(
                "{} already holds {}; escalate never writes over a file: remove them or choose another folder",
                dir.display(),
                existing.join(", ")
            ),
        }
        .into());
    }
    for (file, page) in pages {
        let mut bytes = Vec::new();
        clap_mangen::Man::new(page).render(&mut bytes)?;
        std::fs::write(dir.join(&file), bytes)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", dir.join(&file).display()))?;
    }
    Ok(())
}
