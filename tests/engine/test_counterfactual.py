"""Counterfactual rankings against a brute-force twin network on small random noisy-OR networks."""

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import evidence, small_models

import twitchnet
from twitchnet.engine.reference import prior_states


def brute_force(m, ev, groups=None):
    """Enumerate cause states and every exogenous bit (leak and each link) of the observed findings.

    The risk-factor part P(s, e_R) comes from the engine (checked against pgmpy elsewhere); the
    twin-network part is enumerated here with no shortcut. ``groups``: sets of causes intervened
    on together (default: each cause alone).
    """
    enc = m.encode(ev)
    prior = prior_states(m.arrays, enc.rf_state[None])[0]
    causes = list(m.cause_ids)
    groups = [[c] for c in causes] if groups is None else [list(g) for g in groups]
    obs = [(f, int(enc.finding_state[i])) for i, f in enumerate(m.kb.findings) if enc.finding_state[i] >= 0]
    bits = []  # (finding index in obs, cause or None for leak, probability)
    for j, (f, _) in enumerate(obs):
        bits.append((j, None, f.leak.value))
        bits += [(j, link.cause, link.p.value) for link in f.links]
    total = 0.0
    dis = np.zeros(len(groups))
    suff = np.zeros(len(groups))
    for s_idx in range(2 ** len(causes)):
        s = {c: bool((s_idx >> i) & 1) for i, c in enumerate(causes)}
        for combo in itertools.product((False, True), repeat=len(bits)):
            w = prior[s_idx]
            for (j, c, p), b in zip(bits, combo):
                w *= p if b else 1 - p
            active = [(j, c) for (j, c, _), b in zip(bits, combo) if b]

            def on(j, allowed):
                return any(jj == j and (c is None or (s[c] and c in allowed)) for jj, c in active)

            if any(on(j, causes) != bool(val) for j, (_, val) in enumerate(obs)):
                continue
            total += w
            positive = [j for j, (_, val) in enumerate(obs) if val == 1]
            for k, g in enumerate(groups):
                others = [c for c in causes if c not in g]
                dis[k] += w * sum(not on(j, others) for j in positive)
                # sufficiency switches off the other causes and the leak: only the group's own links count
                suff[k] += w * sum(any(jj == j and c in g and s[c] for jj, c in active) for j in positive)
    return dis / total, suff / total


@given(data=st.data())
@settings(max_examples=40)
def test_counterfactuals_equal_brute_force_twin_network(data):
    m = data.draw(small_models(max_causes=3, max_findings=3, max_private=1))
    keys = list(m.finding_ids) + [k for k in m.evidence_ids if k not in m.finding_ids]
    ev = data.draw(evidence(m, keys=keys))
    if ev.get("expecting") is True and ev.get("gender") == "m":
        ev["expecting"] = False
    n_bits = sum(1 + len(f.links) for f in m.kb.findings if f.id in ev)
    assume(n_bits <= 12)
    d = m.diagnose(ev)
    dis, suff = brute_force(m, ev)
    for k, c in enumerate(m.cause_ids):
        assert abs(d[c].disablement - dis[k]) <= 1e-9
        assert abs(d[c].sufficiency - suff[k]) <= 1e-9


@given(data=st.data())
@settings(max_examples=40)
def test_group_counterfactuals_equal_brute_force_twin_network(data):
    m = data.draw(small_models(max_causes=3, max_findings=3, max_private=1, groups=True))
    assume(m.kb.groups)
    ev = data.draw(evidence(m, keys=list(m.finding_ids)))
    n_bits = sum(1 + len(f.links) for f in m.kb.findings if f.id in ev)
    assume(n_bits <= 12)
    d = m.diagnose(ev)
    dis, suff = brute_force(m, ev, [g.members for g in m.kb.groups])
    for k, g in enumerate(m.kb.groups):
        assert abs(d[g.id].disablement - dis[k]) <= 1e-9
        assert abs(d[g.id].sufficiency - suff[k]) <= 1e-9


def test_no_positive_findings_gives_zero(model):
    d = twitchnet.diagnose({"tingling": False, "age": 40})
    assert all(r.disablement == 0.0 and r.sufficiency == 0.0 for r in d.ranking)


def test_bounds(model):
    ev = {"tingling": True, "stocking_distribution": True, "urge_to_move": True, "back_pain": False}
    d = twitchnet.diagnose(ev)
    n_pos = 3
    for r in d.ranking:
        assert 0.0 <= r.disablement <= n_pos + 1e-12
        assert 0.0 <= r.sufficiency <= n_pos + 1e-12


@pytest.mark.parametrize("how", ["sufficiency", "disablement"])
def test_ranking_options_order_by_their_measure(how):
    ev = {"age": 68, "sex": "male", "tingling": True, "burning_pain": True, "stocking_distribution": True, "urge_to_move": True}
    d = twitchnet.diagnose(ev, ranking=how)
    values = [getattr(r, how) for r in d.ranking]
    assert values == sorted(values, reverse=True)
    assert d.ranked_by == how
    base = twitchnet.diagnose(ev)
    assert {r.cause: r.probability for r in d.ranking} == {r.cause: r.probability for r in base.ranking}


def test_bad_ranking_name():
    with pytest.raises(twitchnet.EvidenceError, match="ranking: expected one of 'posterior'.*Did you mean 'sufficiency'"):
        twitchnet.diagnose({}, ranking="suficiency")
