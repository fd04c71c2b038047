"""The command line: banner, table, JSON, errors without tracebacks, and a light import path."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import twitchnet
from twitchnet.present.cli import main

ISSUE_EXAMPLE = ["diagnose", "age=68", "sex=male", "tingling=yes", "burning_pain=yes", "stocking_distribution=yes", "diabetes=yes"]


def test_diagnose_prints_the_ranking_with_neuropathy_first(capsys):
    assert main(ISSUE_EXAMPLE) == 0
    out = capsys.readouterr().out
    table = out.split("findings that moved it most", 1)[1]
    first = table.strip().splitlines()[0]
    assert "Peripheral neuropathy" in first and "stocking_distribution +" in first
    assert "!!" not in out


def test_red_flag_banner_comes_first(capsys):
    assert main(ISSUE_EXAMPLE + ["trouble_walking=yes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("!!!")
    assert "URGENT" in out.splitlines()[1]
    assert out.index("Trouble walking") < out.index("Peripheral neuropathy")
    assert "Source:" in out


def test_json_output(capsys):
    assert main(ISSUE_EXAMPLE + ["--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ranking"][0]["cause"] == "neuropathy"
    assert data["urgent"] is False


@pytest.mark.parametrize(
    "args, piece",
    [
        (["diagnose", "tingle=yes"], "Did you mean 'tingling'"),
        (["diagnose", "tingling=maybe"], "tingling: expected yes/no"),
        (["diagnose", "age=300"], "age: expected a number of years from 18 to 120"),
        (["diagnose", "sex=x"], "sex: expected one of 'female', 'male'"),
        (["diagnose", "tingling"], "expected key=value"),
        (["diagnose", "sex=male", "pregnancy=yes"], "non-zero probability"),
    ],
)
def test_errors_print_one_line_and_exit_2(capsys, args, piece):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("twitchnet: error: ") and piece in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_vocabulary_lists_every_id(capsys, model):
    assert main(["vocabulary"]) == 0
    out = capsys.readouterr().out
    for key in model.evidence_ids + model.cause_ids:
        assert f"\n{key} " in "\n" + out
    assert main(["vocabulary", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows} == set(model.evidence_ids) | set(model.cause_ids) | {g.id for g in model.kb.groups}


def test_cli_values_are_case_insensitive(capsys):
    assert main(["diagnose", "sex=Female", "tingling=YES", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["evidence"] == {"sex": "female", "tingling": True}


def test_import_and_cli_do_not_load_pgmpy_or_pandas():
    code = (
        "import sys, twitchnet; from twitchnet.present.cli import main; import io, contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['diagnose', 'tingling=yes'])\n"
        "print(sorted(m for m in ('pgmpy', 'pandas', 'matplotlib', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_module_entry_point_runs():
    r = subprocess.run([sys.executable, "-m", "twitchnet", "diagnose", "saddle_numbness=yes"], capture_output=True, text=True)
    assert r.returncode == 0 and "EMERGENCY" in r.stdout


# ---------------------------------------------------------------- issue 13


@pytest.mark.parametrize("args", [
    ["diagnose", "muscle_weakness=yes", "muscle_weakness=no"],
    ["diagnose", "weakness=yes", "muscle_weakness=no"],
    ["diagnose", "tingling=yes", "tingling=yes"],
    ["diagnose", "tingling=yes", "pins_and_needles=yes"],
])
def test_a_key_given_twice_is_an_error(capsys, args, model):
    # issue 13.5: the last of two values was taken (self-care, exit 0)
    if "pins_and_needles=yes" in args and "pins_and_needles" not in model.kb.aliases:
        pytest.skip("no such alias")
    assert main(args) == 2
    captured = capsys.readouterr()
    assert "each id once" in captured.err
    if "muscle_weakness=no" in args:  # a red flag said yes once: its advice comes first, even here
        assert captured.out.startswith("!!!") and captured.err.startswith("twitchnet: error: URGENT")
    else:
        assert captured.out == ""


def test_invalid_evidence_with_a_red_flag_prints_the_advice_first(capsys):
    # issue 13.2 on the command line
    assert main(["diagnose", "saddle_numbness=yes", "tingling=maybe"]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("!!!") and "EMERGENCY" in captured.out and "cauda equina" in captured.out
    assert captured.err.startswith("twitchnet: error: EMERGENCY") and "tingling: expected yes/no" in captured.err


def test_a_child_gets_the_banner_and_no_ranking(capsys):
    assert main(["diagnose", "age=6", "trouble_walking=yes", "muscle_weakness=yes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("!!!") and "URGENT" in out and "18" in out and "probability" not in out


def test_nothing_given_is_insufficient_not_self_care(capsys):
    # issue 13.8
    assert main(["diagnose"]) == 0
    out = capsys.readouterr().out
    assert "Not enough to go on" in out and "Answer these first" in out and "Self-care" not in out
    assert main(["diagnose", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["triage"] == "insufficient"


def test_tiny_knowledge_base_still_shows_the_banner(tmp_path, capsys):
    # issue 13.6: underflow made valid evidence "impossible" and the CLI exited 2 with no banner
    from test_diagnose import _tiny_kb

    folder = _tiny_kb(tmp_path).kb.location
    assert main(["--kb", str(folder), "diagnose", "tingling=yes", "numbness=yes", "twitching=yes", "saddle_numbness=yes"]) == 0
    assert capsys.readouterr().out.startswith("!!!")


def test_a_cause_as_evidence_and_a_huge_key(capsys):
    # issue 13.10 and 13.11
    assert main(["diagnose", "neuropathy=yes"]) == 2
    err = capsys.readouterr().err
    assert "infers" in err and "neuro_history" not in err
    for arg in ("x" * 1_000_000 + "=yes", "x" * 1_000_000):
        assert main(["diagnose", arg]) == 2
        assert len(capsys.readouterr().err) < 500


class _Failing:
    def write(self, text):
        raise OSError(28, "No space left on device")

    def flush(self):
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("stdout", [None, _Failing()])
def test_an_urgent_result_that_cannot_be_written_exits_non_zero(monkeypatch, capsys, stdout):
    # issue 13.7: stdout closed (sys.stdout is None) or a failed write
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["diagnose", "saddle_numbness=yes"]) == 3
    assert main(["diagnose", "saddle_numbness=yes", "tingling=maybe"]) == 3  # the error's banner lost
    assert main(["diagnose", "twitching=yes"]) == 0  # nothing urgent lost: as `| head`
    monkeypatch.undo()
    assert "urgent result could not be written" in capsys.readouterr().err


def test_closed_stdout_in_a_real_process():
    cmd = [sys.executable, "-m", "twitchnet", "diagnose", "saddle_numbness=yes"]
    r = subprocess.run(" ".join(cmd) + " >&-", shell=True, check=False, stderr=subprocess.PIPE, text=True, timeout=60)
    assert r.returncode == 3 and "could not be written" in r.stderr
    with open("/dev/full", "w") as full:
        r = subprocess.run(cmd, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    assert r.returncode == 3

# ---------------------------------------------------------------- issue 13 item 17
def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"twitchnet {twitchnet.__version__} (C kernel: in use)"


def test_version_says_when_the_c_kernel_is_switched_off(capsys, monkeypatch):
    monkeypatch.setenv("TWITCHNET_NO_KERNEL", "1")
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"twitchnet {twitchnet.__version__} (C kernel: switched off by TWITCHNET_NO_KERNEL)"


def test_version_says_when_the_c_kernel_was_not_built(capsys, monkeypatch):
    from twitchnet.engine import kernel

    monkeypatch.setattr(kernel, "_kernel", None)  # what a failed import leaves, as without a compiler
    with pytest.raises(SystemExit):
        main(["--version"])
    assert "C kernel: not built" in capsys.readouterr().out


def test_kb_is_accepted_after_the_command(capsys, tmp_path):
    import shutil

    folder = tmp_path / "kb"
    shutil.copytree(Path(twitchnet.__file__).parent / "data" / "default", folder)
    p = folder / "model.toml"
    p.write_text(p.read_text().replace('version = "', 'version = "custom-', 1))
    for args in (["--kb", str(folder), "diagnose", "tingling=yes", "--json"], ["diagnose", "tingling=yes", "--json", "--kb", str(folder)]):
        assert main(args) == 0
        assert json.loads(capsys.readouterr().out)["provenance"]["version"].startswith("custom-"), args
    assert main(["vocabulary", "--kb", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, kind, key",
    [
        (["diagnose", "tingle=yes", "--json"], "UnknownEvidenceError", "tingle"),
        (["diagnose", "--json", "age=300"], "EvidenceError", "age"),
        (["diagnose", "--json", "--bogus"], "UsageError", "arguments"),
        (["evaluate", "/nonexistent.json", "--json"], "VignetteError", None),
    ],
)
def test_json_errors_are_json(capsys, args, kind, key):
    assert main(args) == 2
    captured = capsys.readouterr()
    err = json.loads(captured.err)["error"]
    assert err["type"] == kind and err["message"] and "Traceback" not in captured.err
    if key is not None:
        assert err["key"] == key
    assert captured.out == ""


def test_plain_usage_errors_stay_one_line(capsys):
    assert main(["diagnose", "--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("twitchnet: error: unrecognized arguments: --bogus") and len(err.strip().splitlines()) == 1


def test_vocabulary_json_has_aliases_and_marks_red_flags(capsys, model):
    assert main(["vocabulary", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == set(model.evidence_ids + model.cause_ids) | {g.id for g in model.kb.groups}
    for alias, target in model.kb.aliases.items():
        assert alias in rows[target]["aliases"]
    assert {i for i, r in rows.items() if r["red_flag"]} == set(model.red_flag_ids)


def test_uncertainty_adds_intervals_and_what_the_answer_rests_on(capsys):
    assert main(ISSUE_EXAMPLE + ["--uncertainty", "60", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    d = twitchnet.diagnose({"age": 68, "sex": "male", "tingling": True, "burning_pain": True, "stocking_distribution": True, "diabetes": True},
                           uncertainty=60, seed=4)
    top = d.intervals[d.ranking[0].cause]
    assert f"{top.low:.3f}-{top.high:.3f}" in out and "60 draws" in out and "seed 4" in out
    rests = d.rests_on(3)
    tail = out.split("This answer rests most on", 1)[1]
    assert [line.strip()[2:] for line in tail.strip().splitlines()[1:]] == [str(r) for r in rests]
    assert main(ISSUE_EXAMPLE + ["--uncertainty", "60", "--seed", "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["uncertainty"]["draws"] == 60 and [r["where"] for r in data["rests_on"]] == [r.where for r in rests]


@pytest.mark.parametrize("bad", ["0", "abc", "-3", "1.5", "1000000000000"])
def test_bad_uncertainty_is_one_clear_error(capsys, bad):
    assert main(ISSUE_EXAMPLE + ["--uncertainty", bad]) == 2
    err = capsys.readouterr().err
    assert err.startswith("twitchnet: error: uncertainty: expected a whole number of draws from 1 to")


@pytest.mark.parametrize("bad", [["--uncertainty", "0"], ["--seed", "-2"], ["--uncertainty", "x"]])
def test_a_bad_option_still_prints_the_emergency_advice_first(capsys, bad):
    assert main(["diagnose", "saddle_numbness=yes"] + bad) == 2
    out, err = capsys.readouterr()
    assert out.startswith("!!!") and "EMERGENCY" in out
    assert "twitchnet: error:" in err


# ---------------------------------------------------------------- issue 21: part 4, M5


def test_json_carries_the_warning_signs_not_asked_and_the_next_questions(capsys, model):
    assert main(["diagnose", "twitching=yes", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["triage"] == "self_care" and "next_questions" not in data
    assert [w["id"] for w in data["warning_signs_not_asked"]] == list(model.red_flag_ids)
    # "insufficient": its reason says "answer the questions in next_questions() first": they are there
    assert main(["diagnose", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["triage"] == "insufficient" and "next_questions" in data["reason"]
    expected = twitchnet.diagnose({}).next_questions(5)
    assert [q["id"] for q in data["next_questions"]] == [q.id for q in expected] and data["next_questions"][0]["red_flag"]
    # a child: the warning signs to ask
    assert main(["diagnose", "age=6", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ranking"] == [] and data["next_questions"] and all(q["red_flag"] for q in data["next_questions"])


def test_json_errors_with_a_red_flag_are_machine_readable_for_urgency(capsys):
    # M5: standard output got the text banner, and the JSON error on standard error had no urgency
    assert main(["diagnose", "saddle_numbness=yes", "tinglng=yes", "--json"]) == 2
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["urgent"] is True and out["triage"] == "emergency"
    assert "cauda_equina" in [r["id"] for r in out["red_flags"]] and out["error"]["key"] == "tinglng"
    err = json.loads(captured.err)["error"]
    assert err["urgent"] is True and [r["id"] for r in err["red_flags"]] == [r["id"] for r in out["red_flags"]]
    # without a red flag: nothing on standard output, and the error says urgent false
    assert main(["diagnose", "tinglng=yes", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and json.loads(captured.err)["error"]["urgent"] is False
    # without --json: the text banner, as before
    assert main(["diagnose", "saddle_numbness=yes", "tinglng=yes"]) == 2
    assert capsys.readouterr().out.startswith("!!!")


def test_vocabulary_text_marks_every_red_flag(capsys, model):
    # five red flags that are also findings (saddle_numbness, loss_of_sensation, ...) were unmarked
    assert main(["vocabulary"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert {i for i, line in lines.items() if "[red flag]" in line} == set(model.red_flag_ids)
    assert "[red flag]" in lines["saddle_numbness"] and lines["saddle_numbness"].split()[1] == "finding"
    rule_only = set(model.rule_ids) - set(model.red_flag_ids)
    assert rule_only and {i for i, line in lines.items() if "[in a red-flag rule]" in line} == rule_only


def test_keys_and_values_are_case_insensitive_on_the_command_line(capsys):
    # issue 21 part 4: Tingling=Yes was refused while sex=Male was accepted
    assert main(["diagnose", "Tingling=Yes", "SEX=Male", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["evidence"] == {"tingling": True, "sex": "male"}
    # a red flag typed with capitals is read (before, the error carried no red flag)
    assert main(["diagnose", "Saddle_Numbness=YES"]) == 0
    assert capsys.readouterr().out.startswith("!!!")
    # one id in two spellings is still one id
    assert main(["diagnose", "Tingling=yes", "tingling=no"]) == 2
    assert "each id once" in capsys.readouterr().err


def test_uncertainty_on_a_range_that_reaches_1_prints_the_banner_never_a_traceback(tmp_path, capsys, monkeypatch):
    # hostile C5: `--kb kb1 diagnose saddle_numbness=yes ... --uncertainty 200` printed a traceback,
    # exit 1, nothing on standard output
    import shutil

    folder = tmp_path / "kb1"
    shutil.copytree(Path(twitchnet.__file__).parent / "data" / "default", folder)
    p = folder / "causes.toml"
    text = p.read_text()
    old = "baseline = { value = 0.08, low = 0.05, high = 0.15,"
    j = text.index(old, text.index("[stress]"))
    p.write_text(text[:j] + "baseline = { value = 0.999999999999, low = 0.5, high = 1.0," + text[j + len(old) :])
    args = ["--kb", str(folder), "diagnose", "saddle_numbness=yes", "twitching=yes", "age=30", "--uncertainty", "200"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("!!!") and "90% interval" in out and "nan" not in out
    # and should the uncertainty path fail all the same: exit 2, the banner first, no traceback
    from twitchnet.explain import uncertainty as U

    def broken(*a):
        raise ValueError("math domain error")

    monkeypatch.setattr(U.draws, "_posterior_block", broken)
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("!!!") and "EMERGENCY" in captured.out
    assert captured.err.startswith("twitchnet: error: EMERGENCY") and "math domain error" in captured.err


def test_seed_without_uncertainty_says_seed_needs_uncertainty(capsys):
    # hostile L7: "uncertainty: expected a whole number of draws ..., got None"
    assert main(["diagnose", "tingling=yes", "--seed", "3"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("twitchnet: error: seed:") and "--seed needs --uncertainty N" in err and "got None" not in err
    assert main(["diagnose", "tingling=yes", "--seed", "3", "--uncertainty", "20"]) == 0
