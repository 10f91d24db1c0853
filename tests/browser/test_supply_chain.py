"""Offline and supply-chain guarantees of the built site (issue 4).

Complements ``test_page_boot.py`` / ``tests/build/`` (which check that
the vendored page boots offline, that the CDN build's ``core.js``/``core.css``
and import map carry SRI, and that the CDN build boots through its hashes):

* the vendored build requests nothing outside its origin, neither while it
  loads nor during a run, seen from the browser context (page and workers) and
  from the page's own Resource Timing entries; no service worker;
* every URL the CDN build names is pinned to an exact version, and every
  element that loads code or styles from the CDN carries ``integrity`` and
  ``crossorigin``;
* the Content-Security-Policy meta tag of both builds comes first in
  ``<head>``, allows only what the page needs (no wildcard, no bare scheme,
  no ``data:`` for scripts, ``object-src 'none'``, ``base-uri``, only the
  pinned CDN besides ``'self'``) and is enforced: an injected inline script
  and a script from another origin do not run;
* user-controlled text (URL parameters, the notes about them) never becomes
  HTML: payloads in every parameter create no element, fire no handler and
  request nothing.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from browser_support import build

pytestmark = pytest.mark.browser

VERSION_RE = re.compile(r"@\d+\.\d+\.\d+(/|$)|/v\d+\.\d+\.\d+/")
CSP_KEYWORDS = {
    "'self'",
    "'none'",
    "'unsafe-eval'",  # PyScript 0.7 compiles its hooks with Function()
    "'wasm-unsafe-eval'",  # Pyodide compiles its WebAssembly
    "'unsafe-inline'",  # style-src only (PyScript sets inline styles)
}
INLINE_SCRIPT_JS = """() => new Promise((resolve) => {
  const seen = [];
  document.addEventListener("securitypolicyviolation",
    (e) => seen.push(e.violatedDirective), {once: false});
  const s = document.createElement("script");
  s.textContent = "document.body.dataset.injected = 'inline';";
  document.head.appendChild(s);
  const t = document.createElement("script");
  t.src = "https://example.invalid/evil.js";
  t.onerror = () => seen.push("error-event");
  document.head.appendChild(t);
  setTimeout(() => resolve({
    injected: document.body.dataset.injected || "",
    violations: seen,
  }), 300);
})"""


# --------------------------------------------------------------------------- helpers
class _Tags(HTMLParser):
    """Start tags of a document, in order, with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _csp(html: str) -> dict[str, list[str]]:
    metas = [
        a
        for t, a in _tags(html)
        if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"
    ]
    assert len(metas) == 1, "exactly one CSP meta tag"
    policy: dict[str, list[str]] = {}
    for part in metas[0]["content"].split(";"):
        words = part.split()
        if words:
            assert words[0] not in policy, f"directive {words[0]} given twice"
            policy[words[0]] = words[1:]
    return policy


def _check_csp(html: str, allowed_origins: set[str]) -> dict[str, list[str]]:
    policy = _csp(html)
    for directive in ("default-src", "script-src", "object-src", "base-uri"):
        assert directive in policy, f"CSP lacks {directive}"
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] in (["'self'"], ["'none'"])
    for directive, sources in policy.items():
        for source in sources:
            assert "*" not in source, f"{directive}: wildcard {source}"
            assert source not in ("http:", "https:", "ws:", "wss:"), (
                f"{directive}: bare scheme {source}"
            )
            assert not source.startswith("http://"), f"{directive}: {source}"
            if source.startswith("'sha"):
                continue
            if source.startswith("https://"):
                origin = "{0.scheme}://{0.netloc}".format(urlsplit(source))
                assert origin in allowed_origins, f"{directive}: {source}"
                continue
            if source in ("data:", "blob:"):
                assert directive in ("img-src", "worker-src"), (
                    f"{directive} allows {source}"
                )
                continue
            assert source in CSP_KEYWORDS, f"{directive}: unexpected {source}"
            if source == "'unsafe-inline'":
                assert directive == "style-src", f"{directive} allows inline code"
    script_hosts = {s for s in policy["script-src"] if s.startswith("https://")}
    assert script_hosts <= allowed_origins
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "data:" not in policy["script-src"] and "blob:" not in policy["script-src"]
    return policy


