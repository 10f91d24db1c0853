"""The colour-segmentation section's browser side.

``bindings``
    :class:`~app.segmentation.bindings.SegmentBindings`: the section's events
    (image choice, K, Segment, Cancel), each mapped to one action of
    :mod:`simapp.segmentation.state`, through the page's guarded listeners.
``segmenter``
    :class:`~app.segmentation.segmenter.Segmenter`: reads the image's pixels,
    runs the fit one EM iteration per animation frame
    (:class:`simapp.segmentation.fit.SegmentFit`) and paints both pictures.

May import the browser (``js``, as all of ``app``), of ``app`` only
:mod:`app.dom` and :mod:`app.frames`, and of the pure package only
``simapp.segmentation`` and ``simapp.text``
(``tests/site/test_rules.py`` checks it).
"""

from .bindings import SegmentBindings
from .segmenter import Segmenter

__all__ = ["SegmentBindings", "Segmenter"]
