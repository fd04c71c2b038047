"""Plots (matplotlib, optional extra ``twitchnet[plot]``). Each function takes ``ax=`` and returns
the matplotlib Axes; nothing is computed here beyond laying out what results hold.
"""

from __future__ import annotations

from twitchnet._extras import require

__all__ = ["plot_posteriors", "plot_contributions", "plot_network", "plot_rests_on", "plot_calibration", "plot_confusion", "plot_fit"]


def _axes(ax, size):
    if ax is None:
        plt = require("matplotlib.pyplot", "plot", "twitchnet.present.plot")
        _, ax = plt.subplots(figsize=size)
    return ax


def plot_posteriors(diagnosis, ax=None):
    """Posterior against prior (risk factors only) for every cause, in ranking order.

    With :attr:`~twitchnet.results.Diagnosis.intervals` (``diagnose(..., uncertainty=N)``), each
    posterior also shows the median and 90% interval of its draws.

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
    if u is not None:  # the 90% interval over draws of the knowledge base's numbers, around the median
        med = [u[r.cause].median for r in ranking]
        err = [[m - u[r.cause].low for m, r in zip(med, ranking)], [u[r.cause].high - m for m, r in zip(med, ranking)]]
        ax.errorbar(med, [i - 0.2 for i in y], xerr=err, fmt="o", markersize=3, color="#222222", capsize=3, elinewidth=1,
                    label=f"median and 90% interval ({u.draws} draws of the KB's numbers)")
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
    cm = require("matplotlib.cm", "plot", "twitchnet.present.plot")
    nx = require("networkx", "plot", "twitchnet.present.plot.plot_network")

    model = getattr(obj, "model", None) or obj
    diagnosis = obj if hasattr(obj, "ranking") else None
    ax = _axes(ax, (16, 9))
    g = nx.DiGraph()
    # a category finding (duration) is drawn as one node: its levels' links are its links
    layers = {0: list(model.risk_factor_ids), 1: list(model.cause_ids), 2: list(model.finding_ids) + list(model.category_finding_ids)}
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
            g.add_edge(link.cause, f.category or f.id)
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


def plot_rests_on(diagnosis, k=10, ax=None):
    """A tornado plot of what the answer rests on: the knowledge-base numbers that move the top
    cause's posterior log-odds most, each bar running from the change with the number at the low
    end of its range to the change at the high end (first order, from the exact derivative:
    :meth:`~twitchnet.results.Diagnosis.rests_on`), labelled with the number and its source or
    "judgement".

    Parameters
    ----------
    diagnosis : Diagnosis
    k : int, default=10
        How many numbers, the most influential at the top.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    rests = diagnosis.rests_on(k)
    ax = _axes(ax, (8, 0.45 * max(len(rests), 1) + 1.2))
    if not rests:
        ax.set_title("No knowledge-base number with a range moves this answer")
        return ax
    rows = rests[::-1]  # the largest effect at the top
    y = range(len(rows))
    low = [r.derivative * (r.low - r.value) for r in rows]
    high = [r.derivative * (r.high - r.value) for r in rows]
    ax.barh(list(y), low, color="#d35400", height=0.6, label="number at the low end of its range")
    ax.barh(list(y), high, color="#1f5f99", height=0.6, label="number at the high end")
    ax.axvline(0, color="#222222", linewidth=0.8)
    labels = [f"{r.where} = {r.value:g} [{r.low:g}, {r.high:g}]\n{'judgement' if r.judgement else r.source}" for r in rows]
    ax.set_yticks(list(y), labels, fontsize="small")
    cause = rows[0].cause
    ax.set_xlabel(f"change in the log-odds of {cause} (natural log, first order)")
    ax.set_title(f"What the answer rests on: {cause}, P = {diagnosis[cause].probability:.3f}")
    ax.legend(loc="lower right", fontsize="small")
    return ax


_TIER_COLOURS = {"history": "#d35400", "workup": "#1f5f99"}


def plot_calibration(evaluation, method="network", bins=10, ax=None):
    """A reliability diagram per tier of an :class:`~twitchnet.evaluate.Evaluation`: in each bin of
    predicted probability (every cause of every vignette with one true cause), the mean predicted
    probability against how often that cause was the truth; the diagonal is perfect calibration.
    Each point's size follows its bin's count (:meth:`~twitchnet.evaluate.Evaluation.reliability`).

    Parameters
    ----------
    evaluation : Evaluation
    method : str, default="network"
        ``"network"``, or a baseline scored by :func:`twitchnet.evaluate`.
    bins : int, default=10
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One line per tier (labelled with the tier and its Brier score when the metrics have one).
    """
    ax = _axes(ax, (5.5, 5))
    ax.plot([0, 1], [0, 1], color="#888888", linestyle="--", linewidth=1, label="perfect calibration")
    for tier in evaluation.tiers:
        table = evaluation.reliability(method=method, bins=bins, tier=tier)
        table = table[table["count"] > 0]
        x, y, n = table["mean_predicted"].astype(float), table["observed"].astype(float), table["count"]
        colour = _TIER_COLOURS.get(tier, None)
        brier = evaluation.tiers[tier][method].get("brier")
        label = f"{tier} tier" + (f" (Brier {brier:.3f})" if isinstance(brier, float) else "")
        ax.plot(x, y, color=colour, linewidth=1.2, label=label)
        ax.scatter(x, y, s=[12 + 120 * c / max(n.max(), 1) for c in n], color=colour, zorder=3)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel("predicted probability (mean in bin)")
    ax.set_ylabel("observed frequency (the cause was the truth)")
    ax.set_title(f"Calibration of {method} on {evaluation.n_vignettes} vignettes")
    ax.legend(loc="upper left", fontsize="small")
    return ax


