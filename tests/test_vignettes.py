"""The vignette format and loader; and, when the packaged suite exists, its contents."""

import json
import re
from pathlib import Path

import pytest

import twitchnet
from twitchnet.errors import VignetteError
from twitchnet.vignettes import load_vignettes

SMALL = Path(__file__).parent / "data" / "vignettes_small.json"
SECOND = str(Path(__file__).parent / "data" / "vignettes_second_suite.json")
VOCAB = (Path(__file__).parent / "vocabulary.md").read_text()
VOCAB_IDS = set(re.findall(r"^\| `([a-z0-9_]+)` \|", VOCAB, re.M))


def test_load_a_file_and_splits():
    vs = load_vignettes(SMALL)
    assert [v.id for v in vs] == ["rls-criteria", "ces-example"]
    assert [v.id for v in load_vignettes(SMALL, split="holdout")] == ["ces-example"]
    assert vs[1].truth is None and vs[1].red_flag


def _write(tmp_path, mutate):
    data = json.loads(SMALL.read_text())
    mutate(data["vignettes"][0])
    p = tmp_path / "v.json"
    p.write_text(json.dumps(data))
    return p


@pytest.mark.parametrize(
    "mutate, pieces",
    [
        (lambda v: v["evidence"].update({"tingle": True}), ["rls-criteria.evidence", "tingle"]),
        (lambda v: v.update({"truth": "flu"}), ["rls-criteria.truth", "flu"]),
        (lambda v: v.update({"red_flag": True}), ["rls-criteria.red_flag"]),
        (lambda v: v.update({"source": "a blog"}), ["rls-criteria.source", "citation"]),
        (lambda v: v.update({"colour": "red"}), ["rls-criteria", "colour"]),
        (lambda v: v.pop("summary"), ["rls-criteria", "summary"]),
        (lambda v: v.update({"split": "train"}), ["rls-criteria.split"]),
        (lambda v: v.update({"id": "ces-example"}), ["id", "unique"]),
        (lambda v: v["evidence"].update({"age": 300}), ["rls-criteria.evidence", "age"]),
    ],
)
def test_bad_vignettes_are_named(tmp_path, mutate, pieces):
    with pytest.raises(VignetteError) as info:
        load_vignettes(_write(tmp_path, mutate))
    for piece in pieces:
        assert piece in str(info.value)


def test_bad_files(tmp_path):
    p = tmp_path / "x.json"
    p.write_text("{not json")
    with pytest.raises(VignetteError, match="valid JSON"):
        load_vignettes(p)
    p.write_text(json.dumps({"format": "other", "vignettes": []}))
    with pytest.raises(VignetteError, match="format"):
        load_vignettes(p)
    with pytest.raises(VignetteError, match="readable"):
        load_vignettes(tmp_path / "missing.json")


def test_cli_evaluate(capsys):
    from twitchnet.present.cli import main

    assert main(["evaluate", str(SMALL)]) == 0
    out = capsys.readouterr().out
    assert "network" in out and "naive_bayes" in out and "top1" in out and "history" in out and "workup" in out
    assert main(["evaluate", str(SMALL), "--json", "--split", "dev"]) == 0
    tiers = json.loads(capsys.readouterr().out)
    assert set(tiers) == {"history", "workup"}
    assert tiers["history"]["network"]["vignettes"] == tiers["workup"]["network"]["vignettes"] == 1


PACKAGED = Path(twitchnet.__file__).parent / "data" / "vignettes.json"


#: causes added to the model before the suites were re-read from their sources for them; each must
#: leave this set when its cases are assigned (neurological_disease left it with issue 14 part 8:
#: tools/vignettes_reread.py)
NOT_YET_IN_SUITES = set()


def _serious(vs):
    """Cases of serious disease: outside the model, neurological_disease, or an emergency."""
    return [v for v in vs if v.truth in (None, "neurological_disease") or v.expected_triage == "emergency"]


@pytest.mark.skipif(not PACKAGED.exists(), reason="the packaged vignette suite is not present")
def test_packaged_suite_is_complete_and_cited(model):
    vs = twitchnet.vignettes()
    assert len(vs) >= 60
    for v in vs:
        assert set(v.evidence) <= VOCAB_IDS
        assert re.search(r"(19|20)\d\d", v.source) or "doi" in v.source.lower() or "http" in v.source
    for c in set(model.cause_ids) - NOT_YET_IN_SUITES:
        assert sum(v.truth == c for v in vs) >= 5, c
    assert len(_serious(vs)) >= 8
    holdout = sum(v.split == "holdout" for v in vs)
    assert abs(holdout - len(vs) / 3) <= 3


