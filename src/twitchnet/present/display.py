"""Text rendering of results. No computation here: only formatting of what results hold."""

from __future__ import annotations

import textwrap

from twitchnet.redflags import TRIAGE_TEXT, urgent_text
from twitchnet.results import REASSURING

__all__ = ["TRIAGE_TEXT", "render_red_flags", "render_tests_html", "render_tests_text", "render_text", "urgent_text"]

NOT_RANKED = "Not assessed: this person is outside the population the model describes; ask a clinician"
ASK_FIRST = 5  # questions shown when the triage is "insufficient"


NOT_ASKED = "Warning signs not asked (see a doctor promptly if any of these is true):"


def _ask_first(d):
    """What to answer first, for a result with nothing to go on: the top next questions (beyond
    enumeration, where gains cannot be computed, the unasked warning signs the error carries).
    """
    from twitchnet.errors import EngineLimitError

    try:
        return d.next_questions(ASK_FIRST)
    except EngineLimitError as exc:
        return tuple(exc.ask_first)
    except Exception:  # noqa: BLE001 - presentation never fails for want of suggestions
        return ()


def _not_asked(d):
    """The warning signs a reassuring result has not checked (empty for any other result)."""
    if d.red_flags or not d.ranking or d.triage not in REASSURING:
        return ()
    return d.warning_signs_not_asked


def _shown_value(value):
    """A contribution's answer as shown after its id: nothing for yes, ``=no``, ``=not sure`` for a maybe."""
    from twitchnet.evidence import Likelihood

    if isinstance(value, Likelihood):
        return "=not sure"
    return "" if value else "=no"


def _wrap(text, indent="    ", width=88):
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def _bar(p, width=20):
    n = int(round(p * width))
    return "#" * n + "." * (width - n)


def render_red_flags(red_flags, width=88):
    """The red-flag banner: the level's words, then each rule's title, trigger, advice and source."""
    rule = "!" * width
    level = "emergency" if any(r.level == "emergency" for r in red_flags) else "urgent"
    lines = [rule, f"!! {TRIAGE_TEXT[level]}"]
    for r in red_flags:
        lines.append(f"!! [{r.level}] {r.title} (because: {', '.join(r.triggered_by)})")
        lines.append(_wrap(r.advice, "!!   ", width))
        lines.append(_wrap("Source: " + r.source, "!!   ", width))
    lines.append(rule)
    return "\n".join(lines)


