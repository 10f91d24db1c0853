"""The colour-segmentation application: EM on the colours of a picture.

``pixels`` (features, painting, the bundled scene), ``fit`` (one stepped fit)
and ``state`` (the section's state, actions and reducer handlers).

May import ``emcore`` and ``text``.
"""
