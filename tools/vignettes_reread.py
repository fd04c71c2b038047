"""Issue 14 part 8: both vignette suites re-read from their sources for the vocabulary of KB 2026.12.1.

KB 2026.12.1 added a cause (``neurological_disease``), findings (``tetany``, ``perioral_tingling``,
``inner_restlessness``), test results (``low_magnesium``, ``low_potassium``,
``nerve_conduction_abnormal``, ``imaging_nerve_compression``), risk factors (``cancer_history``,
``fever``, ``unexplained_weight_loss``) and red flags (``breathing_difficulty``,
``face_or_vision_change``, ``cold_pale_leg``, ``swollen_calf``). Every vignette of both suites was
re-read against its source (the stored page or abstract its citation names; the ``search`` corpus
where the vignette's own summary was not enough) BEFORE the new model was run on them, and the
amendments below were written then. Rules followed:

* new-vocabulary evidence is added only where the published case states it (a reported serum
  magnesium or potassium, a nerve conduction or EMG result, an MRI or CT finding, carpopedal spasm,
  tingling around the mouth, akathisia, a cancer history, fever, weight loss, breathlessness, a
  face or vision change), and never for an id the vignette already has; an explicitly normal or
  denied item is entered False, as the original authors did;
* a vignette whose truth was outside the model (truth null) takes ``neurological_disease`` where its
  source's diagnosis is motor neurone disease, multiple sclerosis or myelitis, Guillain-Barre
  syndrome or a myopathy, and ``spinal`` for cauda equina syndrome and spinal cord compression
  (which then leaves its ``acceptable`` list); strokes stay outside the model (null): the cause's
  definition does not include them and the stroke red-flag rule is their pathway;
* splits are NOT redrawn: each builder draws the holdout third on the truths of 2026-11-25 and the
  amendments are applied afterwards, so every case keeps the split it had while the model was tuned;
* ``red_flag`` is recomputed from the evidence by the knowledge base's own red-flag rules (the
  loader checks it the same way); ``expected_triage`` (the original authors' judgement) is unchanged;
* nothing here was chosen by looking at a ranking: the cases were amended from their sources, then
  the model was run.

Used by tools/vignettes_main/build.py (suite "main") and tools/make_vignettes.py (suite "second").
"""

NEURO = "neurological_disease"

