"""The hostile suite, longer: every path of ``tests/hostile_paths.py`` in seeded rounds until a
time budget runs out, then a table of paths, cases tried, cases that reached the code under test,
and violations of the invariants (red flags never lost, no bare exception, answers equal across
engines, nothing written wrongly to disk).

    python tools/hostile.py --minutes 10 [--seed 0] [--paths frame,fit]

Exits 1 when any case broke an invariant (the first few messages of each path are printed), 0
otherwise. Not run by CI (``tests/test_hostile.py`` runs a few examples of each path there). The
kernel's disk cache goes to a fresh temporary folder unless ``TWITCHNET_CACHE_DIR`` is set; the
disk path makes its own folders.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
# examples per round: the disk path starts three processes per case
CHUNK = {"disk": 1, "sensitivity": 4, "fit": 5}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="time budget (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first round (default 0)")
    parser.add_argument("--paths", default="", help="comma-separated words; only paths whose name holds one")
    parser.add_argument("--chunk", type=int, default=20, help="examples per path per round (default 20)")
    parser.add_argument("--show", type=int, default=5, help="violation messages printed per path (default 5)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TWITCHNET_CACHE_DIR", tempfile.mkdtemp(prefix="twitchnet-hostile-"))
    sys.path.insert(0, str(TESTS))

    from hostile_paths import PATHS
    words = [w.strip() for w in args.paths.split(",") if w.strip()]
    paths = {name: spec for name, spec in PATHS.items() if not words or any(w in name for w in words)}
    stats = {name: {"tried": 0, "reached": 0, "violations": 0, "seconds": 0.0, "messages": []} for name in paths}
    deadline = time.monotonic() + 60 * args.minutes
    rnd = 0
    while time.monotonic() < deadline:
        for name, (strategy, check, _, _) in paths.items():
            if time.monotonic() >= deadline:
                break
            s = stats[name]
            chunk = CHUNK.get(name.split()[0], args.chunk)
            run = _runner(strategy, check, s, chunk, args.seed * 1_000_003 + rnd)
            start = time.monotonic()
            run()
            s["seconds"] += time.monotonic() - start
        rnd += 1
    _table(stats, rnd, args)
    return 1 if any(s["violations"] for s in stats.values()) else 0


def _runner(strategy, check, s, chunk, round_seed):
    """``chunk`` examples of one path under one seed, tallied into ``s`` (no shrinking: the
    checks never raise, they report)."""
    from hypothesis import HealthCheck, Phase, given, seed, settings

    @seed(round_seed)
    @settings(max_examples=chunk, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        out = check(case)
        s["tried"] += 1
        s["reached"] += out.reached
        if out.problems:
            s["violations"] += 1
            s["messages"].extend(f"{p} | case: {_short(case)}" for p in out.problems[:2])

    return run


def _short(case, limit=600):
    text = repr(case)
    return text if len(text) <= limit else text[:limit] + "..."


def _table(stats, rounds, args):
    width = max(len(n) for n in stats) if stats else 10
    print(f"hostile run: {args.minutes:g} min budget, {rounds} rounds, seed {args.seed}")
    print(f"| {'path':<{width}} | cases tried | reached | violations | seconds |")
    print(f"|{'-' * (width + 2)}|------------:|--------:|-----------:|--------:|")
    for name, s in stats.items():
        print(f"| {name:<{width}} | {s['tried']:>11} | {s['reached']:>7} | {s['violations']:>10} | {s['seconds']:>7.0f} |")
    for name, s in stats.items():
        if s["messages"]:
            print(f"\n{name}: {s['violations']} violating case(s); first messages:")
            seen = set()
            for m in s["messages"]:
                key = m[:80]
                if key not in seen and len(seen) < args.show:
                    seen.add(key)
                    print("  -", m)


if __name__ == "__main__":
    sys.exit(main())
