"""The page's pure Python: everything it computes, says and draws, no browser.

Plain Python and numpy, so it is tested in CPython and runs unchanged in
Pyodide. Only :mod:`app` (the sibling package) touches the browser; it calls
into these folders, never the other way round.

Folders, by feature
-------------------
``state``
    The page's one :class:`~simapp.state.pagestate.PageState`, its URL form,
    the settings parser, the actions and the reducer.
``run``
    A run as the page sees it: what it computes (the plan), what it has
    produced so far (the run model), the recorded iterations of the timeline
    and the pace of the animation.
``data``
    Reading tables (pasted, uploaded, clicked), the bundled datasets, the
    fitted columns and projections.
``charts``
    Pixels and colours: the viewport, the palette, rasterising points and one
    module per chart.
``text``
    Every sentence the page shows: status, results, captions, descriptions
    for screen readers.
``exports``
    Files a run can leave as: PNG framing, JSON, CSV, script, notebook, video.
``lessons``
    The lesson scenarios and the numbers the theory section quotes.
``segmentation``
    The colour-segmentation application: its state, its stepped fit, pixels.

Each folder's docstring says what it may import.
"""
