"""The local-optimum lesson's annealing step shows what its text promises:
annealed, every start ends on the same answer, below the best plain start."""

from __future__ import annotations

import numpy as np
from simapp.lessons.scenarios import scenario
from simapp.state.settings import parse_settings

from emcore.experiment import run

LESSON = "local-optimum"


def _run(**changes):
    settings, notes = parse_settings(scenario(LESSON).query)
    assert notes == []
    return run(**settings.with_changes(**changes).to_run_kwargs())


def test_annealed_starts_agree_on_a_lower_peak_than_the_best_plain_start():
    assert "Anneal" in scenario(LESSON).change
    plain, annealed = _run(), _run(anneal=True)
    assert annealed.settings["annealing"] == (1.5, 0.9)
    finals = np.array([s.loglik_mean for s in annealed.starts])
    assert len(finals) == 10
    np.testing.assert_allclose(finals, finals[0], rtol=0, atol=1e-6)  # agree
    assert annealed.verdict == "OK" and annealed.n_optima == 1
    best_plain = max(s.loglik_mean for s in plain.starts)
    assert finals[0] < best_plain - 1e-3  # a lower log-likelihood
    assert annealed.loglik < plain.loglik