def render_text(d, top=3, width=88):
    """Render a :class:`~twitchnet.results.Diagnosis` for a terminal.

    The red-flag banner comes first, then the ranked table with each cause's probability, prior
    and the findings that pushed it most, then advice for the leading causes.
    """
    lines = []
    if d.red_flags:
        lines += [render_red_flags(d.red_flags, width), ""]
        if d.ranking:
            lines += ["The ranking below is shown for information; it does not replace the advice above.", ""]
    unconfirmed = _unconfirmed(d)
    if unconfirmed:
        lines.append(UNCONFIRMED_HEAD + ":")
        lines += [f"  - {i}: {m}" for i, m in unconfirmed]
        lines.append("")
    elif not d.ranking:
        lines += [f"Triage: {NOT_RANKED}", ""]
    else:
        lines += [f"Triage: {TRIAGE_TEXT[d.triage]}", ""]
    if d.reason:
        lines += [_wrap("Why: " + d.reason, "", width), ""]
    if d.triage == "insufficient" or not d.ranking:
        asks = _ask_first(d)
        if asks:
            lines.append("Answer these first:")
            lines += [f"  - {q.id}: {q.meaning}" + ("  (warning sign)" if q.red_flag else "") for q in asks]
            lines.append("")
    not_asked = _not_asked(d)
    if not_asked:
        lines.append(NOT_ASKED)
        lines += [f"  - {i}: {q}" for i, q in not_asked]
        lines.append("")
    if not d.ranking:
        lines.append(f"Model {d.provenance.model} {d.provenance.version} (knowledge base {d.provenance.content_hash[:12]}). Not a substitute for a clinician.")
        return "\n".join(lines)
    u = d.intervals
    spread = f"  {'90% interval':>13}  {'P(first)':>8}" if u is not None else ""
    w = max([34] + [len(r.name) for r in d.ranking])  # the cause column fits the longest name
    lines.append(f"{'rank':>4}  {'cause':<{w}} {'probability':>11}  {'':20}{spread}  {'prior':>6}  findings that moved it most")
    for i, r in enumerate(d.ranking, 1):
        shown = [c for c in r.top_contributions(top) if abs(c.log_lr) >= 0.05]  # hide what rounds to 0.0
        moved = ", ".join(f"{c.finding}{_shown_value(c.value)} {'+' if c.log_lr >= 0 else '-'}{abs(c.log_lr):.1f}" for c in shown)
        if u is not None:
            cu = u[r.cause]
            spread = f"  {cu.low:>6.3f}-{cu.high:<6.3f}  {cu.p_first:>8.3f}"
        lines.append(f"{i:>4}  {r.name:<{w}} {r.probability:>11.3f}  {_bar(r.probability)}{spread}  {r.prior:>6.3f}  {moved}")
    lines += _group_lines(d, u, w)
    lines.append("")
    lines.append("(findings: change in log-odds, natural log; + pushed the cause up, - pushed it down)")
    if u is not None:
        lines.append(_interval_note(u))
    lines.append("")
    for r in d.ranking[:2]:
        lines.append(f"{r.name}: {r.summary}")
        lines.append(_wrap("What to do: " + r.advice, "    ", width))
    lines.append("")
    lines.append(f"Model {d.provenance.model} {d.provenance.version} (knowledge base {d.provenance.content_hash[:12]}). Not a substitute for a clinician.")
    return "\n".join(lines)


GROUPS_HEAD = "cause groups: P(at least one member present), placed where the best member ranks"


UNCONFIRMED_HEAD = "Not confirmed (answered 'not sure'; treated as warning signs until you confirm or rule them out)"


def _unconfirmed(d):
    """(id, meaning) of the red-flag ids given as ``maybe`` (:attr:`Diagnosis.unconfirmed`)."""
    model = d.model
    return [(i, model.spec(i).meaning if model is not None else "") for i in getattr(d, "unconfirmed", ()) or ()]


def _group_lines(d, u=None, w=34):
    """The cause groups beside the ranking, one line each (nothing for a model without groups)."""
    groups = d.group_results
    if not groups:
        return []
    names = {r.cause: r.name for r in d.ranking}
    lines = [f"      {GROUPS_HEAD}:"]
    for g in groups:
        spread = ""
        if u is not None and hasattr(u, "groups"):
            gu = u[g.group]
            spread = f"  {gu.low:>6.3f}-{gu.high:<6.3f}  {gu.p_first:>8.3f}"
        label = f"{g.group.replace('_', ' ')} (#{g.rank})"
        lines.append(f"{'':>4}  {label:<{w}} {g.probability:>11.3f}  {_bar(g.probability)}{spread}  "
                     + ", ".join(names.get(m, m) for m in g.members))
    return lines


def _interval_note(u):
    return (f"(90% interval and P(first): over {u.draws} draws of the knowledge base's numbers within their ranges, seed {u.seed}; "
            "a wide interval or a P(first) well below 1 means the ranking hangs on uncertain numbers)")


_LEVEL_COLOUR = {"emergency": "#b00020", "urgent": "#d35400"}
_TRIAGE_COLOUR = {"emergency": "#b00020", "urgent": "#d35400", "routine": "#1f5f99", "self_care": "#2e7d32", "insufficient": "#555555"}


def _esc(x):
    import html

    return html.escape(str(x))


