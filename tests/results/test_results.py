"""A pickled Diagnosis names its model (version, hash, location, fingerprint) instead of carrying it."""

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import twitchnet
from twitchnet.errors import KnowledgeBaseError, ModelReferenceError

CASE = {"age": 68, "sex": "male", "tingling": True, "stocking_distribution": True, "diabetes": True}
DEFAULT = Path(twitchnet.__file__).parent / "data" / "default"

UNPICKLE = (
    "import pickle, sys, twitchnet\n"
    "try:\n"
    "    d = pickle.loads(open(sys.argv[1], 'rb').read())\n"
    "except twitchnet.ModelReferenceError as e:\n"
    "    print('refused', e); sys.exit(0)\n"
    "print(d.model.content_hash, d.ranking[0].cause, d == twitchnet.diagnose(dict(d.evidence), model=d.model))\n"
)


def _unpickle_elsewhere(tmp_path, d):
    file = tmp_path / "d.pickle"
    file.write_bytes(pickle.dumps(d))
    out = subprocess.run([sys.executable, "-c", UNPICKLE, str(file)], capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_a_pickled_diagnosis_is_small_and_carries_no_knowledge_base(model):
    d = model.diagnose(CASE)
    blob = pickle.dumps(d)
    assert len(blob) < 16 * 1024, len(blob)  # it was 77 KiB with the whole model
    assert b"pdpn-survey" not in blob and b"Hanewinckel" not in blob  # no citations, no numbers' notes
    back = pickle.loads(blob)
    assert back == d and back.model is model


def test_another_process_reloads_the_packaged_model(tmp_path, model):
    d = model.diagnose(CASE)
    content_hash, top, same = _unpickle_elsewhere(tmp_path, d).split()
    assert (content_hash, top, same) == (model.content_hash, d.ranking[0].cause, "True")


def test_a_custom_model_is_reloaded_from_its_folder_and_refused_once_edited(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(DEFAULT, folder)
    p = folder / "model.toml"
    assert "routine_threshold = { value = 0.25," in p.read_text()
    p.write_text(p.read_text().replace("routine_threshold = { value = 0.25,", "routine_threshold = { value = 0.26,", 1))
    custom = twitchnet.load_model(folder)
    d = custom.diagnose(CASE)
    assert _unpickle_elsewhere(tmp_path, d).split()[0] == custom.content_hash
    p.write_text(p.read_text().replace("value = 0.26,", "value = 0.27,", 1))  # the folder changed since
    out = _unpickle_elsewhere(tmp_path, d)
    assert out.startswith("refused") and custom.content_hash[:12] in out and str(folder) in out
    shutil.rmtree(folder)  # gone: this process still has the model it built
    assert pickle.loads(pickle.dumps(d)).model is custom


def test_a_model_built_in_memory_is_found_only_where_it_was_built(tmp_path):
    """Models built from records in memory share no files: the fingerprint of their whole content
    tells two of them with the same claimed hash apart."""
    from dataclasses import replace

    base = twitchnet.load_model().kb
    kb1 = replace(base, location="memory")
    kb2 = replace(base, location="memory", routine_threshold=replace(base.routine_threshold, value=0.3))
    m1, m2 = twitchnet.DiagnosticModel(kb1), twitchnet.DiagnosticModel(kb2)
    assert m1.content_hash == m2.content_hash and m1.fingerprint != m2.fingerprint
    # m1 has the packaged content (another location): any model of that content will do
    assert pickle.loads(pickle.dumps(m1.diagnose(CASE))).model.fingerprint == m1.fingerprint
    assert pickle.loads(pickle.dumps(m2.diagnose(CASE))).model is m2
    out = _unpickle_elsewhere(tmp_path, m2.diagnose(CASE))
    assert out.startswith("refused") and "build or load that model first" in out
    assert issubclass(ModelReferenceError, KnowledgeBaseError)


@pytest.mark.parametrize("ranking", ["posterior", "sufficiency"])
def test_every_field_survives(model, ranking):
    d = model.diagnose(dict(CASE, trouble_walking=True), ranking=ranking)
    back = pickle.loads(pickle.dumps(d))
    assert back == d and back.ranked_by == ranking and back.urgent and back.model is model
    assert back.next_questions(2) == d.next_questions(2)


def test_the_environment_is_not_needed_for_the_packaged_model(tmp_path, model):
    env = dict(os.environ, TWITCHNET_NO_CACHE="1")
    file = tmp_path / "d.pickle"
    file.write_bytes(pickle.dumps(model.diagnose(CASE)))
    out = subprocess.run([sys.executable, "-c", UNPICKLE, str(file)], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0 and out.stdout.split()[0] == model.content_hash, out.stderr[-1500:]


def test_a_group_is_a_result_beside_the_causes():
    """d[group id], groups_frame, the group column of to_frame and to_dict's groups all hold the exact d.groups."""
    d = twitchnet.diagnose({"twitching": True, "muscle_weakness": True, "brisk_reflexes": True})
    g = d["neurological_disease"]
    assert isinstance(g, twitchnet.results.GroupResult)
    assert g.probability == d.groups["neurological_disease"]
    place = [r.cause for r in d.ranking]
    assert g.rank == 1 + min(place.index(m) for m in g.members)
    frame = d.groups_frame()
    assert frame.loc["neurological_disease", "probability"] == g.probability
    assert frame.loc["neurological_disease", "rank"] == g.rank
    causes = d.to_frame()
    assert set(causes.index[causes["group"] == "neurological_disease"]) == set(g.members)
    assert len(causes) == len(d.ranking)  # no group rows among the causes
    out = d.to_dict()["groups"]
    assert out == [{"group": g.group, "meaning": g.meaning, "members": list(g.members), "probability": g.probability,
                    "rank": g.rank, "disablement": g.disablement, "sufficiency": g.sufficiency}]
    with pytest.raises(KeyError):
        d["no_such_group"]


def test_diagnose_builds_each_cause_result_as_its_constructor_would(model):
    """diagnose builds its CauseResults without the dataclass's ``__init__`` (the hot path, one dict
    update each): every field is there, in field order, and the object is indistinguishable from
    ``CauseResult(**fields)`` (equality, hash, repr, asdict, the instance dict itself)."""
    from dataclasses import asdict, fields

    from twitchnet.engine.kernel import KERNEL
    from twitchnet.results import CauseResult

    names = [f.name for f in fields(CauseResult)]
    for engine in ("enumeration", "quickscore", "reference"):
        d = twitchnet.diagnose(dict(CASE, cramps=False, duration="months"), model=model, engine=engine)
        assert d.engine == (engine if engine != "enumeration" or KERNEL.built else "reference")
        for r in d.ranking:
            assert list(vars(r)) == names, engine
            built = CauseResult(**{n: getattr(r, n) for n in names})
            assert r == built and hash(r) == hash(built) and repr(r) == repr(built) and vars(r) == vars(built)
            assert asdict(r) == asdict(built)
    other = twitchnet.synthetic.network(causes=6, findings=10, seed=3)  # each model its own cause texts
    assert [r.name for r in twitchnet.diagnose({}, model=other).ranking] != [r.name for r in d.ranking][:6]
    assert {r.cause: r.name for r in twitchnet.diagnose({}, model=other).ranking} == {c.id: c.name for c in other.kb.causes}
