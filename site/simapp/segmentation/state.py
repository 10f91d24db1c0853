"""The colour-segmentation section's state, actions and reducer.

:class:`SegmentState` is the ``segment`` field of
:class:`simapp.state.pagestate.PageState`: which picture is segmented (the bundled
scene or the student's own, already downsampled), how many colours, and how
far the fit has come. Its actions go through :func:`simapp.state.reducer.reducer`
like every other (it registers :data:`HANDLERS`); :class:`StartSegment` asks
the page to run the fit (``site/app/segmentation/segmenter.py``), which reports
back with :class:`SegmentProgress`, :class:`SegmentFinished` or :class:`SegmentFailed`.

The handlers take and return any frozen dataclass with a ``segment`` field
(the page state), so this folder needs nothing of :mod:`simapp.state`.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Page:
...     segment: SegmentState = SegmentState()
>>> state, effects = segment_requested(Page(), SegmentRequested("4"))
>>> state.segment.k, state.segment.status, effects
(4, 'running', [StartSegment(generation=1)])
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from simapp.segmentation.fit import MAX_K, MIN_K
from simapp.segmentation.pixels import MAX_PIXELS, downsample
from simapp.text.quoting import quote_user_text

__all__ = [
    "HANDLERS",
    "SCENE_SHAPE",
    "SegmentFailed",
    "SegmentFinished",
    "SegmentImageLoaded",
    "SegmentProgress",
    "SegmentRequested",
    "SegmentSceneChosen",
    "SegmentState",
    "StartSegment",
]

#: Height and width of the bundled scene: 100,000 pixels, the most fitted.
SCENE_SHAPE = (250, 400)


@dataclass(frozen=True, eq=False)
class SegmentState:
    """The segmentation section (compared by identity: it may hold a picture).

    Attributes
    ----------
    k : int
        Number of colours fitted.
    image : ndarray of shape (height, width, 3), uint8, or None
        The uploaded picture after downsampling; None: the bundled scene.
    file_name : str
    status : str
        ``idle``, ``running``, ``done`` or ``error``.
    generation : int
        Incremented by every fit started; a fit whose number is no longer
        current stops at its next frame.
    iteration : int
        EM iterations shown so far.
    message : str
        What the section says under its pictures.
    """

    k: int = 6
    image: Any = None
    file_name: str = ""
    status: str = "idle"
    generation: int = 0
    iteration: int = 0
    message: str = "Press Segment to fit the picture's colours."

    @property
    def source_title(self) -> str:
        """What picture is segmented, in words."""
        if self.image is None:
            h, w = SCENE_SHAPE
            return f"the bundled beach scene ({w} x {h} pixels)"
        h, w = self.image.shape[:2]
        name = self.file_name or "your picture"
        return f"{name} ({w} x {h} pixels after downsampling)"


# ------------------------------------------------------------------ actions
@dataclass(frozen=True)
class SegmentRequested:
    """Segment with ``k`` colours (the control's text)."""

    k: str


@dataclass(frozen=True)
class SegmentImageLoaded:
    """A decoded picture (height, width, 3 or 4 channels, uint8)."""

    pixels: Any
    file_name: str = ""


@dataclass(frozen=True)
class SegmentSceneChosen:
    """Back to the bundled scene."""


@dataclass(frozen=True)
class SegmentProgress:
    generation: int
    iteration: int
    loglik: float


@dataclass(frozen=True)
class SegmentFinished:
    generation: int
    iterations: int
    converged: bool


@dataclass(frozen=True)
class SegmentFailed:
    generation: int
    text: str


# ------------------------------------------------------------------ effects
@dataclass(frozen=True)
class StartSegment:
    """Run the fit of generation ``generation`` (``state.segment``'s)."""

    generation: int


# ------------------------------------------------------------------ reducer
def _with(state, **changes):
    return replace(state, segment=replace(state.segment, **changes))


def _start(state, k: int):
    seg = state.segment
    generation = seg.generation + 1
    text = f"Fitting {k} colours to {seg.source_title}…"
    state = _with(
        state,
        k=k,
        status="running",
        generation=generation,
        iteration=0,
        message=text,
    )
    return state, [StartSegment(generation)]


def segment_requested(state, action: SegmentRequested):
    text = str(action.k).strip()
    if not (text.isascii() and text.isdigit() and MIN_K <= int(text) <= MAX_K):
        shown = f"{quote_user_text(text)} is" if text else "an empty box is"
        message = (
            f"Colours (K): {shown} not a whole number from {MIN_K} to {MAX_K}; "
            "type one and press Segment."
        )
        return _with(state, message=message, status="error"), []
    return _start(state, int(text))


def image_loaded(state, action: SegmentImageLoaded):
    pixels = np.asarray(action.pixels)
    if pixels.ndim != 3 or pixels.shape[2] < 3 or min(pixels.shape[:2]) < 1:
        message = f"the picture could not be read (shape {pixels.shape})"
        return _with(state, message=message, status="error"), []
    image = downsample(pixels[..., :3], MAX_PIXELS)
    state = _with(state, image=image, file_name=str(action.file_name))
    return _start(state, state.segment.k)


def scene_chosen(state, _action):
    return _start(_with(state, image=None, file_name=""), state.segment.k)


def _current(state, generation: int) -> bool:
    return generation == state.segment.generation


def progress(state, action: SegmentProgress):
    if not _current(state, action.generation):
        return state, []
    text = (
        f"EM iteration {action.iteration}: mean log-likelihood "
        f"{action.loglik:.3f} per pixel."
    )
    return _with(state, iteration=int(action.iteration), message=text), []


def finished(state, action: SegmentFinished):
    if not _current(state, action.generation):
        return state, []
    how = "converged" if action.converged else "stopped at the cap"
    text = (
        f"Done: {state.segment.k} colours, {action.iterations} EM iterations "
        f"({how}). Each pixel is painted in its component's mean colour."
    )
    return _with(state, status="done", message=text), []


def failed(state, action: SegmentFailed):
    if not _current(state, action.generation):
        return state, []
    return _with(state, status="error", message=action.text), []


HANDLERS = {
    SegmentRequested: segment_requested,
    SegmentImageLoaded: image_loaded,
    SegmentSceneChosen: scene_chosen,
    SegmentProgress: progress,
    SegmentFinished: finished,
    SegmentFailed: failed,
}
