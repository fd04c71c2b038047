"""Build the same network in pgmpy. The only module that imports pgmpy, and only when called.

Node names are the vocabulary ids. Yes/no nodes have the states ``"False"`` and ``"True"``
(pgmpy's own NoisyORCPD convention); ``sex`` has ``"female"`` and ``"male"``; ``age`` has its bins.
Every CPD is a ``TabularCPD`` holding exactly the numbers twitchnet's own engine uses: the
logistic cause priors and the noisy-OR finding tables are expanded into full tables, from the same
tables the BIF and XMLBIF writers use (:func:`twitchnet.model.export._tables`). A category finding
(``duration``) is a node with its own states whose parents are its level findings
(``duration__weeks``, ...), its table deterministic (the highest level present). Red-flag ids
that are not findings are not nodes (they fire rules only).
"""

from __future__ import annotations

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

    from twitchnet.model.export import _tables

    edges, cpds, nodes, states = [], [], [], {}
    for node, node_states, parents, cols in _tables(model):  # one set of tables for every bridge
        nodes.append(node)
        states[node] = list(node_states)
        edges += [(p, node) for p in parents]
        values = [[col[s] for col in cols] for s in range(len(node_states))]  # (states, parent combos)
        cpds.append(TabularCPD(node, len(node_states), values, evidence=list(parents) or None,
                               evidence_card=[len(states[p]) for p in parents] or None,
                               state_names={node: states[node]} | {p: states[p] for p in parents}))
    bn = DiscreteBayesianNetwork()
    bn.add_nodes_from(nodes)
    bn.add_edges_from(edges)
    bn.add_cpds(*cpds)
    bn.check_model()
    return bn
