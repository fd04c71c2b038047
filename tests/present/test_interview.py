"""The guided interview and its command line, end to end through a pipe."""

import subprocess
import sys

import pytest

import twitchnet
from twitchnet.present.interview import Interview


def test_red_flag_yes_stops_at_once():
    iv = Interview(evidence={"age": 30})
    q = iv.question()
    assert q.red_flag
    iv.answer(q.id, True)
    assert iv.done and iv.stop_reason == "red_flag"
    assert iv.diagnosis.urgent and iv.question() is None


def test_asks_all_red_flags_first_then_reaches_a_stop(model):
    iv = Interview(evidence={"age": 30, "sex": "female"})
    answers = {"urge_to_move": True, "worse_at_rest": True, "worse_in_evening": True, "relieved_by_movement": True}
    steps = 0
    while not iv.done:
        q = iv.question()
        iv.answer(q.id, answers.get(q.id, False) if model.spec(q.id).kind in ("finding", "red_flag", "risk_factor") else None)
        steps += 1
        assert steps <= iv.max_questions
    flags = [i for i in iv.asked if i in model.red_flag_ids]
    assert iv.asked[: len(flags)] == tuple(flags) and set(flags) == set(model.red_flag_ids)
    assert iv.stop_reason in {"confident", "no_useful_question", "question_limit"}


def test_question_limit():
    # the limit stops an interview only once every warning sign has been asked
    iv = Interview(max_questions=2)
    while iv.question() is not None and iv.question().red_flag:
        assert iv.stop_reason is None
        iv.answer(iv.question().id, False)
    assert len(iv.asked) >= 2 and iv.stop_reason == "question_limit"


def test_skip_leaves_unknown_and_moves_on():
    iv = Interview()
    first = iv.question().id
    iv.answer(first, None)
    assert first not in iv.evidence and iv.question().id != first


def test_bad_answer_changes_nothing():
    iv = Interview()
    before = (iv.evidence, iv.asked)
    with pytest.raises(twitchnet.EvidenceError):
        iv.answer("age", 400)
    assert (iv.evidence, iv.asked) == before


def test_settings_are_validated():
    with pytest.raises(twitchnet.EvidenceError, match="threshold"):
        Interview(threshold=1.5)
    with pytest.raises(twitchnet.EvidenceError, match="max_questions"):
        Interview(max_questions=0)


def _run(stdin, *args):
    return subprocess.run([sys.executable, "-m", "twitchnet", "interview", *args], input=stdin, capture_output=True, text=True, timeout=60)


def test_cli_interview_through_a_pipe_red_flag():
    r = _run("no\nyes\n")
    assert r.returncode == 0
    assert "Stopped: red_flag after 2 question(s)" in r.stdout and "URGENT" in r.stdout


def test_cli_interview_quit_and_bad_answers():
    r = _run("maybe\nquit\n", "age=40")
    assert r.returncode == 0 and "expected yes/no" in r.stdout and "Stopped: by request" in r.stdout
    assert "Traceback" not in r.stderr


def test_cli_interview_end_of_input():
    r = _run("")
    assert r.returncode == 0 and "Stopped" in r.stdout


# ---------------------------------------------------------------- issue 13.3


def test_no_confident_stop_before_every_warning_sign_is_asked(model):
    # the case: a confident posterior at once, with 0 of the red flags asked
    iv = Interview(evidence={"stocking_distribution": True, "age": 73, "sex": "male"})
    assert not iv.done and iv.question().red_flag
    assert iv.unasked_red_flags == model.red_flag_ids
    while iv.question() is not None and iv.question().red_flag:
        iv.answer(iv.question().id, False)
    assert iv.unasked_red_flags == ()
    assert set(model.red_flag_ids) <= set(iv.asked)


