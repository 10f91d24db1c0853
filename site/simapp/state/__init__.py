"""The page's state: one immutable value, changed only by the reducer.

``pagestate`` (:class:`PageState` and its records), ``timeline`` (the
timeline's part of the state and its transitions), ``url`` (the state's URL
form), ``settings`` (parsing the untrusted URL and form values), ``values``
(one value read: plain numbers, quoting, the E-step's temperature), ``actions``
(what can happen, what the page must do), ``reducer`` (the one transition:
it dispatches each action), ``sources`` (the data source's transitions) and
``transitions`` (start a run, show the data, cancel, set the message: what
every part of the reducer shares). May import ``text``, ``data``,
``lessons``, ``run`` and ``segmentation``; nothing imports ``state`` except
``app``, ``exports`` and the settings value that every folder may read.
"""
