"""simapp.state.url: the URL form of the page state (round trips, hostile links)."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simapp.data.columns import ColumnChoice
from simapp.data.gallery import NAMES as GALLERY
from simapp.lessons.scenarios import SCENARIOS, scenario_ids
from simapp.state import settings as S
from simapp.state import values as V
from simapp.state.pagestate import (
    IC_CRITERIA,
    THEMES,
    DataSource,
    DisplayOptions,
    PageState,
)
from simapp.state.url import DISPLAY_QUERY, state_from_query, state_to_query


@st.composite
def page_states(draw) -> PageState:
    k = draw(st.integers(*S.INT_LIMITS["k"]))
    values = {
        "k": k,
        "n": draw(st.integers(*S.INT_LIMITS["n"])),
        "overlap": draw(st.integers(*S.INT_LIMITS["overlap"])),
        "cov": draw(st.sampled_from(S.COV_TYPES)),
        "iters": draw(st.integers(*S.INT_LIMITS["iters"])),
        "tol": draw(st.sampled_from(S.TOL_CHOICES)),
        "seed": draw(st.integers(0, S.SEED_MAX)),
        "n_init": draw(st.integers(*S.INT_LIMITS["n_init"])),
        "k_true": draw(st.integers(*S.K_TRUE_LIMITS)),
        "init": draw(st.sampled_from(S.INIT_CHOICES)),
        "compare": draw(st.booleans()),
        "embed": draw(st.booleans()),
        "model": draw(st.sampled_from(V.MODEL_CHOICES)),
        "conc": draw(st.sampled_from([None, *V.CONC_CHOICES])),
        "anneal": draw(st.booleans()),
    }
    dataset = draw(st.sampled_from(["", "iris", "palmer_penguins", *GALLERY]))
    view = DisplayOptions(
        uncertainty=draw(st.booleans()),
        density=draw(st.booleans()),
        centres=draw(st.booleans()),
        ic_criterion=draw(st.sampled_from(IC_CRITERIA)),
        ic_higher=draw(st.booleans()),
        speed=draw(st.integers(1, 10)),
        paused=draw(st.booleans()),
        anomaly=draw(st.integers(0, 20)),
        present=draw(st.booleans()),
        theme=draw(st.sampled_from(THEMES)),
    )
    source = DataSource(kind="dataset", dataset=dataset) if dataset else DataSource()
    settings_ = S.Settings(**values, data=dataset)
    lesson = draw(st.sampled_from(["", *scenario_ids()]))
    return PageState(settings=settings_, source=source, display=view, lesson=lesson)


@settings(max_examples=200, deadline=None)
@given(page_states())
def test_every_linkable_state_round_trips(state):
    query = state_to_query(state)
    back, notes = state_from_query(query, default_seed=1)
    assert notes == []
    assert back.settings == state.settings.with_changes(run=True)
    assert back.display == state.display
    assert back.lesson == state.lesson
    assert (back.source.kind, back.source.dataset) == (
        state.source.kind,
        state.source.dataset,
    )
    # equal states, equal links (keys in a fixed order)
    assert state_to_query(back) == query


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*DISPLAY_QUERY.values(), "k", "data"]),
        st.text(max_size=12),
        max_size=6,
    )
)
def test_any_link_gives_a_valid_state(raw):
    query = "&".join(f"{k}={v}" for k, v in raw.items())
    state, notes = state_from_query(query, default_seed=3)
    assert state.display.ic_criterion in IC_CRITERIA
    assert 1 <= state.display.speed <= 10
    assert all(isinstance(note, str) for note in notes)
    again, _ = state_from_query(state_to_query(state), default_seed=3)
    assert again.display == state.display and again.settings.k == state.settings.k


def test_paused_comes_from_the_link_and_goes_back_into_it():
    state, notes = state_from_query("k=4&seed=2&paused=1")
    assert notes == [] and state.display.paused
    assert "paused=1" in state_to_query(state).split("&")
    state, notes = state_from_query("paused=maybe")
    assert not state.display.paused and notes == [
        'paused="maybe" is not 0/1; using paused=0'
    ]


def test_display_options_at_default_stay_out_of_the_link():
    query = state_to_query(PageState(settings=S.Settings(seed=7)))
    expected = "k=3&n=500&overlap=20&cov=full&iters=100&tol=1e-4&seed=7&n_init=4"
    assert query == expected + "&run=1"


def test_own_data_links_carry_only_the_fit_settings():
    state = PageState(
        settings=S.Settings(seed=2, k=4, data="iris"),
        source=DataSource(kind="paste"),
        display=DisplayOptions(density=True),
    )
    query = parse_qs(state_to_query(state))
    assert "run" not in query and "data" not in query
    assert query["k"] == ["4"] and query["density"] == ["1"]


def test_bad_display_values_are_noted_and_replaced():
    query = "crit=xyz&speed=99&fade=maybe&centres=2"
    state, notes = state_from_query(query, default_seed=1)
    assert state.display == DisplayOptions()
    assert notes == [
        'fade="maybe" is not 0/1; using fade=0',
        'centres="2" is not 0/1; using centres=1',
        'crit="xyz" is not one of bic, aic, icl; using crit=bic',
        'speed="99" is not a whole number from 1 to 10; using speed=5',
    ]


def test_hiding_the_true_centres_is_in_the_link():
    state, _ = state_from_query("k=2&centres=0", default_seed=1)
    assert state.display.centres is False
    assert "&centres=0&run=1" in state_to_query(state)


def test_a_dataset_link_selects_that_dataset():
    state, notes = state_from_query("data=penguins&k=3", default_seed=1)
    assert notes == []
    assert (state.source.kind, state.source.dataset) == ("dataset", "palmer_penguins")
    assert state.own_active


@pytest.mark.parametrize("name", GALLERY)
def test_each_gallery_name_round_trips_with_its_seed_and_n(name):
    state, notes = state_from_query(f"data={name}&k=2&n=300&seed=12")
    assert notes == []
    assert (state.source.kind, state.source.dataset) == ("dataset", name)
    query = state_to_query(state)
    assert f"&data={name}&" in query and "&n=300&" in query and "&seed=12&" in query
    back, notes = state_from_query(query)
    assert notes == [] and back.settings == state.settings.with_changes(run=True)


def test_an_unknown_data_name_lists_the_gallery_too():
    state, notes = state_from_query("data=rings", default_seed=1)
    assert state.source.kind == "simulated" and len(notes) == 1
    for name in ("faithful", *GALLERY):
        assert name in notes[0]


@pytest.mark.parametrize("init", ["kmeans", "k-means++", "random", "whitened"])
def test_each_start_round_trips_and_only_a_changed_one_is_written(init):
    state, notes = state_from_query(f"init={init}&k=2&seed=4", default_seed=1)
    assert notes == [] and state.settings.init == init
    query = state_to_query(state)
    assert ("&init=" in query) == (init != "k-means++")
    assert state_from_query(query)[0].settings == state.settings.with_changes(run=True)


def test_random_from_data_is_written_as_sklearn_spells_it_and_read_either_way():
    for spelling in ("random_from_data", "random-from-data", "RANDOM_FROM_DATA"):
        state, notes = state_from_query(f"init={spelling}", default_seed=1)
        assert notes == [] and state.settings.init == "random_from_data"
    assert "&init=random_from_data&" in state_to_query(state)


def test_an_unknown_start_is_named_with_the_allowed_ones():
    state, notes = state_from_query("init=kmeans%2B%2B%2B", default_seed=1)
    assert state.settings.init == "k-means++"
    assert len(notes) == 1
    note = notes[0]
    assert note.startswith('init="kmeans+++" is not one of ')
    for name in ("kmeans", "random", "random_from_data", "whitened"):
        assert name in note


def test_an_empty_start_is_the_default_without_a_note():
    state, notes = state_from_query("init=&k=4", default_seed=1)
    assert notes == [] and state.settings.init == "k-means++"


def test_a_lessons_start_comes_back_after_the_link_drops_it():
    """A lesson's link whose start was set back to the default keeps
    ``init=`` (empty) before ``scenario=``, or the link's start returns."""
    state, _ = state_from_query("scenario=kmeans-trap&init=whitened")
    assert state.lesson == "kmeans-trap" and state.settings.init == "whitened"
    state = replace(state, settings=state.settings.with_changes(init="k-means++"))
    back, notes = state_from_query(state_to_query(state), default_seed=1)
    assert notes == [] and back.settings.init == "k-means++"


