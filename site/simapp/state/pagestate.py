"""The page's whole state in one immutable value, and its URL form.

:class:`PageState` holds everything the page shows that is not a computed
result: the settings (:class:`simapp.state.settings.Settings`), the data source,
the display options, where the step-through stands and the run flags. The page
changes it only through :func:`simapp.state.reducer.reducer`; the views draw from
it (and from the run's computed model); the address bar is written from it
alone, by :func:`state_to_query`.

Examples
--------
>>> state, notes = state_from_query("k=4&seed=9&fade=1&speed=8", default_seed=1)
>>> state.settings.k, state.settings.seed, state.display.speed
(4, 9, 8)
>>> state.display.uncertainty
True
>>> state_to_query(state)
'k=4&n=500&overlap=20&cov=full&iters=100&tol=1e-4&seed=9&n_init=4&fade=1&speed=8&run=1'
>>> notes
[]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from simapp.data.columns import ColumnChoice, choice_from_query, choice_query
from simapp.lessons import scenarios as SC
from simapp.segmentation.state import SegmentState
from simapp.state import settings as S

__all__ = [
    "DATA_KINDS",
    "IC_CRITERIA",
    "DISPLAY_QUERY_KEYS",
    "DataSource",
    "TimelineState",
    "Message",
    "OwnData",
    "PageState",
    "DisplayOptions",
    "scenario_query",
    "state_from_query",
    "state_to_query",
]

#: Data sources the page offers; only "simulated" and "dataset" fit in a link.
DATA_KINDS: tuple[str, ...] = ("simulated", "dataset", "upload", "paste", "click")
#: Criteria the model-comparison chart can plot.
IC_CRITERIA: tuple[str, ...] = ("bic", "aic", "icl")
#: Display options in links (field -> query key), written after the settings
#: when not at their default. A bool field is a 0/1 flag; a str field takes
#: one of :data:`VIEW_CHOICES`; an int field a whole number in
#: :data:`VIEW_LIMITS`. Fields not listed (``skip_animation``) stay out of links.
DISPLAY_QUERY: dict[str, str] = {
    "uncertainty": "fade",
    "density": "density",
    "centres": "centres",
    "ic_criterion": "crit",
    "ic_higher": "higher",
    "speed": "speed",
    "paused": "paused",
}
DISPLAY_QUERY_KEYS: tuple[str, ...] = tuple(DISPLAY_QUERY.values())
VIEW_CHOICES: dict[str, tuple[str, ...]] = {"ic_criterion": IC_CRITERIA}
VIEW_LIMITS: dict[str, tuple[int, int]] = {"speed": (1, 10)}
#: Settings an embedded page (``embed=1``) can show, named in ``controls=``
#: (comma-separated); the others keep their link values, out of sight.
#: element id of each setting's control (URL / emcore keyword name -> id)
CONTROL_IDS: dict[str, str] = {
    "k": "k",
    "n": "n",
    "overlap": "overlap",
    "cov": "cov",
    "iters": "iters",
    "tol": "tol",
    "seed": "seed",
    "n_init": "n-init",
    "k_true": "k-true",
}
EMBED_CONTROLS: tuple[str, ...] = (
    "k",
    "k_true",
    "n",
    "overlap",
    "cov",
    "iters",
    "tol",
    "n_init",
    "seed",
)
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
        second, 10 runs as fast as the machine) and of the step-through.
    paused : bool
        A run opens paused at its initial parameters (position 0), so a
        class can step E and M from iteration 0.
    """

    uncertainty: bool = False
    density: bool = False
    centres: bool = True
    skip_animation: bool = False
    ic_criterion: str = "bic"
    ic_higher: bool = False
    speed: int = 5
    paused: bool = False


