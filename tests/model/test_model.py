"""DiagnosticModel's logistic cause priors, interaction terms included."""

import itertools
import math

import pytest

import twitchnet


@pytest.fixture(scope="module")
def model():
    return twitchnet.load_model()


def _by_hand(model, cause_id, assignment):
    """logit(baseline) + the log odds ratio of every effect whose conditions all hold, written out."""
    cause = next(c for c in model.kb.causes if c.id == cause_id)
    z = math.log(cause.baseline.value / (1 - cause.baseline.value))
    for e in cause.effects:
        if all(assignment[f] == s for f, s in ((e.factor, e.state),) + tuple(e.also)):
            z += math.log(e.odds_ratio.value)
    return 1 / (1 + math.exp(-z))


def test_diabetes_odds_ratio_depends_on_age_as_hicks_2021_reports(model):
    """Below 70 the any-diabetes odds ratio (NHANES 27.2% vs 11.6%: 2.8); at 70 and over 1.5-2
    (Hicks et al., Sci Rep 2021), through the interaction term; other factors held fixed."""
    base = {"sex": "female", "heavy_alcohol": "False", "b12_deficiency": "False", "chemotherapy": "False", "nitrous_oxide": "False"}

    def odds(p):
        return p / (1 - p)

    # (0.272 / 0.728) / (0.116 / 0.884) = 2.847, written 2.8; 2.8 x 0.63 = 1.764 at 70+
    for age, expected in (("40-59", 2.8), ("60-69", 2.8), ("70+", 1.764)):
        with_d = model.cause_probability("neuropathy", base | {"age": age, "diabetes": "True"})
        without = model.cause_probability("neuropathy", base | {"age": age, "diabetes": "False"})
        ratio = odds(with_d) / odds(without)
        assert ratio == pytest.approx(expected, rel=1e-12)
        if age == "70+":
            assert 1.5 <= ratio <= 2.0


def test_cause_probability_equals_the_logistic_formula_for_every_assignment(model):
    for cid in model.cause_ids:
        parents = model.cause_parents(cid)
        states = [next(r for r in model.kb.risk_factors if r.id == p).states for p in parents]
        for combo in itertools.product(*states):
            a = dict(zip(parents, combo))
            assert model.cause_probability(cid, a) == pytest.approx(_by_hand(model, cid, a), rel=1e-12, abs=0)


def test_pgmpy_cpd_carries_the_interaction(model):
    cpd = model.to_pgmpy().get_cpds("neuropathy")
    ev = {"age": "70+", "sex": "female", "diabetes": "True", "heavy_alcohol": "False", "b12_deficiency": "False", "chemotherapy": "False",
          "nitrous_oxide": "False"}
    idx = [cpd.state_names[v].index(ev[v]) for v in cpd.variables[1:]]
    p = cpd.values[(cpd.state_names["neuropathy"].index("True"), *idx)]
    assert p == pytest.approx(_by_hand(model, "neuropathy", ev), rel=1e-12)
    # and the interaction matters here: without it the diabetes odds ratio would be 2.8, not
    # 2.8 x 0.63 = 1.764 (Hicks et al., Sci Rep 2021: 1.5-2 at 70 and over)
    odds = p / (1 - p)
    without = _by_hand(model, "neuropathy", ev | {"diabetes": "False"})
    assert odds / (without / (1 - without)) == pytest.approx(1.764, rel=1e-12)


# ---------------------------------------------------------------- issue 21 part 4


