"""Pixels and colours: the charts of the page, drawn from plain values.

Drawing code takes a canvas 2-D context (any object with its methods: the
browser's, proxied by Pyodide, or the tests' recording fake) and plain
numbers, arrays and records. Sizes are CSS pixels times a ``dpr``: presenter
mode passes the device's ratio times its scale, so text, lines and marks grow
together.

Modules
-------
``viewport``
    The data-to-pixel mapping (:class:`~simapp.charts.viewport.Viewport`)
    and "nice" ticks.
``palette``
    Colour-blind-safe component colours, matched to the true clusters, and
    responsibility blending.
``look``
    The charts' colours in the light and the dark theme (a ``ChartLook``
    every draw function takes; light by default, as exports are), and the
    WCAG contrast ratio they are checked with.
``raster``, ``drawsteps``
    Scatters stamped into an RGBA buffer, in one go or a slice per frame.
``density``
    The mixture density behind the points, and assignment uncertainty.
``marks``, ``axes``
    The primitives: strokes, dashes, markers, fonts; frames, ticks, axis
    titles, legends and empty states.
``data_chart``
    What the data chart draws of a mixture (a ``Drawable``), on which
    plane, and its ellipses and true centres.
``loglik_chart``, ``bound_chart``, ``ic_chart``, ``comparison_chart``
    The log-likelihood per iteration, log L and its lower bound per
    half-step (the gap shaded), AIC/BIC against K, one criterion against K
    per covariance type.
``starts_chart``, ``kmeans_chart``
    Every start's final log-likelihood, and k-means' clusters.

May import :mod:`simapp.text` (the words on the charts),
:mod:`simapp.run.budget` (the frame time budget ``drawsteps`` works within),
``emcore`` and ``numpy``; nothing else of :mod:`simapp`.
"""
