"""One value of a link or a control, read as the settings read them.

:func:`parse_number` accepts what a person types as a number and nothing
else; :func:`shown` is a value as a note quotes it; ``temp`` (the E-step's
temperature, emcore's ``temperature``), ``model`` (the watched fit, EM or
variational Bayes), ``conc`` (the Bayesian fit's concentration prior) and
``means0`` (the watched fit's starting means, emcore's ``means_init``) are
read and written here, with ``anneal`` (deterministic annealing of EM):
:func:`parse_fit_options`, :func:`fit_options` (emcore's keywords) and
:func:`fit_query` (the link's parameters). So is ``dims``, the simulated
data's dimension (:func:`parse_dims`, :func:`check_dims`).

Examples
--------
>>> parse_number("0.25"), parse_number("nan"), parse_number("1_000")
(0.25, None, None)
>>> notes = []
>>> parse_temp("9", notes), notes
(5.0, ['temp=9 is above the maximum 5; using 5'])
>>> temp_label(0.25), temp_label(1.0)
('0.25', '1')
>>> parse_means0("1.5,-2; 0,3", 2, notes)
((1.5, -2.0), (0.0, 3.0))
>>> means0_label(((1.5, -2.0), (0.0, 3.0)))
'1.5,-2;0,3'
"""

from __future__ import annotations

import math

from emcore.experiment import LIMITS as _LIMITS
from simapp.text.quoting import NUMBER_RE, QUOTE_CHARS, quote_user_text

__all__ = [
    "ANNEAL_SCHEDULE",
    "CONC_CHOICES",
    "DIMS_CHOICES",
    "MODEL_CHOICES",
    "START_DIGITS",
    "TEMP_LIMITS",
    "anneals",
    "check_dims",
    "check_means0",
    "check_model",
    "conc_label",
    "fit_options",
    "fit_query",
    "means0_label",
    "parse_conc",
    "parse_dims",
    "parse_fit_options",
    "parse_k_true",
    "parse_means0",
    "parse_model",
    "parse_number",
    "parse_temp",
    "round_start",
    "shown",
    "temp_label",
]

#: The watched fit: EM (maximum likelihood) or variational Bayes.
MODEL_CHOICES: tuple[str, ...] = ("em", "bayes")

#: The Bayesian fit's concentration priors offered, one per decade (a log
#: scale) across emcore's ``LIMITS["concentration"]``; None, scikit-learn's
#: ``1 / K``, is the default.
CONC_CHOICES: tuple[float, ...] = tuple(
    float(f"1e{e}")
    for e in range(
        round(math.log10(_LIMITS["concentration"][0])),
        round(math.log10(_LIMITS["concentration"][1])) + 1,
    )
)

#: Inclusive limits of ``temp``, the watched fit's E-step temperature
#: (emcore's ``temperature``): 1 is EM, 0 hard assignments.
TEMP_LIMITS: tuple[float, float] = (
    float(_LIMITS["temperature"][0]),
    float(_LIMITS["temperature"][1]),
)

#: ``anneal=1``: the watched EM fit runs at T = 1.5, 1.35, ... (each stage to
#: convergence) down to the E-step temperature, emcore's ``annealing=(T0,
#: factor)``; a mild schedule (a hot one merges free covariances for good).
ANNEAL_SCHEDULE: tuple[float, float] = (1.5, 0.9)

#: The simulated data's dimensions (emcore's ``dims``), the default first:
#: clusters in the plane, or on a line (drawn as a histogram).
DIMS_CHOICES: tuple[int, ...] = (2, 1)

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})

# Longer inputs are never legitimate and could make int() slow (CPython caps
# int parsing at 4300 digits, but there is no reason to get anywhere near).
_MAX_INPUT_CHARS = 64


def parse_number(text: str) -> float | None:
    """Parse a plain decimal/scientific number; ``None`` for anything else.

    ``float()`` alone would accept ``'nan'``, ``'infinity'`` and ``'1_000'``;
    the regex restricts input to what a person types as a number.
    """
    if len(text) > _MAX_INPUT_CHARS or not NUMBER_RE.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def shown(text: str) -> str:
    """``text`` as a note quotes it: plain numbers read better unquoted
    (``k=999``); anything else is quoted."""
    if len(text) <= QUOTE_CHARS and NUMBER_RE.fullmatch(text):
        return text
    return quote_user_text(text)


