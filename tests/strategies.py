"""Hypothesis strategies: evidence for a model, and random small networks of twitchnet's shape."""

from __future__ import annotations

import hypothesis.strategies as st

from twitchnet.kb.schema import Cause, CauseGroup, Effect, Finding, KnowledgeBase, Link, Number, RedFlagRule, RiskFactor, Source
from twitchnet.model import DiagnosticModel


def _value_strategy(model, key):
    sp = model.spec(key)
    if sp.kind == "number":
        rf = model.kb.risk_factors[sp.index]
        return st.integers(int(rf.low), int(rf.high))
    if sp.kind in ("category", "category_finding"):
        return st.sampled_from(sp.states)
    return st.booleans()


@st.composite
def evidence(draw, model, max_size=None, keys=None, allow_impossible=False):
    """A valid evidence dict for ``model``: a random subset of ids with random values."""
    ids = list(keys if keys is not None else model.evidence_ids)
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=max_size or len(ids)))
    ev = {k: draw(_value_strategy(model, k)) for k in chosen}
    if not allow_impossible and ev.get("pregnancy") is True and ev.get("sex") == "male":
        ev["pregnancy"] = False
    if not allow_impossible and model.implausible(ev) is not None:  # pregnancy at 70, say
        ev["pregnancy"] = False
    return ev


def _num(draw, extreme, lo=0.02, hi=0.98):
    """A probability; with ``extreme``, half the time exactly 1e-12 or 1 - 1e-12."""
    if extreme and draw(st.booleans()):
        v = draw(st.sampled_from([1e-12, 1 - 1e-12]))
        return Number(v, v, v, "judgement", "random test network (extreme)")
    v = draw(st.floats(lo, hi, allow_nan=False))
    return Number(v, v, v, "judgement", "random test network")


def _or(draw):
    v = draw(st.floats(0.1, 20.0, allow_nan=False))
    return Number(v, v, v, "judgement", "random test network")


def small_models(max_causes=4, max_findings=5, max_private=3, extreme=False, tests=False, groups=False):
    """Random small networks; see :func:`_small_models`. ``extreme`` mixes in probabilities of
    1e-12 and 1 - 1e-12 for leaks, links, baselines and priors. ``tests``: findings after the
    first (the red flag) may be test results (a ``test`` burden), as in the vocabulary's test
    section. ``groups``: up to two cause groups ``g0``, ``g1`` of two or more causes each (when
    there are two causes or more)."""
    return _small_models(max_causes, max_findings, max_private, extreme, tests, groups)


