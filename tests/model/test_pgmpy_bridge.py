"""to_pgmpy() builds the same network, with vocabulary ids as node names."""

import itertools

import pytest


@pytest.fixture(scope="module")
def bn(model):
    return model.to_pgmpy()


def test_passes_check_model_and_has_vocabulary_node_names(model, bn):
    assert bn.check_model()
    nodes = set(bn.nodes())
    # a category finding (duration) is a node, with its level findings as its parents
    assert set(model.cause_ids) | set(model.column_ids) | set(model.category_finding_ids) | set(model.risk_factor_ids) == nodes
    assert not (set(model.red_flag_ids) - set(model.finding_ids)) & nodes


def test_state_names_follow_the_contract(bn):
    assert bn.get_cpds("tingling").state_names["tingling"] == ["False", "True"]
    assert bn.get_cpds("sex").state_names["sex"] == ["female", "male"]
    assert bn.get_cpds("age").state_names["age"] == ["18-39", "40-59", "60-69", "70+"]


def test_cause_cpd_holds_the_logistic_numbers(model, bn):
    """Every column against the logistic formula written out here from the knowledge-base numbers
    (not the model's own _cause_pair), and two columns against literal numbers."""
    import math

    cause = next(c for c in model.kb.causes if c.id == "neuropathy")
    cpd = bn.get_cpds("neuropathy")
    parents = list(cpd.variables[1:])
    assert set(parents) == {f for e in cause.effects for f, _ in e.conditions}
    states = {p: cpd.state_names[p] for p in parents}
    values = cpd.get_values()
    b = cause.baseline.value
    for col, combo in enumerate(itertools.product(*(states[p] for p in parents))):
        assign = dict(zip(parents, combo))
        z = math.log(b / (1 - b)) + sum(math.log(e.odds_ratio.value) for e in cause.effects if all(assign[f] == st for f, st in e.conditions))
        assert values[1, col] == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-15)
        assert values[0, col] == pytest.approx(1 / (1 + math.exp(z)), abs=1e-15)
    ref = {p: states[p][0] for p in parents}  # the reference person: the baseline itself
    assert values[1, list(itertools.product(*(states[p] for p in parents))).index(tuple(ref[p] for p in parents))] == pytest.approx(0.02, abs=1e-15)
    old = ref | {"age": "70+", "diabetes": "True"}  # KB 2026.12.2: 0.02 at odds x 5 (age 70+) x 2.8 (diabetes) x 0.63 (interaction)
    odds = 0.02 / 0.98 * 5.0 * 2.8 * 0.63
    assert values[1, list(itertools.product(*(states[p] for p in parents))).index(tuple(old[p] for p in parents))] == pytest.approx(odds / (1 + odds), abs=1e-15)


def test_finding_cpd_is_noisy_or_with_leak(model, bn):
    f = next(f for f in model.kb.findings if f.id == "urge_to_move")
    cpd = bn.get_cpds("urge_to_move")
    parents = cpd.variables[1:]
    p = {link.cause: link.p.value for link in f.links}
    values = cpd.get_values()
    for col, combo in enumerate(itertools.product(("False", "True"), repeat=len(parents))):
        absent = (1 - f.leak.value)
        for c, s in zip(parents, combo):
            if s == "True":
                absent *= 1 - p[c]
        assert values[0, col] == pytest.approx(absent, abs=1e-15)


def test_pregnancy_has_a_structural_zero_for_males(bn):
    cpd = bn.get_cpds("pregnancy")
    assert cpd.get_values()[1].tolist()[1] == 0.0
