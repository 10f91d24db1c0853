"""pytest plugin: scikit-learn's tests get emcore's mixture estimators.

Loaded with ``-p sklearn_swap_plugin`` by ``test_sklearn_suite.py`` for a pytest
run over scikit-learn's installed test files. Before any test module is
imported it replaces ``sklearn.mixture.GaussianMixture`` and
``sklearn.mixture.BayesianGaussianMixture`` by emcore's, so ``from
sklearn.mixture import GaussianMixture`` in those files gives emcore's
estimator; nothing else changes.
"""

SWAPPED = ("GaussianMixture", "BayesianGaussianMixture")


def pytest_configure(config):
    import sklearn.mixture

    import emcore

    for name in SWAPPED:
        setattr(sklearn.mixture, name, getattr(emcore, name))


def pytest_report_header(config):
    import sklearn.mixture

    return [
        f"{name} under test: {cls.__module__}.{cls.__qualname__}"
        for name in SWAPPED
        for cls in [getattr(sklearn.mixture, name)]
    ]
