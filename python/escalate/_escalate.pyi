"""Type stubs of the compiled module ``escalate._escalate`` (the Rust half of the package)."""

from typing import Optional, Union

__version__: str

class InputError(ValueError):
    """Bad input (an argument, a sweep file, a path into a scenario), with the command line's message."""

class ScenarioError(InputError):
    """A scenario that does not parse (file:line:col and a caret) or makes no sense (field paths)."""

class Scenario:
    """A validated scenario; numbers are read and set by the sweep's parameter paths."""

    @property
    def name(self) -> str:
        """The scenario's ``name`` (it names result folders)."""
    @property
    def label(self) -> str:
        """Where it came from: its path, or ``scenarios/NAME.ron (built in)``."""
    @property
    def seed(self) -> int:
        """The scenario's master seed (a run's default)."""
    @property
    def replicates(self) -> int:
        """The scenario's replicates (a run's default)."""
    @property
    def arms(self) -> list[str]:
        """The arms in order; the first is the baseline of paired differences."""
    def __getitem__(self, path: str) -> Union[int, float, list[Union[int, float]]]:
        """The number at ``path`` (a list when the path selects several, e.g. ``states[*].detection``)."""
    def __setitem__(self, path: str, value: float) -> None:
        """Same as :meth:`set`."""
    def set(self, path: str, value: float) -> None:
        """Sets every number ``path`` names (integers rounded), then validates; raises
        ``ScenarioError`` and leaves the scenario unchanged on a problem."""
    def copy(self) -> "Scenario":
        """An independent copy."""
    def __copy__(self) -> "Scenario": ...
    def __deepcopy__(self, memo: object) -> "Scenario": ...
    def to_ron(self) -> str:
        """The scenario as RON with every default filled in (what a run writes to ``scenario.ron``)."""
    def to_json(self) -> str:
        """The scenario as JSON text (the form parameter paths are resolved in)."""

def load_scenario(source: Optional[str] = None) -> Scenario:
    """A scenario file, ``builtin:NAME``, or the default scenario (None)."""

def parse_scenario(text: str, label: str = "<string>") -> Scenario:
    """A scenario from RON text; ``label`` names it in messages."""

def run(
    scenario: Scenario,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    arms: Optional[list[str]] = None,
    max_memory: float = 4.0,
) -> tuple[bytes, str, int, int]:
    """``(replicates.csv bytes, summary.json text, seed, replicates)`` of a paired run."""

def sweep(
    path: str,
    workdir: str,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    max_memory: float = 4.0,
) -> tuple[str, str, Optional[str]]:
    """``(sweep.csv, sweep.json, morris.csv or None)`` of a whole sweep run in ``workdir``."""
