"""The cache of the packaged model: plain JSON and bytes, keyed on version, schema and data, verified
before use; a tampered or crafted file is ignored and rebuilt, and nothing in it is ever executed."""

import inspect
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import twitchnet
from twitchnet import _cache
from twitchnet.engine import kernel
from twitchnet.kb import loader

SRC = Path(twitchnet.__file__).resolve().parent

CASE = "{'trouble_walking': True, 'tingling': True, 'age': 50}"
RUN = (
    "import sys, twitchnet; d = twitchnet.diagnose(" + CASE + "); "
    "print(d.urgent, d.triage, ','.join(r.id for r in d.red_flags), 'numpy' in sys.modules)"
)


def _run(cache):
    env = dict(os.environ, TWITCHNET_CACHE_DIR=str(cache))
    env.pop("TWITCHNET_NO_CACHE", None)
    out = subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.split()


def _files(cache):
    return {p.name.split("-")[0]: p for p in cache.iterdir()}


def test_cache_files_are_json_and_bytes_named_by_version_schema_and_data(tmp_path):
    first = _run(tmp_path)
    files = _files(tmp_path)
    assert sorted(files) == ["kb", "kernel"] if kernel._kernel is not None else ["kb"]
    kb_hash = loader._digest(loader._default_folder())
    assert files["kb"].name == f"kb-{twitchnet.__version__}-s{loader.SCHEMA}-{kb_hash}.bin"
    head, _, payload = files["kb"].read_bytes().partition(b"\n")
    header = json.loads(head)
    assert header["version"] == twitchnet.__version__ and header["data_hash"] == kb_hash and header["bytes"] == len(payload)
    assert json.loads(payload)["content_hash"] == kb_hash
    second = _run(tmp_path)
    assert second[:3] == first[:3]
    if kernel._kernel is not None:
        assert (first[3], second[3]) == ("True", "False")  # the second run needs no numpy


def test_a_cached_file_with_a_red_flag_rule_removed_is_ignored(tmp_path):
    first = _run(tmp_path)
    assert first[0] == "True" and first[1] == "urgent"
    file = _files(tmp_path)["kb"]
    head, _, payload = file.read_bytes().partition(b"\n")
    data = json.loads(payload)
    fired = set(first[2].split(","))
    data["rules"] = [r for r in data["rules"] if r[0] not in fired]  # the tampering: no rule fires
    data["red_flags"] = [f for f in data["red_flags"] if f[0] != "trouble_walking"]
    file.write_bytes(head + b"\n" + json.dumps(data).encode())
    assert _run(tmp_path)[:3] == first[:3]  # the file's hash no longer matches: rebuilt from the TOML
    assert json.loads(file.read_bytes().partition(b"\n")[2]) != data


def test_a_pickle_in_the_cache_is_never_loaded(tmp_path):
    _run(tmp_path)
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    for file in _files(tmp_path).values():
        file.write_bytes(pickle.dumps(Evil()))
    assert _run(tmp_path)[0] == "True"
    assert not marker.exists()


def test_files_of_another_version_or_schema_are_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("TWITCHNET_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TWITCHNET_NO_CACHE", raising=False)
    _cache.write("kb", 1, "ab" * 32, b"payload")
    assert _cache.read("kb", 1, "ab" * 32) == b"payload"
    assert _cache.read("kb", 2, "ab" * 32) is None
    assert _cache.read("kb", 1, "cd" * 32) is None
    with monkeypatch.context() as m:
        m.setattr(_cache, "__version__", "9.9.9")
        assert _cache.read("kb", 1, "ab" * 32) is None
    file = _cache.path("kb", 1, "ab" * 32)
    head, _, _ = file.read_bytes().partition(b"\n")
    file.write_bytes(head + b"\npaylobd")  # same length, other bytes
    assert _cache.read("kb", 1, "ab" * 32) is None
    file.write_bytes(head + b"\npayload and more")
    assert _cache.read("kb", 1, "ab" * 32) is None


def test_no_module_reads_a_pickle():
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        assert "pickle.load" not in text and "pickle.Unpickler" not in text, path


@pytest.mark.parametrize("off, written", [("1", False), ("true", False), ("YES", False), ("0", True), ("no", True)])
def test_switched_off_nothing_is_written(tmp_path, off, written):
    env = dict(os.environ, TWITCHNET_CACHE_DIR=str(tmp_path), TWITCHNET_NO_CACHE=off)
    subprocess.run([sys.executable, "-c", RUN], env=env, check=True, capture_output=True, timeout=120)
    assert bool(list(tmp_path.iterdir())) is written


# ---------------------------------------------------------------------------------------------- keyed on the numbers
# Every derived table is keyed on the numbers it was computed from (issue 21, hostile-2026-12 C1 and
# H1): a knowledge base with edited numbers keeps the packaged one's ``location`` and
# ``content_hash`` when made by ``dataclasses.replace``, and used to read (or write) the packaged
# model's kernel tables under that hash.

CASE_C1 = {"age": 68, "sex": "male", "tingling": True, "burning_pain": True, "stocking_distribution": True, "diabetes": True}
CASE_HOOK = {"age": 40, "tingling": True}


def _edited(kb):
    """The packaged knowledge base with one cause's baseline moved (location and hash kept)."""
    from dataclasses import replace

    first = replace(kb.causes[0], baseline=replace(kb.causes[0].baseline, value=0.5))
    return replace(kb, causes=(first, *kb.causes[1:]))


