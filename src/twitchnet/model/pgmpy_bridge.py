"""Build the same network in pgmpy. The only module that imports pgmpy, and only when called.

Node names are the vocabulary ids. Yes/no nodes have the states ``"False"`` and ``"True"``
(pgmpy's own NoisyORCPD convention); ``sex`` has ``"female"`` and ``"male"``; ``age`` has its bins.
Every CPD is a ``TabularCPD`` holding exactly the numbers twitchnet's own engine uses: the
logistic cause priors and the noisy-OR finding tables are expanded into full tables. Red-flag ids
that are not findings are not nodes (they fire rules only).
"""

from __future__ import annotations

import itertools
import math

__all__ = ["to_pgmpy"]


def to_pgmpy(model):
    """Return a ``pgmpy.models.DiscreteBayesianNetwork`` equal to ``model``.

    Parameters
    ----------
    model : twitchnet.DiagnosticModel

    Returns
    -------
    pgmpy.models.DiscreteBayesianNetwork
        It passes ``check_model()``.

    Raises
    ------
    EngineLimitError
        For a model whose full tables exceed :data:`twitchnet.limits.MAX_TABLE_CELLS`, before
        anything is built.
    """
    from twitchnet.model.export import check_table_size

    check_table_size(model, "to_pgmpy")
    from pgmpy.factors.discrete import TabularCPD
    from pgmpy.models import DiscreteBayesianNetwork

    kb = model.kb
    edges, cpds = [], []
    states = {r.id: list(r.states) for r in kb.risk_factors}
    for rf in kb.risk_factors:
        if rf.parent is None:
            col = [model.risk_factor_probability(rf.id, s) for s in rf.states]
            cpds.append(TabularCPD(rf.id, len(col), [[p] for p in col], state_names={rf.id: list(rf.states)}))
        else:
            edges.append((rf.parent, rf.id))
            pstates = states[rf.parent]
            values = [[model.risk_factor_probability(rf.id, s, {rf.parent: ps}) for ps in pstates] for s in rf.states]
            cpds.append(
                TabularCPD(rf.id, 2, values, evidence=[rf.parent], evidence_card=[len(pstates)],
                           state_names={rf.id: list(rf.states), rf.parent: pstates})
            )
    for cid in model.cause_ids:
        parents = list(model.cause_parents(cid))
        edges += [(p, cid) for p in parents]
        # pgmpy column order: the last parent varies fastest, as itertools.product does.
        pairs = [model._cause_pair(cid, dict(zip(parents, combo))) for combo in itertools.product(*(states[p] for p in parents))]
        names = {cid: ["False", "True"]} | {p: states[p] for p in parents}
        cpds.append(
            TabularCPD(cid, 2, [[b for _, b in pairs], [a for a, _ in pairs]], evidence=parents or None,
                       evidence_card=[len(states[p]) for p in parents] or None, state_names=names)
        )
    for f in kb.findings:
        parents = [link.cause for link in f.links]
        p = {link.cause: link.p.value for link in f.links}
        edges += [(c, f.id) for c in parents]
        absent, present = [], []
        for combo in itertools.product(("False", "True"), repeat=len(parents)):
            log0 = math.log1p(-f.leak.value) + sum(math.log1p(-p[c]) for c, s in zip(parents, combo) if s == "True")
            absent.append(math.exp(log0))
            present.append(-math.expm1(log0))  # not 1 - absent: exact when absent is close to 1
        names = {f.id: ["False", "True"]} | {c: ["False", "True"] for c in parents}
        cpds.append(
            TabularCPD(f.id, 2, [absent, present], evidence=parents,
                       evidence_card=[2] * len(parents), state_names=names)
        )
    bn = DiscreteBayesianNetwork()
    bn.add_nodes_from([r.id for r in kb.risk_factors] + list(model.cause_ids) + list(model.finding_ids))
    bn.add_edges_from(edges)
    bn.add_cpds(*cpds)
    bn.check_model()
    return bn