@pytest.mark.parametrize("lesson", SCENARIOS, ids=lambda s: s.id)
def test_a_scenario_link_applies_its_settings_like_a_link(lesson):
    state, notes = state_from_query(f"scenario={lesson.id}", default_seed=1)
    expected, _ = S.parse_settings(lesson.query, default_seed=1)
    assert notes == []
    assert state.lesson == lesson.id
    assert state.settings == expected.with_changes(run=True)
    if "data" in lesson.query:
        assert state.source.kind == "dataset"
    # the link written back names the lesson and gives the same state
    query = state_to_query(state)
    assert f"scenario={lesson.id}" in query
    back, _ = state_from_query(query, default_seed=2)
    assert (back.settings, back.lesson) == (state.settings, state.lesson)


def test_a_scenario_links_own_values_win_and_are_clamped():
    state, notes = state_from_query("scenario=collapse&k=99", default_seed=1)
    assert state.lesson == "collapse"
    assert state.settings.k == S.INT_LIMITS["k"][1]
    assert state.settings.data == "iris"
    assert notes == [f"k=99 is above the maximum {S.INT_LIMITS['k'][1]}; using 6"]


def test_an_unknown_scenario_is_named_in_a_note():
    state, notes = state_from_query("scenario=<b>nope&k=4", default_seed=1)
    assert state.lesson == "" and state.settings.k == 4
    assert len(notes) == 1 and "is not a lesson" in notes[0]
    assert "local-optimum" in notes[0]


