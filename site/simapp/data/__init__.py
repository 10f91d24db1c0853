"""The data a run fits: tables read from text, bundled datasets, columns.

Reading text: ``tables`` (size checks and the stepped reader,
:func:`~simapp.data.tables.parse_table`), ``sniffing`` (records, delimiter,
decimal comma, header), ``cells`` (numbers, missing markers and
:class:`~simapp.data.cells.DataError`) and ``loadsteps`` (reading large text a
slice per frame). The result: ``table`` (the :class:`~simapp.data.table.Table`
of cell strings) and ``selection`` (the chosen columns as points and labels).
Other data: ``datasets`` (Iris, penguins, Old Faithful: CSV in this folder),
``gallery`` (hard data drawn from the seed: ring, moons, cigars, unequal,
outliers) and ``points`` (clicked points). Columns: ``columns`` (which columns are
fitted, and its link form), ``fitsize`` (how many columns and rows a fit may
take: the stated limits) and ``projection`` (the plane the scatter shows).

May import ``emcore``, ``simapp.text`` and :mod:`simapp.run.budget` (the
frame time budget the stepped reader works within); nothing else of
:mod:`simapp`.
"""
