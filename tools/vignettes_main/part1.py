V = []
def v(id, source, source_type, summary, evidence, truth, acceptable, triage):
    V.append(dict(id=id, source=source, source_type=source_type, summary=summary,
                  evidence=evidence, truth=truth, acceptable=acceptable, expected_triage=triage))

# ---------------- neuropathy ----------------
v("neuropathy-b12-vegetarian-01",
  "Case report of vitamin B12 deficiency in a strict vegetarian, BMC Research Notes 2015 (Springer/BioMed Central), doi:10.1186/s13104-015-1437-9, https://link.springer.com/10.1186/s13104-015-1437-9 (article title and author list were not captured from the stored page).",
  "case_report",
  "A 66-year-old Sri Lankan woman, strictly vegetarian for 20 years, had a month of numbness and tingling in both legs with an unsteady gait. She had no urinary or faecal incontinence, no diabetes and did not drink alcohol. Examination showed stocking-type sensory impairment to mid-shin with absent joint-position and vibration sense in both legs; the report attributes her presentation to vitamin B12 deficiency.",
  {"age": 66, "sex": "female", "numbness": True, "tingling": True, "trouble_walking": True,
   "stocking_distribution": True, "bladder_or_bowel_change": False, "diabetes": False,
   "heavy_alcohol": False, "b12_deficiency": True},
  "neuropathy", [], "urgent")

v("neuropathy-b12-metformin-01",
  "Bell DSH. Metformin-induced vitamin B12 deficiency presenting as a peripheral neuropathy. South Med J 2010;103(3):265-267. doi:10.1097/SMJ.0b013e3181ce0e4d (abstract and MeSH read on PubMed, http://pubmed.ncbi.nlm.nih.gov/20134380/).",
  "case_report",
  "An older man with type 2 diabetes on long-term metformin developed a peripheral neuropathy that turned out to be due to metformin-induced vitamin B12 deficiency rather than diabetic neuropathy (the abstract gives no age or symptom detail beyond the neuropathy).",
  {"sex": "male", "diabetes": True, "b12_deficiency": True},
  "neuropathy", ["medication"], "routine")

v("neuropathy-taxane-01",
  "Maxwell C. Quality-of-life considerations with taxane-based therapy in metastatic breast cancer: a case vignette. Clin J Oncol Nurs 2013;17(1 Suppl). https://cjon.ons.org/cjon/17/1/supplement/quality-life-considerations-taxane-based-therapy-metastatic-breast-cancer/html/full",
  "case_report",
  "A 78-year-old woman treated with taxane chemotherapy for metastatic breast cancer developed taxane-induced peripheral neuropathy; the vignette stresses long-lasting numbness together with pain and fatigue that limited her daily activities.",
  {"age": 78, "sex": "female", "chemotherapy": True, "numbness": True, "fatigue": True},
  "neuropathy", [], "routine")

v("neuropathy-paclitaxel-fall-01",
  "Chan JTK, Jones E. Chemotherapy: adding to the risk of falls? Journal of Pharmacy Practice and Research 2017. doi:10.1002/jppr.1267 (abstract, https://zendy.io/title/10.1002/jppr.1267).",
  "case_report",
  "A generally healthy 70-year-old woman fell after several cycles of paclitaxel for early breast cancer. Progressively worsening paclitaxel-induced peripheral neuropathy and fatigue were judged the main causes of the fall, and paclitaxel was stopped early.",
  {"age": 70, "sex": "female", "chemotherapy": True, "trouble_walking": True, "fatigue": True,
   "progressive_spread": True},
  "neuropathy", [], "urgent")

v("neuropathy-treatment-induced-diabetes-01",
  "'When diabetes hurts' (case poster, Diabetes/Prediabetes/Hypoglycemia category), American Association of Clinical Endocrinology (AACE) annual meeting, poster ID 200892; https://am.aace.com/ajaxcalls/PosterInfo.asp?PosterID=200892 (authors not shown on the stored page).",
  "case_report",
  "A 30-year-old man with newly diagnosed type 1 diabetes (HbA1c 15.7%) was started on basal-bolus insulin. Eight weeks later, as his HbA1c fell quickly, he developed tingling in both legs with numbness and burning in his feet; electromyography confirmed a sensorimotor polyneuropathy, diagnosed as treatment-induced neuropathy of diabetes (insulin neuritis).",
  {"age": 30, "sex": "male", "diabetes": True, "recent_medication_change": True, "tingling": True,
   "numbness": True, "burning_pain": True, "stocking_distribution": True},
  "neuropathy", ["medication"], "routine")

v("neuropathy-alcohol-textbook-01",
  "Taylor DC (author), Berman SA (chief editor). Alcohol (ethanol) related neuropathy: clinical presentation. Medscape eMedicine, updated 7 Sep 2021. https://emedicine.medscape.com/article/1174146-clinical",
  "textbook_example",
  "Textbook description of the typical patient with alcohol-related neuropathy: after long heavy drinking, slowly progressive symptoms over months begin with numbness of the soles, then unpleasant sensations in the feet and legs that are worse at night; pins and needles can progress to burning pain, spreading upwards symmetrically in a stocking (later glove) pattern.",
  {"heavy_alcohol": True, "numbness": True, "tingling": True, "burning_pain": True,
   "worse_in_evening": True, "stocking_distribution": True},
  "neuropathy", [], "routine")

v("neuropathy-diabetic-feet-pain-01",
  "Fuino R, Tandan R, Waheed W. A 55-year-old diabetic woman with feet pain. Chapter in a Springer clinical case book (book title and year not shown on the stored page). doi:10.1007/978-3-030-46675-6_40 (chapter preview, https://rd.springer.com/chapter/10.1007%2F978-3-030-46675-6_40).",
  "textbook_example",
  "Teaching case of a 55-year-old woman with diabetes presenting with pain in her feet, used to illustrate diabetic distal sensory polyneuropathy (the preview gives no further symptom detail).",
  {"age": 55, "sex": "female", "diabetes": True},
  "neuropathy", [], "routine")
