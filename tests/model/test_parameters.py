"""twitchnet.model.parameters: the map between the knowledge base's numbers and a flat vector.

The tables are checked against probabilities computed here by hand from the packaged TOML files
(read with tomllib, not through the loader or the pgmpy bridge).
"""

import itertools
import math
import tomllib
from importlib.resources import files

import numpy as np
import pytest

import twitchnet
from twitchnet import synthetic
from twitchnet.model import DiagnosticModel
from twitchnet.model.parameters import Parameters, noisy_or, parameters, vector, with_numbers


@pytest.fixture(scope="module")
def model():
    return twitchnet.load_model()


@pytest.fixture(scope="module")
def toml():
    root = files("twitchnet") / "data" / "default"
    return {name: tomllib.loads((root / f"{name}.toml").read_text()) for name in ("risk_factors", "causes", "findings")}


def _states(rf):
    return rf.get("states", ["False", "True"])


def _p_factor(toml, rf_id, state, assignment):
    """P(risk factor = state | its parent), from the TOML numbers."""
    rf = toml["risk_factors"][rf_id]
    prior = rf["prior"]
    if rf.get("kind") in ("number", "category"):
        return prior[rf["states"].index(state)]["value"]
    if "parent" in rf:
        parent = toml["risk_factors"][rf["parent"]]
        p = prior[_states(parent).index(assignment[rf["parent"]])]["value"]
    else:
        p = prior["value"]
    return p if state == "True" else 1.0 - p


def _p_cause(toml, cause_id, assignment):
    """P(cause present | its risk factors): logit(baseline) + the log odds ratios that apply."""
    cause = toml["causes"][cause_id]
    b = cause["baseline"]["value"]
    z = math.log(b / (1.0 - b))
    for key, number in cause.get("effects", {}).items():
        conditions = [c.split("=") if "=" in c else (c, "True") for c in key.split(" & ")]
        if all(assignment[f] == s for f, s in conditions):
            z += math.log(number["value"])
    return 1.0 / (1.0 + math.exp(-z))


def _assignment(toml, model, p, ids_index, states_row):
    names = [model.risk_factor_ids[i] for i in ids_index]
    return {r: _states(toml["risk_factors"][r])[s] for r, s in zip(names, states_row)}


def test_context_prior_equals_the_toml_numbers_by_hand(model, toml):
    p = parameters(model)
    t = p.compile(p.values)
    ctx = [model.risk_factor_ids[i] for i in p.ctx_vars]
    assert {"age", "sex"} <= set(ctx)
    for k, row in enumerate(p.ctx_states):
        a = _assignment(toml, model, p, p.ctx_vars, row)
        expected = math.prod(_p_factor(toml, r, a[r], a) for r in ctx)
        assert math.exp(t.log_ctx_prior[k]) == pytest.approx(expected, rel=1e-12, abs=0)
    assert np.exp(t.log_ctx_prior).sum() == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("cause_id", ["neuropathy", "rls", "electrolytes"])
def test_private_weights_equal_logistic_prior_by_hand(model, toml, cause_id):
    """Every (context, private state) weight: P(private factors = j | k) * P(cause | k, j), with the
    interaction terms (neuropathy: diabetes & age=70+), a factor whose parent is in the context
    (rls: pregnancy | sex, with its structural zero) and a test result of a private factor
    (neuropathy: low_b12 | b12_deficiency)."""
    p = parameters(model)
    t = p.compile(p.values)
    c = model.cause_ids.index(cause_id)
    priv = [model.risk_factor_ids[i] for i in p.priv_vars[c]]
    w0, w1 = t.priv_weight[c]
    checked = 0
    for k, j in itertools.product(range(p.ctx_states.shape[0]), range(p.priv_states[c].shape[0])):
        a = _assignment(toml, model, p, p.ctx_vars, p.ctx_states[k]) | _assignment(toml, model, p, p.priv_vars[c], p.priv_states[c][j])
        pj = math.prod(_p_factor(toml, r, a[r], a) for r in priv)
        q = _p_cause(toml, cause_id, a)
        assert w1[k, j] == pytest.approx(pj * q, rel=1e-12, abs=1e-300)
        assert w0[k, j] == pytest.approx(pj * (1.0 - q), rel=1e-12, abs=1e-300)
        checked += 1
    assert checked == w1.size > 1


