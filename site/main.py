"""Browser entry point of the simulator page (PyScript runs it in Pyodide).

PyScript's ``files`` config puts this file, ``app/`` and ``simapp/`` on
Pyodide's filesystem (``build.py`` lists them). Everything happens in
:mod:`app`: :func:`app.loader.boot` reads ``build-info.json``, loads numpy and
the emcore wheel with plain-language errors, then starts the page
(:class:`app.page.Page`).

Page contract (links, embedding, tests): ``document.body.dataset.status`` is
``loading``/``ready``/``running``/``done``/``error``; the URL carries the
whole page state (:func:`simapp.state.url.state_to_query`) and ``run=1``
starts a run; every result element carries its full-precision value in
``data-value``; the canvases expose what they show in ``data-*`` attributes
(see the views in ``app/views/``).
"""

import asyncio

from app.loader import boot

_boot_task = asyncio.ensure_future(boot())
