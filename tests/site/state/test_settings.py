"""Tests for simapp.state.settings: parsing untrusted query strings."""

from __future__ import annotations

import math
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simapp.state.settings import (
    COV_TYPES,
    DEFAULTS,
    INT_LIMITS,
    QUERY_KEYS,
    SEED_MAX,
    TOL_CHOICES,
    Settings,
    parse_query_string,
    parse_settings,
    quote_user_text,
    settings_to_query,
    snap_tol,
)


def assert_valid(s: Settings) -> None:
    for name, (lo, hi) in INT_LIMITS.items():
        value = getattr(s, name)
        assert type(value) is int
        assert lo <= value <= hi, (name, value)
    assert s.cov in COV_TYPES
    assert s.tol in TOL_CHOICES
    assert type(s.run) is bool


def test_empty_query_gives_defaults_and_caller_seed():
    s, notes = parse_settings({}, default_seed=12345)
    assert notes == []
    assert s.seed == 12345
    for name, value in DEFAULTS.items():
        assert getattr(s, name) == value


def test_hostile_examples_are_clamped_or_rejected_with_notes():
    query = {"k": "999", "n": "-5", "tol": "abc", "cov": "<script>"}
    s, notes = parse_settings(query, default_seed=3)
    assert (s.k, s.n, s.tol, s.cov) == (6, DEFAULTS["n"], DEFAULTS["tol"], "full")
    assert len(notes) == 4
    k_note = next(n for n in notes if n.startswith("k="))
    assert "999" in k_note and "maximum 6" in k_note and k_note.endswith("6")
    assert any("<script>" in n and n.startswith("cov=") for n in notes)


@pytest.mark.parametrize(
    "bad", ["", "nan", "NaN", "inf", "-inf", "1e400", "abc", "0x10", "1_000", " ", "١٢"]
)
@pytest.mark.parametrize("name", ["k", "n", "overlap", "iters", "n_init", "tol"])
def test_garbage_falls_back_to_default_with_a_note(name, bad):
    s, notes = parse_settings({name: bad}, default_seed=0)
    assert getattr(s, name) == DEFAULTS[name]
    assert len(notes) == 1 and notes[0].startswith(f"{name}=")


def test_garbage_seed_uses_default_seed():
    s, notes = parse_settings({"seed": "nope"}, default_seed=777)
    assert s.seed == 777 and len(notes) == 1


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("k", "1", 2),
        ("k", "0", 2),
        ("n", "99", 100),
        ("n", "1e9", 5000),
        ("overlap", "101", 100),
        ("iters", "3", 10),
        ("n_init", "50", 10),
        ("seed", str(2**40), SEED_MAX),
    ],
)
def test_out_of_range_numbers_are_clamped(name, text, expected):
    s, notes = parse_settings({name: text}, default_seed=1)
    assert getattr(s, name) == expected
    assert len(notes) == 1 and str(expected) in notes[0]


def test_non_integer_is_rounded_with_note():
    s, notes = parse_settings({"k": "4.4", "n": "1e3"})
    assert s.k == 4 and s.n == 1000
    assert len(notes) == 1 and "whole number" in notes[0]


@pytest.mark.parametrize(
    ("name", "whole"),
    [
        ("k", 2),
        ("n", 1000),
        ("overlap", 20),
        ("iters", 50),
        ("seed", 6),
        ("n_init", 2),
        ("k_true", 4),
    ],
)
def test_every_integer_rounds_to_the_nearest_whole_number(name, whole):
    # x.4 goes down, x.5 and x.6 go up: truncating would keep x for .5 and
    # .6, and rounding half to even (x is even here) would keep it for .5
    for fraction, expected in ((".4", whole), (".5", whole + 1), (".6", whole + 1)):
        text = f"{whole}{fraction}"
        s, notes = parse_settings({name: text}, default_seed=1)
        assert getattr(s, name) == expected, (name, text)
        assert len(notes) == 1 and f"using {expected}" in notes[0]


def test_tol_accepts_any_positive_float_by_log_snapping():
    s, notes = parse_settings({"tol": "0.0002"})
    assert s.tol == 1e-4 and len(notes) == 1
    s, notes = parse_settings({"tol": "0.0004"})
    assert s.tol == 1e-3
    s, notes = parse_settings({"tol": "1e-6"})
    assert s.tol == 1e-6 and notes == []
    assert parse_settings({"tol": "5"})[0].tol == max(TOL_CHOICES)
    assert parse_settings({"tol": "1e-30"})[0].tol == min(TOL_CHOICES)
    assert parse_settings({"tol": "0"})[0].tol == DEFAULTS["tol"]
    assert parse_settings({"tol": "-1e-3"})[0].tol == DEFAULTS["tol"]