def test_keys_and_words_are_case_insensitive_everywhere(model):
    import twitchnet

    # keys (ids and aliases) and category words, in the API as on the command line
    assert model.canonical_key("Tingling") == "tingling" and model.canonical_key("WEAKNESS") == "muscle_weakness"
    assert dict(twitchnet.diagnose({"Tingling": True, "sex": "Male"}).evidence) == {"tingling": True, "sex": "male"}
    assert dict(twitchnet.diagnose({"TINGLING": "Yes", "Sex": " FEMALE "}, strings=True).evidence) == {"tingling": True, "sex": "female"}
    # a red flag in capitals is read even when the rest is refused
    with pytest.raises(twitchnet.UnknownEvidenceError) as info:
        twitchnet.diagnose({"Saddle_Numbness": True, "tinglng": True})
    assert info.value.urgent
    # a cause is still refused as a cause; an id given twice in two cases must agree
    with pytest.raises(twitchnet.UnknownEvidenceError, match="is a cause"):
        twitchnet.diagnose({"Neuropathy": True})
    with pytest.raises(twitchnet.EvidenceError, match="both mean 'tingling'"):
        twitchnet.diagnose({"Tingling": True, "tingling": False})
    # outside the API's words: still refused (yes/no ids take True/False unless strings=True)
    with pytest.raises(twitchnet.EvidenceError):
        twitchnet.diagnose({"tingling": "Yes"})


def test_the_registry_of_models_keeps_only_live_ones(model):
    """Unpickled results look for their model among those built in the process; the registry must
    not keep one entry per knowledge base ever built (hostile-2026-12 L8: 1,601 after 1,600 models)."""
    import gc
    import pickle
    from dataclasses import replace

    from twitchnet import model as model_module
    from twitchnet.model import DiagnosticModel

    gc.collect()
    before = len(model_module._BUILT)
    for i in range(100):
        DiagnosticModel(replace(model.kb, content_hash=f"{i:064x}", location="memory"))
    gc.collect()
    assert len(model_module._BUILT) <= before
    kept = DiagnosticModel(replace(model.kb, content_hash="f" * 64, location="memory"))
    d = pickle.loads(pickle.dumps(kept.diagnose({"age": 40, "tingling": True})))
    assert d.model is kept


def test_unpickling_in_process_finds_the_first_built_model_of_that_content(model):
    """Several live models of one knowledge base: an unpickled result gets the one built first,
    whatever the others (the registry keeps the build order)."""
    import pickle

    from twitchnet.model import DiagnosticModel

    d = model.diagnose({"age": 40, "tingling": True})
    others = [DiagnosticModel(model.kb) for _ in range(50)]
    assert pickle.loads(pickle.dumps(d)).model is model
    assert pickle.loads(pickle.dumps(others[-1].diagnose({"age": 40}))).model is model


# ---------------------------------------------------------------- issue 23 part 4: the tables by hand
# Every table the engines and the pgmpy bridge read, checked against probabilities computed here
# from the TOML files themselves (tomllib, not the loader's KnowledgeBase), so a wrong table in
# model/__init__.py or in model/export.py (which the pgmpy bridge and the BIF writer share) fails
# whatever the other says: the risk-factor priors (age, sex, a test result given what it measures),
# the logistic cause priors (baseline, odds ratios, interaction terms), every noisy-OR finding with
# its leak, and the category finding ``duration`` as an ordinal noisy-MAX of its levels.


@pytest.fixture(scope="module")
def toml_numbers():
    import tomllib

    from twitchnet.kb.loader import _default_folder

    folder = _default_folder()
    return {name: tomllib.loads((folder / f"{name}.toml").read_text()) for name in ("risk_factors", "causes", "findings")}


@pytest.fixture(scope="module")
def bn(model):
    return model.to_pgmpy()


def _states_by_hand(toml, rid):
    entry = toml["risk_factors"][rid]
    return tuple(entry["states"]) if entry.get("kind", "binary") != "binary" else ("False", "True")


def _rf_by_hand(toml, rid, state, assignment):
    """P(risk factor = state | its parent), from ``prior`` as written: one number per state of a
    category or number, one number (or one per state of the parent) for a yes/no factor."""
    entry = toml["risk_factors"][rid]
    if entry.get("kind", "binary") != "binary":
        return entry["prior"][list(entry["states"]).index(state)]["value"]
    parent = entry.get("parent")
    prior = entry["prior"]
    p = prior["value"] if parent is None else prior[_states_by_hand(toml, parent).index(assignment[parent])]["value"]
    return p if state == "True" else 1.0 - p


