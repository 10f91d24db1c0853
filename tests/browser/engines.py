"""Firefox ESR and WebKitGTK sessions with one small interface.

Both engines come from Debian and nothing downloads a browser:

* Firefox: ``firefox_bridge.mjs`` drives ``/usr/bin/firefox-esr`` over WebDriver
  BiDi with npm ``puppeteer-core`` from ``.cache/node`` (``build.py test``
  installs it), one JSON line per request.
* WebKitGTK (Safari's engine): selenium's ``webdriver.WebKitGTK`` through
  ``WebKitWebDriver`` and ``MiniBrowser --automation`` on a private Xvfb
  display started here (MiniBrowser's ``--headless`` hangs).

A session offers ``goto(url)``, ``js(body, arg)`` (``body`` is the body of
``function (arg) {...}`` run in the page; its return value comes back as JSON),
``errors()`` and ``close()``. Interactions go through DOM events dispatched in
the page (:data:`SET_VALUE`, :data:`CLICK`), the same in every engine.
:func:`open_session` returns None with the reason when an engine is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from browser_support import build

BRIDGE = Path(__file__).resolve().parent / "firefox_bridge.mjs"
VIEWPORT = (1280, 900)

# Errors the page reports: console.error, uncaught errors and rejections.
# Installed by WebKit sessions after each navigation (selenium's WebKitGTK
# driver has no log API); Firefox's bridge listens to the browser's events.
COLLECT_ERRORS = """
if (!window.__engineErrors) {
  window.__engineErrors = [];
  const push = (text) => window.__engineErrors.push(String(text));
  const original = console.error.bind(console);
  console.error = (...args) => {
    push("console.error: " + args.join(" "));
    original(...args);
  };
  window.addEventListener("error", (e) => push("pageerror: " + (e.message || e.error)));
  window.addEventListener("unhandledrejection", (e) => push("rejection: " + e.reason));
}
"""
# Counts every change of body[data-status] to "done", so a test can wait for
# the next finished run even when it finishes between two polls.
COUNT_DONE = """
if (window.__doneCount === undefined) {
  window.__doneCount = document.body.dataset.status === "done" ? 1 : 0;
  new MutationObserver(() => {
    if (document.body.dataset.status === "done") window.__doneCount += 1;
  }).observe(document.body, {attributes: true, attributeFilter: ["data-status"]});
}
return window.__doneCount;
"""
SET_VALUE = """
const el = document.getElementById(arg.id);
el.value = arg.value;
el.dispatchEvent(new Event("input", {bubbles: true}));
if (arg.change !== false) el.dispatchEvent(new Event("change", {bubbles: true}));
return el.value;
"""
CLICK = "document.getElementById(arg).click(); return true;"


# The tests run as root inside containers that may forbid the user namespaces
# the engines' content sandboxes need (Chromium runs with --no-sandbox there
# too); a sandbox that cannot start would otherwise hang the launch or kill
# the page's process mid-test.
NO_SANDBOX_ENV = {
    "WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS": "1",
    "MOZ_DISABLE_CONTENT_SANDBOX": "1",
    "MOZ_DISABLE_GMP_SANDBOX": "1",
    "MOZ_DISABLE_RDD_SANDBOX": "1",
    "MOZ_DISABLE_SOCKET_PROCESS_SANDBOX": "1",
    "MOZ_DISABLE_UTILITY_SANDBOX": "1",
}
REPLY_MARK = "@bridge "  # firefox_bridge.mjs prefixes its replies with it
LAUNCH_ATTEMPTS = 2


class EngineError(AssertionError):
    pass


class FirefoxSession:
    name = "firefox"

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [
                "node",
                str(BRIDGE),
                str(build.NODE_DIR / "node_modules"),
                str(build.FIREFOX),
                *map(str, VIEWPORT),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **NO_SANDBOX_ENV, "PUPPETEER_SKIP_DOWNLOAD": "1"},
        )
        try:
            hello = self._read()
        except Exception:
            self.proc.kill()
            self.proc.wait()
            raise
        self.version = hello["version"]

    def _read(self) -> dict:
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EngineError(f"the Firefox bridge exited ({self.proc.poll()})")
            if line.startswith(REPLY_MARK):
                break
            # Firefox's own output: kept in the captured stderr of a failure
            sys.stderr.write("[firefox] " + line)
        reply = json.loads(line[len(REPLY_MARK) :])
        if not reply.get("ok"):
            raise EngineError(reply.get("error"))
        return reply

    def _call(self, **request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._read().get("value")

    def goto(self, url: str) -> None:
        self._call(op="goto", url=url)

    def js(self, body: str, arg=None):
        return self._call(op="js", body=body, arg=arg)

    def errors(self) -> list[str]:
        return list(self._call(op="errors"))

    def close(self) -> None:
        try:
            self._call(op="close")
            self.proc.wait(timeout=30)
        except Exception:
            self.proc.kill()
            self.proc.wait()


class WebKitSession:
    name = "webkit"

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        self.xvfb, display = start_xvfb()
        # WebKitWebDriver's and MiniBrowser's output, for log_tail()
        fd, log = tempfile.mkstemp(prefix="webkit-", suffix=".log")
        os.close(fd)
        self.log = Path(log)
        try:
            options = Options()
            options.binary_location = str(build.MINIBROWSER)
            options.add_argument("--automation")
            service = Service(
                str(build.WEBKIT_DRIVER),
                log_output=str(self.log),
                env={**os.environ, **NO_SANDBOX_ENV, "DISPLAY": display},
            )
            self.driver = webdriver.WebKitGTK(options=options, service=service)
        except Exception:
            self.xvfb.kill()
            self.xvfb.wait()
            sys.stderr.write(self.log_tail())
            raise
        self.driver.set_window_size(*VIEWPORT)
        self.driver.set_script_timeout(120)
        version = self.driver.capabilities.get("browserVersion")
        self.version = f"WebKitGTK {version}"

    def goto(self, url: str) -> None:
        self.driver.get(url)
        self.driver.execute_script(COLLECT_ERRORS)

    def js(self, body: str, arg=None):
        script = f"return (function (arg) {{{body}}})(arguments[0]);"
        return self.driver.execute_script(script, arg)

    def errors(self) -> list[str]:
        return list(self.js("return window.__engineErrors || [];"))

    def log_tail(self, lines: int = 60) -> str:
        """The last ``lines`` lines WebKitWebDriver and MiniBrowser printed."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError as exc:
            return f"[webkit] no log: {exc}\n"
        tail = text.splitlines()[-lines:]
        return "".join(f"[webkit] {line}\n" for line in tail)

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            self.xvfb.terminate()
            self.xvfb.wait(timeout=10)
            self.log.unlink(missing_ok=True)


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """A private Xvfb server on a free display; returns it and ``:N``."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [str(build.XVFB), "-displayfd", str(write_fd), "-screen", "0", "1600x1200x24"]
        + ["-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        raise EngineError("Xvfb did not report a display")
    return proc, f":{number}"


def missing(engine: str) -> str | None:
    """Why ``engine`` cannot run here, or None."""
    if engine == "firefox":
        needs = [build.FIREFOX, build.NODE_DIR / "node_modules" / "puppeteer-core"]
        if shutil.which("node") is None:
            return "node not found (Debian nodejs)"
    else:
        needs = [build.WEBKIT_DRIVER, build.MINIBROWSER, build.XVFB]
        try:
            import selenium  # noqa: F401
        except ImportError:
            return "pip selenium missing (pip install -e .[test])"
    absent = [str(p) for p in needs if not p.exists()]
    if absent:
        return f"{', '.join(absent)} not found: `python3 build.py test` installs them"
    return None


def open_session(engine: str):
    """A fresh session of ``engine`` ("firefox" or "webkit").

    A launch that fails is tried once more from scratch: the first start of a
    browser on a fresh machine builds its caches and may time out. The first
    failure is printed, so a retried launch stays visible in the output.
    """
    kind = FirefoxSession if engine == "firefox" else WebKitSession
    for attempt in range(1, LAUNCH_ATTEMPTS + 1):
        try:
            return kind()
        except Exception as exc:
            if attempt == LAUNCH_ATTEMPTS:
                raise
            print(f"\n[browser] {engine} launch {attempt} failed, retrying: {exc!r}")


def wait_for(session, body: str, arg=None, *, timeout_s: float = 120.0, what=""):
    """Poll ``session.js(body, arg)`` until it returns something truthy."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = session.js(body, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            state = session.js(
                "return [document.body.dataset.status,"
                " document.getElementById('message').textContent];"
            )
            raise EngineError(f"{session.name}: timed out waiting for {what}: {state}")
        time.sleep(0.1)


