"""Pointer gestures on the data chart, each with its keyboard equivalent.

``drag``
    :class:`~app.pointer.drag.StartDrag`: at a start's iteration 0 each
    component's mean is a handle over ``#cluster-canvas``, dragged with the
    pointer or moved with the arrow keys; a move dispatches
    :class:`simapp.state.actions.StartMoved` (EM runs again from there).
``axes``
    :class:`~app.pointer.axes.StartAxes`: with them, the ends of each start
    ellipse's axes (a spherical one's radius), dragged or moved with the arrow
    keys; a change dispatches :class:`simapp.state.actions.StartShaped`.

Imports ``app.dom`` and ``app.views`` (its pure ``shown``) of :mod:`app`, and
``simapp.state``, ``simapp.text`` and ``simapp.charts`` (the size a
start is drawn at); the gestures dispatch actions, the
page state says where the handles are.
"""
