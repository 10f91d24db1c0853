"""simapp.state.reducer: the settings', runs' and sharing actions' new state and
effects, in CPython (the data source's and the timeline's have their own files)."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.lessons.scenarios import scenario, scenario_ids
from simapp.run.plan import run_events
from simapp.state import actions as A
from simapp.state import settings as S
from simapp.state.pagestate import DataSource, DisplayOptions, PageState
from simapp.state.reducer import reducer
from simapp.state.timeline import TimelineState


def ready(**changes) -> PageState:
    return PageState(**{"status": "ready", **changes})


def values(**overrides) -> tuple:
    base = {name: str(v) for name, v in (("k", 3), ("n", 500), ("seed", 7))}
    base.update({k: str(v) for k, v in overrides.items()})
    return tuple(base.items())


def apply(state, *actions):
    effects = []
    for action in actions:
        state, new = reducer(state, action)
        effects.extend(new)
    return state, effects


def test_a_committed_edit_applies_the_settings_and_starts_a_run():
    state, effects = reducer(ready(), A.ControlsEdited(values(k=5)))
    assert state.settings.k == 5 and state.settings.seed == 7
    assert state.running and state.status == "running" and state.generation == 1
    assert effects == [A.StartRun(1), A.ReplaceUrl()]
    assert state.message.text.startswith("Running EM: K = 5")


def test_dragging_a_slider_only_drafts():
    before = ready()
    state, effects = reducer(before, A.ControlsEdited(values(k=6), commit=False))
    assert effects == [] and state.settings == before.settings
    assert state.draft.k == 6 and state.shown.k == 6
    state, _ = reducer(state, A.ControlsEdited(values(k=6)))
    assert state.draft is None and state.settings.k == 6


def test_bad_values_are_clamped_with_notes():
    state, _ = reducer(ready(), A.ControlsEdited(values(k=99, n="abc")))
    assert state.settings.k == S.INT_LIMITS["k"][1]
    assert state.settings.n == S.DEFAULTS["n"]
    assert len(state.notes) == 2 and state.notes_source == "Your settings"


def test_new_seed_runs_with_that_seed():
    state, effects = reducer(ready(), A.NewSeed(4242, values()))
    assert state.settings.seed == 4242 and A.StartRun(1) in effects


def test_a_try_link_overrides_only_what_it_names_and_scrolls():
    start = ready(settings=S.Settings(k=4, n=800, seed=3))
    state, effects = reducer(start, A.TryLink("cov=tied&overlap=60"))
    s = state.settings
    assert (s.k, s.n, s.seed, s.cov, s.overlap) == (4, 800, 3, "tied", 60)
    assert effects[-1] == A.ScrollTo("stage")
    assert state.notes_source == "The link's settings"


def test_simulate_reveals_the_scatter_and_other_edits_do_not_scroll():
    _, pressed = reducer(ready(), A.ControlsEdited(values(), reveal=True))
    assert A.StartRun(1) in pressed
    assert pressed[-1] == A.ScrollTo("cluster-canvas", "nearest")
    _, changed = reducer(ready(), A.ControlsEdited(values()))
    assert not any(isinstance(e, A.ScrollTo) for e in changed)


def test_stale_run_events_are_ignored():
    state, _ = apply(ready(), A.ControlsEdited(values()), A.ControlsEdited(values()))
    assert state.generation == 2
    for stale in (
        A.RunFinished(1, "old"),
        A.RunFailed(1, "old"),
        A.RunPhase(1, "old"),
        A.TimelineGrew(1, 9),
    ):
        assert reducer(state, stale) == (state, [])


def test_a_run_finishes_and_fails():
    running, _ = reducer(ready(), A.ControlsEdited(values()))
    done, effects = reducer(running, A.RunFinished(1, "Done."))
    assert (done.status, done.running, done.message.text) == ("done", False, "Done.")
    assert done.timeline.has_result and effects == [A.ReplaceUrl()]
    failed, _ = reducer(running, A.RunFailed(1, "nope", "warn"))
    assert (failed.status, failed.running, failed.message.kind) == (
        "ready",
        False,
        "warn",
    )


def test_ready_starts_the_linked_run_only_with_run_1():
    state, effects = reducer(PageState(), A.Ready("Ready."))
    # without run=1 the data are drawn, not fitted
    assert state.status == "ready" and not state.running
    assert effects == [A.ShowData(state.generation)]
    linked = PageState(settings=S.Settings(run=True))
    state, effects = reducer(linked, A.Ready("Ready."))
    assert state.running and A.StartRun(1) in effects


def test_a_dataset_link_loads_its_data_when_ready():
    start = PageState(source=DataSource(kind="dataset", dataset="iris"))
    state, _ = reducer(start, A.Ready("Ready."))
    own = state.source.own
    assert own.X.shape == (150, 2) and own.dataset == "iris"
    assert state.settings.data == "iris"


# ------------------------------------------------------------------ display, share
def test_display_changes_write_the_url_but_never_run():
    state, effects = reducer(ready(), A.DisplayChanged("density", True))
    assert state.display.density and effects == [A.ReplaceUrl()]
    assert reducer(state, A.DisplayChanged("density", True)) == (state, [])


def test_a_resize_redraws_unless_a_run_will():
    idle = ready()
    assert reducer(idle, A.Resized()) == (idle, [A.Redraw()])
    running, _ = reducer(ready(), A.ControlsEdited(values()))
    assert reducer(running, A.Resized()) == (running, [])


def test_unknown_display_options_are_refused():
    with pytest.raises(ValueError, match="not a display option"):
        reducer(ready(), A.DisplayChanged("sparkles", True))


def test_comparison_toggle_starts_a_run():
    state, effects = reducer(ready(), A.CompareToggled(True))
    assert state.settings.compare and A.StartRun(1) in effects


def test_exports_and_copies_are_effects():
    done = TimelineState(positions=9, position=8, has_result=True)
    state = ready(timeline=done, status="done")
    assert reducer(state, A.ExportRequested("json")) == (state, [A.Export("json")])
    assert reducer(state, A.CopyLinkRequested()) == (state, [A.CopyLink()])
    done, _ = reducer(state, A.ShareDone("Downloaded x.json.", "x.json"))
    assert done.share_status == ("Downloaded x.json.", "x.json")


def test_unknown_actions_are_refused():
    with pytest.raises(TypeError, match="not a page action"):
        reducer(ready(), object())


def test_the_simulated_run_plan_matches_the_settings():
    state, _ = reducer(ready(), A.ControlsEdited(values(k=2, n=120)))
    kwargs, events = run_events(*state.run_inputs)
    first = next(events)
    assert kwargs["k"] == 2 and first.X.shape == (120, 2)
    assert np.isfinite(first.X).all()


@pytest.mark.parametrize("lesson", scenario_ids())
def test_choosing_a_lesson_applies_its_settings_over_the_defaults_and_runs(lesson):
    start = ready(settings=S.Settings(k=5, n=900, iters=300, seed=3))
    state, effects = reducer(start, A.LessonChosen(lesson))
    expected, _ = S.parse_settings(scenario(lesson).query, default_seed=3)
    assert state.settings == expected.with_changes(run=True)
    assert state.lesson == lesson and state.running
    assert effects == [
        A.StartRun(1),
        A.ReplaceUrl(),
        A.ScrollTo("lesson-panel", "nearest"),
    ]
    wants_data = scenario(lesson).query.get("data", "")
    assert state.source.kind == ("dataset" if wants_data else "simulated")
    if wants_data:
        assert state.source.own is not None and len(state.source.own.X) > 0


def test_closing_a_lesson_keeps_the_settings_and_rewrites_the_url():
    state, _ = reducer(ready(), A.LessonChosen("choose-k"))
    settings = state.settings
    state, effects = reducer(state, A.LessonChosen(""))
    assert state.lesson == "" and state.settings == settings
    assert effects == [A.ReplaceUrl()]


def test_a_lesson_stays_open_while_its_settings_change():
    state, _ = reducer(ready(), A.LessonChosen("wrong-k"))
    state, _ = reducer(state, A.ControlsEdited(values(k=4)))
    assert state.lesson == "wrong-k" and state.settings.k == 4


def test_an_unknown_lesson_is_refused_by_name():
    with pytest.raises(ValueError, match="local-optimum"):
        reducer(ready(), A.LessonChosen("nope"))


def test_enter_in_a_field_runs_once_and_keeps_the_clamp_note():
    # Enter fires the field's change, then the form's submit
    state, first = reducer(ready(), A.ControlsEdited(values(n_init=99)))
    assert A.StartRun(1) in first and state.settings.n_init == 10
    note = state.notes
    assert note and "n_init" in " ".join(note)
    state, second = reducer(state, A.ControlsEdited(values(n_init=10), reveal=True))
    assert not any(isinstance(e, A.StartRun) for e in second)
    assert state.generation == 1 and state.notes == note
    # once the run is over, Simulate runs again
    state, _ = reducer(state, A.RunFinished(1, "done"))
    _, again = reducer(state, A.ControlsEdited(values(n_init=10), reveal=True))
    assert A.StartRun(2) in again


def test_an_anomaly_share_is_kept_within_its_limits_and_starts_no_run():
    state = PageState(status="done")
    for typed, kept in ((5, 5), (50, 20), (-3, 0)):
        new, effects = reducer(state, A.DisplayChanged("anomaly", typed))
        assert new.display.anomaly == kept
        assert new.generation == state.generation
        assert effects == ([A.ReplaceUrl()] if kept else [])


def test_the_datas_clusters_stay_when_k_changes():
    # the lesson's bug: K passing k_true (2 -> 4 -> 6) must not drag it along
    state, _ = reducer(ready(), A.LessonChosen("wrong-k"))
    k_true = state.settings.k_true
    for k in (k_true, k_true + 2, 2):
        form = values(k=k, k_true=state.settings.k_true)
        state, _ = reducer(state, A.ControlsEdited(form))
        assert (state.settings.k, state.settings.k_true) == (k, k_true)
    # values that leave it out (or blank) keep it too
    for form in (values(k=5), values(k=6, k_true="")):
        state, _ = reducer(state, A.ControlsEdited(form))
        assert state.settings.k_true == k_true
    state, _ = reducer(state, A.TryLink("k=3"))
    assert (state.settings.k, state.settings.k_true) == (3, k_true)
    # only naming it changes it
    state, _ = reducer(state, A.ControlsEdited(values(k=3, k_true=5)))
    assert state.settings.k_true == 5


@pytest.mark.parametrize(
    ("name", "value"),
    [("present", True), ("theme", "dark"), ("system_dark", True)],
)
def test_presenter_mode_and_theme_redraw_every_chart(name, value):
    state, effects = reducer(ready(), A.DisplayChanged(name, value))
    assert getattr(state.display, name) == value
    assert effects == [A.ReplaceUrl(), A.Redraw()]
    assert not state.running


def test_a_theme_change_that_changes_no_colour_redraws_nothing():
    # the system turns dark while the link asks for light: nothing to redraw
    light = ready(display=DisplayOptions(theme="light"))
    state, effects = reducer(light, A.DisplayChanged("system_dark", True))
    assert state.display.system_dark and not state.display.dark
    assert effects == [A.ReplaceUrl()]


@pytest.mark.parametrize(
    ("theme", "system_dark", "dark"),
    [
        ("auto", False, False),
        ("auto", True, True),
        ("light", True, False),
        ("dark", False, True),
    ],
)
def test_the_theme_follows_the_system_unless_chosen(theme, system_dark, dark):
    display = DisplayOptions(theme=theme, system_dark=system_dark)
    assert display.dark is dark


def test_presenter_mode_scales_by_at_least_1_4():
    assert DisplayOptions().scale == 1.0
    assert DisplayOptions(present=True).scale >= 1.4


def test_an_unknown_theme_is_refused():
    with pytest.raises(ValueError, match="theme='sepia'"):
        DisplayOptions(theme="sepia")
