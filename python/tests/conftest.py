"""Shared fixtures: the command line built from the same tree, and a way to run it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's root."""
    return ROOT


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `escalate` binary to compare against: $ESCALATE (as the Slurm scripts name it), else
    target/release/escalate, which `cargo build --release` makes. Missing, the tests fail."""
    binary = Path(os.environ.get("ESCALATE", ROOT / "target" / "release" / "escalate"))
    assert binary.is_file(), f"{binary} is missing: run `cargo build --release` first"
    return binary


def run_cli(cli: Path, *args: str, cwd: Path | None = None, ok: bool = True) -> subprocess.CompletedProcess:
    """Runs the binary with `args`; with `ok`, asserts it succeeded."""
    done = subprocess.run([str(cli), *args], capture_output=True, text=True, cwd=cwd)
    if ok:
        assert done.returncode == 0, f"escalate {' '.join(args)} failed:\n{done.stderr}"
    return done


def cli_error(cli: Path, *args: str, cwd: Path | None = None) -> str:
    """The message the binary prints after `Error: ` for `args` (which must fail with exit code 2)."""
    done = run_cli(cli, *args, cwd=cwd, ok=False)
    assert done.returncode == 2, f"expected exit code 2, got {done.returncode}:\n{done.stderr}"
    assert done.stderr.startswith("Error: "), done.stderr
    return done.stderr[len("Error: "):].rstrip("\n")