def test_a_lesson_stays_out_of_links_to_own_data():
    state = PageState(source=DataSource(kind="paste"), lesson="wrong-k")
    assert "scenario" not in state_to_query(state)


def test_embed_controls_come_from_the_link_in_order_and_round_trip():
    state, notes = state_from_query("embed=1&controls=overlap,K,cov,overlap,bogus")
    assert state.embed_controls == ("overlap", "k", "cov")
    assert state.visible_controls == ("overlap", "k", "cov")
    assert len(notes) == 1 and '"bogus"' in notes[0]
    query = state_to_query(state)
    assert "controls=overlap,k,cov" in query.split("&")
    back, _ = state_from_query(query)
    assert back.embed_controls == state.embed_controls


def test_controls_only_matter_when_embedded():
    plain, _ = state_from_query("controls=k")
    assert "controls" not in state_to_query(plain)
    assert len(plain.visible_controls) > 3  # the full page shows every control
    embedded, _ = state_from_query("embed=1")
    assert embedded.visible_controls and "iters" not in embedded.visible_controls


def test_a_superscript_digit_is_not_a_speed():
    state, notes = state_from_query("speed=\u00b2")
    assert state.display.speed == 5 and len(notes) == 1


# ------------------------------------------------------------------ crafted links
CRAFTED = {
    "controls": "controls=" + "x," * 20_000,
    "controls_1mb": "controls=" + "y" * 1_000_000,
    "cols": "data=iris&cols=" + "a," * 20_000,
    "many_controls": "embed=1&controls=" + ",".join(f"c{j}" for j in range(300)),
    "many_fields": "&".join(f"k{j}={j}" for j in range(5000)),
    "repeats": "k=4&" * 10_000,
}


@pytest.mark.parametrize("name", CRAFTED)
def test_a_crafted_link_gives_a_few_short_notes_and_a_clean_link(name):
    query = CRAFTED[name]
    state, notes = state_from_query(query, default_seed=1)
    assert 1 <= len(notes) <= 3, notes
    assert all(len(note) < 400 for note in notes), notes
    link = state_to_query(state)
    assert len(link) < 200
    assert not ({"x", "y", "a", "c1", "k9"} & set(link.replace("&", "=").split("=")))
    # the link written from the state reads back without a note
    assert state_from_query(link, default_seed=1)[1] == []


def test_unknown_controls_are_named_in_one_note():
    state, notes = state_from_query("embed=1&controls=k,Zap,cov,zip,zap,k")
    assert state.embed_controls == ("k", "cov")
    assert notes == [
        'controls: "zap", "zip" are not controls (allowed: k, k_true, dims, '
        "n, overlap, cov, init, iters, tol, n_init, seed, temp, model, conc, "
        "anneal, paint); left out"
    ]


def test_each_value_is_read_once_and_repeats_are_noted_once():
    state, notes = state_from_query("K=5&k=2&speed=3&SPEED=9&speed=1")
    assert state.settings.k == 5 and state.display.speed == 3
    assert notes == [
        "k was given 2 times; using the first value",
        "speed was given 3 times; using the first value",
    ]


