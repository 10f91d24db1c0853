"""build.py pastes HTML fragments (``<!-- include:NAME.html -->``) into the page."""

from __future__ import annotations

import pytest
from build_support import ROOT, build


def test_site_index_has_the_theory_marker_after_main():
    html = (ROOT / "site" / "index.html").read_text(encoding="utf-8")
    marker = "<!-- include:theory.html -->"
    assert html.count(marker) == 1
    assert html.index("</main>") < html.index(marker) < html.index("<footer")


def test_built_page_contains_the_theory_fragment_in_place_of_the_marker(
    tmp_path, fake_emcore_wheel
):
    out = tmp_path / "site"
    build.build_site(out, wheel=fake_emcore_wheel)
    html = (out / "index.html").read_text(encoding="utf-8")
    fragment = (ROOT / "site" / "theory.html").read_text(encoding="utf-8")
    assert "include:" not in html
    assert fragment.rstrip("\n") in html
    assert html.count('id="theory"') == 1
    assert html.index("</main>") < html.index('id="theory"') < html.index("<footer")
    # the head block is still inserted, and the fragment is not a page of its own
    assert build.HEAD_MARKER not in html and "Content-Security-Policy" in html
    assert not (out / "theory.html").exists()
    assert "𝒩" in html  # non-ASCII survives as UTF-8


def test_expand_includes_replaces_each_marker_once_per_pass(tmp_path):
    (tmp_path / "a.html").write_text("<p>A <!-- include:b.html --></p>\n")
    (tmp_path / "b.html").write_text("<p>B</p>")
    html, names = build.expand_includes(
        "x<!-- include:a.html -->y<!--include: a.html-->z", tmp_path
    )
    assert html == "x<p>A <!-- include:b.html --></p>y<p>A <!-- include:b.html --></p>z"
    assert names == ["a.html"]


def test_missing_include_is_a_clear_error(tmp_path):
    with pytest.raises(build.BuildError, match="nope.html"):
        build.expand_includes("<!-- include:nope.html -->", tmp_path)


@pytest.mark.parametrize(
    "marker",
    [
        "<!-- include:../secret.html -->",
        "<!-- include:/etc/passwd -->",
        "<!-- include:sub/x.html -->",
        "<!-- include:main.py -->",
    ],
)
def test_markers_cannot_reach_outside_the_site_or_non_html(tmp_path, marker):
    (tmp_path / "main.py").write_text("print('not html')")
    html, names = build.expand_includes(marker, tmp_path)
    assert html == marker and names == []
