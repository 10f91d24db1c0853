"""Colour segmentation: EM on the colours of a picture's pixels.

Each pixel is a point in RGB space (three columns, 0-255). A K-component
mixture fitted to those points groups the colours; painting every pixel in
its component's mean colour gives the segmented picture, a classic first
application of Gaussian mixtures.

The bundled picture is drawn by :func:`sample_scene` from a seed, so it is this
project's own work (MIT, like the rest of the code), needs no file and is the
same array in CPython and in the browser: a beach scene with sky, sun, sea,
sand, a hill and a red boat, each region with its own colour noise.

Examples
--------
>>> img = sample_scene(48, 64)
>>> img.shape, img.dtype.name
((48, 64, 3), 'uint8')
>>> small = downsample(img, 800)
>>> small.shape[0] * small.shape[1] <= 800
True
>>> features(small).shape[1]
3
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "MAX_PIXELS",
    "SCENE_REGIONS",
    "downsample",
    "features",
    "paint",
    "sample_scene",
]

#: Pixels fitted at most; larger pictures are averaged down to this.
MAX_PIXELS = 100_000

#: The scene's regions and their mean colours (RGB), in drawing order.
SCENE_REGIONS = {
    "sky": (110, 170, 230),
    "sun": (250, 215, 90),
    "sea": (25, 90, 150),
    "sand": (225, 200, 150),
    "hill": (60, 130, 60),
    "boat": (200, 40, 40),
}


def sample_scene(height: int = 240, width: int = 320, seed: int = 0) -> np.ndarray:
    """Draw the bundled picture.

    Parameters
    ----------
    height, width : int
        Size in pixels (each at least 16).
    seed : int
        Seeds the colour noise (numpy's PCG64: the same in CPython and Pyodide).

    Returns
    -------
    ndarray of shape (height, width, 3), uint8
    """
    h, w = int(height), int(width)
    if h < 16 or w < 16:
        raise ValueError(f"height={height} and width={width} must be at least 16")
    rng = np.random.default_rng(seed)
    y = (np.arange(h, dtype=np.float64)[:, None] + 0.5) / h
    x = (np.arange(w, dtype=np.float64)[None, :] + 0.5) / w
    region = np.zeros((h, w), dtype=np.intp)  # 0 sky
    horizon = 0.5
    region[np.broadcast_to(y >= horizon, (h, w))] = 2  # sea
    shore = 0.78 + 0.06 * np.sin(2 * math.pi * x * 1.5)
    region[y >= shore] = 3  # sand
    hill = horizon - 0.16 * np.exp(-(((x - 0.22) / 0.16) ** 2))
    region[(y >= hill) & (y < horizon)] = 4  # hill on the horizon
    sun = (x - 0.75) ** 2 + ((y - 0.2) * h / w) ** 2 < 0.07**2
    region[sun] = 1
    hull = (np.abs(y - 0.62) < 0.03) & (np.abs(x - 0.55 - (y - 0.62)) < 0.09)
    region[hull] = 5  # boat
    colours = np.array(list(SCENE_REGIONS.values()), dtype=np.float64)
    img = colours[region]
    # the sky lightens towards the horizon; the sea darkens towards the shore
    img += np.where((region == 0)[..., None], 60 * y[..., None], 0.0)
    img -= np.where((region == 2)[..., None], 40 * (y[..., None] - horizon), 0.0)
    img += rng.normal(scale=9.0, size=img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def downsample(pixels, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Average blocks of pixels until at most ``max_pixels`` remain.

    Parameters
    ----------
    pixels : array-like of shape (height, width, channels)
    max_pixels : int

    Returns
    -------
    ndarray of shape (height // f, width // f, channels), uint8
        ``f`` is the smallest whole factor that fits (never more than the
        picture's height or width, so a long strip keeps one row); ``f = 1``
        returns the picture unchanged (a copy).
    """
    img = np.asarray(pixels)
    if img.ndim != 3 or img.shape[0] < 1 or img.shape[1] < 1:
        raise ValueError(
            f"pixels must have shape (height, width, channels); got {img.shape}"
        )
    if int(max_pixels) < 1:
        raise ValueError(f"max_pixels={max_pixels}; must be at least 1")
    h, w = img.shape[:2]
    f = 1
    # a block never spans more rows or columns than the picture has
    while (h // min(f, h)) * (w // min(f, w)) > int(max_pixels):
        f += 1
    if f == 1:
        return img.astype(np.uint8, copy=True)
    fy, fx = min(f, h), min(f, w)
    hh, ww = h // fy, w // fx
    blocks = img[: hh * fy, : ww * fx].astype(np.float64)
    blocks = blocks.reshape(hh, fy, ww, fx, img.shape[2]).mean(axis=(1, 3))
    return np.clip(np.rint(blocks), 0, 255).astype(np.uint8)


def features(pixels) -> np.ndarray:
    """RGB values of every pixel as the rows EM fits.

    Parameters
    ----------
    pixels : array-like of shape (height, width, 3 or 4)
        An alpha channel, if present, is dropped.

    Returns
    -------
    ndarray of shape (height * width, 3), float64, in 0..255
    """
    img = np.asarray(pixels)
    if img.ndim != 3 or img.shape[2] < 3:
        raise ValueError(
            f"pixels must have shape (height, width, 3 or 4); got {img.shape}"
        )
    return img[..., :3].reshape(-1, 3).astype(np.float64)


def paint(labels, means, shape) -> np.ndarray:
    """The segmented picture: each pixel in its component's mean colour.

    Parameters
    ----------
    labels : array-like of shape (height * width,)
        Each pixel's component.
    means : array-like of shape (n_components, 3)
        Component means in RGB.
    shape : tuple of int
        ``(height, width)``.

    Returns
    -------
    ndarray of shape (height, width, 4), uint8
        RGBA, fully opaque: ready for a canvas ``ImageData``.
    """
    h, w = int(shape[0]), int(shape[1])
    labels = np.asarray(labels).reshape(-1).astype(np.intp)
    if labels.size != h * w:
        raise ValueError(f"labels has {labels.size} entries for a {h} x {w} picture")
    palette = np.clip(np.rint(np.asarray(means, dtype=np.float64)), 0, 255)
    if palette.ndim != 2 or palette.shape[1] != 3:
        raise ValueError(
            f"means must have shape (n_components, 3); got {palette.shape}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= len(palette)):
        raise ValueError("labels name a component that means does not have")
    rgba = np.empty((h * w, 4), dtype=np.uint8)
    rgba[:, :3] = palette.astype(np.uint8)[labels]
    rgba[:, 3] = 255
    return rgba.reshape(h, w, 4)
