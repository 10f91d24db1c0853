"""pytest plugin: scikit-learn's tests get emcore's GaussianMixture.

Loaded with ``-p sklearn_swap_plugin`` by ``test_sklearn_suite.py`` for a pytest
run over scikit-learn's installed test files. Before any test module is
imported it replaces ``sklearn.mixture.GaussianMixture`` by
``emcore.GaussianMixture``, so ``from sklearn.mixture import GaussianMixture``
in those files gives emcore's estimator; nothing else changes.
"""


def pytest_configure(config):
    import sklearn.mixture

    import emcore

    sklearn.mixture.GaussianMixture = emcore.GaussianMixture


def pytest_report_header(config):
    import sklearn.mixture

    cls = sklearn.mixture.GaussianMixture
    return f"GaussianMixture under test: {cls.__module__}.{cls.__qualname__}"
