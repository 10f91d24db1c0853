"""The mutants of :mod:`mutants`: realistic one-line bugs in emcore and in
the page's pure code, each with the tests that should catch it.

Page-code mutants target the files least likely to move
(``site/simapp/state/settings.py``, ``state/reducer.py``,
``exports/reproduce.py``); every mutant finds its code by text, so after a
refactor only the ``path`` (or the ``find`` text) needs updating.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- the tests each part of the code answers to --------------------------------
ENGINE = (
    "tests/emcore/test_em.py",
    "tests/emcore/test_mixture.py",
    "tests/emcore/test_densities.py",
    "tests/emcore/test_robustness.py",
)
INIT = ("tests/emcore/test_initialization.py", "tests/emcore/test_mixture.py")
LINALG = ("tests/emcore/kernels/test_linalg_2x2.py", "tests/emcore/test_densities.py")
SELECTION = ("tests/emcore/test_selection.py", "tests/emcore/test_mixture.py")
METRICS = ("tests/emcore/test_metrics.py",)
SYNTHETIC = ("tests/emcore/synthetic/test_overlap.py",)
SETTINGS = ("tests/site/state/test_settings.py",)
REDUCER = ("tests/site/state/test_reducer.py", "tests/site/state/test_sources.py")
REPRODUCE = ("tests/site/exports/test_reproduce.py",)


@dataclass(frozen=True)
class Mutant:
    """One planted bug: ``find`` (unique in ``path``) becomes ``replace``."""

    name: str
    kind: str
    path: str
    find: str
    replace: str
    tests: tuple[str, ...]


M = Mutant
MUTANTS = (
    # --- parameter counts and criteria ---------------------------------------
    M(
        "full-params-d-squared",
        "parameter count",
        "emcore/mixture.py",
        '"full": n_components * n_features * (n_features + 1) // 2,',
        '"full": n_components * n_features * n_features,',
        SELECTION,
    ),
    M(
        "tied-params-per-component",
        "parameter count",
        "emcore/mixture.py",
        '"tied": n_features * (n_features + 1) // 2,',
        '"tied": n_components * n_features * (n_features + 1) // 2,',
        SELECTION,
    ),
    M(
        "weights-not-minus-one",
        "parameter count",
        "emcore/mixture.py",
        "return int(cov_params + n_features * n_components + n_components - 1)",
        "return int(cov_params + n_features * n_components + n_components)",
        SELECTION,
    ),
    M(
        "aic-penalty-once",
        "criterion",
        "emcore/mixture.py",
        "* X.shape[0] + 2 * self.n_parameters()",
        "* X.shape[0] + self.n_parameters()",
        SELECTION,
    ),
    M(
        "bic-sign",
        "criterion",
        "emcore/mixture.py",
        "return -2 * self._mean_log_likelihood(X) * n + self.n_parameters()",
        "return 2 * self._mean_log_likelihood(X) * n + self.n_parameters()",
        SELECTION,
    ),
    M(
        "sweep-bic-log-penalty",
        "criterion",
        "emcore/selection.py",
        "bic = -2.0 * loglik + p * math.log(n)",
        "bic = -2.0 * loglik + 2 * p",
        SELECTION,
    ),
    M(
        "sweep-picks-largest",
        "criterion",
        "emcore/selection.py",
        "return min(mine, key=lambda c: (getattr(c, criterion), c.n_components))",
        "return max(mine, key=lambda c: (getattr(c, criterion), c.n_components))",
        SELECTION,
    ),
    # --- regularisation -------------------------------------------------------
    M(
        "full-reg-covar-dropped",
        "regularisation",
        "emcore/kernels/mstep.py",
        "cov.reshape(K, d * d)[:, :: d + 1] += reg_covar",
        "cov.reshape(K, d * d)[:, :: d + 1] += 0.0 * reg_covar",
        ENGINE,
    ),
    M(
        "diag-reg-covar-doubled",
        "regularisation",
        "emcore/kernels/mstep.py",
        "    cov = second - means * means\n    cov += reg_covar",
        "    cov = second - means * means\n    cov += 2 * reg_covar",
        ENGINE,
    ),
    M(
        "tied-divided-by-k",
        "regularisation",
        "emcore/kernels/mstep.py",
        "    cov /= nk.sum()\n",
        "    cov /= len(nk)\n",
        ENGINE,
    ),
    M(
        "spherical-sum-not-mean",
        "regularisation",
        "emcore/kernels/mstep.py",
        "return _cov_diag(work, nk, means, second, sums, reg_covar).mean(axis=1)",
        "return _cov_diag(work, nk, means, second, sums, reg_covar).sum(axis=1)",
        ENGINE,
    ),
    M(
        "ridge-never-grows",
        "regularisation",
        "emcore/em.py",
        "ridge = ridge * 10.0",
        "ridge = ridge * 1.0",
        ENGINE,
    ),
    M(
        "ridge-ignores-reg-covar",
        "regularisation",
        "emcore/em.py",
        "ridge = np.maximum(np.maximum(reg_covar, _RIDGE_RTOL * scale), _RIDGE_FLOOR)",
        "ridge = np.maximum(_RIDGE_RTOL * scale, _RIDGE_FLOOR)",
        ENGINE,
    ),
    M(
        "singular-threshold-zero",
        "regularisation",
        "emcore/densities.py",
        "SINGULAR_RTOL = 1e-12",
        "SINGULAR_RTOL = 0.0",
        LINALG + ("tests/emcore/test_mixture.py",),
    ),
    M(
        "singular-2x2-signed-correlation",
        "regularisation",
        "emcore/kernels/linalg.py",
        "if not 1.0 - abs(b) / math.sqrt(a) / math.sqrt(c) > rtol:",
        "if not 1.0 - b / math.sqrt(a) / math.sqrt(c) > rtol:",
        LINALG,
    ),
    M(
        "singular-check-skips-2x2",
        "regularisation",
        "emcore/densities.py",
        "        return singular_2x2(mats, SINGULAR_RTOL)",
        "        return []",
        LINALG,
    ),
    M(
        "cholesky-pivot-unchecked",
        "regularisation",
        "emcore/kernels/linalg.py",
        "if not pivot > _EPS * c:",
        "if not pivot > -math.inf:",
        LINALG,
    ),
    M(
        "precision-factor-sign",
        "regularisation",
        "emcore/kernels/linalg.py",
        "factors.append((u11, -(l21 * u11) / l22, 0.0, 1.0 / l22))",
        "factors.append((u11, (l21 * u11) / l22, 0.0, 1.0 / l22))",
        LINALG,
    ),
    M(
        "soft-count-guard-dropped",
        "regularisation",
        "emcore/kernels/mstep.py",
        "nk = sums[:, 0] + 10 * EPS",
        "nk = sums[:, 0]",
        ENGINE,
    ),
    # --- convergence ------------------------------------------------------------
    M(
        "em-stops-at-equal",
        "convergence",
        "emcore/em.py",
        "converged = bool(abs(change) < tol)",
        "converged = bool(abs(change) <= tol)",
        ENGINE,
    ),
    M(
        "em-signed-change",
        "convergence",
        "emcore/em.py",
        "converged = bool(abs(change) < tol)",
        "converged = bool(change < tol)",
        ENGINE,
    ),
    M(
        "em-one-iteration-short",
        "convergence",
        "emcore/em.py",
        "for iteration in range(1, max_iter + 1):",
        "for iteration in range(1, max_iter):",
        ENGINE,
    ),
    M(
        "best-start-smallest-bound",
        "convergence",
        "emcore/base.py",
        "or result.lower_bound > best.lower_bound",
        "or result.lower_bound < best.lower_bound",
        ENGINE,
    ),
    M(
        "lloyd-stops-strictly",
        "convergence",
        "emcore/initialization.py",
        "if shift <= threshold:",
        "if shift < threshold:",
        INIT,
    ),
    M(
        "lloyd-threshold-sums-variances",
        "convergence",
        "emcore/initialization.py",
        "threshold = tol * float(np.mean(np.var(X, axis=0)))",
        "threshold = tol * float(np.sum(np.var(X, axis=0)))",
        INIT,
    ),
    M(
        "lloyd-threshold-total-variance",
        "convergence",
        "emcore/initialization.py",
        "threshold = tol * float(np.mean(np.var(X, axis=0)))",
        "threshold = tol * float(np.var(X))",
        INIT,
    ),
    # --- initialisation -----------------------------------------------------------
    M(
        "kmeanspp-argmax",
        "initialisation",
        "emcore/initialization.py",
        "candidates = np.searchsorted(np.cumsum(closest), targets)",
        "candidates = np.full(n_local_trials, np.argmax(closest))",
        INIT,
    ),
    M(
        "kmeanspp-one-plus-log-trials",
        "initialisation",
        "emcore/initialization.py",
        "n_local_trials = 2 + int(np.log(n_clusters))",
        "n_local_trials = 1 + int(np.log(n_clusters))",
        INIT,
    ),
    M(
        "kmeanspp-worst-candidate",
        "initialisation",
        "emcore/initialization.py",
        "best = int(np.argmin(trial_potential))",
        "best = int(np.argmax(trial_potential))",
        INIT,
    ),
    M(
        "kmeanspp-first-never-last",
        "initialisation",
        "emcore/initialization.py",
        "indices[0] = rng.integers(n_samples)",
        "indices[0] = rng.integers(n_samples - 1)",
        INIT,
    ),
    M(
        "lloyd-reseeds-best-served",
        "initialisation",
        "emcore/initialization.py",
        "far = np.argsort(d2[labels, np.arange(len(X))])[::-1][: empty.size]",
        "far = np.argsort(d2[labels, np.arange(len(X))])[: empty.size]",
        INIT,
    ),
    M(
        "lloyd-empty-keeps-old-centre",
        "initialisation",
        "emcore/initialization.py",
        "            new[empty] = X[far]\n",
        "            pass\n",
        INIT,
    ),
    M(
        "random-from-data-with-replacement",
        "initialisation",
        "emcore/initialization.py",
        "indices = rng.choice(n_samples, size=n_components, replace=False)",
        "indices = rng.choice(n_samples, size=n_components, replace=True)",
        INIT,
    ),
    M(
        "random-resp-unnormalised",
        "initialisation",
        "emcore/initialization.py",
        "        resp /= resp.sum(axis=1)[:, np.newaxis]\n",
        "        resp /= resp.sum(axis=0)[np.newaxis, :]\n",
        INIT,
    ),
    M(
        "lloyd-returns-stale-labels",
        "initialisation",
        "emcore/initialization.py",
        "    labels = np.argmin((yield from _distance_steps(X, centers, slices)), "
        "axis=0)\n",
        "",
        INIT,
    ),
    M(
        "best-start-later-wins-ties",
        "initialisation",
        "emcore/base.py",
        "or result.lower_bound > best.lower_bound",
        "or result.lower_bound >= best.lower_bound",
        ENGINE,
    ),
    # --- densities and the E-step ---------------------------------------------------
    M(
        "diag-mahalanobis-divides",
        "densities",
        "emcore/densities.py",
        "    y *= prec_chol[:, :, np.newaxis]",
        "    y /= prec_chol[:, :, np.newaxis]",
        ENGINE,
    ),
    M(
        "e-step-underflow-cutoff-raised",
        "densities",
        "emcore/kernels/moments.py",
        "UNDERFLOW = -700.0",
        "UNDERFLOW = -100.0",
        ENGINE,
    ),
    M(
        "predict-least-likely",
        "densities",
        "emcore/base.py",
        "return np.argmax(self._weighted_log_prob(X), axis=1)",
        "return np.argmin(self._weighted_log_prob(X), axis=1)",
        ENGINE,
    ),
    # --- label matching and agreement ----------------------------------------------
    M(
        "match-labels-minimises",
        "label matching",
        "emcore/metrics.py",
        "rows, cols = linear_sum_assignment(overlap, maximize=True)",
        "rows, cols = linear_sum_assignment(overlap)",
        METRICS,
    ),
    M(
        "match-labels-leftovers-from-zero",
        "label matching",
        "emcore/metrics.py",
        "mapping[unmatched] = n_true + np.arange(unmatched.size)",
        "mapping[unmatched] = np.arange(unmatched.size)",
        METRICS,
    ),
    M(
        "ari-denominator",
        "label matching",
        "emcore/metrics.py",
        "return 2.0 * (a * d - b * c) / ((a + b) * (b + d) + (a + c) * (c + d))",
        "return 2.0 * (a * d - b * c) / ((a + b) * (b + d) + (a + c) * (b + d))",
        METRICS,
    ),
    # --- the page's simulated data ---------------------------------------------
    M(
        "overlap-rule-reversed",
        "simulated data",
        "emcore/synthetic/overlap.py",
        "return S_SEPARATED ** (1.0 - overlap) * S_OVERLAPPING**overlap",
        "return S_SEPARATED**overlap * S_OVERLAPPING ** (1.0 - overlap)",
        SYNTHETIC,
    ),
    # --- URL settings ------------------------------------------------------------
    M(
        "url-integers-truncated",
        "URL clamps",
        "site/simapp/state/settings.py",
        "rounded = math.floor(value + 0.5)",
        "rounded = math.floor(value)",
        SETTINGS,
    ),
    M(
        "url-integers-half-to-even",
        "URL clamps",
        "site/simapp/state/settings.py",
        "rounded = math.floor(value + 0.5)",
        "rounded = round(value)",
        SETTINGS,
    ),
    M(
        "url-k-true-truncated",
        "URL clamps",
        "site/simapp/state/settings.py",
        "value = math.floor(value + 0.5)",
        "value = math.floor(value)",
        SETTINGS,
    ),
    M(
        "url-above-max-off-by-one",
        "URL clamps",
        "site/simapp/state/settings.py",
        'notes.append(f"{name}={shown} is above the maximum {high}; using {high}")\n'
        "        return high",
        'notes.append(f"{name}={shown} is above the maximum {high}; using {high}")\n'
        "        return high - 1",
        SETTINGS,
    ),
    M(
        "url-below-min-uses-default",
        "URL clamps",
        "site/simapp/state/settings.py",
        'notes.append(f"{name}={shown} is below the minimum {low}; using {low}")\n'
        "        return low",
        'notes.append(f"{name}={shown} is below the minimum {low}; using {low}")\n'
        "        return default",
        SETTINGS,
    ),
    M(
        "url-max-itself-noted",
        "URL clamps",
        "site/simapp/state/settings.py",
        "    if value > high:\n"
        '        notes.append(f"{name}={shown} is above the maximum',
        "    if value >= high:\n"
        '        notes.append(f"{name}={shown} is above the maximum',
        SETTINGS,
    ),
    M(
        "url-tol-snaps-to-largest",
        "URL clamps",
        "site/simapp/state/settings.py",
        "return min(TOL_CHOICES, key=lambda t: abs(math.log10(t) - log_v))",
        "return max(TOL_CHOICES, key=lambda t: abs(math.log10(t) - log_v))",
        SETTINGS,
    ),
    # --- the reducer's cancellation ---------------------------------------------
    M(
        "cancel-keeps-generation",
        "reducer cancellation",
        "site/simapp/state/transitions.py",
        'state, generation=state.generation + 1, running=False, status="ready"',
        'state, generation=state.generation, running=False, status="ready"',
        REDUCER,
    ),
    M(
        "show-data-keeps-generation",
        "reducer cancellation",
        "site/simapp/state/transitions.py",
        '"""Cancel any run and draw the own data as they are."""\n'
        "    generation = state.generation + 1",
        '"""Cancel any run and draw the own data as they are."""\n'
        "    generation = state.generation",
        REDUCER,
    ),
    M(
        "stale-results-accepted",
        "reducer cancellation",
        "site/simapp/state/reducer.py",
        "return generation == state.generation",
        "return generation <= state.generation",
        REDUCER,
    ),
    # --- exports ---------------------------------------------------------------
    M(
        "csv-quotes-not-doubled",
        "CSV quoting",
        "site/simapp/exports/reproduce.py",
        "return '\"' + text.replace('\"', '\"\"') + '\"'",
        "return '\"' + text + '\"'",
        REPRODUCE,
    ),
    M(
        "csv-comma-not-quoted",
        "CSV quoting",
        "site/simapp/exports/reproduce.py",
        "if any(ch in text for ch in ',\"\\n\\r'):",
        "if any(ch in text for ch in '\"\\n\\r'):",
        REPRODUCE,
    ),
    M(
        "csv-components-from-zero",
        "export numbering",
        "site/simapp/exports/reproduce.py",
        "extra.append((np.argmax(rep.resp, axis=1) + 1).tolist())",
        "extra.append(np.argmax(rep.resp, axis=1).tolist())",
        REPRODUCE,
    ),
    M(
        "csv-probability-columns-from-zero",
        "export numbering",
        "site/simapp/exports/reproduce.py",
        'header += [f"p_{j + 1}" for j in range(k)]',
        'header += [f"p_{j}" for j in range(k)]',
        REPRODUCE,
    ),
)
