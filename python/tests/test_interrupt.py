"""Ctrl-C (SIGINT) stops a long run with KeyboardInterrupt and the process carries on."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

CHILD = r"""
import escalate, sys
s = escalate.load_scenario()
print("running", flush=True)
try:
    escalate.run(s, replicates=50_000_000, seed=1, threads=2, max_memory=64)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    # The interpreter is usable afterwards, and a new run works.
    r = escalate.run(s, replicates=5, seed=1)
    print("after", len(r.replicates), "rows for", len(r.arms), "arms", flush=True)
    sys.exit(0)
print("finished", flush=True)
sys.exit(1)
"""


def test_ctrl_c_stops_a_run_with_keyboard_interrupt():
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "running"
        time.sleep(1.0)  # inside the run (50 million replicates take hours)
        child.send_signal(signal.SIGINT)
        # A guard against a hang, not a measurement: the run stops within a replicate.
        out, err = child.communicate(timeout=300)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    lines = out.split("\n")
    assert lines[0] == "interrupted", out + err
    # Five replicates of every arm: the run after the interrupt is whole.
    words = lines[1].split()
    assert words[0] == "after" and int(words[1]) == 5 * int(words[4]) > 0, out + err
