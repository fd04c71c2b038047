"""Build the same network in pyAgrum (an independent exact engine, used as a cross-check and in
benchmarks). Imports pyAgrum only when called; pyAgrum is an optional dependency.
"""

from __future__ import annotations

import itertools

__all__ = ["to_pyagrum"]


def to_pyagrum(model):
    """Return a ``pyagrum.BayesNet`` with the same nodes, states and numbers as ``model.to_pgmpy()``.

    Parameters
    ----------
    model : twitchnet.DiagnosticModel

    Returns
    -------
    pyagrum.BayesNet
    """
    import pyagrum as gum

    bn = gum.BayesNet(model.name)
    pg = model.to_pgmpy()
    for node in pg.nodes():
        cpd = pg.get_cpds(node)
        bn.add(gum.LabelizedVariable(node, node, list(cpd.state_names[node])))
    for a, b in pg.edges():
        bn.addArc(a, b)
    for node in pg.nodes():
        cpd = pg.get_cpds(node)
        parents = list(cpd.variables[1:])
        values = cpd.get_values()  # (card, prod parent cards), last parent fastest
        cards = [len(cpd.state_names[p]) for p in parents]
        pot = bn.cpt(node)
        for col, combo in enumerate(itertools.product(*(range(c) for c in cards))):
            inst = {p: i for p, i in zip(parents, combo)}
            pot[inst] = [float(x) for x in values[:, col]]
    return bn