@st.composite
def _small_models(draw, max_causes, max_findings, max_private, extreme, tests=False, groups=False):
    """A random network of the default model's three-layer shape.

    A shared three-state "agegroup" factor and a shared "gender" factor (the context), an optional
    "expecting" factor conditioned on gender with a structural zero, private yes/no factors, 1-4
    causes with logistic priors, and 1-5 noisy-OR findings with leaks, plus one red flag.
    """
    n_c = draw(st.integers(1, max_causes))
    n_f = draw(st.integers(1, max_findings))
    n_p = draw(st.integers(0, max_private))
    causes_ids = [f"c{i}" for i in range(n_c)]
    a = [draw(st.floats(0.05, 1.0)) for _ in range(3)]
    age_prior = tuple(Number(x / sum(a), 0.0, 1.0, "judgement", "random") for x in a)
    # make the three values sum to exactly 1 as the loader requires (sum of floats may be 1 +- ulp)
    g = draw(st.floats(0.05, 0.95))
    rfs = [
        RiskFactor("agegroup", "age group", "category", ("a", "b", "c"), age_prior),
        RiskFactor("gender", "gender", "category", ("f", "m"), (Number(g, 0, 1, "judgement", "r"), Number(1 - g, 0, 1, "judgement", "r"))),
    ]
    private = [f"r{i}" for i in range(n_p)]
    for r in private:
        rfs.append(RiskFactor(r, r, "binary", ("False", "True"), (_num(draw, extreme),)))
    use_expecting = draw(st.booleans())
    if use_expecting:
        rfs.append(
            RiskFactor(
                "expecting", "expecting", "binary", ("False", "True"),
                (_num(draw, extreme), Number(0.0, 0.0, 0.0, "judgement", "structural zero", True)), parent="gender",
            )
        )
    owners = {r: draw(st.sampled_from(causes_ids)) for r in private}
    if use_expecting:
        owners["expecting"] = draw(st.sampled_from(causes_ids))
    causes = []
    for c in causes_ids:
        effects = []
        # c0 always uses both shared factors, so that every risk factor feeds the network
        if c == "c0" or draw(st.booleans()):
            effects.append(Effect("agegroup", draw(st.sampled_from(["b", "c"])), _or(draw)))
        if c == "c0" or draw(st.booleans()):
            effects.append(Effect("gender", "m", _or(draw)))
        for r, owner in owners.items():
            if owner == c:
                effects.append(Effect(r, "True", _or(draw)))
        if len(effects) >= 2 and draw(st.booleans()):  # an interaction term of two of its conditions
            a, b = draw(st.lists(st.sampled_from(effects), min_size=2, max_size=2, unique_by=lambda e: e.factor))
            effects.append(Effect(a.factor, a.state, _or(draw), ((b.factor, b.state),)))
        causes.append(Cause(c, c, c, draw(st.sampled_from(["clinician", "self_care"])), "s", "a", _num(draw, extreme), tuple(effects)))
    findings = []
    for i in range(n_f):
        parents = draw(st.lists(st.sampled_from(causes_ids), min_size=1, unique=True))
        burden = draw(st.sampled_from([None, "blood test", "MRI"])) if tests and i else None
        findings.append(Finding(f"f{i}", f"f{i}", _num(draw, extreme, 0.001, 0.3), tuple(Link(c, _num(draw, extreme)) for c in parents), i == 0, burden))
    rules = (RedFlagRule("f0", "urgent", ("f0",), (), "t", "a", "judgement"),)
    cause_groups = []
    if groups and n_c >= 2:
        for g in range(draw(st.integers(1, 2))):
            members = draw(st.lists(st.sampled_from(causes_ids), min_size=2, unique=True))
            cause_groups.append(CauseGroup(f"g{g}", f"group {g}", tuple(c for c in causes_ids if c in members)))
    kb = KnowledgeBase(
        "random", "0", "random test network", Number(0.25, 0, 1, "judgement", "r"),
        {"judgement": Source("judgement", "judgement")}, tuple(rfs), tuple(causes), tuple(findings),
        {"f0": "flag"}, rules, {}, "hash", "memory", "a random test population", tuple(cause_groups),
    )
    return DiagnosticModel(kb)


def beyond_enumeration_model():
    """Issue 21's C6 model: 40 causes (only Quickscore runs it) with one emergency rule, on a
    flag (``saddle_numbness``) that is not a node of the network.
    """
    import twitchnet
    from twitchnet.kb.loader import knowledge_base_from_data

    t = twitchnet.synthetic.knowledge_base_data(40, 60, (1, 3), seed=1)
    t["red_flags.toml"] = {"flags": {"saddle_numbness": {"meaning": "saddle numbness"}},
                           "rules": {"cauda_equina": {"level": "emergency", "all": ["saddle_numbness"], "title": "Cauda equina",
                                                      "advice": "Go to an emergency department now.", "source": "judgement"}}}
    return twitchnet.DiagnosticModel(knowledge_base_from_data(t))


def tiny_leak_model(size=1e-200):
    """The default knowledge base with brief_buzz and where_phone_is_carried given leaks and links
    of ``size`` (hostile C3): two present, their joint mass is about 1e-400, below the double range."""
    import pathlib
    import tomllib

    import twitchnet
    from twitchnet.kb.loader import FILES, knowledge_base_from_data

    src = pathlib.Path(twitchnet.__file__).parent / "data" / "default"
    t = {n: tomllib.loads((src / n).read_text()) for n in FILES}
    for f in ("brief_buzz", "where_phone_is_carried"):
        t["findings.toml"][f]["leak"] |= dict(value=size, low=size, high=size)
        for link in t["findings.toml"][f]["causes"].values():
            link |= dict(value=size, low=size, high=size)
            link.pop("derive", None)
    return DiagnosticModel(knowledge_base_from_data(t))

