"""The README's Python example runs as written."""

from __future__ import annotations

import contextlib
import io

import escalate


def test_the_readme_example_runs_and_prints_every_arms_crisis_estimate(root):
    text = (root / "README.md").read_text()
    start = text.index("```python\n") + len("```python\n")
    code = text[start : text.index("```", start)]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    lines = printed.getvalue().splitlines()
    assert lines[0].split() == ["arm", "value", "lo", "hi"]
    arms = escalate.load_scenario("builtin:us_russia_2016").arms
    assert [line for line in lines[1:] if not any(a in line for a in arms)] == []
    assert len(lines) == 1 + len(arms)
