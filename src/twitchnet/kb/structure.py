"""Which risk factors each cause depends on, and which are shared (the context): one rule, read
from the knowledge base's records alone (no numbers), for the loader's size checks and the model.
"""

from __future__ import annotations

__all__ = ["parents_and_context"]


def parents_and_context(risk_factors, causes):
    """Each cause's risk factors and the shared context.

    A cause depends on the factors its effects name, and on the test results that measure one of
    them (``low_b12`` measures ``b12_deficiency``: a child of the factor, kept with it). A factor is
    shared, and so in the context every engine sums over, when it feeds several causes, or when it
    has a child that is not private to the same single cause; the parent of a shared factor is
    shared too.

    Parameters
    ----------
    risk_factors : sequence of RiskFactor
    causes : sequence of Cause

    Returns
    -------
    parents : dict
        Cause id -> tuple of risk-factor ids, in knowledge-base order.
    context : tuple of str
        The shared factors, in knowledge-base order.
    """
    order = [r.id for r in risk_factors]
    measured = {}
    for r in risk_factors:
        if getattr(r, "test", None) is not None and r.parent:
            measured.setdefault(r.parent, []).append(r.id)
    parents = {}
    for c in causes:
        used = {f for e in c.effects for f, _ in e.conditions}
        used |= {m for f in list(used) for m in measured.get(f, ())}
        parents[c.id] = tuple(r for r in order if r in used)
    users = {}
    for cid, factors in parents.items():
        for f in factors:
            users.setdefault(f, set()).add(cid)
    ctx = {f for f, cs in users.items() if len(cs) > 1}
    for r in risk_factors:
        if r.parent and not (len(users.get(r.parent, ())) == 1 and users.get(r.id) == users.get(r.parent)):
            ctx.add(r.parent)
    by_id = {r.id: r for r in risk_factors}
    while True:  # a shared factor's parent is shared (parents of parents are not allowed)
        more = {by_id[f].parent for f in ctx if by_id[f].parent} - ctx
        if not more:
            break
        ctx |= more
    return parents, tuple(r for r in order if r in ctx)