def _hbar(p, colour, width=120, interval=None):
    w = max(0.0, min(1.0, p)) * width
    whisker = ""
    if interval is not None:  # the 90% interval: a dark line across the bar, with end ticks
        lo, hi = (max(0.0, min(1.0, x)) * width for x in interval)
        whisker = (f"<div class='twitchnet-interval' title='90% interval {interval[0]:.3f}-{interval[1]:.3f}' "
                   f"style='position:absolute;left:{lo:.1f}px;width:{max(hi - lo, 1.0):.1f}px;top:4px;height:2px;background:#222'></div>"
                   f"<div style='position:absolute;left:{lo:.1f}px;top:1px;width:1px;height:8px;background:#222'></div>"
                   f"<div style='position:absolute;left:{hi:.1f}px;top:1px;width:1px;height:8px;background:#222'></div>")
    return (f"<div style='display:inline-block;position:relative;width:{width}px;height:10px;background:#eee;vertical-align:middle'>"
            f"<div style='width:{w:.1f}px;height:10px;background:{colour}'></div>{whisker}</div>")


def render_html(d, top=3):
    """Render a :class:`~twitchnet.results.Diagnosis` as HTML (for Jupyter).

    The red-flag banner comes first, then the ranked table with posterior and prior bars and the
    findings that moved each cause most. Only formatting: every number comes from the result.
    """
    parts = ["<div class='twitchnet-diagnosis' style='font-family:sans-serif;max-width:900px'>"]
    if d.red_flags:
        colour = _LEVEL_COLOUR["emergency" if d.triage == "emergency" else "urgent"]
        parts.append(f"<div class='twitchnet-banner' style='border:3px solid {colour};background:#fff3f0;padding:8px;margin-bottom:8px'>")
        parts.append(f"<div style='color:{colour};font-weight:bold;font-size:1.15em'>{_esc(TRIAGE_TEXT[d.triage])}</div><ul style='margin:4px 0'>")
        for r in d.red_flags:
            parts.append(
                f"<li><b>[{_esc(r.level)}] {_esc(r.title)}</b> (because: {_esc(', '.join(r.triggered_by))})<br>{_esc(r.advice)}"
                f"<br><small>Source: {_esc(r.source)}</small></li>"
            )
        parts.append("</ul>" + ("<small>The ranking below is shown for information; it does not replace this advice.</small>" if d.ranking else "") + "</div>")
    else:
        text = TRIAGE_TEXT[d.triage] if d.ranking else NOT_RANKED
        parts.append(f"<div style='color:{_TRIAGE_COLOUR[d.triage]};font-weight:bold'>Triage: {_esc(text)}</div>")
    unconfirmed = _unconfirmed(d)
    if unconfirmed:
        colour = _LEVEL_COLOUR["urgent"]
        parts.append(f"<div class='twitchnet-unconfirmed' style='border:2px dashed {colour};padding:6px;margin:6px 0'><b style='color:{colour}'>{_esc(UNCONFIRMED_HEAD)}</b>"
                     "<ul style='margin:4px 0'>" + "".join(f"<li><b>{_esc(i)}</b>: {_esc(m)}</li>" for i, m in unconfirmed) + "</ul></div>")
    if d.reason:
        parts.append(f"<p class='twitchnet-reason'><i>Why:</i> {_esc(d.reason)}</p>")
    if d.triage == "insufficient" or not d.ranking:
        asks = _ask_first(d)
        if asks:
            parts.append("<div class='twitchnet-ask'>Answer these first:<ul>" + "".join(
                f"<li><b>{_esc(q.id)}</b>: {_esc(q.meaning)}{' (warning sign)' if q.red_flag else ''}</li>" for q in asks) + "</ul></div>")
    not_asked = _not_asked(d)
    if not_asked:
        colour = _LEVEL_COLOUR["urgent"]
        parts.append(f"<div class='twitchnet-not-asked' style='border:2px solid {colour};padding:6px;margin:6px 0'><b style='color:{colour}'>{_esc(NOT_ASKED)}</b>"
                     "<ul style='margin:4px 0'>" + "".join(f"<li><b>{_esc(i)}</b>: {_esc(q)}</li>" for i, q in not_asked) + "</ul></div>")
    if not d.ranking:
        parts.append(f"<small>Model {_esc(d.provenance.model)} {_esc(d.provenance.version)}, knowledge base {_esc(d.provenance.content_hash[:12])}. Not a substitute for a clinician.</small></div>")
        return "".join(parts)
    u = d.intervals
    extra = "<th>90% interval</th><th>P(first)</th>" if u is not None else ""
    parts.append("<table style='border-collapse:collapse'><tr><th>#</th><th style='text-align:left'>cause</th><th>posterior</th><th></th>"
                 f"{extra}<th>prior</th><th></th><th style='text-align:left'>findings that moved it most</th></tr>")
    for i, r in enumerate(d.ranking, 1):
        moved = ", ".join(
            f"<span style='color:{'#2e7d32' if c.log_lr > 0 else '#b00020'}'>{_esc(c.finding)}{_shown_value(c.value)} {c.log_lr:+.1f}</span>"
            for c in r.top_contributions(top) if abs(c.log_lr) >= 0.05
        )
        cu = u[r.cause] if u is not None else None
        cells = (f"<td style='text-align:right'>{cu.low:.3f}-{cu.high:.3f}</td><td style='text-align:right'>{cu.p_first:.3f}</td>"
                 if cu is not None else "")
        parts.append(
            f"<tr><td>{i}</td><td title='{_esc(r.summary)}'>{_esc(r.name)} <small>({_esc(r.cause)})</small></td>"
            f"<td style='text-align:right'>{r.probability:.3f}</td><td>{_hbar(r.probability, '#1f5f99', interval=None if cu is None else (cu.low, cu.high))}</td>"
            f"{cells}<td style='text-align:right'>{r.prior:.3f}</td><td>{_hbar(r.prior, '#9e9e9e', 60)}</td><td>{moved}</td></tr>"
        )
    for g in d.group_results:
        gu = u[g.group] if u is not None and hasattr(u, "groups") else None
        cells = (f"<td style='text-align:right'>{gu.low:.3f}-{gu.high:.3f}</td><td style='text-align:right'>{gu.p_first:.3f}</td>"
                 if gu is not None else "<td></td><td></td>" if u is not None else "")
        members = ", ".join(_esc(m) for m in g.members)
        parts.append(
            f"<tr class='twitchnet-group' style='border-top:1px solid #999'><td>#{g.rank}</td><td title='{_esc(g.meaning)}'><i>group:</i> "
            f"{_esc(g.group.replace('_', ' '))} <small>({members})</small></td><td style='text-align:right'>{g.probability:.3f}</td>"
            f"<td>{_hbar(g.probability, '#6a3d9a', interval=None if gu is None else (gu.low, gu.high))}</td>{cells}<td></td><td></td>"
            f"<td><small>{_esc(GROUPS_HEAD)}</small></td></tr>"
        )
    parts.append("</table><small>Findings: change in log-odds (natural log). ")
    if u is not None:
        parts.append(_esc(_interval_note(u)) + " ")
    parts.append(f"Model {_esc(d.provenance.model)} {_esc(d.provenance.version)}, knowledge base {_esc(d.provenance.content_hash[:12])}. Not a substitute for a clinician.</small>")
    lead = d.ranking[0]
    parts.append(f"<p><b>{_esc(lead.name)}</b>: {_esc(lead.summary)}<br><i>What to do:</i> {_esc(lead.advice)}</p></div>")
    return "".join(parts)


