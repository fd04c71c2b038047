# ---------------- electrolytes ----------------
v("electrolytes-ppi-hypomg-gp-01",
  "Newson L. Case study: an unusual side-effect of a PPI medication. GP (gponline.com), article 944880. https://www.gponline.com/case-study-unusual-side-effect-ppi-medication/article/944880",
  "case_report",
  "A 68-year-old retired shopkeeper had two weeks of worsening pins and needles in her hands, intermittent leg cramps that were worse at night, and light-headedness. She took omeprazole and drank about two units of alcohol a week. Carpopedal spasm appeared during a blood pressure check; she was admitted, and serum magnesium was 0.32 mmol/l, attributed to omeprazole. Symptoms settled after omeprazole was stopped.",
  {"age": 68, "sex": "female", "ppi": True, "tingling": True, "cramps": True, "worse_in_evening": True,
   "heavy_alcohol": False},
  "electrolytes", ["medication"], "urgent")

v("electrolytes-ppi-hypomg-tremor-01",
  "Pawlukiewicz AJ, et al. Proton pump inhibitor-induced hypomagnesemia: a rare, potentially fatal complication. Cureus 2020;12(5):e8191. doi:10.7759/cureus.8191",
  "case_report",
  "A 77-year-old man came to the emergency department with tremor and difficulty walking and was found to have severe hypomagnesaemia needing admission; after work-up it was attributed to his proton-pump inhibitor.",
  {"age": 77, "sex": "male", "ppi": True, "tremor": True, "trouble_walking": True},
  "electrolytes", ["medication"], "urgent")

v("electrolytes-thiazide-hypok-paralysis-01",
  "Simo Guerrero O, Canas Alcantara I, Recasens Gracia MA, Gimenez-Perez G, Castells Fuste I. Secondary hypokalemic paralysis in adult with hypertension. Endocrinol Nutr 2015;62(6):290-291 (English edition, scientific letter).",
  "case_report",
  "A 62-year-old man with hypertension and obesity, on losartan/hydrochlorothiazide and a stimulant laxative, came to the emergency room with five days of weakness in both legs (worse on the left) that spread to the shoulder girdle and then the hands. He had no sensory or sphincter symptoms. Potassium was 2.1 mEq/L with raised creatine kinase; he had secondary hypokalaemic paralysis and recovered completely.",
  {"age": 62, "sex": "male", "diuretic": True, "muscle_weakness": True, "progressive_spread": True,
   "one_leg_only": False, "loss_of_sensation": False, "bladder_or_bowel_change": False},
  "electrolytes", ["medication"], "emergency")

v("electrolytes-ppi-hypomg-bmj-01",
  "Shabajee N, Lamb EJ, Sturgess I, Sumathipala RW. Omeprazole and refractory hypomagnesaemia. BMJ 2008;337:a425. doi:10.1136/bmj.39505.738981.BE",
  "case_report",
  "A 78-year-old woman was admitted with a COPD exacerbation accompanied by diarrhoea and vomiting. For several years she had had paraesthesia, numbness and weakness in her limbs, which had been put down to spinal stenosis. She had taken omeprazole 40 mg/day for seven years and was also on spironolactone. She had refractory hypokalaemia and hypocalcaemia from hypomagnesaemia, which resolved when omeprazole was withdrawn.",
  {"age": 78, "sex": "female", "ppi": True, "diuretic": True, "vomiting_or_diarrhea": True,
   "tingling": True, "numbness": True, "muscle_weakness": True},
  "electrolytes", ["spinal", "medication"], "urgent")

v("electrolytes-ppi-hypomg-paraesthesia-01",
  "Case abstract: severe hypomagnesaemia with long-term omeprazole in a 75-year-old man, ESA-SRB 2018 joint scientific meeting (Endocrine Society of Australia / Society for Reproductive Biology), abstract 54269, https://esa-srb-2018.p.asnevents.com.au/days/2018-08-20/abstract/54269 (authors not shown on the stored page).",
  "case_report",
  "A 75-year-old man on omeprazole 40 mg daily for years, with long-standing mild intermittent diarrhoea after a partial colectomy and not on diuretics, was admitted with tingling around the mouth and in the hands and feet. Magnesium was 0.17 mmol/L with low calcium and potassium; it had been low ever since omeprazole was started. He had stopped his magnesium supplements the week before.",
  {"age": 75, "sex": "male", "ppi": True, "tingling": True, "vomiting_or_diarrhea": True,
   "diuretic": False},
  "electrolytes", ["medication"], "urgent")

