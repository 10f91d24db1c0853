"""Every sentence the page shows, as pure functions of plain values.

Plain text: the page inserts it as text nodes, never as HTML.

Modules
-------
``messages``
    The status line (loading, runs, errors), the notes and the data source
    panel.
``results``
    The results panel: the fit's numbers, fit versus truth, timings.
``data_chart``
    The data chart's caption, legend, axis titles and canvas labels.
``describe``
    A fitted mixture described in words, for screen readers.
``failure``
    What the data chart says when data or a fit fail.
``loglik``, ``bound``, ``criteria``, ``starts``, ``kmeans``, ``timeline``
    The log-likelihood chart, the bound panel, the information criteria and
    the comparison, the starts panel, the k-means panel and the timeline
    controls.
``gallery``
    The gallery of hard data (titles, what goes wrong on each), the starts
    and the planted outliers caught.
``quoting``
    Untrusted text (URL values, table cells) quoted inside a sentence; names
    without their bidirectional controls; the longest value read.

Imports nothing else of :mod:`simapp` (callers pass plain values in).
"""
