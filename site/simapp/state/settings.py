"""Simulator settings: parse untrusted URL/form strings, serialise to a link.

Limits and defaults come from :mod:`emcore.experiment` (``LIMITS``,
``DEFAULTS``): one source of truth for the engine, the page and its links.

Every value arrives as text (``location.search``, ``<input>.value``), so parsing
never raises: a well-formed but out-of-range number is clamped to the nearest
limit, anything else (garbage, empty, NaN, inf, negative counts) falls back to
the default. Each adjustment yields a short human note. Notes quote user text
truncated and with control characters replaced; the page must still insert them
as text nodes, never as HTML.

A link is read within caps before any value is parsed (:func:`read_query`,
from :mod:`simapp.state.linkread`): at most :data:`MAX_QUERY_FIELDS`
parameters, each given once, none too long.

Examples
--------
>>> s, notes = parse_settings({"k": "999", "tol": "abc"}, default_seed=7)
>>> s.k, s.tol, s.seed
(6, 0.0001, 7)
>>> notes[0]
'k=999 is above the maximum 6; using 6'
>>> settings_to_query(s)
'k=6&n=500&overlap=20&cov=full&iters=100&tol=1e-4&seed=7&n_init=4'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

from emcore.experiment import COVARIANCE_TYPES, INIT_METHODS
from emcore.experiment import DEFAULTS as _DEFAULTS
from emcore.experiment import EXTRAS as _EXTRAS
from emcore.experiment import LIMITS as _LIMITS
from emcore.synthetic import GALLERY
from simapp.state import values as _values
from simapp.state.linkread import MAX_QUERY_FIELDS, read_query
from simapp.state.startcov import check_starts, parse_starts, start_options, start_query
from simapp.state.values import ANNEAL_SCHEDULE, TEMP_LIMITS, temp_label
from simapp.state.values import parse_number as _parse_number
from simapp.state.values import shown as _shown
from simapp.text.quoting import quote_user_text

__all__ = [
    "ANNEAL_SCHEDULE",
    "COV_TYPES",
    "DEFAULTS",
    "DATA_NAMES",
    "DEFAULT_SEED",
    "EXTRA_QUERY_KEYS",
    "INIT_CHOICES",
    "INT_LIMITS",
    "K_TRUE_LIMITS",
    "MAX_QUERY_FIELDS",
    "QUERY_KEYS",
    "SEED_MAX",
    "TEMP_LIMITS",
    "TOL_CHOICES",
    "Settings",
    "parse_query_string",
    "parse_settings",
    "read_query",
    "settings_to_query",
    "snap_tol",
    "temp_label",
    "tol_label",
]

#: Covariance types offered by the page (scikit-learn names, emcore's order).
COV_TYPES: tuple[str, ...] = tuple(COVARIANCE_TYPES)

#: Allowed tolerances, one per decade, largest first (what a log slider offers),
#: spanning emcore's ``LIMITS["tol"]``.
TOL_CHOICES: tuple[float, ...] = tuple(
    float(f"1e{e}")
    for e in range(
        round(math.log10(_LIMITS["tol"][1])),
        round(math.log10(_LIMITS["tol"][0])) - 1,
        -1,
    )
)

SEED_MAX: int = int(_LIMITS["seed"][1])

#: How EM's starts are seeded (``init=``): emcore's ``init_params`` names,
#: the default (k-means++, scikit-learn's) first.
INIT_CHOICES: tuple[str, ...] = (
    str(_EXTRAS["init"]),
    *(m for m in INIT_METHODS if m != _EXTRAS["init"]),
)

#: Seed used when a link names none (emcore's default): every first visit
#: and every link without ``seed`` show the same data.
DEFAULT_SEED: int = int(_DEFAULTS["seed"])

#: Inclusive (low, high) limits of the integer parameters (emcore's LIMITS).
INT_LIMITS: dict[str, tuple[int, int]] = {
    name: (int(_LIMITS[name][0]), int(_LIMITS[name][1]))
    for name in ("k", "n", "overlap", "iters", "seed", "n_init")
}

#: Inclusive limits of ``k_true``, the clusters in the simulated data (its
#: default is ``k``, so it is kept apart from :data:`INT_LIMITS`).
K_TRUE_LIMITS: tuple[int, int] = (
    int(_LIMITS["k_true"][0]),
    int(_LIMITS["k_true"][1]),
)

#: Defaults of every parameter except ``seed`` (chosen by the caller), from
#: emcore's DEFAULTS, plus the page-only ``run`` flag.
DEFAULTS: dict[str, object] = {
    **{name: value for name, value in _DEFAULTS.items() if name != "seed"},
    "overlap": int(_DEFAULTS["overlap"]),
    "tol": float(_DEFAULTS["tol"]),
    "run": False,
}

#: Query keys in the order :func:`settings_to_query` writes them.
QUERY_KEYS: tuple[str, ...] = ("k", "n", "overlap", "cov", "iters", "tol")
QUERY_KEYS += ("seed", "n_init", "k_true", "run")

#: ``init=`` spellings read: hyphens for underscores too.
_INIT_SPELLINGS = {c.replace("_", "-"): c for c in INIT_CHOICES}

#: Page options beyond the reference page,
#: written after the settings above, only when not at their defaults:
#: ``init=NAME`` (how EM's starts are seeded, one of :data:`INIT_CHOICES`),
#: ``compare=1`` (model comparison over every covariance type),
#: ``data=NAME`` (a bundled dataset instead of simulated data),
#: ``embed=1`` (compact layout for an iframe), ``temp=T`` (the E-step's
#: temperature; 1, EM, is left out), ``model=bayes`` (variational Bayes),
#: ``conc=C`` (its concentration prior; 1/K is left out), ``anneal=1``
#: (deterministic annealing of EM), ``means0=x,y;x,y;…`` (the watched
#: fit's starting means, one pair per component), ``covs0=a,b,c;…`` (its
#: starting covariances, :mod:`simapp.state.startcov`) and ``dims=1``
#: (simulated clusters on a line).
EXTRA_QUERY_KEYS: tuple[str, ...] = ("init", "compare", "data", "embed", "temp")
EXTRA_QUERY_KEYS += ("model", "conc", "anneal", "means0", "covs0", "dims")

#: ``data=`` value in links -> :mod:`simapp.data.datasets` key, or a
#: :mod:`simapp.data.gallery` name (short names first: they are what
#: :func:`settings_to_query` writes).
DATA_NAMES: dict[str, str] = {
    "iris": "iris",
    "penguins": "palmer_penguins",
    "palmer_penguins": "palmer_penguins",
    "faithful": "faithful",
    **{name: name for name in GALLERY},
}

#: datasets key -> the short name links use
_DATA_LINK: dict[str, str] = {}
for _short, _key in DATA_NAMES.items():
    _DATA_LINK.setdefault(_key, _short)

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


@dataclass(frozen=True)
class Settings:
    """One complete, validated set of simulator settings.

    Attributes
    ----------
    k : int
        Number of mixture components, 2-6.
    n : int
        Sample size, 100-5000.
    overlap : int
        True cluster overlap in percent, 0-100.
    cov : str
        Covariance type, one of :data:`COV_TYPES`.
    iters : int
        Maximum EM iterations, 10-500.
    tol : float
        Convergence tolerance, one of :data:`TOL_CHOICES`.
    seed : int
        Random seed, 0 to 2**31 - 1.
    n_init : int
        Number of starts, 1-10.
    k_true : int, optional
        Clusters in the simulated data, 2-6; ``None`` (the default) means
        ``k``, and it is always an int after construction.
    dims : int
        The simulated data's dimension, 2 (the plane) or 1 (a line; emcore's
        ``dims``, left out of its keywords at 2).
    run : bool
        Start a run as soon as the page is ready.
    compare : bool
        Sweep K for every covariance type (model comparison).
    data : str
        A bundled dataset key (a :data:`DATA_NAMES` value), or ``""`` for
        simulated data. Page state: not an ``emcore`` keyword.
    embed : bool
        Compact layout for an iframe. Page state.
    init : str
        How every start is seeded, one of :data:`INIT_CHOICES`.
    temp : float
        The watched fit's E-step temperature, in :data:`TEMP_LIMITS`
        (``emcore.experiment.run``'s ``temperature``): 1 is EM, 0 hard
        assignments.
    means0 : tuple of (x, y) pairs
        The watched fit's starting means (``emcore.experiment.run``'s
        ``means_init``), one pair per component; ``()`` (the default): the
        starts are seeded as ``init`` says. Pairs whose count is not ``k``
        are not used (parsing never produces them).
    covs0 : tuple of (a, b, c) triples
        Its starting covariances ``[[a, b], [b, c]]`` (emcore's
        ``precisions_init``, inverted), likewise; :mod:`.startcov`.
    model : str
        The watched fit, ``'em'`` or ``'bayes'`` (variational Bayes;
        emcore's ``model``).
    conc : float, optional
        The Bayesian fit's concentration prior (emcore's ``concentration``),
        one of ``CONC_CHOICES``; None is ``1 / K``.
    anneal : bool
        Anneal the watched EM fit (``values.ANNEAL_SCHEDULE``).

    Raises
    ------
    ValueError
        If a field is outside its range (parsing never produces such values;
        this guards hand-built instances).
    """

    k: int = DEFAULTS["k"]  # type: ignore[assignment]
    n: int = DEFAULTS["n"]  # type: ignore[assignment]
    overlap: int = DEFAULTS["overlap"]  # type: ignore[assignment]
    cov: str = DEFAULTS["cov"]  # type: ignore[assignment]
    iters: int = DEFAULTS["iters"]  # type: ignore[assignment]
    tol: float = DEFAULTS["tol"]  # type: ignore[assignment]
    seed: int = DEFAULT_SEED
    n_init: int = DEFAULTS["n_init"]  # type: ignore[assignment]
    run: bool = False
    compare: bool = False
    data: str = ""
    embed: bool = False
    k_true: int | None = None
    dims: int = 2
    init: str = INIT_CHOICES[0]
    temp: float = 1.0
    means0: tuple[tuple[float, float], ...] = ()
    covs0: tuple[tuple[float, float, float], ...] = ()
    model: str = "em"
    conc: float | None = None
    anneal: bool = False

    def __post_init__(self) -> None:
        if self.k_true is None:  # k_true defaults to k
            object.__setattr__(self, "k_true", self.k)
        if isinstance(self.k_true, bool) or not isinstance(self.k_true, int):
            raise ValueError(f"k_true must be an int, got {self.k_true!r}")
        if not K_TRUE_LIMITS[0] <= self.k_true <= K_TRUE_LIMITS[1]:
            raise ValueError(f"k_true={self.k_true} is outside {K_TRUE_LIMITS}")
        _values.check_dims(self.dims)
        for name, (low, high) in INT_LIMITS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name} must be an int, got {value!r}")
            if not low <= value <= high:
                raise ValueError(f"{name}={value} is outside [{low}, {high}]")
        if self.cov not in COV_TYPES:
            raise ValueError(f"cov={self.cov!r} is not one of {COV_TYPES}")
        if self.init not in INIT_CHOICES:
            raise ValueError(f"init={self.init!r} is not one of {INIT_CHOICES}")
        if self.tol not in TOL_CHOICES:
            raise ValueError(f"tol={self.tol!r} is not one of {TOL_CHOICES}")
        for flag in ("run", "compare", "embed", "anneal"):
            if not isinstance(getattr(self, flag), bool):
                raise ValueError(f"{flag} must be a bool, got {getattr(self, flag)!r}")
        if isinstance(self.temp, bool) or not isinstance(self.temp, (int, float)):
            raise ValueError(f"temp must be a number, got {self.temp!r}")
        if not TEMP_LIMITS[0] <= self.temp <= TEMP_LIMITS[1]:
            raise ValueError(f"temp={self.temp} is outside {TEMP_LIMITS}")
        check_starts(self.means0, self.covs0)
        _values.check_model(self.model, self.conc)
        if self.data and self.data not in DATA_NAMES.values():
            raise ValueError(f"data={self.data!r} is not one of {sorted(DATA_NAMES)}")

    def to_run_kwargs(self) -> dict[str, object]:
        """Keyword arguments for ``emcore.experiment.run``.

        Returns
        -------
        dict
            Keys ``k, n, overlap, cov, iters, tol, seed, n_init`` (``overlap``
            stays an integer percent, as in the URL), plus ``compare=True``,
            ``init`` and ``dims`` when not at their defaults, ``temperature`` when
            ``temp`` is not 1 and ``annealing`` with ``anneal`` (EM only);
            ``model`` and ``concentration`` for variational Bayes
            (``values.fit_options``); ``means_init`` and ``precisions_init``
            (``startcov.start_options``); ``run``, ``data`` and ``embed`` are
            page state and are left out.
        """
        kwargs = asdict(self)
        for page_only in ("run", "data", "embed"):
            del kwargs[page_only]
        if not kwargs["compare"]:
            del kwargs["compare"]
        if kwargs["k_true"] == kwargs["k"]:  # emcore's default is k
            del kwargs["k_true"]
        if kwargs["dims"] == 2:  # emcore's default, the plane
            del kwargs["dims"]
        if kwargs["init"] == INIT_CHOICES[0]:
            del kwargs["init"]
        fit = (kwargs.pop(name) for name in ("temp", "model", "conc", "anneal"))
        kwargs.update(_values.fit_options(*fit))
        starts = (kwargs.pop("means0"), kwargs.pop("covs0"), self.k, self.cov)
        kwargs.update(start_options(*starts))
        return kwargs

    def with_changes(self, **changes: object) -> Settings:
        """Return a copy with some fields replaced (validated again)."""
        return replace(self, **changes)


def tol_label(tol: float) -> str:
    """Short label of a tolerance from :data:`TOL_CHOICES`, e.g. ``'1e-4'``."""
    exponent = round(math.log10(tol))
    return f"1e{exponent}"


def snap_tol(value: float) -> float:
    """Nearest :data:`TOL_CHOICES` value in log space (clamped to the ends).

    Parameters
    ----------
    value : float
        A positive finite tolerance.

    Returns
    -------
    float
        One of :data:`TOL_CHOICES`.
    """
    log_v = math.log10(value)
    return min(TOL_CHOICES, key=lambda t: abs(math.log10(t) - log_v))


def _first(raw: str | list[str] | tuple[str, ...]) -> tuple[str, int]:
    """First value of a query entry and how many values there were."""
    if isinstance(raw, (list, tuple)):
        if not raw:
            return "", 0
        return str(raw[0]), len(raw)
    return str(raw), 1


def _parse_int(name: str, text: str, default: int, notes: list[str]) -> int:
    """Parse an integer parameter, appending a note for every adjustment."""
    low, high = INT_LIMITS[name]
    shown = _shown(text)
    value = _parse_number(text)
    if value is None:
        what = "empty" if text == "" else "not a valid number"
        notes.append(f"{name}={shown} is {what}; using the default {default}")
        return default
    if value < 0:
        # No parameter accepts negatives, so a sign means a typo, not "minimum".
        notes.append(f"{name}={shown} is negative; using the default {default}")
        return default
    if value != math.floor(value):
        rounded = math.floor(value + 0.5)
        notes.append(f"{name}={shown} is not a whole number; using {rounded}")
        value = rounded
    # Compare as float before int() so huge values (1e300) stay cheap.
    if value > high:
        notes.append(f"{name}={shown} is above the maximum {high}; using {high}")
        return high
    if value < low:
        notes.append(f"{name}={shown} is below the minimum {low}; using {low}")
        return low
    return int(value)


def _parse_tol(text: str, notes: list[str]) -> float:
    default = float(DEFAULTS["tol"])  # type: ignore[arg-type]
    shown = _shown(text)
    value = _parse_number(text)
    if value is None or value <= 0:
        what = "empty" if text == "" else "not a positive number"
        notes.append(f"tol={shown} is {what}; using the default {tol_label(default)}")
        return default
    snapped = snap_tol(value)
    hi, lo = TOL_CHOICES[0], TOL_CHOICES[-1]
    if value > hi * (1 + 1e-9):
        notes.append(f"tol={shown} is above the maximum {tol_label(hi)}; using that")
    elif value < lo * (1 - 1e-9):
        notes.append(f"tol={shown} is below the minimum {tol_label(lo)}; using that")
    elif not math.isclose(value, snapped, rel_tol=1e-9):
        notes.append(
            f"tol={shown} is not on the 10^-k scale; using {tol_label(snapped)}"
        )
    return snapped


def parse_settings(
    query: Mapping[str, str | list[str]],
    default_seed: int = DEFAULT_SEED,
) -> tuple[Settings, list[str]]:
    """Turn untrusted query/form strings into valid :class:`Settings`.

    Parameters
    ----------
    query : Mapping[str, str | list[str]]
        Parameter name -> value, or a list of values as produced by
        :func:`urllib.parse.parse_qs` (the first one is used, like
        ``URLSearchParams.get``). Keys are matched case-insensitively after
        stripping blanks; unknown keys are ignored (tracking parameters etc.).
    default_seed : int, default :data:`DEFAULT_SEED`
        Seed used when ``seed`` is missing or unusable. The page passes a
        random one so that every fresh visit differs; this function stays pure.

    Returns
    -------
    settings : Settings
        Always valid: every value within range.
    notes : list of str
        One plain-text sentence per value that was clamped, rounded, snapped or
        replaced by its default, e.g. ``'k=999 is above the maximum 6; using 6'``.

    Raises
    ------
    ValueError
        Only if ``default_seed`` itself is outside 0..2**31-1 (a caller bug).
    """
    if isinstance(default_seed, bool) or not isinstance(default_seed, int):
        raise ValueError(f"default_seed must be an int, got {default_seed!r}")
    if not 0 <= default_seed <= SEED_MAX:
        raise ValueError(f"default_seed={default_seed} is outside [0, {SEED_MAX}]")

    notes: list[str] = []
    raw = _known_values(query, notes)
    values: dict[str, object] = {}
    for name in INT_LIMITS:
        default = default_seed if name == "seed" else int(DEFAULTS[name])  # type: ignore[call-overload]
        if name not in raw:
            values[name] = default
            continue
        values[name] = _parse_int(name, raw[name], default, notes)

    if raw.get("k_true", "") != "":
        # empty means "same as k" (the page's select offers it), no note
        values["k_true"] = _values.parse_k_true(raw["k_true"], notes)
    if raw.get("dims", "") != "":
        values["dims"] = _values.parse_dims(raw["dims"], notes)

    if "cov" in raw:
        cov = raw["cov"].lower()
        if cov not in COV_TYPES:
            notes.append(
                f"cov={quote_user_text(raw['cov'])} is not one of "
                f"{', '.join(COV_TYPES)}; using the default {DEFAULTS['cov']}"
            )
            cov = str(DEFAULTS["cov"])
        values["cov"] = cov

    if "tol" in raw:
        values["tol"] = _parse_tol(raw["tol"], notes)

    values.update(_values.parse_fit_options(raw, notes))

    cov = values.get("cov", DEFAULTS["cov"])
    values.update(parse_starts(raw, values["k"], cov, notes))  # type: ignore[arg-type]

    values.update(_parse_options(raw, notes))
    return Settings(**values), notes  # type: ignore[arg-type]


def _known_values(query: Mapping, notes: list[str]) -> dict[str, str]:
    """The stripped text of each known key, once (the first value given)."""
    raw: dict[str, str] = {}
    for key, value in query.items():
        name = str(key).strip().lower()
        if name not in QUERY_KEYS + EXTRA_QUERY_KEYS or name in raw:
            continue
        text, count = _first(value)
        if count > 1:
            notes.append(f"{name} was given {count} times; using the first value")
        raw[name] = text.strip()
    return raw


def _parse_options(raw: dict[str, str], notes: list[str]) -> dict[str, object]:
    """``run``, ``compare``, ``embed``, ``init`` and ``data`` of a link, when
    given."""
    values: dict[str, object] = {}
    if raw.get("init"):  # empty: the default, as the select offers it
        init = raw["init"].lower().replace("_", "-")
        # a typed "k-means++" arrives as "k-means" (a "+" in a query is a
        # blank, stripped with the rest)
        init = {"k-means": "k-means++", **_INIT_SPELLINGS}.get(init)
        if init is None:
            notes.append(
                f"init={quote_user_text(raw['init'])} is not one of "
                f"{', '.join(INIT_CHOICES)}; using the default {INIT_CHOICES[0]}"
            )
        values["init"] = init or INIT_CHOICES[0]
    if "run" in raw:
        flag = raw["run"].lower()
        if flag in _TRUE:
            values["run"] = True
        else:
            if flag not in _FALSE:
                notes.append(
                    f"run={quote_user_text(raw['run'])} is not 0/1; not starting"
                )
            values["run"] = False

    for name, what in (("compare", "comparing"), ("embed", "embedding")):
        if name in raw:
            flag = raw[name].lower()
            values[name] = flag in _TRUE
            if flag not in _TRUE | _FALSE:
                notes.append(
                    f"{name}={quote_user_text(raw[name])} is not 0/1; not {what}"
                )

    if raw.get("data"):
        key = DATA_NAMES.get(raw["data"].lower())
        if key is None:
            notes.append(
                f"data={quote_user_text(raw['data'])} is not one of "
                f"{', '.join(_DATA_LINK.values())}; using simulated data"
            )
        values["data"] = key or ""
    return values


def settings_to_query(settings: Settings, *, run: bool | None = None) -> str:
    """Serialise settings as a URL query string (without the leading ``?``).

    Keys always come in :data:`QUERY_KEYS` order so equal settings give equal
    links; ``parse_settings(parse_query_string(q))`` gives ``settings`` back.

    Parameters
    ----------
    settings : Settings
    run : bool, optional
        Override ``settings.run``; ``run=1`` is written only when true.

    Returns
    -------
    str
        E.g. ``'k=3&n=500&overlap=20&cov=full&iters=100&tol=1e-4&seed=1&n_init=4'``.
    """
    parts = [
        f"k={settings.k}",
        f"n={settings.n}",
        f"overlap={settings.overlap}",
        f"cov={settings.cov}",
        f"iters={settings.iters}",
        f"tol={tol_label(settings.tol)}",
        f"seed={settings.seed}",
        f"n_init={settings.n_init}",
    ]
    if settings.k_true != settings.k:  # only when it differs from k
        parts.append(f"k_true={settings.k_true}")
    if settings.dims != 2:
        parts.append(f"dims={settings.dims}")
    if settings.init != INIT_CHOICES[0]:
        parts.append(f"init={settings.init}")
    if settings.compare:
        parts.append("compare=1")
    if settings.data:
        parts.append(f"data={_DATA_LINK[settings.data]}")
    if settings.embed:
        parts.append("embed=1")
    fit = (settings.temp, settings.model, settings.conc, settings.anneal)
    parts.extend(_values.fit_query(*fit))
    parts.extend(start_query(settings.means0, settings.covs0))
    if settings.run if run is None else run:
        parts.append("run=1")
    return "&".join(parts)


def parse_query_string(query: str) -> dict[str, list[str]]:
    """Split ``location.search`` (with or without ``?``) into a mapping.

    Blank values are kept so that ``?k=`` produces a note instead of silently
    vanishing.
    """
    from urllib.parse import parse_qs  # not needed to open a bare link

    return parse_qs(query.removeprefix("?"), keep_blank_values=True)