@pytest.mark.skipif(not PACKAGED.exists(), reason="the packaged vignette suite is not present")
@pytest.mark.parametrize("suite", [None, SECOND], ids=["packaged", "second"])
def test_suite_safety_every_red_flag_vignette_is_urgent(suite):
    """The override promises urgency whenever a red flag is reported; a case whose source reports
    none (e.g. cauda equina first felt as genital tingling) cannot be caught by it, and is counted."""
    ev = twitchnet.evaluate(suite)
    for tier in ("history", "workup"):  # test results are never red flags: both tiers are safe
        assert ev.tiers[tier]["network"]["red_flag_sensitivity"] == 1.0
        flagged = [c for c in ev.cases if c["method"] == "network" and c["tier"] == tier and c["red_flag"]]
        assert flagged and all(c["urgent"] and c["triage"] in ("urgent", "emergency") for c in flagged)


@pytest.mark.skipif(not PACKAGED.exists(), reason="the packaged vignette suite is not present")
@pytest.mark.parametrize("suite", [None, SECOND], ids=["packaged", "second"])
def test_suite_network_beats_the_priors_only_baseline(suite):
    m = twitchnet.evaluate(suite).metrics
    assert m["network"]["top1"] > m["priors_only"]["top1"] + 0.3
    assert m["network"]["brier"] < m["priors_only"]["brier"]


def test_second_suite_is_complete_and_cited(model):
    vs = load_vignettes(SECOND)
    assert len(vs) >= 60 and len(_serious(vs)) >= 8
    holdout = sum(v.split == "holdout" for v in vs)
    assert abs(holdout - len(vs) / 3) <= 3
    for c in set(model.cause_ids) - NOT_YET_IN_SUITES:
        assert sum(v.truth == c for v in vs) >= 5, c


@pytest.mark.parametrize("suite", [None, SECOND], ids=["packaged", "second"])
def test_suites_re_read_for_the_2026_12_1_vocabulary(suite, model):
    """Issue 14 part 8: the new ids are used where the sources state them, and cases of motor
    neurone disease, MS and Guillain-Barre syndrome now have the modelled cause as truth."""
    vs = load_vignettes(suite)
    tests = {f.id for f in model.kb.findings if f.test}
    assert sum(any(k in tests for k in v.evidence) for v in vs) >= 5
    assert sum(v.truth == "neurological_disease" for v in vs) >= 5
    assert not any(v.truth == "neurological_disease" and v.truth in v.acceptable for v in vs)


# ---------------------------------------------------------------- issue 21, H4


def test_a_vignette_file_is_read_with_the_loaders_guards(tmp_path):
    import os

    from twitchnet.limits import MAX_FILE_BYTES, MAX_NESTING

    # a device: refused before any read (/dev/zero was read until memory ran out)
    with pytest.raises(VignetteError, match="a regular file"):
        load_vignettes("/dev/zero")
    # a FIFO with no writer: refused at once (it blocked forever)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(VignetteError, match="a regular file"):
        load_vignettes(fifo)
    # a file over the limit: refused after at most the limit plus one byte
    big = tmp_path / "big.json"
    big.write_text('{"format": "twitchnet-vignettes/1", "vignettes": [], "x": "' + "a" * MAX_FILE_BYTES + '"}')
    with pytest.raises(VignetteError, match=f"at most {MAX_FILE_BYTES} bytes"):
        load_vignettes(big)
    # nesting: a clear error, never a RecursionError (100,000 brackets overflowed the stack)
    deep = tmp_path / "deep.json"
    for text in ("[" * 100_000, "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1)):
        deep.write_text(text)
        with pytest.raises(VignetteError, match=f"nested at most {MAX_NESTING} deep"):
            load_vignettes(deep)
    with pytest.raises(VignetteError, match="readable file"):
        load_vignettes(tmp_path)  # a directory


def test_cli_evaluate_refuses_a_device_without_a_traceback():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "twitchnet", "evaluate", "/dev/zero"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "a regular file" in r.stderr and "Traceback" not in r.stderr