def test_noisy_or_with_leak_by_hand(model, toml):
    p = parameters(model)
    t = p.compile(p.values)
    f = model.column_ids.index("tingling")
    links = toml["findings"]["tingling"]["causes"]
    leak = toml["findings"]["tingling"]["leak"]["value"]
    for cause_id, number in links.items():
        assert t.log_keep[model.cause_ids.index(cause_id), f] == pytest.approx(math.log(1.0 - number["value"]), rel=1e-14)
    assert t.log_leak_off[f] == pytest.approx(math.log(1.0 - leak), rel=1e-14)
    present = ["neuropathy", "spinal"]
    state = np.array([[1.0 if cid in present else 0.0 for cid in model.cause_ids]])
    log_f1, log_f0 = noisy_or(t.log_leak_off, t.log_keep, state)
    absent = (1.0 - leak) * math.prod(1.0 - links[c]["value"] for c in present)
    assert math.exp(log_f0[0, f]) == pytest.approx(absent, rel=1e-13)
    assert math.exp(log_f1[0, f]) == pytest.approx(1.0 - absent, rel=1e-13)
    # a finding without a link to a cause: log(1 - 0) = 0 exactly
    unlinked = [i for i, cid in enumerate(model.cause_ids) if cid not in links]
    assert unlinked and (t.log_keep[unlinked, f] == 0.0).all()


def test_metadata_follows_knowledge_base_numbers(model):
    p = parameters(model)
    pairs = list(model.kb.numbers())
    assert p.names == tuple(w for w, _ in pairs) and p.n == len(pairs)
    assert p.sources == tuple(n.source for _, n in pairs)
    assert (p.values == vector(model.kb)).all()
    assert (p.low <= p.values).all() and (p.values <= p.high).all()
    assert p.fixed[p.structural].all()
    assert p.names[p.link_pos[model.cause_ids.index("neuropathy"), model.column_ids.index("tingling")]] == "findings.toml: tingling.causes.neuropathy"
    age = [p.names[i] for i in p.groups[0]]
    assert age == [f"risk_factors.toml: age.prior[{i}]" for i in range(4)]
    for g in p.groups:
        assert p.values[g].sum() == pytest.approx(1.0, abs=1e-12)
    assert parameters(model) is p  # memoised
    with pytest.raises(AttributeError):
        p.values = None


def test_round_trip_vector_to_kb_to_vector(model):
    theta = parameters(model).values * np.linspace(0.9, 1.0, parameters(model).n)
    kb = with_numbers(model.kb, theta)
    assert (vector(kb) == theta).all()
    assert (vector(with_numbers(kb, vector(model.kb))) == vector(model.kb)).all()


@pytest.mark.parametrize("which", ["default", "synthetic"])
def test_compile_of_many_vectors_equals_a_model_built_with_each(model, which):
    """compile((D, P)) row d equals the tables of a DiagnosticModel built with with_numbers(theta[d])."""
    m = model if which == "default" else synthetic.network(causes=6, findings=12, seed=3)
    p = parameters(m)
    rng = np.random.default_rng(1)
    theta = np.repeat(p.values[None], 3, axis=0)
    free = ~p.structural & ~p.odds_ratio
    theta[:, free] = np.clip(theta[:, free] * rng.uniform(0.7, 1.2, (3, free.sum())), 1e-6, 0.999)
    theta[:, p.odds_ratio] *= rng.uniform(0.5, 2.0, (3, p.odds_ratio.sum()))
    for g in p.groups:
        theta[:, g] /= theta[:, g].sum(axis=1, keepdims=True)
    many = p.compile(theta)
    for d in range(3):
        other = DiagnosticModel(with_numbers(m.kb, theta[d]))
        f = other.factors
        np.testing.assert_allclose(many.log_ctx_prior[d], f["log_ctx_prior"], rtol=1e-13, atol=0)
        for c, (w0, w1) in enumerate(f["priv_weight"]):
            np.testing.assert_allclose(many.priv_weight[c][0][d], w0, rtol=1e-13, atol=1e-300)
            np.testing.assert_allclose(many.priv_weight[c][1][d], w1, rtol=1e-13, atol=1e-300)
        np.testing.assert_allclose(np.exp(many.log_keep[d]), np.exp(other.arrays.b0), rtol=1e-13)
        assert not np.array_equal(many.log_keep[d], p.compile(p.values).log_keep)


def test_model_arrays_are_compiled_from_the_parameters(model):
    p = parameters(model)
    arr = p.arrays(p.values, model.arrays.states)
    for name in ("log_ctx_prior", "log_f0", "log_f1", "b0"):
        np.testing.assert_allclose(getattr(arr, name), getattr(model.arrays, name), rtol=1e-15, atol=1e-15)


def test_bad_vector_is_refused_naming_the_shape(model):
    from twitchnet.errors import KnowledgeBaseError

    p = parameters(model)
    with pytest.raises(KnowledgeBaseError, match=rf"theta.*\({p.n},\).*shape \(3,\)"):
        p.compile(np.ones(3))
    assert isinstance(p, Parameters)


def test_every_name_of_the_split_modules_is_still_importable_from_parameters():
    """The formulas (model/formulas.py) and the vector map (model/vector.py) left parameters.py;
    every name they define is still importable from twitchnet.model.parameters, as the same object."""
    import importlib

    from twitchnet.model import formulas, vector
    from twitchnet.model import parameters as P

    for mod in (formulas, vector):
        for name in mod.__all__:
            assert getattr(P, name) is getattr(importlib.import_module(mod.__name__), name)
            assert name in P.__all__
