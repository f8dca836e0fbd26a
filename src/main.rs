//! The `escalate` binary: parse the command line, call the library, print `Error: …`, exit.

use clap::Parser;
use escalate::cli::sweep::SweepInterrupted;
use escalate::cli::{Cli, dispatch};
use escalate::error::InputError;
use escalate::montecarlo::Interrupted;

fn main() {
    let cli = Cli::parse();
    if let Err(e) = dispatch(cli) {
        eprintln!("Error: {e:#}");
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
