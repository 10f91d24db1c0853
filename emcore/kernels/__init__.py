"""The EM loop's fast numerical kernels, and how long work is cut into steps.

* :mod:`.moments`: :class:`~.moments.MomentWorkspace`, the data's per-sample
  moment features computed once, with which an E-step is one matrix product
  (and :func:`~.moments.normalise_log_prob`, emcore's one log-space
  normalisation).
* :mod:`.mstep`: the workspace's M-step half (soft counts, means and
  covariances from the moment sums, exact covariances where the moments lose
  digits).
* :mod:`.linalg`: small dense products chosen per platform (BLAS in CPython,
  ``einsum`` in Pyodide) and 2x2 closed forms.
* :mod:`.rowblocks`: :data:`~.rowblocks.ROW_BLOCK`, row slices and the step
  runners that let a browser page paint between the blocks of a long
  computation.

May import numpy and :mod:`emcore.densities` only (``densities`` itself uses
:mod:`.linalg`). This ``__init__`` imports nothing, so that ``densities`` can
import :mod:`.linalg` without an import cycle.
"""
