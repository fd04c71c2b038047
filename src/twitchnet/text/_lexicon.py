"""The words recognised: everyday phrasings per vocabulary id and how they inflect."""

from __future__ import annotations

import re

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

