RLS4 = {"urge_to_move": True, "worse_at_rest": True, "relieved_by_movement": True, "worse_in_evening": True}
# ---------------- rls ----------------
v("rls-irlssg-criteria-01",
  "Allen RP, Picchietti DL, Garcia-Borreguero D, et al. Restless legs syndrome/Willis-Ekbom disease diagnostic criteria: updated International Restless Legs Syndrome Study Group (IRLSSG) consensus criteria - history, rationale, description, and significance. Sleep Med 2014;15(8):860-873. doi:10.1016/j.sleep.2014.03.025",
  "diagnostic_criteria",
  "A typical person meeting the five IRLSSG essential criteria: an urge to move the legs, usually with unpleasant sensations, that starts or worsens with rest, is partly or fully relieved by movement such as walking or stretching, and occurs only or mainly in the evening or night, and is not explained by another condition.",
  dict(RLS4),
  "rls", [], "routine")

v("rls-iron-deficiency-anaemia-01",
  "Iron deficiency anemia as a trigger for restless legs syndrome (poster abstract: general-practice case of a 35-year-old Aboriginal man), as summarised by Medznat, https://www.medznat.ru/index.php/en/science/case-studies/iron-deficiency-anemia-as-a-trigger-for-restless-l (original authors and meeting not shown on the stored page).",
  "case_report",
  "A 35-year-old Aboriginal man at a routine health check mentioned several months of restlessness in his legs, worse at night and disturbing his sleep. It had started suddenly and then slowly got worse. Blood tests unexpectedly showed severe iron-deficiency anaemia; restless legs syndrome secondary to iron deficiency was diagnosed and improved markedly with iron replacement.",
  {"age": 35, "sex": "male", "iron_deficiency": True, "worse_in_evening": True, "sleep_disturbance": True,
   "sudden_onset": True},
  "rls", [], "routine")

v("rls-ida-iv-iron-series-01",
  "Mehmood T, Auerbach M, Earley CJ, Allen RP. Response to intravenous iron in patients with iron deficiency anemia (IDA) and restless leg syndrome (Willis-Ekbom disease). Sleep Med 2014;15(12):1473-1476.",
  "case_series",
  "A consecutive series of 60 patients with restless legs syndrome and iron-deficiency anaemia, assessed before and 7-12 months after a 1000 mg intravenous iron infusion. Restless legs symptoms improved in 76% of the 42 followed up.",
  {"iron_deficiency": True},
  "rls", [], "routine")

v("rls-pregnancy-cohort-01",
  "Dunietz GL, Lisabeth LD, Shedden K, Shamim-Uzzaman QA, Bullough AS, Chames MC, Bowden MF, O'Brien LM. Restless legs syndrome and sleep-wake disturbances in pregnancy. J Clin Sleep Med 2017;13(7):863-870. doi:10.5664/jcsm.6654",
  "case_series",
  "A cohort of 1563 women in the third trimester; 36% had restless legs syndrome by IRLSSG standardized criteria. Compared with women without RLS, those with it more often had poor sleep quality, excessive daytime sleepiness and poor daytime function. The entry describes the typical pregnant woman with RLS in this cohort.",
  dict(RLS4, sex="female", pregnancy=True, sleep_disturbance=True, fatigue=True),
  "rls", [], "routine")

v("rls-pregnancy-saudi-01",
  "Almeneessie AS, Alyousefi N, Alzahrani M, Alsafi A, Alotaibi R, Olaish AH, Sabr Y, Bahammam AS. Prevalence of restless legs syndrome among pregnant women: a case-control study. Ann Thorac Med 2020;15(1):9-14. doi:10.4103/atm.ATM_206_19",
  "case_series",
  "742 pregnant Saudi women were interviewed face to face using the IRLSSG criteria; 30% had RLS, a quarter of them severe or very severe. Independent predictors included parity, anaemia, diabetes, vitamin D deficiency and smoking. None had been diagnosed in antenatal clinics.",
  dict(RLS4, sex="female", pregnancy=True),
  "rls", [], "routine")

v("rls-hemodialysis-fatigue-01",
  "Giannaki CD, Hadjigavriel M, Lazarou A, Michael A, Damianou L, Atmatzidis E, Stefanidis I, Hadjigeorgiou GM, Sakkas GK, Pantzaris M. Restless legs syndrome is contributing to fatigue and low quality of life levels in hemodialysis patients. World J Nephrol 2017;6(5):236-242. doi:10.5527/wjn.v6.i5.236",
  "case_series",
  "Among 85 haemodialysis patients, the 23 with restless legs syndrome had more fatigue, poorer sleep quality, more depressive symptoms and worse quality of life than those without; 43.5% also had symptoms during dialysis.",
  {"kidney_disease": True, "fatigue": True, "sleep_disturbance": True},
  "rls", [], "routine")

v("rls-hemodialysis-iran-01",
  "Beladi-Mousavi SS, Jafarizade M, Shayanpour S, Bahadoram M, Moosavian SM, Houshmand G. Restless legs syndrome: associated risk factors in hemodialysis patients. Nephro-Urol Mon 2015;7(6):e31967. doi:10.5812/numonthly.31967",
  "case_series",
  "139 patients on maintenance haemodialysis in south-west Iran (mean age 51.8 years) were assessed with the IRLSSG diagnostic criteria; 15.8% had RLS, half of them severe or very severe, and RLS was linked to longer time on dialysis. Age is the sample mean.",
  dict(RLS4, age=51.8, kidney_disease=True),
  "rls", [], "routine")

