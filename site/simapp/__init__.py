"""The page's pure Python: everything it computes, says and draws, no browser.

Plain Python and numpy, so it is tested in CPython and runs unchanged in
Pyodide. Only :mod:`app` (the sibling package) touches the browser; it calls
into these folders, never the other way round.

Folders, by feature
-------------------
``state``
    The page's one :class:`~simapp.state.pagestate.PageState`, its URL form,
    the settings parser, the actions and the reducer (with the transitions
    of the data source and of the timeline's position and play).
``run``
    A run as the page sees it: what it computes (the plan), what it has
    produced so far (the run model), the recorded iterations of the timeline,
    the pace of the animation and the frame time budget.
``data``
    Reading tables (pasted, uploaded, clicked) in slices, the bundled
    datasets, the fitted columns, projections and the size a fit may take.
``charts``
    Pixels and colours: the viewport, the palette, rasterising points, the
    density wash, the axes and one module per chart.
``text``
    Every sentence the page shows: status, results, captions, descriptions
    for screen readers, and the one quoting helper for untrusted text.
``exports``
    Files a run can leave as (PNG framing, JSON, CSV, script, notebook,
    video), the share link and the embed API's protocol.
``lessons``
    The lesson scenarios and the numbers the theory section quotes.
``segmentation``
    The colour-segmentation application: its state, its stepped fit, pixels.

Each folder's docstring says what it may import
(``tests/site/test_rules.py`` checks it); ``ARCHITECTURE.md`` draws the
whole.
"""
