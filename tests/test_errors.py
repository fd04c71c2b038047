"""Every exception lives in errors.py, subclasses TwitchnetError and ValueError, and pickles."""

import pickle

import pytest

from twitchnet import errors


@pytest.mark.parametrize("name", [n for n in errors.__all__ if not issubclass(getattr(errors, n), Warning)])
def test_every_error_is_a_value_error(name):
    cls = getattr(errors, name)
    assert issubclass(cls, errors.TwitchnetError) and issubclass(cls, ValueError)


def test_the_one_warning_is_a_user_warning():
    assert [n for n in errors.__all__ if issubclass(getattr(errors, n), Warning)] == ["FitWarning"]
    assert issubclass(errors.FitWarning, UserWarning)


def test_not_fitted_error_is_also_an_attribute_error():
    assert issubclass(errors.NotFittedError, AttributeError)


def test_errors_pickle_with_their_attributes():
    e = errors.EvidenceError("age: expected x, got y", key="age", expected="x", got=3, suggestions=("a",))
    e2 = pickle.loads(pickle.dumps(e))
    assert type(e2) is errors.EvidenceError and str(e2) == str(e)
    assert (e2.key, e2.expected, e2.got, e2.suggestions) == ("age", "x", 3, ("a",))