def _csp_first_in_head(html: str) -> None:
    """A CSP meta tag only governs what comes after it."""
    tags = _tags(html)
    names = [t for t, _ in tags]
    head_end = names.index("body")
    for tag, attrs in tags[:head_end]:
        if tag == "meta" and attrs.get("http-equiv", "").lower() == (
            "content-security-policy"
        ):
            return
        if tag == "link" and attrs.get("rel") == "icon":
            assert attrs.get("href", "").startswith("data:"), attrs
            continue
        assert tag not in ("script", "link", "style", "base"), (
            f"<{tag} {attrs}> comes before the CSP meta tag"
        )
    raise AssertionError("no CSP meta tag in <head>")


def _external_urls(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>)]+", text)


@pytest.fixture(scope="module")
def vendor_site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


@pytest.fixture(scope="module")
def cdn_site(site_factory):
    return site_factory("cdn")


# --------------------------------------------------------------------------- offline
def test_vendored_build_requests_nothing_outside_its_origin(vendor_site, browser):
    """Every request of the page and its workers, during load and a run."""
    site = vendor_site
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site.url))
    context = browser.new_context()
    requests: list[tuple[str, str]] = []  # (phase, url)
    phase = ["load"]
    errors: list[str] = []
    try:
        context.on("request", lambda req: requests.append((phase[0], req.url)))

        def guard(route):  # as on a machine without network
            if route.request.url.startswith(origin + "/"):
                route.continue_()
            else:
                route.abort("internetdisconnected")

        context.route("**/*", guard)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(site.url + "?k=3&n=300&seed=4&n_init=2", wait_until="load")
        _wait(page, "ready")
        phase[0] = "run"
        page.locator("#simulate").click()
        _wait(page, "done")
        entries = page.evaluate(
            "performance.getEntriesByType('resource').map(e => e.name)"
        )
        workers = page.evaluate(
            """async () => navigator.serviceWorker
              ? (await navigator.serviceWorker.getRegistrations()).map((r) =>
                  [r.scope, (r.active || r.installing || r.waiting || {}).scriptURL])
              : []"""
        )
    finally:
        context.close()

    def foreign(url: str) -> bool:
        scheme = urlsplit(url).scheme
        return scheme not in ("data", "blob") and not url.startswith(origin + "/")

    load = [u for p, u in requests if p == "load"]
    assert any(u.endswith("pyodide.asm.wasm") for u in load), "load not recorded"
    assert any("/vendor/pyodide/numpy-" in u for u in load)
    assert [u for _, u in requests if foreign(u)] == []
    assert [u for u in entries if foreign(u)] == []
    # the vendored build's own offline copy (sw.js) is the only service worker
    for scope, script in workers:
        assert scope.startswith(origin + "/") and script == f"{origin}/sw.js", (
            scope,
            script,
        )
    assert errors == []
    print(
        f"\n[supply] {len(load)} requests while loading, "
        f"{sum(p == 'run' for p, _ in requests)} during a run, all on {origin}"
    )


