import json, random, os
exec(open("part1.py").read())
for p in ["part2.py","part3.py","part4.py","part5.py","part6.py"]:
    exec(open(p).read())

RED = {"sudden_onset","severe_intensity","muscle_weakness","loss_of_sensation","trouble_walking",
       "neuro_history","family_history_neuro","muscle_wasting","speech_or_swallowing","saddle_numbness",
       "bladder_or_bowel_change","progressive_spread"}
out = []
for x in V:
    rf = any(x["evidence"].get(k) is True for k in RED)
    out.append({"id": x["id"], "source": x["source"], "source_type": x["source_type"],
                "summary": x["summary"], "evidence": x["evidence"], "truth": x["truth"],
                "acceptable": x["acceptable"], "red_flag": rf, "expected_triage": x["expected_triage"],
                "split": "dev"})

# split: per truth value, in sorted order of the truth label ("null" for None),
# sample round(n/3) ids (ids sorted) with one shared random.Random(20261125)
rng = random.Random(20261125)
groups = {}
for o in out:
    groups.setdefault("null" if o["truth"] is None else o["truth"], []).append(o["id"])
hold = set()
for key in sorted(groups):
    ids = sorted(groups[key])
    k = round(len(ids) / 3)
    hold.update(rng.sample(ids, k))
for o in out:
    if o["id"] in hold:
        o["split"] = "holdout"

desc = ("Published clinical vignettes for testing twitchnet, gathered by literature search only (the model was never run or "
 "inspected while entering them). For each of the eight causes, and for serious conditions outside the model (truth null: motor "
 "neurone disease/ALS with limb or bulbar onset, cauda equina syndrome, Guillain-Barre syndrome, multiple sclerosis, metastatic "
 "spinal cord compression, stroke presenting as foot drop), we searched stored copies of PubMed/PMC pages, journal sites, BMJ "
 "Best Practice, Medscape, GP and nursing case studies and teaching sites for case reports, case series, guideline or textbook "
 "example cases and published diagnostic criteria. Where no individual patient was available (mainly phantom vibration, and "
 "some restless-legs, benign-fasciculation and anxiety entries) the typical presentation described by a study or by the "
 "criteria is entered and labelled case_series or diagnostic_criteria; cohort mean ages are used only where the study reports "
 "them. Evidence holds only what the source states, mapped to the ids in vocabulary.md (present = true, explicitly absent or "
 "denied = false, everything else left out); nothing was inferred from the final diagnosis except that patients diagnosed by "
 "the IRLSSG criteria are entered with the four essential criteria, and that phantom vibration is by definition a brief "
 "device-like buzz felt where the device is carried. Truth is the cause matching the source's final diagnosis, or null for a "
 "serious condition outside the model; red_flag is computed from the evidence; expected_triage is our clinical judgement of "
 "what a clinician would advise at presentation and can differ from red_flag (for example acute sciatica with a sudden "
 "onset). Sources only available through a secondary page are marked as such, and missing authors are stated, never guessed. "
 "Splits: within each truth value (null included), round(n/3) vignettes were drawn as holdout with Python's "
 "random.Random(20261125), calling rng.sample on the sorted ids of each group, with the groups taken in sorted order of "
 "their truth label ('null' for null) and one generator shared across groups; the rest are dev.")

# issue 14 part 8: amendments from re-reading the sources, applied after the split (splits kept)
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import vignettes_reread
vignettes_reread.apply("main", out)
desc += vignettes_reread.NOTE

# issue 22 part 5: the re-read for the KB 2027b vocabulary, applied after the first (splits kept)
import vignettes_reread_2027b
vignettes_reread_2027b.apply("main", out)
desc += vignettes_reread_2027b.NOTE

doc = {"format": "twitchnet-vignettes/1", "description": desc, "vignettes": out}
dst = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "twitchnet", "data", "vignettes.json")
os.makedirs(os.path.dirname(dst), exist_ok=True)
with open(dst, "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(len(out), "written")
