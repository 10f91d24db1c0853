"""A printable worksheet of a finished run: one self-contained HTML page.

The page holds the run's charts (PNG data URLs the browser side takes from
its canvases), five to eight questions with ruled space for the answers
(:mod:`simapp.text.worksheet` words them: the open lesson's own first, then
generic ones about the run) and, on a page of its own, the answer key with
the numbers of the same result. The key shows each number as the results
panel does (:func:`simapp.text.results.format_number`) and carries its
full-precision value in ``data-value``, as the panel's cards do. Print CSS
inside: A4 margins, the key after a page break, the on-screen hint hidden.
Pure: no browser, tested in CPython.

Examples
--------
>>> from emcore.experiment import run
>>> result = run(k=2, n=200, seed=3, n_init=1)
>>> [item.topic for item in questions(key_values(result))]
['iterations', 'loglik', 'bic', 'k_next', 'ari', 'params', 'aic']
>>> key_values(result)["iterations"].value == str(result.iterations)
True
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from emcore.experiment import active_components
from emcore.records import ExperimentResult
from simapp.lessons.scenarios import scenario
from simapp.text import worksheet as words
from simapp.text.results import format_number

__all__ = ["KeyValue", "key_values", "page", "questions"]

#: What an image must be: a base64 PNG (so nothing in it can leave the
#: ``src`` attribute).
_PNG_URL = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]*={0,2}")
#: Links made clickable; any other text is shown as it is.
_LINK_SCHEMES = ("http://", "https://", "file://")
#: How close to its final value the log-likelihood line must stay.
SETTLED = 0.01
#: A fall of the log-likelihood per point smaller than this is rounding.
ROUNDING = 1e-9


@dataclass(frozen=True)
class KeyValue:
    """One number of the answer key.

    Attributes
    ----------
    text : str
        As a reader sees it (as the results panel shows it).
    value : str
        Full precision, for ``data-value`` (the panel's cards' format).
    """

    text: str
    value: str


def _number(x: float, decimals: int = 2) -> KeyValue:
    return KeyValue(format_number(x, decimals), repr(float(x)))


def _count(n: int) -> KeyValue:
    return KeyValue(str(int(n)), str(int(n)))


def _word(text: str, value: object = None) -> KeyValue:
    return KeyValue(text, text if value is None else str(value))


def _cov_params(cov: str, k: int, d: int) -> int:
    """Free covariance entries of ``k`` components of type ``cov`` in ``d``-D."""
    return {
        "full": k * d * (d + 1) // 2,
        "tied": d * (d + 1) // 2,
        "diag": k * d,
        "spherical": k,
    }[cov]


def _trace_values(trace: Sequence[float]) -> dict[str, KeyValue]:
    """When the log-likelihood line settled, and its largest fall."""
    t = np.asarray(trace, dtype=np.float64)
    out = np.flatnonzero(np.abs(t - t[-1]) > SETTLED)
    # t[j] is after iteration j + 1: settled from the iteration after the
    # last one outside the band
    settled = int(out[-1]) + 2 if out.size else 1
    drop = float(max(0.0, np.max(t[:-1] - t[1:]))) if t.size > 1 else 0.0
    return {
        "settled": _count(settled),
        "max_drop": _number(drop, 6),
        "goes_down": _word(words.yes_no(drop > ROUNDING)),
    }


def _sweep_values(result: ExperimentResult, k: int) -> dict[str, KeyValue]:
    """The criteria's picks, and the fit with one more component."""
    picks = result.picks
    healthy = picks.bic.k_healthy
    values = {
        "bic_k": _count(picks.bic.k),
        "aic_k": _count(picks.aic.k),
        "icl_k": _count(picks.icl.k),
        "bic_k_healthy": _count(healthy) if healthy is not None else _word("none"),
        "bic_k_raw": _count(picks.bic.k_raw),
        "bic_same": _word(words.yes_no(picks.bic.k == k)),
        "log_n": _number(result.n_samples_log),
        "best_cov": _word(str(result.best_model[0])),
        "best_k": _count(result.best_model[1]),
    }
    sweep = result.sweep
    if k + 1 in sweep.ks:
        j = sweep.ks.index(k + 1)
        # AIC = -2 log L + 2 p, so log L = p - AIC / 2
        loglik_next = sweep.params[j] - sweep.aic[j] / 2.0
        bic_next = float(sweep.bic[j])
        values |= {
            "k_next": _count(k + 1),
            "loglik_next": _number(loglik_next),
            "next_change": _word(words.change_word(loglik_next >= result.loglik)),
            "bic_next": _number(bic_next),
            "bic_next_verdict": _word(
                words.bic_next_verdict(bic_next < float(result.bic))
            ),
        }
    return values