def test_vendored_build_files_name_no_other_origin(vendor_site):
    """Nothing the page itself ships points at another origin."""
    root = vendor_site.root
    names = ["index.html", "pyscript.json", "build-info.json", "boot.js"]
    if (root / "sw.js").exists():
        names.append("sw.js")
        files = re.search(
            r"const FILES = (\[.*?\]);", (root / "sw.js").read_text(), re.S
        )
        precache = json.loads(files.group(1))
        assert precache and all(
            not re.match(r"([a-z]+:)?//", url, re.I) for url, _ in precache
        ), precache
    for name in names:
        text = (root / name).read_text(encoding="utf-8")
        if name == "index.html":
            # links for readers (theory references) are not loads
            loads = [
                a.get("src") or a.get("href") or ""
                for t, a in _tags(text)
                if t in ("script", "link", "img", "iframe", "source", "embed")
            ]
            assert [u for u in loads if re.match(r"(https?:)?//", u)] == [], name
            policy = _csp(text)
            assert not [s for v in policy.values() for s in v if "://" in s]
        else:
            assert _external_urls(text) == [], name
    config = json.loads((root / "pyscript.json").read_text())
    assert config["interpreter"].startswith("./vendor/")
    lock = json.loads((root / "vendor" / "pyodide" / "pyodide-lock.json").read_text())
    assert not lock["packages"]["numpy"]["file_name"].startswith(("http:", "https:"))


# --------------------------------------------------------------------------- CDN pins
def test_cdn_build_pins_every_url_and_puts_sri_on_every_cdn_element(cdn_site):
    root = cdn_site.root
    html = (root / "index.html").read_text(encoding="utf-8")
    config = json.loads((root / "pyscript.json").read_text())
    cdn_loads = []
    for tag, attrs in _tags(html):
        url = attrs.get("src") if tag == "script" else None
        if tag == "link" and attrs.get("rel") in ("stylesheet", "modulepreload"):
            url = attrs.get("href")
        if url and url.startswith(("https://", "http://", "//")):
            cdn_loads.append(url)
            assert url.startswith(build.JSDELIVR + "/"), url
            assert attrs.get("integrity", "").startswith("sha384-"), (tag, attrs)
            assert attrs.get("crossorigin") == "anonymous", (tag, attrs)
    assert len(cdn_loads) == 2, cdn_loads  # core.js and core.css
    importmap = re.search(r'<script type="importmap">(.*?)</script>', html, re.S)
    integrity = json.loads(importmap.group(1))["integrity"]
    urls = [*cdn_loads, *integrity, config["interpreter"], *_external_urls(html)]
    for url in urls:
        if not url.startswith(build.JSDELIVR) or urlsplit(url).path in ("", "/"):
            continue  # reading links, and the CSP's origin-only sources
        assert VERSION_RE.search(url), f"not pinned to an exact version: {url}"
        assert "@latest" not in url and "@^" not in url and "@~" not in url
    pins = (
        f"/npm/@pyscript/core@{build.PYSCRIPT_VERSION}/",
        f"/pyodide/v{build.PYODIDE_VERSION}/",
    )
    for url in [*cdn_loads, *integrity, config["interpreter"]]:
        assert any(pin in url for pin in pins), url
    # every module PyScript can import from the CDN is in the integrity table
    dist = build.npm_package("@pyscript/core", build.PYSCRIPT_VERSION) / "dist"
    for module in dist.glob("*.js"):
        if module.name != "core.js":
            assert integrity[build.pyscript_cdn_base() + module.name] == build.sri(
                module
            )
    # numpy and the stdlib come from Pyodide's lock, whose sha256 Pyodide checks
    lock = json.loads(
        (
            build.npm_package("pyodide", build.PYODIDE_VERSION) / "pyodide-lock.json"
        ).read_text()
    )
    assert re.fullmatch(r"[0-9a-f]{64}", lock["packages"]["numpy"]["sha256"])


