"""The page state's URL form: the link a state is shared as, and back.

:func:`state_from_query` reads a link (settings, data, display options, the
lesson's ``scenario=``, an embedded page's ``controls=``, the fitted
columns) into a :class:`~simapp.state.pagestate.PageState`, with notes on
what was adjusted; :func:`state_to_query` writes the link of a state, which is
all the address bar ever shows. :func:`scenario_query` is a lesson's link.

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

from typing import Any

from simapp.data.columns import choice_from_query, choice_query, split_items
from simapp.lessons import scenarios as SC
from simapp.run.anomalies import MAX_PERCENT
from simapp.run.pacing import MAX_SPEED, MIN_SPEED
from simapp.state import settings as S
from simapp.state.pagestate import (
    EMBED_CONTROLS,
    IC_CRITERIA,
    THEMES,
    DataSource,
    DisplayOptions,
    PageState,
)
from simapp.text.quoting import quote_list

__all__ = [
    "DISPLAY_QUERY",
    "link_inputs",
    "scenario_query",
    "state_from_query",
    "state_to_query",
]

#: Display options in links (field -> query key), written after the settings
#: when not at their default. A bool field is a 0/1 flag; a str field takes
#: one of :data:`DISPLAY_CHOICES`; an int field a whole number in
#: :data:`DISPLAY_LIMITS`. Fields not listed (``skip_animation``, and
#: ``system_dark``: the viewer's, not the link's) stay out of links.
DISPLAY_QUERY: dict[str, str] = {
    "uncertainty": "fade",
    "density": "density",
    "centres": "centres",
    "ic_criterion": "crit",
    "ic_higher": "higher",
    "speed": "speed",
    "paused": "paused",
    "anomaly": "anomaly",
    "present": "present",
    "theme": "theme",
}
DISPLAY_CHOICES: dict[str, tuple[str, ...]] = {
    "ic_criterion": IC_CRITERIA,
    "theme": THEMES,
}
DISPLAY_LIMITS: dict[str, tuple[int, int]] = {
    "speed": (MIN_SPEED, MAX_SPEED),
    "anomaly": (0, MAX_PERCENT),
}


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
        low, high = DISPLAY_LIMITS[name]
        # isascii: '²'.isdigit() is True, but int('²') fails
        if text.isascii() and text.isdigit() and low <= int(text) <= high:
            return int(text)
        allowed = f"a whole number from {low} to {high}"
    else:
        choices = DISPLAY_CHOICES[name]
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


def _display_query(display: DisplayOptions) -> list[str]:
    default = DisplayOptions()
    parts = []
    for name, key in DISPLAY_QUERY.items():
        value = getattr(display, name)
        if value != getattr(default, name):
            parts.append(f"{key}={int(value) if isinstance(value, bool) else value}")
    return parts


def _controls_from_query(raw: dict, notes: list[str]) -> tuple[str, ...]:
    """``controls=k,overlap,cov``: known names in the link's order, once;
    the unknown ones in one note."""
    if "controls" not in raw:
        return ()
    parts = split_items(str(raw["controls"][0]).lower().replace("-", "_"))
    names = tuple(p for p in parts if p in EMBED_CONTROLS)
    unknown = [p for p in parts if p not in EMBED_CONTROLS]
    if unknown:
        allowed = ", ".join(EMBED_CONTROLS)
        what = "is not a control" if len(unknown) == 1 else "are not controls"
        notes.append(
            f"controls: {quote_list(unknown)} {what} (allowed: {allowed}); left out"
        )
    return names


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
    raw, notes = S.read_query(query)
    lesson, raw, more = _apply_scenario(raw)
    notes.extend(more)
    settings, more = S.parse_settings(raw, default_seed=default_seed)
    notes.extend(more)
    lowered = {str(k).strip().lower(): v for k, v in raw.items()}
    display = _display_from_query(lowered, notes)
    source = DataSource()
    if settings.data:
        source = DataSource(kind="dataset", dataset=settings.data)
    controls = _controls_from_query(lowered, notes)
    columns, more = choice_from_query(lowered)
    notes.extend(more)
    state = PageState(
        settings=settings,
        source=source,
        display=display,
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
_OMITTED = {"k_true": "", "init": "", "compare": "0", "data": ""}


def _lesson_query(lesson: str, query: str) -> list[str]:
    """``scenario=ID``, after the lesson's keys the settings' link omits.

    A link's own values win over its scenario's; a key left out of the link
    at its default (no comparison, simulated data, ``k_true`` equal to ``k``, the
    k-means++ start)
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


def link_inputs(state: PageState) -> tuple:
    """What :func:`state_to_query` reads of ``state``: equal inputs, equal
    links (a view rewrites its link only when these change)."""
    source = state.source
    return (
        state.settings,
        source.kind,
        source.dataset,
        state.display,
        state.columns,
        state.lesson,
        state.embed_controls,
    )


def state_to_query(state: PageState) -> str:
    """The link of ``state`` (without ``?``): settings, data, display options.

    Simulated data and bundled datasets are reproduced exactly (with
    ``run=1``, and a dataset's fitted columns); for uploaded, pasted or
    clicked data the link carries only the fit settings (not the names of
    your columns) and does not start a run.
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
    if kind == "dataset":
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
