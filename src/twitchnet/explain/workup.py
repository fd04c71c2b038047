"""The next best test: test results ranked by the exact expected information per unit of burden.

:func:`next_tests` ranks the tests (findings with a ``test`` burden, and the risk-factor nodes that
measure a factor) by the same exact gain :func:`twitchnet.explain.questions.next_questions`
computes, divided by the test's burden (``model.toml`` ``[burden]``), or by the gain alone; its
:class:`TestPlan` carries the unasked red-flag questions first (see the docstring of
:mod:`twitchnet.explain.questions` for the gain, the red-flag precedence and the limits).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

import numpy as np

from twitchnet._validation import check_count
from twitchnet.engine.reference import log_joint
from twitchnet.errors import EvidenceError
from twitchnet.explain.questions import (
    _check_enumerable,
    _encode,
    _finding_questions,
    _finding_splits,
    _flag_only_questions,
    _in_order,
    _is_test,
    _ranking,
    _state_posterior,
    entropy_bits,
)

if TYPE_CHECKING:
    import pandas as pd

    from twitchnet.model import DiagnosticModel

__all__ = ["TestOption", "TestPlan", "next_tests", "test_burden", "tests_rows"]


@dataclass(frozen=True)
class TestOption:
    """One test that could be done next (a finding of the vocabulary's test section).

    Attributes
    ----------
    id : str
        Vocabulary id of the test result (True = done and abnormal, False = done and normal).
    meaning : str
    burden : str
        What doing the test costs the person ("blood test", "nerve conduction study", "MRI").
    gain : float
        Expected information gain about the joint cause state, in bits (as for questions).
    cost : float
        The burden as a number, relative to a blood test (the knowledge base's ``burdens``; 1.0
        when it has none).
    gain_per_burden : float
        ``gain / cost``: bits per unit of burden, the default order of :func:`next_tests`.
    p_abnormal : float
        P(result abnormal | evidence).
    if_abnormal, if_normal : tuple of (cause, probability)
        Every cause's posterior if the result were abnormal / normal, highest first (empty for a
        result of probability 0).
    """

    id: str
    meaning: str
    burden: str
    gain: float
    p_abnormal: float
    if_abnormal: tuple
    if_normal: tuple
    cost: float = 1.0
    gain_per_burden: float = 0.0


@dataclass(frozen=True)
class TestPlan:
    """The result of :func:`next_tests`: tests by decreasing gain, after any red-flag questions.

    A sequence of :class:`TestOption` (indexing, ``len`` and iteration give the tests).

    Attributes
    ----------
    tests : tuple of TestOption
        Not-yet-done tests, highest gain first (ties in knowledge-base order).
    ask_first : tuple of Question
        Unasked red-flag questions: safety before any test; shown first by every rendering.
    current : tuple of (cause, probability)
        Every cause's posterior on the evidence as it stands, highest first.
    reason : str
        Why there are no tests to rank, or ``""``: for a person outside the model's population
        (see :meth:`twitchnet.Diagnosis.next_tests`) ``tests`` and ``current`` are empty and
        ``ask_first`` holds every unasked warning sign.
    per_burden : bool
        True when ``tests`` are ordered by information per unit of burden, False by information.
    """

    tests: tuple
    ask_first: tuple
    current: tuple
    reason: str = ""
    per_burden: bool = True

    @property
    def ready(self) -> bool:
        """True when every red-flag question has been asked (nothing to ask before a test)."""
        return not self.ask_first

    def __len__(self):
        return len(self.tests)

    def __iter__(self):
        return iter(self.tests)

    def __getitem__(self, i):
        return self.tests[i]

    def to_frame(self, top: int = 3) -> pd.DataFrame:
        """One row per item: the red-flag questions first (``kind`` "red-flag question"), then the
        tests, with burden, gain, P(abnormal) and the ``top`` causes' posteriors if abnormal and if
        normal (columns ``if_abnormal_1`` ... as "cause probability").
        """
        import pandas as pd

        return pd.DataFrame(tests_rows(self, top))

    def __str__(self):
        from twitchnet.present.display import render_tests_text

        return render_tests_text(self)

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))

    def _repr_html_(self):
        from twitchnet.present.display import render_tests_html

        return render_tests_html(self)


def _measured_splits(model, enc, lz, h0):
    """For each unobserved risk factor that is a test (``RiskFactor.test``): (index, gain,
    P(abnormal), unnormalised state posterior if abnormal, if normal), exactly as for a finding:
    one evidence row per result, through the same sum over the joint cause states.
    """
    out = []
    for r_i, rf in enumerate(model.kb.risk_factors):
        if rf.test is None or enc.rf_state[r_i] >= 0:
            continue
        rows = np.stack([enc.rf_state.copy(), enc.rf_state.copy()])
        rows[0, r_i], rows[1, r_i] = rf.states.index("True"), rf.states.index("False")
        _, lj = log_joint(model.arrays, rows, np.broadcast_to(enc.finding_state, (2, enc.finding_state.size)))
        with np.errstate(under="ignore"):
            yes, no = np.exp(lj[0] - lz), np.exp(lj[1] - lz)  # P(s, result | e)
        h = sum(float(m.sum()) * entropy_bits(m / m.sum()) for m in (yes, no) if m.sum() > 0)
        out.append((r_i, max(0.0, float(h0 - h)), float(yes.sum()), yes, no))
    return out


def test_burden(model, test):
    """The burden of a kind of test (its ``test`` text) as a number: the knowledge base's
    ``burdens`` entry, or 1.0 when the knowledge base has no ``[burden]`` table.
    """
    n = model.kb.burdens.get(test)
    return 1.0 if n is None else float(n.value)


def next_tests(model: DiagnosticModel, evidence: Mapping, k: int | None = 5, per_burden: bool = True) -> TestPlan:
    """Rank the not-yet-done tests by exact expected information per unit of burden (or by
    expected information alone).

    Parameters
    ----------
    model, evidence
        As in :func:`next_questions`.
    k : int or None, default=5
        How many tests to return (``None`` for all); the red-flag questions are never cut.
    per_burden : bool, default=True
        Order by ``gain / burden`` (bits per unit of burden, :func:`test_burden`); False orders by
        the gain alone. Every test carries both numbers either way.

    Returns
    -------
    TestPlan
        ``ask_first``: the unasked red-flag questions (as :func:`next_questions` lists them);
        ``tests``: every test result not in the evidence (findings with a ``test`` burden and
        measured risk factors), in the order asked for (ties in knowledge-base order: findings,
        then measured risk factors).

    Raises
    ------
    EvidenceError, EngineLimitError
        As :func:`next_questions`.
    """
    k = check_count("k", k)
    if not isinstance(per_burden, (bool, np.bool_)):
        from twitchnet._validation import fail

        raise fail(EvidenceError, "per_burden", "True (order by information per unit of burden) or False (by information)", per_burden)
    enc = _encode(model, evidence)
    _check_enumerable(model, enc, "next_tests")
    post, lz = _state_posterior(model, enc)
    h0 = entropy_bits(post)
    tests = _is_test(model)
    wanted = [f_i for f_i, fid in enumerate(model.finding_ids) if tests.get(fid) is not None]
    out = []
    for f_i, gain, py, yes, no in _finding_splits(model, enc, post, h0, wanted):
        fid = model.finding_ids[f_i]
        cost = test_burden(model, tests[fid])
        out.append(TestOption(fid, model.spec(fid).meaning, tests[fid], gain, py, _ranking(model, yes), _ranking(model, no), cost, gain / cost))
    for r_i, gain, py, yes, no in _measured_splits(model, enc, lz, h0):
        rf = model.kb.risk_factors[r_i]
        cost = test_burden(model, rf.test)
        out.append(TestOption(rf.id, rf.meaning, rf.test, gain, py, _ranking(model, yes), _ranking(model, no), cost, gain / cost))
    order = {t.id: i for i, t in enumerate(out)}
    out.sort(key=lambda t: (-(t.gain_per_burden if per_burden else t.gain), order[t.id]))
    # the red-flag questions exactly as next_questions lists them, without its risk-factor gains
    flags = [f_i for f_i, fid in enumerate(model.finding_ids) if tests.get(fid) is None and model.spec(fid).red_flag]
    ask_first = tuple(_in_order(model, _finding_questions(model, enc, post, h0, flags) + _flag_only_questions(model, enc)))
    return TestPlan(tuple(out if k is None else out[:k]), ask_first, _ranking(model, post), "", bool(per_burden))


def tests_rows(plan, top=3):
    """Rows (dicts) of a :class:`TestPlan`, as its ``to_frame`` holds them: red-flag questions first, then
    the tests. Only formatting: every number comes from the plan.
    """
    rows = [
        {"kind": "red-flag question", "id": q.id, "meaning": q.meaning, "burden": None, "cost": None, "gain": q.gain,
         "gain_per_burden": None, "p_abnormal": None}
        | {f"if_abnormal_{i}": None for i in range(1, top + 1)} | {f"if_normal_{i}": None for i in range(1, top + 1)}
        for q in plan.ask_first
    ]
    for t in plan.tests:
        row = {"kind": "test", "id": t.id, "meaning": t.meaning, "burden": t.burden, "cost": t.cost, "gain": t.gain,
               "gain_per_burden": t.gain_per_burden, "p_abnormal": t.p_abnormal}
        for name, pairs in (("if_abnormal", t.if_abnormal), ("if_normal", t.if_normal)):
            for i in range(top):
                row[f"{name}_{i + 1}"] = f"{pairs[i][0]} {pairs[i][1]:.3f}" if i < len(pairs) else None
        rows.append(row)
    return rows
