"""The setting controls and view options, shown from the state.

Values are written into the controls only when the state's differ from what
they show (a committed, clamped or linked value), never while the user drags
a slider; each slider's ``<output>`` mirrors the value shown; the theory
section's ``.live[data-live]`` numbers follow the settings.
"""

from __future__ import annotations

from simapp import settings as S
from simapp import theory

from .. import dom

#: control id per setting (URL / emcore keyword name -> element id)
CONTROLS = {
    "k": "k",
    "n": "n",
    "overlap": "overlap",
    "cov": "cov",
    "iters": "iters",
    "tol": "tol",
    "seed": "seed",
    "n_init": "n-init",
    "k_true": "k-true",
}
RANGES = ("k", "n", "overlap", "iters")
#: view option field -> (element id, property the element shows it in)
VIEW_CONTROLS = {
    "uncertainty": ("show-uncertainty", "checked"),
    "density": ("show-density", "checked"),
    "skip_animation": ("skip-animation", "checked"),
    "ic_criterion": ("ic-criterion", "value"),
    "ic_higher": ("ic-higher", "checked"),
    "speed": ("tl-speed", "value"),
}


def control_text(settings, name: str) -> str:
    """The text a control shows for setting ``name``."""
    value = getattr(settings, name)
    if name == "tol":
        return S.tol_label(value)
    if name == "k_true" and value == settings.k:
        return ""  # "same as K"
    return str(value)


class ControlsView:
    """Setting controls, their outputs, the view options and live numbers."""

    def __init__(self) -> None:
        self.controls = {name: dom.el(i) for name, i in CONTROLS.items()}
        self.outputs = {name: dom.el(f"{name}-value") for name in RANGES}
        self.live = dom.web.page.find(".live[data-live]")

    def configure(self) -> None:
        """Limits and choices of the controls come from emcore (via simapp)."""
        for name, el in self.controls.items():
            if name in S.INT_LIMITS:
                low, high = S.INT_LIMITS[name]
                el.min, el.max = str(low), str(high)
        tol = self.controls["tol"]
        if len(tol.options) != len(S.TOL_CHOICES):
            labels = [S.tol_label(choice) for choice in S.TOL_CHOICES]
            dom.fill_options(tol, [(label, label) for label in labels])

    def render(self, old, new) -> None:
        if old.settings != new.settings or old.status == "loading":
            self.show_settings(new.settings)
        if old.shown != new.shown or old.status == "loading":
            self.show_outputs(new.shown)
            self.show_live(new.shown)
        if old.view != new.view or old.status == "loading":
            for name, (element_id, prop) in VIEW_CONTROLS.items():
                value = getattr(new.view, name)
                el = dom.el(element_id)
                shown = str(value) if prop == "value" else bool(value)
                if getattr(el, prop) != shown:
                    setattr(el, prop, shown)
        compare = new.settings.compare
        if old.settings.compare != compare or old.status == "loading":
            dom.el("compare").checked = compare
            dom.el("compare-extra").hidden = not compare

    def show_settings(self, s) -> None:
        """Show settings ``s`` in the controls (exactly, even off a slider step)."""
        for name, el in self.controls.items():
            text = control_text(s, name)
            if str(el.value) == text:
                continue
            if name in RANGES:
                low = S.INT_LIMITS[name][0]
                step = float(el.step or 1)
                if (getattr(s, name) - low) % step:
                    el.step = "1"  # a link's value off the slider's grid stays
            el.value = text

    def show_outputs(self, s) -> None:
        """Mirror each slider's value into its ``<output>``."""
        for name, out in self.outputs.items():
            suffix = " %" if name == "overlap" else ""
            out.textContent = f"{getattr(s, name)}{suffix}"

    def show_live(self, s) -> None:
        """Fill the theory section's ``.live[data-live]`` spans for ``s``."""
        if not len(self.live):
            return
        values = theory.live_values(s.k, s.n, s.cov)
        for el in self.live:
            key = str(el.dataset.live)
            if key in values:
                el.textContent = str(values[key])
