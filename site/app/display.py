"""How the page is shown: presenter mode, the theme and the keyboard shortcuts.

The header's Present and Dark buttons, the system's colour scheme (which
``theme=auto`` follows) and the keys a lecturer drives the page with
(listed on the page in presenter mode): S Simulate, the arrows Step and
Back, Space Play / pause, F Final fit, P presenter mode. Like
:mod:`app.bindings`, each handler only dispatches an action.
"""

from __future__ import annotations

from simapp.state import actions as A

from . import dom

__all__ = ["DARK_QUERY", "DisplayBindings", "system_dark"]

#: The system's dark preference, which ``theme=auto`` follows.
DARK_QUERY = "(prefers-color-scheme: dark)"
#: Tags whose own keyboard use of Space wins over play / pause.
SPACE_USERS = ("BUTTON", "SELECT", "TEXTAREA", "A", "SUMMARY", "OPTION")
#: Tags whose own keyboard use wins over the letter and arrow shortcuts.
KEY_USERS = ("INPUT", "SELECT", "TEXTAREA", "OPTION")


def system_dark() -> bool:
    """True when the system asks for dark colours."""
    return bool(dom.window.matchMedia(DARK_QUERY).matches)


class DisplayBindings:
    """The display buttons, the colour-scheme listener and the shortcuts,
    dispatching through ``bindings`` (:class:`app.bindings.Bindings`)."""

    def __init__(self, bindings) -> None:
        self.bindings = bindings
        self.store = bindings.store

    def attach(self) -> None:
        b = self.bindings
        b.dispatch_on(
            "click",
            "present-toggle",
            "switching presenter mode",
            lambda _e: self.present_toggled(),
        )
        b.dispatch_on(
            "click",
            "theme-toggle",
            "switching the theme",
            lambda _e: self.theme_toggled(),
        )
        dom.listen(
            "change",
            dom.window.matchMedia(DARK_QUERY),
            b.guard(
                "following the system's theme",
                lambda e: self.store.dispatch(
                    A.DisplayChanged("system_dark", bool(e.matches))
                ),
            ),
        )
        dom.listen("keydown", dom.document, b.guard("using a shortcut", self.on_key))

    def present_toggled(self) -> A.DisplayChanged:
        return A.DisplayChanged("present", not self.store.state.display.present)

    def theme_toggled(self) -> A.DisplayChanged:
        """The other theme than the one shown (then kept in the link)."""
        dark = self.store.state.display.dark
        return A.DisplayChanged("theme", "light" if dark else "dark")

    def on_key(self, event) -> None:
        if event.ctrlKey or event.altKey or event.metaKey:
            return
        if str(event.key) == " ":
            self.on_space(event)
            return
        target = event.target
        tag = str(getattr(target, "tagName", "") or "").upper()
        if tag in KEY_USERS or bool(getattr(target, "isContentEditable", False)):
            return
        action = self.key_action(str(event.key))
        if action is not None:
            event.preventDefault()
            self.store.dispatch(action)

    def key_action(self, key: str):
        """The action of shortcut ``key`` in the current state, or None."""
        state = self.store.state
        tl = state.timeline
        if key in ("p", "P"):
            return self.present_toggled()
        if key in ("s", "S"):
            if state.status == "loading":
                return None
            return A.ControlsEdited(self.bindings.control_values(), reveal=True)
        if not tl.positions:
            return None
        if key == "ArrowRight":
            return A.Step(1)
        if key == "ArrowLeft":
            return A.Step(-1)
        if key in ("f", "F"):
            return A.ShowFinal() if tl.has_result else None
        return None

    def on_space(self, event) -> None:
        """Space plays/pauses unless a control that uses Space has the focus."""
        target = event.target
        tag = str(getattr(target, "tagName", "") or "").upper()
        if tag in SPACE_USERS:
            return
        if tag == "INPUT" and str(target.id) != "tl-slider":
            return
        if not self.store.state.timeline.positions:
            return
        event.preventDefault()
        self.store.dispatch(A.Play())