@given(st.floats(min_value=1e-12, max_value=10.0, allow_nan=False))
def test_snap_tol_picks_the_nearest_choice_in_log_space(x):
    t = snap_tol(x)
    assert t in TOL_CHOICES
    dist = abs(math.log10(t) - math.log10(x))
    assert all(dist <= abs(math.log10(c) - math.log10(x)) + 1e-12 for c in TOL_CHOICES)


def test_cov_is_case_insensitive_and_run_flags():
    s, notes = parse_settings({"cov": " DIAG ", "run": "1"})
    assert s.cov == "diag" and s.run is True and notes == []
    assert parse_settings({"run": "true"})[0].run is True
    assert parse_settings({"run": "0"})[0].run is False
    s, notes = parse_settings({"run": "<b>"})
    assert s.run is False and len(notes) == 1


def test_list_values_use_the_first_and_say_so():
    s, notes = parse_settings({"k": ["5", "2"]})
    assert s.k == 5 and len(notes) == 1


def test_keys_are_case_insensitive_and_unknown_keys_ignored():
    s, notes = parse_settings({"K": "5", "utm_source": "x"})
    assert s.k == 5 and notes == []


def test_notes_quote_long_text_truncated_and_printable():
    evil = "<img src=x onerror=alert(1)>" * 20 + "\x00\n\u202e"
    _, notes = parse_settings({"cov": evil, "k": evil})
    assert len(notes) == 2
    for note in notes:
        assert len(note) < 120
        assert all(c.isprintable() for c in note)
        assert evil not in note
    assert quote_user_text("abc") == '"abc"'
    assert quote_user_text("x" * 50).endswith('…"')


def test_default_seed_is_validated():
    with pytest.raises(ValueError, match="default_seed"):
        parse_settings({}, default_seed=-1)
    with pytest.raises(ValueError, match="default_seed"):
        parse_settings({}, default_seed=2**31)


def test_settings_rejects_out_of_range_construction():
    with pytest.raises(ValueError, match="k"):
        Settings(k=7)
    with pytest.raises(ValueError, match="tol"):
        Settings(tol=3e-4)
    with pytest.raises(ValueError, match="cov"):
        Settings(cov="banana")


def test_to_run_kwargs_has_exactly_the_run_keywords():
    s = Settings(
        k=4,
        n=1000,
        overlap=55,
        cov="tied",
        iters=50,
        tol=1e-6,
        seed=9,
        n_init=2,
        run=True,
    )
    kw = s.to_run_kwargs()
    assert set(kw) == {"k", "n", "overlap", "cov", "iters", "tol", "seed", "n_init"}
    assert kw["overlap"] == 55 and kw["tol"] == 1e-6 and kw["seed"] == 9


def test_query_order_is_stable():
    s = Settings(seed=5, run=True)
    keys = [part.split("=")[0] for part in settings_to_query(s).split("&")]
    # k_true is written only when it differs from k
    assert keys == [key for key in QUERY_KEYS if key != "k_true"]
    s = Settings(k=4, k_true=2, seed=5, run=True)
    keys = [part.split("=")[0] for part in settings_to_query(s).split("&")]
    assert keys == list(QUERY_KEYS)
    assert "run" not in settings_to_query(s, run=False)


# ---------------------------------------------------------------- properties

_keys = st.sampled_from([*QUERY_KEYS, "K", "foo", ""])
_values = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.lists(st.text(max_size=8), max_size=3),
)


@settings(max_examples=300)
@given(st.dictionaries(_keys, _values, max_size=10), st.integers(0, SEED_MAX))
def test_parse_never_raises_and_yields_valid_settings(query, seed):
    s, notes = parse_settings(query, default_seed=seed)
    assert_valid(s)
    assert all(isinstance(n, str) and len(n) < 160 for n in notes)
    # Reparsing the serialised form reproduces the settings with no notes.
    again, notes2 = parse_settings(
        parse_query_string(settings_to_query(s)), default_seed=0
    )
    assert again == s and notes2 == []


_settings = st.builds(
    Settings,
    k=st.integers(*INT_LIMITS["k"]),
    n=st.integers(*INT_LIMITS["n"]),
    overlap=st.integers(*INT_LIMITS["overlap"]),
    cov=st.sampled_from(COV_TYPES),
    iters=st.integers(*INT_LIMITS["iters"]),
    tol=st.sampled_from(TOL_CHOICES),
    seed=st.integers(0, SEED_MAX),
    n_init=st.integers(*INT_LIMITS["n_init"]),
    run=st.booleans(),
)


