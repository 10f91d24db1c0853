"""The page's state: one immutable value, changed only by the reducer.

``pagestate`` (:class:`PageState`, its URL form), ``settings`` (parsing the
untrusted URL and form values), ``actions`` (what can happen, what the page
must do) and ``reducer`` (the one transition). May import ``text``, ``data``,
``lessons``, ``run`` and ``segmentation``; nothing imports ``state`` except
``app``, ``exports`` and the settings value that every folder may read.
"""
