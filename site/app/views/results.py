"""The results panel: the fit's numbers, notes, fit versus truth, timings.

Every result element carries its full-precision value in ``data-value``;
``document.body`` carries the finished run's ``data-run-ms``,
``data-em-fps`` (EM iterations per second), ``data-draw-fps`` (of them,
drawn per second), ``data-longest-slice-ms``, ``data-longest-slice`` and
``data-draw-ms-median``.
"""

from __future__ import annotations

from simapp.text import gallery, results

from .. import dom
from . import shown


class ResultsView:
    """``#results`` fields, ``#result-notes``, ``#fit-vs-truth``, ``#run-stats``,
    ``#result-anomalies`` and the stage's one-line ``#headline``."""

    def __init__(self, data, state) -> None:
        self.data = data
        self.state = state  # the page state, for the placeholder's meaning
        self.fields = {
            element_id: dom.el(element_id) for element_id in results.RESULT_IDS
        }
        self.notes = dom.el("result-notes")
        self.fit_vs_truth = dom.el("fit-vs-truth")
        self.run_stats = dom.el("run-stats")
        self.headline = dom.el("headline")  # shown where the panel is not

    def render(self, old, new) -> None:
        """A run that ended without a result (failed, cancelled) leaves no
        field at "…" (computing): they say "–" (no result)."""
        if old.running and not new.running and not new.timeline.has_result:
            self.clear()
        elif old.display.anomaly != new.display.anomaly and not new.running:
            self.show_anomalies()

    def clear(self) -> None:
        # "…" while a run computes them, "–" when none will come
        mark = results.COMPUTING if self.state().running else results.NO_RESULT
        for el in self.fields.values():
            el.textContent = mark
            el.dataset.value = ""
            el.dataset.kind = ""
        for element_id in ("result-loglik-detail", "result-verdict-reason"):
            dom.el(element_id).textContent = ""
        dom.fill_list(self.notes, [])
        self.run_stats.textContent = ""
        self.headline.textContent = ""
        self.fit_vs_truth.hidden = True
        self.show_anomalies(cleared=True)

    def fill(self) -> None:
        result = self.data.result
        fields = results.format_result(result)
        for element_id, field in fields.items():
            el = self.fields.get(element_id) or dom.el(element_id)
            el.textContent = field.text
            el.dataset.value = field.value
            el.dataset.kind = field.kind
        dom.el("result-loglik-detail").textContent = fields["result-loglik"].detail
        dom.el("result-verdict-reason").textContent = fields["result-verdict"].detail
        dom.fill_list(self.notes, list(result.notes))
        self.headline.textContent = results.headline(fields)
        s = result.settings
        k, k_true = int(s["k"]), s.get("k_true")
        bic_k = int(result.picks.bic.k)
        text, kind = results.fit_vs_truth(k, k_true, bic_k)
        el = self.fit_vs_truth
        el.textContent = text
        ds = el.dataset
        ds.kind, ds.k, ds.bicK = kind, str(k), str(bic_k)
        ds.kTrue = "" if k_true is None else str(int(k_true))
        el.hidden = False
        self.show_anomalies()
        self.fill_stats()

    def show_anomalies(self, *, cleared: bool = False) -> None:
        """``#result-anomalies``: how many points are flagged (``data-value``),
        and on planted outliers how many were caught; hidden when off or
        ``cleared`` (the last result is gone)."""
        found = None if cleared else shown.anomalies(self.state(), self.data)
        dom.el("anomaly-card").hidden = found is None
        el = dom.el("result-anomalies")
        el.dataset.value = "" if found is None else str(found.n_flagged)
        el.textContent = (
            results.NO_RESULT
            if found is None
            else gallery.anomaly_count(found.n_flagged, found.percent)
        )
        dom.el("result-anomalies-note").textContent = found.note if found else ""

    def fill_stats(self) -> None:
        stats = self.data.stats
        if not stats:
            return
        body = dom.web.page.body.dataset
        if stats["draw_ms_median"] is not None:
            body.drawMsMedian = f"{stats['draw_ms_median']:.1f}"
        fps, (longest, what) = stats["fps"], stats["longest"]
        body.runMs = str(round(stats["seconds"] * 1000))
        body.emFps = f"{fps:.1f}" if fps else ""
        draw_fps = stats.get("draw_fps")
        body.drawFps = f"{draw_fps:.1f}" if draw_fps else ""
        body.longestSliceMs = str(round(longest * 1000, 1))
        body.longestSlice = what
        self.run_stats.textContent = results.run_stats(stats["seconds"], fps, longest)