@given(_settings)
def test_round_trip_through_query_string(s):
    q = settings_to_query(s)
    back, notes = parse_settings(parse_query_string("?" + q), default_seed=0)
    assert back == s and notes == []


@given(_settings)
def test_in_range_values_pass_through_unchanged(s):
    query = {k: str(v) for k, v in s.to_run_kwargs().items()}
    query["tol"] = repr(s.tol)
    back, notes = parse_settings(parse_query_string(urlencode(query)), default_seed=0)
    assert notes == []
    assert back == s.with_changes(run=False)


def test_limits_and_defaults_are_emcores():
    from emcore import experiment

    for name, limits in INT_LIMITS.items():
        assert limits == experiment.LIMITS[name], name
    assert (min(TOL_CHOICES), max(TOL_CHOICES)) == experiment.LIMITS["tol"]
    for name, value in experiment.DEFAULTS.items():
        expected = getattr(Settings(), name)
        assert expected == value, name
    assert set(COV_TYPES) == set(experiment.COVARIANCE_TYPES)
    # every parsed setting is accepted by emcore unchanged
    s, _ = parse_settings({"k": "999", "n": "-5", "tol": "abc", "cov": "<script>"})
    kwargs = s.to_run_kwargs()
    checked = experiment.check_settings(**kwargs)
    assert {name: checked[name] for name in kwargs} == kwargs


# ---------------------------------------------------------------- k_true


def test_k_true_defaults_to_k_and_is_written_only_when_it_differs():
    s, notes = parse_settings({"k": "5"}, default_seed=0)
    assert s.k_true == 5 and notes == []
    assert "k_true" not in settings_to_query(s)
    assert "k_true" not in s.to_run_kwargs()
    s, notes = parse_settings({"k": "4", "k_true": "2"}, default_seed=0)
    assert (s.k, s.k_true) == (4, 2) and notes == []
    assert "k_true=2" in settings_to_query(s)
    assert s.to_run_kwargs()["k_true"] == 2
    # an explicit k_true equal to k is the same settings as none
    same, _ = parse_settings({"k": "4", "k_true": "4"}, default_seed=0)
    assert same == parse_settings({"k": "4"}, default_seed=0)[0]
    # the page's select sends "" for "same as K": no note
    s, notes = parse_settings({"k": "3", "k_true": ""}, default_seed=0)
    assert s.k_true == 3 and notes == []


@pytest.mark.parametrize(
    ("text", "expected", "noted"),
    [
        ("9", 6, True),
        ("1", 2, True),
        ("abc", 3, True),
        ("-2", 3, True),
        ("2.4", 2, True),
        ("6", 6, False),
    ],
)
def test_k_true_is_clamped_with_notes(text, expected, noted):
    s, notes = parse_settings({"k": "3", "k_true": text}, default_seed=0)
    assert s.k_true == expected
    assert bool(notes) == noted
    assert all(n.startswith("k_true=") for n in notes)


def test_k_true_runs_in_emcore():
    from emcore import experiment

    s, _ = parse_settings({"k": "4", "k_true": "2", "n": "100"}, default_seed=1)
    result = experiment.run(**s.to_run_kwargs())
    assert result.settings["k_true"] == 2 and len(result.true_means) == 2
    assert len(result.ellipses) == 4


def test_settings_rejects_bad_k_true():
    with pytest.raises(ValueError, match="k_true"):
        Settings(k_true=7)


# ------------------------------------------------------------------ dims
def test_one_dimension_round_trips_through_a_link_and_reaches_emcore():
    s, notes = parse_settings({"dims": "1", "k": "4", "seed": "9"})
    assert notes == [] and s.dims == 1
    query = settings_to_query(s)
    assert "dims=1" in query.split("&")
    assert parse_settings(parse_query_string(query))[0] == s
    assert s.to_run_kwargs()["dims"] == 1


def test_the_plane_is_the_default_and_left_out_of_links_and_keywords():
    s, _ = parse_settings({"dims": "2"})
    assert s.dims == 2 == Settings().dims
    assert "dims" not in settings_to_query(s)
    assert "dims" not in s.to_run_kwargs()


@pytest.mark.parametrize("bad", ["3", "0", "1.5", "line", "-1"])
def test_a_bad_dims_is_the_plane_with_a_plain_note(bad):
    s, notes = parse_settings({"dims": bad})
    assert s.dims == 2
    assert notes == [
        f"dims={quote_user_text(bad) if bad == 'line' else bad} is not 1 (a line) "
        "or 2 (the plane); using 2, the plane"
    ]


@pytest.mark.parametrize("bad", [0, 3, True, "1"])
def test_settings_refuse_other_dims(bad):
    with pytest.raises(ValueError, match="dims"):
        Settings(dims=bad)
