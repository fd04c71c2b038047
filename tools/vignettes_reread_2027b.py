"""Issue 22 part 5: both vignette suites re-read from their sources for the vocabulary of KB 2027b.

KB 2027b split ``neurological_disease`` into ``motor_neurone_disease``, ``inflammatory_neuropathy`` and
``multiple_sclerosis`` (the old id is now their cause group) and added the findings ``aching``,
``arms_affected``, ``episodic_attacks`` and the category ``duration``; the risk factors
``recent_infection``, ``nitrous_oxide``, ``antiemetic``, ``antihistamine``, ``fluoroquinolone``,
``statin``; the Examination section (``ankle_reflexes_reduced``, ``brisk_reflexes``, ``sensory_level``,
``straight_leg_raise_positive``, ``vibration_sense_reduced``, ``widespread_fasciculations``); the tests
``low_calcium``, ``low_b12``, ``low_ferritin``, ``emg_denervation``; and the red flag ``confusion``.
Every vignette of both suites was re-read for these ids BEFORE the new model was run on the suites
(the stored page or abstract its citation names, through the ``search`` corpus, where it could be found
again; otherwise the vignette's own summary, which its author wrote from that page, and ``why`` says
so). Nothing here was chosen by looking at a ranking or any model output. Rules followed:

* truth: a case whose truth was ``neurological_disease`` takes the disease its source names (motor
  neurone disease or ALS -> ``motor_neurone_disease``; Guillain-Barre syndrome -> ``inflammatory_neuropathy``;
  multiple sclerosis, including a first spinal cord attack -> ``multiple_sclerosis``). All thirteen such
  cases name one of the three, so none keeps the group. Strokes stay outside the model (null): the group
  means "any of its three members" and a stroke is none of them;
* ``duration`` is entered only when the source gives how long the leg complaint had lasted at the
  presentation the vignette describes (under two weeks ``days``, two weeks to two months ``weeks``, two
  months to a year ``months``, a year or more ``years``); where back pain came first, the leg complaint
  counts (so cord compression with three weeks of back pain and one day of leg weakness is ``days``);
  a criterion ("at least six months") or a course ("two months later it spread") that does not fix the
  category is left out;
* examination signs are entered as the source reports them: a reflex reported reduced or absent, brisk
  reflexes, clonus, an upgoing plantar or a brisk jaw jerk, a sensory level, a straight-leg raise that
  reproduces the leg pain, reduced vibration sense, fasciculations seen in two or more regions. A
  source stating reflexes normal (or a "normal neurological examination") gives
  ``ankle_reflexes_reduced`` and ``brisk_reflexes`` False; nothing else is read into a normal
  examination;
* ``aching`` is entered for the vocabulary's "a deep ache, heaviness or pressure in the legs" (heaviness
  included, as the vocabulary says); ``arms_affected`` where the arms or hands are affected too;
  ``episodic_attacks`` only for attacks lasting hours to days with normal function in between;
  ``recent_infection`` for an infection or vaccination the source dates within six weeks of onset;
* a diagnostic red flag the source states and the 2026.12.1 re-read left out is added (one case: facial
  weakness in the Pulse MND case); a fact for an older id that the 2026.12.1 re-read missed is listed
  apart under ``missed`` (so the record shows which entries are corrections, not new vocabulary);
* splits are NOT redrawn; ``red_flag`` is recomputed by the knowledge base's rules (``confusion`` is a
  red flag now); ``expected_triage`` (the original authors' judgement) is unchanged.

Used by tools/vignettes_main/build.py (suite "main") and tools/make_vignettes.py (suite "second"),
after tools/vignettes_reread.py. ``NOTHING_NEW`` lists every re-read case that gained nothing, with the
reason, so that every vignette of both suites appears here once (tests/test_vignettes.py checks it).
"""

MND = "motor_neurone_disease"
GBS = "inflammatory_neuropathy"
MS = "multiple_sclerosis"
GROUP = "neurological_disease"

#: reflexes reported normal: the two reflex signs are False
_REFLEXES_NORMAL = {"ankle_reflexes_reduced": False, "brisk_reflexes": False}

