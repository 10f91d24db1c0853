"""The data chart's painting tools' browser side: Point / Brush / Eraser,
the spread and Undo.

``tools``
    :class:`~app.paint.tools.PaintTools`: shows ``state.paint`` in
    ``#paint-tools`` (the tool chosen, the spread, whether Undo can undo).
``strokes``
    :class:`~app.paint.strokes.StrokeBindings`: pointer strokes on
    ``#cluster-canvas``, the tool buttons, the spread slider, Undo and
    Ctrl/Cmd+Z, each mapped to one action of :mod:`simapp.state.paint`
    through the page's guarded listeners.

May import the browser (``js``, as all of ``app``), of ``app`` only
:mod:`app.dom`, and of the pure package only ``simapp.state`` and
``simapp.text`` (``tests/site/test_rules.py`` checks it).
"""

from .strokes import StrokeBindings
from .tools import PaintTools

__all__ = ["PaintTools", "StrokeBindings"]
