"""sitebuild.firstpicture: the canvas stand-in that writes SVG, and the picture
of the default run drawn with the shipped wheels."""

from __future__ import annotations

import json
import math
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from build_support import ROOT

from sitebuild.assemble import page_members
from sitebuild.common import BuildError
from sitebuild.firstpicture import SvgContext, first_picture
from sitebuild.wheel import build_wheel, page_wheel

SVG = "{http://www.w3.org/2000/svg}"


def _parse(elements: list[str]) -> list[ET.Element]:
    doc = '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(elements) + "</svg>"
    return list(ET.fromstring(doc))


def test_a_stroked_path_and_dashed_ellipse_keep_their_style():
    ctx = SvgContext()
    ctx.strokeStyle = "#d55e00"
    ctx.lineWidth = 2.5
    ctx.setLineDash([6, 4])
    ctx.beginPath()
    ctx.ellipse(100, 50, 30, 10, math.pi / 2, 0, 2 * math.pi)
    ctx.stroke()
    ctx.setLineDash([])
    ctx.beginPath()
    ctx.moveTo(1, 2)
    ctx.lineTo(3.14159, 4)
    ctx.stroke()
    ellipse, path = _parse(ctx.elements)
    assert ellipse.tag == SVG + "ellipse"
    assert {k: ellipse.get(k) for k in ("cx", "cy", "rx", "ry")} == {
        "cx": "100",
        "cy": "50",
        "rx": "30",
        "ry": "10",
    }
    assert ellipse.get("transform") == "rotate(90 100 50)"
    assert ellipse.get("stroke-dasharray") == "6 4"
    assert ellipse.get("stroke") == "#d55e00" and ellipse.get("fill") == "none"
    assert path.get("d") == "M1 2L3.14 4"
    assert path.get("stroke-width") == "2.5" and path.get("stroke-dasharray") is None


def test_text_follows_alignment_transform_and_is_escaped():
    ctx = SvgContext()
    ctx.save()
    ctx.font = "12px system-ui"
    ctx.textAlign = "center"
    ctx.textBaseline = "top"
    ctx.translate(14, 200)
    ctx.rotate(-math.pi / 2)
    ctx.fillText("<x & y>", 0, 0)
    ctx.restore()
    ctx.fillText("plain", 5, 6)
    rotated, plain = _parse(ctx.elements)
    assert rotated.text == "<x & y>"  # escaped in the markup, parsed back
    assert rotated.get("text-anchor") == "middle"
    assert rotated.get("dominant-baseline") == "text-before-edge"
    assert rotated.get("transform") == "translate(14 200) rotate(-90)"
    assert "12px system-ui" in rotated.get("style")
    # restore() took back the font, alignment and transform
    assert plain.get("transform") is None and plain.get("text-anchor") == "start"
    assert "10px" in plain.get("style")


@pytest.mark.parametrize("call", ["arc", "fillRect", "putImageData"])
def test_a_canvas_call_it_does_not_know_fails_loudly(call):
    ctx = SvgContext()
    with pytest.raises(AttributeError, match=call):
        getattr(ctx, call)
    with pytest.raises(AttributeError, match="globalAlpha"):
        ctx.globalAlpha = 0.5


def test_a_part_of_an_ellipse_is_refused():
    ctx = SvgContext()
    with pytest.raises(ValueError, match="whole ellipses"):
        ctx.ellipse(0, 0, 1, 1, 0, 0, math.pi)


@pytest.fixture(scope="module")
def shipped_wheels(tmp_path_factory):
    """The real emcore wheel (pip) and the page wheel of ``site/``."""
    tmp = tmp_path_factory.mktemp("wheels")
    emcore = build_wheel(tmp / "emcore")
    page = page_wheel(page_members(ROOT / "site", {}), tmp / "page", "0.0.0")
    return emcore, page


@pytest.fixture(scope="module")
def default_run():
    """The default state's run computed here, from the checkout's sources."""
    site = str(ROOT / "site")
    if site not in sys.path:
        sys.path.insert(0, site)
    from simapp.state.pagestate import PageState

    from emcore import experiment, synthetic

    settings = PageState().settings.to_run_kwargs()
    result = experiment.run(**settings)
    s = experiment.check_settings(**settings)
    X, _ = synthetic.simulate(s["n"], s["k_true"], s["overlap"] / 100.0, s["seed"])
    return settings, result, X, result.true_means


def _data_units(marks: dict, view: dict) -> np.ndarray:
    """(x, y, rx, ry) of drawn ellipses, from pixels back to data units."""
    px = np.array([[m["cx"], m["cy"], m["rx"], m["ry"]] for m in marks])
    return np.column_stack(
        [
            view["cx"] + (px[:, 0] - view["plot_cx"]) / view["scale"],
            view["cy"] - (px[:, 1] - view["plot_cy"]) / view["scale"],
            px[:, 2] / view["scale"],
            px[:, 3] / view["scale"],
        ]
    )


def test_the_picture_is_the_default_runs_final_fit(shipped_wheels, default_run):
    settings, result, X, true_means = default_run
    picture = first_picture(*shipped_wheels)
    svg = ET.fromstring(picture.svg)
    data = {k[5:]: json.loads(v) for k, v in svg.attrib.items() if k[:5] == "data-"}
    assert data["settings"] == json.loads(json.dumps(settings))
    assert data["iterations"] == result.iterations
    assert data["loglik"] == pytest.approx(result.loglik, rel=1e-12)
    # one circle per data point, in the data's order, where the view puts them
    circles = svg.findall(f"{SVG}g/{SVG}circle")
    assert len(circles) == len(X) == data["n"]
    view = data["view"]
    drawn = np.array([[float(c.get("cx")), float(c.get("cy"))] for c in circles])
    back = np.column_stack(
        [
            view["cx"] + (drawn[:, 0] - view["plot_cx"]) / view["scale"],
            view["cy"] - (drawn[:, 1] - view["plot_cy"]) / view["scale"],
        ]
    )
    assert np.allclose(back, X, atol=0.006 / view["scale"])  # 2-decimal pixels
    # the fitted components: centres at the means, 1σ radii from the covariances
    ellipses = _data_units(data["ellipses"], view)
    assert np.allclose(ellipses[:, :2], result.means, rtol=1e-9, atol=1e-9)
    for (_, _, rx, ry), cov in zip(ellipses, result.covariances, strict=True):
        assert np.allclose(sorted([rx**2, ry**2]), np.linalg.eigvalsh(cov), rtol=1e-9)
    centres = np.array(data["centres"])
    assert np.allclose(
        view["cx"] + (centres[:, 0] - view["plot_cx"]) / view["scale"], true_means[:, 0]
    )
    # two contours per component in the markup, and the words say what it is
    assert len(svg.findall(f"{SVG}ellipse")) == 4 * len(result.means)
    assert f"{len(X)} data points" in picture.alt
    assert "drawn when this site was built" in picture.alt
    assert svg.find(f"{SVG}title").text == picture.alt


def test_a_wheel_without_the_simulator_is_a_build_error(tmp_path, fake_emcore_wheel):
    page = page_wheel(page_members(ROOT / "site", {}), tmp_path, "0.0.0")
    with pytest.raises(BuildError, match="first picture"):
        first_picture(fake_emcore_wheel, page)