# A mouse drag of the ``arg.index``-th ``arg.selector`` by ``(arg.dx, arg.dy)``
# CSS px in ``arg.steps`` moves: pointerdown, pointermove..., pointerup, all
# dispatched on the element from its centre, as a mouse's would be. Firefox
# refuses to capture a pointer it has not seen (setPointerCapture throws
# NotFoundError "Invalid pointer id" for every id of a dispatched event);
# there the refused capture is skipped: the events go to the element itself,
# where the capture would have sent them.
DRAG = """
const el = document.querySelectorAll(arg.selector)[arg.index];
const r = el.getBoundingClientRect();
const x = r.left + r.width / 2, y = r.top + r.height / 2;
const capture = Element.prototype.setPointerCapture;
let refused = false;
el.setPointerCapture = function (id) {
  try { capture.call(this, id); } catch (e) {
    if (e.name !== "NotFoundError") throw e;
    refused = true;
  }
};
const at = (type, f, buttons) => el.dispatchEvent(new PointerEvent(type, {
  bubbles: true, cancelable: true, composed: true, pointerId: 1,
  pointerType: "mouse", isPrimary: true, button: type === "pointermove" ? -1 : 0,
  buttons, clientX: x + f * arg.dx, clientY: y + f * arg.dy}));
try {
  at("pointerdown", 0, 1);
  for (let i = 1; i <= arg.steps; i++) at("pointermove", i / arg.steps, 1);
  at("pointerup", 1, 0);
} finally {
  delete el.setPointerCapture;
}
return {x, y, refused};
"""
# ``arg.times`` keydowns of ``arg.key`` on the focused ``arg.index``-th
# ``arg.selector`` (focus() first), as pressing the key would dispatch them.
PRESS = """
const el = document.querySelectorAll(arg.selector)[arg.index];
el.focus();
for (let i = 0; i < arg.times; i++) {
  el.dispatchEvent(new KeyboardEvent("keydown", {
    key: arg.key, code: arg.key, bubbles: true, cancelable: true}));
}
return document.activeElement === el;
"""

