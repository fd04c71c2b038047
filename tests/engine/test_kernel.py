"""The C encoder (twitchnet.engine.kernel.encode) against the one validation path, model.encode."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence, small_models

import twitchnet
from twitchnet.engine import kernel as _fastpath
from twitchnet.errors import TwitchnetError
from twitchnet.model import DiagnosticModel

pytestmark = pytest.mark.skipif(_fastpath._kernel is None, reason="C kernel not built")

# values that are sometimes valid, sometimes not, and sometimes valid only for the Python path
ODD_VALUES = [None, True, False, 0, 1, 2, -1, 17, 18, 44.0, 45.5, 120, 121, 10**30, "yes", "no", "male", "female", "Male",
              " female", "", np.bool_(True), np.int64(50), float("nan"), math.inf, [], object()]


@st.composite
def odd_evidence(draw, model):
    """Evidence that mixes valid entries, aliases, typos and odd values of any type."""
    ev = draw(evidence(model, allow_impossible=True))
    keys = list(model.evidence_ids) + list(model.kb.aliases) + ["tingl", "Age", 3]
    for _ in range(draw(st.integers(0, 3))):
        ev[draw(st.sampled_from(keys))] = draw(st.sampled_from(ODD_VALUES))
    return ev


def _python(model, ev):
    """What the one validation path gives, in the C encoder's shape; None if it raises."""
    try:
        enc = model.encode(ev)
    except TwitchnetError:
        return None
    n_f = len(model.finding_ids)
    rows = [v * n_f + f for f, v in zip(enc.observed, enc.observed_values)]
    positive = [f for f, v in zip(enc.observed, enc.observed_values) if v]
    return (dict(enc.evidence), enc.codes, enc.observed, tuple(map(bool, enc.observed_values)), rows, positive, enc.true_flags)


def _agrees(model, ev):
    fast = _fastpath.encode(model, ev)
    slow = _python(model, ev)
    if fast is None:
        return slow
    assert slow is not None, f"the C encoder accepted evidence the validation path rejects: {ev!r}"
    assert fast == slow
    for a, b in zip(fast[0].items(), slow[0].items()):  # same order, same types
        assert a == b and type(a[1]) is type(b[1])
    return slow


@given(data=st.data())
@settings(max_examples=300)
def test_c_encoder_equals_the_validation_path_on_the_default_model(model, data):
    ev = data.draw(evidence(model, allow_impossible=True))
    # plain valid evidence takes the C path; an implausible one (pregnancy at 70) declines
    assert (_fastpath.encode(model, ev) is not None) == (model.implausible(ev) is None)
    _agrees(model, ev)


@given(data=st.data())
@settings(max_examples=300)
def test_c_encoder_declines_whatever_the_validation_path_would_treat_differently(model, data):
    _agrees(model, data.draw(odd_evidence(model)))


@given(data=st.data())
@settings(max_examples=60)
def test_c_encoder_equals_the_validation_path_on_random_networks(data):
    m = data.draw(small_models())
    assert m._encode_table is not None
    _agrees(m, data.draw(odd_evidence(m)))


def test_c_encoder_declines_what_is_not_a_plain_dict(model):
    from types import MappingProxyType

    assert _fastpath.encode(model, MappingProxyType({"tingling": True})) is None
    assert _fastpath.encode(model, [("tingling", True)]) is None
    assert _fastpath.encode(model, {"pins_and_needles": True}) is None or "pins_and_needles" not in model.kb.aliases


@given(data=st.data())
@settings(max_examples=100)
def test_diagnose_is_the_same_with_and_without_the_c_encoder(model, data):
    ev = data.draw(odd_evidence(model))
    plain = DiagnosticModel(model.kb)
    object.__setattr__(plain, "_encode_table", None)
    outcomes = []
    for m in (model, plain):
        try:
            d = twitchnet.diagnose(ev, model=m)
            outcomes.append((d.evidence, [(r.cause, r.probability, tuple(r.contributions)) for r in d.ranking], d.red_flags, d.triage, d.log_evidence))
        except TwitchnetError as exc:
            outcomes.append((type(exc), str(exc)))
    assert outcomes[0] == outcomes[1]


def test_c_encoder_rejects_a_bad_table_instead_of_crashing(model):
    k = _fastpath._kernel
    n_f, n_c = len(model.finding_ids), len(model.cause_ids) + 1
    for bad in ({"tingling": (0, 10**6, False, (), None)}, {"tingling": (9, 0, False, (), None)}, {"tingling": "x"},
                {"diabetes": (1, 0, False, ((99, 1),), None)}, {"diabetes": (1, 0, False, "terms", None)}):
        with pytest.raises(ValueError):
            k.encode(bad, dict.fromkeys(bad, True), n_f, n_c)
    with pytest.raises(ValueError):
        k.encode([], {}, n_f, n_c)
    with pytest.raises(ValueError):
        k.encode({}, {}, 10**6, n_c)


def test_instances_builds_the_same_objects_as_the_constructor():
    import pickle
    from dataclasses import asdict, fields, replace

    from twitchnet.results import CauseResult, Contributions

    names = tuple(f.name for f in fields(CauseResult))
    rows = [("neuropathy", "n", 0.5, 0.1, 0.0, -2.0, Contributions(), "clinician", "s", "a", 0.1, 0.2),
            ("rls", "r", 0.25, 0.3, -1.0, -0.5, Contributions(("tingling",), (True,), (0.7,)), "clinician", "s2", "a2", 0.0, 0.3)]
    made = _fastpath.instances(CauseResult, names, rows)
    assert made == [CauseResult(*row) for row in rows]
    for obj, row in zip(made, rows):
        assert type(obj) is CauseResult and repr(obj) == repr(CauseResult(*row))
        assert asdict(obj) == asdict(CauseResult(*row)) and hash(obj) == hash(CauseResult(*row))
        assert pickle.loads(pickle.dumps(obj)) == obj and replace(obj, prior=0.9).prior == 0.9
        with pytest.raises(AttributeError):
            obj.probability = 1.0


def test_instances_rejects_bad_arguments_instead_of_crashing():
    from twitchnet.results import CauseResult

    k = _fastpath._kernel
    with pytest.raises(ValueError):
        k.instances(CauseResult, ("cause",), [("a", "b")])
    with pytest.raises(ValueError):
        k.instances(CauseResult, ("cause",), [["a"]])
    with pytest.raises(TypeError):
        k.instances(CauseResult, (1,), [(1,)])
    with pytest.raises(TypeError):
        k.instances("CauseResult", ("cause",), [("a",)])


def test_yes_no_cells_reads_lists_and_object_arrays_alike():
    k = _fastpath._kernel
    cells = [True, False, None, float("nan"), np.nan, True]
    want = bytes([1, 0, 255, 255, 255, 1])
    assert k.yes_no_cells(cells) == want
    arr = np.array(cells, dtype=object)
    assert k.yes_no_cells(arr) == want
    assert k.yes_no_cells(np.array([], dtype=object)) == b""
    for other in ([True, 1], [True, "yes"], [np.bool_(True)], [False, 0.0], [pd_na()]):
        assert k.yes_no_cells(other) is None and k.yes_no_cells(np.array(other + [None], dtype=object)) is None
    assert k.yes_no_cells(arr[::2]) is None  # strided: declined, not misread
    assert k.yes_no_cells(arr.reshape(2, 3)) is None
    assert k.yes_no_cells(np.array([True, False])) is None  # not an object array
    with pytest.raises(TypeError):
        k.yes_no_cells((True, False))


def pd_na():
    import pandas as pd

    return pd.NA
