"""Tests for drawing big scatters in slices (simapp.charts.raster.PointRaster,
simapp.charts.drawsteps): the sliced picture equals the one-shot picture byte for
byte, and the queue keeps to its time budget."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeClock
from simapp.charts import drawsteps, palette
from simapp.charts.drawsteps import DrawQueue, scatter_steps
from simapp.charts.raster import PointRaster, render_points

W, H = 120, 90


def _points(seed: int, n: int = 3000):
    """Crowded points (many overlaps), some off the canvas and some NaN."""
    rng = np.random.default_rng(seed)
    X = rng.normal([W / 2, H / 2], [W / 4, H / 4], size=(n, 2))
    X[rng.integers(0, n, 20)] = np.nan
    X[:10] = [[-1.2, 5.0], [W + 1.0, 7.5], [3.3, -0.9], [50.0, H + 0.7]] * 2 + [
        [0.1, 0.1],
        [W - 0.2, H - 0.2],
    ]
    rgb = rng.integers(0, 256, size=(n, 3), dtype=np.uint8)
    return rng, X, rgb


CASES = {
    "transparent": {},
    "per-point alpha": {"alpha": "random"},
    "scalar alpha": {"alpha": 0.6},
    "per-point alpha, hard": {"alpha": "random", "antialias": False},
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("max_writes", [1, 37, 1000, 25_000])
@pytest.mark.parametrize("radius", [1.4, 2.6])
def test_sliced_rendering_equals_one_shot_pixel_for_pixel(case, max_writes, radius):
    rng, X, rgb = _points(sum(map(ord, case)) + max_writes)
    kwargs = dict(CASES[case])
    if kwargs.get("alpha") == "random":
        kwargs["alpha"] = np.where(rng.random(len(X)) < 0.1, 0.0, rng.random(len(X)))
    expected = render_points(X, rgb, W, H, radius, **kwargs)
    assert expected[..., 3].any()  # something was drawn
    job = PointRaster(X, rgb, W, H, radius, **kwargs)
    pieces = 0
    for share in job.steps(max_writes):
        pieces += 1
        assert 0.0 <= share <= 1.0
    np.testing.assert_array_equal(job.out, expected)
    assert job.written == job.total > 0
    # smaller pieces, more of them (at least one point's stamp per piece)
    if max_writes <= 1000:
        assert pieces > job.total // (max_writes + 60)


def test_a_partial_job_has_drawn_a_part_of_the_picture():
    _, X, rgb = _points(3)
    job = PointRaster(X, rgb, W, H, 2.0)
    steps = job.steps(2000)
    for _ in range(8):
        next(steps)
    assert 0 < job.written < job.total
    drawn = job.out[..., 3] > 0
    full = render_points(X, rgb, W, H, 2.0)[..., 3] > 0
    assert 0 < drawn.sum() < full.sum()


def test_the_buffer_is_reused_and_cleared():
    _, X, rgb = _points(4)
    out = np.full((H, W, 4), 77, dtype=np.uint8)
    job = PointRaster(X[:5], rgb[:5], W, H, 1.5, out=out)
    for _ in job.steps(10):
        pass
    assert job.out is out
    np.testing.assert_array_equal(out, render_points(X[:5], rgb[:5], W, H, 1.5))


def test_nothing_visible_is_a_job_of_no_pieces():
    X = np.array([[-50.0, -50.0], [np.nan, 1.0]])
    job = PointRaster(X, np.zeros((2, 3), np.uint8), W, H, 2.0)
    assert list(job.steps(100)) == [] and job.total == 0
    assert not job.out.any()


def test_bad_arguments_are_refused_before_any_work():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="rgb must have shape"):
        PointRaster(X, np.zeros((2, 3), np.uint8), W, H)
    with pytest.raises(ValueError, match="alpha must be"):
        PointRaster(X, [1, 2, 3], W, H, alpha=np.ones(2))
    with pytest.raises(ValueError, match="canvas size"):
        PointRaster(X, [1, 2, 3], 0, H)


@pytest.mark.parametrize("seed", range(3))
def test_blending_rows_in_slices_gives_the_same_bytes(seed):
    rng = np.random.default_rng(seed)
    resp = rng.dirichlet(np.ones(4), size=5000)
    resp[::97] = 0.0
    resp[5, 2] = np.nan
    colours = palette.component_colors(4)
    whole = palette.blend(resp, colours)
    for step in (1, 333, 4096):
        parts = [
            palette.blend(resp[a : a + step], colours) for a in range(0, 5000, step)
        ]
        np.testing.assert_array_equal(np.vstack(parts), whole)


@pytest.mark.parametrize(
    "blend_rows, stamp_writes", [(1, 50), (700, 3000), (10**6, 10**7)]
)
def test_scatter_steps_equal_render_points_of_the_blended_colours(
    blend_rows, stamp_writes
):
    rng, X, _ = _points(blend_rows)
    resp = rng.dirichlet(np.ones(3), size=len(X))
    colours = palette.component_colors(3)
    alpha = rng.random(len(X))
    expected = render_points(X, palette.blend(resp, colours), W, H, 1.7, alpha)
    steps = scatter_steps(
        X,
        W,
        H,
        1.7,
        resp=resp,
        colours=colours,
        alpha=alpha,
        blend_rows=blend_rows,
        stamp_writes=stamp_writes,
    )
    shares = []
    while True:
        try:
            shares.append(next(steps))
        except StopIteration as stop:
            picture = stop.value
            break
    np.testing.assert_array_equal(picture, expected)
    assert shares == sorted(shares) and shares[-1] == pytest.approx(1.0)
    if blend_rows == 1:
        assert len(shares) > len(X)  # every row blended in a piece of its own


def test_scatter_steps_need_exactly_one_colour_source():
    X = np.zeros((2, 2))
    with pytest.raises(ValueError, match="exactly one"):
        next(scatter_steps(X, W, H, 1.0))
    with pytest.raises(ValueError, match="exactly one"):
        next(scatter_steps(X, W, H, 1.0, rgb=[1, 2, 3], resp=np.ones((2, 1))))
    with pytest.raises(ValueError, match="resp must have shape"):
        next(scatter_steps(X, W, H, 1.0, resp=np.ones((3, 1))))


def _job(log: list, name: str, pieces: int):
    for i in range(pieces):
        log.append((name, i))
        yield i / pieces
    return name


def test_the_queue_keeps_to_its_budget_and_finishes_in_order():
    log: list = []
    queue = DrawQueue()
    queue.submit("a", _job(log, "a", 5), "finish a")
    queue.submit("b", _job(log, "b", 4), "finish b")
    clock = FakeClock(0.01)  # 10 ms a piece
    assert queue.run(0.03, clock) == []
    assert len(log) == 3 and not queue.idle
    done = queue.run(0.03, clock)
    # a's last two pieces and its return use up the budget: b waits
    assert done == [("finish a", "a")]
    assert [name for name, _ in log] == ["a"] * 5
    assert queue.run(1.0, clock) == [("finish b", "b")]
    assert queue.idle and log[-1] == ("b", 3)
    assert queue.longest == pytest.approx(0.01)


def test_a_newer_picture_replaces_the_pending_one():
    log: list = []
    queue = DrawQueue()
    old = _job(log, "old", 10)
    queue.submit("chart", old, "old")
    queue.run(0.02, FakeClock(0.01))
    queue.submit("chart", _job(log, "new", 2), "new")
    with pytest.raises(StopIteration):
        next(old)  # closed: its buffer is no longer written
    assert queue.run(1.0, FakeClock(0.01)) == [("new", "new")]
    assert queue.idle


def test_at_least_one_piece_runs_and_keys_limit_the_run():
    log: list = []
    queue = DrawQueue()
    queue.submit("a", _job(log, "a", 3), None)
    queue.submit("b", _job(log, "b", 1), "b done")
    assert queue.run(0.0, FakeClock(0.01), keys=("b",)) == []
    assert log == [("b", 0)]
    assert queue.run(0.0, FakeClock(0.01), keys=("b",)) == [("b done", "b")]
    assert queue.pending("a") and not queue.pending("b")
    queue.cancel("a")
    assert queue.idle


def test_a_failing_picture_is_dropped_and_its_error_raised():
    def broken():
        yield 0.0
        raise ValueError("bad picture")

    queue = DrawQueue()
    queue.submit("chart", broken(), None)
    with pytest.raises(ValueError, match="bad picture"):
        queue.run(1.0, FakeClock(0.001))
    assert queue.idle


def test_big_pictures_are_sliced_small_ones_are_not():
    # the page's threshold: the simulated 5000 points are drawn at once
    assert 5000 <= drawsteps.AT_ONCE_POINTS < 200_000
    assert 0 < drawsteps.DRAW_BUDGET_S <= 0.05