def plot_confusion(evaluation, method="network", tier="workup", ax=None):
    """Which cause is mistaken for which: the counts of true cause (rows; ``outside_model`` when the
    vignette's truth is outside the model) against the cause ranked first (columns), each cell
    labelled with its count, the diagonal the hits (:meth:`~twitchnet.evaluate.Evaluation.confusion`).

    Parameters
    ----------
    evaluation : Evaluation
    method : str, default="network"
    tier : str, default="workup"
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    table = evaluation.confusion(method=method, tier=tier)
    labels = list(dict.fromkeys([*table.index, *table.columns]))  # one order on both axes: hits on the diagonal
    table = table.reindex(index=labels, columns=labels, fill_value=0)
    size = 0.45 * len(labels) + 2.5
    ax = _axes(ax, (size + 1, size))
    counts = table.to_numpy()
    ax.imshow(counts, cmap="Blues", vmin=0, vmax=max(int(counts.max()), 1))
    top = counts.max() if counts.size else 0
    for i, j in zip(*counts.nonzero()):
        ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize="small",
                color="white" if counts[i, j] > top / 2 else "#222222")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize="small")
    ax.set_yticks(range(len(labels)), labels, fontsize="small")
    ax.set_xlabel("ranked first")
    ax.set_ylabel("true cause")
    hits = int(counts.trace())
    ax.set_title(f"{method}, {tier} tier: {hits} of {int(counts.sum())} ranked the true cause first")
    return ax


def plot_fit(fitted, k=10, axes=None):
    """What a fit did: the log posterior by EM iteration, and the ``k`` numbers that moved most
    relative to their ranges, each drawn on its knowledge-base range (0 = low end, 1 = high end)
    from the prior value (open circle) to the fitted value (filled), a number that left its range
    in red (:meth:`~twitchnet.learn.FittedModel.changes`).

    Parameters
    ----------
    fitted : FittedModel
    k : int, default=10
    axes : pair of matplotlib.axes.Axes, optional
        Where to draw the two panels; a new figure when omitted.

    Returns
    -------
    tuple of matplotlib.axes.Axes
        ``(history, moved)``.
    """
    changes = fitted.changes().head(k)
    if axes is None:
        plt = require("matplotlib.pyplot", "plot", "twitchnet.present.plot")
        _, axes = plt.subplots(1, 2, figsize=(12, 0.4 * max(len(changes), 4) + 1.5), gridspec_kw={"width_ratios": [1, 1.4]})
    hist_ax, moved_ax = axes
    history = list(fitted.history)
    hist_ax.plot(range(1, len(history) + 1), history, marker="o", markersize=3, color="#1f5f99")
    hist_ax.set_xlabel("EM iteration")
    hist_ax.set_ylabel("log posterior")
    state = "converged" if fitted.converged else "stopped at max_iter"
    hist_ax.set_title(f"Log posterior: {len(history)} iterations, {state}")
    rows = changes.iloc[::-1]  # the largest move at the top
    y = list(range(len(rows)))
    width = (rows["high"] - rows["low"]).where(lambda w: w > 0, 1.0)
    old = ((rows["old"] - rows["low"]) / width).to_numpy()
    new = ((rows["new"] - rows["low"]) / width).to_numpy()
    moved_ax.axvspan(0, 1, color="#eeeeee", zorder=0, label="knowledge-base range")
    for i, (o, n, left) in enumerate(zip(old, new, rows["left_range"])):
        colour = "#b00020" if left else "#1f5f99"
        moved_ax.annotate("", xy=(n, i), xytext=(o, i), arrowprops={"arrowstyle": "->", "color": colour})
        moved_ax.plot([n], [i], "o", color=colour)
        moved_ax.plot([o], [i], "o", mfc="white", color=colour)
    labels = [f"{w}: {r.old:.3g} -> {r.new:.3g} [{r.low:.3g}, {r.high:.3g}]" for w, r in rows.iterrows()]
    moved_ax.set_yticks(y, labels, fontsize="small")
    lo = min([0.0, *old, *new]) - 0.05
    hi = max([1.0, *old, *new]) + 0.05
    moved_ax.set_xlim(lo, hi)
    moved_ax.set_xlabel("position in the range (0 = low end, 1 = high end)")
    moved_ax.set_title(f"The {len(rows)} numbers that moved most ({fitted.n_records} records)")
    return hist_ax, moved_ax
