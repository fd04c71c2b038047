"""A second independent engine: pyAgrum's LazyPropagation agrees with twitchnet to 1e-9."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence

import twitchnet

gum = pytest.importorskip("pyagrum")


@pytest.fixture(scope="module")
def bn(model):
    from twitchnet.model.pyagrum_bridge import to_pyagrum

    return to_pyagrum(model)


def test_same_nodes_and_arcs(model, bn):
    pg = model.to_pgmpy()
    assert set(bn.names()) == set(pg.nodes())
    assert bn.sizeArcs() == len(pg.edges())


@given(data=st.data())
@settings(max_examples=40)
def test_lazy_propagation_agrees(model, bn, data):
    ev = data.draw(evidence(model, max_size=14))
    d = twitchnet.diagnose(ev)
    ie = gum.LazyPropagation(bn)
    ie.setEvidence(model.to_pgmpy_evidence(ev))
    ie.makeInference()
    for c in model.cause_ids:
        assert abs(ie.posterior(c)[1] - d[c].probability) <= 1e-9


def test_to_pyagrum_is_a_public_method_beside_to_pgmpy(model):
    bn = model.to_pyagrum()
    pg = model.to_pgmpy()
    assert isinstance(bn, gum.BayesNet)
    assert set(bn.names()) == set(pg.nodes()) and bn.sizeArcs() == len(pg.edges())
    ev = {"age": 68, "sex": "male", "tingling": True, "diabetes": True, "trouble_walking": True}
    ie = gum.LazyPropagation(bn)
    ie.setEvidence(model.to_pgmpy_evidence(ev))
    ie.makeInference()
    d = model.diagnose(ev)
    for c in model.cause_ids:
        assert abs(ie.posterior(c)[1] - d[c].probability) <= 1e-9


def test_to_pyagrum_without_pyagrum_says_pip_install(model, monkeypatch):
    import sys

    from twitchnet.errors import MissingExtraError

    monkeypatch.setitem(sys.modules, "pyagrum", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'twitchnet\[pyagrum\]'"):
        model.to_pyagrum()
