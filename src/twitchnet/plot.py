"""Plots (matplotlib, optional extra ``twitchnet[plot]``). Each function takes ``ax=`` and returns
the matplotlib Axes; nothing is computed here beyond laying out what results hold."""

from __future__ import annotations

from twitchnet._extras import require

__all__ = ["plot_posteriors", "plot_contributions", "plot_network", "plot_rests_on"]


def _axes(ax, size):
    if ax is None:
        plt = require("matplotlib.pyplot", "plot", "twitchnet.plot")
        _, ax = plt.subplots(figsize=size)
    return ax


def plot_posteriors(diagnosis, ax=None):
    """Posterior against prior (risk factors only) for every cause, in ranking order.

    When the diagnosis carries uncertainty (``twitchnet.diagnose(..., uncertainty=1000)``), each
    posterior bar has an error bar from the low to the high end of its 90% interval.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax, (7, 4))
    ranking = diagnosis.ranking[::-1]
    y = range(len(ranking))
    ax.barh([i + 0.2 for i in y], [r.prior for r in ranking], height=0.38, color="#b0b0b0", label="prior (risk factors only)")
    ax.barh([i - 0.2 for i in y], [r.probability for r in ranking], height=0.38, color="#1f5f99", label="posterior")
    u = diagnosis.intervals
    if u is not None:  # the 90% interval over draws of the knowledge base's numbers, as a whisker
        ys = [i - 0.2 for i in y]
        lows, highs = [u[r.cause].low for r in ranking], [u[r.cause].high for r in ranking]
        ax.hlines(ys, lows, highs, color="black", linewidth=1.2, label=f"{u.level:.0%} interval ({u.draws} draws)")
        ax.vlines(lows + highs, [t - 0.12 for t in ys] * 2, [t + 0.12 for t in ys] * 2, color="black", linewidth=1.2)
    ax.set_yticks(list(y), [r.name for r in ranking])
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability")
    title = "Causes ranked by posterior"
    if diagnosis.urgent:
        title = f"{diagnosis.triage.upper()}: red flag ({', '.join(r.id for r in diagnosis.red_flags)})\n" + title
        ax.title.set_color("#b00020")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_contributions(diagnosis, cause, ax=None):
    """Waterfall from the prior log-odds of ``cause`` through each observed finding's contribution
    to its posterior log-odds (the decomposition is exact, so the last bar ends at the posterior).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax, (7, 4))
    r = diagnosis[cause]
    labels = ["prior"] + [f"{c.finding}{'' if c.value else '=no'}" for c in r.contributions] + ["posterior"]
    start = r.prior_log_odds
    ax.bar(0, start, color="#9e9e9e")
    level = start
    for i, c in enumerate(r.contributions, 1):
        ax.bar(i, c.log_lr, bottom=level, color="#2e7d32" if c.log_lr >= 0 else "#b00020")
        level += c.log_lr
    ax.bar(len(labels) - 1, r.log_odds, color="#1f5f99")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_ylabel("log-odds (natural log)")
    ax.set_title(f"{r.name}: {r.prior:.3f} -> {r.probability:.3f}")
    return ax


