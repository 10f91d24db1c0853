"""The embed API: what an embedded page tells its parent, and what it accepts.

A page in an iframe of another origin cannot be read by its parent (the
browser forbids ``iframe.contentDocument`` across origins), so the page
posts its news to the parent and takes a few commands from it, as
``postMessage`` objects whose ``type`` starts with ``emgmm:``.

From the page to its parent (``targetOrigin "*"``: nothing private goes out):

``{type: "emgmm:status", status, source, query}``
    On every change of ``status`` (``loading``, ``ready``, ``running``,
    ``done``), and in answer to ``emgmm:get-status``. ``query`` is the page's
    link (:func:`simapp.state.url.state_to_query`); ``source`` the data's
    kind (``simulated``, ``dataset``, ``upload``, ``paste``, ``click``).
``{type: "emgmm:done", status: "done", source, query, results, withheld}``
    When a run is done: ``results`` holds the results panel's values at full
    precision (:data:`RESULT_KEYS`: numbers, ``converged`` a boolean, ``ari``
    ``null`` without true classes, ``verdict`` a string). For your own data
    (upload, paste, click) ``results`` is ``null`` and ``withheld`` says why:
    what was fitted to them stays in the page.
``{type: "emgmm:notes", command, accepted, notes}``
    A command was refused (``accepted: false``) or its values adjusted;
    ``notes`` say how, quoting values as the page's notes do.

From the parent to the page (only from ``window.parent``):

``{type: "emgmm:set", params: {k: 4, cov: "tied", ...}}``
    Set settings (:data:`SETTABLE`; numbers or strings) and run, as editing
    the controls does. Values are read by the link's parser with the link's
    caps (:func:`simapp.state.settings.read_query`,
    :func:`simapp.state.settings.parse_settings`): clamped or defaulted, with
    notes.
``{type: "emgmm:run"}``
    Run again with the current settings.
``{type: "emgmm:get-status"}``
    Ask for the current status (answered with ``emgmm:status``, or
    ``emgmm:done`` with the results when done).

Commands sent while the page is loading are refused with a note; wait for
its first status event (``ready``, or ``running`` with ``run=1``). No type is
both an event and a command, so a parent that echoes what it gets starts no
loop. Messages whose ``type`` is not an ``emgmm:`` string are
not for this page and are ignored. Everything here is pure: the page
(:mod:`app.embed`) converts the message to plain Python values and posts
the returned dicts.

Examples
--------
>>> from simapp.state.pagestate import PageState
>>> state = PageState(status="ready")
>>> status_event(state)["type"], status_event(state)["status"]
('emgmm:status', 'ready')
>>> command = read_command({"type": "emgmm:set", "params": {"k": 9}}, state)
>>> command.action.values[0], command.notes
(('k', '9'), ('k=9 is above the maximum 6; using 6',))
>>> read_command({"type": "something else"}, state) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from simapp.state import actions as A
from simapp.state import settings as S
from simapp.state import url
from simapp.state.pagestate import EMBED_CONTROLS, PageState
from simapp.text.quoting import MAX_VALUE_CHARS, quote_list, quote_user_text

__all__ = [
    "COMMANDS",
    "MAX_MESSAGE_CHARS",
    "PREFIX",
    "RESULT_KEYS",
    "SETTABLE",
    "Command",
    "notes_event",
    "read_command",
    "status_event",
]

#: Every message type of the protocol starts with this.
PREFIX = "emgmm:"
#: The commands a parent may send.
COMMANDS: tuple[str, ...] = ("emgmm:set", "emgmm:run", "emgmm:get-status")
#: The settings ``emgmm:set`` takes: those an embedded page can show.
SETTABLE: tuple[str, ...] = EMBED_CONTROLS
#: Longest message read, as JSON text; a longer one is ignored unread.
MAX_MESSAGE_CHARS = 8 * MAX_VALUE_CHARS
#: The results an ``emgmm:done`` event carries, by the results panel's ids.
RESULT_KEYS: dict[str, str] = {
    "params": "result-params",
    "iterations": "result-iterations",
    "converged": "result-converged",
    "loglik": "result-loglik",
    "aic": "result-aic",
    "bic": "result-bic",
    "ari": "result-ari",
    "verdict": "result-verdict",
}
#: Data sources whose fits stay in the page.
_OWN = ("upload", "paste", "click")


@dataclass(frozen=True)
class Command:
    """A parent's command as the page carries it out.

    Attributes
    ----------
    kind : str
        One of :data:`COMMANDS`, or the unknown ``emgmm:`` type refused.
    action : object or None
        The :mod:`simapp.state.actions` action to dispatch (``None``: none).
    notes : tuple of str
        What was refused or adjusted (sent back as ``emgmm:notes``).
    accepted : bool
        False when the command was refused whole.
    reply : bool
        Answer with the current status (``emgmm:status``).
    """

    kind: str
    action: Any = None
    notes: tuple[str, ...] = ()
    accepted: bool = True
    reply: bool = False


def _value(text: str) -> Any:
    """A result field's ``data-value`` as a JSON value."""
    if text in ("true", "false"):
        return text == "true"
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return int(text) if text.lstrip("-").isdigit() else number


