"""The ``twitchnet`` command line: a thin argparse wrapper over :func:`twitchnet.diagnose`.

Errors print one line (``twitchnet: error: ...``) to standard error, or with ``--json`` one JSON
object (``{"error": {"type", "message", "key", "expected", "got", "suggestions", "urgent",
"red_flags"}}``), and exit with status 2; no traceback. ``--kb FOLDER`` goes before or after the
command; ``--version`` prints the version. When red flags could be read from evidence that is
otherwise invalid, the urgent advice is printed first, to standard output, and leads the error
line too; with ``--json`` standard output then gets one JSON object instead of the text banner,
``{"urgent": true, "triage": "emergency" | "urgent", "red_flags": [...], "error": {...}}``, so
that a program reading standard output sees the urgency whether or not the rest was valid. A
result that is urgent but cannot be written (standard output closed or failing) exits with
status 3: silence is never a success for an urgent result. pandas and pgmpy are not imported on
this path.

``interview`` exits with status 0 when it ends by its stopping rule, by ``quit`` or at the end of
its input (a pipe that runs out): every warning sign not asked is then listed before the
diagnosis. When standard input cannot be read at all (closed, ``<&-``, or failing), it stops,
lists the warning signs not asked and the diagnosis so far, and exits with status 4
(:data:`INPUT_UNAVAILABLE`): an interview that could not take place is not a success.

``score INPUT OUTPUT`` diagnoses every row of a CSV or Parquet file (columns: vocabulary ids or
aliases; an ``--id`` column is carried through) and writes one row per case (every cause's
posterior, ``top_cause``, ``triage``, ``urgent``, ``red_flags``, ``coerced``, ``error``) as Parquet
or CSV, chosen by each file's suffix. Bad cells are read as unknown, as
``diagnose_frame(errors="coerce")`` reads them: red flags are kept, each bad cell is named in its
row's ``coerced`` column and counted on standard error. Its exit statuses (:data:`SCORE_EXIT`):
0 every row scored from clean cells; 5 (:data:`SCORED_WITH_BAD_CELLS`) the output was written but
some cells were bad (read as unknown) or some rows could not be computed (their ``error`` cell
says why); 2 nothing written (a bad argument, an unreadable input, an unknown column, or with
``--errors raise`` a bad cell: the error carries the red flags of the readable rows, whose advice
is printed first); 3 the output could not be written and some rows were urgent.

``--version`` also says whether the C kernel is in use.

``diagnose --json`` carries ``warning_signs_not_asked`` (every red-flag id not in the evidence,
with its question) and, when the triage is "insufficient" or the person is outside the model's
population (the ``reason`` then points to them), ``next_questions``: the questions to answer
first.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError, TwitchnetError, UsageError
from twitchnet.present.score import SCORE_EXIT, SCORED_WITH_BAD_CELLS, URGENT_WRITE_FAILED, _err, _score, _score_parser, _whole

__all__ = ["main", "SCORE_EXIT", "SCORED_WITH_BAD_CELLS", "URGENT_WRITE_FAILED"]

INPUT_UNAVAILABLE = 4  # exit status: the interview could not read standard input at all


class _NoInput(Exception):
    """Standard input cannot be read (closed or failing): not the end of a pipe's answers."""


class _PairList:
    """Every ``key=value`` pair as given, duplicates kept: what ``model.readable_flags`` reads."""

    def __init__(self, pairs):
        self.pairs = pairs

    def items(self):
        return list(self.pairs)


def _pairs(items, model=None):
    """``key=value`` words as a dict; a key given twice (also as an alias and its id) is an error,
    which carries the red flags of every pair that can be read (as every evidence error does).
    """
    pairs = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise _flagged(v.fail(EvidenceError, item, "key=value (e.g. tingling=yes, age=68, sex=female)", item), model, pairs)
        pairs.append((key.strip(), value, item))
    evidence = {}
    seen = {}
    for key, value, item in pairs:
        try:
            cid = model.canonical_key(key) if model is not None else key
        except TwitchnetError:
            cid = key  # unknown: the diagnosis reports it, with its red flags read first
        if cid in seen:
            first = seen[cid]
            same = f"{first!r}" if first == key else f"{first!r}, which means {cid!r},"
            raise _flagged(v.fail(EvidenceError, key, f"each id once ({same} was given already)", item), model, pairs)
        seen[cid] = key
        evidence[key] = value
    return evidence