#: (suite, vignette id) -> amendment: ``add`` (new-vocabulary evidence), optionally ``truth`` and
#: ``acceptable`` (for a case that was outside the model), ``summary`` (a sentence appended to the
#: summary when the added fact was not in it) and ``why`` (what the source states)
AMENDMENTS = {
    # ------------------------------------------------------------------ main suite (77 cases)
    ("main", "neuropathy-treatment-induced-diabetes-01"): {
        "add": {"nerve_conduction_abnormal": True}, "why": "electromyography confirmed a sensorimotor polyneuropathy (poster)"},
    ("main", "neuropathy-taxane-01"): {"add": {"cancer_history": True}, "why": "treated for metastatic breast cancer"},
    ("main", "neuropathy-paclitaxel-fall-01"): {"add": {"cancer_history": True}, "why": "paclitaxel for early breast cancer"},
    ("main", "spinal-stenosis-physio-72f-01"): {
        "add": {"imaging_nerve_compression": True},
        "why": "MRI showed narrowing of the left L5-S1 foramina; the author attributes the pain to pressure on the exiting nerve root"},
    ("main", "electrolytes-ppi-hypomg-gp-01"): {
        "add": {"low_magnesium": True, "tetany": True}, "why": "serum magnesium 0.32 mmol/l; carpopedal spasm during a blood pressure check"},
    ("main", "electrolytes-ppi-hypomg-tremor-01"): {"add": {"low_magnesium": True}, "why": "severe hypomagnesaemia"},
    ("main", "electrolytes-thiazide-hypok-paralysis-01"): {"add": {"low_potassium": True}, "why": "potassium 2.1 mEq/L"},
    ("main", "electrolytes-ppi-hypomg-bmj-01"): {
        "add": {"low_magnesium": True, "low_potassium": True}, "why": "refractory hypokalaemia and hypocalcaemia from hypomagnesaemia"},
    ("main", "electrolytes-ppi-hypomg-paraesthesia-01"): {
        "add": {"low_magnesium": True, "low_potassium": True, "perioral_tingling": True},
        "why": "magnesium 0.17 mmol/L with low calcium and potassium; tingling around the mouth"},
    ("main", "electrolytes-ppi-tetany-01"): {"add": {"tetany": True, "low_magnesium": True}, "why": "tetany from severe hypomagnesaemia"},
    ("main", "electrolytes-ppi-rabeprazole-tremor-01"): {"add": {"low_magnesium": True}, "why": "severe hypomagnesaemia"},
    ("main", "electrolytes-alcohol-vomiting-tetany-01"): {
        "add": {"tetany": True, "low_magnesium": True, "low_potassium": True, "breathing_difficulty": True, "perioral_tingling": False, "fever": False},
        "summary": "She had no facial paraesthesia and her temperature was 37.1 C.",
        "why": "carpopedal spasm; low calcium, magnesium and potassium; shortness of breath with generalised weakness; no facial "
            "paresthesia; temperature 37.1 C (mdedge 'Stiff, numb hands')"},
    ("main", "stress-hyperventilation-exam-01"): {
        "add": {"tetany": True, "low_potassium": False}, "why": "spasms and flexion contractions of the hands and feet; laboratory analysis including electrolytes normal"},
    ("main", "benign-fasciculation-mayo-series-01"): {
        "add": {"nerve_conduction_abnormal": False}, "why": "normal EMG (the electrodiagnostic study) apart from fasciculation potentials"},
    ("main", "benign-fasciculation-prospective-01"): {
        "add": {"nerve_conduction_abnormal": False}, "why": "normal EMG apart from fasciculations was an entry criterion"},
    ("main", "null-mnd-limb-onset-bmj-01"): {
        "truth": NEURO, "add": {"imaging_nerve_compression": False}, "why": "motor neurone disease; MRI showed cervical spondylolisthesis sparing the cord"},
    ("main", "null-mnd-pulse-builder-01"): {"truth": NEURO, "add": {}, "why": "motor neurone disease"},
    ("main", "null-mnd-fasciculation-onset-mja-01"): {"truth": NEURO, "add": {}, "why": "motor neurone disease"},
    ("main", "null-als-bulbar-onset-01"): {"truth": NEURO, "add": {}, "why": "ALS (El Escorial and Awaji criteria)"},
    ("main", "null-cauda-equina-easily-missed-01"): {"truth": "spinal", "acceptable": [], "add": {}, "why": "cauda equina syndrome"},
    ("main", "null-cauda-equina-retention-01"): {
        "truth": "spinal", "acceptable": [], "add": {"imaging_nerve_compression": True}, "why": "cauda equina syndrome; MRI: L5-S1 disc compressing the cauda equina"},
    ("main", "null-gbs-atypical-ed-01"): {
        "truth": NEURO, "add": {"fever": False, "face_or_vision_change": False, "breathing_difficulty": False, "low_potassium": False},
        "summary": "He denied fever, visual change and shortness of breath, cranial nerves were normal, and the first labs, electrolytes included, were normal.",
        "why": "Guillain-Barre syndrome; denied fever, visual changes and shortness of breath; cranial nerves normal; all labs "
            "including electrolytes normal at the first visit (westjem.com case report)"},
    ("main", "null-gbs-fulminant-01"): {
        "truth": NEURO, "add": {"nerve_conduction_abnormal": True}, "why": "Guillain-Barre syndrome; nerve studies consistent with GBS"},
    ("main", "null-ms-sensory-photoclinic-01"): {"truth": NEURO, "add": {}, "why": "multiple sclerosis"},
    ("main", "null-ms-teaching-case-01"): {"truth": NEURO, "add": {}, "why": "multiple sclerosis (course's MS module)"},
    ("main", "null-mscc-renal-cancer-01"): {
        "truth": "spinal", "acceptable": [], "add": {"cancer_history": True, "imaging_nerve_compression": True},
        "why": "metastatic renal cancer; MRI: cord compression at L1"},
    ("main", "null-mscc-prostate-cancer-01"): {
        "truth": "spinal", "acceptable": [], "add": {"cancer_history": True, "imaging_nerve_compression": True},
        "why": "metastatic prostate cancer; MRI: mass compressing the cord at T9-T11"},
    ("main", "null-stroke-foot-drop-83m-01"): {
        "add": {"imaging_nerve_compression": False}, "why": "MRI of the whole spine showed only mild L4/5 stenosis (abstract, PMID 39758871)"},
    ("main", "null-stroke-foot-drop-74m-01"): {
        "add": {"cancer_history": False}, "summary": "He had no history of cancer.", "why": "no history of hypertension, diabetes, hypothyroidism, arthritis, cancer, hepatitis or stroke"},
    # ------------------------------------------------------------------ second suite (60 cases)
    ("second", "medication-akathisia"): {"add": {"inner_restlessness": True}, "why": "acute akathisia: an inner restlessness"},
    ("second", "electrolytes-ppi-77m"): {"add": {"low_magnesium": True}, "why": "severe hypomagnesaemia"},
    ("second", "electrolytes-ppi-68f"): {"add": {"low_magnesium": True}, "why": "magnesium 0.32 mmol/l"},
    ("second", "electrolytes-ppi-91m"): {"add": {"tetany": True, "low_magnesium": True}, "why": "tetany from severe hypomagnesaemia"},
    ("second", "electrolytes-ppi-74f"): {"add": {"low_magnesium": True, "low_potassium": True}, "why": "low magnesium, potassium and calcium"},
    ("second", "electrolytes-thiazide-paralysis"): {
        "add": {"low_potassium": True, "low_magnesium": True}, "why": "critical hypokalaemia and hypomagnesaemia"},
    ("second", "electrolytes-wjn-table"): {"add": {"low_magnesium": True, "low_potassium": True}, "why": "low magnesium, calcium and potassium"},
    ("second", "electrolytes-hypokalaemia-statpearls"): {
        "add": {"low_potassium": True}, "summary": "The sources describe hypokalaemia (serum potassium below 3.5 mmol/L).", "why": "the presentation of hypokalaemia"},
    ("second", "benign-blexrud"): {"add": {"nerve_conduction_abnormal": False}, "why": "normal EMG apart from fasciculation potentials"},
    ("second", "benign-bfs-cohort"): {"add": {"nerve_conduction_abnormal": False}, "why": "normal EMG apart from fasciculations was an entry criterion"},
    ("second", "ces-incomplete-retention"): {
        "truth": "spinal", "acceptable": [], "add": {"imaging_nerve_compression": True}, "why": "cauda equina syndrome; MRI: L5-S1 disc compressing the cauda equina"},
    ("second", "ces-distal-53m"): {"truth": "spinal", "acceptable": [], "add": {}, "why": "cauda equina syndrome from a sequestered disc"},
    ("second", "als-limb-54m"): {
        "truth": NEURO, "add": {"fever": False, "breathing_difficulty": False}, "summary": "He was afebrile and denied dyspnoea.",
        "why": "ALS; afebrile; denies dyspnea (NeuroCuro case)"},
    ("second", "gbs-51m"): {
        "truth": NEURO, "add": {"nerve_conduction_abnormal": True}, "summary": "A nerve conduction study showed a sensorimotor peripheral neuropathy.",
        "why": "Guillain-Barre syndrome; nerve conduction study: moderately severe sensorimotor neuropathy (nsrj.org)"},
    ("second", "gbs-61f"): {"truth": NEURO, "add": {}, "why": "Guillain-Barre syndrome"},
    ("second", "mscc-renal-71m"): {
        "truth": "spinal", "add": {"cancer_history": True, "imaging_nerve_compression": True}, "summary": "MRI showed cord compression at L1.",
        "why": "metastatic renal cancer; MRI: cord compression at L1"},
    ("second", "cord-compression-myeloma-56m"): {
        "truth": "spinal", "add": {"imaging_nerve_compression": True, "fever": False, "unexplained_weight_loss": False, "cancer_history": False},
        "summary": "He had no past medical history, fevers or weight loss; MRI showed a T7 tumour (plasmacytoma) compressing the cord.",
        "why": "no significant past history, no fevers or weight loss; MRI: T7 tumour mass causing cord compression (art-of-urgent-care)"},
    ("second", "ms-cord-22m"): {
        "truth": NEURO, "add": {"imaging_nerve_compression": False}, "summary": "Spinal MRI showed two intramedullary demyelinating lesions, no compression.",
        "why": "multiple sclerosis; spinal MRI: T2-hyperintense intramedullary lesions (PMC12774292)"},
    ("second", "ms-feet-numb-32f"): {"truth": NEURO, "add": {}, "why": "multiple sclerosis (course's MS module)"},
}

