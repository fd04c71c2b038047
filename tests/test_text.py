"""twitchnet.parse: evidence from words (negation, family, history, hypothesis, uncertainty),
the safety of words (red flags never lost), the corpus, diagnose and the command line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import twitchnet
from twitchnet.errors import EvidenceError, MissingExtraError

pytest.importorskip("spacy")
pytest.importorskip("negspacy")

CORPUS = Path(__file__).parent / "data" / "leg_sentences.jsonl"

#: every red flag, three ways a person might say it (stated present)
RED_FLAG_PHRASES = {
    "sudden_onset": ["It started suddenly in my leg.", "The tingling came on out of nowhere.", "All of a sudden my calf began twitching."],
    "severe_intensity": ["The pain is excruciating.", "It's unbearable.", "The worst pain I've ever had."],
    "muscle_weakness": ["My leg feels weak.", "My knee keeps giving way.", "I have weakness in my right foot."],
    "loss_of_sensation": ["I can't feel my toes.", "I've lost feeling in my foot.", "There's no sensation in my shin."],
    "trouble_walking": ["I have trouble walking.", "I keep stumbling.", "I'm unsteady on my feet."],
    "neuro_history": ["I have MS.", "I was diagnosed with epilepsy.", "I have multiple sclerosis."],
    "family_history_neuro": ["My mother had MS.", "My dad has motor neurone disease.", "Epilepsy runs in my family."],
    "muscle_wasting": ["My calf muscle is wasting.", "My thigh is shrinking.", "My left calf is thinner than the right."],
    "speech_or_swallowing": ["My speech is slurred.", "I have trouble swallowing.", "I keep choking when I eat."],
    "saddle_numbness": ["I'm numb down there.", "I have numbness in my groin.", "My bum feels numb."],
    "bladder_or_bowel_change": ["I wet myself.", "I have bladder problems.", "I can't pee properly."],
    "progressive_spread": ["The numbness is spreading.", "It's getting worse every day.", "The tingling is moving up my legs."],
    "tetany": ["My hands lock up.", "My fingers are locking.", "I get tetany."],
    "breathing_difficulty": ["I'm short of breath.", "I can't breathe properly.", "I'm struggling to breathe."],
    "face_or_vision_change": ["My face is drooping.", "I have double vision.", "My vision went blurry vision."],
    "cold_pale_leg": ["My leg is cold and pale.", "My foot went white.", "My foot is cold and white."],
    "swollen_calf": ["I have a swollen calf.", "My calf is swollen.", "There's swelling in my calf."],
    "confusion": ["I feel confused.", "I'm muddled.", "I feel disoriented."],
}


#: every red flag in everyday words beyond the three above (the lexicon RED_FLAG_WORDS and the
#: rules cut from each red flag's meaning): three more ways each
LAY_RED_FLAG_PHRASES = {
    "sudden_onset": ["It came on abruptly.", "It started all at once.", "It came on without warning."],
    "severe_intensity": ["The pain is so bad I can't function.", "The pain is crippling.", "It's intolerable."],
    "muscle_weakness": ["My knee buckles.", "My foot slaps when I walk.", "I can't climb stairs any more."],
    "loss_of_sensation": ["I've lost all feeling in my foot.", "I couldn't feel the bath water.", "My foot is completely numb."],
    "trouble_walking": ["I keep losing my balance.", "I'm limping.", "I can't put weight on my leg."],
    "neuro_history": ["I take tablets for epilepsy.", "I suffer from multiple sclerosis.", "I'm being treated for MS."],
    "family_history_neuro": ["My grandfather had Parkinson's.", "My sister has epilepsy.", "MS runs in my family."],
    "muscle_wasting": ["My calf is getting thinner.", "The muscle has withered.", "There is visible loss of muscle bulk."],
    "speech_or_swallowing": ["I'm slurring my words.", "Food gets stuck when I swallow.", "I'm drooling."],
    "saddle_numbness": ["I'm numb between my legs.", "I can't feel the toilet paper when I wipe.", "My crotch is numb."],
    "bladder_or_bowel_change": ["I've been leaking urine.", "I had a bowel accident.", "I can't control my bladder."],
    "progressive_spread": ["It's creeping higher up my leg.", "It keeps getting worse.", "It has spread to my thigh."],
    "tetany": ["I get carpopedal spasm.", "My hands cramp into claws.", "My fingers curl up and lock.",
               "I get painful spasms of the hands."],
    "breathing_difficulty": ["I can't catch my breath.", "I'm breathless.", "I have shortness of breath."],
    "face_or_vision_change": ["I'm seeing double.", "My face went numb.", "My eyelid droops."],
    "cold_pale_leg": ["My foot is ice cold.", "My leg turned blue.", "My foot looks white and mottled."],
    "swollen_calf": ["My calf is bigger than the other one.", "My calf is tender and hot.", "My calf swelled up."],
    "confusion": ["I passed out.", "I fainted yesterday.", "I'm drowsy all the time."],
}


@pytest.mark.parametrize("rid", sorted(LAY_RED_FLAG_PHRASES))
def test_every_red_flag_in_lay_words_fires_the_override(rid):
    """Mutations: the RED_FLAG_WORDS merge into PHRASES removed (most ids fail); _from_meaning
    returning [] (tetany fails: "painful spasms of the hands" is a rule cut from its meaning);
    _PART_SIGN_RE = [] (saddle_numbness fails: "my crotch is numb")."""
    for s in LAY_RED_FLAG_PHRASES[rid]:
        p = twitchnet.parse(s)
        assert p.get(rid) is True, (rid, s, dict(p))
        assert twitchnet.diagnose(p).urgent, (rid, s)


@pytest.mark.parametrize("text, rid", [
    ("I'm not sure if it started suddenly.", "sudden_onset"),
    ("I don't know whether it's spreading.", "progressive_spread"),
    ("I don't think it's weakness, more like tiredness.", "muscle_weakness"),
    ("Can't tell if my calf is swollen.", "swollen_calf"),
    ("No idea whether I wet myself.", "bladder_or_bowel_change"),
])
def test_uncertainty_is_never_denial(text, rid):
    """Doubt words that hold a "not" are no negation: the red flag is to confirm, not said no.
    Mutations: the _doubted() override in _sentence_items removed and _DOUBT left out of
    _PSEUDO_NEG (the red flag becomes False, listed in said_no)."""
    p = twitchnet.parse(text)
    assert p[rid] == twitchnet.maybe() and rid in p.to_confirm and not p.said_no, dict(p)
    assert twitchnet.diagnose(p).urgent


@pytest.mark.parametrize("text, expected", [
    ("It hasn't spread.", {"progressive_spread": False}),
    ("My leg hasn't been weak.", {"muscle_weakness": False}),
    ("The numbness isn't spreading, but my leg is weak.", {"progressive_spread": False, "muscle_weakness": True}),
    ("No weakness, and my calf is swollen.", {"muscle_weakness": False, "swollen_calf": True}),
    ("My foot is not pale.", {"cold_pale_leg": False}),
])
def test_negation_covers_its_own_clause_only(text, expected):
    """Mutations: "hasn't", "haven't"... removed from _NEG_EXTRA (the first two fail); the
    termination list passed to negspaCy emptied (the fourth fails: "no" reaches past the comma)."""
    p = twitchnet.parse(text)
    assert {k: p.get(k) for k in expected} == expected, dict(p)


def test_a_hypothetical_red_flag_is_to_confirm_never_present():
    """Mutations: _SURFACED = () (the red flag is dropped: not in to_confirm); "if" removed from
    _HYPOTHETICAL (it becomes True)."""
    for text, rid in [("If my legs got weak I'd go to A&E.", "muscle_weakness"),
                      ("If I get weakness should I go to A&E?", "muscle_weakness"),
                      ("What should I do if I lose control of my bladder?", "bladder_or_bowel_change")]:
        p = twitchnet.parse(text)
        assert p[rid] == twitchnet.maybe() and rid in p.to_confirm, (text, dict(p))
        assert [i.context for i in p.found if i.id == rid] == ["hypothetical"]
        d = twitchnet.diagnose(p)
        assert d.urgent and rid in d.unconfirmed
    assert dict(twitchnet.parse("If I get cramps should I stretch?")) == {}  # not a red flag: left out
    assert twitchnet.parse("It feels as if my leg is on fire.")["burning_pain"] is True  # "as if" is no hypothesis


def test_a_red_flag_of_a_relative_or_of_the_past_is_to_confirm():
    """Mutation: _SURFACED = () (both dropped); the family "uncertain" line in _sentence_items
    removed (the uncle's MND becomes True)."""
    p = twitchnet.parse("My dad has trouble walking.")
    assert p["trouble_walking"] == twitchnet.maybe() and [i.context for i in p.found] == ["family"]
    p = twitchnet.parse("I used to have bladder problems years ago.")
    assert p["bladder_or_bowel_change"] == twitchnet.maybe() and "bladder_or_bowel_change" in p.to_confirm
    p = twitchnet.parse("My uncle might have had MND, not sure.")
    assert p["family_history_neuro"] == twitchnet.maybe() and "family_history_neuro" in p.to_confirm
    assert twitchnet.parse("My mother had MS.")["family_history_neuro"] is True


@pytest.mark.parametrize("text, rid", [
    ("My face might feel a little numb on the left, not sure.", "face_or_vision_change"),
    ("Calf might be a bit swollen? Hard to tell.", "swollen_calf"),
])
def test_a_red_flag_worded_around_a_body_part_is_found_with_its_doubt(text, rid):
    """Mutations: _PART_SIGN_RE = [] (not found); the "uncertain" branch of _part_sign_items
    removed (found as True instead of maybe)."""
    p = twitchnet.parse(text)
    assert p[rid] == twitchnet.maybe() and rid in p.to_confirm, dict(p)


def test_every_red_flag_is_recognised_three_ways_and_fires_the_override(model):
    assert set(RED_FLAG_PHRASES) == set(model.red_flag_ids)
    for rid, sentences in RED_FLAG_PHRASES.items():
        assert len(sentences) >= 3
        for s in sentences:
            p = twitchnet.parse(s)
            assert p.get(rid) is True, (rid, s, dict(p))
            d = twitchnet.diagnose(p)
            assert d.urgent and rid in {r for f in d.red_flags for r in (f.id,)} | set(d.evidence), (rid, s)


@pytest.mark.parametrize("text, rid, said", [
    ("No bladder problems.", "bladder_or_bowel_change", "No bladder problems"),
    ("I don't have any weakness.", "muscle_weakness", "don't have any weakness"),
    ("No trouble walking at all.", "trouble_walking", "No trouble walking"),
])
def test_a_negated_red_flag_is_listed_back_and_does_not_fire(text, rid, said):
    p = twitchnet.parse(text)
    assert p[rid] is False and said in p.said_no
    d = twitchnet.diagnose(p)
    assert not d.urgent


@pytest.mark.parametrize("text, rid", [
    ("Maybe a bit of numbness down there.", "saddle_numbness"),
    ("I think I might have wet myself.", "bladder_or_bowel_change"),
    ("Possibly some weakness in my foot?", "muscle_weakness"),
])
def test_an_uncertain_red_flag_fires_the_override_until_confirmed_never_the_ranking(text, rid):
    p = twitchnet.parse(text)
    assert p[rid] == twitchnet.maybe() and rid in p.to_confirm
    d = twitchnet.diagnose(p)
    assert d.urgent and rid in d.unconfirmed
    plain = twitchnet.diagnose({k: v for k, v in p.items() if k != rid})
    assert [r.probability for r in d.ranking] == [r.probability for r in plain.ranking]


def test_an_uncertain_finding_is_soft_evidence():
    p = twitchnet.parse("Possibly some tingling.")
    assert p["tingling"] == twitchnet.maybe()
    assert [i.context for i in p.found] == ["uncertain"]


def test_family_history_historical_and_hypothetical():
    p = twitchnet.parse("My left calf twitches at night, no back pain, my mother had MS.")
    assert dict(p) == {"twitching": True, "worse_in_evening": True, "back_pain": False, "family_history_neuro": True}
    assert "multiple_sclerosis" not in p and "neuro_history" not in p  # the mother's disease, not the person's
    assert dict(twitchnet.parse("My wife has bad cramps at night.")) == {}
    assert dict(twitchnet.parse("I used to get cramps as a kid.")) == {}
    assert dict(twitchnet.parse("I'm worried about MS.")) == {}
    contexts = {i.id: i.context for i in twitchnet.parse("I used to get cramps as a kid.").found}
    assert contexts == {"cramps": "historical"}


def test_durations_ages_and_sex():
    p = twitchnet.parse("I'm a 45 year old woman and my legs have been tingling for three weeks.")
    assert p["age"] == 45 and p["sex"] == "female" and p["duration"] == "weeks" and p["tingling"] is True
    assert twitchnet.parse("31F, calf twitches for 6 months.")["duration"] == "months"
    assert twitchnet.parse("Since yesterday my foot has been numb.")["duration"] == "days"
    assert twitchnet.parse("I've had back pain for years.")["duration"] == "years"
    assert twitchnet.parse("I'm 61 and on metformin.").get("sex") is None  # "I'm 61" is no "m 61"


def test_each_item_carries_its_words_offsets_and_sentence():
    text = "Fine otherwise. No back pain."
    p = twitchnet.parse(text)
    (item,) = [i for i in p.found if i.id == "back_pain"]
    assert text[item.start:item.end] == item.words == "back pain"
    assert item.context == "negated" and item.sentence == "No back pain."


def test_a_sentence_with_nothing_recognised_is_reported():
    """Mutation: the "unrecognised" Item in parse() removed (nothing reported)."""
    p = twitchnet.parse("My calf twitches. The weather is nice.")
    assert p.unrecognised == ("The weather is nice.",)
    p = twitchnet.parse("I haven't been able to feel my foot. Something is off with my shoes.")
    assert p["loss_of_sensation"] is True and p.unrecognised == ("Something is off with my shoes.",)
    assert any("nothing recognised" in line for line in p.summary())


def test_parse_refuses_what_is_not_text():
    with pytest.raises(EvidenceError, match="text: expected a string"):
        twitchnet.parse(None)


def test_the_corpus_keeps_every_red_flag_and_most_evidence(model):
    rows = [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]
    assert len(rows) >= 150
    red = set(model.red_flag_ids)
    tp = fp = fn = 0
    for row in rows:
        got = {k: ("maybe" if isinstance(v, twitchnet.Likelihood) else v) for k, v in twitchnet.parse(row["text"]).items()}
        for k, v in row["gold"].items():
            if k in red and v in (True, "maybe"):
                assert got.get(k) in (True, "maybe"), (row["text"], k)  # red-flag recall 1.0
            tp += got.get(k) == v
            fn += got.get(k) != v
        fp += sum(1 for k, v in got.items() if row["gold"].get(k) != v)
    assert tp / (tp + fp) >= 0.9 and tp / (tp + fn) >= 0.9


def test_without_the_extra_parse_names_the_pip_command(monkeypatch):
    from twitchnet.text import _pipeline as text

    monkeypatch.setattr(text, "_PIPELINES", {})
    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(MissingExtraError, match=r"spacy, which is not installed: pip install 'twitchnet\[text\]'"):
        twitchnet.parse("my calf twitches")


def test_cli_text_shows_what_it_understood_before_the_ranking():
    run = subprocess.run([sys.executable, "-m", "twitchnet", "diagnose", "--text",
                          "My calf twitches at night, no bladder problems, maybe numbness down there. The weather is nice."],
                         capture_output=True, text=True)
    out = run.stdout
    assert run.returncode == 0, run.stderr
    assert out.index("Understood:") < out.index("EMERGENCY") < out.index("rank  cause")
    assert "you said: no bladder problems" in out
    assert "to confirm: saddle_numbness" in out and 'nothing recognised in: "The weather is nice."' in out
    run = subprocess.run([sys.executable, "-m", "twitchnet", "diagnose", "--json", "--text", "My calf twitches.", "age=30"],
                         capture_output=True, text=True)
    data = json.loads(run.stdout)
    assert data["evidence"]["twitching"] is True and data["evidence"]["age"] == 30
    assert data["understood"]["items"][0]["id"] == "twitching"


HELDOUT = Path(__file__).parent / "data" / "leg_sentences_heldout.jsonl"
_HELDOUT_ROWS = [json.loads(line) for line in HELDOUT.read_text().splitlines() if line.strip()]
_RED_FLAG_IDS = set(twitchnet.load_model().red_flag_ids)
#: held-out sentences (line numbers, from 1) whose red flag the parser loses today: parser defects
#: listed in notes/words.md. Strict, so a parser fix that saves one fails here until removed.
#: The parser must never be tuned to this corpus (it is held out); fix the rule, not the sentence.
HELDOUT_LOSES_A_RED_FLAG = {67, 98, 99, 103}


def _corpus_cases(rows, losing, prefix, reason):
    """One case per sentence: its text and gold red flags, a strict xfail where the parser loses one."""
    for n, row in enumerate(rows, 1):
        red = sorted(k for k, v in row["gold"].items() if k in _RED_FLAG_IDS and v in (True, "maybe"))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if n in losing else []
        yield pytest.param(row["text"], red, id=f"{prefix}{n}", marks=marks)


BLIND = Path(__file__).parent / "data" / "leg_sentences_blind.jsonl"
_BLIND_ROWS = [json.loads(line) for line in BLIND.read_text().splitlines() if line.strip()]
#: blind-corpus sentences (line numbers, from 1) whose red flag the parser loses (22 of 273 when it
#: was first scored, after the December 2026 fixes: docs/changelog.md lists the wordings). Strict, so
#: a fix that saves one fails here until removed; never fix the parser to these sentences.
BLIND_LOSES_A_RED_FLAG = {94, 118, 119, 126, 130, 132, 134, 137, 139, 140, 142, 144, 146, 156, 161, 163, 164,
                          233, 242, 245, 254, 259}


def test_the_blind_corpus_is_well_formed():
    """Every gold id is an evidence id of the model (no cause), every line has text."""
    model = twitchnet.load_model()
    ids = set(model.evidence_ids)
    assert len(_BLIND_ROWS) >= 150
    for row in _BLIND_ROWS:
        assert row["text"].strip() and set(row["gold"]) <= ids, row


@pytest.mark.parametrize("text, red", [
    *_corpus_cases(_HELDOUT_ROWS, HELDOUT_LOSES_A_RED_FLAG, "line", "parser loses this red flag (notes/words.md)"),
    *_corpus_cases(_BLIND_ROWS, BLIND_LOSES_A_RED_FLAG, "blind", "parser loses this red flag (docs/changelog.md)"),
])
def test_the_heldout_corpus_never_loses_a_red_flag(text, red):
    """Safety only, no accuracy threshold: every red flag the held-out gold has as present or
    uncertain is fired (True) or listed to confirm (maybe), the diagnosis is urgent, and parsing
    and diagnosing raise nothing."""
    p = twitchnet.parse(text)
    d = twitchnet.diagnose(p)
    for rid in red:
        assert p.get(rid) is True or rid in p.to_confirm, (rid, dict(p))
        assert rid in d.unconfirmed or p.get(rid) is True
    if red:
        assert d.urgent, (red, dict(p))