def _flagged(exc, model, pairs):
    """``exc`` with the red flags of the pairs that can be read (see diagnose.with_red_flags)."""
    if model is None:
        return exc
    from twitchnet import redflags
    from twitchnet.diagnose import with_red_flags

    flags = model.readable_flags(_PairList((k, val) for k, val, _ in pairs), strings=True)
    return with_red_flags(exc, redflags.evaluate(model.kb, flags))


class _Output:
    """Writes to standard output and remembers whether an urgent result was lost."""

    def __init__(self):
        self.urgent = False

    def __call__(self, text=""):
        if sys.stdout is None:  # started with standard output closed
            raise OSError("standard output is closed")
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    def ask(self, prompt):
        """Write ``prompt`` (no newline) and read one line of standard input.

        Raises EOFError at the end of the input, :class:`_NoInput` when standard input cannot be
        read at all, OSError when the prompt cannot be written.
        """
        if sys.stdout is None:
            raise OSError("standard output is closed")
        sys.stdout.write(prompt)
        sys.stdout.flush()
        if sys.stdin is None:  # started with standard input closed
            raise _NoInput("standard input is closed")
        try:
            line = sys.stdin.readline()
        except (OSError, ValueError) as exc:  # closed or failing; undecodable bytes
            raise _NoInput(f"standard input could not be read ({type(exc).__name__}: {exc})") from None
        if not line:
            raise EOFError
        return line


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')", key="arguments", expected="a valid command line", got=message)


_KB_HELP = "a knowledge-base folder (default: the packaged one); before or after the command"


def _parser():
    from twitchnet._version import __version__

    p = _Parser(prog="twitchnet", description="Why does my leg vibrate, twitch, tingle or buzz? Exact Bayesian answers with red-flag safety checks.")
    p.add_argument("--version", action=_Version, version=f"twitchnet {__version__}")
    p.add_argument("--kb", metavar="FOLDER", help=_KB_HELP)
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    d = sub.add_parser("diagnose", help="rank the causes for the evidence given as key=value pairs")
    d.add_argument("evidence", nargs="*", metavar="key=value", help="e.g. age=68 sex=male tingling=yes diabetes=yes")
    d.add_argument("--text", metavar="TEXT", help='a description in your own words, e.g. "my calf twitches at night, no back pain" '
                   "(needs pip install 'twitchnet[text]'); what was understood is shown before the ranking, and key=value pairs win over it")
    d.add_argument("--json", action="store_true", help="print the result as JSON")
    d.add_argument("--uncertainty", metavar="N", type=_whole, help="also draw the knowledge base's numbers N times within their ranges: "
                   "a 90%% interval and P(first) per cause, and the numbers the answer rests on most")
    d.add_argument("--seed", metavar="S", type=_whole, default=0, help="seed of those draws (default 0)")
    i = sub.add_parser("interview", help="answer questions one at a time (yes/no/skip/quit); works through a pipe")
    i.add_argument("evidence", nargs="*", metavar="key=value", help="what is already known, e.g. age=30 sex=female")
    e = sub.add_parser("evaluate", help="score the model and its baselines on clinical vignettes: history tier (no examination or test results), examination tier and workup tier side by side")
    e.add_argument("file", nargs="?", help="a vignette JSON file (default: the packaged suite)")
    e.add_argument("--split", choices=["dev", "holdout", "all"], default="all")
    e.add_argument("--json", action="store_true", help='print the metrics as JSON: {"history": {method: metrics}, "examination": {...}, "workup": {...}}')
    v = sub.add_parser("vocabulary", help="list every id the model accepts, with its meaning")
    v.add_argument("--json", action="store_true", help="print as JSON (with each id's aliases, red flags marked)")
    s = _score_parser(sub)
    for command in (d, i, e, v, s):  # --kb after the command too; SUPPRESS keeps a value given before it
        command.add_argument("--kb", metavar="FOLDER", default=argparse.SUPPRESS, help=_KB_HELP)
    return p


