"""Records and models the learning tests share (simulated records, widened ranges, a saturated model)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from twitchnet.kb.schema import Cause, Effect, Finding, KnowledgeBase, Link, Number, RedFlagRule, RiskFactor, Source
from twitchnet.model import DiagnosticModel


def _sim(model, n, seed, causes=False):
    """``model.simulate``, with pregnancy set False outside ages 12-55: the simulation draws
    pregnancy independently of age, and the frame encoder refuses such rows (a plausibility check)."""
    df = model.simulate(n, seed=seed, causes=causes)
    if "pregnancy" in df.columns and "age" in df.columns:
        df.loc[~df["age"].between(12, 55), "pregnancy"] = False
    return df


def _widen(model):
    """The same network with every number given a wide range (the random networks have point
    ranges, which would hold every number fixed)."""
    kb = model.kb

    def p(n):
        if n.structural:
            return n
        return replace(n, low=n.value / 2, high=n.value + (1 - n.value) / 2)

    def odds(n):
        return replace(n, low=n.value / 3, high=n.value * 3)

    rfs = tuple(replace(r, prior=tuple(p(n) if r.kind == "binary" else replace(n, low=0.0, high=1.0) for n in r.prior)) for r in kb.risk_factors)
    causes = tuple(replace(c, baseline=p(c.baseline), effects=tuple(replace(e, odds_ratio=odds(e.odds_ratio)) for e in c.effects)) for c in kb.causes)
    findings = tuple(replace(f, leak=p(f.leak), links=tuple(replace(link, p=p(link.p)) for link in f.links)) for f in kb.findings)
    return DiagnosticModel(replace(kb, risk_factors=rfs, causes=causes, findings=findings))


def _records(model, n, seed, blank=0.3, diagnosed=0.3):
    """Simulated records with a share of cells unknown and some diagnosis columns."""
    rng = np.random.default_rng(seed)
    df = _sim(model, n, seed, causes=True).astype(object)
    cause_cols = [c for c in df.columns if c.startswith("cause.")]
    df = df.rename(columns={c: c[len("cause.") :] for c in cause_cols})
    for col in df.columns:
        share = diagnosed if col in model.cause_ids else blank
        mask = rng.random(n) < (1 - share if col in model.cause_ids else share)
        df.loc[mask, col] = None
    return df


def _num(v, lo=0.0, hi=1.0):
    return Number(v, lo, hi, "judgement", "test")


def _saturated_model():
    """Every table is saturated by its noisy-OR or logistic parameters: each finding has one
    cause, each cause one yes/no or two-state factor. Then maximum likelihood has a closed form."""
    rfs = (
        RiskFactor("gender", "gender", "category", ("f", "m"), (_num(0.6), _num(0.4))),
        RiskFactor("smoker", "smoker", "binary", ("False", "True"), (_num(0.3, 0.01, 0.99),)),
    )
    causes = (
        Cause("c0", "c0", "c0", "clinician", "s", "a", _num(0.2, 0.01, 0.99), (Effect("gender", "m", Number(3.0, 0.1, 50, "judgement", "t")),)),
        Cause("c1", "c1", "c1", "clinician", "s", "a", _num(0.3, 0.01, 0.99), (Effect("smoker", "True", Number(0.5, 0.05, 20, "judgement", "t")),)),
    )
    findings = (
        Finding("f0", "f0", _num(0.1, 0.001, 0.99), (Link("c0", _num(0.7, 0.01, 0.99)),), True),
        Finding("f1", "f1", _num(0.05, 0.001, 0.99), (Link("c1", _num(0.6, 0.01, 0.99)),)),
        Finding("f2", "f2", _num(0.2, 0.001, 0.99), (Link("c1", _num(0.4, 0.01, 0.99)),)),
    )
    kb = KnowledgeBase("sat", "0", "saturated", _num(0.25), {"judgement": Source("judgement", "j")}, rfs, causes, findings,
                       {"f0": "flag"}, (RedFlagRule("f0", "urgent", ("f0",), (), "t", "a", "judgement"),), {}, "h", "memory", "a test population")
    return DiagnosticModel(kb)


def _observed(model, n, seed):
    df = _sim(model, n, seed, causes=True)
    return df.rename(columns={c: c[len("cause.") :] for c in df.columns if c.startswith("cause.")})
