"""The jobs behind ``build.py``, one module each (standard library only).

``build.py`` is the command line; this package does the work:

* :mod:`sitebuild.common`: what every job shares: the pinned runtime versions
  (PyScript, Pyodide, puppeteer-core), the paths (sources, output, caches,
  browsers), the CDN addresses, :class:`~sitebuild.common.BuildError`, ``log``
  and ``run``.
* :mod:`sitebuild.wheel`: the emcore wheel, built by pip, and its copy without
  docstrings for the browser.
* :mod:`sitebuild.assemble`: the static site: sources copied and stripped of
  docstrings, HTML includes, the PyScript config, the CSP/SRI head, the
  service worker's file list.
* :mod:`sitebuild.vendor`: the runtimes: npm tarballs (PyScript, Pyodide) and
  Pyodide's numpy wheel, checked against ``pyodide-lock.json``.
* :mod:`sitebuild.serve`: the local static server (Pyodide's MIME types, gzip).
* :mod:`sitebuild.checks`: ``build.py test``: ``.venv``, the browsers, ruff,
  pytest and the second OpenBLAS kernel pass.

May import: the standard library and each other (``common`` imports none of
them). Never emcore, never ``site/``: the page's code is data to them.
"""