def _vocabulary(model, as_json, print):
    aliases = {}
    for a, t in model.kb.aliases.items():
        aliases.setdefault(t, []).append(a)
    rows = model.vocabulary()
    flags = set(model.red_flag_ids)
    if as_json:
        print(json.dumps([{"id": i, "kind": k, "meaning": m, "aliases": aliases.get(i, []), "red_flag": i in flags,
                           "in_red_flag_rule": i in model.rule_ids} for i, k, m in rows], indent=2))
        return
    # every red flag marked, whatever its kind (a finding can be one too: saddle_numbness), and
    # the ids that fire a rule only together with others (twitching with muscle_weakness)
    for i, k, m in rows:
        extra = f"  (also: {', '.join(aliases[i])})" if i in aliases else ""
        mark = "[red flag] " if i in flags else "[in a red-flag rule] " if i in model.rule_ids else ""
        print(f"{i:<26} {k:<12} {mark}{m}{extra}")


def _error_body(exc):
    """The JSON form of an error: its pieces, and the red flags it carries."""
    return {"type": type(exc).__name__, "message": str(exc), "key": exc.key, "expected": exc.expected,
            "got": exc.got, "suggestions": list(exc.suggestions), "urgent": exc.urgent,
            "red_flags": [dataclasses.asdict(r) for r in exc.red_flags]}


def _report(exc, as_json):
    """Print an error: one line, or with --json one JSON object, to standard error."""
    if not as_json:
        _err(f"twitchnet: error: {exc}")
        return
    _err(json.dumps({"error": _error_body(exc)}, indent=2, default=repr))


def _urgent_json(exc):
    """What standard output gets with --json when an error carries red flags (see the module docstring)."""
    fired = exc.red_flags
    level = "emergency" if any(r.level == "emergency" for r in fired) else "urgent"
    return json.dumps({"urgent": True, "triage": level, "red_flags": [dataclasses.asdict(r) for r in fired],
                       "error": _error_body(exc)}, indent=2, default=repr)


def _list_not_asked(print, model, ids):
    if ids:
        print("Warning signs not asked (see a doctor promptly if any of these is true):")
        for i in ids:
            print(f"  - {i}: {model.spec(i).meaning}")


def _interview(model, known, out):
    from twitchnet.present.interview import Interview

    try:
        start = {model.canonical_key(k): model.coerce_value(model.canonical_key(k), val, strings=True) for k, val in known.items()}
        iv = Interview(model, start)
    except TwitchnetError:
        # the diagnosis raises the error with the red flags that could be read, or, for a person
        # outside the model's population, is the result: its red flags and the reason
        d = model.diagnose(known, strings=True)
        out.urgent = d.urgent
        out(str(d))
        from twitchnet.present.display import _not_asked

        if not d.urgent and not _not_asked(d):  # no interview took place: say what was not checked
            out()
            _list_not_asked(out, model, [i for i, _ in d.warning_signs_not_asked])
        return 0
    out.urgent = iv.diagnosis.urgent
    print = out  # every line through the checked writer
    status, why = 0, "by request"
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
            reply = out.ask(f"{q.id} ({q.meaning})? [{hint}] ").strip()
        except EOFError:
            print()
            why = "at the end of the input"
            break
        except _NoInput as exc:
            print()
            _err(f"twitchnet: error: {exc}; the interview stopped (exit status {INPUT_UNAVAILABLE})")
            status, why = INPUT_UNAVAILABLE, "standard input could not be read"
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
    out.urgent = iv.diagnosis.urgent
    print()
    print(f"Stopped: {iv.stop_reason or why} after {len(iv.asked)} question(s).")
    from twitchnet.present.display import _not_asked

    if not iv.diagnosis.urgent and not _not_asked(iv.diagnosis):  # a reassuring diagnosis lists them itself
        _list_not_asked(print, model, iv.unasked_red_flags)
    print(str(iv.diagnosis))
    return status


