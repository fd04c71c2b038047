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
    v = sub.add_parser("vocabulary", help="list every id the model accepts, with its meaning")
    v.add_argument("--json", action="store_true", help="print as JSON")
    return p


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
        d = model.diagnose(_pairs(args.evidence), strings=True)
        if args.json:
            print(json.dumps(d.to_dict(), indent=2))
        else:
            print(d)
        return 0
    except TwitchnetError as exc:
        print(f"twitchnet: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