# --------------------------------------------------------------------------- CSP
@pytest.mark.parametrize("variant", ["vendor", "cdn"])
def test_csp_meta_allows_only_what_the_page_needs(variant, site_factory, request):
    if variant == "vendor":
        request.getfixturevalue("numpy_wheels_dir")
    site = site_factory(variant)
    html = (site.root / "index.html").read_text(encoding="utf-8")
    _csp_first_in_head(html)
    allowed = set() if variant == "vendor" else {build.JSDELIVR}
    policy = _check_csp(html, allowed)
    if variant == "cdn":
        assert build.JSDELIVR in policy["script-src"]
        # the inline import map is allowed by its hash, nothing else inline
        importmap = re.search(r'<script type="importmap">(.*?)</script>', html, re.S)
        hashes = [s for s in policy["script-src"] if s.startswith("'sha")]
        assert hashes == [build.csp_hash(importmap.group(1))]
    else:
        assert not [s for s in policy["script-src"] if s.startswith("'sha")]
    # no inline scripts or event-handler attributes the policy would have to allow
    for tag, attrs in _tags(html):
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag == "script" and attrs.get("type") not in ("importmap", "py"):
            assert attrs.get("src"), f"inline <script {attrs}>"


def test_csp_is_enforced_in_the_browser(vendor_site, open_page):
    run = open_page(vendor_site.url, offline=True)
    run.wait_status("ready")
    failed = {}
    run.page.on("requestfailed", lambda req: failed.update({req.url: req.failure}))
    outcome = run.page.evaluate(INLINE_SCRIPT_JS)
    assert outcome["injected"] == "", "an injected inline script ran"
    assert any(v.startswith("script-src") for v in outcome["violations"]), outcome
    # Playwright reports the attempt; the browser blocked it before the network
    blocked = {u: f for u, f in failed.items() if "example.invalid" in u}
    assert blocked and all(f == "csp" for f in blocked.values()), failed
    assert run.page_errors == []
    # only the two violations provoked here reached the console
    assert all("Content Security Policy" in m for m in run.console_errors), (
        run.console_errors
    )


# --------------------------------------------------------------------------- XSS
PAYLOADS = {
    "cov": "<img src=x onerror=\"document.body.dataset.xss='cov'\">",
    "k": "<svg onload=\"document.body.dataset.xss='k'\">",
    "tol": "<iframe srcdoc=x onload=\"document.body.dataset.xss='tol'\">",
    "seed": "<script>document.body.dataset.xss='seed'</script>",
    "n": '"><img src=y onerror=alert(1)>',
    "run": "<b onmouseover=alert(1)>x</b>",
}
ELEMENTS_JS = "document.querySelectorAll('img, svg, iframe, script, b, object').length"


def test_url_parameters_are_never_inserted_as_html(vendor_site, open_page):
    clean = open_page(vendor_site.url, offline=True)
    clean.wait_status("ready")
    baseline = clean.page.evaluate(ELEMENTS_JS)

    query = "&".join(f"{k}={quote(v)}" for k, v in PAYLOADS.items())
    run = open_page(f"{vendor_site.url}?{query}&n_init=2", offline=True)
    run.wait_status("ready", "done", "error")
    page = run.page
    page.wait_for_timeout(300)  # any onerror/onload would have fired by now
    assert page.evaluate("document.body.dataset.xss || ''") == ""
    assert page.evaluate(ELEMENTS_JS) == baseline
    notes_box = page.locator("#notes")
    assert notes_box.locator("*:not(p, ul, li)").count() == 0
    notes = notes_box.locator("li").all_inner_texts()
    assert len(notes) == len(PAYLOADS), notes
    assert any("<img" in n for n in notes)  # shown as text...
    assert "&lt;img" in notes_box.inner_html()  # ...escaped in the DOM
    # the markup's URLs (src=x, src=y) were never requested
    paths = [urlsplit(u).path for u in run.requests]
    assert "/x" not in paths and "/y" not in paths
    # the page still works: the run flag was garbage, so it waits for Simulate
    assert run.status() == "ready"
    page.locator("#simulate").click()
    run.wait_status("done", timeout_ms=60_000)
    assert page.evaluate("document.body.dataset.xss || ''") == ""
    assert page.evaluate(ELEMENTS_JS) == baseline
    assert run.page_errors == [] and run.console_errors == [], run.console
    assert run.foreign_requests() == []


def _wait(page, status: str, timeout_s: float = 90.0) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if page.evaluate("document.body.dataset.status") == status:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"status never became {status!r}")