NOTE = (
    " Re-read for KB 2026.12.1 (issue 14 part 8) from the sources, before the new model was run on the cases: new-vocabulary "
    "evidence added only where the source states it, cases of motor neurone disease, multiple sclerosis and Guillain-Barre "
    "syndrome moved from truth null to neurological_disease and cauda equina syndrome and cord compression to spinal, "
    "splits kept, red_flag recomputed by the knowledge base's rules; tools/vignettes_reread.py lists every amendment and "
    "what its source states."
)


def apply(suite, cases):
    """Apply the amendments of ``suite`` to the case dicts (after the split is drawn) in place.

    Refuses an unknown id, evidence that would overwrite an id the case already has, and a truth
    change of a case that was not outside the model. Recomputes ``red_flag`` with the packaged
    knowledge base's red-flag rules.
    """
    import twitchnet
    from twitchnet import redflags

    model = twitchnet.load_model()
    by_id = {c["id"]: c for c in cases}
    mine = {vid: a for (s, vid), a in AMENDMENTS.items() if s == suite}
    missing = set(mine) - set(by_id)
    if missing:
        raise SystemExit(f"amendments for unknown vignettes: {sorted(missing)}")
    for vid, a in mine.items():
        c = by_id[vid]
        clash = set(a["add"]) & set(c["evidence"])
        if clash:
            raise SystemExit(f"{vid}: already has {sorted(clash)}")
        c["evidence"] = {**c["evidence"], **a["add"]}
        if "truth" in a:
            if c["truth"] is not None:
                raise SystemExit(f"{vid}: truth {c['truth']} was not outside the model")
            c["truth"] = a["truth"]
        if "acceptable" in a:
            c["acceptable"] = list(a["acceptable"])
        c["acceptable"] = [x for x in c["acceptable"] if x != c["truth"]]
        if "summary" in a:
            c["summary"] = c["summary"].rstrip() + " " + a["summary"]
    for c in cases:
        enc = model.encode(c["evidence"])
        c["red_flag"] = bool(redflags.evaluate(model.kb, enc.true_flags))
    return cases