def render_model_html(model):
    """HTML summary of a model: provenance and, per cause, its baseline and the sources behind it."""
    kb = model.kb
    numbers = list(kb.numbers())
    judged = sum(n.is_judgement for _, n in numbers)
    rows = []
    for c in kb.causes:
        srcs = sorted({c.baseline.source} | {e.odds_ratio.source for e in c.effects})
        rows.append(
            f"<tr><td>{_esc(c.id)}</td><td>{_esc(c.name)}</td><td style='text-align:right'>{c.baseline.value:.3f}</td>"
            f"<td>{_esc(', '.join(e.key for e in c.effects))}</td><td>{_esc(', '.join(srcs))}</td></tr>"
        )
    return (
        "<div class='twitchnet-model' style='font-family:sans-serif'>"
        f"<b>{_esc(model.name)}</b> {_esc(model.version)} <small>(knowledge base {_esc(model.content_hash[:12])})</small><br>"
        f"{len(model.risk_factor_ids)} risk factors, {len(model.cause_ids)} causes, {len(model.finding_ids)} findings, "
        f"{len(kb.rules)} red-flag rules; {len(numbers)} numbers ({len(numbers) - judged} published, {judged} judgement).<br>"
        "<table><tr><th>id</th><th>cause</th><th>baseline</th><th>risk factors</th><th>sources</th></tr>" + "".join(rows) + "</table></div>"
    )


