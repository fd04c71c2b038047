"""BIF and XMLBIF files that pgmpy and pyAgrum open, giving twitchnet's posteriors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence

from twitchnet.model.export import _tables, file_evidence, safe_name, state_names

gum = pytest.importorskip("pyagrum")
pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def files(model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    return model.to_bif(folder / "twitchnet.bif"), model.to_xmlbif(folder / "twitchnet.bifxml")


@pytest.fixture(scope="module")
def engines(files):
    from pgmpy.inference import VariableElimination
    from pgmpy.readwrite import BIFReader, XMLBIFReader

    bif, xml = files
    return {
        "pgmpy BIF": VariableElimination(BIFReader(str(bif)).get_model()),
        "pgmpy XMLBIF": VariableElimination(XMLBIFReader(str(xml)).get_model()),
        "pyAgrum BIF": gum.loadBN(str(bif)),
        "pyAgrum XMLBIF": gum.loadBN(str(xml)),
    }


def _posteriors(engine, causes, ev):
    if isinstance(engine, gum.BayesNet):
        ie = gum.LazyPropagation(engine)
        ie.setEvidence(ev)
        ie.makeInference()
        return [ie.posterior(c)[1] for c in causes]  # state 1 is True (states in file order)
    return [engine.query([c], evidence=ev, show_progress=False).get_value(**{c: "True"}) for c in causes]


def test_state_names_are_identifiers_by_a_documented_rule(model):
    assert [safe_name(s) for s in ("18-39", "40-59", "70+", "False", "female", "1", "a b")] == ["s18_39", "s40_59", "s70plus", "False", "female", "s1", "a_b"]
    names = state_names(model)
    assert names["age"] == {"18-39": "s18_39", "40-59": "s40_59", "60-69": "s60_69", "70+": "s70plus"}
    for node, mapping in names.items():
        assert all(v.isidentifier() and not v[0].isdigit() for v in mapping.values()), node


def test_both_files_have_every_node_and_arc(model, engines):
    pg = model.to_pgmpy()
    for name in ("pyAgrum BIF", "pyAgrum XMLBIF"):
        bn = engines[name]
        assert set(bn.names()) == set(pg.nodes()) and bn.sizeArcs() == len(pg.edges()), name
    for name in ("pgmpy BIF", "pgmpy XMLBIF"):
        m = engines[name].model
        assert set(m.nodes()) == set(pg.nodes()) and set(m.edges()) == set(pg.edges()), name


def test_pyagrum_reads_bif_numbers_in_single_precision_and_the_file_has_them_all(model, engines):
    """pyAgrum's BIF parser keeps float32 (0.98 reads as 0.9800000190734863): the file holds every
    digit (pgmpy and pyAgrum's XMLBIF reader read them back exactly), pyAgrum's BIF rounds them."""
    bif, xml = engines["pyAgrum BIF"], engines["pyAgrum XMLBIF"]
    for node, _, parents, cols in _tables(model):
        want = np.array(cols)  # (parent combinations, states); the node's parents in file order
        for bn, cast in ((xml, float), (bif, lambda x: float(np.float32(x)))):
            cpt = bn.cpt(node)
            inst = gum.Instantiation(cpt)
            inst.setFirst()
            while not inst.end():
                pos = [inst.val(bn.variableFromName(p)) for p in parents]
                col = int(np.ravel_multi_index(pos, [bn.variableFromName(p).domainSize() for p in parents])) if parents else 0
                assert cpt.get(inst) == cast(want[col, inst.val(bn.variableFromName(node))]), node
                inst.inc()


@given(data=st.data())
@settings(max_examples=12)
def test_every_engine_on_either_file_gives_twitchnets_posteriors(model, engines, data):
    ev = data.draw(evidence(model, max_size=10))
    d = model.diagnose(ev)
    want = np.array([d[c].probability for c in model.cause_ids])
    fe = file_evidence(model, ev)
    for name, engine in engines.items():
        got = np.array(_posteriors(engine, model.cause_ids, fe))
        tol = 1e-6 if name == "pyAgrum BIF" else 1e-9  # float32 numbers (see above)
        assert np.abs(got - want).max() <= tol, (name, ev, np.abs(got - want).max())


def test_the_age_bins_travel_under_their_file_names(model, engines):
    ev = {"age": 75, "sex": "male", "tingling": True, "diabetes": True}
    assert file_evidence(model, ev)["age"] == "s70plus"
    want = model.diagnose(ev)["neuropathy"].probability
    for name, engine in engines.items():
        assert abs(_posteriors(engine, ["neuropathy"], file_evidence(model, ev))[0] - want) <= (1e-6 if name == "pyAgrum BIF" else 1e-9)


@given(data=st.data())
@settings(max_examples=25)
def test_random_small_networks_round_trip_through_both_files(tmp_path_factory, data):
    """Random networks (a structural zero, interactions, categories): pyAgrum and pgmpy on the XMLBIF
    file give twitchnet's posteriors to 1e-9 (BIF: the default model, above; pgmpy's BIF parser is slow)."""
    from hypothesis import assume
    from pgmpy.inference import VariableElimination
    from pgmpy.readwrite import XMLBIFReader
    from strategies import small_models

    from twitchnet.errors import ZeroProbabilityError

    model = data.draw(small_models())
    ev = data.draw(evidence(model))
    try:
        d = model.diagnose(ev)
    except ZeroProbabilityError:
        assume(False)
    folder = tmp_path_factory.mktemp("random")
    fe = file_evidence(model, ev)
    want = np.array([d[c].probability for c in model.cause_ids])
    path = str(model.to_xmlbif(folder / "m.bifxml"))
    xml, ve = gum.loadBN(path), VariableElimination(XMLBIFReader(path).get_model())
    for engine in (xml, ve):
        got = np.array(_posteriors(engine, model.cause_ids, fe))
        assert np.abs(got - want).max() <= 1e-9, (type(engine).__name__, ev)


# ---------------------------------------------------------------------- hostile names and sizes
def _keyword_model(name):
    """A small model whose names are BIF keywords: a finding ``table``, sex states ``default`` and ``network``."""
    import twitchnet
    from twitchnet.kb.loader import knowledge_base_from_data
    from twitchnet.model import DiagnosticModel

    t = twitchnet.synthetic.knowledge_base_data(3, 4, (1, 3), seed=4)
    t["model.toml"]["name"] = name
    t["findings.toml"]["table"] = t["findings.toml"].pop("f1")
    t["risk_factors.toml"]["sex"]["states"] = ["default", "network"]
    for c in t["causes.toml"].values():
        c["effects"]["sex=network"] = c["effects"].pop("sex=male")
    return DiagnosticModel(knowledge_base_from_data(t))


def test_keywords_and_a_hostile_network_name_read_back_in_pgmpy_and_pyagrum(tmp_path):
    # hostile M4: the network name was written unescaped (a name with '"' and newlines defined
    # extra variables), and a state named default or table passed safe_name: pyAgrum refused the file
    from pgmpy.inference import VariableElimination
    from pgmpy.readwrite import BIFReader, XMLBIFReader

    evil = 'x" {\n}\nvariable evil {\n  type discrete [ 2 ] { a, b };\n}\nnetwork "y\x01 & <z>'
    model = _keyword_model(evil)
    assert [safe_name(s) for s in ("table", "default", "network", "Table", "table_")] == ["table_", "default_", "network_", "Table", "table_"]
    assert state_names(model)["sex"] == {"default": "default_", "network": "network_"}
    ev = {"table": True, "sex": "network", "f2": False}
    fe = file_evidence(model, ev)
    assert fe == {"table_": "True", "sex": "network_", "f2": "False"}
    d = model.diagnose(ev)
    want = np.array([d[c].probability for c in model.cause_ids])
    bif, xml = str(model.to_bif(tmp_path / "m.bif")), str(model.to_xmlbif(tmp_path / "m.bifxml"))
    assert "evil" not in BIFReader(bif).get_model().nodes()
    for engine in (gum.loadBN(bif), gum.loadBN(xml), VariableElimination(BIFReader(bif).get_model()),
                   VariableElimination(XMLBIFReader(xml).get_model())):
        got = np.array(_posteriors(engine, model.cause_ids, fe))
        assert np.abs(got - want).max() <= 1e-6, type(engine).__name__


def test_a_model_beyond_the_table_limit_is_refused_before_anything_is_built(tmp_path):
    # hostile L9: 12 findings with 18 parents wrote 128 MB in 14 s; nothing was checked
    import twitchnet
    from twitchnet.errors import EngineLimitError
    from twitchnet.limits import MAX_TABLE_CELLS
    from twitchnet.model.export import table_cells

    small = twitchnet.synthetic.network(5, 9, (1, 4), seed=3)
    for m in (small, twitchnet.load_model()):
        assert table_cells(m)[0] == sum(len(cols) * len(states) for _, states, _, cols in _tables(m)) <= MAX_TABLE_CELLS
    big = twitchnet.synthetic.network(21, 3, 21, seed=0)  # a table of 2 * 2**21 numbers
    assert table_cells(big)[0] > MAX_TABLE_CELLS
    for what, call in (("to_bif", lambda: big.to_bif(tmp_path / "big.bif")), ("to_xmlbif", lambda: big.to_xmlbif(tmp_path / "big.bifxml")),
                       ("to_pgmpy", big.to_pgmpy)):
        with pytest.raises(EngineLimitError, match=f"^{what}: .*MAX_TABLE_CELLS.*4,194,304"):
            call()
    assert not list(tmp_path.iterdir())
