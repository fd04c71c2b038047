"""The one message shape and the coercion helpers."""

import numpy as np
import pytest

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError, KnowledgeBaseError


def test_message_shape():
    msg = v.describe("age", "a number", "x", ("agee",))
    assert msg == "age: expected a number, got 'x' (str). Did you mean 'agee'?"


def test_fail_sets_attributes():
    e = v.fail(KnowledgeBaseError, "f.toml: a.b", "c", 3)
    assert isinstance(e, KnowledgeBaseError) and e.key == "f.toml: a.b" and e.got == 3


def test_close_matches_is_case_insensitive_and_capped():
    assert v.close_matches("TINGLNG", ["tingling", "twitching"]) == ("tingling",)
    assert len(v.close_matches("a", [f"a{i}" for i in range(10)])) <= 3


@pytest.mark.parametrize("value", [True, False, np.bool_(True)])
def test_coerce_bool_accepts_bools(value):
    assert v.coerce_bool("k", value) is bool(value)


@pytest.mark.parametrize("word, out", [("yes", True), ("No", False), ("TRUE", True), ("0", False), (" y ", True)])
def test_coerce_bool_strings(word, out):
    assert v.coerce_bool("k", word, strings=True) is out


@pytest.mark.parametrize("bad", ["yes", 1, 0.5, None, [True]])
def test_coerce_bool_rejects_without_flags(bad):
    with pytest.raises(EvidenceError, match="k: expected True or False"):
        v.coerce_bool("k", bad)


def test_coerce_bool_numbers01():
    assert v.coerce_bool("k", 1, numbers01=True) is True
    with pytest.raises(EvidenceError):
        v.coerce_bool("k", 2, numbers01=True)


@pytest.mark.parametrize("bad", [float("inf"), float("nan"), 10**400, -1, "old", None, True])
def test_coerce_age_rejects(bad):
    with pytest.raises(EvidenceError, match="age: expected a number of years from 18 to 120"):
        v.coerce_age("age", bad, 18, 120)


def test_check_probability():
    assert v.check_probability(0.5, key="p") == 0.5
    for bad in (0.0, 1.0, float("nan"), "0.5", True):
        with pytest.raises(EvidenceError):
            v.check_probability(bad, key="p")
    assert v.check_probability(0.0, key="p", open_interval=False) == 0.0


@pytest.mark.parametrize("value, missing", [(None, True), (float("nan"), True), (np.nan, True), (np.float32("nan"), True),
                                            (0.0, False), (False, False), ("", False), ("nan", False)])
def test_is_missing(value, missing):
    import pandas as pd

    assert v.is_missing(value) is missing
    assert v.is_missing(pd.NA)


@pytest.mark.parametrize("bad", [-1, 2.5, True, "3", float("nan"), None])
def test_check_count(bad):
    assert v.check_count("k", 3) == 3 and v.check_count("k", np.int64(0)) == 0 and v.check_count("k", None) is None
    with pytest.raises(EvidenceError, match="^k: expected a whole number >= 0"):
        v.check_count("k", bad, allow_none=False) if bad is None else v.check_count("k", bad)


def test_text_numbers_only_for_data_tables():
    assert v.coerce_bool("k", "1.0", strings=True, numbers01=True) is True
    assert v.coerce_bool("k", " 0.0 ", strings=True, numbers01=True) is False
    with pytest.raises(EvidenceError):
        v.coerce_bool("k", "1.0", strings=True)  # a command line says yes/no
    with pytest.raises(EvidenceError):
        v.coerce_bool("k", "2.0", strings=True, numbers01=True)


def test_long_keys_are_cut_in_the_middle():
    key = "a" * 500 + "tail.field"
    shown = v.show_key(key)
    assert len(shown) <= v.KEY_LIMIT and shown.endswith("tail.field") and "..." in shown
    assert v.close_matches("x" * 10_000, ["x"]) == ()


@pytest.mark.parametrize(
    "value, on",
    [("1", True), ("true", True), ("YES", True), (" on ", True), ("0", False), ("false", False), ("No", False), ("", False), ("2", False), (None, False)],
)
def test_env_flag_is_on_only_for_yes_words(monkeypatch, value, on):
    """TWITCHNET_NO_KERNEL=0 must not switch the kernel off (hostile-2026-12 L1)."""
    if value is None:
        monkeypatch.delenv("TWITCHNET_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("TWITCHNET_TEST_FLAG", value)
    assert v.env_flag("TWITCHNET_TEST_FLAG") is on


def test_a_str_subclass_whose_methods_raise_is_read_by_the_str_methods():
    # hostile L3: a str subclass whose strip raises gave a bare RuntimeError in a frame (and in diagnose)
    import pandas as pd

    import twitchnet

    class Hostile(str):
        def strip(self, *a):
            raise RuntimeError("strip")

        def lower(self):
            raise RuntimeError("lower")

    df = pd.DataFrame({"saddle_numbness": [True, True], "tingling": pd.Series([Hostile(" Yes"), Hostile("maybe")], dtype=object),
                       "sex": pd.Series([Hostile("Male "), Hostile("female")], dtype=object),
                       "age": pd.Series([Hostile(" 40"), Hostile("x")], dtype=object)})
    with pytest.warns(UserWarning, match="bad cell"):
        out = twitchnet.diagnose_frame(df, errors="coerce")
    assert out["urgent"].all() and list(out["coerced"]) == ["", "tingling,age"]
    d = twitchnet.diagnose({"saddle_numbness": True, "tingling": Hostile("yes"), "sex": Hostile("male"), "age": Hostile("50")}, strings=True)
    assert d.urgent and d.evidence["tingling"] is True and d.evidence["sex"] == "male"
