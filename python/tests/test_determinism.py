"""Any thread count gives the same bytes; arms share their draws; the GIL is released while simulating."""

from __future__ import annotations

import threading
import time

import escalate


def test_thread_counts_give_identical_results():
    s = escalate.load_scenario("builtin:classroom")
    one = escalate.run(s, replicates=300, seed=11, threads=1)
    two = escalate.run(s, replicates=300, seed=11, threads=2)
    four = escalate.run(s, replicates=300, seed=11, threads=4)
    assert one.replicates_csv == two.replicates_csv == four.replicates_csv
    assert one.summary_json == two.summary_json == four.summary_json
    # Not vacuous: another seed gives other results.
    assert escalate.run(s, replicates=300, seed=12, threads=2).replicates_csv != one.replicates_csv


def test_chosen_arms_are_the_same_runs_as_in_the_whole_scenario():
    s = escalate.load_scenario()
    whole = escalate.run(s, replicates=100, seed=2)
    some = escalate.run(s, replicates=100, seed=2, arms=["without channels", "hotline only"])
    assert some.arms == ["without channels", "hotline only"]
    picked = whole.replicates[whole.replicates["arm"].isin(some.arms)].reset_index(drop=True)
    assert picked.equals(some.replicates)
    assert set(some.differences["arm"]) == {"hotline only"}


def test_the_gil_is_released_while_simulating():
    s = escalate.load_scenario()
    ticks = 0
    worker = threading.Thread(target=lambda: escalate.run(s, replicates=2000, seed=1, threads=1))
    worker.start()
    while worker.is_alive():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    # With the GIL held for the whole run, this thread could not tick until it ended.
    assert ticks > 20, ticks
