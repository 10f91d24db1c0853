"""The setting controls and display options, shown from the state.

Values are written into the controls when settings are applied (a committed,
clamped or linked value), never while the user drags a slider; each slider's
``<output>`` mirrors the value shown; the theory section's
``.live[data-live]`` numbers follow the settings. A disabled button says why
(:func:`why_disabled`): in its ``title`` (on hover) and in the element its
``aria-describedby`` names; an enabled one carries neither.
"""

from __future__ import annotations

from simapp.lessons import theory
from simapp.state import settings as S
from simapp.state import values
from simapp.text import data_chart, gallery, messages

from .. import dom
from ..controls_ids import CONTROL_IDS

#: control id per setting (URL / emcore keyword name -> element id)
CONTROLS = CONTROL_IDS
RANGES = ("k", "n", "overlap", "iters")
#: display option field -> (element id, property holding it, event changing it);
#: the bindings read and the view writes each option through this one table
VIEW_CONTROLS = {
    "uncertainty": ("show-uncertainty", "checked", "change"),
    "density": ("show-density", "checked", "change"),
    "centres": ("show-centres", "checked", "change"),
    "skip_animation": ("skip-animation", "checked", "change"),
    "ic_criterion": ("ic-criterion", "value", "change"),
    "ic_higher": ("ic-higher", "checked", "change"),
    "speed": ("tl-speed", "value", "input"),
    "paused": ("start-paused", "checked", "change"),
    "anomaly": ("anomaly", "value", "change"),
}


#: the buttons that say why they are disabled -> the element saying it
EXPLAINED = {
    "simulate": "why-simulate",
    "tl-back": "why-timeline",
    "tl-play": "why-timeline",
    "tl-step": "why-timeline",
    "tl-final": "why-final",
    **{
        element_id: "why-exports"
        for element_id in (
            "png-cluster",
            "png-loglik",
            "png-ic",
            "export-json",
            "export-snippet",
            "export-csv",
            "export-notebook",
            "export-video",
            "export-worksheet",
        )
    },
}


def why_disabled(state) -> dict[str, str]:
    """Why each of the :data:`EXPLAINED` buttons is disabled in ``state``
    (``""``: it is enabled). The same rules as the views that disable them:
    Simulate while loading, the playback before a run is recorded, Final fit
    until a result shows elsewhere, the downloads until a run is finished."""
    tl = state.timeline
    playback = "" if tl.positions else messages.WHY_NO_RUN
    if not tl.has_result:
        final = messages.WHY_NOT_FINISHED
    else:
        final = messages.WHY_FINAL_SHOWN if tl.mode == "live" else ""
    done = not state.running and tl.has_result
    reasons = {
        "simulate": messages.WHY_LOADING if state.status == "loading" else "",
        "tl-back": playback,
        "tl-play": playback,
        "tl-step": playback,
        "tl-final": final,
    }
    for element_id, why in EXPLAINED.items():
        if why == "why-exports":
            reasons[element_id] = "" if done else messages.WHY_NO_RESULT
    return reasons


def control_text(settings, name: str) -> str:
    """The text a control shows for setting ``name``."""
    value = getattr(settings, name)
    if name == "tol":
        return S.tol_label(value)
    if name == "temp":
        return S.temp_label(value)
    if name == "conc":
        return values.conc_label(value)
    if name == "anneal":
        return "1" if value else "0"
    return str(value)


class ControlsView:
    """Setting controls, their outputs, the display options and live numbers."""

    def __init__(self) -> None:
        self.controls = {name: dom.el(i) for name, i in CONTROLS.items()}
        self.outputs = {name: dom.el(f"{name}-value") for name in RANGES}
        self.live = dom.web.page.find(".live[data-live]")
        self._reasons: dict[str, str] = {}

    def configure(self) -> None:
        """Limits and choices of the controls come from emcore (via simapp)."""
        for name, el in self.controls.items():
            if name in S.INT_LIMITS:
                low, high = S.INT_LIMITS[name]
                el.min, el.max = str(low), str(high)
        init = self.controls["init"]
        if len(init.options) != len(S.INIT_CHOICES):
            dom.fill_options(
                init, [(c, gallery.INIT_DESCRIPTIONS[c]) for c in S.INIT_CHOICES]
            )
        dims = self.controls["dims"]
        if len(dims.options) != len(values.DIMS_CHOICES):
            pairs = [(d, data_chart.DIMS_DESCRIPTIONS[d]) for d in values.DIMS_CHOICES]
            dom.fill_options(dims, pairs)
        tol = self.controls["tol"]
        if len(tol.options) != len(S.TOL_CHOICES):
            labels = [S.tol_label(choice) for choice in S.TOL_CHOICES]
            dom.fill_options(tol, [(label, label) for label in labels])

    def render(self, old, new) -> None:
        first = old.status == "loading"
        # a new Settings object is a commit (even of equal values: a clamped
        # or garbled entry must be shown as the value applied)
        if old.settings is not new.settings or first:
            self.show_settings(new.settings)
        if old.shown != new.shown or first:
            self.show_outputs(new.shown)
            self.show_live(new.shown)
        if old.display is not new.display or first:
            for name, (element_id, prop, _event) in VIEW_CONTROLS.items():
                value = getattr(new.display, name)
                shown = str(value) if prop == "value" else bool(value)
                setattr(dom.el(element_id), prop, shown)
            self.show_display(new.display)
        compare = new.settings.compare
        if old.settings.compare != compare or first:
            dom.el("compare").checked = compare
            dom.el("compare-extra").hidden = not compare
        self.explain(why_disabled(new))

    @staticmethod
    def show_display(display) -> None:
        """Presenter mode and the theme: classes on ``<html>`` (the style
        sheet does the rest) and the header buttons' pressed states. No
        theme class for ``auto``: the style sheet follows the system."""
        root = dom.document.documentElement.classList
        root.toggle("present", display.present)
        root.toggle("theme-dark", display.theme == "dark")
        root.toggle("theme-light", display.theme == "light")
        for element_id, on in (
            ("present-toggle", display.present),
            ("theme-toggle", display.dark),
        ):
            dom.el(element_id).setAttribute("aria-pressed", "true" if on else "false")

    def explain(self, reasons: dict[str, str]) -> None:
        """Say why each disabled button is disabled; write only what changed
        (this runs every frame of a run, and WebKit repaints every write)."""
        old, self._reasons = self._reasons, reasons
        if reasons == old:
            return
        said: dict[str, str] = {}
        for element_id, why in reasons.items():
            target = EXPLAINED[element_id]
            said[target] = said.get(target) or why
            if old.get(element_id) == why:
                continue
            button = dom.el(element_id)
            if why:
                button.setAttribute("title", why)
                button.setAttribute("aria-describedby", target)
            else:
                button.removeAttribute("title")
                button.removeAttribute("aria-describedby")
        for target, why in said.items():
            box = dom.el(target)
            dom.set_text(box, why)
            if target == "why-exports":  # the one on show
                box.hidden = not why

    def show_settings(self, s) -> None:
        """Show settings ``s`` in the controls (exactly, even off a slider step)."""
        for name, el in self.controls.items():
            text = control_text(s, name)
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
        values = theory.live_values(
            s.k, s.n, s.cov, temp=s.temp, conc=s.conc, iters=s.iters
        )
        for el in self.live:
            key = str(el.dataset.live)
            if key in values:
                el.textContent = str(values[key])