v("rls-hemodialysis-saudi-01",
  "Wali SO, Alkhouli AF. Restless legs syndrome among Saudi end-stage renal disease patients on hemodialysis. Saudi Med J 2015;36(2):204-210. doi:10.15537/smj.2015.2.10036",
  "case_series",
  "355 haemodialysis patients in Jeddah were interviewed with the IRLSSG questionnaire; 19.4% had RLS, mostly moderate to severe. It was an important cause of disturbed sleep and was linked to excessive daytime sleepiness and obstructive sleep apnoea.",
  dict(RLS4, kidney_disease=True, sleep_disturbance=True),
  "rls", [], "routine")

# ---------------- benign twitching ----------------
v("benign-fasciculation-mayo-series-01",
  "Blexrud MD, Windebank AJ, Daube JR. Long-term follow-up of 121 patients with benign fasciculations. Ann Neurol 1993;34(4):622-625 (details as summarised on aboutbfs.com and healthjade.com).",
  "case_series",
  "121 Mayo Clinic patients diagnosed with benign fasciculations had a normal neurological examination and EMG apart from fasciculation potentials. Many had noticed twitching in their leg muscles and feared ALS; 40 worked in health care and 19 dated the onset to a viral illness. At telephone follow-up 2-32 years later, none had developed motor neurone disease.",
  {"twitching": True, "muscle_weakness": False, "muscle_wasting": False},
  "benign_twitching", [], "self_care")

v("benign-fasciculation-prospective-01",
  "A prospective study of benign fasciculation syndrome (abstract S45.007). Neurology 2017;88(16 Suppl):S45.007. https://n.neurology.org/content/88/16_Supplement/S45.007 (authors not shown on the stored page).",
  "case_series",
  "34 patients with fasciculations, no weakness or wasting and a normal EMG apart from fasciculations were followed for two years. 34% were women and 34% had a medical background. Tingling (71%), cramps (65%), numbness (47%) and subjective weakness (35%) were common. At 12 months 95% still had fasciculations, and none developed motor neurone disease.",
  {"twitching": True, "cramps": True, "tingling": True, "muscle_weakness": False, "muscle_wasting": False},
  "benign_twitching", [], "routine")

v("benign-cramp-fasciculation-footballer-01",
  "Dikmen PY, et al. A case with cramp-fasciculation syndrome (Kramp-fasikulasyon sendromlu bir olgu). J Clin Anal Med 2013. doi:10.4328/JCAM.1392",
  "case_report",
  "A 27-year-old professional footballer had three years of cramps and fasciculations in both calves (gastrocnemius-soleus). After laboratory and electrophysiological work-up he was diagnosed with cramp-fasciculation syndrome, a benign peripheral nerve hyperexcitability disorder.",
  {"age": 27, "sex": "male", "twitching": True, "cramps": True, "heavy_exercise": True, "one_leg_only": False},
  "benign_twitching", [], "routine")

v("benign-cramp-fasciculation-athletes-01",
  "Rubin DA, Gravlee JR, Hatch RL. Cramp fasciculation syndrome in athletes: a report of two cases. Clinical Case Reports and Reviews (OAText). doi:10.15761/CCRR.1000466",
  "case_series",
  "Two athletes with cramp-fasciculation syndrome: muscle cramps brought on by exertion together with fasciculations. Examination was normal with no weakness or wasting, and the cramps were attributed to peripheral nerve hyperexcitability rather than fatigue or electrolyte deficiency. Gabapentin reduced the cramping.",
  {"twitching": True, "cramps": True, "heavy_exercise": True, "muscle_weakness": False, "muscle_wasting": False},
  "benign_twitching", [], "routine")

v("benign-fasciculation-doctor-bmj-01",
  "Graham A. Twitched. BMJ 2004;329(7469):766. PMCID PMC520995.",
  "case_report",
  "A doctor noticed visible twitches in his right calf, and within a week they were in both legs. A close relative had an undiagnosed progressive disorder of the anterior horn cells, so he became convinced he had motor neurone disease, felt his fitness was failing, and his sleep and work suffered. Neurological assessment and neurophysiology showed benign fasciculations.",
  {"twitching": True, "one_leg_only": False, "progressive_spread": True, "anxiety": True,
   "sleep_disturbance": True, "family_history_neuro": True},
  "benign_twitching", ["stress"], "urgent")

v("benign-fasciculation-healthy-population-01",
  "Reed DM, Kurland LT. Muscle fasciculations in a healthy population. Arch Neurol 1963;9:363. doi:10.1001/archneur.1963.00460100051005 (finding as summarised by Blexrud et al., Ann Neurol 1993, on aboutbfs.com, and cited by Blackman et al., Psychosomatics 2019).",
  "case_series",
  "Population survey in which about 70% of healthy people reported often noticing spontaneous muscle twitches, especially those with medical training. The entry describes the typical healthy person with occasional twitches and nothing else.",
  {"twitching": True},
  "benign_twitching", [], "self_care")

v("benign-fasciculation-review-01",
  "Mattiuzzi C, Lippi G. Clinical progression of benign fasciculation syndrome: a systematic literature review. Neurol Sci 2024. doi:10.1007/s10072-024-07867-0",
  "case_series",
  "Pooled analysis of three studies of benign fasciculation syndrome (180 patients, 78% men). Fasciculations persisted in 98% from 8 months to several years after diagnosis, improved in about half and worsened in 4%, and no patient developed motor neurone disease. (Its patients partly overlap with the Mayo series.)",
  {"twitching": True},
  "benign_twitching", [], "self_care")
