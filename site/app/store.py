"""The store: one :class:`~simapp.state.pagestate.PageState`, changed only by actions.

:meth:`Store.dispatch` applies :func:`simapp.state.reducer.reducer`, asks the views
to show the new state, then carries out the returned effects. Actions
dispatched while one is being handled (by an effect, say) queue up and run
next, in order, so every view sees every state.
"""

from __future__ import annotations

from collections.abc import Callable

from simapp.state.reducer import reducer

__all__ = ["Store"]


class Store:
    """Holds the page state; the only place that replaces it.

    Parameters
    ----------
    state : PageState
        The initial state.
    render : callable
        ``render(old, new)`` after every change.
    on_error : callable
        ``on_error(exc, action)`` for an exception while handling an action.
    """

    def __init__(self, state, *, render: Callable, on_error: Callable) -> None:
        self.state = state
        self._render = render
        self._effects: dict = {}
        self._on_error = on_error
        self._queue: list = []
        self._busy = False

    def handle(self, effects: dict) -> None:
        """Register ``handler(effect)`` per effect type (the runner, exports)."""
        self._effects.update(effects)

    def dispatch(self, action) -> None:
        """Apply ``action`` (queued if another one is being handled)."""
        self._queue.append(action)
        if self._busy:
            return
        self._busy = True
        try:
            while self._queue:
                self._apply(self._queue.pop(0))
        finally:
            self._busy = False

    def _apply(self, action) -> None:
        try:
            old = self.state
            new, effects = reducer(old, action)
            self.state = new
            if new is not old:
                self._render(old, new)
            for effect in effects:
                self._effects[type(effect)](effect)
        except Exception as exc:
            self._on_error(exc, action)
