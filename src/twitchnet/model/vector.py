"""The knowledge base's numbers as a flat vector and back: :func:`vector` and :func:`with_numbers`."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

if TYPE_CHECKING:
    from twitchnet.kb.schema import KnowledgeBase, Number

__all__ = ["vector", "with_numbers"]


def vector(kb: KnowledgeBase) -> np.ndarray:
    """The knowledge base's numbers as a flat vector ``(P,)``, in :meth:`KnowledgeBase.numbers` order."""
    return np.array([n.value for _, n in kb.numbers()], dtype=float)


def with_numbers(kb: KnowledgeBase, theta: Any, *, ranges: Sequence[tuple[float, float]] | None = None, collapse: bool = False) -> KnowledgeBase:
    """A copy of ``kb`` whose numbers are ``theta`` (in :meth:`KnowledgeBase.numbers` order).

    Parameters
    ----------
    kb : KnowledgeBase
    theta : sequence of float
    ranges : sequence of (low, high), optional
        New ranges; by default each keeps its range, widened where the value falls outside it.
    collapse : bool, default=False
        Give every number the zero-width range ``[value, value]``.

    Returns
    -------
    KnowledgeBase
        Not validated again, without content hash or location: for tests and experiments.

    Examples
    --------
    >>> from twitchnet.kb import load_knowledge_base
    >>> kb = load_knowledge_base()
    >>> bool((vector(with_numbers(kb, vector(kb))) == vector(kb)).all())
    True
    """
    values = iter(np.asarray(theta, dtype=float).tolist())
    bounds = iter(ranges) if ranges is not None else None

    def num(n: Number) -> Number:
        x = next(values)
        if collapse:
            return replace(n, value=x, low=x, high=x)
        if bounds is not None:
            lo, hi = next(bounds)
            return replace(n, value=x, low=float(lo), high=float(hi))
        return replace(n, value=x, low=min(n.low, x), high=max(n.high, x))

    threshold = num(kb.routine_threshold)
    rfs = tuple(replace(rf, prior=tuple(num(n) for n in rf.prior)) for rf in kb.risk_factors)
    causes = []
    for c in kb.causes:
        base = num(c.baseline)
        causes.append(replace(c, baseline=base, effects=tuple(replace(e, odds_ratio=num(e.odds_ratio)) for e in c.effects)))
    findings = []
    for f in kb.findings:
        leak = num(f.leak)
        findings.append(replace(f, leak=leak, links=tuple(replace(link, p=num(link.p)) for link in f.links)))
    return replace(kb, routine_threshold=threshold, risk_factors=rfs, causes=tuple(causes), findings=tuple(findings),
                   content_hash="", location="")
