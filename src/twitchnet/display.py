"""Text rendering of results. No computation here: only formatting of what results hold."""

from __future__ import annotations

import textwrap

__all__ = ["render_text", "TRIAGE_TEXT"]

TRIAGE_TEXT = {
    "emergency": "EMERGENCY: get medical help now",
    "urgent": "URGENT: see a doctor promptly",
    "routine": "Routine: book an appointment with a GP or clinician",
    "self_care": "Self-care: likely harmless; seek advice if it persists, worsens or interferes with daily life",
}


def _wrap(text, indent="    ", width=88):
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def _bar(p, width=20):
    n = int(round(p * width))
    return "#" * n + "." * (width - n)


def render_text(d, top=3, width=88):
    """Render a :class:`~twitchnet.results.Diagnosis` for a terminal.

    The red-flag banner comes first, then the ranked table with each cause's probability, prior
    and the findings that pushed it most, then advice for the leading causes.
    """
    lines = []
    if d.red_flags:
        rule = "!" * width
        lines += [rule, f"!! {TRIAGE_TEXT[d.triage]}"]
        for r in d.red_flags:
            lines.append(f"!! [{r.level}] {r.title} (because: {', '.join(r.triggered_by)})")
            lines.append(_wrap(r.advice, "!!   ", width))
            lines.append(_wrap("Source: " + r.source, "!!   ", width))
        lines += [rule, "", "The ranking below is shown for information; it does not replace the advice above.", ""]
    else:
        lines += [f"Triage: {TRIAGE_TEXT[d.triage]}", ""]
    lines.append(f"{'rank':>4}  {'cause':<34} {'probability':>11}  {'':20}  {'prior':>6}  findings that moved it most")
    for i, r in enumerate(d.ranking, 1):
        shown = [c for c in r.top_contributions(top) if abs(c.log_lr) >= 0.05]  # hide what rounds to 0.0
        moved = ", ".join(f"{c.finding}{'' if c.value else '=no'} {'+' if c.log_lr >= 0 else '-'}{abs(c.log_lr):.1f}" for c in shown)
        lines.append(f"{i:>4}  {r.name:<34} {r.probability:>11.3f}  {_bar(r.probability)}  {r.prior:>6.3f}  {moved}")
    lines.append("")
    lines.append("(findings: change in log-odds, natural log; + pushed the cause up, - pushed it down)")
    lines.append("")
    for r in d.ranking[:2]:
        lines.append(f"{r.name}: {r.summary}")
        lines.append(_wrap("What to do: " + r.advice, "    ", width))
    lines.append("")
    lines.append(f"Model {d.provenance.model} {d.provenance.version} (knowledge base {d.provenance.content_hash[:12]}). Not a substitute for a clinician.")
    return "\n".join(lines)
