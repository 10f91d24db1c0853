"""Browser entry point of the simulator page (PyScript runs it in Pyodide).

``app/`` and ``simapp/`` reach Pyodide as one wheel that Pyodide's loader
installs, with numpy and emcore, while the interpreter boots (the build's
``pyscript.json`` lists the three). Everything happens in :mod:`app`:
:func:`app.loader.boot` checks that numpy and emcore arrived (plain-language
errors if not), then starts the page (:class:`app.page.Page`).

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
