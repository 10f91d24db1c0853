"""The mixture density behind the data chart's points (a display option).

``#cluster-canvas`` then carries ``data-density="on"`` and
``data-density-computed`` (how many density images were computed: the image
is recomputed only when the drawn parameters or the canvas size change, not
on every frame while paused).
"""

from __future__ import annotations

from simapp.charts import density, explore
from simapp.run.timeline import Params

from .. import dom

DENSITY_RGB = (40, 70, 120)  # background shading of the mixture density


class DensityLayer:
    """The shaded density image, cached per parameters and canvas size."""

    def __init__(self, np) -> None:
        self.np = np
        self.pixels = dom.Pixels(np)
        self.key = None
        self.computed = 0
        self._scratch = None

    def params_of(self, source):
        """The drawn mixture's parameters (None: nothing to shade)."""
        if source is None:
            return None
        if isinstance(source, explore.Drawable):
            params = source.params
        elif source.get("weights") is None or source.get("covariances") is None:
            return None
        else:
            params = (source["weights"], source["means"], source["covariances"])
        if params is None or isinstance(params, Params):
            return params
        return Params(*(self.np.asarray(p) for p in params))

    def put(self, c, view, params, image) -> None:
        """Draw the density on canvas ``c``, then the points ``image`` over it."""
        key = (explore.params_key(params), c.width, c.height)
        if self.key != key:
            grid = density.density_grid(
                params.weights,
                params.means,
                params.covariances,
                density.canvas_bounds(view),
                c.width,
                c.height,
                step_px=max(2, round(4 * c.dpr)),
            )
            buf = self.pixels.for_size(c.width, c.height)
            density.density_image(grid, c.width, c.height, DENSITY_RGB, out=buf)
            self.pixels.publish()
            self.key = key
            self.computed += 1
        c.ctx.putImageData(self.pixels.image, 0, 0)
        scratch = self._scratch
        if scratch is None:
            scratch = self._scratch = dom.offscreen_canvas()
        if int(scratch.width) != c.width or int(scratch.height) != c.height:
            scratch.width, scratch.height = c.width, c.height
        scratch.getContext("2d").putImageData(image, 0, 0)
        c.ctx.drawImage(scratch, 0, 0)
        c.dataset.density = "on"
        c.dataset.densityComputed = str(self.computed)
