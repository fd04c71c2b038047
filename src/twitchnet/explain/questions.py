"""The next best question: exact expected information gain about the causes.

The gain of a question is the mutual information between its answer and the *joint* state of
the causes (all ``2**C`` combinations), in bits::

    gain(q) = H(S | e) - sum_a P(a | e) H(S | e, a)

The joint entropy is used rather than the sum of marginal entropies because causes are not
exclusive: a question that tells apart "A and B" from "A alone" is worth something even when it
leaves every marginal unchanged. Every answer is enumerated exactly: yes/no for a finding or a
yes/no risk factor, every state for ``sex`` and every age group for ``age`` (answered with the
group's lowest age). Unasked red-flag questions always come first, whatever their gain: safety
before information. Red flags that are not nodes of the network have no modelled answer
probabilities (``answers`` is empty) and a gain of 0.

Test results (findings with a ``test`` burden in the knowledge base: a blood test, a nerve
conduction study, an EMG, an MRI; and the risk-factor nodes that measure a factor,
``RiskFactor.test``: ``low_b12``, ``low_ferritin``, whose information comes through the factor
they measure) are not questions for a person, so :func:`next_questions` leaves them out;
:func:`~twitchnet.explain.workup.next_tests` ranks them by the same exact gain (the same code computes both) divided by the
test's burden (``model.toml`` ``[burden]``: a blood test 1, nerve conduction 5, EMG 8, MRI 6), or
by the gain alone (``per_burden=False``), each with its burden, ``P(abnormal)`` and the posterior
of every cause if abnormal and if normal.

Red-flag precedence for tests: a test never outranks a red-flag question. :func:`next_tests` still
ranks the tests (a clinician may be choosing the workup), but its :class:`TestPlan` carries the
unasked red-flag questions in ``ask_first``; every rendering (text, HTML, DataFrame) lists them
before any test, and ``TestPlan.ready`` is False while any is unasked.

Beyond enumeration (a model only Quickscore can run: more causes than
:data:`twitchnet.limits.MAX_ENUMERATION_CAUSES`), the exact gain, a sum over every joint cause
state, cannot be computed. :func:`next_questions` and :func:`next_tests` then raise
:class:`~twitchnet.errors.EngineLimitError` *after* reading the red flags: the error carries the
rules that fired (``red_flags``, ``urgent``) and the unasked warning-sign questions
(``ask_first``, a tuple of :class:`Question` with gain 0.0 and no modelled answers), and its
message lists them. :func:`ask_first` gives those questions on any model, without gains.
:class:`twitchnet.Interview` asks them first on every model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from twitchnet._validation import check_count
from twitchnet.engine.reference import log_joint, logsumexp
from twitchnet.errors import EvidenceError

if TYPE_CHECKING:

    from twitchnet.model import DiagnosticModel

__all__ = ["Question", "ask_first", "entropy_bits", "next_questions", "unranked_questions"]

#: Names that live in :mod:`twitchnet.explain.workup` since it was split from this module, still
#: importable from here.
_MOVED_TO_WORKUP = frozenset({"TestOption", "TestPlan", "next_tests", "test_burden", "tests_rows"})


def __getattr__(name: str) -> Any:
    """The test-ranking names, from :mod:`twitchnet.explain.workup` (imported on first use)."""
    if name in _MOVED_TO_WORKUP:
        from twitchnet.explain import workup

        return getattr(workup, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Question:
    """One question to ask next.

    Attributes
    ----------
    id : str
        Vocabulary id to ask about.
    meaning : str
    red_flag : bool
        Red-flag questions come first.
    gain : float
        Expected information gain about the joint cause state, in bits.
    answers : tuple of (value, probability)
        Each possible answer with its probability given the current evidence.
    """

    id: str
    meaning: str
    red_flag: bool
    gain: float
    answers: tuple


def entropy_bits(p, axis=-1):
    """Shannon entropy in bits along ``axis`` (0 log 0 = 0)."""
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(np.where(p > 0, p, 1.0)), 0.0)
    return terms.sum(axis=axis)


def _normalise(lj):
    """Normalise log-joints over states; impossible rows (log-normaliser -inf) become all zeros."""
    lz = logsumexp(lj, axis=-1)
    safe = np.where(np.isfinite(lz), lz, 0.0)
    post = np.where(np.isfinite(lz)[..., None], np.exp(lj - safe[..., None]), 0.0)
    return post, lz


def _state_posterior(model, enc):
    """Posterior over the joint cause states (``2**C``) and ``log P(evidence)``."""
    _, lj = log_joint(model.arrays, enc.rf_state[None], enc.finding_state[None])
    return _normalise(lj[0])


def _finding_splits(model, enc, post, h0, wanted):
    """For each unobserved finding index in ``wanted``: (index, gain, P(yes), unnormalised state
    posterior if yes, if no). The single computation behind questions and tests.
    """
    p1 = np.exp(model.arrays.log_f1)  # (S, F): P(f | s) is a column of the model
    out = []
    for f_i in wanted:
        if enc.finding_state[f_i] >= 0:
            continue
        yes = post * p1[:, f_i]
        no = post - yes
        h = sum(float(m.sum()) * entropy_bits(m / m.sum()) for m in (yes, no) if m.sum() > 0)
        out.append((f_i, max(0.0, float(h0 - h)), float(yes.sum()), yes, no))
    return out


def _is_test(model):
    return {f.id: f.test for f in model.kb.findings}


def next_questions(model: DiagnosticModel, evidence: Mapping, k: int | None = 5) -> tuple[Question, ...]:
    """Rank every unasked finding, risk factor and red flag.

    Parameters
    ----------
    model : DiagnosticModel
    evidence : Mapping
    k : int or None, default=5
        How many to return (``None`` for all).

    Returns
    -------
    tuple of Question
        Unasked red flags first, then the rest by decreasing gain (ties in knowledge-base order).
        Test results are not questions: see :func:`next_tests`.

    Raises
    ------
    EvidenceError
        ``k`` is not None or a whole number >= 0; bad evidence (as :func:`twitchnet.diagnose`,
        carrying the red flags that could be read).
    EngineLimitError
        For a model enumeration cannot run (see the module docstring): carries the red flags
        that fired and the unasked warning-sign questions in ``ask_first``.
    """
    k = check_count("k", k)
    enc = _encode(model, evidence)
    _check_enumerable(model, enc, "next_questions")
    arr = model.arrays
    post, lz = _state_posterior(model, enc)
    h0 = entropy_bits(post)
    tests = _is_test(model)
    asked = [f_i for f_i, fid in enumerate(model.finding_ids) if tests.get(fid) is None]
    out = _finding_questions(model, enc, post, h0, asked) + _category_questions(model, enc, post, h0)
    # risk factors: one evidence row per possible answer, through the engine
    rows, labels = [], []
    for r_i, rf in enumerate(model.kb.risk_factors):
        if enc.rf_state[r_i] >= 0 or rf.test is not None:  # a measured factor is a test, not a question
            continue
        for s_i, state in enumerate(rf.states):
            row = enc.rf_state.copy()
            row[r_i] = s_i
            rows.append(row)
            value: Any
            if rf.kind == "number":
                value = int(rf.edges[s_i]) if s_i else int(rf.low)
            elif rf.kind == "category":
                value = state
            else:
                value = state == "True"
            labels.append((r_i, value))
    if rows:
        rf_rows = np.stack(rows)
        _, lj_rows = log_joint(arr, rf_rows, np.broadcast_to(enc.finding_state, (len(rows), enc.finding_state.size)))
        post_rows, lz_rows = _normalise(lj_rows)
        p_answer = np.exp(lz_rows - lz)  # exp(-inf) = 0 for impossible answers
        h_rows = entropy_bits(post_rows)
        by_rf: dict[int, list[tuple[Any, float, float]]] = {}
        for (r_i, value), pa, h in zip(labels, p_answer, h_rows):
            by_rf.setdefault(r_i, []).append((value, float(pa), float(h)))
        for r_i, answers in by_rf.items():
            rf = model.kb.risk_factors[r_i]
            total = sum(pa for _, pa, _ in answers)
            h = sum(pa * hh for _, pa, hh in answers if pa > 0) / total
            possible = tuple((v, pa / total) for v, pa, _ in answers if pa > 0)
            out.append(Question(rf.id, rf.meaning, False, max(0.0, float(h0 - h)), possible))
    out = _in_order(model, out + _flag_only_questions(model, enc))
    return tuple(out if k is None else out[:k])


def _finding_questions(model, enc, post, h0, indices):
    """Questions about the unobserved findings among ``indices`` (exact gains, answer probabilities)."""
    out = []
    for f_i, gain, py, _, _ in _finding_splits(model, enc, post, h0, indices):
        fid = model.finding_ids[f_i]
        sp = model.spec(fid)
        out.append(Question(fid, sp.meaning, sp.red_flag, gain, ((True, py), (False, 1.0 - py))))
    return out


def _category_questions(model, enc, post, h0):
    """Questions about the unobserved category findings (``duration``): each answer ``Y = k`` is
    its level ``k`` present and every higher level absent (:class:`twitchnet.kb.schema.CategoryFinding`),
    so its probability and the posterior after it are exact sums over the joint cause states.
    """
    arr = model.arrays
    out = []
    for cid, levels in model._levels.items():
        if cid in enc.evidence:
            continue
        sp = model.spec(cid)
        answers, h = [], 0.0
        for k, state in enumerate(sp.states):
            log_lik = sum(arr.log_f1[:, col] if j == k else arr.log_f0[:, col] for j, col in enumerate(levels, start=1) if j >= k)
            m = post * np.exp(log_lik)
            pk = float(m.sum())
            answers.append((state, pk))
            if pk > 0:
                h += pk * entropy_bits(m / pk)
        out.append(Question(cid, sp.meaning, False, max(0.0, float(h0 - h)), tuple(a for a in answers if a[1] > 0)))
    return out


def _encode(model, evidence):
    """``model.encode(evidence)``; an evidence error carries the red flags that could be read."""
    try:
        return model.encode(evidence)
    except EvidenceError as exc:
        from twitchnet import redflags
        from twitchnet.diagnose import with_red_flags

        raise with_red_flags(exc, redflags.evaluate(model.kb, model.readable_flags(evidence))) from None


def ask_first(model, evidence):
    """The unasked warning-sign questions, in vocabulary order, on any model (no gains computed).

    Each is a :class:`Question` with ``red_flag=True``, ``gain=0.0`` and no modelled answers:
    what :func:`next_questions` puts first, for a model whose gains cannot be computed (beyond
    enumeration). ``evidence`` is validated as by :func:`next_questions`.

    Returns
    -------
    tuple of Question
    """
    return _unasked_flags(model, _encode(model, evidence))


def unranked_questions(model, evidence):
    """The warning-sign questions for a person the model cannot rank (outside its population):
    every red flag not in ``evidence`` (canonical ids), by gain on no evidence where the model
    enumerates, else in vocabulary order with gain 0. What a child's
    :meth:`~twitchnet.Diagnosis.next_questions` and ``next_tests`` give.
    """
    if model.enumerable:
        qs = tuple(q for q in next_questions(model, {}, None) if q.red_flag)
    else:
        qs = _unasked_flags(model, _encode(model, {}))
    return tuple(q for q in qs if q.id not in evidence)


def _unasked_flags(model, enc):
    return tuple(Question(fid, model.spec(fid).meaning, True, 0.0, ()) for fid in model.red_flag_ids if fid not in enc.evidence)


def _check_enumerable(model, enc, what):
    """Refuse a model whose gains cannot be computed, with the red flags read first (see the module docstring)."""
    if model.enumerable:
        return
    from twitchnet import redflags
    from twitchnet.diagnose import with_red_flags

    exc = model._enumeration_limit(f"{what} (the exact information gain sums over every joint cause state)")
    exc.ask_first = _unasked_flags(model, enc)
    if exc.ask_first:
        exc.args = (exc.args[0] + " | Warning signs not asked (ask them first, see .ask_first): "
                    + ", ".join(q.id for q in exc.ask_first),) + exc.args[1:]
    raise with_red_flags(exc, redflags.evaluate(model.kb, enc.true_flags))


def _flag_only_questions(model, enc):
    """Unasked red flags that are not nodes of the network (no modelled answers, gain 0)."""
    return [Question(fid, model.spec(fid).meaning, True, 0.0, ()) for fid in model.red_flag_ids if model.spec(fid).kind == "red_flag" and fid not in enc.evidence]


def _in_order(model, questions):
    """Red flags first, then by decreasing gain, ties in knowledge-base order."""
    order = {key: i for i, key in enumerate(model.evidence_ids)}
    return sorted(questions, key=lambda q: (not q.red_flag, -q.gain, order[q.id]))


def _ranking(model, post):
    """(cause, marginal posterior) pairs, highest first (ties in knowledge-base order)."""
    marg = post @ model.arrays.states
    total = post.sum()
    if total <= 0:
        return ()
    marg = marg / total
    order = sorted(range(len(model.cause_ids)), key=lambda c: (-marg[c], c))
    return tuple((model.cause_ids[c], float(marg[c])) for c in order)