def temp_label(temp: float) -> str:
    """A temperature as links and the control write it: ``'0.25'``, ``'1'``
    (the shortest text that reads back as the same float)."""
    text = repr(float(temp))
    return text.removesuffix(".0")


def parse_temp(text: str, notes: list[str]) -> float:
    """``temp``: clamped to :data:`TEMP_LIMITS`; unreadable means 1 (EM)."""
    low, high = TEMP_LIMITS
    quoted = shown(text)
    value = parse_number(text)
    if value is None:
        notes.append(f"temp={quoted} is not a valid number; using 1 (EM)")
        return 1.0
    if value > high:
        notes.append(f"temp={quoted} is above the maximum {high:g}; using {high:g}")
        return high
    if value < low:
        notes.append(f"temp={quoted} is below the minimum {low:g}; using {low:g}")
        return low
    return float(value)


#: Significant digits a start's coordinate keeps: a link writes it in full,
#: so the run a link reproduces starts where the dragged one did.
START_DIGITS = 6


def round_start(value: float) -> float:
    """A start's coordinate as links write it (:data:`START_DIGITS`
    significant digits)."""
    return float(f"{float(value):.{START_DIGITS}g}")


def check_means0(means0) -> None:
    """Raise ValueError unless ``means0`` is ``(x, y)`` pairs of finite floats."""
    for pair in means0:
        if not (
            isinstance(pair, tuple)
            and len(pair) == 2
            and all(isinstance(v, float) and math.isfinite(v) for v in pair)
        ):
            raise ValueError(
                f"means0 must be (x, y) pairs of finite floats, got {means0!r}"
            )


def means0_label(means0) -> str:
    """Starting means as links write them: ``'x,y;x,y'`` (empty for none)."""
    return ";".join(
        ",".join(f"{round_start(v):.{START_DIGITS}g}" for v in pair) for pair in means0
    )


def parse_means0(text: str, k: int, notes: list[str]) -> tuple:
    """``means0``: one ``x,y`` pair per component, pairs split by ``;``.

    Returns the pairs (each coordinate rounded by :func:`round_start`), or
    ``()`` with a note when a pair is not two plain numbers or their count
    is not ``k``: EM then starts as ``init`` says.
    """
    pieces = [p.strip() for p in text.split(";")]
    if pieces and not pieces[-1]:
        pieces.pop()  # a trailing ";"
    pairs = []
    for i, piece in enumerate(pieces, start=1):
        parts = [parse_number(part.strip()) for part in piece.split(",")]
        if len(parts) != 2 or None in parts:
            notes.append(
                f"means0={shown(text)}: start {i} ({quote_user_text(piece)}) is not "
                "two numbers x,y (write means0=x,y;x,y;…); using the usual start"
            )
            return ()
        pairs.append((round_start(parts[0]), round_start(parts[1])))
    if len(pairs) != k:
        notes.append(
            f"means0 has {len(pairs)} start{'s' if len(pairs) != 1 else ''} but "
            f"k={k}: it needs one x,y pair per component; using the usual start"
        )
        return ()
    return tuple(pairs)


def conc_label(conc: float | None) -> str:
    """A concentration prior as links and the control write it: ``'0.001'``,
    ``'1000'``; ``''`` for the default, ``1 / K``."""
    return "" if conc is None else f"{conc:g}"


def parse_model(text: str, notes: list[str]) -> str:
    """``model``: ``em`` or ``bayes``; anything else means EM."""
    model = text.lower()
    if model not in MODEL_CHOICES:
        notes.append(
            f"model={quote_user_text(text)} is not one of "
            f"{', '.join(MODEL_CHOICES)}; using em"
        )
        return "em"
    return model


def parse_conc(text: str, notes: list[str]) -> float | None:
    """``conc``: the nearest of :data:`CONC_CHOICES` in log space; empty or
    unreadable means the default (None, ``1 / K``)."""
    value = parse_number(text)
    if value is None or value <= 0:
        notes.append(f"conc={shown(text)} is not a positive number; using 1/K")
        return None
    nearest = min(CONC_CHOICES, key=lambda c: abs(math.log10(c / value)))
    if not math.isclose(nearest, value):
        notes.append(f"conc={shown(text)} is not offered; using {nearest:g}")
    return nearest


