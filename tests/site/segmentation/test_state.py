"""The colour-segmentation section: its pure reducer and the stepped fit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from simapp.segmentation import state as G
from simapp.segmentation.fit import SegmentFit, fit_settings
from simapp.segmentation.pixels import (
    MAX_PIXELS,
    downsample,
    features,
    paint,
    sample_scene,
)
from simapp.state.pagestate import PageState
from simapp.state.reducer import reducer

import emcore


def test_segment_requested_starts_a_new_generation():
    state, effects = reducer(PageState(), G.SegmentRequested(" 4 "))
    assert state.segment.k == 4 and state.segment.status == "running"
    assert effects == [G.StartSegment(1)]
    assert "bundled beach scene (400 x 250 pixels)" in state.segment.message
    state, effects = reducer(state, G.SegmentRequested("6"))
    assert effects == [G.StartSegment(2)] and state.segment.generation == 2


@pytest.mark.parametrize("text", ["1", "11", "x", "", "4.5", "²"])
def test_a_bad_k_is_named_and_nothing_starts(text):
    state, effects = reducer(PageState(), G.SegmentRequested(text))
    assert effects == [] and state.segment.status == "error"
    assert "is not a whole number from 2 to 10" in state.segment.message


def test_progress_of_an_old_generation_is_ignored():
    state, _ = reducer(PageState(), G.SegmentRequested("3"))
    state, _ = reducer(state, G.SegmentRequested("3"))
    old = state
    state, _ = reducer(state, G.SegmentProgress(1, 5, -3.0))
    state, _ = reducer(state, G.SegmentFinished(1, 9, True))
    assert state is old
    state, _ = reducer(state, G.SegmentProgress(2, 5, -3.25))
    assert state.segment.iteration == 5 and "-3.250" in state.segment.message
    state, _ = reducer(state, G.SegmentFinished(2, 9, False))
    assert state.segment.status == "done" and "stopped at the cap" in (
        state.segment.message
    )


def test_an_upload_is_downsampled_and_segmented_and_the_scene_comes_back():
    pixels = np.random.default_rng(0).integers(0, 256, (500, 420, 4), dtype=np.uint8)
    state, effects = reducer(PageState(), G.SegmentImageLoaded(pixels, "cat.png"))
    image = state.segment.image
    assert image.shape[0] * image.shape[1] <= MAX_PIXELS and image.shape[2] == 3
    np.testing.assert_array_equal(image, downsample(pixels[..., :3], MAX_PIXELS))
    assert effects == [G.StartSegment(1)] and "cat.png" in state.segment.message
    state, effects = reducer(state, G.SegmentSceneChosen())
    assert state.segment.image is None and effects == [G.StartSegment(2)]
    state, effects = reducer(state, G.SegmentImageLoaded(np.zeros((3, 3)), "x"))
    assert effects == [] and "could not be read" in state.segment.message


@pytest.mark.parametrize("k", [2, 4, 6])
def test_the_stepped_fit_is_the_estimator_fit(k):
    image = downsample(sample_scene(seed=k), 3000)
    fit = SegmentFit(image, k)
    assert fit.step() and fit.labels is None  # the start, nothing painted yet
    while fit.labels is None:  # the start's pieces (k-means++ centres)
        assert fit.step()
    iterations = 1
    while fit.step():
        iterations += fit.fresh
        assert fit.painted().shape == (*image.shape[:2], 4)
    X = features(image)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm = emcore.GaussianMixture(**fit_settings(k)).fit(X)
    assert fit.done and iterations == gm.n_iter_ == fit.iteration
    np.testing.assert_array_equal(fit.labels, gm.predict(X))
    np.testing.assert_array_equal(
        fit.painted(), paint(gm.predict(X), gm.means_, image.shape[:2])
    )
    assert not fit.step()


def test_a_picture_over_a_row_block_is_fitted_in_pieces_to_the_same_labels():
    image = sample_scene(200, 220, seed=3)  # 44,000 pixels
    assert image.shape[0] * image.shape[1] > emcore.kernels.rowblocks.ROW_BLOCK
    fit = SegmentFit(image, 3)
    pieces_after_first_iteration = 0
    while fit.step():
        if fit.labels is not None and not fit.fresh:
            pieces_after_first_iteration += 1
    X = features(image)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm = emcore.GaussianMixture(**fit_settings(3)).fit(X)
    # each iteration after the first comes in more than one piece
    assert pieces_after_first_iteration >= gm.n_iter_ - 1 > 0
    assert fit.iteration == gm.n_iter_
    np.testing.assert_array_equal(fit.labels, gm.predict(X))


@pytest.mark.parametrize("k", [1, 11, 2.0, True])
def test_fit_settings_refuse_a_bad_k(k):
    with pytest.raises(ValueError, match="k="):
        fit_settings(k)
