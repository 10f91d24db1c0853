"""Every sentence the page shows, as pure functions of plain values.

Plain text: the page inserts it as text nodes, never as HTML.

Modules
-------
``messages``
    The status line (loading, runs, errors), the notes and the data source
    panel.
``results``
    The results panel: the fit's numbers, fit versus truth, timings, and the
    Bayesian fit's card (components in use) and why its sweep stays EM's.
``data_chart``
    The data chart's caption, legend, axis titles and canvas labels, and its
    painting tools' status line and refusals.
``describe``
    A fitted mixture described in words, for screen readers.
``failure``
    What the data chart says when data or a fit fail.
``loglik``, ``bound``, ``criteria``, ``starts``, ``kmeans``, ``timeline``
    The log-likelihood chart, the bound panel, the information criteria and
    the comparison, the starts panel (and the handles moving the watched
    fit's starting means), the k-means panel and the timeline controls.
``gallery``
    The gallery of hard data (titles, what goes wrong on each), the starts
    and the planted outliers caught.
``worksheet``
    The printable worksheet: headings, the settings line, and the questions
    and answers (generic and each lesson's) as templates of the run's numbers.
``quoting``
    Untrusted text (URL values, table cells) quoted inside a sentence; names
    without their bidirectional controls; the longest value read.

Imports nothing else of :mod:`simapp` (callers pass plain values in).
"""