def check_model(model: object, conc: object) -> None:
    """Guard hand-built settings: ``model`` one of :data:`MODEL_CHOICES`,
    ``conc`` None or one of :data:`CONC_CHOICES`."""
    if model not in MODEL_CHOICES:
        raise ValueError(f"model={model!r} is not one of {MODEL_CHOICES}")
    if conc is not None and conc not in CONC_CHOICES:
        raise ValueError(f"conc={conc!r} is not None or one of {CONC_CHOICES}")


def parse_fit_options(raw: dict[str, str], notes: list[str]) -> dict[str, object]:
    """``temp``, ``model``, ``conc`` and ``anneal`` of a link, when given
    (empty: the default)."""
    values: dict[str, object] = {}
    readers = {"temp": parse_temp, "model": parse_model, "conc": parse_conc}
    for name, read in readers.items():
        if raw.get(name, "") != "":
            values[name] = read(raw[name], notes)
    if "anneal" in raw:
        flag = raw["anneal"].lower()
        values["anneal"] = flag in _TRUE
        if flag not in _TRUE | _FALSE:
            notes.append(
                f"anneal={quote_user_text(raw['anneal'])} is not 0/1; not annealing"
            )
    return values


def anneals(temp: float, model: str, anneal: bool) -> bool:
    """Whether the run is annealed: asked for, EM, and a final temperature
    the schedule cools to (above 0, below its first)."""
    return anneal and model == "em" and 0.0 < temp < ANNEAL_SCHEDULE[0]


def fit_options(temp: float, model: str, conc, anneal: bool) -> dict[str, object]:
    """emcore's keywords for the watched fit: ``model`` and
    ``concentration`` for variational Bayes (untempered), else
    ``temperature`` when not 1 and ``annealing`` when :func:`anneals`."""
    if model == "bayes":  # conc None is emcore's 1/K
        return {"model": model, "concentration": conc}
    options: dict[str, object] = {}
    if temp != 1.0:  # emcore's default, EM
        options["temperature"] = float(temp)
    if anneals(temp, model, anneal):
        options["annealing"] = ANNEAL_SCHEDULE
    return options


def fit_query(temp: float, model: str, conc, anneal: bool) -> list[str]:
    """The link's ``temp=``, ``model=``, ``conc=`` and ``anneal=``, each
    only away from its default."""
    parts = []
    if temp != 1.0:
        parts.append(f"temp={temp_label(temp)}")
    if model != "em":
        parts.append(f"model={model}")
    if conc is not None:
        parts.append(f"conc={conc_label(conc)}")
    if anneal:
        parts.append("anneal=1")
    return parts


def check_dims(dims: object) -> None:
    """Raise ValueError unless ``dims`` is one of :data:`DIMS_CHOICES`."""
    if isinstance(dims, bool) or dims not in DIMS_CHOICES:
        raise ValueError(f"dims={dims!r} is not one of {DIMS_CHOICES}")


def parse_dims(text: str, notes: list[str]) -> int:
    """``dims``: 1 (a line) or 2 (the plane); anything else is 2, noted."""
    value = parse_number(text)
    if value in DIMS_CHOICES:
        return int(value)
    notes.append(
        f"dims={shown(text)} is not 1 (a line) or 2 (the plane); using 2, the plane"
    )
    return DIMS_CHOICES[0]


def parse_k_true(text: str, notes: list[str]) -> int | None:
    """``k_true``: clamped to emcore's ``LIMITS["k_true"]``; unreadable means ``k``."""
    low, high = int(_LIMITS["k_true"][0]), int(_LIMITS["k_true"][1])
    value = parse_number(text)
    shown_text = shown(text)
    if value is None or value < 0:
        notes.append(f"k_true={shown_text} is not a valid number; using k")
        return None
    if value != math.floor(value):
        value = math.floor(value + 0.5)
        notes.append(f"k_true={shown_text} is not a whole number; using {value}")
    if value > high:
        notes.append(f"k_true={shown_text} is above the maximum {high}; using {high}")
        return high
    if value < low:
        notes.append(f"k_true={shown_text} is below the minimum {low}; using {low}")
        return low
    return int(value)
