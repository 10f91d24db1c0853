"""Information criteria: AIC/BIC against K, or every covariance type.

``#ic-canvas`` carries ``data-ks``, ``data-aic``, ``data-bic`` (JSON, null
for K not computed yet) of the run's own covariance type; with the comparison
on also ``data-comparison`` (JSON: ks, criterion, higher_is_better, series
per type as plotted), ``data-y-label`` and ``data-best-model`` (JSON ``[cov,
k]`` by the chosen criterion).
"""

from __future__ import annotations

import json

from simapp.charts import axes, comparison_chart, ic_chart
from simapp.charts.look import display_look
from simapp.text import criteria as words

from emcore import experiment

from .. import dom


class IcView:
    """``#ic-canvas``, the comparison options and both summaries."""

    def __init__(self, data, state) -> None:
        self.data = data
        self.state = state
        self.canvas = dom.Canvas("ic-canvas")
        self.summary = dom.el("ic-summary")
        self.warning = dom.el("ic-warning")
        self.compare_summary = dom.el("compare-summary")
        self.caption = dom.el("ic-caption")
        self._filled: tuple | None = None  # (result, own) of the summary

    def render(self, old, new) -> None:
        if old.display == new.display:
            return
        changed = (old.display.ic_criterion, old.display.ic_higher) != (
            new.display.ic_criterion,
            new.display.ic_higher,
        )
        model = self.data.model
        if changed and model is not None and not new.running:
            self.canvas.fit()
            self.draw(model)
            if self._filled is not None and self._filled[0] is model.result:
                result, own = self._filled  # the summary leads with the criterion
                self.fill(result, own=own)

    def clear(self) -> None:
        self.summary.textContent = words.ic_progress([], experiment.SWEEP_KS)
        self.summary.dataset.aicK = self.summary.dataset.bicK = ""
        self.warning.hidden = True
        self.warning.textContent = ""

    def _lists(self, model):
        """K, AIC, BIC and whether each fit rests on a suspect component."""
        ks = experiment.SWEEP_KS
        if model.result is not None:
            sweep = model.result.sweep
            aic = [float(v) for v in sweep.aic]
            bic = [float(v) for v in sweep.bic]
            ks = tuple(int(k) for k in sweep.ks)
            left_out = [bool(note) for note in sweep.notes]
        else:
            aic, bic = model.ic_lists(ks)
            cov = model.settings.get("cov")
            cells = [model.comparison.get((cov, k)) for k in ks]
            left_out = [cell is not None and bool(cell.note) for cell in cells]
        return ks, aic, bic, left_out

    def draw(self, model, look=None) -> None:
        """Draw ``model``'s criteria in the page theme's colours, or in
        ``look`` (an export's light look)."""
        c = self.canvas
        look = look or display_look(self.state().display)
        ks, aic, bic, left_out = self._lists(model)
        if model.settings.get("compare"):
            self.draw_comparison(model, ks, look)
        else:
            self.hide_comparison()
            self.caption.textContent = ic_chart.caption()
            if model.result is None:
                self.summary.textContent = words.ic_progress(list(model.ic), ks)
            ic_chart.draw_ic_chart(
                c.ctx,
                c.width,
                c.height,
                ks,
                aic,
                bic,
                c.dpr * self.state().display.scale,  # presenter mode: larger
                current_k=int(model.settings["k"]),
                look=look,
                left_out=left_out,
            )
        ds = c.dataset
        ds.ks = json.dumps(list(ks))
        ds.aic = json.dumps(aic)
        ds.bic = json.dumps(bic)

    def draw_comparison(self, model, ks, look) -> None:
        """The mclust-style chart: one line per covariance type."""
        c = self.canvas
        view = self.state().display
        if model.result is not None:
            cells = comparison_chart.cells_from_result(model.result)
        else:
            cells = model.comparison
        criterion, higher = view.ic_criterion, view.ic_higher
        series = comparison_chart.series(cells, ks, criterion, higher_is_better=higher)
        best = comparison_chart.best_cell(cells, criterion)
        y_label = words.axis_label(criterion, higher_is_better=higher)
        s = model.settings
        comparison_chart.draw_comparison_chart(
            c.ctx,
            c.width,
            c.height,
            ks,
            series,
            c.dpr * view.scale,  # presenter mode: larger
            y_title=y_label,
            best=best,
            current=(str(s["cov"]), int(s["k"])),
            look=look,
        )
        ds = c.dataset
        ds.comparison = json.dumps(
            {
                "ks": list(ks),
                "criterion": criterion,
                "higher_is_better": higher,
                "series": series,
            }
        )
        ds.yLabel = y_label
        self.caption.textContent = comparison_chart.caption(
            criterion, higher_is_better=higher
        )
        ds.bestModel = json.dumps(best)
        done = model.result is not None
        summary = self.compare_summary
        summary.textContent = words.best_text(best, criterion, complete=done)
        summary.dataset.bestModel = json.dumps(best) if done else ""
        summary.hidden = False

    def hide_comparison(self) -> None:
        for name in ("data-comparison", "data-y-label", "data-best-model"):
            self.canvas.el.removeAttribute(name)
        self.compare_summary.hidden = True

    def fill(self, result, *, own: bool) -> None:
        """The summary sentence of a finished run."""
        true_k = None
        if not own:
            true_k = int(result.settings.get("k_true") or result.settings["k"])
        picks = result.picks
        self._filled = (result, own)
        # the comparison's criterion leads; the AIC/BIC chart is BIC's
        compare = bool(result.settings.get("compare"))
        criterion = self.state().display.ic_criterion if compare else "bic"
        self.summary.textContent = words.ic_summary(
            int(picks.bic.k),
            int(picks.aic.k),
            true_k=true_k,
            criterion=criterion,
            best_icl=int(picks.icl.k),
        )
        self.summary.dataset.bicK = str(int(picks.bic.k))
        self.summary.dataset.aicK = str(int(picks.aic.k))
        text, healthy = words.pick_warning(picks)
        warning = self.warning
        warning.textContent = text
        warning.hidden = not text
        for crit, k in healthy.items():
            setattr(warning.dataset, f"{crit}Healthy", "" if k is None else str(k))

    def draw_empty(self) -> None:
        c = self.canvas
        c.fit()
        look = display_look(self.state().display)
        axes.draw_empty(c.ctx, c.width, c.height, c.dpr, words.IC_EMPTY, look)
