"""The ``twitchnet`` command line: a thin argparse wrapper over :func:`twitchnet.diagnose`.

Errors print one line (``twitchnet: error: ...``) to standard error and exit with status 2; no
traceback. pandas and pgmpy are not imported on this path.
"""

from __future__ import annotations

import argparse
import json
import sys

from twitchnet.errors import TwitchnetError

__all__ = ["main"]


def _pairs(items):
    evidence = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise TwitchnetError(
                f"{item}: expected key=value (e.g. tingling=yes, age=68, sex=female), got {item!r}", key=item, expected="key=value", got=item
            )
        evidence[key.strip()] = value
    return evidence


def _parser():
    p = argparse.ArgumentParser(prog="twitchnet", description="Why does my leg vibrate, twitch, tingle or buzz? Exact Bayesian answers with red-flag safety checks.")
    p.add_argument("--kb", metavar="FOLDER", help="a knowledge-base folder (default: the packaged one)")
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("diagnose", help="rank the causes for the evidence given as key=value pairs")
    d.add_argument("evidence", nargs="*", metavar="key=value", help="e.g. age=68 sex=male tingling=yes diabetes=yes")
    d.add_argument("--json", action="store_true", help="print the result as JSON")
    i = sub.add_parser("interview", help="answer questions one at a time (yes/no/skip/quit); works through a pipe")
    i.add_argument("evidence", nargs="*", metavar="key=value", help="what is already known, e.g. age=30 sex=female")
    e = sub.add_parser("evaluate", help="score the model and its baselines on clinical vignettes: history tier (no test results) and workup tier side by side")
    e.add_argument("file", nargs="?", help="a vignette JSON file (default: the packaged suite)")
    e.add_argument("--split", choices=["dev", "holdout", "all"], default="all")
    e.add_argument("--json", action="store_true", help='print the metrics as JSON: {"history": {method: metrics}, "workup": {...}}')
    v = sub.add_parser("vocabulary", help="list every id the model accepts, with its meaning")
    v.add_argument("--json", action="store_true", help="print as JSON")
    return p


def _interview(model, known):
    from twitchnet.interview import Interview

    start = {model.canonical_key(k): model.coerce_value(model.canonical_key(k), val, strings=True) for k, val in known.items()}
    iv = Interview(model, start)
    print("Answer yes, no, skip or quit. Red-flag questions come first.")
    while not iv.done:
        q = iv.question()
        sp = model.spec(q.id)
        if sp.kind == "number":
            hint = "a number of years"
        elif sp.kind == "category":
            hint = "/".join(sp.states)
        else:
            hint = "yes/no/skip/quit"
        try:
            reply = input(f"{q.id} ({q.meaning})? [{hint}] ").strip()
        except EOFError:
            print()
            break
        if reply.lower() in ("quit", "q", "exit"):
            break
        if reply.lower() in ("skip", "s", ""):
            iv.answer(q.id, None)
            continue
        try:
            iv.answer(q.id, model.coerce_value(q.id, reply, strings=True))
        except TwitchnetError as exc:
            print(f"  {exc}")
    print()
    print(f"Stopped: {iv.stop_reason or 'by request'} after {len(iv.asked)} question(s).")
    print(iv.diagnosis)
    return 0


def main(argv=None):
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        from twitchnet.model import load_model

        model = load_model(args.kb)
        if args.command == "vocabulary":
            rows = model.vocabulary()
            if args.json:
                print(json.dumps([{"id": i, "kind": k, "meaning": m} for i, k, m in rows], indent=2))
            else:
                aliases = {}
                for a, t in model.kb.aliases.items():
                    aliases.setdefault(t, []).append(a)
                for i, k, m in rows:
                    extra = f"  (also: {', '.join(aliases[i])})" if i in aliases else ""
                    print(f"{i:<26} {k:<12} {m}{extra}")
            return 0
        if args.command == "evaluate":
            from twitchnet.evaluate import evaluate
            from twitchnet.vignettes import load_vignettes

            cases = load_vignettes(args.file, split=None if args.split == "all" else args.split, model=model)
            ev = evaluate(cases, model=model)
            print(json.dumps(ev.tiers, indent=2) if args.json else ev.summary())
            return 0
        if args.command == "interview":
            return _interview(model, _pairs(args.evidence))
        d = model.diagnose(_pairs(args.evidence), strings=True)
        if args.json:
            print(json.dumps(d.to_dict(), indent=2))
        else:
            print(d)
        return 0
    except TwitchnetError as exc:
        print(f"twitchnet: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