def _starts_values(result: ExperimentResult) -> dict[str, KeyValue]:
    """How the starts agreed (nothing with a single start)."""
    if len(result.starts) < 2:
        return {}
    finals = [float(s.loglik_mean) for s in result.starts]
    return {
        "n_starts": _count(len(result.starts)),
        "best_hits": _count(result.best_hits),
        "n_optima": _count(result.n_optima),
        "verdict": _word(str(result.verdict)),
        "start_gap": _number(max(finals) - min(finals), 4),
    }


def key_values(result: ExperimentResult) -> dict[str, KeyValue]:
    """Every number of ``result`` a question may name.

    Parameters
    ----------
    result : emcore.records.ExperimentResult
        A finished run.

    Returns
    -------
    dict of str to KeyValue
        By the names :mod:`simapp.text.worksheet`'s templates use; a name
        the run has no number for (the ARI without true labels, say) is
        absent.
    """
    s = result.settings
    k, cov = int(s["k"]), str(s["cov"])
    X = np.asarray(result.X)
    n = int(s.get("n", 0) or 0) or len(X) or 1  # as the results panel counts
    d = int(X.shape[1])
    loglik = float(result.loglik)
    converged = bool(result.converged)
    values = {
        "k": _count(k),
        "cov": _word(cov),
        "d": _count(d),
        "iters": _count(s["iters"]),
        "iterations": _count(result.iterations),
        "converged": _word(words.yes_no(converged), str(converged).lower()),
        "loglik": _number(loglik),
        "loglik_point": _number(loglik / n, 4),
        "bic": _number(result.bic),
        "params": _count(result.params),
        "weight_params": _count(k - 1),
        "mean_params": _count(k * d),
        "cov_params": _count(_cov_params(cov, k, d)),
        "n_collapsed": _count(len(result.collapsed)),
        "min_det": _word(
            f"{min(float(np.linalg.det(c)) for c in result.covariances):.2g}"
        ),
    }
    if s.get("model") == "bayes":  # the card's count, by the card's rule
        values["n_active"] = _count(active_components(result.weights))
    else:
        values["temperature"] = _word(f"{float(s.get('temperature', 1.0)):g}")
    if s.get("overlap") is not None:
        values["overlap"] = _word(f"{float(s['overlap']):g}")
    if s.get("k_true") is not None:
        values["k_true"] = _count(s["k_true"])
    if result.ari is not None and result.kmeans.ari is not None:
        ari, km = float(result.ari), float(result.kmeans.ari)
        values |= {
            "ari": _number(ari, 4),
            "kmeans_ari": _number(km, 4),
            "better": _word(words.better_of(ari, km)),
        }
    values |= _trace_values(result.trace)
    values |= _sweep_values(result, k)
    values |= _starts_values(result)
    return values


def questions(values: Mapping[str, KeyValue], lesson: str = "") -> list[words.Item]:
    """The worksheet's questions: the lesson's own, then generic ones.

    Parameters
    ----------
    values : mapping
        :func:`key_values` of the run; an item naming a number not in it is
        left out.
    lesson : str
        The open lesson's scenario id, or ``""``.

    Returns
    -------
    list of simapp.text.worksheet.Item
        Between :data:`~simapp.text.worksheet.MIN_QUESTIONS` and
        :data:`~simapp.text.worksheet.MAX_QUESTIONS` of them; a generic item
        is left out when a lesson's item asks about its topic.
    """
    if lesson:
        scenario(lesson)  # ValueError naming the lessons
    have = set(values)
    chosen = [i for i in words.LESSON_ITEMS.get(lesson, ()) if words.fields(i) <= have]
    for item in words.GENERIC:
        asked = {i.topic for i in chosen}
        room = len(chosen) < words.MAX_QUESTIONS
        if room and item.topic not in asked and words.fields(item) <= have:
            chosen.append(item)
    if len(chosen) < words.MIN_QUESTIONS:
        raise ValueError(
            f"values give {len(chosen)} questions; at least "
            f"{words.MIN_QUESTIONS} are needed (missing numbers?)"
        )
    return chosen