@dataclass(frozen=True)
class TimelineState:
    """The step-through: what the data chart shows of the run's history.

    Attributes
    ----------
    mode : str
        ``live`` (what the run computed), ``timeline`` (a history position)
        or ``start`` (one start's final solution).
    selected : int or None
        The start shown in mode ``start``.
    position : int
        Current history position (half-steps, all starts in order).
    positions : int
        Number of recorded positions.
    playing : bool
        The replay runs.
    frames : int
        Animation frames since the last move (replay speed).
    has_result : bool
        The run finished (its final fit and starts can be shown).
    offsets : tuple of int
        First position of each start recorded so far (ascending).
    final_position : int
        The best start's last position (the final fit), -1 before the end.
    """

    mode: str = "live"
    selected: int | None = None
    position: int = 0
    positions: int = 0
    playing: bool = False
    frames: int = 0
    has_result: bool = False
    offsets: tuple[int, ...] = ()
    final_position: int = -1

    def span(self, position: int | None = None) -> tuple[int, int]:
        """First and last position of the start holding ``position``.

        Back, Step, the slider and the replay stay inside this span, so they
        move through one start's iterations in order.

        >>> TimelineState(positions=12, offsets=(0, 5)).span(3)
        (0, 4)
        >>> TimelineState(positions=12, offsets=(0, 5)).span(7)
        (5, 11)
        """
        p = self.position if position is None else int(position)
        last = max(self.positions - 1, 0)
        starts = [o for o in self.offsets if o <= p] or [0]
        later = [o for o in self.offsets if o > p]
        return starts[-1], (later[0] - 1 if later else last)


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
    columns : ColumnChoice
        The own data's fitted columns and the scatter's plane
        (:mod:`simapp.data.columns`; ``cols=`` and ``plot=`` in links).
    segment : SegmentState
        The colour-segmentation section (:mod:`simapp.segmentation.state`).
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

    @property
    def visible_controls(self) -> tuple[str, ...]:
        """The settings controls on show: all, or in embed mode those the
        link's ``controls=`` names (a default few when it names none)."""
        if not self.settings.embed:
            return EMBED_CONTROLS
        return self.embed_controls or EMBED_DEFAULT_CONTROLS

    @property
    def shown(self) -> S.Settings:
        """What the controls show: the draft while dragging, else the settings."""
        return self.draft if self.draft is not None else self.settings

    @property
    def own_active(self) -> bool:
        """True when the data are not simulated."""
        return self.source.kind != "simulated"

    def with_changes(self, **changes: Any) -> PageState:
        """A copy with some fields replaced."""
        return replace(self, **changes)


def _display_value(name: str, default: Any, text: str, notes: list[str]):
    """One display option from its query text (default, with a note, if bad)."""
    key = DISPLAY_QUERY[name]
    text = text.strip()
    if isinstance(default, bool):
        flag = text.lower()
        if flag in ("1", "true", "yes", "on"):
            return True
        if flag in ("0", "false", "no", "off"):
            return False
        allowed = "0/1"
    elif isinstance(default, int):
        low, high = VIEW_LIMITS[name]
        # isascii: '²'.isdigit() is True, but int('²') fails
        if text.isascii() and text.isdigit() and low <= int(text) <= high:
            return int(text)
        allowed = f"a whole number from {low} to {high}"
    else:
        choices = VIEW_CHOICES[name]
        if text.lower() in choices:
            return text.lower()
        allowed = f"one of {', '.join(choices)}"
    shown = S.quote_user_text(text)
    used = int(default) if isinstance(default, bool) else default
    notes.append(f"{key}={shown} is not {allowed}; using {key}={used}")
    return default


def _display_from_query(raw: dict, notes: list[str]) -> DisplayOptions:
    default = DisplayOptions()
    values = {}
    for name, key in DISPLAY_QUERY.items():
        if key in raw:
            text = str(raw[key][0])
            values[name] = _display_value(name, getattr(default, name), text, notes)
    return DisplayOptions(**values)


def _display_query(view: DisplayOptions) -> list[str]:
    default = DisplayOptions()
    parts = []
    for name, key in DISPLAY_QUERY.items():
        value = getattr(view, name)
        if value != getattr(default, name):
            parts.append(f"{key}={int(value) if isinstance(value, bool) else value}")
    return parts


def _controls_from_query(raw: dict, notes: list[str]) -> tuple[str, ...]:
    """``controls=k,overlap,cov``: known names in the link's order, once."""
    if "controls" not in raw:
        return ()
    names: list[str] = []
    for part in str(raw["controls"][0]).split(","):
        name = part.strip().lower().replace("-", "_")
        if not name or name in names:
            continue
        if name in EMBED_CONTROLS:
            names.append(name)
        else:
            allowed = ", ".join(EMBED_CONTROLS)
            notes.append(
                f"controls: {S.quote_user_text(part.strip())} is not a control "
                f"(allowed: {allowed}); left out"
            )
    return tuple(names)


