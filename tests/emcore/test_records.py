"""emcore.records: the typed events and result of a simulator run."""

import dataclasses
import inspect
import json
import re

import numpy as np
import pytest

from emcore import records
from emcore.experiment import iterate, run, run_data
from emcore.geometry import Ellipse

RECORDS = [
    records.DataEvent,
    records.SeedEvent,
    records.FrameEvent,
    records.SweepEvent,
    records.CellEvent,
    records.FinishEvent,
    records.DoneEvent,
    records.StartSummary,
    records.KMeansResult,
    records.CovarianceSweep,
    records.CriterionPick,
    records.Picks,
    records.ExperimentResult,
]


def _documented(cls):
    """The names the ``Attributes`` section of ``cls``'s docstring lists
    (``a, b : type`` documents two)."""
    doc = inspect.getdoc(cls)
    section = doc.split("Attributes\n----------\n", 1)[1]
    names = []
    for line in section.splitlines():
        match = re.match(r"(\w+(?:, \w+)*) : ", line)
        if match:
            names += match.group(1).split(", ")
    return names


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_each_record_documents_exactly_its_fields_in_order(cls):
    fields = [f.name for f in dataclasses.fields(cls)]
    assert _documented(cls) == fields


def test_the_result_has_the_documented_fields():
    result = run(k=2, n=150, seed=2, n_init=2)
    names = [f.name for f in dataclasses.fields(result)]
    assert names == _documented(records.ExperimentResult)
    assert len(names) == 38 and len(set(names)) == len(names)
    assert isinstance(result, records.ExperimentResult)
    assert isinstance(result.picks, records.Picks)
    assert isinstance(result.kmeans, records.KMeansResult)
    assert all(isinstance(s, records.StartSummary) for s in result.starts)
    assert list(result.comparison) == [result.settings["cov"]]
    assert result.sweep is result.comparison[result.settings["cov"]]


def _same_plain(a, b):
    """Exact equality of to_dict() values (floats compared bit for bit)."""
    assert type(a) is type(b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            _same_plain(a[key], b[key])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same_plain(x, y)
    else:
        assert a == b


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_to_dict_is_plain_python_that_round_trips_through_json(cov):
    result = run(k=3, n=200, overlap=30, cov=cov, seed=4, n_init=2, compare=True)
    plain = result.to_dict()
    _same_plain(json.loads(json.dumps(plain, allow_nan=False)), plain)
    assert list(plain) == [f.name for f in dataclasses.fields(result)]
    # arrays as nested lists of the same float64 values
    np.testing.assert_array_equal(np.array(plain["covariances"]), result.covariances)
    np.testing.assert_array_equal(np.array(plain["resp"]), result.resp)
    assert plain["labels_pred"] == result.labels_pred.tolist()
    # nested records as dicts of their fields
    assert plain["picks"]["bic"] == {
        "k": result.picks.bic.k,
        "k_healthy": result.picks.bic.k_healthy,
        "note": result.picks.bic.note,
        "k_raw": result.picks.bic.k_raw,
    }
    assert set(plain["comparison"]) == {"full", "tied", "diag", "spherical"}
    assert plain["comparison"][cov]["bic"] == list(result.sweep.bic)
    assert plain["kmeans"]["mapping"] == result.kmeans.mapping.tolist()
    first = plain["starts"][0]
    assert first["loglik_mean"] == result.starts[0].loglik_mean
    ellipse = result.ellipses[0]
    assert plain["ellipses"][0] == {
        "center": ellipse.center.tolist(),
        "semi_axes": ellipse.semi_axes.tolist(),
        "angle": ellipse.angle,
    }
    assert plain["best_model"] == list(result.best_model)


def test_to_dict_of_own_data_without_labels_writes_nulls():
    rng = np.random.default_rng(5)
    X = np.vstack([rng.normal(0, 1, (40, 2)), rng.normal(6, 1, (40, 2))])
    plain = run_data(X, k=2, seed=1, n_init=1).to_dict()
    assert plain["ari"] is None and plain["kmeans"]["ari"] is None
    assert plain["labels_true"] is None and plain["true_means"] is None
    assert json.loads(json.dumps(plain)) == plain


def test_events_are_typed_by_kind_and_frozen():
    kinds = {}
    for event in iterate(k=2, n=120, seed=3, n_init=1, iters=10):
        kinds.setdefault(event.kind, type(event))
    assert kinds == {
        "data": records.DataEvent,
        "seed": records.SeedEvent,
        "init": records.FrameEvent,
        "em": records.FrameEvent,
        "sweep": records.SweepEvent,
        "ic": records.CellEvent,
        "finish": records.FinishEvent,
        "done": records.DoneEvent,
    }
    assert all(issubclass(cls, records.Event) for cls in kinds.values())
    assert records.IdleEvent().kind == "idle"
    event = records.SweepEvent(k=2, cov="full", start=0, iteration=3)
    assert event.background is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.k = 3


def test_a_frame_builds_its_ellipses_and_mapping_once_when_read():
    frame = next(e for e in iterate(k=2, n=120, seed=3, n_init=1) if e.kind == "em")
    assert not {"ellipses", "mapping"} & set(vars(frame))
    assert all(isinstance(e, Ellipse) for e in frame.ellipses)
    assert frame.ellipses is frame.ellipses and frame.mapping is frame.mapping
    assert {"ellipses", "mapping"} <= set(vars(frame))
    with pytest.raises(dataclasses.FrozenInstanceError):
        frame.iteration = 2


def test_picks_of_names_the_criterion():
    pick = records.CriterionPick(k=3, k_healthy=None, note="x", k_raw=3)
    other = records.CriterionPick(k=2, k_healthy=2, note="", k_raw=2)
    picks = records.Picks(aic=pick, bic=other, icl=pick)
    assert picks.of("bic") is other and picks.of("aic") is pick
    with pytest.raises(ValueError, match="criterion must be one of aic, bic, icl"):
        picks.of("BIC")