def _fill(template: str, values: Mapping[str, KeyValue]) -> str:
    """``template`` as HTML, each field a ``<span data-key data-value>``."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(html.escape(literal, quote=False))
        if name:
            v = values[name]
            parts.append(
                f'<span class="num" data-key="{name}" '
                f'data-value="{html.escape(v.value)}">{html.escape(v.text)}</span>'
            )
    return "".join(parts)


def _figures(figures: Sequence[tuple[str, str]]) -> str:
    out = []
    for what, url in figures:
        caption = words.figure_caption(what)
        if not _PNG_URL.fullmatch(url):
            raise ValueError(f"figure {what!r}: url must be a base64 PNG data URL")
        caption = html.escape(caption)
        out.append(
            f'<figure data-chart="{what}"><img src="{url}" alt="{caption}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    return f'<section class="figures">{"".join(out)}</section>' if out else ""


def _link(link: str) -> str:
    if not link:
        return ""
    text = html.escape(link)
    shown = f'<a href="{text}">{text}</a>' if link.startswith(_LINK_SCHEMES) else text
    return f'<p class="link">{html.escape(words.LINK_LABEL)} {shown}</p>'


def _questions_html(items, values) -> str:
    rows = []
    for item in items:
        lines = '<div class="line"></div>' * item.lines
        rows.append(
            f'<li class="question" data-topic="{item.topic}">'
            f"<p>{_fill(item.question, values)}</p>"
            f'<div class="answer-space">{lines}</div></li>'
        )
    heading = html.escape(words.QUESTIONS_HEADING)
    return (
        f'<section class="questions"><h2>{heading}</h2><ol>{"".join(rows)}</ol>'
        "</section>"
    )


def _key_html(items, values, settings: str) -> str:
    rows = [
        f'<li class="answer" data-topic="{item.topic}">'
        f"{_fill(item.answer, values)}</li>"
        for item in items
    ]
    return (
        f'<section class="key"><h2>{html.escape(words.KEY_HEADING)}</h2>'
        f'<p class="settings">{settings}</p>'
        f"<p>{html.escape(words.KEY_NOTE)}</p><ol>{''.join(rows)}</ol></section>"
    )


_CSS = """
@page { size: A4; margin: 15mm 15mm 18mm; }
* { box-sizing: border-box; }
body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #111; background: #fff; max-width: 190mm; margin: 0 auto; padding: 4mm; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 5mm 0 2mm; break-after: avoid; }
.settings, .link { margin: 0 0 1.5mm; font-size: 9.5pt; color: #333;
  overflow-wrap: anywhere; }
.name { display: flex; gap: 8mm; margin: 3mm 0; }
.name span { flex: 1; border-bottom: 1px solid #555; padding-top: 5mm; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; }
figure { margin: 0; flex: 0 1 calc(50% - 1.5mm); break-inside: avoid; }
figure img { width: 100%; height: auto; border: 1px solid #ccc; }
figcaption { font-size: 8.5pt; color: #333; }
ol { padding-left: 6mm; margin: 0; }
.question { break-inside: avoid; margin: 0 0 3mm; }
.question p { margin: 0 0 1mm; }
.line { height: 7mm; border-bottom: 1px solid #999; }
.num { font-variant-numeric: tabular-nums; }
.key { break-before: page; page-break-before: always; }
.key li { margin: 0 0 2mm; }
.hint { background: #fff8d6; border: 1px solid #e0c050; padding: 2mm 3mm; }
@media print { .hint { display: none; } body { padding: 0; max-width: none; } }
"""


def page(
    result: ExperimentResult,
    *,
    lesson: str = "",
    link: str = "",
    figures: Sequence[tuple[str, str]] = (),
    data_title: str = "",
    class_names: Sequence[str] = (),
) -> str:
    """The worksheet of ``result`` as one HTML document.

    Parameters
    ----------
    result : emcore.records.ExperimentResult
        The finished run.
    lesson : str
        The open lesson's scenario id (its title heads the sheet and its
        own questions come first), or ``""``.
    link : str
        The page's link to this run.
    figures : sequence of (str, str)
        ``(chart, url)``: ``cluster``, ``loglik`` or ``ic`` and the chart as
        a base64 PNG data URL, in the order shown.
    data_title, class_names
        What the data are and their class names (own data, a bundled
        dataset); escaped here.

    Returns
    -------
    str
        A complete HTML document (no scripts; styles inline).
    """
    title = words.page_title(scenario(lesson).title if lesson else "")
    values = key_values(result)
    items = questions(values, lesson)
    line = words.settings_line(result.settings, data_title, class_names)
    settings = html.escape(line)
    name = "".join(f"<span>{html.escape(w)}:</span>" for w in words.NAME_LINE)
    body = "".join(
        [
            f'<p class="hint">{html.escape(words.PRINT_HINT)}</p>',
            f"<header><h1>{html.escape(title)}</h1>",
            f'<p class="settings">{settings}</p>{_link(link)}',
            f'<p class="name">{name}</p></header>',
            _figures(figures),
            _questions_html(items, values),
            _key_html(items, values, settings),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
        f'<body data-questions="{len(items)}" data-lesson="{html.escape(lesson)}">'
        f"{body}</body></html>\n"
    )
