"""What every build job shares: pinned versions, paths, errors, logging.

The one place that pins the browser runtime (both builds, CDN and vendored,
and the browser tests use these versions) and the browsers the tests drive.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

PYSCRIPT_VERSION = "0.7.31"
PYODIDE_VERSION = "0.28.3"
# the last puppeteer-core whose engines field accepts Debian 12's Node 20
PUPPETEER_CORE_VERSION = "24.43.1"

JSDELIVR = "https://cdn.jsdelivr.net"
ROOT = Path(__file__).resolve().parents[1]
SITE_SRC = ROOT / "site"
DIST_SITE = ROOT / "dist" / "site"
CACHE_DIR = Path(os.environ.get("EMGMM_CACHE", Path.home() / ".cache" / "emgmm"))
NPM_CACHE = CACHE_DIR / "npm"
DEFAULT_WHEELS = CACHE_DIR / "wheels"
NODE_DIR = ROOT / ".cache" / "node"  # git-ignored

# Debian's chromium, which `build.py test` installs; the browser tests and the
# browser benchmark drive it headless with these flags (no background traffic:
# this machine's network is closed)
CHROMIUM = Path(os.environ.get("EMGMM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Firefox ESR and WebKitGTK (Safari's engine), from Debian like chromium. Firefox
# is driven over WebDriver BiDi by npm puppeteer-core (installed into NODE_DIR,
# never downloading a browser), WebKit by selenium through WebKitWebDriver and
# MiniBrowser on an Xvfb display (its --headless mode hangs).
FIREFOX = Path(os.environ.get("EMGMM_FIREFOX", "/usr/bin/firefox-esr"))
WEBKIT_DRIVER = Path(os.environ.get("EMGMM_WEBKIT_DRIVER", "/usr/bin/WebKitWebDriver"))
MINIBROWSER = Path(
    os.environ.get(
        "EMGMM_MINIBROWSER", "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
    )
)
XVFB = Path("/usr/bin/Xvfb")


class BuildError(Exception):
    """A build step failed; the message says what and how to fix it."""


def log(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    log("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run(cmd, check=False, **kwargs)


def pyscript_cdn_base(version: str = PYSCRIPT_VERSION) -> str:
    return f"{JSDELIVR}/npm/@pyscript/core@{version}/dist/"


def pyodide_cdn_base(version: str = PYODIDE_VERSION) -> str:
    return f"{JSDELIVR}/pyodide/v{version}/full/"
