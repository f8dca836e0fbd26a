"""Checks that python/Cargo.lock pins every crate it shares with Cargo.lock at a version Cargo.lock has.

The extension has its own workspace (python/Cargo.toml), hence its own lock file; if the two
disagreed, the wheel would simulate with other dependency versions than the command line (and
rebuild them). On a mismatch, bring the root's versions over:

    cp Cargo.lock python/Cargo.lock && cargo update --manifest-path python/Cargo.toml -p pyo3
"""

from __future__ import annotations

import sys
import tomllib
from collections import defaultdict
from pathlib import Path


def versions(path: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for package in tomllib.loads(path.read_text())["package"]:
        found[package["name"]].add(package["version"])
    return found


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    cli, ext = versions(root / "Cargo.lock"), versions(root / "python" / "Cargo.lock")
    bad = [
        f"  {name}: Cargo.lock has {sorted(cli[name])}, python/Cargo.lock has {sorted(ext[name])}"
        for name in sorted(cli.keys() & ext.keys())
        if not ext[name] <= cli[name]
    ]
    if "escalate" not in ext:
        bad.append("  python/Cargo.lock does not lock the escalate crate")
    if bad:
        print("python/Cargo.lock disagrees with Cargo.lock:\n" + "\n".join(bad) + "\n" + __doc__.split("\n\n")[1], file=sys.stderr)
        return 1
    print(f"python/Cargo.lock agrees with Cargo.lock on all {len(cli.keys() & ext.keys())} shared crates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
