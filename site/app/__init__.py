"""The browser side of the simulator: the only package that touches the DOM.

Only modules of this package import ``js``, ``pyodide`` or ``pyscript``
(``tests/site/test_rules.py`` checks it over all of ``site/``).
Everything they compute with lives in the pure :mod:`simapp`: ``app`` may
import all of ``simapp`` and ``emcore``; neither of them imports ``app``.

Layout
------
``dom``
    DOM helpers in one place, on PyScript's own ``pyscript.web`` (``page``,
    element constructors), ``pyscript.when`` and ``pyscript.ffi``: element
    lookup, guarded handlers, list and option builders, the status line,
    :class:`~app.dom.Canvas` and :class:`~app.dom.Pixels` (one ImageData cache).
``frames``
    The frame loop primitive (``next_frame``, ``now``): the one small module a
    browser-specific scheduling fix goes into.
``painter``
    Puts big scatters on their canvases a slice per animation frame (the
    work itself is the pure :mod:`simapp.charts.drawsteps`).
``reach``
    Keeps Simulate within a thumb's reach on a phone: one ``<body>`` class
    set from an IntersectionObserver.
``loader``
    Loads numpy and emcore (with the plain-language load errors), then starts
    the app.
``page``
    :class:`~app.page.Page`: builds the store, views, runner, bindings and
    exports, wires each effect to its handler and writes the URL.
``store``
    :class:`~app.store.Store`: holds the :class:`simapp.state.pagestate.PageState`,
    applies :func:`simapp.state.reducer.reducer` to each action, renders the views
    and carries out the effects (start or cancel a run, replace the URL,
    download a file).
``runner``
    :class:`~app.runner.Runner`: the generation token's frame loop over
    ``emcore.experiment.iterate`` and the loop that plays the timeline; owns
    the run's computed model and the timeline's record
    (:class:`~app.runner.RunData`).
``bindings``
    Every DOM event mapped to an action; the only code reading control values.
``display``
    Presenter mode and the theme: the header's Present and Dark buttons, the
    system's colour scheme and the keyboard shortcuts (S, arrows, Space, F, P).
``controls_ids``
    The element id of each setting's control (plain data, also read by the
    browser tests).
``dataload``
    Reads pasted or uploaded data a slice per frame
    (:mod:`simapp.data.loadsteps`), then hands the table to the store.
``exports``
    Downloads and copying the link: framed chart PNGs
    (:mod:`simapp.exports.figure`), JSON, and the class exports built by
    :mod:`simapp.exports.handout` / :mod:`simapp.exports.reproduce` (data CSV,
    stand-alone scikit-learn script, notebook) from the run's winning start.
``embed``
    The embed API's transport: status and results posted to a parent window,
    its commands (``emgmm:set``, ``emgmm:run``, ``emgmm:get-status``) read from
    ``window.parent`` only (the protocol: :mod:`simapp.exports.embedding`).
``recorder``
    The animation as a video: ``captureStream`` + ``MediaRecorder``, format
    chosen by :mod:`simapp.exports.video` (WebM, MP4 for Safari, or a message).
``segmentation``
    The colour-segmentation section: its bindings (each event one action of
    :mod:`simapp.segmentation.state`) and the segmenter that runs the fit an
    EM iteration per frame and paints both pictures.
``views``
    One module per region (controls, lessons, data source, status, results,
    scatter, log-likelihood, information criteria and comparison, starts,
    k-means, timeline, share); each renders from the state and the run data and writes
    the ``data-*`` attributes the tests read.

Adding a control: a :class:`~simapp.state.pagestate.PageState` field (and its
action in :mod:`simapp.state.reducer`), one binding in ``bindings`` and the HTML;
the view that shows it renders the field.
"""