@pytest.mark.parametrize("seed", range(5))
def test_random_interviews_never_stop_with_a_warning_sign_unasked(model, seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    known = {f: bool(rng.integers(2)) for f in rng.choice([f for f in model.finding_ids if not model.spec(f).red_flag], 3, replace=False)}
    iv = Interview(evidence=known | {"age": int(rng.integers(18, 95)), "sex": str(rng.choice(["female", "male"]))},
                   threshold=float(rng.uniform(0.3, 0.95)), max_questions=int(rng.integers(1, 4)))
    while not iv.done:
        q = iv.question()
        iv.answer(q.id, None if rng.random() < 0.2 else (bool(rng.integers(2)) if not q.red_flag else False))
    assert iv.stop_reason != "red_flag" and iv.unasked_red_flags == ()


def test_a_refused_answer_changes_nothing():
    iv = Interview(evidence={"sex": "male", "age": 40})
    iv.answer(iv.question().id, False)
    before = (iv.evidence, iv.asked, iv.diagnosis, iv.question(), iv.stop_reason, iv.unasked_red_flags)
    for key, value in (("pregnancy", True), ("age", 400), ("neuropathy", True)):
        with pytest.raises(twitchnet.EvidenceError):
            iv.answer(key, value)
        assert (iv.evidence, iv.asked, iv.diagnosis, iv.question(), iv.stop_reason, iv.unasked_red_flags) == before
    assert "pregnancy" not in iv.evidence and not iv.diagnosis.urgent


def test_cli_quit_lists_the_warning_signs_not_asked(model):
    r = _run("quit\n", "age=40")
    assert r.returncode == 0 and "Warning signs not asked" in r.stdout
    for flag in model.red_flag_ids:
        assert f"  - {flag}: " in r.stdout
    # ended at once: nothing to go on, never "Self-care"
    assert "Not enough to go on" in r.stdout and "Self-care" not in r.stdout
    r = _run("no\nquit\n")
    first = Interview().question().id
    assert f"  - {first}: " not in r.stdout and "Warning signs not asked" in r.stdout


def test_cli_interview_refuses_a_key_twice():
    # issue 13.5: an alias and its id, as the API refuses them
    r = _run("quit\n", "weakness=yes", "muscle_weakness=no")
    assert r.returncode == 2 and "each id once" in r.stderr and "Traceback" not in r.stderr


def test_an_interview_refused_at_the_start_carries_the_red_flags():
    for ev in ({"age": 6, "saddle_numbness": True}, {"saddle_numbness": True, "tinglng": True}):
        with pytest.raises(twitchnet.EvidenceError) as info:
            Interview(evidence=ev)
        assert info.value.urgent and str(info.value).startswith("EMERGENCY")
    r = _run("quit\n", "age=6", "muscle_weakness=yes")
    assert r.returncode == 0 and r.stdout.startswith("!!!") and "18" in r.stdout


# ---------------------------------------------------------------- issue 21: C6, M2, H3


@pytest.fixture(scope="module")
def big():
    from strategies import beyond_enumeration_model

    m = beyond_enumeration_model()
    assert not m.enumerable
    return m


def test_beyond_enumeration_the_interview_asks_the_warning_signs_first(big):
    # a red flag known at the start: urgent at once (it raised EngineLimitError without red flags)
    iv = Interview(big, {"saddle_numbness": True})
    assert iv.done and iv.stop_reason == "red_flag" and iv.diagnosis.triage == "emergency"
    # a finding only: the warning sign is asked first, before any stop
    iv = Interview(big, {"f05": True})
    assert not iv.done and iv.question().id == "saddle_numbness" and iv.question().red_flag
    assert iv.unasked_red_flags == ("saddle_numbness",)
    iv.answer("saddle_numbness", True)
    assert iv.stop_reason == "red_flag" and iv.diagnosis.urgent
    # answered no: every warning sign asked, then the documented stop (no gains beyond enumeration)
    iv = Interview(big, {"f05": True}).answer("saddle_numbness", False)
    assert iv.done and iv.stop_reason in ("engine_limit", "confident") and iv.unasked_red_flags == ()
    assert iv.diagnosis.engine == "quickscore"
    # skipped: a skipped warning sign counts as asked, as on any model
    iv = Interview(big, {"f05": True}).answer("saddle_numbness", None)
    assert iv.done and iv.asked == ("saddle_numbness",)


def test_interview_setting_errors_carry_the_red_flags():
    # M2: as diagnose's bad settings do
    for kwargs in ({"threshold": 1}, {"max_questions": 0}, {"min_gain": -1}, {"threshold": "x"}):
        with pytest.raises(twitchnet.EvidenceError) as info:
            Interview(evidence={"saddle_numbness": True}, **kwargs)
        assert info.value.urgent and str(info.value).startswith("EMERGENCY")
        assert "saddle_numbness" in {t for r in info.value.red_flags for t in r.triggered_by}
    with pytest.raises(twitchnet.EvidenceError) as info:
        Interview(evidence={"tingling": True}, threshold=1)
    assert not info.value.urgent


def test_cli_interview_beyond_enumeration_asks_the_warning_sign(big, tmp_path):
    # C6: it printed a routine diagnosis and exited 0 without asking saddle_numbness
    from twitchnet.kb.writer import write_knowledge_base

    folder = tmp_path / "big"
    write_knowledge_base(big.kb, folder)
    r = _run("no\n", "--kb", str(folder), "f05=yes")
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert "saddle_numbness (saddle numbness)?" in r.stdout and "Stopped: engine_limit after 1 question(s)" in r.stdout
    r = _run("yes\n", "--kb", str(folder), "f05=yes")
    assert r.returncode == 0 and "Stopped: red_flag" in r.stdout and "EMERGENCY" in r.stdout
    r = _run("", "--kb", str(folder), "f05=yes")  # input ended before it was asked: listed
    assert r.returncode == 0 and "Warning signs not asked" in r.stdout and "  - saddle_numbness: " in r.stdout


def test_cli_interview_with_standard_input_closed(model):
    # H3: a RuntimeError traceback, the warning signs not listed
    import os

    r = subprocess.run([sys.executable, "-m", "twitchnet", "interview", "age=30"], capture_output=True, text=True, timeout=60,
                       preexec_fn=lambda: os.close(0))  # as `twitchnet interview age=30 <&-`
    assert "Traceback" not in r.stderr and "standard input" in r.stderr
    assert r.returncode == 4  # cli.INPUT_UNAVAILABLE: documented in the module docstring
    assert "Warning signs not asked" in r.stdout
    for flag in model.red_flag_ids:
        assert f"  - {flag}: " in r.stdout


def test_not_sure_is_a_soft_answer_and_a_red_flag_not_sure_stops_unconfirmed():
    import twitchnet
    from twitchnet.present.interview import Interview

    iv = Interview(evidence={"twitching": True})
    iv.answer("cramps", "not sure")
    assert iv.diagnosis.evidence["cramps"] == twitchnet.maybe()
    q = iv.question()
    assert q is None or q.id != "cramps"
    ref = twitchnet.diagnose({"twitching": True, "cramps": twitchnet.maybe()})
    assert [r.probability for r in iv.diagnosis.ranking] == [r.probability for r in ref.ranking]
    iv.answer("saddle_numbness", "Not sure")
    assert iv.done and iv.stop_reason == "red_flag" and iv.diagnosis.unconfirmed == ("saddle_numbness",)
