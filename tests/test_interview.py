"""The guided interview and its command line, end to end through a pipe."""

import subprocess
import sys

import pytest

import twitchnet
from twitchnet.interview import Interview


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
