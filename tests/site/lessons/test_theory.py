"""The theory section: its live numbers agree with emcore, its HTML is sound.

``site/theory.html`` is parsed with :mod:`html.parser`; ``simapp.lessons.theory`` must
produce every ``data-live`` value the HTML asks for (and nothing else), each
``data-settings`` link must be a clean setting, and the formulas must exist.
"""

from __future__ import annotations

import math
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from simapp.lessons import theory
from simapp.state.settings import (
    COV_TYPES,
    DEFAULTS,
    INT_LIMITS,
    QUERY_KEYS,
    parse_query_string,
    parse_settings,
)

import emcore

FRAGMENT = Path(__file__).resolve().parents[3] / "site" / "theory.html"
KS = range(INT_LIMITS["k"][0], INT_LIMITS["k"][1] + 1)
NS = (100, 101, 500, 1234, 5000)
REQUIRED_EQS = (
    "eq-mixture",
    "eq-resp",
    "eq-mstep",
    "eq-loglik",
    "eq-q",
    "eq-ascent",
    "eq-aic",
    "eq-bic",
    "eq-icl",
    "eq-ari",
    "eq-params",
)
VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "source", "wbr", "col"})


# --------------------------------------------------------------------------- parser
class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Element):
                yield from c.iter()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class TreeBuilder(HTMLParser):
    """Builds a tree and fails on mis-nested or unclosed tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, None)
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = Element(tag, {k: v if v is not None else "" for k, v in attrs}, None)
        el.parent = self.stack[-1]
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        el = Element(tag, {k: v if v is not None else "" for k, v in attrs}, None)
        el.parent = self.stack[-1]
        self.stack[-1].children.append(el)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        open_tag = self.stack[-1].tag
        assert open_tag == tag, f"</{tag}> closes <{open_tag}> (line {self.getpos()})"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(text: str) -> Element:
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    assert len(builder.stack) == 1, f"unclosed <{builder.stack[-1].tag}>"
    return builder.root


@pytest.fixture(scope="module")
def tree() -> Element:
    return parse(FRAGMENT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def elements(tree) -> list[Element]:
    return list(tree.iter())[1:]


def _live_elements(elements):
    return [e for e in elements if "data-live" in e.attrs]


def _try_links(elements):
    return [e for e in elements if "data-settings" in e.attrs]


# --------------------------------------------------------------------------- numbers
@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("k", KS)
def test_parameter_counts_agree_with_emcore(k, cov):
    for n in NS:
        v = theory.live_values(k, n, cov)
        for other in COV_TYPES:
            assert int(v[f"params-{other}"]) == emcore.n_parameters(k, 2, other)
        p = emcore.n_parameters(k, 2, cov)
        assert int(v["params"]) == p
        parts = int(v["params-means"]) + int(v["params-weights"]) + int(v["params-cov"])
        assert parts == p
        assert int(v["params-means"]) == 2 * k and int(v["params-weights"]) == k - 1
        step = emcore.n_parameters(k + 1, 2, cov) - p
        assert int(v["params-step"]) == step == int(v["aic-gain"])


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("k", KS)
def test_penalties_and_counts_agree_with_their_definitions(k, cov):
    for n in NS:
        v = theory.live_values(k, n, cov)
        p = emcore.n_parameters(k, 2, cov)
        step = emcore.n_parameters(k + 1, 2, cov) - p
        assert v["k"] == str(k) and v["cov"] == cov
        assert int(v["n"].replace(",", "")) == n
        assert float(v["ln-n"]) == pytest.approx(math.log(n), abs=0.005)
        assert int(v["aic-penalty"]) == 2 * p
        assert float(v["bic-penalty"]) == pytest.approx(p * math.log(n), abs=0.05)
        assert float(v["penalty-ratio"]) == pytest.approx(math.log(n) / 2, abs=0.005)
        assert float(v["bic-gain"]) == pytest.approx(step * math.log(n) / 2, abs=0.05)
        assert int(v["resp-count"].replace(",", "")) == n * k
        assert int(v["pairs"].replace(",", "")) == math.comb(n, 2)


def test_closed_forms_in_two_dimensions_agree_with_emcore():
    for cov, (a, b) in theory.PARAMS_2D.items():
        for k in range(1, 20):
            assert a * k + b == emcore.n_parameters(k, 2, cov), (cov, k)
    assert set(theory.PARAMS_2D) == set(COV_TYPES)
    for d in (1, 2, 3, 5):
        for cov in COV_TYPES:
            assert theory.n_parameters(4, cov, d) == emcore.n_parameters(4, d, cov)


@pytest.mark.parametrize(
    ("k", "n", "cov"),
    [(2, 150, "full"), (3, 400, "tied"), (4, 300, "diag"), (5, 250, "spherical")],
)
def test_penalties_match_a_fitted_emcore_model(k, n, cov):
    """AIC and BIC of a real fit differ exactly by the two quoted penalties."""
    X, _ = emcore.simulate(n, k, 0.3, random_state=np.random.default_rng(k))
    gm = emcore.GaussianMixture(k, covariance_type=cov, random_state=0).fit(X)
    v = theory.live_values(k, n, cov)
    assert gm.n_parameters() == int(v["params"])
    loglik = gm.score(X) * n
    assert gm.aic(X) + 2 * loglik == pytest.approx(int(v["aic-penalty"]))
    assert gm.bic(X) + 2 * loglik == pytest.approx(float(v["bic-penalty"]), abs=0.05)


def test_live_values_match_a_simulator_run():
    s = {"k": 3, "n": 200, "overlap": 10, "cov": "diag", "iters": 20, "n_init": 1}
    result = emcore.experiment.run(**s, seed=3)
    v = theory.live_values(3, 200, "diag")
    assert result.params == int(v["params"])
    assert float(v["ln-n"]) == pytest.approx(result.n_samples_log, abs=0.005)
    assert result.bic - result.aic == pytest.approx(
        float(v["bic-penalty"]) - int(v["aic-penalty"]), abs=0.05
    )


def test_live_values_keys_are_stable_and_all_strings():
    v = theory.live_values(3, 500, "full")
    assert tuple(v) == theory.LIVE_KEYS
    assert all(isinstance(x, str) and x for x in v.values())


@pytest.mark.parametrize(
    ("k", "n", "cov"),
    [(1, 500, "full"), (7, 500, "full"), (3, 99, "full"), (3, 5001, "full"),
     (3, 500, "round"), (3.0, 500, "full"), (True, 500, "full")],
)  # fmt: skip
def test_live_values_rejects_settings_outside_the_page_ranges(k, n, cov):
    with pytest.raises(ValueError):
        theory.live_values(k, n, cov)


# --------------------------------------------------------------------------- HTML
def test_html_live_keys_and_live_values_keys_are_the_same(elements):
    html_keys = {e.attrs["data-live"] for e in _live_elements(elements)}
    assert html_keys == set(theory.LIVE_KEYS)


def test_live_elements_are_live_spans_prefilled_with_the_defaults(elements):
    defaults = theory.live_values(DEFAULTS["k"], DEFAULTS["n"], DEFAULTS["cov"])
    for e in _live_elements(elements):
        assert e.tag == "span" and "live" in e.attrs.get("class", "").split()
        key = e.attrs["data-live"]
        assert e.text() == defaults[key], key


def test_two_dimensional_formulas_in_the_table_match_emcore(elements):
    cells = {e.attrs["data-formula"]: e for e in elements if "data-formula" in e.attrs}
    assert set(cells) == set(COV_TYPES)
    for cov, cell in cells.items():
        text = "".join(cell.text().split()).replace("−", "-")
        a, b = theory.PARAMS_2D[cov]
        assert text == f"{a}K{b:+d}", (cov, text)
        row = cell.parent
        assert row.tag == "tr" and row.attrs.get("data-cov") == cov
        live = [e for e in row.iter() if e.attrs.get("data-live") == f"params-{cov}"]
        assert len(live) == 1


def test_every_try_link_is_a_clean_setting_with_a_matching_href(elements):
    links = _try_links(elements)
    assert len(links) >= 8
    for a in links:
        value = a.attrs["data-settings"]
        query = parse_query_string(value)
        assert query and set(query) <= set(QUERY_KEYS) - {"run"}, value
        settings, notes = parse_settings(query)
        assert notes == [], (value, notes)
        for key, (raw,) in query.items():
            got = getattr(settings, key)
            assert str(got) == raw or float(got) == float(raw), (value, key)
        assert a.tag == "a" and "try" in a.attrs.get("class", "").split()
        assert a.attrs["href"] == f"?{value}&run=1"
        from_href, href_notes = parse_settings(parse_query_string(a.attrs["href"]))
        assert href_notes == [] and from_href.run
        assert from_href.with_changes(run=False) == settings
        assert a.text().strip()


def test_every_try_link_sets_something_other_than_the_defaults(elements):
    baseline, _ = parse_settings({})
    for a in _try_links(elements):
        settings, _ = parse_settings(parse_query_string(a.attrs["data-settings"]))
        changed = settings != baseline or "cov=full" in a.attrs["data-settings"]
        assert changed, a.attrs["data-settings"]


def test_required_formulas_are_block_mathml(elements):
    maths = {e.attrs["id"]: e for e in elements if e.tag == "math" and "id" in e.attrs}
    for eq in REQUIRED_EQS:
        assert eq in maths, eq
        assert maths[eq].attrs.get("display") == "block", eq
        assert maths[eq].text().strip(), eq
        group = maths[eq].parent
        assert group.attrs.get("role") == "group" and group.attrs.get("aria-label")


def test_ids_are_unique_and_internal_links_resolve(elements):
    ids = [e.attrs["id"] for e in elements if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    for e in elements:
        href = e.attrs.get("href", "")
        if e.tag == "a" and href.startswith("#"):
            assert href[1:] in ids, href


def test_fragment_is_safe_to_paste_under_the_pages_csp(elements):
    for e in elements:
        assert e.tag not in {"script", "style", "iframe", "object", "embed"}, e.tag
        for name in e.attrs:
            assert not name.startswith("on"), (e.tag, name)
            assert name != "style", e.tag
        href = e.attrs.get("href", "")
        assert not href.lower().startswith("javascript:")
        assert not href.startswith(("http:", "//")), href


def test_structure_is_a_labelled_landmark_with_collapsible_topics(tree, elements):
    top = [c for c in tree.children if isinstance(c, Element)]
    assert [e.tag for e in top] == ["section"]
    section = top[0]
    assert section.attrs["id"] == "theory"
    h2s = [e for e in elements if e.tag == "h2"]
    assert len(h2s) == 1 and h2s[0].attrs["id"] == section.attrs["aria-labelledby"]
    topics = [e for e in elements if e.tag == "details"]
    assert len(topics) >= 8
    for d in topics:
        first = next(c for c in d.children if isinstance(c, Element))
        assert first.tag == "summary"
        heads = [c for c in first.children if isinstance(c, Element)]
        assert [h.tag for h in heads] == ["h3"] and heads[0].text().strip()
    # h4 only inside a topic, never directly under the h2
    for e in elements:
        if e.tag == "h4":
            assert any(a.tag == "details" for a in e.ancestors())


def test_topics_cover_every_idea_of_the_section():
    text = FRAGMENT.read_text(encoding="utf-8").lower()
    for needle in (
        "k-means",
        "responsibilit",
        "m-step",
        "e-step",
        "local optim",
        "k-means++",
        "starts",
        "aic",
        "bic",
        "icl",
        "mclust",
        "reg_covar",
        "singular",
        "overfitting",
        "image segmentation",
        "speaker",
        "anomaly detection",
        "single-cell",
        "finance",
        "tied",
        "spherical",
        "diag",
        "−0.5",
    ):
        assert needle in text, needle


def test_parser_catches_broken_markup():
    """The structural checks above can fail."""
    with pytest.raises(AssertionError):
        parse("<section><details><summary><h3>x</summary></details></section>")
    with pytest.raises(AssertionError):
        parse("<section><p>unclosed")
