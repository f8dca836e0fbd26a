//! The `escalate` binary: parse the command line, call the library, print `Error: …`, exit.

use clap::Parser;
use escalate::cli::sweep::SweepInterrupted;
use escalate::cli::{Cli, dispatch};
use escalate::error::InputError;
use escalate::montecarlo::Interrupted;

fn main() {
    restore_default_sigpipe();
    ignore_file_size_signal();
    let cli = Cli::parse();
    if let Err(e) = dispatch(cli) {
        // Whatever the message quotes from a file or a flag is shown, never obeyed by the terminal.
        eprintln!(
            "Error: {}",
            escalate::scenario::text::escape_controls(&escalate::scenario::text::shorten_lines(
                &format!("{e:#}")
            ))
        );
        if let Some(hint) = escalate::files::storage_hint(&e) {
            eprintln!("  {hint}");
        }
        let code = if e.downcast_ref::<InputError>().is_some() {
            2
        } else if e.downcast_ref::<Interrupted>().is_some()
            || e.downcast_ref::<SweepInterrupted>().is_some()
        {
            130
        } else {
            1
        };
        std::process::exit(code);
    }
}

/// Rust ignores SIGPIPE, so `escalate validate | head` would panic on a closed pipe. Restore the
/// Unix default: the process ends quietly when its reader goes away, as `cat` does.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// A file-size limit (`ulimit -f`) sends SIGXFSZ, whose default kills the process mid-write and leaves
/// its lock and unfinished folder behind. Ignored, the write fails with EFBIG instead and takes the path
/// of any refused write: a message naming the folder, exit 1, nothing left.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists; SIG_IGN is always valid.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
