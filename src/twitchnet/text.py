"""Evidence from a person's own words: :func:`parse`.

``twitchnet.parse("my left calf twitches at night, no back pain, my mother had MS")`` returns a
:class:`Parsed`: every finding, risk factor, red flag, duration, age and sex recognised in the
text, each with the words it came from and its context, and the evidence they make. A ``Parsed``
is a read-only mapping of that evidence, so ``twitchnet.diagnose(twitchnet.parse(text))`` works.

Built on spaCy with negspaCy (NegEx, Chapman et al. 2001) for negation, behind the extra
``twitchnet[text]``. No model is downloaded: the pipeline is a blank English tokenizer, a
sentencizer, an entity ruler whose phrase rules are generated from the knowledge base's
vocabulary (each id's words, its aliases, and the everyday phrasings in :data:`PHRASES`), NegEx,
and the ConText-style rules of this module (Harkema et al. 2009) for the other contexts:

=============  ==============================================  ===============================
context        e.g.                                            evidence
=============  ==============================================  ===============================
present        "my left calf twitches"                         ``twitching=True``
negated        "no back pain"                                  ``back_pain=False``
family         "my mother had MS"                              ``family_history_neuro=True``
                                                                (other findings: left out)
historical     "I had sciatica years ago"                      left out
hypothetical   "if I get cramps"                               left out
uncertain      "maybe a bit of numbness"                       ``numbness=maybe()``
=============  ==============================================  ===============================

Safety of words: a red flag stated present fires the override; one mentioned uncertainly is
``maybe()``, which the override treats as present until confirmed (never the ranking) and which
the diagnosis lists in ``unconfirmed``; a negated one is ``False`` and listed back to the person
in :attr:`Parsed.said_no` ("you said: no bladder problems"). A sentence in which nothing was
recognised is listed in :attr:`Parsed.unrecognised`, never dropped silently.

References
----------
Chapman WW et al. A simple algorithm for identifying negated findings and diseases in discharge
summaries. J Biomed Inform 2001;34:301-310. Harkema H et al. ConText: an algorithm for determining
negation, experiencer, and temporal status from clinical reports. J Biomed Inform 2009;42:839-851.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError
from twitchnet.evidence import NOT_SURE_RATIO, Likelihood

__all__ = ["parse", "Parsed", "Item", "PHRASES", "pipeline"]

#: Everyday phrasings per vocabulary id, beyond the id's own words and its aliases (lower case;
#: ``{s}`` marks where an inflection goes: "twitch{s}" matches twitch, twitches, twitching,
#: twitched, twitchy).
PHRASES = {
    "twitching": ["twitch{s}", "muscle twitch{s}", "jump{s}", "flicker{s}", "spasm{s}", "fasciculation{s}", "muscle jerk{s}",
                  "ticks", "jerk{s}", "jerking", "popping", "rippling", "quiver{s}", "fluttering", "flutter{s}"],
    "tingling": ["tingl{s}", "tingly", "pins and needles", "prickl{s}", "fizzing", "fizzy", "buzzing", "buzz", "vibrat{s}", "vibration{s}",
                 "electric feeling", "zing{s}"],
    "numbness": ["numb", "numbness", "going numb", "gone numb", "dead feeling", "feels dead", "no feeling"],
    "burning_pain": ["burning", "burn{s}", "burning pain", "feels like it is on fire", "on fire"],
    "muscle_weakness": ["weak", "weakness", "weaker", "gives way", "giving way", "gave way", "foot drop", "dragging my foot",
                        "drags", "no strength", "lost strength", "can't lift my foot", "cannot lift my foot"],
    "cramps": ["cramp{s}", "charley horse{s}", "knot{s}", "seiz{s} up"],
    "tremor": ["tremor{s}", "shak{s}", "trembl{s}", "shaky", "shaking"],
    "crawling_sensation": ["crawling", "creepy crawly", "creepy-crawly", "ants", "bugs crawling", "creeping", "worms under my skin",
                           "crawly"],
    "urge_to_move": ["urge to move", "need to move", "have to move", "must move", "can't keep still", "cannot keep still",
                     "can't keep my legs still", "have to keep moving", "restless legs", "restless leg", "restless", "keep moving them"],
    "worse_at_rest": ["worse at rest", "when i sit", "when i lie down", "when resting", "sitting still", "lying down", "at rest",
                      "when i sit down", "when i relax", "i sit down", "lie down", "worse lying down"],
    "worse_in_evening": ["at night", "in the evening", "evenings", "in bed", "at bedtime", "nights", "worse at night", "every night", "every evening", "evening"],
    "relieved_by_movement": ["better when i walk", "goes away when i walk", "walking helps", "moving helps", "relieved by moving",
                             "better when i move", "stops when i move", "eases when i walk", "goes when i get up"],
    "sleep_disturbance": ["can't sleep", "cannot sleep", "keeps me awake", "wakes me up", "waking up", "trouble sleeping",
                          "awake at night", "wake me up", "wakes me", "woke me up", "sleepless", "insomnia", "no sleep", "poor sleep"],
    "back_pain": ["back pain", "backache", "back ache", "bad back", "lower back", "back hurts", "back is killing me", "lumbago"],
    "radiating_back_pain": ["sciatica", "shoots down my leg", "shooting down my leg", "radiates down", "down the back of my leg",
                            "pain down my leg", "runs down my leg", "shooting pain down"],
    "worse_on_walking": ["worse when i walk", "worse walking", "when i walk", "after walking", "walking makes it worse"],
    "one_leg_only": ["one leg", "only my left", "only my right", "just my left", "just my right", "only in my left", "only in my right",
                     "only one leg", "just one leg", "left leg only", "right leg only"],
    "stocking_distribution": ["both feet", "both my feet", "stocking", "socks", "sock area", "in my toes and feet", "both soles"],
    "fatigue": ["tired", "exhausted", "fatigue", "worn out", "knackered", "no energy", "drained", "fatigued"],
    "anxiety": ["anxious", "anxiety", "nervous", "worried all the time", "panic", "on edge", "stressed out", "health anxiety"],
    "palpitations": ["palpitation{s}", "heart racing", "heart is racing", "heart races", "racing heart", "heart pounding", "heart flutter{s}", "skipped beats"],
    "brief_buzz": ["phone buzz", "feels like my phone", "like a phone vibrating", "phantom vibration{s}", "like my phone is ringing",
                   "brief buzz", "like a text message"],
    "where_phone_is_carried": ["where i keep my phone", "where my phone is", "phone pocket", "where i carry my phone"],
    "loss_of_sensation": ["can't feel", "cannot feel", "lost feeling", "lost sensation", "loss of sensation", "no sensation"],
    "trouble_walking": ["trouble walking", "can't walk", "cannot walk", "difficulty walking", "hard to walk", "struggling to walk",
                        "stumbl{s}", "keep tripping", "tripping", "falling over", "unsteady", "wobbly on my feet", "off balance"],
    "muscle_wasting": ["wasting", "muscle wasting", "thinner", "shrinking", "shrunk", "lost muscle", "muscle loss", "smaller than the other"],
    "saddle_numbness": ["saddle numbness", "numb down there", "numbness down there", "numb between my legs", "numb around my bum",
                        "numb groin", "numbness in my groin", "can't feel when i wipe", "numb bottom", "numb buttocks", "bum feels numb", "bum is numb", "bum went numb",
                        "numbness down below", "numb down below"],
    "bladder_or_bowel_change": ["bladder", "bowel", "peeing", "wet myself", "wetting myself", "can't pee", "cannot pee",
                                "trouble peeing", "leaking urine", "lost control of my bladder", "incontinent", "incontinence",
                                "soiled myself", "peed myself", "pee myself", "wet the bed", "can't hold it", "toilet problems", "bladder problems", "bowel problems"],
    "tetany": ["tetany", "hands lock", "hands locked", "fingers lock", "fingers locking", "fingers are locking", "hands are locking", "hands clench", "claw"],
    "perioral_tingling": ["tingling around my mouth", "lips tingl{s}", "tingly lips", "around my mouth", "numb lips", "lips were tingling", "lips tingling", "lips are tingling"],
    "inner_restlessness": ["inner restlessness", "can't sit still", "cannot sit still", "jittery inside", "restless inside",
                           "agitated", "pacing"],
    "recent_medication_change": ["new medication", "new meds", "started a new", "changed my medication", "new tablets",
                                 "dose was increased", "dose went up", "started taking", "switched meds", "new pills"],
    "aching": ["ach{s}", "achy", "aching", "sore", "soreness", "throbb{s}", "dull pain"],
    "arms_affected": ["my arms", "my arm", "arms too", "in my arms", "arms and legs", "legs and arms", "arms"],
    "episodic_attacks": ["comes and goes", "come and go", "attacks", "episodes", "on and off", "flare{s} up", "in bouts"],
    "progressive_spread": ["spreading", "spread{s}", "getting worse and worse", "moving up", "creeping up", "now in my other leg",
                           "gone to my other leg", "worse every day", "getting worse every day", "getting rapidly worse",
                           "worse by the day"],
    "speech_or_swallowing": ["slurr{s}", "slurred", "trouble swallowing", "can't swallow", "choking", "speech is", "speech has",
                             "words come out wrong", "difficulty swallowing", "swallowing"],
    "sudden_onset": ["suddenly", "sudden", "out of nowhere", "all of a sudden", "came on suddenly", "overnight", "came on fast",
                     "started suddenly", "out of the blue"],
    "severe_intensity": ["severe", "excruciating", "unbearable", "agony", "agonising", "agonizing", "worst pain", "10/10",
                         "ten out of ten", "terrible pain", "can't bear"],
    "neuro_history": ["i have ms", "i have epilepsy", "my epilepsy", "my ms", "i have multiple sclerosis", "i've got ms",
                      "i have parkinson's", "diagnosed with ms", "diagnosed with epilepsy", "i had a stroke", "my neurologist"],
    "family_history_neuro": ["runs in my family", "runs in the family", "family history of ms", "family history of epilepsy",
                             "family history of mnd", "family history of als"],
    "breathing_difficulty": ["short of breath", "can't breathe", "cannot breathe", "breathless", "trouble breathing",
                             "hard to breathe", "struggling to breathe", "difficulty breathing", "out of breath"],
    "face_or_vision_change": ["face drooping", "face droop{s}", "face is drooping", "face is droopy", "facial droop", "double vision", "blurred vision", "lost vision",
                              "vision went", "face feels numb", "numb face", "drooping face", "blurry vision"],
    "confusion": ["confused", "confusion", "muddled", "disoriented", "disorientated", "not making sense", "can't think straight"],
    "cold_pale_leg": ["cold and pale", "pale and cold", "leg is cold", "foot is cold and white", "white and cold", "ice cold leg",
                      "cold pale", "pale cold", "leg went white", "foot went white"],
    "swollen_calf": ["swollen calf", "calf is swollen", "swelling in my calf", "calf swelling", "calf swollen", "swollen and hot calf",
                     "calf is red and swollen", "puffy calf"],
    # risk factors
    "diabetes": ["diabetes", "diabetic", "type 2", "type 1", "blood sugar", "sugar problems", "on metformin", "metformin", "insulin"],
    "heavy_alcohol": ["drink a lot", "heavy drinker", "drink heavily", "bottle of wine", "lot of beer", "alcoholic", "drinking a lot"],
    "b12_deficiency": ["b12 deficiency", "low b12", "b12 deficient", "b12 was low", "b12 is low", "pernicious anaemia", "pernicious anemia"],
    "chemotherapy": ["chemo", "chemotherapy"],
    "pregnancy": ["pregnant", "pregnancy", "weeks along", "expecting a baby", "third trimester", "second trimester"],
    "iron_deficiency": ["low iron", "iron deficiency", "anaemic", "anemic", "anaemia", "anemia", "iron tablets"],
    "kidney_disease": ["kidney disease", "kidney failure", "on dialysis", "dialysis", "kidney problems", "ckd"],
    "diuretic": ["water pill{s}", "diuretic{s}", "furosemide", "bendroflumethiazide", "hydrochlorothiazide"],
    "ppi": ["omeprazole", "lansoprazole", "pantoprazole", "esomeprazole", "ppi", "acid reflux tablets", "heartburn pills"],
    "antidepressant": ["antidepressant{s}", "sertraline", "citalopram", "fluoxetine", "escitalopram", "mirtazapine", "venlafaxine",
                       "prozac", "zoloft", "amitriptyline"],
    "antipsychotic": ["antipsychotic{s}", "quetiapine", "olanzapine", "risperidone", "aripiprazole", "haloperidol"],
    "anticonvulsant": ["anticonvulsant{s}", "gabapentin", "pregabalin", "lamotrigine", "levetiracetam", "topiramate", "carbamazepine"],
    "vomiting_or_diarrhea": ["vomiting", "diarrhoea", "diarrhea", "throwing up", "being sick", "been sick", "stomach bug", "food poisoning"],
    "high_caffeine": ["coffee", "coffees", "energy drink{s}", "caffeine", "red bull", "espresso", "cups of tea"],
    "heavy_exercise": ["marathon", "training hard", "gym", "ran a", "running a lot", "long run", "workout", "work out", "cycling",
                       "heavy exercise", "leg day", "half marathon"],
    "poor_sleep": ["not sleeping well", "sleeping badly", "poor sleep", "hardly sleep", "little sleep", "night shifts",
                   "bad sleep", "sleep deprived", "sleep-deprived"],
    "recent_stress": ["stress", "stressed", "stressful", "exams", "divorce", "bereavement", "lost my job", "deadline{s}", "pressure at work",
                      "burnout", "burned out", "burnt out"],
    "family_history_rls": ["my mum has restless legs", "my mother has restless legs", "my dad has restless legs",
                           "restless legs runs in my family", "family history of restless legs"],
    "back_injury": ["hurt my back", "injured my back", "slipped disc", "herniated disc", "back injury", "pulled my back",
                    "car accident", "fell on my back", "disc bulge", "bulging disc"],
    "phone_in_pocket": ["phone in my pocket", "phone in my front pocket", "keep my phone in my pocket", "phone in my trouser pocket",
                        "phone in my jeans", "phone is in my pocket", "phone is in my front pocket", "phone in my front pocket all day"],
    "cancer_history": ["had cancer", "cancer survivor", "history of cancer", "breast cancer", "prostate cancer", "my cancer",
                       "in remission"],
    "fever": ["fever", "feverish", "high temperature", "temperature", "running a temperature", "chills", "sweats"],
    "unexplained_weight_loss": ["lost weight", "losing weight", "weight loss", "dropped a lot of weight", "pounds without trying",
                                "kilos without trying"],
    "recent_infection": ["flu", "a cold", "infection", "covid", "stomach bug", "chest infection", "virus", "was ill", "tummy bug"],
    "nitrous_oxide": ["nitrous", "laughing gas", "whippets", "nos canisters", "balloons", "nangs"],
    "antiemetic": ["metoclopramide", "anti-sickness", "antiemetic", "prochlorperazine", "domperidone"],
    "antihistamine": ["antihistamine{s}", "hay fever tablets", "diphenhydramine", "benadryl", "cetirizine", "piriton", "sleeping pills", "hay fever"],
    "fluoroquinolone": ["ciprofloxacin", "cipro", "levofloxacin", "fluoroquinolone", "moxifloxacin"],
    "statin": ["statin{s}", "atorvastatin", "simvastatin", "cholesterol tablets", "rosuvastatin"],
}

#: How ``{s}`` inflects (English verbs and nouns, enough for the phrasings above).
_INFLECT = ("", "s", "es", "ing", "ed", "y")

# ConText-style triggers (lower case): preceding ones apply to what follows them in the clause,
# following ones to what precedes them.
_FAMILY = ["my mother", "my mum", "my mom", "my father", "my dad", "my sister", "my brother", "my grandmother", "my grandfather",
           "my nan", "my grandma", "my grandpa", "my aunt", "my uncle", "my cousin", "my son", "my daughter", "my wife",
           "my husband", "my partner", "my friend", "my boyfriend", "my girlfriend", "my parents", "my family", "my twin"]
_FAMILY_RELATIVES = frozenset(_FAMILY[:17] + ["my parents", "my family", "my twin", "my son", "my daughter"])
_HISTORICAL = ["used to", "years ago", "in the past", "as a child", "as a kid", "last year", "a few years back", "years back",
               "when i was younger", "back in", "previously", "once had", "had it before", "long time ago", "a long time ago"]
_HYPOTHETICAL = ["if i", "if it", "in case", "what if", "worried about", "worried it", "afraid of", "scared of", "scared it",
                 "could it be", "is it", "does this mean", "should i worry", "in case it", "terrified of", "might develop",
                 "worried i", "if there", "would it"]
_UNCERTAIN = ["maybe", "might", "possibly", "not sure", "i think", "perhaps", "probably", "could be", "may have", "may be", "sort of",
              "kind of", "a bit like", "not certain", "unsure", "i guess", "seems like", "a little bit of", "sometimes i think",
              "i wonder if", "might be", "hard to tell", "think i might", "not 100%"]
_TERMINATE = {",", ";", ".", "!", "?", "but", "since", "and i", "and my", "and now", "and it", "though", "although", "however", "except", "apart", "otherwise", "whereas", "which", "while"}
_NEG_EXTRA = ["no", "not", "never", "without", "don't have", "do not have", "haven't had", "have not had", "haven't noticed",
              "havent", "dont", "isn't", "not any", "no sign of", "none", "free of", "didn't", "doesn't", "don't get", "don't feel",
              "can feel fine", "nothing", "zero", "nor", "neither", "not really"]
_NEG_FOLLOWING = ["is fine", "are fine", "is normal", "are normal", "is ok", "are ok", "is okay", "are okay", "ruled out", "is absent",
                  "all fine", "are all fine", "seems fine", "is good"]

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "few": 3, "couple": 2, "several": 4, "many": 5, "some": 3}
_UNIT = {"hour": "days", "hours": "days", "day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "fortnight": "weeks",
         "month": "months", "months": "months", "year": "years", "years": "years", "yr": "years", "yrs": "years"}
_DURATION = re.compile(
    r"\b(?:for|over|about|around|nearly|almost|since)\s+(?:the\s+)?(?:past\s+|last\s+)?(?:(?:a|an)\s+)?"
    r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|couple|several|many|some)?\s*(?:of\s+)?"
    r"(?P<unit>hours?|days?|weeks?|fortnight|months?|years?|yrs?)\b"
    r"|\b(?P<n2>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|couple|several)\s+(?:of\s+)?"
    r"(?P<unit2>hours?|days?|weeks?|fortnight|months?|years?)\s+(?:now|ago|so far)\b"
    r"|\bsince\s+(?P<since>yesterday|last night|this morning|monday|tuesday|wednesday|thursday|friday|saturday|sunday|last week|"
    r"last month|last year|christmas|the summer|the spring|the winter|the autumn)\b"
    r"|\b(?P<day>yesterday|this morning)\b",
    re.IGNORECASE)
_SINCE = {"yesterday": "days", "last night": "days", "this morning": "days", "last week": "weeks", "last month": "months",
          "last year": "years", "christmas": "months", "the summer": "months", "the spring": "months", "the winter": "months",
          "the autumn": "months"}
_AGE = re.compile(
    r"\b(?:i\s*am|i'm|im|aged|age)\s+(?:a\s+)?(?P<a>\d{2})\b(?!\s*(?:%|kg|lbs?|pounds|minutes|hours|days|weeks|months|mg|miles))"
    r"|\b(?P<b>\d{2})\s*(?:years?\s*old|yrs?\s*old|yo|y/o|y\.o\.|-year-old|year old)\b"
    r"|\b(?P<c>\d{2})\s*(?P<cs>[mf])\b|(?<!')\b(?P<ds>[mf])\s*(?P<d>\d{2})\b"
    r"|\bin my (?P<e>twenties|thirties|forties|fifties|sixties|seventies|eighties|20s|30s|40s|50s|60s|70s|80s)\b",
    re.IGNORECASE)
_DECADES = {"twenties": 25, "thirties": 35, "forties": 45, "fifties": 55, "sixties": 65, "seventies": 75, "eighties": 85,
            "20s": 25, "30s": 35, "40s": 45, "50s": 55, "60s": 65, "70s": 75, "80s": 85}
_SEX = re.compile(
    r"\b(?:i\s*am|i'm|im|as)\s+(?:a\s+)?(?:\d{2}\s*(?:years?\s*old|yo|y/o)?\s*)?(?:year\s+old\s+|-year-old\s+)?"
    r"(?P<w>woman|female|girl|lady|mum|mom|mother|wife|man|male|guy|bloke|dude|father|dad|husband|gentleman)\b"
    r"|\b\d{2}\s*(?:years?\s*old|yo|y/o|-year-old|year old)\s+(?P<w2>woman|female|girl|lady|man|male|guy|bloke)\b"
    r"|\b\d{2}\s*(?P<l>[mf])\b|(?<!')\b(?P<l2>[mf])\s*\d{2}\b|(?<!my )(?<!his )(?<!her )\b(?P<w4>female|male)\b",
    re.IGNORECASE)
_SEX_WORD = {"woman": "female", "female": "female", "girl": "female", "lady": "female", "mum": "female", "mom": "female",
             "mother": "female", "wife": "female", "f": "female", "man": "male", "male": "male", "guy": "male", "bloke": "male",
             "dude": "male", "father": "male", "dad": "male", "husband": "male", "gentleman": "male", "m": "male"}
# diseases of the nervous system that make a relative's history family_history_neuro (lower case)
_NEURO_DISEASE = ["ms", "multiple sclerosis", "mnd", "motor neurone disease", "motor neuron disease", "als", "epilepsy",
                  "parkinson's", "parkinsons", "parkinson", "huntington's", "neuropathy", "muscular dystrophy", "a stroke",
                  "myasthenia", "cmt", "charcot-marie-tooth", "lou gehrig's"]
_RLS_WORDS = ["restless legs", "restless leg", "rls"]


@dataclass(frozen=True)
class Item:
    """One thing recognised in the text.

    Attributes
    ----------
    id : str
        The vocabulary id (``"duration"``, ``"age"`` and ``"sex"`` included).
    value : object
        What it says: ``True``; ``False`` when negated; a duration level, age or sex.
    context : {"present", "negated", "family", "historical", "hypothetical", "uncertain"}
    words : str
        The words it came from, as written.
    start, end : int
        Character offsets of ``words`` in the text.
    sentence : str
        The sentence it was found in.
    used : bool
        Whether it entered the evidence (historical, hypothetical and other people's findings do not).
    """

    id: str
    value: object
    context: str
    words: str
    start: int
    end: int
    sentence: str
    used: bool = True


class Parsed(Mapping):
    """The evidence found in text: a read-only mapping (id -> value) with what it came from.

    ``twitchnet.diagnose(parsed)`` diagnoses it. Values are ``True``/``False``, a duration level,
    an age, a sex, or :func:`twitchnet.maybe` for what was said uncertainly.

    Attributes
    ----------
    text : str
    found : tuple of Item
        Everything recognised, in order of the text.
    evidence : Mapping
        The evidence (the mapping itself).
    said_no : tuple of str
        Red flags the person denied, as they said them ("no bladder problems"): listed back to
        the person, never fired.
    to_confirm : tuple of str
        Red-flag ids mentioned uncertainly: the override treats them as present until confirmed.
    unrecognised : tuple of str
        Sentences in which nothing was recognised.
    """

    def __init__(self, text, items, evidence, said_no, to_confirm, unrecognised):
        self.text = text
        self.found = tuple(items)
        self.evidence = MappingProxyType(dict(evidence))
        self.said_no = tuple(said_no)
        self.to_confirm = tuple(to_confirm)
        self.unrecognised = tuple(unrecognised)

    def __getitem__(self, key):
        return self.evidence[key]

    def __iter__(self):
        return iter(self.evidence)

    def __len__(self):
        return len(self.evidence)

    def __repr__(self):
        return f"Parsed({dict(self.evidence)!r}, said_no={self.said_no!r}, to_confirm={self.to_confirm!r}, unrecognised={self.unrecognised!r})"

    def summary(self):
        """What was understood, as lines of text (the command line prints them before the ranking)."""
        lines = []
        for it in self.found:
            shown = f"{it.id}={self.evidence.get(it.id, it.value)!r}" if it.used else f"{it.id} (not used: {it.context})"
            lines.append(f'  "{it.words}" -> {shown}' + (f"  [{it.context}]" if it.used and it.context != "present" else ""))
        for words in self.said_no:
            lines.append(f"  you said: {words}")
        for rid in self.to_confirm:
            lines.append(f"  to confirm: {rid} (mentioned uncertainly; treated as a warning sign until you confirm it)")
        for s in self.unrecognised:
            lines.append(f'  nothing recognised in: "{s}"')
        return ["Understood:"] + (lines or ["  nothing"])


def _variants(phrase):
    if "{s}" not in phrase:
        return [phrase]
    stem = phrase.split("{s}")[0]
    rest = phrase.split("{s}", 1)[1]
    out = [stem + "e" + rest, stem + "es" + rest]
    for suf in _INFLECT:
        out.append(stem + suf + rest)
        if stem.endswith("e") and suf in ("ing", "ed", "es", "y"):
            out.append(stem[:-1] + suf + rest)
        if suf in ("ing", "ed") and re.search(r"[^aeiou][aeiou][bdgmnprt]$", stem):
            out.append(stem + stem[-1] + suf + rest)
    return out


def _targets(model):
    """Phrase -> id: each vocabulary id's words, its aliases, and :data:`PHRASES`."""
    ids = set(model.evidence_ids)
    table = {}
    for i in model.evidence_ids:
        if model.spec(i).kind in ("number", "category", "category_finding"):
            continue
        table.setdefault(i.replace("_", " "), i)
    for alias, i in model.kb.aliases.items():
        if i in ids:
            table.setdefault(alias.replace("_", " "), i)
    for i, phrases in PHRASES.items():
        if i not in ids:
            continue
        for p in phrases:
            for var in _variants(p):
                table[var] = i  # the everyday phrasings win over generated words
    return table


class _Pipeline:
    """The spaCy pipeline for one model's vocabulary (see the module docstring)."""

    def __init__(self, model):
        from twitchnet._extras import require

        spacy = require("spacy", "text", "twitchnet.parse")
        require("negspacy.negation", "text", "twitchnet.parse")
        from negspacy.termsets import termset

        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
        table = _targets(model)
        ruler.add_patterns([{"label": "TW", "pattern": p, "id": i} for p, i in table.items()])
        ts = termset("en_clinical")
        ts.add_patterns({"preceding_negations": _NEG_EXTRA, "following_negations": _NEG_FOLLOWING,
                         "termination": sorted(_TERMINATE - {"."})})
        ts.remove_patterns({"preceding_negations": ["may"] if "may" in ts.get_patterns()["preceding_negations"] else []})
        nlp.add_pipe("negex", config={"ent_types": ["TW"], "neg_termset": ts.get_patterns(), "chunk_prefix": ["no"]})
        self.nlp, self.model = nlp, model

    def __call__(self, text):
        return self.nlp(text)


_PIPELINES: dict = {}


def pipeline(model=None):
    """The spaCy pipeline :func:`parse` runs for ``model`` (built once per model, kept)."""
    if model is None:
        from twitchnet.model import load_model

        model = load_model()
    key = id(model)
    p = _PIPELINES.get(key)
    if p is None or p.model is not model:
        p = _PIPELINES[key] = _Pipeline(model)
    return p


def _has(words, text):
    return any(re.search(r"(?<![\w'])" + re.escape(w) + r"(?![\w'])", text) for w in words)


def _clause(sent_text, start, end):
    """The clause around ``[start, end)`` of a sentence: bounded by the terminating words and marks."""
    left = sent_text[:start].lower()
    right = sent_text[end:].lower()
    cut = [m.end() for m in re.finditer(r"[,;:!?]|\b(?:but|though|although|however|whereas|while|and i|and my|and it's|and now|also|since)\b", left)]
    left = left[cut[-1]:] if cut else left
    m = re.search(r"[,;:!?]|\b(?:but|though|although|however|whereas|while|and i|and my|and now|also|since)\b", right)
    right = right[: m.start()] if m else right
    return left, right


def _context(ent, sent_text, s0):
    """The ConText status of an entity in its sentence: family, historical, hypothetical, uncertain or present."""
    left, right = _clause(sent_text, ent.start_char - s0, ent.end_char - s0)
    whole_left = sent_text[: ent.start_char - s0].lower()
    if _has(_FAMILY, left) or _has(["runs in my family", "runs in the family", "in my family"], right):
        return "family"
    if _has(_HYPOTHETICAL, whole_left[-60:]) and _has(_HYPOTHETICAL, left + " " + whole_left[-40:]):
        return "hypothetical"
    if _has(_HISTORICAL, left) or _has(_HISTORICAL, right):
        if not _has(["still", "again", "now", "ever since", "since then", "these days"], left + right):
            return "historical"
    if _has(_UNCERTAIN, left) or _has(["maybe", "i think", "not sure", "possibly", "perhaps", "?"], right):
        return "uncertain"
    return "present"


def parse(text, *, model=None):
    """The evidence in a person's description of their symptoms.

    Parameters
    ----------
    text : str
    model : DiagnosticModel, optional
        Whose vocabulary to recognise; the packaged model by default.

    Returns
    -------
    Parsed
        A mapping of the evidence, with each recognised item's words and context.

    Raises
    ------
    EvidenceError
        When ``text`` is not a string.
    MissingExtraError
        When spaCy or negspaCy is not installed: ``pip install 'twitchnet[text]'``.

    Examples
    --------
    >>> import twitchnet
    >>> p = twitchnet.parse("My left calf twitches at night, no back pain, my mother had MS.")
    >>> dict(p)["twitching"], dict(p)["back_pain"], dict(p)["family_history_neuro"]
    (True, False, True)
    """
    if not isinstance(text, str):
        raise v.fail(EvidenceError, "text", "a string (a description in the person's own words)", text)
    if model is None:
        from twitchnet.model import load_model

        model = load_model()
    doc = pipeline(model)(text)
    items = []
    for sent in doc.sents:
        s0, st = sent.start_char, sent.text
        found = _sentence_items(model, sent, s0, st)
        if not found and st.strip(" .!?,;\n\t"):
            items.append(Item("", None, "unrecognised", st.strip(), s0, sent.end_char, st.strip(), False))
        items.extend(found)
    return _collect(model, text, items)


def _sentence_items(model, sent, s0, st):
    out = []
    low = st.lower()
    for ent in sent.ents:
        cid = ent.ent_id_
        if not cid:
            continue
        negated = ent._.negex and not re.match(r"(?:no|not|can't|cannot|lost)\b", ent.text.lower())  # the phrase holds its own "not"
        ctx = "negated" if negated else _context(ent, st, s0)
        if ctx == "negated" and _has(_FAMILY, _clause(st, ent.start_char - s0, ent.end_char - s0)[0]):
            ctx = "family"  # "my mum doesn't have it": about someone else either way
        out.append(Item(cid, ctx != "negated", ctx, ent.text, ent.start_char, ent.end_char, st))
    # a relative with a disease of the nervous system: family_history_neuro (or family_history_rls)
    for rel in _FAMILY_RELATIVES:
        for m in re.finditer(r"(?<![\w'])" + re.escape(rel) + r"(?![\w'])", low):
            tail = low[m.end(): m.end() + 60]
            tail = re.split(r"[,;.!?]|\bbut\b|\band i\b", tail)[0]
            if _has(_RLS_WORDS, tail) and "family_history_rls" in model.evidence_ids:
                out.append(Item("family_history_rls", True, "family", st[m.start(): m.end() + len(tail)].strip(), s0 + m.start(), s0 + m.end() + len(tail), st))
            elif _has(_NEURO_DISEASE, tail):
                neg = _has(["doesn't have", "does not have", "never had", "no "], tail[:20])
                out.append(Item("family_history_neuro", not neg, "negated" if neg else "family", st[m.start(): m.end() + len(tail)].strip(),
                                s0 + m.start(), s0 + m.end() + len(tail), st))
    if _has(_NEURO_DISEASE, low) and not any(i.id == "family_history_neuro" for i in out) and re.search(
            r"\b(?:i have|i've got|i was diagnosed with|diagnosed with|i had|my)\s+(?:" + "|".join(map(re.escape, _NEURO_DISEASE)) + r")\b", low):
        m = re.search(r"\b(?:i have|i've got|i was diagnosed with|diagnosed with|i had|my)\s+(?:" + "|".join(map(re.escape, _NEURO_DISEASE)) + r")\b", low)
        out.append(Item("neuro_history", True, "present", st[m.start(): m.end()], s0 + m.start(), s0 + m.end(), st))
    for m in _DURATION.finditer(st):
        unit = m.group("unit") or m.group("unit2")
        level = _UNIT[unit.lower()] if unit else ("days" if m.group("day") else _SINCE[m.group("since").lower()])
        out.append(Item("duration", level, "present", m.group(0), s0 + m.start(), s0 + m.end(), st))
    for m in _AGE.finditer(st):
        a = m.group("a") or m.group("b") or m.group("c") or m.group("d")
        age = int(a) if a else _DECADES[m.group("e").lower()]
        out.append(Item("age", age, "present", m.group(0), s0 + m.start(), s0 + m.end(), st))
    for m in _SEX.finditer(st):
        w = (m.group("w") or m.group("w2") or m.group("l") or m.group("l2") or m.group("w4")).lower()
        out.append(Item("sex", _SEX_WORD[w], "present", m.group(0), s0 + m.start(), s0 + m.end(), st))
    return sorted(out, key=lambda i: i.start)


def _collect(model, text, items):
    """The evidence from the items: one value per id (a definite statement beats an uncertain one,
    a present one beats a negated one: the safe side), and what is listed back.
    """
    evidence, said_no, to_confirm, kept, unrecognised = {}, [], [], [], []
    red = set(model.red_flag_ids)
    rank = {"present": 3, "uncertain": 2, "negated": 1}
    best = {}
    for it in items:
        if it.context == "unrecognised":
            unrecognised.append(it.sentence)
            continue
        sp = model.spec(it.id) if it.id in model.evidence_ids else None
        used = it.context in rank or (it.context == "family" and it.id in ("family_history_neuro", "family_history_rls"))
        if it.id == "family_history_neuro" and it.context == "negated":
            used = True
        if it.context == "uncertain" and sp is not None and sp.kind not in ("finding", "red_flag"):
            used = False  # soft evidence is for findings: an uncertain risk factor is left out
        kept.append(Item(it.id, it.value, it.context, it.words, it.start, it.end, it.sentence, used))
        if not used:
            continue
        ctx = "present" if it.context == "family" else it.context
        prev = best.get(it.id)
        if prev is not None and rank[prev] >= rank[ctx] and it.id not in ("age", "sex", "duration"):
            continue
        best[it.id] = ctx
        if ctx == "uncertain":
            evidence[it.id] = Likelihood(NOT_SURE_RATIO)
        else:
            evidence[it.id] = it.value
    for it in kept:
        if it.used and it.id in red and it.context == "negated" and evidence.get(it.id) is False:
            said_no.append(_said(it))
    to_confirm = [i for i in model.red_flag_ids if isinstance(evidence.get(i), Likelihood)]
    return Parsed(text, kept, evidence, said_no, to_confirm, unrecognised)


def _said(item):
    """The negated words as the person said them: from the negation word to the end of the finding
    ("no bladder problems"), or "no <words>" when the negation follows them.
    """
    s, words = item.sentence, item.words
    at = item.start - (len(item.sentence) and _sentence_start(item))
    left = s[:at].lower()
    hits = list(re.finditer(r"\b(?:no|not|never|without|don't|do not|haven't|have not|didn't|doesn't|isn't|nothing|none|free of)\b", left))
    if not hits or at - hits[-1].start() > 60:
        return f"no {words}"
    return s[hits[-1].start(): at + len(words)]


def _sentence_start(item):
    """Offset of the item's sentence in the text (items keep text offsets)."""
    return item.start - item.sentence.lower().find(item.words.lower())
