"""A table of corrupted knowledge bases: each one gives a KnowledgeBaseError naming file, entry and
problem; and loading never runs code from the files."""

import os
import pickle
import shutil
from pathlib import Path

import pytest

import twitchnet
from twitchnet.errors import KnowledgeBaseError
from twitchnet.kb import load_knowledge_base

DEFAULT = Path(twitchnet.__file__).parent / "data" / "default"


def _copy(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(DEFAULT, folder)
    return folder


def replace(name, old, new):
    def apply(folder):
        p = folder / name
        text = p.read_text()
        assert old in text, old
        p.write_text(text.replace(old, new, 1))

    return apply


def append(name, extra):
    def apply(folder):
        with open(folder / name, "a") as fh:
            fh.write(extra)

    return apply


def write(name, data):
    def apply(folder):
        p = folder / name
        p.write_bytes(data) if isinstance(data, bytes) else p.write_text(data)

    return apply


def remove(name):
    return lambda folder: (folder / name).unlink()


def make_dir(name):
    def apply(folder):
        (folder / name).unlink()
        (folder / name).mkdir()

    return apply


def truncate(name, keep):
    def apply(folder):
        p = folder / name
        p.write_bytes(p.read_bytes()[:keep])

    return apply


def _more_causes(folder, n, first=0):
    """Append ``n`` copies of the phantom_vibration cause (without its risk factor) under new ids."""
    p = folder / "causes.toml"
    text = p.read_text()
    block = text[text.index("[phantom_vibration]"):text.index("[phantom_vibration.effects]")]  # no risk factors
    p.write_text(text + "".join("\n" + block.replace("phantom_vibration", f"copy{i}") for i in range(first, first + n)))


N_DEFAULT_CAUSES = len(load_knowledge_base().causes)

CASES = [
    # (id, corruption, pieces the message must contain)
    ("missing file", remove("causes.toml"), ["causes.toml", "no such file"]),
    ("file is a directory", make_dir("findings.toml"), ["findings.toml", "readable file"]),
    ("empty causes", write("causes.toml", ""), ["causes.toml", "at least one cause"]),
    ("truncated file", truncate("findings.toml", 1500), ["findings.toml", "valid TOML", "end of document"]),
    ("10 MB of junk", write("sources.toml", os.urandom(10_000_000)), ["sources.toml", "at most 2000000 bytes"]),
    ("binary junk", write("aliases.toml", b"\xff\xfe\x00junk"), ["aliases.toml", "UTF-8"]),
    ("deep nesting", write("model.toml", "x = " + "[" * 100_000), ["model.toml", "nested at most 32 deep"]),
    ("deep dotted key", write("model.toml", "a" + ".a" * 100_000 + " = 1\n"), ["model.toml: line 1", "dots outside strings"]),
    ("duplicate entry", append("causes.toml", '\n[rls]\nname = "again"\n'), ["causes.toml", "valid TOML"]),
    ("duplicate key", replace("model.toml", 'name = "twitchnet-default"', 'name = "twitchnet-default"\nname = "again"'), ["model.toml", "valid TOML"]),
    ("probability above 1", replace("findings.toml", "leak = { value = 0.05,", "leak = { value = 1.5,"), ["findings.toml", "tingling.leak.value", "(0, 1)"]),
    ("probability 0", replace("findings.toml", "\nneuropathy = { value = 0.8,", "\nneuropathy = { value = 0.0,"), ["findings.toml", "numbness.causes.neuropathy.value"]),
    ("negative odds ratio", replace("causes.toml", "diabetes = { value = 2.8,", "diabetes = { value = -2.8,"), ["causes.toml", "neuropathy.effects.diabetes.value", "positive odds ratio"]),
    ("value outside its range", replace("findings.toml", "neuropathy = { value = 0.67, low = 0.5,", "neuropathy = { value = 0.67, low = 0.70,"), ["findings.toml", "tingling.causes.neuropathy.value", "inside its range"]),
    ("unknown source id", replace("causes.toml", 'source = "julian2019"', 'source = "nobody2099"'), ["causes.toml", "neuropathy.effects.heavy_alcohol.source", "nobody2099"]),
    ("judgement without note", replace("risk_factors.toml", ', note = "Rough share of adults who carry a phone in a trouser pocket."', ""), ["risk_factors.toml", "phone_in_pocket.prior.note"]),
    ("unknown cause in a link", replace("findings.toml", "[cramps.causes]\nelectrolytes", "[cramps.causes]\nelectrolyte"), ["findings.toml", "cramps.causes.electrolyte", "cause id"]),
    ("unknown risk factor in an effect", replace("causes.toml", "ppi = {", "ppis = {"), ["causes.toml", "electrolytes.effects.ppis", "risk factor"]),
    ("unknown state in an effect", replace("causes.toml", '"age=70+" = { value = 5.0', '"age=80+" = { value = 5.0'), ["causes.toml", "neuropathy.effects.age=80+", "state"]),
    ("unknown risk factor in an interaction", replace("causes.toml", '"diabetes & age=70+" = {', '"diabetes & agee=70+" = {'), ["causes.toml", "neuropathy.effects.diabetes & agee=70+", "risk factor", "agee"]),
    ("unknown state in an interaction", replace("causes.toml", '"diabetes & age=70+" = {', '"diabetes & age=90+" = {'), ["causes.toml", "neuropathy.effects.diabetes & age=90+", "state"]),
    ("same factor twice in an interaction", replace("causes.toml", '"diabetes & age=70+" = {', '"diabetes & diabetes" = {'), ["causes.toml", "neuropathy.effects.diabetes & diabetes", "at most once"]),
    ("interaction written twice", replace("causes.toml", '"diabetes & age=70+" = {', '"age=70+ & diabetes" = { value = 0.5, low = 0.5, high = 0.5, source = "judgement", note = "x" }\n"diabetes & age=70+" = {'), ["causes.toml", "neuropathy.effects.diabetes & age=70+", "the same conditions as 'age=70+ & diabetes'"]),
    ("interaction of five conditions", replace("causes.toml", '"diabetes & age=70+" = {', '"diabetes & age=70+ & sex=male & heavy_alcohol & chemotherapy" = {'), ["causes.toml", "at most 4 conditions", "5 conditions"]),
    ("cycle between risk factors", replace("risk_factors.toml", 'parent = "sex"', 'parent = "pregnancy"'), ["risk_factors.toml", "pregnancy.parent"]),
    ("parent defined later (cycle)", replace("risk_factors.toml", 'parent = "sex"', 'parent = "iron_deficiency"'), ["risk_factors.toml", "pregnancy.parent", "defined earlier"]),
    ("wrong type: text for a number", replace("findings.toml", "leak = { value = 0.05,", 'leak = { value = "high",'), ["findings.toml", "tingling.leak.value", "finite number"]),
    ("wrong type: bare number for a table", replace("findings.toml", "leak = { value = 0.05, low = 0.02, high = 0.10, source = \"judgement\", note = \"Transient pins and needles from other causes.\" }", "leak = 0.05"), ["findings.toml", "tingling.leak", "a table"]),
    ("wrong type: care", replace("causes.toml", 'care = "clinician"', "care = 3"), ["causes.toml", "neuropathy.care"]),
    ("infinite value", replace("causes.toml", "b12_deficiency = { value = 2.0,", "b12_deficiency = { value = inf,"), ["causes.toml", "b12_deficiency.value", "finite"]),
    ("unknown field", replace("causes.toml", 'care = "clinician"', 'care = "clinician"\ncolour = "blue"'), ["causes.toml", "neuropathy", "unknown field 'colour'"]),
    ("age priors not summing to 1", replace("risk_factors.toml", "{ value = 0.36, low = 0.30,", "{ value = 0.40, low = 0.30,"), ["risk_factors.toml", "age.prior", "sum to 1"]),
    ("rule with unknown flag", replace("red_flags.toml", 'any = ["saddle_numbness", "bladder_or_bowel_change"]', 'any = ["saddle_numbnes"]'), ["red_flags.toml", "rules.cauda_equina.any", "saddle_numbnes"]),
    ("flag that fires no rule alone", replace("red_flags.toml", '[rules.neuro_history]\nlevel = "urgent"\nall = ["neuro_history"]', '[rules.neuro_history]\nlevel = "urgent"\nall = ["neuro_history", "sudden_onset"]'), ["red_flags.toml", "flags.neuro_history", "fires on this flag alone"]),
    ("bad rule level", replace("red_flags.toml", 'level = "emergency"', 'level = "later"'), ["red_flags.toml", "rules.cauda_equina.level"]),
    ("alias to nowhere", append("aliases.toml", 'tinglez = "tinglingz"\n'), ["aliases.toml", "tinglez"]),
    ("alias shadows an id", append("aliases.toml", 'numbness = "tingling"\n'), ["aliases.toml", "numbness"]),
    ("bad id characters", append("causes.toml", '\n["Bad Cause"]\nname = "x"\n'), ["causes.toml", "Bad Cause", "lower-case"]),
    ("structural zero where not allowed", replace("findings.toml", "leak = { value = 0.05,", "leak = { structural = true, value = 0.05,"), ["findings.toml", "tingling.leak.structural"]),
]


@pytest.mark.parametrize("corrupt, pieces", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_corruption_is_reported_precisely(tmp_path, corrupt, pieces):
    folder = _copy(tmp_path)
    corrupt(folder)
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(folder)
    for piece in pieces:
        assert piece in str(info.value), str(info.value)


def test_there_are_at_least_twenty_five_corruptions():
    assert len(CASES) >= 25


def test_loading_never_runs_code(tmp_path):
    folder = _copy(tmp_path)
    marker = tmp_path / "PWNED"
    payload = f"__import__('os').system('touch {marker}')"
    p = folder / "causes.toml"
    p.write_text(p.read_text().replace('name = "Peripheral neuropathy"', f'name = "{payload}"', 1))

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    (folder / "model.pkl").write_bytes(pickle.dumps(Evil()))
    (folder / "__init__.py").write_text(f"import os; os.system('touch {marker}')")
    model = twitchnet.load_model(folder)
    assert model.kb.causes[0].name == payload  # kept as plain text
    model.diagnose({"tingling": True})
    assert not marker.exists()


@pytest.mark.parametrize(
    "corrupt, pieces",
    [
        (append("aliases.toml", 'tingle2 = ["tingling"]\n'), ["aliases.toml", "tingle2"]),
        (replace("red_flags.toml", 'source = "nice-cks-sciatica"', 'source = ["nice-cks-sciatica"]'), ["red_flags.toml", "cauda_equina.source"]),
        (append("model.toml", "\nhuge = " + "9" * 5000 + "\n"), ["model.toml", "valid TOML"]),
    ],
    ids=["list alias target", "list rule source", "5000-digit integer"],
)
def test_wrong_types_found_by_the_reliability_review(tmp_path, corrupt, pieces):
    folder = _copy(tmp_path)
    corrupt(folder)
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(folder)
    for piece in pieces:
        assert piece in str(info.value)


def test_fifo_is_refused_not_read(tmp_path):
    folder = _copy(tmp_path)
    (folder / "aliases.toml").unlink()
    os.mkfifo(folder / "aliases.toml")
    with pytest.raises(KnowledgeBaseError, match="aliases.toml: expected a regular file"):
        load_knowledge_base(folder)


def test_load_model_sees_edits_to_a_folder(tmp_path):
    folder = _copy(tmp_path)
    before = twitchnet.load_model(folder).content_hash
    p = folder / "findings.toml"
    p.write_text(p.read_text().replace("spinal = { value = 0.65,", "spinal = { value = 0.64,", 1))
    assert twitchnet.load_model(folder).content_hash != before


def test_more_causes_than_the_limit_are_refused(tmp_path, monkeypatch):
    """The cause cap of twitchnet.limits (MAX_MODEL_CAUSES, 5000; lowered here so that the file stays small)."""
    from twitchnet import limits

    monkeypatch.setattr(limits, "MAX_MODEL_CAUSES", 16)
    folder = _copy(tmp_path)
    _more_causes(folder, 17 - N_DEFAULT_CAUSES)
    with pytest.raises(KnowledgeBaseError, match=r"causes.toml: expected at most 16 causes .*got '17 causes'"):
        load_knowledge_base(folder)


def test_enumeration_runs_up_to_its_limit_and_quickscore_beyond(tmp_path):
    """The default context has 16 joint states (age 4 x sex 2 x heavy alcohol 2): 16 * 2**12 is
    MAX_ENUMERATION_CELLS, so twelve causes enumerate; a thirteenth loads and runs Quickscore, and
    asking for enumeration then names the limit."""
    from twitchnet.errors import EngineLimitError
    from twitchnet.limits import MAX_ENUMERATION_CELLS

    folder = _copy(tmp_path)
    _more_causes(folder, 12 - N_DEFAULT_CAUSES)
    model = twitchnet.load_model(folder)
    assert len(model.cause_ids) == 12 and model.arrays.ctx_states.shape[0] * 2**12 == MAX_ENUMERATION_CELLS
    d = model.diagnose({"tingling": True}, engine="enumeration")
    assert len(d.ranking) == 12 and d.engine == twitchnet.engine.get("enumeration", model).name  # "reference" without the kernel
    q = model.diagnose({"tingling": True}, engine="quickscore")
    assert q.engine == "quickscore"
    for r in d.ranking:
        assert abs(q[r.cause].log_odds - r.log_odds) < 1e-9
    _more_causes(folder, 1, first=12 - N_DEFAULT_CAUSES)
    big = twitchnet.load_model(folder)
    assert big.diagnose({"tingling": True}).engine == "quickscore"
    with pytest.raises(EngineLimitError, match=r"engine: expected a model that enumeration can run .*65536.*got '13 causes, 16 contexts'"):
        big.diagnose({"tingling": True}, engine="enumeration")


def test_strings_and_comments_full_of_dots_are_fine(tmp_path):
    folder = _copy(tmp_path)
    p = folder / "model.toml"
    p.write_text(p.read_text() + "# " + "." * 500 + "\n")
    q = folder / "causes.toml"
    q.write_text(q.read_text().replace('name = "Peripheral neuropathy"', 'name = "Peripheral neuropathy' + "." * 100 + '"', 1))
    assert twitchnet.load_model(folder).kb.causes[0].name.endswith("." * 100)