#: (suite, vignette id) -> amendment: ``add`` (new-vocabulary evidence), optionally ``missed``
#: (a fact for an older id the 2026.12.1 re-read missed), ``truth`` (a member of the group),
#: ``summary`` (a sentence appended when the added fact was not in the summary) and ``why`` (what the
#: source states, quoted or closely paraphrased, and where it was read)
AMENDMENTS = {
    # ------------------------------------------------------------------ main suite (77 cases)
    ("main", "neuropathy-b12-vegetarian-01"): {
        "add": {"duration": "weeks", "vibration_sense_reduced": True},
        "why": "'a month of numbness and tingling'; 'absent joint-position and vibration sense in both legs' (the vignette's "
               "summary of the stored BMC Res Notes page; the page was not found again, and no B12 level is quoted, so low_b12 "
               "is not entered)"},
    ("main", "neuropathy-alcohol-textbook-01"): {
        "add": {"duration": "months"}, "why": "Medscape: 'slowly progressive symptoms over months' (vignette summary)"},
    ("main", "spinal-stenosis-bmjbp-01"): {
        "add": {"duration": "years", "aching": True},
        "why": "BMJ Best Practice case history (re-read): 'for the past 12 months ... bilateral leg pain and a sense of heaviness "
               "in the legs when he is walking'"},
    ("main", "spinal-sciatica-gardening-01"): {
        "add": {"duration": "days", "straight_leg_raise_positive": True, "ankle_reflexes_reduced": True},
        "why": "pain down the right leg 'worsened over a few days'; 'straight-leg raise limited to 45 degrees on the right'; "
               "'a reduced right ankle jerk' (vignette summary and the author's notes; the lea-lb.org page was not found again)"},
    ("main", "spinal-disc-nejm-vignette-01"): {
        "add": {"duration": "days", "straight_leg_raise_positive": True},
        "why": "'over two days it has worsened'; 'severe left leg pain on straight-leg raising at 40 degrees' (vignette summary)"},
    ("main", "spinal-stenosis-textbook-64f-01"): {
        "add": {"duration": "months"}, "why": "'for ten months she has had pain in both buttocks and calves' (vignette summary)"},
    ("main", "spinal-l5-radiculopathy-textbook-01"): {
        "add": {"duration": "weeks"}, "why": "neupsykey (re-read): 'developed left buttock and low back pain approximately 1 month earlier'"},
    ("main", "spinal-disc-medbullets-01"): {
        "add": {"straight_leg_raise_positive": True}, "why": "'straight-leg raising reproduces severe radiating pain' (vignette summary)"},
    ("main", "spinal-stenosis-physio-72f-01"): {
        "add": {"duration": "years", "aching": True}, "why": "'a year of dull aching pain in the left leg on walking' (vignette summary)"},
    ("main", "medication-mirtazapine-rls-lowdose-01"): {
        "add": {"arms_affected": True, "duration": "days"},
        "why": "WPRIM abstract: 'unpleasant restless feelings and severe paraesthesia in the arms and legs' one to two hours "
               "after the dose, faded the next day"},
    ("main", "electrolytes-ppi-hypomg-gp-01"): {
        "add": {"duration": "weeks", "arms_affected": True, "low_calcium": True},
        "summary": "Her corrected calcium was 1.89 mmol/l.",
        "why": "gponline (re-read): 'pins and needles in her hands ... gradually worse over the preceding two weeks'; 'a very low "
               "corrected calcium level of 1.89mmol/l'"},
    ("main", "electrolytes-thiazide-hypok-paralysis-01"): {
        "add": {"duration": "days", "arms_affected": True, "statin": True},
        "missed": {"fever": False, "low_magnesium": False},
        "summary": "He also took simvastatin; he had no fever, and his magnesium was normal (1.8 mg/dL).",
        "why": "Endocrinol Nutr (re-read): weakness in the lower limbs 'for the previous five days', then 'in the scapular girdle "
               "at two days, and in the hands the day before'; 'simvastatin 20 mg/day'; 'No fever'; 'Mg 1.8 mg/dL (1.56-2.55)'"},
    ("main", "electrolytes-ppi-hypomg-bmj-01"): {
        "add": {"duration": "years", "low_calcium": True},
        "why": "'for several years she had had paraesthesia, numbness and weakness in her limbs'; 'refractory hypokalaemia and "
               "hypocalcaemia from hypomagnesaemia' (vignette summary; the BMJ page was not found again)"},
    ("main", "electrolytes-ppi-hypomg-paraesthesia-01"): {
        "add": {"arms_affected": True, "low_calcium": True},
        "why": "ESA-SRB abstract (re-read): 'concomitant severe hypocalcaemia 1.73mmol/L (corrected calcium)'; 'perioral and distal "
               "extremity paraesthesias' (the hands and feet, as the summary says)"},
    ("main", "electrolytes-ppi-tetany-01"): {
        "add": {"low_calcium": True}, "why": "Sivakumar (re-read): 'tetany from severe hypomagnesaemia and hypocalcaemia'"},
    ("main", "electrolytes-alcohol-vomiting-tetany-01"): {
        "add": {"duration": "days", "arms_affected": True, "low_calcium": True},
        "why": "'a day of cramps and pins and needles in both hands and feet'; 'latent tetany from low calcium, magnesium and "
               "potassium' (vignette summary; 'body aches' are not entered as aching: the source does not place them in the legs)"},
    ("main", "stress-fasics-series-01"): {
        "add": {"emg_denervation": False},
        "why": "Simon and Kiernan: 'normal nerve studies apart from simple fasciculations' (vignette summary)"},
    ("main", "stress-hyperventilation-tetany-01"): {
        "add": {"low_calcium": False, "arms_affected": True, "duration": "days"},
        "why": "pins and needles 'spread within seconds over her whole body'; 'she could not move her legs, then her arms'; "
               "'a Chvostek sign with normal calcium' (vignette summary)"},
    ("main", "stress-hyperventilation-exam-01"): {
        "add": {"duration": "days", "arms_affected": True, "episodic_attacks": True},
        "why": "'four hours of spasms in her hands and feet'; 'a milder episode had happened eight years earlier during her "
               "university entrance exam' (an attack of hours, normal in between; vignette summary)"},
    ("main", "rls-iron-deficiency-anaemia-01"): {
        "add": {"duration": "months"},
        "why": "Medznat (re-read): 'restless legs that had been persisting for several months' (no ferritin value is given, so "
               "low_ferritin is not entered)"},
    ("main", "benign-fasciculation-mayo-series-01"): {
        "add": {"emg_denervation": False, **_REFLEXES_NORMAL},
        "why": "'a normal neurological examination and EMG apart from fasciculation potentials' (vignette summary of Blexrud 1993)"},
    ("main", "benign-fasciculation-prospective-01"): {
        "add": {"emg_denervation": False}, "why": "'a normal EMG apart from fasciculations' was an entry criterion (vignette summary)"},
    ("main", "benign-cramp-fasciculation-footballer-01"): {
        "add": {"duration": "years"}, "why": "'three years of cramps and fasciculations in both calves' (vignette summary)"},
    ("main", "benign-cramp-fasciculation-athletes-01"): {
        "add": dict(_REFLEXES_NORMAL), "why": "'Examination was normal with no weakness or wasting' (vignette summary)"},
    ("main", "null-mnd-limb-onset-bmj-01"): {
        "truth": MND, "add": {"arms_affected": True},
        "why": "BMJ Easily missed (re-read): motor neurone disease; 'progressive difficulty buttoning his shirt' four months after "
               "the first visit (no time from onset is given, so no duration)"},
    ("main", "null-mnd-pulse-builder-01"): {
        "truth": MND, "add": {"arms_affected": True, "brisk_reflexes": True, "duration": "months", "face_or_vision_change": True},
        "summary": "He also had difficulty whistling, in keeping with mild facial weakness.",
        "why": "Pulse (re-read): MND; presented in August with difficulty straightening the fingers, seen by neurology at the end "
               "of October; 'bilateral claw hands and wasting in his arms'; 'a brisk jaw jerk and difficulty whistling, in keeping "
               "with mild facial weakness' (face_or_vision_change is a diagnostic red flag the 2026.12.1 re-read left out)"},
    ("main", "null-mnd-fasciculation-onset-mja-01"): {
        "truth": MND, "add": {"duration": "weeks"},
        "why": "MJA (re-read): MND; 'after four weeks of rising anxiety, I took my concerns to a colleague'. widespread_fasciculations "
               "is NOT entered: the fasciculation was the author's own observation and the examining colleague 'found no definite "
               "abnormality'"},
    ("main", "null-als-bulbar-onset-01"): {
        "truth": MND, "add": {"emg_denervation": True},
        "why": "sciety abstract (re-read): ALS; 'electromyography findings indicative of acute denervation and chronic reinnervation "
               "in multiple segments, including bulbar and thoracic areas' (the time from onset to this presentation is not given)"},
    ("main", "null-cauda-equina-easily-missed-01"): {
        "add": {"duration": "days", **_REFLEXES_NORMAL},
        "why": "'five days of low back pain and burning pain radiating into her right foot'; 'leg power, reflexes and sensation "
               "were judged normal' (vignette summary of Barraclough 2021)"},
    ("main", "null-gbs-atypical-ed-01"): {
        "truth": GBS, "add": {"duration": "days", "arms_affected": True, "recent_infection": True, "aching": True, **_REFLEXES_NORMAL},
        "why": "westjem (re-read): Guillain-Barre syndrome; weakness 'to the upper and lower extremities, increasing over the four "
               "days prior to arrival and described as an overall heavy feeling'; 'one week of watery diarrhea that had resolved "
               "two weeks prior to the onset of his weakness'; 'Reflexes were normal in both upper and lower extremities'"},
    ("main", "null-gbs-fulminant-01"): {
        "truth": GBS, "add": {},
        "why": "casereports.in (re-read): fulminant Guillain-Barre syndrome; the abstract gives no time course, examination "
               "signs at presentation or preceding infection"},
    ("main", "null-ms-sensory-photoclinic-01"): {
        "truth": MS, "add": {"recent_infection": True, "brisk_reflexes": True, "vibration_sense_reduced": True, "duration": "weeks"},
        "missed": {"nerve_conduction_abnormal": False, "fever": False},
        "summary": "She was afebrile, and lower-limb nerve conduction studies were normal.",
        "why": "Consultant360 (re-read): MS; 'One week after an upper respiratory tract viral infection ... progressive paresthesias'; "
               "'She sought medical evaluation 2 weeks later'; 'deep tendon reflexes were brisk'; 'Lower extremity sensory deficits "
               "to vibration, pinprick, and light touch at L3 through S5'; 'The patient was afebrile'; 'Lower extremity nerve "
               "conduction studies ... were normal' (the deficits are dermatomal bands, not a level, so sensory_level is not entered)"},
    ("main", "null-ms-teaching-case-01"): {
        "truth": MS, "add": {"duration": "days"},
        "why": "WSU (re-read): 'presents to the ED with 6 days of bilateral ascending numbness'; the earlier foot numbness 'resolved "
               "... over 3 weeks' (not an attack of hours to days); the hepatitis B vaccine was three months earlier (beyond six weeks)"},
    ("main", "null-mscc-renal-cancer-01"): {
        "add": {"duration": "days"},
        "why": "'three weeks of worsening low back pain and, for 24 hours, difficulty walking ... because of leg weakness' (the leg "
               "complaint counts; vignette summary)"},
    ("main", "null-stroke-foot-drop-81f-01"): {"add": {"duration": "days"}, "why": "'a 12-hour history' of left foot drop"},
    ("main", "null-stroke-foot-drop-68m-01"): {"add": {"duration": "days"}, "why": "'two days of weakness lifting his left toes and ankle'"},
    ("main", "null-stroke-foot-drop-83m-01"): {"add": {"duration": "days"}, "why": "'four days of left foot drop'"},
    ("main", "null-stroke-foot-drop-74m-01"): {"add": {"duration": "days"}, "why": "'a week of right foot drop'"},
    ("main", "null-stroke-haemorrhage-foot-drop-01"): {
        "add": {"duration": "days", **_REFLEXES_NORMAL},
        "why": "'woke with right foot drop', CT the same day; 'other leg muscles, reflexes and sensation normal'"},
    # ------------------------------------------------------------------ second suite (60 cases)
    ("second", "neuropathy-cbl-67"): {
        "add": {"duration": "months", "ankle_reflexes_reduced": True, "vibration_sense_reduced": True, "brisk_reflexes": False},
        "summary": "Achilles reflexes were absent, plantar responses flexor, and vibration sense impaired in the feet.",
        "why": "NeuroCuro (re-read): 'Progressive numbness in both feet for 10 months'; 'patellar reduced; Achilles absent; plantar "
               "responses flexor'; 'feet with impaired vibration, proprioception, and pinprick'"},
    ("second", "neuropathy-igt-68"): {
        "add": {"duration": "months", "vibration_sense_reduced": True},
        "why": "'burning and tingling in his feet over three months'; 'reduced vibration sense' (vignette summary)"},
    ("second", "spinal-stenosis-bmj-65"): {
        "add": {"duration": "years", "aching": True},
        "why": "BMJ Best Practice (re-read): 'for the past 12 months ... bilateral leg pain and a sense of heaviness in the legs'"},
    ("second", "spinal-l5-31"): {
        "add": {"duration": "weeks"}, "why": "neupsykey (re-read): pain that began 'approximately 1 month earlier'"},
    ("second", "medication-mirtazapine-two-women"): {
        "add": {"arms_affected": True, "duration": "days"},
        "summary": "The abstract places the restlessness and paraesthesia in the arms and legs; it faded the next day.",
        "why": "Kim 2005 abstract (as read for the main suite's entry): 'unpleasant restless feelings and severe paraesthesia in "
               "the arms and legs' one to two hours after the dose, faded the next day"},
    ("second", "electrolytes-ppi-68f"): {
        "add": {"duration": "weeks", "arms_affected": True, "low_calcium": True},
        "summary": "The pins and needles were in her hands, and her corrected calcium was 1.89 mmol/l.",
        "why": "gponline (re-read): 'pins and needles in her hands ... gradually worse over the preceding two weeks'; 'corrected "
               "calcium level of 1.89mmol/l'"},
    ("second", "electrolytes-ppi-91m"): {
        "add": {"low_calcium": True}, "why": "Sivakumar (re-read): 'tetany from severe hypomagnesaemia and hypocalcaemia'"},
    ("second", "electrolytes-ppi-74f"): {
        "add": {"confusion": True, "low_calcium": True, "arms_affected": True},
        "why": "Zhao 2024: PPI-induced hypomagnesaemia 'a rare cause of reversible delirium'; 'hand tremor and delirium'; 'low "
               "magnesium, potassium and calcium' (vignette summary and title)"},
    ("second", "electrolytes-wjn-table"): {
        "add": {"low_calcium": True}, "why": "'low magnesium, calcium and potassium' (vignette summary of the table)"},
    ("second", "rls-ida-35m"): {
        "add": {"duration": "months"}, "why": "Medznat (re-read): 'restless legs that had been persisting for several months'"},
    ("second", "rls-chiropractic-42m"): {
        "add": {"aching": True}, "why": "'twitching and deep pressure in both legs' (vignette summary of the JCCA case)"},
    ("second", "rls-brazil-55f"): {
        "add": {"duration": "years"}, "why": "'an uncontrollable urge to move her legs for ten years' (vignette summary)"},
    ("second", "benign-blexrud"): {
        "add": {"emg_denervation": False, **_REFLEXES_NORMAL},
        "summary": "The neurological examination and EMG were normal apart from fasciculations.",
        "why": "Blexrud 1993, as read for the main suite's entry: 'a normal neurological examination and EMG apart from "
               "fasciculation potentials'"},
    ("second", "benign-bfs-cohort"): {
        "add": {"emg_denervation": False}, "why": "normal EMG apart from fasciculations was an entry criterion"},
    ("second", "als-limb-54m"): {
        "truth": MND,
        "add": {"duration": "weeks", "brisk_reflexes": True, "widespread_fasciculations": True, "aching": False},
        "missed": {"twitching": False, "tremor": False},
        "summary": "He denied pain, tremor and noticing fasciculations; the examiner found tongue fasciculations and fasciculations "
                   "in both quadriceps, brisk reflexes in arms and legs, left ankle clonus and bilateral Babinski signs.",
        "why": "NeuroCuro (re-read): ALS; '4-5 weeks of painless left leg weakness'; 'He denies numbness, falls, tremor, pain, "
               "dysphagia, dyspnea, or fasciculations'; 'Tongue fasciculations present'; 'Fasciculations in quadriceps "
               "bilaterally'; 'Reflexes brisk in arms and legs, with sustained left ankle clonus and bilateral Babinski signs'"},
    ("second", "gbs-51m"): {
        "truth": GBS, "add": {"duration": "days", "recent_infection": True},
        "why": "nsrj (re-read): GBS; 'ascending bilateral lower extremity weakness and numbness for three days'; 'a viral illness "
               "three weeks prior that has since resolved'"},
    ("second", "gbs-61f"): {
        "truth": GBS,
        "add": {"recent_infection": True, "ankle_reflexes_reduced": True, "sensory_level": True, "vibration_sense_reduced": True},
        "summary": "Reflexes were absent in the legs, with loss of all sensation, vibration included, below T6.",
        "why": "Authorea (re-read): GBS; 'preceded by a febrile watery diarrheal illness 7 days before the onset'; 'areflexia in "
               "the lower limb'; 'loss of sensation in all modalities, including ... vibration below the T6 level' (EMG sharp "
               "waves in both iliopsoas are one region, so emg_denervation is not entered; no duration is given)"},
    ("second", "mscc-renal-71m"): {
        "add": {"duration": "days"}, "why": "leg weakness 'for a day' after three weeks of back pain (the leg complaint counts)"},
    ("second", "cord-compression-myeloma-56m"): {
        "add": {"duration": "months", "brisk_reflexes": True, "sensory_level": True},
        "summary": "Examination found brisk reflexes with right ankle clonus, upgoing plantars and a sensory level at the costal margin.",
        "why": "Art of Urgent Care (re-read): 'Over the past three months ... he had developed bilateral lower-leg numbness and "
               "weakness'; 'reflexes were brisk bilaterally, with right ankle clonus, plantars were bilateral upgoing, there was a "
               "sensory level upto the level of the costal margin'"},
    ("second", "ms-cord-22m"): {
        "truth": MS, "add": {"duration": "days", "sensory_level": True, "brisk_reflexes": True},
        "summary": "Examination found a sensory level at T10 and hyperreflexia with bilateral Babinski signs.",
        "why": "Cureus 2025 abstract (re-read): MS; deficits 'developing over five days'; 'sensory level at T10, and hyperreflexia "
               "with bilateral Babinski signs'"},
    ("second", "ms-feet-numb-32f"): {
        "truth": MS, "add": {"duration": "days"}, "why": "WSU (re-read): '6 days of bilateral ascending numbness'"},
}

