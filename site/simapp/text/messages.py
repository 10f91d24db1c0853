"""The status line and the data-source panel in words.

Loading (and why it failed), a run's progress and end, unexpected errors,
the adjusted settings' notes, what the data source panel says of your own
data, and the menus' empty choices ("no class column", "no lesson"). Plain
text: the page inserts it as text nodes, never as HTML.

Examples
--------
>>> starts(1), starts(4, "k-means++ ")
('1 start', '4 k-means++ starts')
>>> best_of(1), best_of(3)
('a single start', 'best of 3 starts')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simapp.text.quoting import names_list
from simapp.text.starts import optima_phrase

__all__ = [
    "NO_CLASS_COLUMN",
    "NO_LESSON",
    "PLANE_OF_TWO",
    "VENDOR_HINT",
    "WHY_FINAL_SHOWN",
    "WHY_LOADING",
    "WHY_NOT_FINISHED",
    "WHY_NO_RESULT",
    "WHY_NO_RUN",
    "WHY_SCENE",
    "adjusted_heading",
    "best_of",
    "build_info_error",
    "columns_hint",
    "data_hint",
    "data_prompt",
    "data_summary",
    "dataset_info",
    "done_message",
    "emcore_load_error",
    "not_applied",
    "numpy_load_error",
    "phase_message",
    "ready_message",
    "ready_status",
    "running_message",
    "start_failure",
    "starts",
    "unexpected_error",
]

VENDOR_HINT = "python build.py --vendor --wheels DIR"


def starts(n: int, what: str = "") -> str:
    """``'1 start'``, ``'4 k-means++ starts'``."""
    return f"{n} {what}start" + ("" if n == 1 else "s")


def best_of(n: int) -> str:
    """``'a single start'`` or ``'best of N starts'``."""
    return "a single start" if n == 1 else f"best of {n} starts"


# ------------------------------------------------------------------ loading
def numpy_load_error(info: Mapping[str, Any]) -> str:
    """Why numpy did not load and how to fix it, for the build ``info``.

    >>> numpy_load_error({"mode": "cdn"}).startswith("numpy could not be loaded")
    True
    """
    wanted = info.get("numpy_wheel_expected") or "Pyodide's numpy wheel"
    if info.get("mode") == "vendor":
        if info.get("numpy_wheel"):
            reason = (
                f"the numpy wheel of this build ({info['numpy_wheel']}) did not load"
            )
        else:
            reason = f"this build does not carry Pyodide's numpy wheel ({wanted})"
        hint = (
            f"rebuild with {VENDOR_HINT}, where DIR holds that file "
            "(or let build.py download it)"
        )
    else:
        reason = "it could not be fetched from the Pyodide CDN (cdn.jsdelivr.net)"
        hint = (
            "check your internet connection and reload, or build an offline "
            f"copy with {VENDOR_HINT}"
        )
    return f"numpy could not be loaded: {reason}. Fix: {hint}."


def emcore_load_error(wheel: str) -> str:
    """Why the emcore wheel did not load."""
    return (
        f"emcore could not be loaded from {wheel}: the site build is "
        "incomplete. Fix: rebuild it with python build.py (or python build.py "
        "--vendor)."
    )


def build_info_error(name: str) -> str:
    """The build's description file is missing."""
    return (
        f"{name} is missing or unreadable: this folder is not a built "
        "site. Build and serve it with python build.py serve."
    )


def start_failure(exc: BaseException) -> str:
    """The page could not start for an unexpected reason."""
    return (
        f"The simulator failed to start ({type(exc).__name__}: {exc}). "
        "Reload the page; if it keeps failing, rebuild the site with "
        "python build.py and report the technical details below."
    )


def not_applied(exc: BaseException) -> str:
    """A change the page refused (a ValueError saying which value and why).

    >>> not_applied(ValueError("seed must be a whole number"))
    'That change was not applied: seed must be a whole number.'
    """
    return f"That change was not applied: {str(exc).rstrip('.')}."


def unexpected_error(exc: BaseException, what: str) -> str:
    """An unexpected error the page survives."""
    return (
        f"Something went wrong while {what} ({type(exc).__name__}: {exc}). "
        "The page still works: change a setting or press Simulate to try "
        "again, or reload the page. Technical details below."
    )


def ready_status(kind: str) -> str:
    """The status line once the page is ready, for data source ``kind``: what
    to do, in a student's words (what the page runs on is the about line's,
    :func:`ready_message`).

    >>> ready_status("simulated").startswith("Ready. The grey points")
    True
    """
    if kind == "simulated":
        return (
            "Ready. The grey points are data drawn from the mixture in the "
            "settings: press Simulate to watch EM fit them, or open a lesson."
        )
    return "Ready. Press Simulate to fit your data, or open a lesson."


def ready_message(
    emcore: str, numpy: str, pyodide: str, load_s: float, page_s: float
) -> str:
    """What the page runs on and how long it took to start: the about line
    under the page and the console's, once the page is ready (the status line
    says :func:`ready_status`).

    >>> about = ready_message("0.1.0", "2.2.5", "0.28.3", 2.14, 3.0)
    >>> about.startswith("emcore 0.1.0 on numpy 2.2.5"), "in 2.1 s" in about
    (True, True)
    """
    return (
        f"emcore {emcore} on numpy {numpy} (Pyodide {pyodide}); packages "
        f"loaded in {load_s:.1f} s, page ready after {page_s:.1f} s."
    )


