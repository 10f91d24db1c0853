"""Take a fit out of the page: a CSV table, a Python script and a notebook.

Everything here is plain text or JSON built from a :class:`Reproduction`, the
data and settings of one run. The script and the notebook need only numpy,
scikit-learn and matplotlib (no emcore): the data are embedded as CSV text and,
when the page knows them, so are the initial parameters of the start that won.
scikit-learn started from those parameters follows the same EM path, so its
log-likelihood, AIC and BIC agree with the page's to many digits; without them
it draws its own k-means++ starts and agrees only when both reach the same
optimum.

The notebook and the script hold the same code cells; the notebook adds
headings and a sentence before each step, for a class to read. Names and the
title may hold any text: names are written as Python literals (``repr``:
any Unicode, escapes for what is not printable) and the title on one line of
printable characters, escaped for the script's docstring.

Examples
--------
>>> import numpy as np
>>> rep = Reproduction(X=np.array([[0.0, 1.0], [2.0, 3.0]]), n_components=1)
>>> print(data_csv(rep), end="")
x,y
0.0,1.0
2.0,3.0
>>> nb = notebook(rep)
>>> nb["nbformat"], nb["cells"][0]["cell_type"]
(4, 'markdown')
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

from emcore import COVARIANCE_TYPES
from simapp.text.quoting import NUMBER_RE, strip_bidi

__all__ = ["FORMULA_STARTS", "Reproduction", "data_csv", "notebook", "script"]


@dataclass(frozen=True)
class Reproduction:
    """One run, as much as is needed to reproduce it elsewhere.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features)
        The fitted data, every fitted column.
    n_components : int
    columns : tuple of str
        Column names; default ``x, y`` for two columns, ``x1 .. xd`` beyond.
    covariance_type : {"full", "tied", "diag", "spherical"}
    tol, reg_covar : float
    max_iter, n_init, seed : int
    labels_true : ndarray of shape (n_samples,) of int, optional
        True class codes (simulated clusters, a dataset's classes).
    class_names : tuple of str
        Names of the true classes, by code; empty for plain numbers.
    init : dict, optional
        ``weights`` (K,), ``means`` (K, d) and ``precisions`` (shape of the
        covariance type) of the winning start's initial parameters.
    page : dict
        The page's own results to compare with: any of ``loglik``, ``aic``,
        ``bic``, ``ari``.
    title : str
        One line naming the run (the settings or the page's link).
    resp : ndarray of shape (n_samples, n_components), optional
        Fitted responsibilities, for :func:`data_csv`.
    plot_columns : tuple of int
        The two columns the notebook's figure shows.
    """

    X: np.ndarray
    n_components: int
    columns: tuple = ()
    covariance_type: str = "full"
    tol: float = 1e-3
    reg_covar: float = 1e-6
    max_iter: int = 100
    n_init: int = 1
    seed: int = 0
    labels_true: np.ndarray | None = None
    class_names: tuple = ()
    init: dict | None = None
    page: dict = field(default_factory=dict)
    title: str = ""
    resp: np.ndarray | None = None
    plot_columns: tuple = (0, 1)

    def __post_init__(self):
        X = np.asarray(self.X, dtype=np.float64)
        if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
            raise ValueError(f"X must be a non-empty 2-D array; got shape {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("X must hold finite numbers only")
        object.__setattr__(self, "X", X)
        d = X.shape[1]
        if not self.columns:
            names = ("x", "y") if d == 2 else tuple(f"x{i + 1}" for i in range(d))
            object.__setattr__(self, "columns", names)
        if len(self.columns) != d:
            raise ValueError(f"columns names {len(self.columns)} columns; X has {d}")
        if self.covariance_type not in COVARIANCE_TYPES:
            raise ValueError(
                f"covariance_type={self.covariance_type!r}; allowed: "
                + ", ".join(COVARIANCE_TYPES)
            )
        if int(self.n_components) < 1:
            raise ValueError(f"n_components={self.n_components}; must be >= 1")
        if self.labels_true is not None:
            labels = np.asarray(self.labels_true).reshape(-1).astype(np.intp)
            if len(labels) != len(X):
                raise ValueError(
                    f"labels_true has {len(labels)} entries for {len(X)} rows"
                )
            object.__setattr__(self, "labels_true", labels)
        if self.resp is not None:
            resp = np.asarray(self.resp, dtype=np.float64)
            if resp.shape != (len(X), int(self.n_components)):
                raise ValueError(
                    f"resp must have shape {(len(X), int(self.n_components))}; "
                    f"got {resp.shape}"
                )
            object.__setattr__(self, "resp", resp)
        pc = tuple(int(c) for c in self.plot_columns)
        if d >= 2 and (len(pc) != 2 or min(pc) < 0 or max(pc) >= d):
            raise ValueError(f"plot_columns={self.plot_columns}: two of 0..{d - 1}")


# ----------------------------------------------------------------------- CSV
#: First characters that make a spreadsheet read a text cell as a formula
#: (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_name(name: str) -> str:
    """A text cell (a column or class name): never a formula, quoted if needed.

    A name that starts like a formula gets OWASP's leading single quote, so a
    spreadsheet shows it as text instead of running it; a name that is a
    plain number (``-1``) cannot run and is left as it is.
    """
    text = str(name)
    if text.startswith(FORMULA_STARTS) and not NUMBER_RE.fullmatch(text):
        text = "'" + text
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _rows(X: np.ndarray, *extra: list) -> list[str]:
    cols = [[repr(v) for v in col] for col in X.T.tolist()]
    cols += [[str(v) for v in col] for col in extra]
    return [",".join(row) for row in zip(*cols, strict=True)]


def data_csv(rep: Reproduction) -> str:
    """The data as CSV: every column, the true class, the fitted result.

    Columns: the data columns; ``true_class`` (the class name, or its code)
    when the truth is known; ``fitted_component`` (1-based) and
    ``p_1 .. p_K`` when responsibilities are given. Floats are written with
    Python's shortest round-trip form, so reading the file back gives the
    page's exact numbers. Names that start like a spreadsheet formula
    (:data:`FORMULA_STARTS`) are written with a leading ``'``, as text.

    Returns
    -------
    str
        One header line and one line per row, ending with a newline.
    """
    header = [_csv_name(c) for c in rep.columns]
    extra = []
    if rep.labels_true is not None:
        header.append("true_class")
        names = rep.class_names
        extra.append(
            [
                _csv_name(names[c]) if 0 <= c < len(names) else str(c)
                for c in rep.labels_true.tolist()
            ]
        )
    if rep.resp is not None:
        k = rep.resp.shape[1]
        header.append("fitted_component")
        extra.append((np.argmax(rep.resp, axis=1) + 1).tolist())
        header += [f"p_{j + 1}" for j in range(k)]
        extra += [[repr(v) for v in col] for col in rep.resp.T.tolist()]
    return "\n".join([",".join(header), *_rows(rep.X, *extra)]) + "\n"


# ------------------------------------------------------------ code of the fit
def _array_literal(a) -> str:
    return json.dumps(np.asarray(a, dtype=np.float64).tolist())


def _float(value: float) -> str:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"cannot write the non-finite number {value} as code")
    return repr(value)


def _cells(rep: Reproduction) -> list[tuple[str, str]]:
    """(markdown, code) pairs; the script joins the code, the notebook both."""
    cells = [_imports_cell(rep), _data_cell(rep), _fit_cell(rep)]
    comparison = _comparison_cell(rep)
    if comparison is not None:
        cells.append(comparison)
    if rep.X.shape[1] >= 2:
        cells.append(_figure_cell(rep))
    return cells


def _imports_cell(rep: Reproduction) -> tuple[str, str]:
    has_truth = rep.labels_true is not None
    return (
        "Python's standard tools only: numpy for the data, scikit-learn for "
        "EM, matplotlib for the figure.",
        "import io\n\n"
        "import matplotlib.pyplot as plt\n"
        "import numpy as np\n"
        "from matplotlib.patches import Ellipse\n"
        + ("from sklearn.metrics import adjusted_rand_score\n" if has_truth else "")
        + "from sklearn.mixture import GaussianMixture",
    )


def _data_cell(rep: Reproduction) -> tuple[str, str]:
    """The data embedded as CSV text, the true class as the last field."""
    d = rep.X.shape[1]
    has_truth = rep.labels_true is not None
    data_cols = ", ".join(repr(c) for c in rep.columns)
    table = rep.X if not has_truth else np.column_stack([rep.X, rep.labels_true])
    csv_lines = "\n".join(
        ",".join(repr(v) if j < d else str(int(v)) for j, v in enumerate(row))
        for row in table.tolist()
    )
    return (
        f"The page's {len(rep.X)} rows, embedded as CSV text"
        + (" (the last field is the true class)." if has_truth else "."),
        f"COLUMNS = [{data_cols}]\n"
        + (f"CLASS_NAMES = {list(map(str, rep.class_names))!r}\n" if has_truth else "")
        + f'DATA = """\\\n{csv_lines}\n"""\n'
        'table = np.loadtxt(io.StringIO(DATA), delimiter=",", ndmin=2)\n'
        f"X = table[:, :{d}]\n"
        + (f"labels_true = table[:, {d}].astype(int)\n" if has_truth else "")
        + 'print(f"{X.shape[0]} rows, {X.shape[1]} columns: {COLUMNS}")',
    )


def _fit_cell(rep: Reproduction) -> tuple[str, str]:
    """The fit: from the page's winning start when known, else k-means++."""
    fit_args = [
        f"n_components={int(rep.n_components)}",
        f'covariance_type="{rep.covariance_type}"',
        f"tol={_float(rep.tol)}",
        f"reg_covar={_float(rep.reg_covar)}",
        f"max_iter={int(rep.max_iter)}",
    ]
    if rep.init is not None:
        intro = (
            "EM from the same starting point as the page: the initial weights, "
            "means and precisions of the start that won there. From the same "
            "start scikit-learn repeats the page's iterations."
        )
        init_code = (
            f"weights_init = np.array({_array_literal(rep.init['weights'])})\n"
            f"means_init = np.array({_array_literal(rep.init['means'])})\n"
            f"precisions_init = np.array({_array_literal(rep.init['precisions'])})\n"
        )
        fit_args += [
            "weights_init=weights_init / weights_init.sum()",
            "means_init=means_init",
            "precisions_init=precisions_init",
        ]
    else:
        intro = (
            f"EM with {int(rep.n_init)} k-means++ starts, keeping the best. "
            "scikit-learn draws its own starts, so it agrees with the page "
            "when both reach the same optimum."
        )
        init_code = ""
        fit_args += [
            'init_params="k-means++"',
            f"n_init={int(rep.n_init)}",
            f"random_state={int(rep.seed)}",
        ]
    args = "".join(f"    {a},\n" for a in fit_args)
    fit_code = (
        init_code + f"gm = GaussianMixture(\n{args})\n"
        "labels = gm.fit_predict(X)\n"
        "loglik = gm.score(X) * len(X)\n"
        'print(f"iterations: {gm.n_iter_}, converged: {gm.converged_}")\n'
        'print(f"log-likelihood: {loglik:.6f}")\n'
        'print(f"AIC: {gm.aic(X):.6f}")\n'
        'print(f"BIC: {gm.bic(X):.6f}")'
        + (
            '\nprint(f"ARI: {adjusted_rand_score(labels_true, labels):.6f}")'
            if rep.labels_true is not None
            else ""
        )
    )
    return intro, fit_code


def _comparison_cell(rep: Reproduction) -> tuple[str, str] | None:
    """The page's numbers beside the fit's, when the page has a BIC."""
    page = {
        key: float(value)
        for key, value in rep.page.items()
        if key in ("loglik", "aic", "bic", "ari")
        and value is not None
        and math.isfinite(float(value))
    }
    if "bic" not in page:
        return None
    ours = {"loglik": "loglik", "aic": "gm.aic(X)", "bic": "gm.bic(X)"}
    if rep.labels_true is not None:
        ours["ari"] = "adjusted_rand_score(labels_true, labels)"
    lines = [f"PAGE = {json.dumps(page)}"]
    lines += [
        f'print(f"{name:>6}: page {{PAGE[{name!r}]:.6f}}, "'
        f' f"here {{{ours[name]}:.6f}}")'
        for name in page
        if name in ours
    ]
    lines += [
        'relative = abs(gm.bic(X) - PAGE["bic"]) / abs(PAGE["bic"])',
        'print(f"BIC differs from the page\'s by {100 * relative:.4f} %")',
        'assert relative < 0.01, "not the page\'s fit: see the note above"',
    ]
    return (
        "The page's numbers beside scikit-learn's. BIC should agree within 1 %.",
        "\n".join(lines),
    )


#: The figure's code; ``{a}`` and ``{b}`` are the two columns drawn.
_FIGURE_CODE = (
    "A, B = {a}, {b}  # the two columns drawn\n"
    "full = {{\n"
    '    "full": lambda c: c,\n'
    '    "tied": lambda c: np.repeat(c[None], gm.n_components, axis=0),\n'
    '    "diag": lambda c: np.array([np.diag(v) for v in c]),\n'
    '    "spherical": lambda c: np.array(\n'
    "        [v * np.eye(X.shape[1]) for v in c]\n"
    "    ),\n"
    "}}[gm.covariance_type](gm.covariances_)\n"
    'fig, ax = plt.subplots(figsize=(6, 5), facecolor="white")\n'
    'colours = plt.get_cmap("tab10")\n'
    "for j in range(gm.n_components):\n"
    "    mine = labels == j\n"
    "    ax.scatter(X[mine, A], X[mine, B], s=8, color=colours(j % 10),\n"
    '               label=f"component {{j + 1}}")\n'
    "    block = full[j][np.ix_([A, B], [A, B])]\n"
    "    values, vectors = np.linalg.eigh(block)\n"
    "    angle = np.degrees(np.arctan2(vectors[1, 1], vectors[0, 1]))\n"
    "    for n_std in (1, 2):\n"
    "        ax.add_patch(Ellipse(gm.means_[j, [A, B]],\n"
    "                             2 * n_std * np.sqrt(values[1]),\n"
    "                             2 * n_std * np.sqrt(values[0]),\n"
    "                             angle=angle, fill=False,\n"
    "                             color=colours(j % 10)))\n"
    "ax.set_xlabel(COLUMNS[A])\n"
    'ax.set_ylabel(COLUMNS[B] if X.shape[1] > 1 else "")\n'
    'ax.set_title(f"{{gm.n_components}} components, {{gm.covariance_type}} "\n'
    '             f"covariances: BIC {{gm.bic(X):.1f}}")\n'
    'ax.legend(loc="best", fontsize="small")\n'
    "plt.show()"
)


def _figure_cell(rep: Reproduction) -> tuple[str, str]:
    """Points and ellipses of the fit in the two columns drawn (d >= 2)."""
    a, b = rep.plot_columns
    more = rep.X.shape[1] > 2
    return (
        "Each point in its most responsible component's colour, with "
        "the 1σ and 2σ ellipses of every component"
        + (
            " (for more than two columns: the covariance's block for "
            "the two columns drawn)."
            if more
            else "."
        ),
        _FIGURE_CODE.format(a=a, b=b),
    )


def _title(rep: Reproduction) -> str:
    """The run's title on one line of printable characters (no bidirectional
    controls, line breaks or other control characters: spaces instead)."""
    what = (
        f"{int(rep.n_components)}-component Gaussian mixture, "
        f"{rep.covariance_type} covariances"
    )
    text = f"{what}: {rep.title}" if rep.title else what
    return "".join(c if c.isprintable() else " " for c in strip_bidi(text))


def _docstring(text: str) -> str:
    """One line of text as it reads inside a triple-quoted docstring:
    backslashes and quotes escaped, so no title ends the string early."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def script(rep: Reproduction) -> str:
    """A stand-alone Python script that repeats the fit (numpy, scikit-learn,
    matplotlib; no emcore).

    Returns
    -------
    str
        Python source; it prints the fit's numbers, compares them with the
        page's when :attr:`Reproduction.page` has a BIC, and draws the figure.
    """
    parts = [
        f'"""Reproduce an EM / Gaussian-mixture simulator run: '
        f"{_docstring(_title(rep))}.\n\n"
        'Needs: pip install numpy scikit-learn matplotlib\n"""'
    ]
    for text, code in _cells(rep):
        parts.append(f"# {text}\n{code}" if len(text) < 80 else code)
    return "\n\n".join(parts) + "\n"


def notebook(rep: Reproduction) -> dict:
    """The same steps as :func:`script`, as a Jupyter notebook (nbformat 4.5).

    Returns
    -------
    dict
        The notebook; ``json.dumps`` it to write an ``.ipynb`` file.
    """

    def cell(kind: str, text: str, index: int) -> dict:
        body = {
            "cell_type": kind,
            "id": f"{kind[:2]}{index:02d}",
            "metadata": {},
            "source": text.splitlines(keepends=True),
        }
        if kind == "code":
            body.update(execution_count=None, outputs=[])
        return body

    cells = [
        cell(
            "markdown",
            f"# {_title(rep)}\n\nThis notebook repeats a fit made in the EM / "
            "Gaussian-mixture simulator, step by step, with numpy, scikit-learn "
            "and matplotlib. Run every cell from the top.",
            0,
        )
    ]
    for i, (text, code) in enumerate(_cells(rep), start=1):
        cells.append(cell("markdown", text, i))
        cells.append(cell("code", code, i))
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
