"""Benchmark: the issue 22 goals on the vignette suites (a benchmark in the docs, not a test).

Usage::

    python benchmarks/bench_vignettes.py [--split holdout|dev|all] [--json PATH] [--kb FOLDER]

Scores the packaged suite and the second suite (tests/data/vignettes_second_suite.json), each alone
and pooled, with :func:`twitchnet.evaluate`, and prints one table with the goal of each row:

* history tier (symptoms and risk factors only; examination signs and test results removed): top-1
  and top-3; history with examination: top-1; workup tier (with the published test results): top-1;
* each serious neurological cause (motor neurone disease, inflammatory neuropathy, multiple
  sclerosis): top-3 in the history tier, over its cases in both suites;
* medication and electrolytes: top-3 in each tier;
* benign twitching first among 10,000 cases simulated from the model with ``twitching`` set absent;
* red flags, two ways. ``rule`` is the override as evaluate counts it: vignettes whose evidence
  holds a red flag that come out urgent, and urgent results without one (true by construction, a
  check that nothing switches the override off). ``triage`` compares with the authors' judgement:
  sensitivity = share of vignettes whose ``expected_triage`` is urgent or emergency that come out
  urgent or emergency; false alarms = vignettes expected routine or self-care that come out urgent
  or emergency.

The default split is ``holdout``: the held-out thirds, to be scored once, in aggregate, after the
knowledge base is final. Run with ``--split dev`` while working. The date and the knowledge-base
version are printed with the table. Rerun after any knowledge-base change; the script reads
whatever KB is installed (or ``--kb``).
"""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path

import twitchnet
from twitchnet.evaluate import evaluate
from twitchnet.vignettes import load_vignettes

ROOT = Path(__file__).resolve().parents[1]
SUITES = {"packaged": None, "second": ROOT / "tests" / "data" / "vignettes_second_suite.json"}
URGENT = ("urgent", "emergency")

#: row -> (goal, direction): ">=" a minimum, "<=" a maximum, None for information
NEURO = ("motor_neurone_disease", "inflammatory_neuropathy", "multiple_sclerosis")
GOALS = {
    "history top-1": (0.80, ">="),
    "history top-3": (0.95, ">="),
    "examination top-1": (0.85, ">="),
    "workup top-1": (0.90, ">="),
    "workup top-3": (None, None),
    "medication top-3 (history)": (0.80, ">="),
    "medication top-3 (workup)": (0.80, ">="),
    "electrolytes top-3 (history)": (0.80, ">="),
    "electrolytes top-3 (workup)": (0.80, ">="),
    "red-flag sensitivity (rule)": (1.0, ">="),
    "false alarms (rule)": (0, "<="),
    "red-flag sensitivity (triage)": (1.0, ">="),
    "false alarms (triage)": (0, "<="),
    **{f"{c} top-3 (history)": (0.90, ">=") for c in NEURO},
    "vignettes": (None, None),
    "with test results": (None, None),
    "benign twitching first, twitching absent (of 10,000)": (0, "<="),
}


def _rate(hits):
    return None if not hits else sum(hits) / len(hits)


def score(ev):
    """The benchmark rows of one :class:`~twitchnet.evaluate.Evaluation` (network method)."""
    t = ev.tiers
    rows = {
        "history top-1": t["history"]["network"]["top1"],
        "history top-3": t["history"]["network"]["top3"],
        "examination top-1": t["examination"]["network"]["top1"],
        "workup top-1": t["workup"]["network"]["top1"],
        "workup top-3": t["workup"]["network"]["top3"],
    }
    for cause in ("medication", "electrolytes"):
        for tier in ("history", "workup"):
            pc = ev.per_cause(tier)
            rows[f"{cause} top-3 ({tier})"] = float(pc.loc[cause, "top3"]) if cause in pc.index else None
    pc = ev.per_cause("history")
    for cause in NEURO:
        rows[f"{cause} top-3 (history)"] = float(pc.loc[cause, "top3"]) if cause in pc.index else None
    w = [c for c in ev.cases if c["method"] == "network" and c["tier"] == "workup"]
    rows["red-flag sensitivity (rule)"] = _rate([c["urgent"] for c in w if c["red_flag"]])
    rows["false alarms (rule)"] = sum(c["urgent"] for c in w if not c["red_flag"])
    rows["red-flag sensitivity (triage)"] = _rate([c["triage"] in URGENT for c in w if c["expected_triage"] in URGENT])
    rows["false alarms (triage)"] = sum(c["triage"] in URGENT for c in w if c["expected_triage"] not in URGENT)
    rows["vignettes"] = len(w)
    rows["with test results"] = t["workup"]["network"]["with_test_results"]
    return rows


