"""The printable worksheet: five to eight questions for every lesson and for
none, an answer key whose numbers are those of the run (checked against an
independent computation), and own data's names escaped."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from lesson_runs import run_query
from simapp.exports import worksheet
from simapp.lessons.scenarios import SCENARIOS, scenario_ids
from simapp.text import results as result_text
from simapp.text import worksheet as words

from emcore import COVARIANCE_TYPES
from emcore.experiment import run, run_data

stats = pytest.importorskip("scipy.stats", reason="scipy is not installed")
special = pytest.importorskip("scipy.special", reason="scipy is not installed")
metrics = pytest.importorskip("sklearn.metrics", reason="scikit-learn is not installed")

PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG fake").decode()
FIGURES = (("cluster", PNG), ("loglik", PNG), ("ic", PNG))


class Sheet(HTMLParser):
    """The parts of a worksheet the tests read."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.section = ""
        self.questions: list[str] = []
        self.answers: list[str] = []
        self.key: dict[str, str] = {}
        self.shown: dict[str, str] = {}
        self.images: list[str] = []
        self.tags: list[str] = []
        self._span = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "section":
            self.section = a.get("class", "")
        elif tag == "li":
            box = self.questions if a.get("class") == "question" else self.answers
            box.append(a.get("data-topic", ""))
        elif tag == "img":
            self.images.append(a["src"])
        elif tag == "span" and "data-key" in a and self.section == "key":
            self.key[a["data-key"]] = a["data-value"]
            self._span = a["data-key"]

    def handle_data(self, data):
        if self._span:
            self.shown[self._span] = data
            self._span = ""


@pytest.fixture(scope="module")
def lesson_results():
    return {s.id: run_query(s.query) for s in SCENARIOS}


def test_every_lesson_has_its_own_questions():
    assert set(words.LESSON_ITEMS) == set(scenario_ids())
    for items in words.LESSON_ITEMS.values():
        assert len(items) >= 2
        assert len({i.topic for i in items}) == len(items)


@pytest.mark.parametrize("lesson", scenario_ids())
def test_a_lesson_sheet_asks_five_to_eight_questions_its_own_first(
    lesson, lesson_results
):
    text = worksheet.page(lesson_results[lesson], lesson=lesson, figures=FIGURES)
    sheet = Sheet(text)
    own = [item.topic for item in words.LESSON_ITEMS[lesson]]
    assert 5 <= len(sheet.questions) <= 8
    assert sheet.questions[: len(own)] == own
    assert len(set(sheet.questions)) == len(sheet.questions)
    assert sheet.answers == sheet.questions
    assert sheet.images == [PNG] * 3
    title = next(s.title for s in SCENARIOS if s.id == lesson)
    assert f"<h1>Worksheet: {title}</h1>".replace("&", "&amp;") in text
    assert "{" not in re.sub(r"<style>.*</style>", "", text, flags=re.S)


@pytest.mark.parametrize(
    "settings",
    [
        {"k": 3, "seed": 5},
        {"k": 2, "n_init": 1, "seed": 8},
        {"k": 6, "cov": "spherical", "n": 300, "seed": 2},
    ],
)
def test_a_sheet_without_a_lesson_asks_five_to_eight_questions(settings):
    result = run(**settings)
    text = worksheet.page(result)
    sheet = Sheet(text)
    assert 5 <= len(sheet.questions) <= 8
    assert "<h1>Worksheet: Your settings</h1>" in text
    assert sheet.images == []
    # the starts' agreement is asked only when there were several starts
    assert ("starts" in sheet.questions) == (settings.get("n_init", 4) > 1)


def _loglik(X, weights, means, covariances) -> float:
    """Total log-likelihood of ``X`` under the mixture, written out with scipy."""
    dens = np.column_stack(
        [
            np.log(w) + stats.multivariate_normal(m, c).logpdf(X)
            for w, m, c in zip(weights, means, covariances, strict=True)
        ]
    )
    return float(special.logsumexp(dens, axis=1).sum())


def _n_params(cov: str, k: int, d: int) -> int:
    per_cov = {
        "full": k * d * (d + 1) / 2,
        "tied": d * (d + 1) / 2,
        "diag": k * d,
        "spherical": k,
    }[cov]
    return int(k - 1 + k * d + per_cov)