def plot_network(obj, ax=None):
    """The network in its three layers (risk factors, causes, findings).

    Causes are shaded by posterior when given a diagnosis; observed evidence is outlined (green
    for present, grey for absent), red flags in red. Red flags that are not findings are not nodes.

    Parameters
    ----------
    obj : Diagnosis or DiagnosticModel

    Returns
    -------
    matplotlib.axes.Axes
    """
    cm = require("matplotlib.cm", "plot", "twitchnet.plot")
    nx = require("networkx", "plot", "twitchnet.plot.plot_network")

    model = getattr(obj, "model", None) or obj
    diagnosis = obj if hasattr(obj, "ranking") else None
    ax = _axes(ax, (16, 9))
    g = nx.DiGraph()
    layers = {0: list(model.risk_factor_ids), 1: list(model.cause_ids), 2: list(model.finding_ids)}
    pos = {}
    for layer, nodes in layers.items():
        for i, n in enumerate(nodes):
            g.add_node(n, layer=layer)
            pos[n] = ((i + 0.5) / len(nodes), 1.0 - layer / 2)
    for c in model.cause_ids:
        for p in model.cause_parents(c):
            g.add_edge(p, c)
    for rf in model.kb.risk_factors:
        if rf.parent:
            g.add_edge(rf.parent, rf.id)
    for f in model.kb.findings:
        for link in f.links:
            g.add_edge(link.cause, f.id)
    evidence = diagnosis.evidence if diagnosis is not None else {}
    post = diagnosis.probabilities if diagnosis is not None else {}
    cmap = cm.get_cmap("Blues") if hasattr(cm, "get_cmap") else __import__("matplotlib").colormaps["Blues"]
    colours, edges, widths = [], [], []
    for n in g.nodes:
        if n in post:
            colours.append(cmap(0.15 + 0.85 * post[n]))
        else:
            colours.append("#f4f4f4")
        if n in evidence:
            present = evidence[n] is True or (n in ("age", "sex"))
            red = n in model.red_flag_ids and evidence[n] is True
            edges.append("#b00020" if red else ("#2e7d32" if present else "#7f7f7f"))
            widths.append(3.0)
        else:
            edges.append("#cccccc")
            widths.append(0.8)
    nx.draw_networkx_edges(g, pos, ax=ax, edge_color="#c8c8c8", arrows=False, width=0.6)
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color=colours, edgecolors=edges, linewidths=widths, node_size=260)
    for n in g.nodes:
        x, y = pos[n]
        layer = g.nodes[n]["layer"]
        if layer == 1:
            label = f"{n}\n{post[n]:.2f}" if n in post else n
            ax.text(x, y + 0.09, label, ha="center", va="bottom", fontsize=8, bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
        elif layer == 0:
            ax.text(x, y + 0.05, n, ha="left", va="bottom", rotation=45, fontsize=7)
        else:
            ax.text(x, y - 0.05, n, ha="right", va="top", rotation=45, fontsize=7)
    for layer, name in ((0, "risk factors"), (1, "causes"), (2, "findings")):
        ax.text(-0.02, 1.0 - layer / 2, name, ha="right", va="center", fontsize=10, fontweight="bold")
    ax.set_xlim(-0.12, 1.04)
    ax.set_ylim(-0.42, 1.38)
    ax.axis("off")
    if diagnosis is not None:
        title = "Posterior of each cause (shade); observed evidence outlined (green present, grey absent, red: red flag)"
        ax.set_title(title, fontsize=10)
    return ax


def plot_rests_on(diagnosis, k=10, cause=None, ax=None):
    """Tornado plot of what the answer rests on: for each of the ``k`` numbers of
    :meth:`~twitchnet.Diagnosis.rests_on`, the top cause's posterior with that number alone at
    the low and at the high end of its range (exact), around the posterior at the point values.

    Each bar is labelled with the number's place in the knowledge base and its source, or
    "judgement". Largest effect on top.

    Parameters
    ----------
    diagnosis : Diagnosis
    k : int, default=10
    cause : str, optional
        Another cause than the top of the ranking.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from twitchnet.uncertainty import rests_on_ends

    ends = rests_on_ends(diagnosis, k, cause)
    ax = _axes(ax, (8, 0.9 + 0.38 * max(len(ends), 1)))
    if not ends:
        ax.set_title("Nothing ranked: no cause to rest on")
        ax.axis("off")
        return ax
    r0 = ends[0][0]
    point = diagnosis[r0.cause].probability
    labels = []
    for row, (r, at_low, at_high) in enumerate(ends[::-1]):
        for x, colour in ((at_low, "#d35400"), (at_high, "#1f5f99")):
            ax.barh(row, x - point, left=point, height=0.6, color=colour, alpha=0.85)
        labels.append(f"{r.where} ({'judgement' if r.judgement else r.source})")
    ax.axvline(point, color="black", linewidth=0.8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel(f"posterior of {r0.cause} (number at the low end: orange, high end: blue)")
    ax.set_title(f"What P({diagnosis[r0.cause].name}) = {point:.3f} rests on", fontsize=10)
    return ax
