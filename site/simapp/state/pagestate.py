"""The page's whole state in one immutable value.

:class:`PageState` holds everything the page shows that is not a computed
result: the settings (:class:`simapp.state.settings.Settings`), the data source,
the display options, where the timeline stands
(:class:`simapp.state.timeline.TimelineState`) and the run flags. The page
changes it only through :func:`simapp.state.reducer.reducer`; the views draw from
it (and from the run's computed model); the address bar is written from it
alone, by :func:`simapp.state.url.state_to_query`.

Examples
--------
>>> state = PageState(display=DisplayOptions(speed=8))
>>> state.display.speed, state.timeline.mode, state.own_active
(8, 'live', False)
>>> state.visible_controls == EMBED_CONTROLS  # not embedded: every control
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from simapp.data.columns import ColumnChoice
from simapp.segmentation.state import SegmentState
from simapp.state import settings as S
from simapp.state.timeline import TimelineState

__all__ = [
    "DATA_KINDS",
    "EMBED_CONTROLS",
    "EMBED_DEFAULT_CONTROLS",
    "EMBED_TOOLS",
    "IC_CRITERIA",
    "PRESENT_SCALE",
    "THEMES",
    "DataSource",
    "DisplayOptions",
    "Message",
    "OwnData",
    "PAINT_TOOLS",
    "PageState",
    "PaintState",
    "Stroke",
    "Undo",
]

#: Data sources the page offers; only "simulated" and "dataset" fit in a link.
DATA_KINDS: tuple[str, ...] = ("simulated", "dataset", "upload", "paste", "click")
#: What a press on the data chart does: add one point, paint or erase.
PAINT_TOOLS: tuple[str, ...] = ("point", "brush", "eraser")
#: Criteria the model-comparison chart can plot.
IC_CRITERIA: tuple[str, ...] = ("bic", "aic", "icl")
#: Page themes: ``auto`` follows the system's ``prefers-color-scheme``.
THEMES: tuple[str, ...] = ("auto", "light", "dark")
#: How much larger presenter mode draws text, lines and points.
PRESENT_SCALE = 1.5
#: Settings an embedded page (``embed=1``) can show, named in ``controls=``
#: (comma-separated); the others keep their link values, out of sight.
EMBED_CONTROLS: tuple[str, ...] = (
    "k",
    "k_true",
    "dims",
    "n",
    "overlap",
    "cov",
    "init",
    "iters",
    "tol",
    "n_init",
    "seed",
    "temp",
    "model",
    "conc",
    "anneal",
)
#: Tools an embedded page can show, named in ``controls=`` too (not settings:
#: ``paint`` is the data chart's Point / Brush / Eraser, spread and Undo).
EMBED_TOOLS: tuple[str, ...] = ("paint",)
#: What an embedded page shows when its link names no ``controls``.
EMBED_DEFAULT_CONTROLS: tuple[str, ...] = ("k_true", "n", "overlap", "k", "cov", "seed")


@dataclass(frozen=True, eq=False)
class OwnData:
    """Points to fit instead of simulated data (compared by identity).

    Attributes
    ----------
    X : ndarray of shape (n_samples, 2)
    labels : ndarray of shape (n_samples,) or None
        True class codes, if known (then the ARI is shown).
    label_names : tuple of str
    title : str
        What the data are, for captions and exports.
    dataset : str
        The bundled dataset key, or ``""``.
    columns : tuple of str
        The fitted columns' names, one per column of ``X`` (empty: unnamed).
    column_titles : tuple of str
        Their axis titles (with units when known; empty: the names).
    """

    X: Any
    labels: Any
    label_names: tuple[str, ...]
    title: str
    dataset: str = ""
    columns: tuple[str, ...] = ()
    column_titles: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class DataSource:
    """Where the points come from (compared by identity: it holds arrays).

    Attributes
    ----------
    kind : str
        One of :data:`DATA_KINDS`.
    dataset : str
        The bundled dataset chosen (used when ``kind == "dataset"``).
    own : OwnData or None
        The active own data (``None`` for simulated data or none loaded yet).
    table : object or None
        The parsed upload or paste (:class:`simapp.data.tables.Table`).
    file_name : str
        The uploaded file's name (``""`` for pasted text).
    columns : tuple of str
        x, y and label column chosen in ``table`` (label ``""``: none).
    clicked : tuple
        ``(X, labels)`` of the clicked points, or ``(None, None)``.
    error : str
        A data problem in plain words (``""``: none).
    notes : tuple of str
        What parsing or selecting adjusted.
    """

    kind: str = "simulated"
    dataset: str = ""
    own: OwnData | None = None
    table: Any = None
    file_name: str = ""
    columns: tuple[str, str, str] = ("", "", "")
    clicked: tuple = (None, None)
    error: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DisplayOptions:
    """How results are drawn; no effect on what is computed.

    Attributes
    ----------
    uncertainty : bool
        Fade points by their uncertainty.
    density : bool
        Shade the fitted mixture density behind the points.
    centres : bool
        Mark the true centres (simulated data only).
    skip_animation : bool
        Compute without drawing every iteration.
    ic_criterion : str
        What the comparison chart plots, one of :data:`IC_CRITERIA`.
    ic_higher : bool
        mclust's sign (higher is better) on the comparison chart.
    speed : int
        Animation speed, 1-10: of a live run (1 holds each EM iteration a
        second, 10 runs as fast as the machine) and of the playing timeline
        (:func:`simapp.run.pacing.pace`).
    paused : bool
        A run opens paused at its initial parameters (position 0), so a
        class can step E and M from iteration 0.
    anomaly : int
        Ring the ``anomaly`` % of points of lowest fitted density on the
        final fit, 0 (off) to 20 (:mod:`simapp.run.anomalies`).
    present : bool
        Presenter mode, for a projector: text, lines and points
        :data:`PRESENT_SCALE` times larger, the stage filling the screen and
        the keyboard shortcuts on show.
    theme : str
        One of :data:`THEMES`.
    system_dark : bool
        The system asks for dark colours (``prefers-color-scheme: dark``);
        what ``theme="auto"`` follows. Never in links: it is the viewer's.
    """

    uncertainty: bool = False
    density: bool = False
    centres: bool = True
    skip_animation: bool = False
    ic_criterion: str = "bic"
    ic_higher: bool = False
    speed: int = 5
    paused: bool = False
    anomaly: int = 0
    present: bool = False
    theme: str = "auto"
    system_dark: bool = False

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise ValueError(f"theme={self.theme!r} is not one of {', '.join(THEMES)}")

    @property
    def dark(self) -> bool:
        """True when the page is drawn in dark colours."""
        if self.theme == "auto":
            return self.system_dark
        return self.theme == "dark"

    @property
    def scale(self) -> float:
        """How much larger than normal text, lines and points are drawn."""
        return PRESENT_SCALE if self.present else 1.0


@dataclass(frozen=True)
class Stroke:
    """The brush or eraser stroke under way.

    Attributes
    ----------
    tool : str
        ``brush`` or ``eraser``.
    radius : float
        The brush's radius in data units (its spread on the chart when the
        stroke began).
    label : int or None
        The class of the painted points (None: no class).
    dabs : int
        Dabs made so far (each seeds its own points).
    """

    tool: str
    radius: float
    label: int | None = None
    dabs: int = 0


@dataclass(frozen=True, eq=False)
class Undo:
    """One undo step: the data source before an edit and the one it made.

    ``data`` is the settings' ``data`` (a bundled dataset) before it.
    The step applies only while the page still shows ``after``.
    """

    before: DataSource
    data: str
    after: DataSource


@dataclass(frozen=True)
class PaintState:
    """The data chart's painting tools and what they can undo.

    Attributes
    ----------
    tool : str
        One of :data:`PAINT_TOOLS`.
    spread : int
        The brush's and eraser's radius in CSS pixels.
    strokes : int
        Strokes begun so far: with the seed, they seed the painted points.
    stroke : Stroke or None
        The stroke under way.
    history : tuple of Undo
        The last edits of the data, oldest first (at most a few).
    """

    tool: str = "point"
    spread: int = 24
    strokes: int = 0
    stroke: Stroke | None = None
    history: tuple[Undo, ...] = ()

    def __post_init__(self) -> None:
        if self.tool not in PAINT_TOOLS:
            raise ValueError(
                f"tool={self.tool!r} is not one of {', '.join(PAINT_TOOLS)}"
            )


@dataclass(frozen=True)
class Message:
    """The status line: text, kind (info, warn, error) and details."""

    text: str = "Loading…"
    kind: str = "info"
    detail: str = ""


@dataclass(frozen=True)
class PageState:
    """Everything the page shows that is not a computed result.

    Attributes
    ----------
    settings : Settings
        The applied settings (the last run's, or the next one's).
    draft : Settings or None
        Values shown while a slider is dragged, not applied yet.
    source : DataSource
    display : DisplayOptions
    timeline : TimelineState
    status : str
        ``loading``, ``ready``, ``running``, ``done`` or ``error``.
    generation : int
        Incremented by every run started or cancelled; a run whose number is
        no longer current stops at its next frame.
    running : bool
    message : Message
    notes : tuple of str
        Adjusted settings, listed under the status line.
    notes_source : str
        Who gave the adjusted values ("The link's settings", "Your settings").
    share_status : tuple of str
        What the last download or copy did, and the file saved (or ``""``).
    lesson : str
        The open lesson's scenario id (:mod:`simapp.lessons.scenarios`), or ``""``.
        It stays open while the settings change (its text says what to
        change next) until another lesson or none is chosen.
    embed_controls : tuple of str
        The controls an embedded page shows (``controls=`` in links; empty:
        a default few).
    columns : ColumnChoice
        The own data's fitted columns and the scatter's plane
        (:mod:`simapp.data.columns`; ``cols=`` and ``plot=`` in links).
    segment : SegmentState
        The colour-segmentation section (:mod:`simapp.segmentation.state`).
    paint : PaintState
        The data chart's painting tools and their undo history
        (:mod:`simapp.state.paint`).
    """

    settings: S.Settings = field(default_factory=S.Settings)
    draft: S.Settings | None = None
    source: DataSource = field(default_factory=DataSource)
    display: DisplayOptions = field(default_factory=DisplayOptions)
    timeline: TimelineState = field(default_factory=TimelineState)
    status: str = "loading"
    generation: int = 0
    running: bool = False
    message: Message = field(default_factory=Message)
    notes: tuple[str, ...] = ()
    notes_source: str = ""
    share_status: tuple[str, str] = ("", "")
    lesson: str = ""
    embed_controls: tuple[str, ...] = ()
    columns: ColumnChoice = field(default_factory=ColumnChoice)
    segment: SegmentState = field(default_factory=SegmentState)
    paint: PaintState = field(default_factory=PaintState)

    @property
    def visible_controls(self) -> tuple[str, ...]:
        """The settings controls on show: all, or in embed mode those the
        link's ``controls=`` names (a default few when it names none)."""
        if not self.settings.embed:
            return EMBED_CONTROLS
        return self.embed_controls or EMBED_DEFAULT_CONTROLS

    @property
    def paint_tools_shown(self) -> bool:
        """True when the painting tools are on show: always, but in embed
        mode only when the link's ``controls=`` names ``paint``."""
        return not self.settings.embed or "paint" in self.embed_controls

    @property
    def shown(self) -> S.Settings:
        """What the controls show: the draft while dragging, else the settings."""
        return self.draft if self.draft is not None else self.settings

    @property
    def own_active(self) -> bool:
        """True when the data are not simulated."""
        return self.source.kind != "simulated"

    @property
    def run_inputs(self) -> tuple[dict, str, OwnData | None]:
        """What a run of this state computes from, as
        :func:`simapp.run.plan.run_events` takes it: the settings as
        ``emcore.experiment.run`` keywords, the data source's kind and the
        own data."""
        return self.settings.to_run_kwargs(), self.source.kind, self.source.own

    def with_changes(self, **changes: Any) -> PageState:
        """A copy with some fields replaced."""
        return replace(self, **changes)
