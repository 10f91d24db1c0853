"""Colour segmentation: the bundled scene, downsampling, painting, and EM on it."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simapp.segmentation.pixels import (
    MAX_PIXELS,
    SCENE_REGIONS,
    downsample,
    features,
    paint,
    sample_scene,
)

import emcore


def test_scene_is_seeded_and_has_every_region_colour():
    a, b = sample_scene(seed=3), sample_scene(seed=3)
    assert a.shape == (240, 320, 3) and a.dtype == np.uint8
    assert np.array_equal(a, b)
    assert not np.array_equal(a, sample_scene(seed=4))
    X = features(a)
    for name, colour in SCENE_REGIONS.items():
        near = np.linalg.norm(X - colour, axis=1) < 40
        assert near.sum() > 100, name  # each region is visible


@settings(max_examples=30, deadline=None)
@given(
    h=st.integers(1, 90),
    w=st.integers(1, 90),
    cap=st.integers(1, 5000),
    seed=st.integers(0, 2**16),
)
def test_downsample_fits_the_cap_with_the_smallest_factor(h, w, cap, seed):
    img = np.random.default_rng(seed).integers(0, 256, size=(h, w, 3), dtype=np.uint8)
    out = downsample(img, cap)
    assert out.shape[0] >= 1 and out.shape[1] >= 1
    assert out.shape[0] * out.shape[1] <= cap
    # the smallest whole block size whose result fits (blocks capped at the
    # picture's own height and width)
    g = next(
        g for g in range(1, max(h, w) + 1) if (h // min(g, h)) * (w // min(g, w)) <= cap
    )
    assert out.shape[:2] == (h // min(g, h), w // min(g, w))
    if g == 1:
        assert np.array_equal(out, img)


def test_downsample_averages_blocks():
    img = np.zeros((4, 4, 3), dtype=np.uint8)
    img[:2, :2] = 200  # one 2x2 block bright
    img[0, 0] = 100
    out = downsample(img, 4)
    assert out.shape == (2, 2, 3)
    assert out[0, 0, 0] == 175 and out[1, 1, 0] == 0


def test_paint_gives_each_pixel_its_component_colour():
    labels = np.array([0, 1, 1, 2, 0, 2])
    means = np.array([[0, 0, 0], [255.4, 10.6, 3], [300, -5, 128]])
    out = paint(labels, means, (2, 3))
    assert out.shape == (2, 3, 4) and out.dtype == np.uint8
    assert out[0, 1].tolist() == [255, 11, 3, 255]
    assert out[1, 0].tolist() == [255, 0, 128, 255]  # clipped to 0..255
    assert np.all(out[..., 3] == 255)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: paint([0, 1], [[0, 0, 0]], (1, 2)), "does not have"),
        (lambda: paint([0], [[0, 0, 0]], (2, 2)), "1 entries for a 2 x 2"),
        (lambda: features(np.zeros((2, 2))), "height, width, 3 or 4"),
        (lambda: downsample(np.zeros((2, 2, 3)), 0), "max_pixels=0"),
        (lambda: sample_scene(8, 40), "at least 16"),
    ],
)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_em_finds_the_scene_colours():
    img = downsample(sample_scene(), 20_000)
    X = features(img)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm = emcore.GaussianMixture(6, n_init=2, random_state=0).fit(X)
    seg = paint(gm.predict(X), gm.means_, img.shape[:2])
    # painting with the fitted means keeps the picture close to the original
    err = np.abs(seg[..., :3].astype(float) - img.astype(float)).mean()
    assert err < 20
    found = sum(
        np.min(np.linalg.norm(gm.means_ - c, axis=1)) < 25
        for c in SCENE_REGIONS.values()
    )
    assert found >= 4
    assert MAX_PIXELS == 100_000