def counts(ev):
    """Number of vignettes behind each rate (for the table's n column)."""
    w = [c for c in ev.cases if c["method"] == "network" and c["tier"] == "workup"]
    ruled = [c for c in w if c["truth"] is not None]
    return {
        "history top-1": len(ruled), "history top-3": len(ruled), "examination top-1": len(ruled), "workup top-1": len(ruled),
        "workup top-3": len(ruled), **{f"{c} top-3 (history)": sum(x["truth"] == c for x in w) for c in NEURO},
        "benign twitching first, twitching absent (of 10,000)": 10000,
        **{f"{cause} top-3 ({tier})": sum(c["truth"] == cause for c in w) for cause in ("medication", "electrolytes") for tier in ("history", "workup")},
        "red-flag sensitivity (rule)": sum(c["red_flag"] for c in w), "false alarms (rule)": sum(not c["red_flag"] for c in w),
        "red-flag sensitivity (triage)": sum(c["expected_triage"] in URGENT for c in w),
        "false alarms (triage)": sum(c["expected_triage"] not in URGENT for c in w),
        "vignettes": len(w), "with test results": len(w),
    }


def _met(value, goal):
    target, op = goal
    if target is None or value is None:
        return ""
    return "yes" if (value >= target if op == ">=" else value <= target) else "NO"


def _cell(v):
    return "-" if v is None else f"{v:d}" if isinstance(v, int) else f"{v:.3f}"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--split", choices=["holdout", "dev", "all"], default="holdout")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    p.add_argument("--kb", metavar="FOLDER", help="a knowledge-base folder (default: the packaged one)")
    args = p.parse_args(argv)
    model = twitchnet.load_model(args.kb)
    split = None if args.split == "all" else args.split
    cases = {name: load_vignettes(path, split=split, model=model) for name, path in SUITES.items()}
    cases["both"] = cases["packaged"] + cases["second"]
    evs = {name: evaluate(vs, model=model, baselines=False) for name, vs in cases.items()}
    results = {name: score(ev) for name, ev in evs.items()}
    sim = model.simulate(10000, seed=2027)
    sim["twitching"] = False
    first = int((twitchnet.diagnose_frame(sim, model=model).top_cause == "benign_twitching").sum())
    for name in results:
        results[name]["benign twitching first, twitching absent (of 10,000)"] = first if name == "both" else None
    ns = counts(evs["both"])
    meta = {"date": datetime.date.today().isoformat(), "kb": f"{model.kb.name} {model.kb.version}", "split": args.split}
    print(f"Vignette goals (issue 22), {args.split} split; {meta['date']}; knowledge base {meta['kb']}")
    head = f"{'':<52}{'packaged':>10}{'second':>10}{'both':>10}{'n (both)':>10}   {'goal':<8}{'met (both)':>10}"
    print(head)
    print("-" * len(head))
    for row, goal in GOALS.items():
        target, op = goal
        g = "" if target is None else f"{op} {target:g}"
        cells = "".join(f"{_cell(results[s][row]):>10}" for s in ("packaged", "second", "both"))
        print(f"{row:<52}{cells}{ns[row]:>10}   {g:<8}{_met(results['both'][row], goal):>10}")
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "results": results, "n": ns, "goals": {k: list(v) for k, v in GOALS.items()}}, indent=2))
    return results


if __name__ == "__main__":
    main()