def status_event(state: PageState, fields: Mapping | None = None) -> dict:
    """The event telling the parent where the page stands.

    Parameters
    ----------
    state : PageState
    fields : mapping, optional
        The finished run's results panel, element id ->
        :class:`simapp.text.results.ResultField`
        (:func:`simapp.text.results.format_result`); with it, and the status
        ``done``, the event is ``emgmm:done`` with the results.

    Returns
    -------
    dict
        JSON-ready.
    """
    kind = state.source.kind
    event = {
        "type": "emgmm:status",
        "status": state.status,
        "source": kind,
        "query": url.state_to_query(state),
    }
    if state.status != "done" or fields is None:
        return event
    event["type"] = "emgmm:done"
    if kind in _OWN:
        event.update(results=None, withheld="fits of your own data stay in the page")
    else:
        results = {key: _value(fields[i].value) for key, i in RESULT_KEYS.items()}
        event.update(results=results, withheld="")
    return event


def notes_event(command: Command) -> dict:
    """The ``emgmm:notes`` event of a command that was refused or adjusted."""
    return {
        "type": "emgmm:notes",
        "command": command.kind,
        "accepted": command.accepted,
        "notes": list(command.notes),
    }


def _refused(kind: str, note: str) -> Command:
    return Command(kind, notes=(note,), accepted=False)


def read_command(message: Any, state: PageState) -> Command | None:
    """The command a parent's message asks for, validated like a link.

    Parameters
    ----------
    message : object
        The message as plain Python values (``json.loads`` of its JSON).
    state : PageState
        The page's state now.

    Returns
    -------
    Command or None
        ``None`` for a message that is not of this protocol (no ``type``
        string starting with :data:`PREFIX`).
    """
    if not isinstance(message, dict):
        return None
    kind = message.get("type")
    if not isinstance(kind, str) or not kind.startswith(PREFIX):
        return None
    kind = kind[:40]
    if kind not in COMMANDS:
        return _refused(
            kind,
            f"{quote_user_text(kind)} is not a command (commands: "
            f"{', '.join(COMMANDS)})",
        )
    if kind == "emgmm:get-status":
        return Command(kind, reply=True)
    if state.status == "loading":
        return _refused(kind, "the page is still loading; send it after status ready")
    if kind == "emgmm:run":
        return Command(kind, action=A.FitRequested())
    return _set(message.get("params"), state)


def _set(params: Any, state: PageState) -> Command:
    """``emgmm:set``: the settings now with ``params`` over them."""
    kind = "emgmm:set"
    if not isinstance(params, dict) or not params:
        return _refused(kind, "params must be an object of settings, e.g. {k: 4}")
    texts: dict[str, str] = {}
    unknown: list[str] = []
    for key, value in list(params.items())[: S.MAX_QUERY_FIELDS]:
        name = str(key).strip().lower()
        if name not in SETTABLE:
            unknown.append(str(key))
        elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
            what = type(value).__name__
            return _refused(kind, f"{name}: a number or a string is needed, not {what}")
        else:
            texts[name] = str(value)
    notes: list[str] = []
    if unknown:
        notes.append(
            f"params: {quote_list(unknown)} cannot be set (settable: "
            f"{', '.join(SETTABLE)}); left out"
        )
    # the link's reader and parser, with the link's caps
    raw, more = S.read_query(urlencode(texts))
    notes.extend(more)
    now = S.parse_query_string(S.settings_to_query(state.settings))
    values = {key: value[0] for key, value in now.items() if key != "run"}
    values["k_true"] = str(state.settings.k_true)  # K alone never changes it
    values.update({key: value[0] for key, value in raw.items()})
    _, more = S.parse_settings(values, default_seed=state.settings.seed)
    notes.extend(more)
    if not raw:
        return Command(kind, notes=tuple(notes), accepted=False)
    action = A.ControlsEdited(tuple(values.items()))
    return Command(kind, action=action, notes=tuple(notes))
