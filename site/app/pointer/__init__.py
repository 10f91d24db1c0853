"""Pointer gestures on the data chart, each with its keyboard equivalent.

``drag``
    :class:`~app.pointer.drag.StartDrag`: at a start's iteration 0 each
    component's mean is a handle over ``#cluster-canvas``, dragged with the
    pointer or moved with the arrow keys; a move dispatches
    :class:`simapp.state.actions.StartMoved` (EM runs again from there).

Imports ``app.dom`` and ``app.views`` (its pure ``shown``) of :mod:`app`, and
``simapp.state`` and ``simapp.text``; the gestures dispatch actions, the
page state says where the handles are.
"""
