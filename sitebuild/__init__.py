"""The jobs behind ``build.py``, one module each (standard library only).

``build.py`` is the command line; this package does the work:

* :mod:`sitebuild.common`: what every job shares: the pinned runtime versions
  (PyScript, Pyodide, puppeteer-core), the paths (sources, output, caches,
  browsers), the CDN addresses, :class:`~sitebuild.common.BuildError`, ``log``
  and ``run``.
* :mod:`sitebuild.wheel`: the emcore wheel, built by pip, and its copy without
  docstrings for the browser; the page's own Python as one wheel.
* :mod:`sitebuild.assemble`: the static site: the page's files, HTML includes,
  the PyScript config (packages for Pyodide's loader), the CSP/SRI head with
  its preload hints, the service worker's file list.
* :mod:`sitebuild.bytecode`: the wheels' modules compiled by Pyodide itself
  (npm ``pyodide`` under Node), shipped as sourceless ``.pyc``.
* :mod:`sitebuild.firstpicture`: the default run's final fit drawn at build
  time as SVG, by the shipped wheels in a child CPython (which needs numpy).
* :mod:`sitebuild.vendor`: the runtimes: npm tarballs (PyScript, Pyodide) and
  Pyodide's numpy wheel, checked against ``pyodide-lock.json``.
* :mod:`sitebuild.serve`: the local static server (Pyodide's MIME types, gzip,
  revalidation).
* :mod:`sitebuild.checks`: ``build.py test``: ``.venv``, the browsers, ruff,
  pytest and the second OpenBLAS kernel pass.

May import: the standard library and each other (``common`` imports none of
them). Never emcore, never ``site/``: the page's code is data to them (the
first picture runs it in a child process, from the wheels the site ships).
"""
