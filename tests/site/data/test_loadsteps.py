"""Large own data read a slice at a time: same table, early refusal."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeClock
from simapp.data import tables as dataio
from simapp.data.loadsteps import Steps, load_steps, progress_message


def table_text(n: int, seed: int = 0, sep: str = ",") -> str:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    kinds = rng.choice(["a", "b", "NA", "c"], size=n)
    body = "\n".join(
        f"{x:.6f}{sep}{y:.6f}{sep}{k}" for (x, y), k in zip(X, kinds, strict=True)
    )
    return f"x{sep}y{sep}kind\n{body}\n"


@pytest.mark.parametrize("sep", [",", ";", "\t", " "])
@pytest.mark.parametrize("chunk_rows", [1, 7, 5000])
def test_sliced_reading_gives_the_table_parse_table_gives(sep, chunk_rows):
    text = table_text(300, seed=len(sep) + chunk_rows, sep=sep)
    steps = Steps(load_steps(text, chunk_rows=chunk_rows))
    calls = 0
    while not steps.run(budget_s=0.0):
        calls += 1
    table, expected = steps.value, dataio.parse_table(text)
    assert table == expected
    assert table.suggest() == expected.suggest()
    got = table.select("x", "y", "kind")
    want = expected.select("x", "y", "kind")
    np.testing.assert_array_equal(got.X, want.X)
    np.testing.assert_array_equal(got.labels, want.labels)
    assert (got.label_names, got.notes) == (want.label_names, want.notes)
    # small slices mean many calls, each reporting progress in order
    if chunk_rows == 1:
        assert calls > 300


def test_progress_rises_to_one_and_each_call_keeps_its_budget():
    steps = Steps(load_steps(table_text(2000), chunk_rows=100))
    clock = FakeClock(0.01)
    seen = []
    while not steps.run(budget_s=0.035, clock=clock):
        seen.append(steps.progress)
    assert seen == sorted(seen) and 0 < seen[0] < seen[-1] <= 1
    assert steps.progress == 1.0
    # 0.035 s budget at 0.01 s per step: at most 4 steps per call
    assert steps.longest == pytest.approx(0.01)


@pytest.mark.parametrize("kind", [str, bytes])
def test_oversized_text_is_refused_before_any_parsing(monkeypatch, kind):
    def never(*_args):
        raise AssertionError("parsed although too large")

    monkeypatch.setattr(dataio, "sniff", never)
    big = "1.0,2.0\n" * 1_400_000  # 11.2 MB
    data = big if kind is str else big.encode()
    steps = Steps(load_steps(data))
    with pytest.raises(dataio.DataError, match=r"11\.2 MB; the limit is 10\.0 MB"):
        steps.run()
    many = "1,2\n" * 200_002  # 0.8 MB but too many rows
    with pytest.raises(dataio.DataError, match="more than 200,000 rows"):
        Steps(load_steps(many)).run()


def test_the_row_limit_ignores_blank_and_comment_lines():
    text = "x,y\n" + "# note\n\n" * 60 + "1,2\n" * 100
    assert len(dataio.parse_table(text, max_rows=100)) == 100
    with pytest.raises(dataio.DataError, match="more than 99 rows"):
        dataio.check_size(text, max_rows=99)


def test_200000_rows_and_10_mb_are_accepted():
    text = "x,y\n" + "123456.7890,-98765.4321,\n" * 200_000
    assert len(text) < dataio.MAX_BYTES
    assert dataio.check_size(text) == 200_001
    table = dataio.parse_table(text)
    assert len(table) == 200_000 and table.columns == ("x", "y")


def test_progress_message():
    assert progress_message(1.5) == "Reading your data… 100 %"
    assert progress_message(0.25, "a.csv") == "Reading a.csv… 25 %"


def test_the_loader_prepares_the_suggested_selection_once():
    text = table_text(500, seed=3)
    steps = Steps(load_steps(text, n_components=3))
    assert steps.run(budget_s=10.0)
    table = steps.value
    x, y, label = table.suggest()
    assert (x, y, label) == ("x", "y", "kind")
    chosen = table.select(x, y, label, n_components=3)
    fresh = dataio.parse_table(text).select(x, y, label, n_components=3)
    np.testing.assert_array_equal(chosen.X, fresh.X)
    np.testing.assert_array_equal(chosen.labels, fresh.labels)
    assert chosen.notes == fresh.notes and chosen.label_names == fresh.label_names
    # prepared while loading: the reducer's call reuses it
    again = table.select(x, y, label, n_components=3)
    assert again.X is chosen.X and again.notes is not chosen.notes
    with pytest.raises(dataio.DataError, match="at least 600"):
        table.select(x, y, label, n_components=600)


class StepClock:
    """A clock whose readings advance by the given durations in turn."""

    def __init__(self, ticks) -> None:
        self.t, self.ticks = 0.0, list(ticks)

    def __call__(self) -> float:
        self.t += self.ticks.pop(0) if self.ticks else 0.001
        return self.t


def test_a_call_stops_before_a_step_that_would_overrun_its_budget():
    steps = Steps(load_steps(table_text(2000), chunk_rows=100))
    # start, then steps of 30 ms: a second one would end at 60 ms of 40
    assert not steps.run(budget_s=0.04, clock=StepClock([0.0, 0.03, 0.03]))
    assert steps.longest == pytest.approx(0.03)
    first = steps.progress
    # short steps fill the budget: 6 ms each, stopping once 40 ms would pass
    clock = StepClock([0.0] + [0.006] * 20)
    steps.run(budget_s=0.04, clock=clock)
    assert steps.progress > first
    assert clock.t == pytest.approx(0.036)  # 6 steps: a 7th would end at 42 ms
