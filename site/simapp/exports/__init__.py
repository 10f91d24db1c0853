"""What a run can be taken away as, and the share link's notes.

``export`` (the fitted parameters as JSON), ``reproduce`` (the data as CSV,
a stand-alone scikit-learn script and a notebook, from a ``Reproduction``),
``handout`` (a finished run as a ``Reproduction``; exported charts' titles
and legends), ``figure`` (the frame around an exported chart PNG), ``video``
(the recording's format), ``sharing`` (file names, the embedded page's
link, what a link carries) and ``embedding`` (the embed API: the events an
embedded page posts to its parent, the commands it accepts).

May import ``emcore`` and every other folder but ``app``.
"""
