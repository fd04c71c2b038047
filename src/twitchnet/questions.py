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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twitchnet.inference import log_joint, logsumexp

__all__ = ["Question", "next_questions", "entropy_bits"]


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


def next_questions(model, evidence, k=5):
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
    """
    from twitchnet import _validation as v

    k = v.check_count("k", k)
    enc = model.encode(evidence)
    arr = model.arrays
    _, lj = log_joint(arr, enc.rf_state[None], enc.finding_state[None])
    post, lz = _normalise(lj[0])
    h0 = entropy_bits(post)
    out = []
    # findings: P(f | s) is a column of the model, so every finding at once
    p1 = np.exp(arr.log_f1)  # (S, F)
    py = post @ p1  # (F,)
    for f_i, fid in enumerate(model.finding_ids):
        if enc.finding_state[f_i] >= 0:
            continue
        yes = post * p1[:, f_i]
        no = post - yes
        h = sum(float(m.sum()) * entropy_bits(m / m.sum()) for m in (yes, no) if m.sum() > 0)
        sp = model.spec(fid)
        out.append(Question(fid, sp.meaning, sp.red_flag, max(0.0, float(h0 - h)), ((True, float(py[f_i])), (False, float(1 - py[f_i])))))
    # risk factors: one evidence row per possible answer, through the engine
    rows, labels = [], []
    for r_i, rf in enumerate(model.kb.risk_factors):
        if enc.rf_state[r_i] >= 0:
            continue
        for s_i, state in enumerate(rf.states):
            row = enc.rf_state.copy()
            row[r_i] = s_i
            rows.append(row)
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
        by_rf = {}
        for (r_i, value), pa, h in zip(labels, p_answer, h_rows):
            by_rf.setdefault(r_i, []).append((value, float(pa), float(h)))
        for r_i, answers in by_rf.items():
            rf = model.kb.risk_factors[r_i]
            total = sum(pa for _, pa, _ in answers)
            h = sum(pa * hh for _, pa, hh in answers if pa > 0) / total
            possible = tuple((v, pa / total) for v, pa, _ in answers if pa > 0)
            out.append(Question(rf.id, rf.meaning, False, max(0.0, float(h0 - h)), possible))
    for fid in model.red_flag_ids:
        if model.spec(fid).kind == "red_flag" and fid not in enc.evidence:
            out.append(Question(fid, model.spec(fid).meaning, True, 0.0, ()))
    order = {key: i for i, key in enumerate(model.evidence_ids)}
    out.sort(key=lambda q: (not q.red_flag, -q.gain, order[q.id]))
    return tuple(out if k is None else out[:k])