v("electrolytes-ppi-tetany-01",
  "Sivakumar J. Proton pump inhibitor-induced hypomagnesaemia and hypocalcaemia: case review. Int J Physiol Pathophysiol Pharmacol 2016;8(4):169-174.",
  "case_report",
  "A 91-year-old man who had taken a proton-pump inhibitor for 18 months presented with tetany from severe hypomagnesaemia and hypocalcaemia. It resolved once the PPI was stopped and magnesium and calcium were replaced.",
  {"age": 91, "sex": "male", "ppi": True, "cramps": True},
  "electrolytes", ["medication"], "urgent")

v("electrolytes-ppi-rabeprazole-tremor-01",
  "Hypomagnesemia associated with a proton pump inhibitor. Intern Med 2012;51(16):2231-2234. doi:10.2169/internalmedicine.51.7748, PMID 22892510 (authors not shown on the stored PubMed page).",
  "case_report",
  "A 64-year-old Japanese man who had taken rabeprazole 10 mg/day for five years was admitted with nausea, arthritis of both ankles and tremor of the limbs, and had a convulsion three days later. Severe hypomagnesaemia was found, and he recovered after rabeprazole was stopped and the electrolytes corrected.",
  {"age": 64, "sex": "male", "ppi": True, "tremor": True},
  "electrolytes", ["medication"], "urgent")

v("electrolytes-alcohol-vomiting-tetany-01",
  "'Stiff, numb hands' (symptoms-to-diagnosis clinical case), as published on MDedge, https://mdedge9-beta.mdedge.com/content/stiff-numb-hands (journal and authors not shown on the stored page).",
  "case_report",
  "A 45-year-old woman had a day of cramps and pins and needles in both hands and feet. After an argument with her daughter she felt anxious, breathless and had palpitations, with generalised weakness, fatigue, body aches, nausea and repeated vomiting. She smoked and was alcohol-dependent. She had carpopedal spasm and positive Trousseau and Chvostek signs; the diagnosis was latent tetany from low calcium, magnesium and potassium due to alcohol misuse and vomiting.",
  {"age": 45, "sex": "female", "tingling": True, "cramps": True, "anxiety": True, "palpitations": True,
   "muscle_weakness": True, "fatigue": True, "vomiting_or_diarrhea": True, "heavy_alcohol": True,
   "recent_stress": True},
  "electrolytes", ["stress"], "urgent")

# ---------------- stress ----------------
v("stress-fasics-series-01",
  "Simon NG, Kiernan MC. Fasciculation anxiety syndrome in clinicians. J Neurol 2013;260(7):1743-1747. doi:10.1007/s00415-013-6856-8 (PMID 23400500).",
  "case_series",
  "Twenty clinicians presenting with fasciculations were followed prospectively. Seventy per cent had 'fasciculation anxiety syndrome in clinicians' (FASICS): symptomatic twitching, mostly in the legs, with anxiety about ALS, no weakness on examination and normal nerve studies apart from simple fasciculations. Exercise, stress, fatigue and caffeine were common triggers. The entry describes the typical FASICS patient.",
  {"twitching": True, "anxiety": True, "muscle_weakness": False, "recent_stress": True,
   "high_caffeine": True, "heavy_exercise": True},
  "stress", ["benign_twitching"], "routine")

v("stress-fasics-personal-01",
  "Vercueil L. First-person account of fasciculation anxiety syndrome in clinicians (FASICS), Neurology, Grenoble University Hospital; full text as stored by ProQuest, https://www.proquest.com/docview/2463175686 (journal name not visible on the stored page; the account is also summarised in L. Melo's column of 20 August 2021).",
  "case_report",
  "A fit 47-year-old male neurologist, in a hectic and stressful work period with little sleep, heavy coffee drinking and marathon training, was woken at night by a strange feeling in his legs; it came back strongly two weeks later, and a colleague saw fasciculations in his legs. Convinced he had motor neurone disease, he could no longer sleep or relax, even after normal tests. It was later recognised as FASICS.",
  {"age": 47, "sex": "male", "twitching": True, "recent_stress": True, "poor_sleep": True,
   "high_caffeine": True, "heavy_exercise": True, "anxiety": True, "sleep_disturbance": True},
  "stress", ["benign_twitching"], "routine")

