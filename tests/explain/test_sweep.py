"""The sensitivity sweep one case at a time (explain/uncertainty/oneatatime.py) against the
straightforward computation: the model rebuilt with one number moved, and every case diagnosed."""

import json
from pathlib import Path

import numpy as np
import pytest

import twitchnet
from twitchnet.engine.many import layout
from twitchnet.explain import uncertainty as U
from twitchnet.explain.uncertainty import oneatatime
from twitchnet.explain.uncertainty import sweep as S
from twitchnet.model import DiagnosticModel
from twitchnet.model.parameters import with_numbers

TOL = 1e-12
STORED = json.loads((Path(__file__).parent / "sweep_seed7.json").read_text())

# one number of each kind the one-case path treats apart
KINDS = {
    "link": "findings.toml: twitching.causes.benign_twitching",
    "leak": "findings.toml: twitching.leak",
    "baseline (prior depends on the context)": "causes.toml: neuropathy.baseline",
    "baseline (context-free prior)": "causes.toml: benign_twitching.baseline",
    "odds ratio": "causes.toml: neuropathy.effects.diabetes",
    "category prior": "risk_factors.toml: sex.prior[0]",
    "binary prior": "risk_factors.toml: diabetes.prior[0]",
}


@pytest.fixture(scope="module")
def cases(model):
    """Simulated cases, half of them with two risk factors unknown (several live contexts)."""
    df = model.simulate(24, seed=3)
    df = df.astype({"age": object, "diabetes": object})
    df.loc[df.index[12:], ["age", "diabetes"]] = None
    return df


def _states(model, cases):
    return S._cases_states(model, cases, 0)


def _one_case(model, cases, theta, i):
    lay = layout(model)
    kinds = oneatatime._Kinds(lay)
    rf, fs = _states(model, cases)
    return np.array([oneatatime.case_posteriors(lay, kinds, model, rf[r].astype(np.int64), fs[r].astype(np.int64), theta[None], np.array([i]))[1][0]
                     for r in range(rf.shape[0])])


def test_the_kinds_are_what_they_name(model):
    lay = layout(model)
    kinds = oneatatime._Kinds(lay)
    st = U._structure(model)
    i = {k: st.where.index(w) for k, w in KINDS.items()}
    assert kinds.link_cause[i["link"]] == model.cause_ids.index("benign_twitching")
    assert kinds.leak_finding[i["leak"]] == [f.id for f in model.kb.findings].index("twitching")
    assert model.cause_ids.index("neuropathy") in lay.dep and model.cause_ids.index("benign_twitching") in lay.indep
    assert kinds.risk_factor[i["category prior"]] and kinds.risk_factor[i["binary prior"]]


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_of_number_at_each_end_equals_a_rebuilt_model(model, cases, kind):
    st = U._structure(model)
    i = st.where.index(KINDS[kind])
    for end in (st.low[i], st.high[i]):
        theta = st.moved(i, float(end))
        rebuilt = DiagnosticModel(with_numbers(model.kb, theta))
        hand = twitchnet.diagnose_frame(cases, model=rebuilt)[list(model.cause_ids)].to_numpy()
        ours = _one_case(model, cases, theta, i)
        assert np.abs(ours - hand).max() <= TOL, (kind, end)
        assert np.abs(U.moved_posterior(model, i, float(end), cases) - hand).max() <= TOL


def test_every_number_equals_the_straightforward_sweep(model, cases):
    """Every range end of every number, on every case, against the enumeration engine over the
    model's arrays rebuilt from the moved numbers (the sweep as it was computed before)."""
    st = U._structure(model)
    rf, fs = _states(model, cases)
    assert (rf[12:] < 0).any(axis=1).all() and (rf[:12] >= 0).all()
    swept = np.flatnonzero(~st.fixed)
    ends = [(i, x) for i in swept for x in (st.low[i], st.high[i]) if x != st.value[i]]
    moved = np.array([st.moved(i, x) for i, x in ends])
    which = np.array([i for i, _ in ends])
    straight = S._posteriors(model, st, moved, rf, fs)  # (E, N, C)
    lay = layout(model)
    kinds = oneatatime._Kinds(lay)
    for r in range(rf.shape[0]):
        base, post = oneatatime.case_posteriors(lay, kinds, model, rf[r].astype(np.int64), fs[r].astype(np.int64), moved, which)
        assert np.abs(post - straight[:, r]).max() <= TOL, r
        assert np.abs(base - S._base(model, rf[r : r + 1], fs[r : r + 1])[0]).max() <= TOL


def test_sensitivity_equals_the_numbers_stored_from_the_straightforward_sweep(model):
    s = twitchnet.sensitivity(model, STORED["cases"], seed=STORED["seed"])
    n = STORED["cases"]
    got = {r.where: [round(r.changed_low * n), round(r.changed_high * n), round(r.changed * n)] for r in s.rows if r.changed > 0}
    assert got == STORED["rows"]
    assert len(s.rows) == int((~U._structure(model).fixed).sum())


def test_the_fast_kinds_never_rebuild_a_posterior_when_every_risk_factor_is_known(model, monkeypatch):
    """Links, leaks and cause priors on a case that knows its risk factors take the one-factor path:
    posterior_block (the whole posterior under a moved set) is never called."""
    calls = []
    real = oneatatime.posterior_block

    def counting(*args, **kwargs):
        calls.append(args[4].shape[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(oneatatime, "posterior_block", counting)
    st = U._structure(model)
    cases = model.simulate(10, seed=4)
    rf, fs = _states(model, cases)
    assert (rf >= 0).all()
    swept = np.flatnonzero(~st.fixed)
    ends = [(i, x) for i in swept for x in (st.low[i], st.high[i]) if x != st.value[i]]
    moved = np.array([st.moved(i, x) for i, x in ends])
    which = np.array([i for i, _ in ends])
    lay = layout(model)
    kinds = oneatatime._Kinds(lay)
    for r in range(rf.shape[0]):
        oneatatime.case_posteriors(lay, kinds, model, rf[r].astype(np.int64), fs[r].astype(np.int64), moved, which)
    assert calls == []
    df = cases.drop(columns=["age"])  # an unknown risk factor: its priors now move the posterior, through posterior_block
    rf, fs = _states(model, df)
    oneatatime.case_posteriors(lay, kinds, model, rf[0].astype(np.int64), fs[0].astype(np.int64), moved, which)
    assert calls and calls[0] > 0
