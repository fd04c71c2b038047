"""How well can a perfectly specified model do on vignette-like cases?

Draws cases from the default model itself (so the model is, by construction, exactly right about
them), keeps those with exactly one cause present and at least one finding (not a test result) present, and describes
each the way a published vignette does: age and sex, the yes/no risk factors that are present, and
the findings that are present (absent findings and absent factors are left unknown). It then
reports top-1 and top-3 accuracy of the true cause, overall and per cause, and their mean over the
causes (the vignette suites are balanced by cause, not weighted by prevalence).

Two tiers, as :func:`twitchnet.evaluate` scores them: ``history`` leaves every test result (a
finding with a ``test`` burden) unknown; ``workup`` describes the drawn test results like the other
findings (an abnormal result present, a normal one unknown, as published vignettes report them).

This is the ceiling for the issue's vignette targets under the model's own numbers: no ranking
computed from these numbers can do better in expectation on cases drawn from the same world.

Run: python tools/vignette_ceiling.py [--n 200000] [--seed 1] [--tier history|workup|both]
"""

import argparse

import numpy as np

import twitchnet


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tier", choices=["history", "workup", "both"], default="both")
    args = ap.parse_args(argv)
    model = twitchnet.load_model()
    df = model.simulate(args.n, seed=args.seed, causes=True)
    cause_cols = [f"cause.{c}" for c in model.cause_ids]
    tests = [f.id for f in model.kb.findings if f.test is not None]
    fids = [f for f in model.finding_ids if f not in tests]  # a symptom or sign, as vignettes have
    single = df[cause_cols].sum(axis=1) == 1
    any_finding = df[fids].any(axis=1)
    cases = df[single & any_finding]
    truth = cases[cause_cols].to_numpy().argmax(axis=1)
    ev = cases.drop(columns=cause_cols).copy()
    for col in ev.columns:
        if col not in ("age", "sex") and ev[col].dtype == bool:
            ev[col] = ev[col].where(ev[col], None)  # present -> True, absent -> unknown
    for tier in ("history", "workup") if args.tier == "both" else (args.tier,):
        shown = ev.drop(columns=tests) if tier == "history" else ev
        print(f"tier: {tier} ({'test results unknown' if tier == 'history' else 'abnormal test results reported'})")
        _report(model, cases, truth, shown, args)


def _report(model, cases, truth, ev, args):
    post = twitchnet.diagnose_frame(ev)[list(model.cause_ids)].to_numpy()
    order = np.argsort(-post, axis=1, kind="stable")
    rank = (order == truth[:, None]).argmax(axis=1)
    print(f"{len(cases)} single-cause cases with a finding present, of {args.n} drawn (seed {args.seed})")
    print(f"{'cause':<20}{'cases':>8}{'top1':>8}{'top3':>8}")
    per = []
    for k, c in enumerate(model.cause_ids):
        r = rank[truth == k]
        per.append(((r == 0).mean(), (r < 3).mean()))
        print(f"{c:<20}{len(r):>8}{per[-1][0]:>8.3f}{per[-1][1]:>8.3f}")
    print(f"{'all (by prevalence)':<20}{len(rank):>8}{(rank == 0).mean():>8.3f}{(rank < 3).mean():>8.3f}")
    print(f"{'mean over causes':<20}{'':>8}{np.mean([p[0] for p in per]):>8.3f}{np.mean([p[1] for p in per]):>8.3f}")


if __name__ == "__main__":
    main()
