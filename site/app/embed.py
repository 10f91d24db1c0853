"""The embed API's transport: events to the parent window, its commands in.

What the messages say, and how a command is read and checked, is
:mod:`simapp.exports.embedding` (pure, tested in CPython); here are only
PyScript's ``window``, ``postMessage`` and the ``message`` listener.

Origin checks: the page talks only to the window that embeds it. A command
is read only when ``event.source`` is ``window.parent`` (not another frame,
a popup or the page itself); events go to ``window.parent`` with
``targetOrigin "*"`` because any site may embed the page and none of them is
known in advance, so the events carry nothing private (the fits of your
own data are withheld). A message is read through ``JSON.stringify`` (plain
data only, its length checked before it is parsed).
"""

from __future__ import annotations

import json

from simapp.exports import embedding
from simapp.text import results

from . import dom

__all__ = ["Embed"]


class Embed:
    """Posts the page's status to its parent and carries out its commands."""

    def __init__(self, store, data) -> None:
        self.store = store
        self.data = data  # the run's result, for the done event
        window = dom.window
        self.parent = window.parent
        # a page that is not in a frame is its own parent
        self.framed = window.parent.window != window.window

    def attach(self) -> None:
        """Listen for the parent's commands (only when in a frame)."""
        if self.framed:
            dom.listen("message", dom.window, self.on_message)

    def render(self, old, new) -> None:
        """Tell the parent of every change of status."""
        if self.framed and old.status != new.status:
            self.post(self.status_event(new))

    def status_event(self, state) -> dict:
        result = self.data.result
        fields = None
        if state.status == "done" and result is not None:
            fields = results.format_result(result)
        return embedding.status_event(state, fields)

    def post(self, event: dict) -> None:
        self.parent.postMessage(dom.to_js(event), "*")

    def on_message(self, event) -> None:
        try:
            if not self.framed or event.source != self.parent:
                return
            message = _plain(event.data)
            command = embedding.read_command(message, self.store.state)
            if command is None:
                return
            if command.notes or not command.accepted:
                self.post(embedding.notes_event(command))
            if command.action is not None:
                self.store.dispatch(command.action)
            if command.reply:
                self.post(self.status_event(self.store.state))
        except Exception as exc:
            dom.log_error(dom.traceback_text(exc))


def _plain(data):
    """The message as plain Python values, or None (too long, not data)."""
    try:
        text = dom.window.JSON.stringify(data)
    except Exception:  # a cycle, a BigInt: not a message of this protocol
        return None
    if dom.is_none(text) or len(str(text)) > embedding.MAX_MESSAGE_CHARS:
        return None
    return json.loads(str(text))