# ------------------------------------------------------------------ disabled
#: Why a disabled button is disabled (its title and description).
WHY_LOADING = "Python is still starting: Simulate works once the page is ready."
WHY_NO_RUN = "Step through the fit once EM has run: press Simulate first."
WHY_NOT_FINISHED = "The final fit is shown once EM has finished."
WHY_FINAL_SHOWN = "The chart shows the final fit already."
WHY_SCENE = "Segment fits the bundled scene until you choose a picture of your own."
PLANE_OF_TWO = "Two fitted columns are the chart's plane: fit three or more to choose."
WHY_NO_RESULT = (
    "The downloads are of a finished run: press Simulate and wait for it to finish."
)


# ------------------------------------------------------------------ runs
def running_message(s) -> str:
    """The status line as a run of settings ``s`` starts."""
    return (
        f"Running EM: K = {s.k}, N = {s.n}, overlap {s.overlap} %, {s.cov} "
        f"covariances, {starts(s.n_init)}, seed {s.seed}…"
    )


def phase_message(
    phase: str, settings: Mapping[str, Any], sweep_ks: Sequence[int], *, skipping
) -> str | None:
    """The status line when a run enters ``phase`` (None: leave it)."""
    if phase == "em":
        how = " (animation skipped)" if skipping else ""
        init = settings.get("init", "k-means++")
        return (
            f"Running EM{how}: {starts(settings['n_init'], f'{init} ')} on "
            f"{settings['n']} points, K = {settings['k']}…"
        )
    if phase == "sweep":
        return (
            f"EM finished; fitting K = {sweep_ks[0]}–{sweep_ks[-1]} for the "
            "AIC/BIC chart…"
        )
    return None


def done_message(result, n_init: int, *, embedded: bool = False) -> str:
    """The status line after a finished run (``result``: an
    ``emcore.records.ExperimentResult``).

    An embedded page (``embed=1``, in an iframe) has no address bar of its
    own, so it does not mention one.
    """
    state = "converged" if result.converged else "hit the iteration cap"
    ari = "n/a" if result.ari is None else f"{result.ari:.3f}"
    link = "" if embedded else " The address bar now links to this run."
    converged = sum(bool(st.converged) for st in result.starts)
    # the starts panel's count, in the same words
    optima = optima_phrase(int(result.n_optima), converged, len(result.starts))
    check = f"local optima {optima}"
    if result.verdict_checked:
        check = f"local-optima check {result.verdict}: {optima}"
    return (
        f"Done: EM {state} after {result.iterations} iterations "
        f"({best_of(n_init)}); ARI {ari}, {check}.{link}"
    )


# ------------------------------------------------------------------ notes
def adjusted_heading(source: str) -> str:
    """The heading of the notes listing adjusted settings (``source``: whose)."""
    return f"{source} were adjusted:"


# ------------------------------------------------------------------ own data
#: The class column's choice for "no class column".
NO_CLASS_COLUMN = "(none: no ARI)"
#: The lesson menu's choice for "no lesson".
NO_LESSON = "None: explore freely"


def data_hint(kind: str) -> str:
    """What to do first when data source ``kind`` has no data yet."""
    return {
        "upload": "choose a file first",
        "paste": "paste a table and press Use these data first",
        "click": "click the data chart to add points first",
        "dataset": "choose a dataset first",
    }.get(kind, "load data first")


def data_prompt(kind: str) -> str:
    """The status line right after choosing data source ``kind``."""
    if kind == "click":
        return "Click the data chart to add points, then Fit these points."
    what = "Choose a file" if kind == "upload" else "Paste a table"
    return f"{what} with two numeric columns (and optionally a class)."


def data_summary(title: str, n: int, label_names: Sequence[str], labelled: bool):
    """One sentence on the active own data.

    >>> data_summary("Iris", 150, ("a", "b"), True)
    'Iris: 150 points, 2 true classes (a, b) - the ARI compares the fit with them.'
    """
    n_classes = len(label_names) if labelled else 0
    summary = f"{title}: {n} points"
    if n_classes:
        summary += f", {n_classes} true classes ({', '.join(label_names[:6])})"
        summary += " - the ARI compares the fit with them."
    else:
        summary += ", no class column (no ARI)."
    return summary


def dataset_info(
    description: str,
    fitted: Sequence[str],
    axes: tuple[str, str],
    source: str,
    licence: str,
) -> str:
    """What the data source panel says of a bundled dataset: what it is,
    the columns fitted (or the chart's two axes), where it comes from."""
    if len(fitted) > 2:
        shown = f"Fitted: {', '.join(fitted)}."
    else:
        shown = f"x: {axes[0]}; y: {axes[1]}."
    return f"{description} {shown} Source: {source} Licence: {licence}"


def columns_hint(numeric: Sequence[str]) -> str:
    """How to name the fitted columns, and which columns are numeric (the
    first ten, then how many more)."""
    return "all, or names or numbers, comma-separated. Numeric columns: " + (
        names_list(numeric)
    )