def main(argv=None):
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    as_json = "--json" in argv
    out = _Output()
    try:
        args = _parser().parse_args(argv)
        from twitchnet.model import load_model

        model = load_model(args.kb)
        if args.command == "vocabulary":
            _vocabulary(model, args.json, out)
            return 0
        if args.command == "evaluate":
            from twitchnet.evaluate import evaluate
            from twitchnet.vignettes import load_vignettes

            cases = load_vignettes(args.file, split=None if args.split == "all" else args.split, model=model)
            ev = evaluate(cases, model=model)
            out(json.dumps(ev.tiers, indent=2) if args.json else ev.summary())
            return 0
        if args.command == "interview":
            return _interview(model, _pairs(args.evidence, model), out)
        if args.command == "score":
            return _score(model, args, out)
        evidence, parsed = _pairs(args.evidence, model), None
        if args.text is not None:
            from twitchnet.text import parse

            parsed = parse(args.text, model=model)
            evidence = {**parsed, **dict(evidence.items())}
            if not args.json:
                out("\n".join(parsed.summary()) + "\n")
        d = model.diagnose(evidence, strings=True, uncertainty=args.uncertainty, seed=args.seed)
        out.urgent = d.urgent
        rests = d.rests_on(3) if args.uncertainty is not None and d.ranking else ()
        if args.json:
            data = d.to_dict()
            if d.triage == "insufficient" or not d.ranking:  # what its reason points to
                from twitchnet.present.display import _ask_first

                data["next_questions"] = [dataclasses.asdict(q) for q in _ask_first(d)]
            if args.uncertainty is not None:
                data["rests_on"] = [dataclasses.asdict(r) for r in rests]
            if parsed is not None:
                data["understood"] = {"items": [dataclasses.asdict(i) for i in parsed.found], "said_no": list(parsed.said_no),
                                      "to_confirm": list(parsed.to_confirm), "unrecognised": list(parsed.unrecognised)}
            data["unconfirmed"] = list(d.unconfirmed)
            out(json.dumps(data, indent=2, default=repr))  # a soft answer shows as maybe(2.0)
        else:
            out(str(d))
            if rests:
                out(f"\nThis answer rests most on (the numbers that move the log-odds of {rests[0].cause} most across their ranges):")
                for r in rests:
                    out(f"  - {r}")
        return 0
    except TwitchnetError as exc:
        fired = getattr(exc, "red_flags", ())
        lost = False
        if fired:  # the urgent advice first, where the result would have gone
            from twitchnet.present.display import render_red_flags

            try:
                out(_urgent_json(exc) if as_json else render_red_flags(fired))
            except OSError:
                lost = True
                _quiet_stdout()
        _report(exc, as_json)
        return URGENT_WRITE_FAILED if lost else 2
    except OSError as exc:  # standard output closed, full or gone (e.g. `| head`)
        _quiet_stdout()
        if out.urgent:
            _err(f"twitchnet: error: the urgent result could not be written to standard output ({exc}); "
                 "run again with standard output open")
            return URGENT_WRITE_FAILED
        return 0


class _Version(argparse._VersionAction):
    """``--version``: the version and whether the C kernel is in use (looked up only when asked)."""

    def __call__(self, parser, namespace, values, option_string=None):
        self.version = f"{self.version} ({_kernel_status()})"
        super().__call__(parser, namespace, values, option_string)


def _kernel_status():
    """Whether the compiled C kernel is in use, for ``--version``."""
    from twitchnet._validation import env_flag

    if env_flag("TWITCHNET_NO_KERNEL"):
        return "C kernel: switched off by TWITCHNET_NO_KERNEL"
    from twitchnet.engine import kernel

    if kernel._kernel is None:  # the import failed: built without a C compiler
        return "C kernel: not built, the numpy engines run"
    return "C kernel: in use"


def _quiet_stdout():
    """Point standard output at /dev/null, so that the interpreter's final flush is silent."""
    import os

    try:
        if sys.stdout is not None:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no file descriptor behind it
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