# The page opens the worksheet with window.open(URL.createObjectURL(blob)):
# record the URL, answer as an open tab would, and keep the Blob's text in
# window.__sheet (read with Blob.text(): fetching a blob: URL breaks the
# page's CSP connect-src 'self' in Firefox); then click the button.
CAPTURE_WORKSHEET = """
window.__sheet = null;
const create = URL.createObjectURL;
URL.createObjectURL = (blob) => {
  window.__sheetBlob = blob;
  return create.call(URL, blob);
};
window.open = (url) => {
  URL.createObjectURL = create;
  window.__sheetUrl = String(url);
  window.__sheetBlob.text().then((t) => { window.__sheet = t; });
  return {};
};
document.getElementById("export-worksheet").click();
return true;
"""
# What the captured worksheet holds: its URL, the counts of questions,
# answers, answer lines and embedded PNG charts, and the key's numbers.
READ_WORKSHEET = """
const d = new DOMParser().parseFromString(window.__sheet, "text/html");
const key = (name) => {
  const el = d.querySelector('.key [data-key="' + name + '"]');
  return el ? el.dataset.value : null;
};
return {
  url: window.__sheetUrl,
  questions: d.querySelectorAll("li.question").length,
  answers: d.querySelectorAll("li.answer").length,
  lines: d.querySelectorAll("li.question .line").length,
  images: d.querySelectorAll('figure img[src^="data:image/png;base64,"]').length,
  iterations: key("iterations"),
  bic: key("bic"),
};
"""