def _top(pairs, top):
    return ", ".join(f"{c} {p:.2f}" for c, p in pairs[:top]) if pairs else "(impossible)"


def render_tests_text(plan, top=3, width=88):
    """Render a :class:`~twitchnet.explain.workup.TestPlan` for a terminal: red-flag questions first."""
    lines = []
    if plan.ask_first:
        lines.append("Ask these red-flag questions before any test (safety first):")
        lines += [f"  - {q.id}: {q.meaning}" for q in plan.ask_first]
        lines.append("")
    if plan.reason:
        lines.append(_wrap(f"Not assessed: {plan.reason}", "", width))
        return "\n".join(lines)
    lines.append("Now: " + _top(plan.current, top))
    lines.append("Tests by " + ("expected information per unit of burden (blood test = 1)" if plan.per_burden else "expected information") + ":")
    if not plan.tests:
        lines.append("No test left to do: every test result is already in the evidence.")
    for i, t in enumerate(plan.tests, 1):
        lines.append(f"{i}. {t.id} ({t.burden}): {t.meaning}")
        lines.append(f"     gain {t.gain:.3f} bits; burden {t.cost:g}; {t.gain_per_burden:.3f} bits per unit of burden; P(abnormal) {t.p_abnormal:.3f}")
        lines.append(f"     if abnormal: {_top(t.if_abnormal, top)}")
        lines.append(f"     if normal:   {_top(t.if_normal, top)}")
    return "\n".join(lines)


def render_tests_html(plan, top=3):
    """Render a :class:`~twitchnet.explain.workup.TestPlan` as HTML: red-flag questions first."""
    parts = ["<div class='twitchnet-tests' style='font-family:sans-serif;max-width:900px'>"]
    if plan.ask_first:
        colour = _LEVEL_COLOUR["urgent"]
        parts.append(f"<div style='border:2px solid {colour};padding:6px;margin-bottom:6px'><b style='color:{colour}'>Ask these red-flag questions before any test</b><ul style='margin:4px 0'>")
        parts += [f"<li><b>{_esc(q.id)}</b>: {_esc(q.meaning)}</li>" for q in plan.ask_first]
        parts.append("</ul></div>")
    if plan.reason:
        parts.append(f"<p class='twitchnet-reason'>Not assessed: {_esc(plan.reason)}</p></div>")
        return "".join(parts)
    parts.append(f"<p>Now: {_esc(_top(plan.current, top))}</p>")
    parts.append("<table style='border-collapse:collapse'><tr><th>#</th><th style='text-align:left'>test</th><th>burden</th><th>gain (bits)</th><th>bits per unit of burden</th><th>P(abnormal)</th>"
                 "<th style='text-align:left'>if abnormal</th><th style='text-align:left'>if normal</th></tr>")
    for i, t in enumerate(plan.tests, 1):
        parts.append(
            f"<tr><td>{i}</td><td title='{_esc(t.meaning)}'>{_esc(t.id)}</td><td>{_esc(t.burden)} ({t.cost:g})</td><td style='text-align:right'>{t.gain:.3f}</td><td style='text-align:right'>{t.gain_per_burden:.3f}</td>"
            f"<td style='text-align:right'>{t.p_abnormal:.3f}</td><td>{_esc(_top(t.if_abnormal, top))}</td><td>{_esc(_top(t.if_normal, top))}</td></tr>"
        )
    parts.append("</table></div>")
    return "".join(parts)
