"""What can happen on the page (actions) and what the page must do (effects).

Actions are plain values the page's event bindings build from one DOM event
(or the runner from one run event) and hand to
:func:`simapp.state.reducer.reducer`. Effects are what the reducer asks the page to
do besides showing the new state: start or cancel a run, replace the URL,
download a file. Both are frozen dataclasses so tests can compare them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# ------------------------------------------------------------------ settings


@dataclass(frozen=True)
class ControlsEdited:
    """The setting controls' values (text, keyed by setting name).

    ``commit`` is False while a slider is dragged (shown, not applied).
    ``reveal`` is True when Simulate was pressed: the scatter scrolls into
    view (on a phone the controls sit below it).
    """

    values: tuple[tuple[str, str], ...]
    commit: bool = True
    reveal: bool = False


@dataclass(frozen=True)
class NewSeed:
    """A fresh seed was drawn (drawing is not pure: the binding does it)."""

    seed: int
    values: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TryLink:
    """A theory "try this" link: its query overrides the current settings."""

    query: str


@dataclass(frozen=True)
class LessonChosen:
    """A lesson from the Lessons menu or a theory link (``""``: close it)."""

    scenario: str


@dataclass(frozen=True)
class CompareToggled:
    on: bool


@dataclass(frozen=True)
class DisplayChanged:
    """One display option changed.

    A field of :class:`simapp.state.pagestate.DisplayOptions`.
    """

    name: str
    value: Any


@dataclass(frozen=True)
class Resized:
    """The window changed size (coalesced to one per animation frame)."""


# ------------------------------------------------------------------ data source


@dataclass(frozen=True)
class DataSourceChosen:
    kind: str


@dataclass(frozen=True)
class DatasetChosen:
    name: str


@dataclass(frozen=True)
class TableRead:
    """Uploaded or pasted text (bytes from a file)."""

    text: Any
    file_name: str = ""


@dataclass(frozen=True)
class DataLoading:
    """Large data are being read a slice per frame: ``text`` says how far.

    With ``first`` (the load's first message) the previous data are dropped,
    any run on them cancelled and the empty chart drawn, so nothing on the
    page looks current while the new data load.
    """

    text: str
    file_name: str = ""
    first: bool = False


@dataclass(frozen=True)
class TableParsed:
    """Uploaded or pasted text, already parsed (a :class:`simapp.data.tables.Table`)."""

    table: Any
    file_name: str = ""


@dataclass(frozen=True)
class DataRejected:
    """The data could not be read at all (e.g. a file too large)."""

    reason: str


@dataclass(frozen=True)
class ColumnsChosen:
    x: str
    y: str
    label: str


@dataclass(frozen=True)
class ColumnChoiceEdited:
    """The columns to fit (``cols=``) or the plane to show (``plot=``), as typed."""

    cols: str
    plot: str


@dataclass(frozen=True)
class PointAdded:
    """A click on the data chart, in data units; ``label`` None: no class."""

    x: float
    y: float
    label: int | None


@dataclass(frozen=True)
class PointsCleared:
    pass


@dataclass(frozen=True)
class FitRequested:
    """Fit the current data with the applied settings (Fit these points)."""


# ------------------------------------------------------------------ runs


@dataclass(frozen=True)
class Ready:
    """numpy and emcore loaded: the page can run (``run=1`` starts one)."""

    message: str


@dataclass(frozen=True)
class RunPhase:
    generation: int
    text: str


@dataclass(frozen=True)
class TimelineGrew:
    """The run recorded more positions on the timeline."""

    generation: int
    positions: int
    offsets: tuple[int, ...] = ()


@dataclass(frozen=True)
class RunFinished:
    """The run ended; ``final_position`` is the best start's last position."""

    generation: int
    message: str
    final_position: int = -1


@dataclass(frozen=True)
class RunFailed:
    generation: int
    text: str
    kind: str = "warn"
    detail: str = ""


@dataclass(frozen=True)
class Failed:
    """An unexpected error outside a run: shown, the page goes on."""

    text: str
    detail: str = ""


@dataclass(frozen=True)
class Warned:
    """An expected problem with the user's input, in plain words."""

    text: str


# ------------------------------------------------------------------ timeline


@dataclass(frozen=True)
class Play:
    """Play / pause (button or Space)."""


@dataclass(frozen=True)
class Step:
    delta: int


@dataclass(frozen=True)
class Seek:
    position: int


@dataclass(frozen=True)
class ShowFinal:
    pass


@dataclass(frozen=True)
class Tick:
    """One animation frame of the playing timeline."""


@dataclass(frozen=True)
class PickStart:
    """A start's button (``toggle``: a second press returns) or dot."""

    start: int
    toggle: bool = False


# ------------------------------------------------------------------ share


@dataclass(frozen=True)
class ExportRequested:
    """``png-cluster``, ``png-loglik``, ``png-ic``, ``json`` or ``snippet``."""

    what: str


@dataclass(frozen=True)
class CopyLinkRequested:
    pass


@dataclass(frozen=True)
class ShareDone:
    """A download saved (``file``) or a link copied (``file`` empty)."""

    text: str
    file: str = ""


# ------------------------------------------------------------------ effects


@dataclass(frozen=True)
class StartRun:
    """Animate a run of the state's settings, tagged ``generation``."""

    generation: int


@dataclass(frozen=True)
class ShowData:
    """Cancel any run and draw the current own data without a fit."""

    generation: int


@dataclass(frozen=True)
class ReplaceUrl:
    """Write :func:`simapp.state.url.state_to_query` into the address bar."""


@dataclass(frozen=True)
class TimelinePlay:
    """Run the loop that plays the timeline (one :class:`Tick` per frame)."""


@dataclass(frozen=True)
class Export:
    what: str


@dataclass(frozen=True)
class CopyLink:
    pass


@dataclass(frozen=True)
class Redraw:
    """Redraw every chart at its new size."""


@dataclass(frozen=True)
class ScrollTo:
    """Scroll ``element_id`` into view: ``block`` as in ``scrollIntoView``
    (``"nearest"`` scrolls only when it is not already on screen)."""

    element_id: str
    block: str = "start"