@pytest.mark.parametrize("cov", COVARIANCE_TYPES)
def test_the_key_gives_the_numbers_of_an_independent_fit(cov):
    settings = {"k": 3, "n": 400, "overlap": 30, "cov": cov, "seed": 11}
    text = worksheet.page(run(**settings))
    sheet = Sheet(text)
    again = run(**settings)  # the same settings fitted again
    X, n = again.X, len(again.X)
    key = {name: value for name, value in sheet.key.items()}
    assert int(key["iterations"]) == len(again.trace)
    # the key's log L is the mixture's log-likelihood of the data
    loglik = _loglik(X, again.weights, again.means, again.covariances)
    assert float(key["loglik"]) == pytest.approx(loglik, rel=1e-9)
    assert float(key["loglik_point"]) == pytest.approx(loglik / n, rel=1e-9)
    p = _n_params(cov, 3, 2)
    assert int(key["params"]) == p
    parts = ("weight_params", "mean_params", "cov_params")
    assert sum(int(key[name]) for name in parts if name in key) == p
    if "bic" in key:
        assert float(key["bic"]) == pytest.approx(-2 * loglik + p * np.log(n))
    # the pick: the lowest BIC over fits without suspect components
    healthy_bic = [
        b if not note else np.inf
        for b, note in zip(again.sweep.bic, again.sweep.notes, strict=True)
    ]
    bic_k = again.sweep.ks[int(np.argmin(healthy_bic))]
    assert int(key["bic_k"]) == bic_k
    if "ari" in key:
        ari = metrics.adjusted_rand_score(again.labels_true, again.labels_pred)
        assert float(key["ari"]) == pytest.approx(ari, abs=1e-12)
    # every number is shown as the results panel shows it
    cards = result_text.format_result(again)
    for name in ("iterations", "loglik", "bic", "params"):
        if name in sheet.shown:
            card = cards[f"result-{name}"]
            assert key[name] == card.value
            assert card.text.startswith(sheet.shown[name])


def test_the_log_likelihood_readings_follow_the_trace():
    result = run(k=3, n=300, overlap=30, seed=4, n_init=1)
    values = worksheet.key_values(result)
    trace = np.asarray(result.trace)
    settled = int(values["settled"].value)
    assert np.all(np.abs(trace[settled - 1 :] - trace[-1]) <= 0.01)
    assert settled == 1 or abs(trace[settled - 2] - trace[-1]) > 0.01
    assert values["goes_down"].text == "no"  # EM never goes down
    assert float(values["max_drop"].value) < 1e-9


def test_one_more_component_is_read_off_the_sweep():
    result = run(k=2, n=300, overlap=10, k_true=4, seed=3)
    values = worksheet.key_values(result)
    j = result.sweep.ks.index(3)
    assert float(values["bic_next"].value) == result.sweep.bic[j]
    p = result.sweep.params[j]
    bic_loglik = (p * result.n_samples_log - result.sweep.bic[j]) / 2
    assert float(values["loglik_next"].value) == pytest.approx(bic_loglik)


def _own_data():
    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(6, 1, (60, 2))])
    return X, np.repeat([0, 1], 60)


def test_own_data_names_are_escaped():
    X, labels = _own_data()
    result = run_data(X, labels, k=2, seed=3)
    names = ("<script>alert(1)</script>", 'a"b&c\u202e')
    title = "<img src=x onerror=alert(2)>"
    text = worksheet.page(
        result,
        data_title=title,
        class_names=names,
        link='https://x.test/?k=2&q="><b>',
        figures=FIGURES[:1],
    )
    sheet = Sheet(text)
    assert "script" not in sheet.tags and sheet.tags.count("img") == 1
    assert "b" not in sheet.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(2)&gt;" in text
    assert "a&quot;b&amp;c" in text and "\u202e" not in text
    assert 'href="https://x.test/?k=2&amp;q=&quot;&gt;&lt;b&gt;"' in text


def test_own_data_without_labels_leave_out_the_ari():
    X, _ = _own_data()
    result = run_data(X, None, k=2, seed=3, n_init=1)
    sheet = Sheet(worksheet.page(result))
    assert 5 <= len(sheet.questions) <= 8
    assert "ari" not in sheet.questions and "ari" not in sheet.key


def test_the_key_starts_a_page_and_the_hint_is_not_printed():
    text = worksheet.page(run(k=2, n=200, seed=1))
    css = re.search(r"<style>(.*)</style>", text, flags=re.S).group(1)
    assert re.search(r"\.key\s*\{[^}]*page-break-before:\s*always", css)
    assert re.search(r"@media print\s*\{\s*\.hint\s*\{\s*display:\s*none", css)
    assert "@page" in css and "<script" not in text and "<button" not in text
    assert text.index('class="questions"') < text.index('class="key"')


@pytest.mark.parametrize(
    "url", ["data:image/svg+xml;base64,AAAA", PNG + '" onerror="x', "https://x/a.png"]
)
def test_a_figure_must_be_a_png_data_url(url):
    with pytest.raises(ValueError, match="figure 'cluster'.*PNG data URL"):
        worksheet.page(run(k=2, n=200, seed=1), figures=[("cluster", url)])


def test_an_unknown_lesson_or_chart_is_refused():
    result = run(k=2, n=200, seed=1)
    with pytest.raises(ValueError, match="scenario='nope'.*local-optimum"):
        worksheet.page(result, lesson="nope")
    with pytest.raises(ValueError, match="chart 'pie'"):
        worksheet.page(result, figures=[("pie", PNG)])


def test_a_non_web_link_is_shown_not_linked():
    text = worksheet.page(run(k=2, n=200, seed=1), link="javascript:alert(1)")
    assert "javascript:alert(1)" in text and "href" not in text


def test_every_number_a_template_names_is_computed(lesson_results):
    named = set()
    for result in lesson_results.values():
        named |= set(worksheet.key_values(result))
    assert not words.VALUE_NAMES - named