def state_from_query(
    query: str, default_seed: int = S.DEFAULT_SEED
) -> tuple[PageState, list[str]]:
    """The page state a link describes, and notes on what was adjusted.

    Parameters
    ----------
    query : str
        ``location.search``, with or without the leading ``?``.
    default_seed : int
        Seed when the link has none.

    Returns
    -------
    state : PageState
        Status ``loading``; ``settings.run`` says whether to start a run.
    notes : list of str
    """
    raw = S.parse_query_string(query)
    lesson, raw, notes = _apply_scenario(raw)
    settings, more = S.parse_settings(raw, default_seed=default_seed)
    notes.extend(more)
    lowered = {str(k).strip().lower(): v for k, v in raw.items()}
    view = _display_from_query(lowered, notes)
    source = DataSource()
    if settings.data:
        source = DataSource(kind="dataset", dataset=settings.data)
    controls = _controls_from_query(lowered, notes)
    columns, more = choice_from_query(lowered)
    notes.extend(more)
    state = PageState(
        settings=settings,
        source=source,
        display=view,
        lesson=lesson,
        embed_controls=controls,
        columns=columns,
    )
    return state, notes


def scenario_query(scenario_id: str) -> dict[str, list[str]]:
    """The link parameters of a lesson, as :func:`S.parse_query_string` gives them.

    Every setting the scenario does not name keeps its default; the lesson
    always runs (``run=1``).
    """
    query = {key: [str(value)] for key, value in SC.scenario(scenario_id).query.items()}
    query["run"] = ["1"]
    return query


#: What a key :func:`S.settings_to_query` leaves out at its default means,
#: written out when a lesson would otherwise set it.
_OMITTED = {"k_true": "", "compare": "0", "data": ""}


def _lesson_query(lesson: str, query: str) -> list[str]:
    """``scenario=ID``, after the lesson's keys the settings' link omits.

    A link's own values win over its scenario's; a key left out of the link
    at its default (no comparison, simulated data, ``k_true`` equal to ``k``)
    must therefore be written, or the scenario's value would come back.
    """
    present = S.parse_query_string(query)
    parts = [
        f"{key}={_OMITTED[key]}"
        for key in SC.scenario(lesson).query
        if key not in present and key in _OMITTED
    ]
    return [*parts, f"scenario={lesson}"]


def _apply_scenario(raw: dict) -> tuple[str, dict, list[str]]:
    """``scenario=ID`` of a link: its parameters under the link's own.

    Returns the lesson id (``""`` for none or an unknown one), the query to
    parse and notes (an unknown id is named, with the lessons there are).
    """
    keys = [k for k in raw if str(k).strip().lower() == "scenario"]
    if not keys:
        return "", raw, []
    own = {k: v for k, v in raw.items() if k not in keys}
    text = str(raw[keys[0]][0]).strip().lower()
    if not text:
        return "", own, []
    try:
        query = scenario_query(text)
    except ValueError:
        shown = S.quote_user_text(text)
        ids = ", ".join(SC.scenario_ids())
        return "", own, [f"scenario={shown} is not a lesson (lessons: {ids})"]
    query.update(own)
    return text, query, []


def state_to_query(state: PageState) -> str:
    """The link of ``state`` (without ``?``): settings, data, display options.

    Simulated data and bundled datasets are reproduced exactly (with
    ``run=1``); for uploaded, pasted or clicked data the link carries only the
    fit settings and does not start a run.
    """
    settings = state.settings
    kind = state.source.kind
    if kind == "dataset" and state.source.dataset:
        query = S.settings_to_query(
            settings.with_changes(data=state.source.dataset), run=True
        )
    elif kind == "simulated":
        query = S.settings_to_query(settings.with_changes(data=""), run=True)
    else:
        query = S.settings_to_query(settings.with_changes(data=""), run=False)
    extra = _display_query(state.display)
    if kind != "simulated":
        extra.extend(choice_query(state.columns))
    if state.lesson and kind in ("simulated", "dataset"):
        extra.extend(_lesson_query(state.lesson, query))
    if settings.embed and state.embed_controls:
        extra.append("controls=" + ",".join(state.embed_controls))
    if not extra:
        return query
    # run=1 stays last, where settings_to_query puts it
    head, run = (query[:-6], "&run=1") if query.endswith("&run=1") else (query, "")
    return "&".join([head, *extra]) + run