def _cause_by_hand(toml, cid, assignment):
    """logit P = logit(baseline) + log of every odds ratio whose key's conditions all hold; a key
    is ``id`` (the yes/no factor's True state), ``id=state``, or conditions joined by ``&``."""
    entry = toml["causes"][cid]
    b = entry["baseline"]["value"]
    z = math.log(b) - math.log(1.0 - b)
    for key, number in entry.get("effects", {}).items():
        conditions = [part.strip().partition("=") for part in key.split("&")]
        if all(assignment[f] == (s if eq else "True") for f, eq, s in conditions):
            z += math.log(number["value"])
    return 1.0 / (1.0 + math.exp(-z))


def _findings_by_hand(toml):
    """{finding node: (leak, {cause: p})}: the yes/no findings, and ``<id>__<state>`` for each state
    after the first of a category finding."""
    out = {}
    for fid, entry in toml["findings"].items():
        if "states" in entry:
            for state in entry["states"][1:]:
                out[f"{fid}__{state}"] = (entry["leak"][state]["value"], {c: v[state]["value"] for c, v in entry["causes"].items()})
        else:
            out[fid] = (entry["leak"]["value"], {c: v["value"] for c, v in entry["causes"].items()})
    return out


def _absent_by_hand(leak, links, present):
    """Noisy-OR: P(finding absent | causes) = (1 - leak) * product over present causes of (1 - p)."""
    q = 1.0 - leak
    for c, p in links.items():
        if c in present:
            q *= 1.0 - p
    return q


def _cpd_cells(cpd):
    """Every cell of a pgmpy TabularCPD as ({variable: state}, value)."""
    for idx in itertools.product(*(range(n) for n in cpd.values.shape)):
        yield {v: cpd.state_names[v][i] for v, i in zip(cpd.variables, idx)}, float(cpd.values[idx])


def test_pgmpy_tables_equal_the_toml_numbers_by_hand(model, toml_numbers, bn):
    toml = toml_numbers
    findings = _findings_by_hand(toml)
    categories = {fid: entry["states"] for fid, entry in toml["findings"].items() if "states" in entry}
    seen = set()
    for cpd in bn.get_cpds():
        node = cpd.variable
        seen.add(node)
        for cell, value in _cpd_cells(cpd):
            if node in toml["risk_factors"]:
                want = _rf_by_hand(toml, node, cell[node], cell)
            elif node in toml["causes"]:
                p = _cause_by_hand(toml, node, cell)
                want = p if cell[node] == "True" else 1.0 - p
            elif node in findings:
                leak, links = findings[node]
                absent = _absent_by_hand(leak, links, {c for c in links if cell[c] == "True"})
                want = 1.0 - absent if cell[node] == "True" else absent
            else:  # a category finding: the highest level present, the first state when none is
                states = categories[node]
                on = [k for k, s in enumerate(states[1:], start=1) if cell[f"{node}__{s}"] == "True"]
                want = float(states.index(cell[node]) == max(on, default=0))
            assert value == pytest.approx(want, rel=1e-12, abs=1e-15), (node, cell)
    causes = {cid for cid, entry in toml["causes"].items() if "baseline" in entry}  # not the [groups] table
    assert seen == set(toml["risk_factors"]) | causes | set(findings) | set(categories)


