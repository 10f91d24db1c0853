"""Browser-free helpers for the EM/GMM simulator page.

Everything here is plain Python + numpy so it can be unit-tested in CPython and
run unchanged in Pyodide. Only ``site/main.py`` touches the browser (``js``,
``pyscript``); it feeds these functions a canvas 2D context and form values.

Modules
-------
settings
    Parse and serialise URL query / form values (clamping, safe notes).
palette
    Colour-blind-safe component colours and responsibility blending.
raster
    Vectorised scatter rasterisation into an RGBA buffer for ``putImageData``.
view
    Data-to-pixel mapping with equal aspect ratio, nice ticks and labels.
plotting
    Canvas drawing (ellipses, centres, axes, log-likelihood and AIC/BIC charts).
"""

__all__ = ["palette", "plotting", "raster", "settings", "view"]
