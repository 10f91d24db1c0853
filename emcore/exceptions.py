"""The errors and warnings emcore shares with scikit-learn's tooling.

``NotFittedError`` and ``ConvergenceWarning`` are resolved on first use: when
scikit-learn is importable they subclass both emcore's own base class and
scikit-learn's class of the same name, so ``pytest.raises`` and warning
filters written for either library catch them; without scikit-learn (numpy
alone, or Pyodide) they are emcore's own classes with scikit-learn's bases.
scikit-learn is imported only when one of them is first needed, never when
emcore is imported.
"""

from __future__ import annotations

import importlib.util

# both resolved by the module __getattr__ below
__all__ = ["ConvergenceWarning", "NotFittedError"]  # noqa: F822


class EmcoreNotFittedError(ValueError, AttributeError):
    """A method that needs a fitted model was called before ``fit``."""


class EmcoreConvergenceWarning(UserWarning):
    """The best start stopped at ``max_iter`` before meeting ``tol``."""


_OWN = {
    "NotFittedError": EmcoreNotFittedError,
    "ConvergenceWarning": EmcoreConvergenceWarning,
}
_RESOLVED: dict = {}


def _sklearn_exceptions():
    try:
        if importlib.util.find_spec("sklearn") is None:
            return None
        import sklearn.exceptions
    except (ImportError, ValueError):  # blocked or broken install: numpy alone
        return None
    return sklearn.exceptions


def resolve(name):
    """The class emcore raises or warns with for ``name`` (see the module)."""
    if name not in _RESOLVED:
        own = _OWN[name]
        theirs = _sklearn_exceptions()
        if theirs is None:
            _RESOLVED[name] = own
        else:
            namespace = {"__module__": __name__, "__doc__": own.__doc__}
            cls = type(name, (own, getattr(theirs, name)), namespace)
            cls.__qualname__ = name
            _RESOLVED[name] = cls
    return _RESOLVED[name]


def __getattr__(name):
    if name in _OWN:
        return resolve(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