_SERIES = "a study's or criteria's typical patient: no time course, examination or new id for one patient"
_ABSTRACT = "the source (an abstract or summary) states no time course, examination sign, new test, risk factor or symptom id"

#: (suite, vignette id) -> why the re-read added nothing
NOTHING_NEW = {
    **{("main", v): _ABSTRACT for v in (
        "neuropathy-b12-metformin-01", "neuropathy-taxane-01", "neuropathy-paclitaxel-fall-01", "neuropathy-diabetic-feet-pain-01",
        "spinal-disc-bmj-endgames-01", "medication-mirtazapine-rls-jcp-01", "medication-mirtazapine-rls-korean-01",
        "medication-escitalopram-rls-01", "medication-citalopram-rls-01", "electrolytes-ppi-hypomg-tremor-01",
        "electrolytes-ppi-rabeprazole-tremor-01", "stress-fasics-personal-01", "benign-fasciculation-doctor-bmj-01",
        "null-cauda-equina-retention-01", "null-mscc-prostate-cancer-01")},
    ("main", "neuropathy-treatment-induced-diabetes-01"):
        "symptoms began eight weeks after insulin, but the time to presentation is not given; EMG confirmed a polyneuropathy "
        "(not denervation in two regions)",
    ("main", "medication-mirtazapine-rls-elderly-01"):
        "onset two days after the dose increase; the time to assessment is not given",
    **{("main", v): _SERIES for v in (
        "medication-mirtazapine-rls-series-01", "stress-bfs-health-anxiety-01", "stress-gad-criteria-01", "rls-irlssg-criteria-01",
        "rls-ida-iv-iron-series-01", "rls-pregnancy-cohort-01", "rls-pregnancy-saudi-01", "rls-hemodialysis-fatigue-01",
        "rls-hemodialysis-iran-01", "rls-hemodialysis-saudi-01", "benign-fasciculation-healthy-population-01",
        "benign-fasciculation-review-01", "phantom-vibration-medical-staff-01", "phantom-vibration-undergraduates-01",
        "phantom-vibration-interns-taiwan-01", "phantom-vibration-interns-india-01", "phantom-vibration-students-iran-01",
        "phantom-vibration-students-vietnam-01", "phantom-vibration-students-karachi-01",
        "phantom-vibration-medical-staff-pakistan-01")},
    ("main", "stress-panic-attack-criteria-01"): "panic attacks peak within minutes: not attacks of hours to days",
    **{("second", v): _ABSTRACT for v in (
        "neuropathy-b12-metformin", "neuropathy-diabetic-woman-55", "medication-mirtazapine-46m", "medication-mirtazapine-45m",
        "medication-mirtazapine-80f", "electrolytes-ppi-77m", "electrolytes-thiazide-paralysis", "stress-panic-after-gbs",
        "rls-nsf-nurse-34", "rls-brazil-57f-stroke", "ces-incomplete-retention", "ces-distal-53m")},
    **{("second", v): _SERIES for v in (
        "neuropathy-pdpn-survey", "neuropathy-statpearls", "neuropathy-aafp", "spinal-atlas", "spinal-suri-stenosis",
        "spinal-msd-stenosis", "medication-mirtazapine-series", "medication-akathisia", "medication-valproate-tremor",
        "medication-rottach-ssri", "electrolytes-hypokalaemia-statpearls", "stress-dsm5-gad", "stress-internal-tremor",
        "rls-irlssg-criteria", "rls-pregnancy", "rls-iron-deficiency-anaemia", "rls-haemodialysis", "benign-reed-kurland",
        "benign-turner-talbot", "benign-health-anxiety", "phantom-rothberg", "phantom-drouin", "phantom-resident-left-leg",
        "phantom-resident-sitting", "phantom-hamdan")},
    ("second", "stress-dsm5-panic"): "panic attacks peak within minutes: not attacks of hours to days",
    ("second", "stress-harrison-panic"): "episodes of 10-60 minutes: not attacks of hours to days",
}