def _fresh_packaged(tmp_path, monkeypatch):
    """A packaged model built in a fresh cache folder, its kernel tables written there."""
    from twitchnet.model import DiagnosticModel

    monkeypatch.setenv("TWITCHNET_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TWITCHNET_NO_CACHE", raising=False)
    model = DiagnosticModel(loader.load_knowledge_base())
    model.diagnose(CASE_HOOK, engine="enumeration")  # the kernel (auto may choose Quickscore for few present findings)
    return model


def _edited_models(packaged):
    """Models whose numbers differ from the packaged ones, made every way the package makes them."""
    from twitchnet.explain import uncertainty
    from twitchnet.model import DiagnosticModel

    kb = packaged.kb
    link = "findings.toml: tingling.causes.neuropathy"
    where = [w for w, _ in kb.numbers()]
    theta = [n.value for _, n in kb.numbers()]
    theta[where.index(link)] = 0.2 if theta[where.index(link)] > 0.5 else 0.9
    # (learning no longer builds a model per EM step: it compiles Parameters.arrays, read by the kernel directly)
    return {
        "dataclasses.replace": DiagnosticModel(_edited(kb)),
        "uncertainty.with_numbers": DiagnosticModel(uncertainty.with_numbers(kb, theta)),
    }


@pytest.mark.skipif(kernel._kernel is None, reason="C kernel not built")
def test_an_edited_model_equals_the_reference_on_every_engine(tmp_path, monkeypatch):
    packaged = _fresh_packaged(tmp_path, monkeypatch)
    for how, model in _edited_models(packaged).items():
        for case in (CASE_C1, CASE_HOOK):
            want = _probs(model.diagnose(case, engine="reference"))
            old = _probs(packaged.diagnose(case, engine="reference"))
            assert max(abs(want[c] - old[c]) for c in old) > 1e-3, how  # the edit shows in the answer
            for engine in ("auto", "enumeration", "quickscore"):
                d = model.diagnose(case, engine=engine)
                got = _probs(d)
                assert max(abs(got[c] - want[c]) for c in want) < 1e-9, (how, engine, d.engine, case)
            assert model.diagnose(case, engine="enumeration").engine == "enumeration"  # the kernel ran it


def _probs(d):
    return {r.cause: r.probability for r in d.ranking}


@pytest.mark.skipif(kernel._kernel is None, reason="C kernel not built")
def test_only_the_packaged_knowledge_base_writes_kernel_tables_and_under_its_fingerprint(tmp_path, monkeypatch):
    packaged = _fresh_packaged(tmp_path, monkeypatch)
    kernel_files = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("kernel-"))
    schema = f"{loader.SCHEMA}.{kernel._CACHE_VERSION}"
    assert kernel_files == [f"kernel-{twitchnet.__version__}-s{schema}-{packaged.fingerprint}.bin"]
    assert packaged.fingerprint != packaged.content_hash  # keyed on the content, not on the files' hash
    for model in _edited_models(packaged).values():
        model.diagnose(CASE_C1, engine="enumeration")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("kernel-")) == kernel_files


_POISON = {
    # the before-stop hook's probe: an edited model runs first
    "edited": "m = DiagnosticModel(_edited(kb)); m.diagnose(CASE_HOOK); m.diagnose(CASE_C1)",
    # hostile-2026-12 C1: a fit on diagnosis columns, then a partial fit through the kernel
    "fit": (
        "import pandas as pd\n"
        "rec = pd.DataFrame([{**CASE_C1, **{c: c == 'phantom_vibration' for c in packaged.cause_ids}}] * 200)\n"
        "f = twitchnet.fit(rec, max_iter=30)\n"
        "twitchnet.partial_fit(f, packaged.simulate(5, seed=0), max_iter=1)\n"
        "twitchnet.fit(packaged.simulate(300, seed=3), max_iter=3)"
    ),
}
_ANSWERS = "print(json.dumps([{r.cause: r.probability for r in twitchnet.diagnose(c).ranking} for c in (CASE_HOOK, CASE_C1)]))"


def _in_new_process(cache, code):
    env = dict(os.environ, TWITCHNET_CACHE_DIR=str(cache))
    env.pop("TWITCHNET_NO_CACHE", None)
    prelude = (
        "import json, twitchnet\nfrom dataclasses import replace\nfrom twitchnet.model import DiagnosticModel\n"
        f"CASE_C1, CASE_HOOK = {CASE_C1!r}, {CASE_HOOK!r}\npackaged = twitchnet.load_model()\nkb = packaged.kb\n"
        + inspect.getsource(_edited)
    )
    out = subprocess.run([sys.executable, "-c", prelude + code], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


@pytest.mark.parametrize("poison", sorted(_POISON))
def test_edited_models_and_fits_leave_the_packaged_answers_of_a_new_process(tmp_path, poison):
    """An edited model, a fit and a partial fit run first in a fresh cache folder (so their tables
    are the first built there); a new process then diagnoses with the packaged model, and must
    answer as a process with a cache folder of its own."""
    shared, clean = tmp_path / "shared", tmp_path / "clean"
    _in_new_process(shared, _POISON[poison])
    after = json.loads(_in_new_process(shared, _ANSWERS))
    want = json.loads(_in_new_process(clean, _ANSWERS))
    for got, ref in zip(after, want):
        assert max(abs(got[c] - ref[c]) for c in ref) < 1e-12, (poison, got, ref)
    assert max(after[1], key=after[1].get) == "neuropathy"