def test_the_engines_tables_equal_the_toml_numbers_by_hand(model, toml_numbers):
    """``model.factors`` (the context prior, each cause's weights in every context and private
    state, which every engine reads) and ``model.arrays`` (each finding given every joint cause
    state), against the same numbers by hand."""
    import numpy as np

    toml = toml_numbers
    f = model.factors
    rids = model.risk_factor_ids
    ctx = [rids[i] for i in f["ctx_vars"]]
    assert {"age", "sex"} <= set(ctx)
    contexts = []
    for k, row in enumerate(f["ctx_states"]):
        a = {r: _states_by_hand(toml, r)[s] for r, s in zip(ctx, row)}
        contexts.append(a)
        want = math.prod(_rf_by_hand(toml, r, a[r], a) for r in ctx)
        assert math.exp(f["log_ctx_prior"][k]) == pytest.approx(want, rel=1e-12, abs=0), a
    assert len(contexts) == len({tuple(a.values()) for a in contexts}) == math.prod(len(_states_by_hand(toml, r)) for r in ctx)
    for c, cid in enumerate(model.cause_ids):
        priv = [rids[i] for i in f["priv_vars"][c]]
        w0, w1 = f["priv_weight"][c]
        for k, a_ctx in enumerate(contexts):
            for j, row in enumerate(f["priv_states"][c]):
                a = a_ctx | {r: _states_by_hand(toml, r)[s] for r, s in zip(priv, row)}
                pj = math.prod(_rf_by_hand(toml, r, a[r], a) for r in priv)
                p = _cause_by_hand(toml, cid, a)
                assert (w1[k, j], w0[k, j]) == pytest.approx((pj * p, pj * (1.0 - p)), rel=1e-10, abs=1e-300), (cid, a)
    # every finding column given every joint cause state (bit c of the row: cause c present)
    arr = model.arrays
    findings = _findings_by_hand(toml)
    assert set(model.column_ids) == set(findings)
    n_c = len(model.cause_ids)
    bits = (np.arange(2**n_c)[:, None] >> np.arange(n_c)[None, :]) & 1
    assert np.array_equal(arr.states, bits)
    for col, fid in enumerate(model.column_ids):
        leak, links = findings[fid]
        absent = np.array([_absent_by_hand(leak, links, {model.cause_ids[c] for c in np.flatnonzero(s)}) for s in bits])
        np.testing.assert_allclose(np.exp(arr.log_f0[:, col]), absent, rtol=1e-12, atol=0, err_msg=fid)
        np.testing.assert_allclose(np.exp(arr.log_f1[:, col]), 1.0 - absent, rtol=1e-9, atol=0, err_msg=fid)


def test_the_measured_test_result_is_a_child_of_what_it_measures(model, toml_numbers, bn):
    """``low_b12`` given ``b12_deficiency``: P(abnormal | no deficiency) and P(abnormal |
    deficiency) as written, in the pgmpy table and in neuropathy's private weights (every engine
    sums over the deficiency with its test result)."""
    import numpy as np

    entry = toml_numbers["risk_factors"]["low_b12"]
    assert entry["parent"] == "b12_deficiency" and "test" in entry
    false_pos, true_pos = (n["value"] for n in entry["prior"])
    cpd = bn.get_cpds("low_b12")
    assert cpd.variables == ["low_b12", "b12_deficiency"]
    got = {(cell["b12_deficiency"], cell["low_b12"]): v for cell, v in _cpd_cells(cpd)}
    assert got == pytest.approx({("False", "True"): false_pos, ("False", "False"): 1 - false_pos,
                                 ("True", "True"): true_pos, ("True", "False"): 1 - true_pos}, rel=1e-12)
    # in the engines: with the deficiency known and every other private factor summed out, the
    # weight of low_b12 = True over the weight of both is P(low_b12 | deficiency), whatever the cause
    f = model.factors
    c = model.cause_ids.index("neuropathy")
    priv = [model.risk_factor_ids[i] for i in f["priv_vars"][c]]
    i_def, i_low = priv.index("b12_deficiency"), priv.index("low_b12")
    w = f["priv_weight"][c][0] + f["priv_weight"][c][1]  # (K, J): P(private state j | context)
    rows = f["priv_states"][c]
    for d, want in ((0, false_pos), (1, true_pos)):
        both = w[:, rows[:, i_def] == d].sum(axis=1)
        high = w[:, (rows[:, i_def] == d) & (rows[:, i_low] == 1)].sum(axis=1)
        np.testing.assert_allclose(high / both, want, rtol=1e-12)