def test_a_link_with_notes_is_rewritten_once_the_page_is_ready():
    from simapp.state import actions as A
    from simapp.state.reducer import reducer

    state, notes = state_from_query("k=99&controls=" + "x" * 5000, default_seed=1)
    assert notes
    state = state.with_changes(notes=tuple(notes))
    _, effects = reducer(state, A.Ready("ready"))
    assert A.ReplaceUrl() in effects
    clean, _ = state_from_query("k=4", default_seed=1)
    _, effects = reducer(clean, A.Ready("ready"))
    assert A.ReplaceUrl() not in effects  # only the data are shown


def test_the_link_inputs_follow_every_part_of_the_link():
    from simapp.data.columns import ColumnChoice
    from simapp.state.url import link_inputs

    state = PageState(
        settings=S.Settings(embed=True, data="iris"),
        source=DataSource(kind="dataset", dataset="iris"),
    )
    for change in (
        {"columns": ColumnChoice(cols="all")},
        {"columns": ColumnChoice(plot="pca")},
        {"lesson": scenario_ids()[0]},
        {"embed_controls": ("k",)},
        {"display": DisplayOptions(speed=9)},
    ):
        other = state.with_changes(**change)
        assert link_inputs(other) != link_inputs(state), change
        assert state_to_query(other) != state_to_query(state), change


def test_an_anomaly_share_round_trips_and_a_bad_one_is_noted():
    state, notes = state_from_query("anomaly=5&data=outliers&k=3")
    assert notes == [] and state.display.anomaly == 5
    assert "&anomaly=5&" in state_to_query(state)
    state, notes = state_from_query("anomaly=25")
    assert state.display.anomaly == 0
    assert notes == ['anomaly="25" is not a whole number from 0 to 20; using anomaly=0']


@pytest.mark.parametrize("k", [2, 4, 6])
def test_the_datas_clusters_round_trip_whatever_k_is(k):
    state, _ = state_from_query("scenario=wrong-k", default_seed=1)
    k_true = state.settings.k_true
    state = state.with_changes(settings=state.settings.with_changes(k=k))
    query = state_to_query(state)
    back, notes = state_from_query(query, default_seed=1)
    assert notes == [] and back.lesson == "wrong-k"
    assert (back.settings.k, back.settings.k_true) == (k, k_true)


README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_lists_every_link_parameter_and_lesson():
    text = README.read_text(encoding="utf-8")
    table = {
        line.split("|")[1].strip().strip("`")
        for line in text.splitlines()
        if line.startswith("| `")
    }
    # what state_from_query reads: the settings, the page options, the
    # display options, the embed's controls, a lesson and a dataset's columns
    read = {
        *S.QUERY_KEYS,
        *S.EXTRA_QUERY_KEYS,
        *DISPLAY_QUERY.values(),
        "controls",
        "scenario",
        *(f.name for f in fields(ColumnChoice)),
    }
    assert read - table == set()
    for lesson in scenario_ids():
        assert f"| `{lesson}` |" in text, lesson
    for name in S.DATA_NAMES:
        assert f"`{name}`" in text, name


@pytest.mark.parametrize(
    ("query", "present", "theme"),
    [
        ("present=1&theme=dark", True, "dark"),
        ("theme=light", False, "light"),
        ("present=0&theme=auto", False, "auto"),
        ("theme=DARK&present=yes", True, "dark"),
    ],
)
def test_presenter_mode_and_theme_travel_in_links(query, present, theme):
    state, notes = state_from_query(query)
    assert notes == []
    assert (state.display.present, state.display.theme) == (present, theme)
    link = parse_qs(state_to_query(state))
    assert link.get("present") == (["1"] if present else None)
    # the default follows the system and is not written
    assert link.get("theme") == (None if theme == "auto" else [theme])


def test_a_bad_theme_is_named_and_the_system_followed():
    state, notes = state_from_query("theme=sepia&present=2")
    assert state.display.theme == "auto" and not state.display.present
    assert any('theme="sepia"' in note and "theme=auto" in note for note in notes)
    assert any('present="2"' in note for note in notes)


def test_the_systems_preference_stays_out_of_links():
    state, _ = state_from_query("k=4")
    dark = state.with_changes(display=DisplayOptions(system_dark=True))
    assert state_to_query(dark) == state_to_query(state)


def test_controls_may_name_the_painting_tools():
    state, notes = state_from_query("embed=1&controls=k,paint")
    assert notes == [] and state.embed_controls == ("k", "paint")
    assert state.paint_tools_shown and "controls=k,paint" in state_to_query(state)
    hidden, _ = state_from_query("embed=1&controls=k")
    assert not hidden.paint_tools_shown
    assert state_from_query("")[0].paint_tools_shown  # the full page: always