v("stress-bfs-health-anxiety-01",
  "Blackman G, Cherfi Y, Morrin H, Ellis CM, Bashford J, Ruths F, David AS. The association between benign fasciculations and health anxiety: a report of two cases and a systematic review of the literature. Psychosomatics 2019;60(5):499-507. doi:10.1016/j.psym.2019.04.001",
  "case_series",
  "Two patients with benign fasciculation syndrome who also had health anxiety disorder focused on motor neurone disease were both treated successfully with cognitive behavioural therapy and an antidepressant. The review of 384 patients found that BFS patients were usually men in their 30s or 40s, often clinicians, and that anxiety often accompanied the fasciculations.",
  {"twitching": True, "anxiety": True},
  "stress", ["benign_twitching"], "routine")

v("stress-hyperventilation-tetany-01",
  "Schneider D. Hyperventilation-induced tetany: a case report and brief review of the literature. Neurological Bulletin 2009;1:11-13. doi:10.7191/neurol_bull.2009.1002",
  "case_report",
  "A woman was driving when she suddenly had pins and needles in her hands and feet that spread within seconds over her whole body, including her face; about 30 seconds later she could not move her legs, then her arms, then her whole body. Voluntary hyperventilation reproduced the attack and she had a Chvostek sign with normal calcium, so the diagnosis was hyperventilation-induced tetany, which the author notes is often linked to anxiety.",
  {"sex": "female", "sudden_onset": True, "tingling": True, "muscle_weakness": True},
  "stress", [], "emergency")

v("stress-hyperventilation-exam-01",
  "More than 'just another conversion reaction!' A case of hyperventilation syndrome. Middle East Journal of Family Medicine, February 2004. http://mejfm.com/journal/MEJFM%20Feb%202004/Hyperventilation2.htm (authors not shown on the stored page).",
  "case_report",
  "A 26-year-old woman came to the emergency unit with four hours of spasms in her hands and feet, pins and needles over her whole body and one episode of vomiting; a milder episode had happened eight years earlier during her university entrance exam. She looked anxious and was breathing fast and deeply. Electrolytes were normal, and blood gases showed respiratory alkalosis, so the diagnosis was hyperventilation syndrome.",
  {"age": 26, "sex": "female", "tingling": True, "anxiety": True, "vomiting_or_diarrhea": True},
  "stress", [], "urgent")

v("stress-panic-attack-criteria-01",
  "American Psychiatric Association, DSM-5 criteria for panic attacks, as tabulated in Katzman MA, Bleau P, Blier P, Chokka P, Kjernisted K, Van Ameringen M, et al. Canadian clinical practice guidelines for the management of anxiety, posttraumatic stress and obsessive-compulsive disorders. BMC Psychiatry 2014;14(Suppl 1):S1, Table 11. https://bmcpsychiatry.biomedcentral.com/articles/10.1186/1471-244X-14-S1-S1/tables/11",
  "diagnostic_criteria",
  "The typical person meeting DSM-5 panic attack criteria has a sudden surge of intense fear or discomfort peaking within minutes, with at least four bodily symptoms; those relevant here are palpitations, trembling or shaking, and paraesthesias (numbness or tingling).",
  {"anxiety": True, "palpitations": True, "tremor": True, "tingling": True},
  "stress", [], "routine")

v("stress-gad-criteria-01",
  "American Psychiatric Association, DSM-5 diagnostic criteria for generalised anxiety disorder, as tabulated in Table 3 of an article in the British Journal of Sports Medicine, https://bjsm.bmj.com/highwire/markup/115288/expansion (article title and authors not shown on the stored page).",
  "diagnostic_criteria",
  "DSM-5 generalised anxiety disorder: excessive, hard-to-control anxiety and worry on most days for at least six months, with at least three of restlessness or feeling on edge, being easily tired, poor concentration, irritability, muscle tension and sleep disturbance. Only the required feature (anxiety) is entered, because the others are optional.",
  {"anxiety": True},
  "stress", [], "routine")
