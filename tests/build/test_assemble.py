"""sitebuild.assemble: the page wheel and the packages config, bundled data,
preload hints, SRI, and the HTML fragments (``<!-- include:NAME.html -->``)
pasted into the page."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from build_support import ROOT

from sitebuild.assemble import (
    HEAD_MARKER,
    PICTURE_MARKER,
    PYSCRIPT_START_CHUNKS,
    build_site,
    csp_hash,
    expand_includes,
    inline_main,
    sri,
)
from sitebuild.common import (
    PYODIDE_VERSION,
    PYSCRIPT_VERSION,
    BuildError,
    pyscript_cdn_base,
)
from sitebuild.vendor import npm_package


def test_site_index_has_the_theory_marker_after_main():
    html = (ROOT / "site" / "index.html").read_text(encoding="utf-8")
    marker = "<!-- include:theory.html -->"
    assert html.count(marker) == 1
    assert html.index("</main>") < html.index(marker) < html.index("<footer")


def test_built_page_contains_the_theory_fragment_in_place_of_the_marker(
    tmp_path, fake_emcore_wheel
):
    out = tmp_path / "site"
    build_site(out, wheel=fake_emcore_wheel, picture=False, bytecode=False)
    html = (out / "index.html").read_text(encoding="utf-8")
    fragment = (ROOT / "site" / "theory.html").read_text(encoding="utf-8")
    assert "include:" not in html
    assert fragment.rstrip("\n") in html
    assert html.count('id="theory"') == 1
    assert html.index("</main>") < html.index('id="theory"') < html.index("<footer")
    # the head block is still inserted, and the fragment is not a page of its own
    assert HEAD_MARKER not in html and "Content-Security-Policy" in html
    assert not (out / "theory.html").exists()
    assert "𝒩" in html  # non-ASCII survives as UTF-8


def test_expand_includes_replaces_each_marker_once_per_pass(tmp_path):
    (tmp_path / "a.html").write_text("<p>A <!-- include:b.html --></p>\n")
    (tmp_path / "b.html").write_text("<p>B</p>")
    html, names = expand_includes(
        "x<!-- include:a.html -->y<!--include: a.html-->z", tmp_path
    )
    assert html == "x<p>A <!-- include:b.html --></p>y<p>A <!-- include:b.html --></p>z"
    assert names == ["a.html"]


def test_missing_include_is_a_clear_error(tmp_path):
    with pytest.raises(BuildError, match="nope.html"):
        expand_includes("<!-- include:nope.html -->", tmp_path)


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
    html, names = expand_includes(marker, tmp_path)
    assert html == marker and names == []


def _wheel_members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as whl:
        return {name: whl.read(name) for name in whl.namelist()}


def test_page_wheel_holds_every_module_and_data_file(tmp_path, fake_emcore_wheel):
    site_src = tmp_path / "src"
    (site_src / "simapp" / "sub").mkdir(parents=True)
    (site_src / "simapp" / "data").mkdir()
    (site_src / "app" / "views").mkdir(parents=True)
    (site_src / "app" / "__init__.py").write_text("")
    (site_src / "app" / "views" / "chart.py").write_text('"""Doc."""\nY = 2\n')
    (site_src / "simapp" / "data" / "points.csv").write_text("x,y\n1,2\n")
    (site_src / "simapp" / "data" / "README.txt").write_text("not shipped to Python")
    for name in ("index.html", "theory.html", "main.py", "pyscript.json", "boot.js"):
        (site_src / name).write_bytes((ROOT / "site" / name).read_bytes())
    (site_src / "simapp" / "__init__.py").write_text("")
    (site_src / "simapp" / "draw.py").write_text("X = 1\n")
    (site_src / "simapp" / "sub" / "deep.py").write_text("")
    (site_src / "simapp" / "__pycache__").mkdir()
    (site_src / "simapp" / "__pycache__" / "draw.cpython-313.pyc").write_bytes(b"")
    out = tmp_path / "site"
    info = build_site(
        out, site_src=site_src, wheel=fake_emcore_wheel, picture=False, bytecode=False
    )
    members = _wheel_members(out / info["page_wheel"])
    shipped = {name for name in members if ".dist-info/" not in name}
    assert shipped == {
        "app/__init__.py",
        "app/build-info.json",
        "app/views/chart.py",
        "simapp/__init__.py",
        "simapp/draw.py",
        "simapp/sub/deep.py",
        "simapp/data/points.csv",
    }
    assert members["simapp/data/points.csv"] == b"x,y\n1,2\n"
    assert members["app/views/chart.py"] == b"Y = 2\n"  # docstring stripped
    assert json.loads(members["app/build-info.json"]) == info
    # RECORD lists every other member with its digest
    record_name = next(n for n in members if n.endswith(".dist-info/RECORD"))
    listed = {line.split(",")[0] for line in members[record_name].decode().split()}
    assert listed == set(members)
    # the packages are in the wheel only, main.py in index.html only
    assert not (out / "simapp").exists() and not (out / "app").exists()
    assert not (out / "main.py").exists()
    html = (out / "index.html").read_text()
    assert '<script type="py" config="./pyscript.json">\nimport asyncio' in html
    assert "./main.py" not in html


def test_same_sources_give_the_same_page_wheel(tmp_path, fake_emcore_wheel):
    infos = [
        build_site(
            tmp_path / name, wheel=fake_emcore_wheel, picture=False, bytecode=False
        )
        for name in ("a", "b")
    ]
    a, b = (tmp_path / name / infos[0]["page_wheel"] for name in ("a", "b"))
    assert a.read_bytes() == b.read_bytes()


def test_the_real_site_ships_its_bundled_datasets(tmp_path, fake_emcore_wheel):
    out = tmp_path / "site"
    info = build_site(out, wheel=fake_emcore_wheel, picture=False, bytecode=False)
    members = _wheel_members(out / info["page_wheel"])
    for name in ("iris", "palmer_penguins"):
        rel = f"simapp/data/{name}.csv"
        assert members[rel] == (ROOT / "site" / rel).read_bytes()
    assert "app/page.py" in members and "app/loader.py" in members


def test_pyscript_config_hands_every_package_to_pyodides_loader(
    tmp_path, fake_emcore_wheel
):
    out = tmp_path / "site"
    info = build_site(out, wheel=fake_emcore_wheel, picture=False, bytecode=False)
    config = json.loads((out / "pyscript.json").read_text())
    assert config["packages"] == [
        "numpy",
        f"./{info['emcore_wheel']}",
        f"./{info['page_wheel']}",
    ]
    # passed to loadPyodide({packages}) as it is, not installed by micropip
    assert config["packages_cache"] == "passthrough"
    assert not config.get("files")  # nothing fetched after the interpreter is up
    for rel in config["packages"][1:]:
        assert (out / rel).is_file()


def test_cdn_build_preloads_only_its_config(tmp_path, fake_emcore_wheel):
    out = tmp_path / "site"
    build_site(out, wheel=fake_emcore_wheel, picture=False, bytecode=False)
    html = (out / "index.html").read_text()
    preloads = re.findall(r'<link rel="(?:module)?preload" href="([^"]+)"', html)
    assert preloads == ["./pyscript.json"]
    assert html.index("core.js") < html.index(preloads[0]) < html.index("style.css")


def test_pyscript_start_chunks_exist_in_the_pinned_pyscript():
    dist = npm_package("@pyscript/core", PYSCRIPT_VERSION) / "dist"
    for prefix in PYSCRIPT_START_CHUNKS:
        assert len(list(dist.glob(f"{prefix}-*.js"))) == 1, prefix


def test_picture_marker_and_main_script_are_required(tmp_path):
    site_src = tmp_path / "src"
    site_src.mkdir()
    (site_src / "main.py").write_text("print(1)\n")
    html = (ROOT / "site" / "index.html").read_text()
    with pytest.raises(BuildError, match="main.py"):
        inline_main(html.replace(' src="./main.py"', ""), site_src)
    assert "print(1)" in inline_main(html, site_src)
    assert html.count(PICTURE_MARKER) == 1
    assert html.index(PICTURE_MARKER) < html.index('id="cluster-canvas"')


def test_cdn_build_pins_versions_and_carries_sri(tmp_path, fake_emcore_wheel):
    out = tmp_path / "site"
    info = build_site(out, wheel=fake_emcore_wheel, picture=False, bytecode=False)
    html = (out / "index.html").read_text()
    dist = npm_package("@pyscript/core", PYSCRIPT_VERSION) / "dist"
    base = pyscript_cdn_base()
    assert f'src="{base}core.js" integrity="{sri(dist / "core.js")}"' in html
    assert f'href="{base}core.css" integrity="{sri(dist / "core.css")}"' in html
    start = html.index('<script type="importmap">') + len('<script type="importmap">')
    importmap = html[start : html.index("</script>", start)]
    integrity = json.loads(importmap)["integrity"]
    assert integrity[base + "core-C9KDLldu.js"] == sri(dist / "core-C9KDLldu.js")
    assert csp_hash(importmap) in html
    config = json.loads((out / "pyscript.json").read_text())
    assert config["interpreter"] == (
        f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/pyodide.mjs"
    )
    assert info["pyscript_version"] == PYSCRIPT_VERSION
    assert "<!-- build:head -->" not in html
