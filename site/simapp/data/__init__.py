"""The data a run fits: tables read from text, bundled datasets, columns.

``tables`` (parsing pasted or uploaded text), ``loadsteps`` (reading large
tables a slice at a time), ``datasets`` (Iris and penguins, bundled as CSV in
this folder), ``columns`` (which columns are fitted and which plane is shown)
and ``projection``. May import ``text``.
"""
