"""The lessons "K-means is the cold limit" and "Let the prior choose K" show
what their texts promise, computed from the runs their links start."""

from __future__ import annotations

import numpy as np
from simapp.lessons.scenarios import scenario
from simapp.state.settings import parse_settings

from emcore.experiment import iterate
from emcore.metrics import adjusted_rand_score


def _lesson_run(lesson, **changes):
    """The lesson's frames and result, with ``changes`` to its settings as
    the page's controls would make them."""
    settings, notes = parse_settings(scenario(lesson).query)
    assert notes == []
    settings = settings.with_changes(**changes)
    frames, result = [], None
    for event in iterate(**settings.to_run_kwargs()):
        if event.kind in ("init", "em"):
            frames.append(event)
        elif event.kind == "done":
            result = event.result
    return frames, result


def test_cold_limit_assigns_every_point_wholly_and_matches_kmeans():
    frames, result = _lesson_run("kmeans-cold-limit")
    for frame in frames[1:]:
        assert set(np.unique(frame.resp)) <= {0.0, 1.0}
    ari = adjusted_rand_score(result.labels_pred, result.kmeans.labels)
    assert ari == 1.0
    assert result.ari == result.kmeans.ari  # both ARI cards agree


def test_cold_limit_at_temperature_1_is_no_longer_kmeans():
    frames, result = _lesson_run("kmeans-cold-limit", temp=1.0)
    soft = frames[-1].resp
    assert np.any((soft > 0.05) & (soft < 0.95))  # shared points
    assert adjusted_rand_score(result.labels_pred, result.kmeans.labels) < 1.0


def test_the_prior_switches_off_the_components_two_clusters_do_not_need():
    frames, result = _lesson_run("prior-chooses-k")
    settings = result.settings
    assert (settings["model"], settings["k"], settings["k_true"]) == ("bayes", 6, 2)
    in_use = [int(np.sum(f.weights > 0.01)) for f in frames]
    assert in_use[0] == 6 and in_use[-1] == 2  # "ends at 2 of 6"
    assert int(np.sum(result.weights > 0.01)) == 2
    # the weights die away iteration by iteration: the count never rises back
    assert all(b <= a for a, b in zip(in_use[1:], in_use[2:], strict=False))


def test_em_keeps_a_share_for_all_six_components():
    _, result = _lesson_run("prior-chooses-k", model="em")
    assert "model" not in result.settings
    assert np.all(result.weights > 0.01)