def test_duration_is_the_ordinal_noisy_max_of_its_levels(model, toml_numbers, bn):
    """P(duration = k | causes) = P(level k present) * prod over higher levels of P(level absent)
    (the first state: every level absent), by hand from the TOML numbers, against the pgmpy network
    (the deterministic duration node summed over its level nodes) and against ``model.arrays``."""
    import numpy as np

    entry = toml_numbers["findings"]["duration"]
    states = entry["states"]
    levels = [f"duration__{s}" for s in states[1:]]
    leak = {s: entry["leak"][s]["value"] for s in states[1:]}
    links = {s: {c: v[s]["value"] for c, v in entry["causes"].items()} for s in states[1:]}
    arr = model.arrays
    cols = [model.column_ids.index(lv) for lv in levels]
    cpds = {lv: bn.get_cpds(lv) for lv in levels}
    dur = bn.get_cpds("duration")
    assert set(dur.variables[1:]) == set(levels)
    n_c = len(model.cause_ids)
    rng = np.random.default_rng(0)
    for row in sorted({0, 2**n_c - 1} | set(rng.integers(0, 2**n_c, 60).tolist())):  # none, all, 60 drawn
        present = {c for i, c in enumerate(model.cause_ids) if row >> i & 1}
        on = [1.0 - _absent_by_hand(leak[s], links[s], present) for s in states[1:]]  # P(level present)
        want = [math.prod(1.0 - q for q in on)] + [on[k] * math.prod(1.0 - q for q in on[k + 1 :]) for k in range(len(on))]
        assert sum(want) == pytest.approx(1.0, rel=1e-12)
        # the engines' columns
        p1 = np.exp(arr.log_f1[row, cols])
        p0 = np.exp(arr.log_f0[row, cols])
        got = [math.prod(p0)] + [p1[k] * math.prod(p0[k + 1 :]) for k in range(len(cols))]
        assert got == pytest.approx(want, rel=1e-9, abs=1e-300), (present, "arrays")
        # the pgmpy network: sum over the levels' states of P(duration | levels) P(levels | causes)
        p_level = {}
        for lv in levels:
            cpd = cpds[lv]
            for cell, v in _cpd_cells(cpd):
                if cell[lv] == "True" and all((cell[c] == "True") == (c in present) for c in cpd.variables[1:]):
                    p_level[lv] = v
        got = [0.0] * len(states)
        for cell, v in _cpd_cells(dur):
            weight = math.prod(p_level[lv] if cell[lv] == "True" else 1.0 - p_level[lv] for lv in levels)
            got[states.index(cell["duration"])] += v * weight
        assert got == pytest.approx(want, rel=1e-9, abs=1e-300), (present, "pgmpy")


def test_the_names_moved_out_of_model_and_model_evidence_import_from_their_old_paths():
    """model/__init__.py and model/evidence.py were split (issue 23 part 3): the evidence data to
    model/encoded.py, the numbers methods to model/numbers.py; the old paths still give the names."""
    from twitchnet import model as M
    from twitchnet.model import encoded, evidence, numbers

    for name in ("Encoded", "EvidenceSpec", "PLAUSIBLE_AGES"):
        assert getattr(M, name) is getattr(encoded, name) is getattr(evidence, name), name
        assert name in M.__all__ and name in evidence.__all__, name
    assert issubclass(M.DiagnosticModel, numbers.NumbersMixin) and issubclass(M.DiagnosticModel, evidence.EvidenceMixin)
    assert M.DiagnosticModel.cause_probability is numbers.NumbersMixin.cause_probability