NOTE = (
    " Re-read for KB 2027b (issue 22 part 5) from the sources, before the new model was run on the cases: cases of motor "
    "neurone disease, Guillain-Barre syndrome and multiple sclerosis moved from the group neurological_disease to the disease "
    "their source names; duration, examination signs, the new tests, risk factors and symptoms added only where the source "
    "states them; splits kept, red_flag recomputed by the knowledge base's rules; tools/vignettes_reread_2027b.py lists every "
    "amendment and what its source states, and why each other case gained nothing."
)


def apply(suite, cases):
    """Apply the amendments of ``suite`` to the case dicts (after the 2026.12.1 re-read) in place.

    Refuses an unknown id, a case listed both as amended and as unchanged, a case of the suite listed
    nowhere, evidence that would overwrite an id the case already has, and a truth change of a case
    whose truth is not the group ``neurological_disease`` or to a cause outside the group. Recomputes
    ``red_flag`` with the packaged knowledge base's red-flag rules.
    """
    import twitchnet
    from twitchnet import redflags

    model = twitchnet.load_model()
    members = {m for g in model.kb.groups if g.id == GROUP for m in g.members}
    by_id = {c["id"]: c for c in cases}
    mine = {vid: a for (s, vid), a in AMENDMENTS.items() if s == suite}
    quiet = {vid for (s, vid) in NOTHING_NEW if s == suite}
    for label, ids in (("amendments", set(mine)), ("NOTHING_NEW", quiet)):
        unknown = ids - set(by_id)
        if unknown:
            raise SystemExit(f"{label} for unknown vignettes: {sorted(unknown)}")
    if set(mine) & quiet:
        raise SystemExit(f"both amended and unchanged: {sorted(set(mine) & quiet)}")
    unread = set(by_id) - set(mine) - quiet
    if unread:
        raise SystemExit(f"not recorded as re-read: {sorted(unread)}")
    for vid, a in mine.items():
        c = by_id[vid]
        new = {**a["add"], **a.get("missed", {})}
        clash = set(new) & set(c["evidence"])
        if clash:
            raise SystemExit(f"{vid}: already has {sorted(clash)}")
        c["evidence"] = {**c["evidence"], **new}
        if "truth" in a:
            if c["truth"] != GROUP or a["truth"] not in members:
                raise SystemExit(f"{vid}: truth {c['truth']} -> {a['truth']} is not group -> member")
            c["truth"] = a["truth"]
        c["acceptable"] = [x for x in c["acceptable"] if x != c["truth"]]
        if "summary" in a:
            c["summary"] = c["summary"].rstrip() + " " + a["summary"]
    for c in cases:
        enc = model.encode(c["evidence"])
        c["red_flag"] = bool(redflags.evaluate(model.kb, enc.true_flags))
    return cases
