"""Write tests/data/vignettes_second_suite.json: a second, independently written vignette suite.

The packaged suite (src/twitchnet/data/vignettes.json, 77 cases) was researched and entered by a
separate author who never ran the model; its build scripts and notes are in tools/vignettes_main/.
This second suite (60 cases) was written by the lead from separate searches, also before any
evaluation, and is evaluated alongside it (README, tests/test_vignettes.py).

Evidence is entered only from what each source states. Splits: within each truth value (null
included), one third of the cases, chosen with random.Random(20261125), are "holdout"; they were
written before the model was evaluated on any of them, and the model was not changed afterwards.
Run: python tools/make_vignettes.py
"""

import json
import random
from pathlib import Path

RED_FLAGS = {"sudden_onset", "severe_intensity", "muscle_weakness", "loss_of_sensation", "trouble_walking", "neuro_history",
             "family_history_neuro", "muscle_wasting", "speech_or_swallowing", "saddle_numbness", "bladder_or_bowel_change", "progressive_spread"}


def V(id, source, source_type, summary, evidence, truth, expected_triage, acceptable=()):
    return dict(id=id, source=source, source_type=source_type, summary=summary, evidence=evidence, truth=truth,
                acceptable=list(acceptable), red_flag=any(evidence.get(f) is True for f in RED_FLAGS), expected_triage=expected_triage)


CASES = [
    # ---------------- neuropathy
    V("neuropathy-cbl-67", "NeuroCuro case-based learning: Peripheral neuropathy (a 67-year-old with progressive bilateral foot numbness and burning pain). http://neurocuro.com/case_library/peripheral_neuropathy.html", "textbook_example",
      "A 67-year-old with ten months of progressive numbness of both feet, symmetric sensory loss below the ankles and burning pain with allodynia; mild diabetes; no back pain and no bowel or bladder problems. Examination found distal leg atrophy with mild weakness.",
      {"age": 67, "numbness": True, "stocking_distribution": True, "burning_pain": True, "diabetes": True, "back_pain": False, "bladder_or_bowel_change": False, "muscle_wasting": True, "muscle_weakness": True}, "neuropathy", "routine"),
    V("neuropathy-igt-68", "Neuropathy case study: C.T., a 68-year-old man with impaired glucose tolerance and burning, tingling feet (Clinical Diabetes-style case study), as reproduced at http://jsvci.webz.cz/41-neuropathy-case-study.php", "case_report",
      "A 68-year-old man with impaired glucose tolerance noticed burning and tingling in his feet over three months; he uses no alcohol. Examination showed hyperaesthesia of both feet and reduced vibration sense.",
      {"age": 68, "sex": "male", "burning_pain": True, "tingling": True, "stocking_distribution": True, "heavy_alcohol": False}, "neuropathy", "routine"),
    V("neuropathy-b12-metformin", "Bell DSH. Metformin-induced vitamin B12 deficiency presenting as a peripheral neuropathy. South Med J 2010;103(3):265-7. doi:10.1097/SMJ.0b013e3181ce0e4d", "case_report",
      "An older man with type 2 diabetes on long-term metformin presented with a peripheral neuropathy found to be due to vitamin B12 deficiency.",
      {"sex": "male", "diabetes": True, "b12_deficiency": True}, "neuropathy", "routine"),
    V("neuropathy-diabetic-woman-55", "Fuino R, Tandan R, Waheed W. A 55-year-old diabetic woman with feet pain. In: case book chapter, Springer 2020. doi:10.1007/978-3-030-46675-6_40", "case_report",
      "A 55-year-old woman with diabetes presented with pain in her feet due to diabetic distal sensory polyneuropathy.",
      {"age": 55, "sex": "female", "diabetes": True, "stocking_distribution": True}, "neuropathy", "routine"),
    V("neuropathy-pdpn-survey", "Symptom profile of painful diabetic peripheral neuropathy (n=1,547): numbness 81%, tingling 69%, burning 54%. PMC8586277. https://www.ncbi.nlm.nih.gov/pmc/articles/PMC8586277/", "case_series",
      "The typical patient of a large survey of painful diabetic neuropathy: diabetes with numbness, tingling and burning pain in the feet.",
      {"diabetes": True, "numbness": True, "tingling": True, "burning_pain": True}, "neuropathy", "routine"),
    V("neuropathy-statpearls", "StatPearls: Diabetic Peripheral Neuropathy (updated 2024). https://www.ncbi.nlm.nih.gov/books/NBK442009/", "textbook_example",
      "A person with diabetes with numbness, tingling and burning in the feet, worse at night, as the textbook describes.",
      {"diabetes": True, "numbness": True, "tingling": True, "burning_pain": True, "worse_in_evening": True}, "neuropathy", "routine"),
    V("neuropathy-aafp", "Castelli G, Desai KM, Cantone RE. Peripheral neuropathy: evaluation and differential diagnosis. Am Fam Physician 2020;102:732-739.", "textbook_example",
      "Distal, symmetric numbness and tingling in a stocking distribution, without weakness, as the review describes the common presentation.",
      {"stocking_distribution": True, "numbness": True, "tingling": True, "muscle_weakness": False}, "neuropathy", "routine"),
    # ---------------- spinal
    V("spinal-stenosis-bmj-65", "BMJ Best Practice. Lumbar spinal stenosis: case history (a 65-year-old retired builder). https://bestpractice.bmj.com/topics/en-gb/191", "guideline_example",
      "A 65-year-old man with three years of low back pain and, for a year, pain and heaviness in both legs on walking, relieved by bending or sitting; his walking distance has shortened. No weakness or wasting.",
      {"age": 65, "sex": "male", "back_pain": True, "worse_on_walking": True, "one_leg_only": False, "muscle_weakness": False, "muscle_wasting": False}, "spinal", "routine"),
    V("spinal-l5-31", "L5 radiculopathy (disc herniation): teaching vignette of a 31-year-old man, as reproduced at https://neupsykey.com/l5-radiculopathy-disc-herniation", "textbook_example",
      "A 31-year-old man with a month of left buttock and low back pain shooting down the leg, without numbness, weakness or bladder or bowel problems.",
      {"age": 31, "sex": "male", "back_pain": True, "radiating_back_pain": True, "one_leg_only": True, "numbness": False, "muscle_weakness": False, "bladder_or_bowel_change": False}, "spinal", "routine"),
    V("spinal-atlas", "Konstantinou K et al., ATLAS cohort of back-related leg pain in primary care (2015): pain below the knee 67.5%, sciatica 74%; tingling or numbness in 65-70% of sciatica (Konstantinou 2019).", "case_series",
      "The typical primary-care patient with back-related leg pain: low back pain radiating down the leg with tingling.",
      {"back_pain": True, "radiating_back_pain": True, "tingling": True}, "spinal", "routine"),
    V("spinal-suri-stenosis", "Suri P, Rainville J, Kalichman L, Katz JN. Does this older adult with lower extremity pain have the clinical syndrome of lumbar spinal stenosis? JAMA 2010;304:2628-2636.", "diagnostic_criteria",
      "An older adult with leg symptoms brought on by walking and eased by sitting or bending forward (neurogenic claudication) and back pain, the features with the highest likelihood ratios for stenosis.",
      {"worse_on_walking": True, "back_pain": True}, "spinal", "routine"),
    V("spinal-msd-stenosis", "MSD Manual Professional Version: Lumbar spinal stenosis (2024). https://www.msdmanuals.com/professional/musculoskeletal-and-connective-tissue-disorders/neck-and-back-pain/lumbar-spinal-stenosis", "textbook_example",
      "Pain in the buttocks, thighs or calves on walking or standing, relieved by sitting or bending forward, with paraesthesias.",
      {"worse_on_walking": True, "tingling": True}, "spinal", "routine"),
    # ---------------- medication
    V("medication-mirtazapine-two-women", "Kim SW, Lee JY, Shin IS, Kim JM, Yang SJ, Yoon JS. A single low dose of mirtazapine can induce restless legs syndrome: report of two cases. Korean J Psychopharmacol 2005;16(2):169-173.", "case_report",
      "Two elderly women given mirtazapine 7.5 mg for depression and insomnia felt unpleasant restlessness and paraesthesia in their legs within hours, had to rub or move them, and could not sleep; it did not recur once the drug was stopped.",
      {"sex": "female", "antidepressant": True, "recent_medication_change": True, "urge_to_move": True, "relieved_by_movement": True, "sleep_disturbance": True, "tingling": True}, "medication", "routine", ["rls"]),
    V("medication-mirtazapine-46m", "A case of restless leg syndrome induced by mirtazapine in a patient with major depressive disorder. Korean J Psychopharmacol 2004;15(4):488-491. https://koreamed.org/SearchBasic.php?RID=2286989", "case_report",
      "A 46-year-old man with major depression developed typical restless legs from the start of mirtazapine; it resolved when the drug was stopped.",
      {"age": 46, "sex": "male", "antidepressant": True, "recent_medication_change": True, "urge_to_move": True}, "medication", "routine", ["rls"]),
    V("medication-mirtazapine-45m", "Restless legs syndrome induced by mirtazapine (letter; case of Mr A, a 45-year-old man), as reproduced at http://www.antidepressantsfacts.com/remeron-no-abstr-restless-legs-syndr.htm", "case_report",
      "A 45-year-old man admitted with depression, severe insomnia and anxiety developed deep paraesthesias in his legs at rest in bed, especially when trying to fall asleep, after mirtazapine was increased to 30 mg.",
      {"age": 45, "sex": "male", "antidepressant": True, "recent_medication_change": True, "anxiety": True, "sleep_disturbance": True, "tingling": True, "worse_at_rest": True, "worse_in_evening": True}, "medication", "routine", ["rls"]),
    V("medication-mirtazapine-80f", "Mirtazapine-induced restless legs syndrome treated with pramipexole. J Neuropsychiatry Clin Neurosci 2015. doi:10.1176/appi.neuropsych.13120357", "case_report",
      "An 80-year-old woman with depression and anxiety developed restlessness of her legs at the start of the night, relieved by stretching and disturbing her sleep, two days after mirtazapine was raised to 45 mg; iron and ferritin were normal.",
      {"age": 80, "sex": "female", "antidepressant": True, "recent_medication_change": True, "urge_to_move": True, "worse_in_evening": True, "relieved_by_movement": True, "sleep_disturbance": True, "anxiety": True, "iron_deficiency": False}, "medication", "routine", ["rls"]),
    V("medication-mirtazapine-series", "Kim SW et al. Factors potentiating the risk of mirtazapine-associated restless legs syndrome. Hum Psychopharmacol 2008;23:615-620.", "case_series",
      "Fourteen patients aged 43-80 developed or worsened restless legs after starting mirtazapine, most on the first day.",
      {"antidepressant": True, "recent_medication_change": True, "urge_to_move": True}, "medication", "routine", ["rls"]),
    V("medication-akathisia", "Sachdev P. The epidemiology of drug-induced akathisia: Part I. Acute akathisia. Schizophr Bull 1995;21:431-449.", "case_series",
      "Acute akathisia after starting an antipsychotic: an inner restlessness with an urge to move.",
      {"antipsychotic": True, "recent_medication_change": True, "urge_to_move": True}, "medication", "routine"),
    V("medication-valproate-tremor", "Zhang et al. Valproate-induced tremor: a systematic review and meta-analysis. Front Neurol 2020 (tremor in 14% of patients in trials).", "case_series",
      "A person taking valproate with a new tremor.",
      {"anticonvulsant": True, "tremor": True}, "medication", "routine"),
    V("medication-rottach-ssri", "Rottach KG, Schaner BM, Kirch MH, et al. Restless legs syndrome as side effect of second generation antidepressants. J Psychiatr Res 2008;43:70-75.", "case_series",
      "A new user of a second-generation antidepressant who develops restless legs in the first days of treatment.",
      {"antidepressant": True, "recent_medication_change": True, "urge_to_move": True}, "medication", "routine", ["rls"]),
    # ---------------- electrolytes
    V("electrolytes-ppi-77m", "Pawlukiewicz AJ et al. Proton pump inhibitor-induced hypomagnesemia: a rare, potentially fatal complication. Cureus 2020;12(5):e8191. doi:10.7759/cureus.8191", "case_report",
      "A 77-year-old man presented with tremor and difficulty walking and was found to have severe hypomagnesaemia from a proton-pump inhibitor.",
      {"age": 77, "sex": "male", "ppi": True, "tremor": True, "trouble_walking": True}, "electrolytes", "urgent"),
    V("electrolytes-ppi-68f", "Case study: an unusual side effect of PPI medication (Mrs H, a 68-year-old retired shopkeeper). GP online. https://www.gponline.com/case-study-unusual-side-effect-ppi-medication/article/944880", "case_report",
      "A 68-year-old woman on omeprazole had two weeks of worsening pins and needles and intermittent leg cramps worse at night; she drinks little alcohol. Her magnesium was very low.",
      {"age": 68, "sex": "female", "ppi": True, "tingling": True, "cramps": True, "worse_in_evening": True, "heavy_alcohol": False}, "electrolytes", "routine"),
    V("electrolytes-ppi-91m", "Sivakumar J. Proton pump inhibitor-induced hypomagnesaemia and hypocalcaemia: case review. Int J Physiol Pathophysiol Pharmacol 2016;8(4):169-174.", "case_report",
      "A 91-year-old man on a proton-pump inhibitor for 18 months presented with tetany from severe hypomagnesaemia and hypocalcaemia.",
      {"age": 91, "sex": "male", "ppi": True, "cramps": True}, "electrolytes", "urgent"),
    V("electrolytes-ppi-74f", "Zhao W, Zhang J, Jia H, et al. Proton pump inhibitor-induced hypomagnesemia, a rare cause of reversible delirium: a case report with literature review. Medicine (Baltimore) 2024;103(40):e39729.", "case_report",
      "A 74-year-old woman on omeprazole was admitted with nausea, vomiting, hand tremor and delirium; she had low magnesium, potassium and calcium.",
      {"age": 74, "sex": "female", "ppi": True, "vomiting_or_diarrhea": True, "tremor": True}, "electrolytes", "urgent"),
    V("electrolytes-thiazide-paralysis", "Schell E, Pathman J, Pescatore R, Bianchi PW. A case of thiazide-induced hypokalemic paralysis. West J Emerg Med. https://westjem.com/case-report/a-case-of-thiazide-induced-hypokalemic-paralysis.html", "case_report",
      "A patient with alcohol misuse who had been taking extra hydrochlorothiazide presented with weakness progressing to paralysis from critical hypokalaemia and hypomagnesaemia.",
      {"heavy_alcohol": True, "diuretic": True, "muscle_weakness": True}, "electrolytes", "emergency"),
    V("electrolytes-wjn-table", "Table 1 of: Proton pump inhibitor-associated hypomagnesemia (editorial). World J Nephrol 2012;1(6):151-154. doi:10.5527/wjn.v1.i6.151", "case_series",
      "A patient on omeprazole with muscle cramps and paraesthesia, found to have low magnesium, calcium and potassium.",
      {"ppi": True, "cramps": True, "tingling": True}, "electrolytes", "routine"),
    V("electrolytes-hypokalaemia-statpearls", "StatPearls: Hypokalemia; RCEM Learning: Hypokalaemia (cramps, fatigue and palpitations mainly below 3.0 mmol/L). https://www.ncbi.nlm.nih.gov/books/NBK482465/", "textbook_example",
      "A person taking a diuretic with muscle cramps, fatigue and palpitations.",
      {"diuretic": True, "cramps": True, "fatigue": True, "palpitations": True}, "electrolytes", "routine"),
    # ---------------- stress
    V("stress-dsm5-panic", "American Psychiatric Association. DSM-5, 2013: panic attack symptoms include palpitations, trembling and paresthesias.", "diagnostic_criteria",
      "Episodes of intense anxiety with palpitations, trembling and pins and needles.",
      {"anxiety": True, "palpitations": True, "tremor": True, "tingling": True}, "stress", "self_care"),
    V("stress-dsm5-gad", "American Psychiatric Association. DSM-5, 2013: generalized anxiety disorder (restlessness, fatigue, muscle tension, sleep disturbance).", "diagnostic_criteria",
      "Persistent worry with feeling on edge, tiredness and disturbed sleep.",
      {"anxiety": True, "fatigue": True, "sleep_disturbance": True}, "stress", "self_care"),
    V("stress-harrison-panic", "Kasper DL, Fauci AS, Hauser SL, et al (eds). Harrison's Principles of Internal Medicine, 19th ed. McGraw-Hill 2015, pp 2708-2709 (panic disorder), as used in an ABFM board question: https://www.timeofcare.com/panic-disorder/", "textbook_example",
      "A young adult with unpredictable episodes of palpitations, dizziness and paraesthesias lasting 10-60 minutes.",
      {"palpitations": True, "tingling": True, "anxiety": True}, "stress", "self_care"),
    V("stress-internal-tremor", "Internal tremor linked to anxiety by 73% of those who have it (Movement Disorders Society congress abstract, 2023), as recorded in twitchnet knowledge-sources.md section 2.", "case_series",
      "A feeling of trembling inside the legs that the person links to anxiety.",
      {"tremor": True, "anxiety": True}, "stress", "self_care"),
    V("stress-panic-after-gbs", "Panic disorder after acute inflammatory demyelinating polyneuropathy (letter; case of Ms A, a 34-year-old dance instructor). J Neuropsychiatry Clin Neurosci 2002;14(3):354. doi:10.1176/jnp.14.3.354", "case_report",
      "A 34-year-old woman who had recovered from Guillain-Barre syndrome developed panic attacks with tingling, fearing a relapse.",
      {"age": 34, "sex": "female", "neuro_history": True, "anxiety": True, "tingling": True}, "stress", "urgent"),
    # ---------------- rls
    V("rls-irlssg-criteria", "Allen RP, Picchietti DL, Garcia-Borreguero D, et al. Restless legs syndrome/Willis-Ekbom disease diagnostic criteria: updated IRLSSG consensus criteria. Sleep Med 2014;15:860-873.", "diagnostic_criteria",
      "An urge to move the legs, beginning or worsening at rest, worse in the evening, relieved by movement.",
      {"urge_to_move": True, "worse_at_rest": True, "worse_in_evening": True, "relieved_by_movement": True}, "rls", "routine"),
    V("rls-ida-35m", "Iron deficiency anemia as a trigger for restless legs syndrome (poster abstract: a 35-year-old Aboriginal man seen for a health check). https://www.medznat.ru/index.php/en/science/case-studies/iron-deficiency-anemia-as-a-trigger-for-restless-l", "case_report",
      "A 35-year-old man reported months of restlessness in his legs, worse at night, fragmenting his sleep and leaving him tired; the onset was sudden. Blood tests later showed severe iron deficiency anaemia.",
      {"age": 35, "sex": "male", "urge_to_move": True, "worse_in_evening": True, "sleep_disturbance": True, "fatigue": True, "sudden_onset": True}, "rls", "routine"),
    V("rls-chiropractic-42m", "Restless legs syndrome: a case report (a 42-year-old man presenting to a chiropractor). J Can Chiropr Assoc. https://pmc.ncbi.nlm.nih.gov/articles/PMC2391017/", "case_report",
      "A 42-year-old man with twitching and deep pressure in both legs and an uncomfortable urge to move them in the evening, after periods of rest, relieved by movement.",
      {"age": 42, "sex": "male", "twitching": True, "urge_to_move": True, "worse_in_evening": True, "worse_at_rest": True, "relieved_by_movement": True}, "rls", "routine"),
    V("rls-nsf-nurse-34", "National Sleep Foundation. A case study in restless leg syndrome (Darlene, a 34-year-old nurse). http://sleepdisorders.sleepfoundation.org/chapter-7-sleep-related-movement-disorders/restless-leg-syndrome/case-study/", "textbook_example",
      "A 34-year-old nurse with insomnia and leg discomfort in the evening with an urge to move, worse at rest and later in the day, partly relieved by moving; she drinks five cups of strong coffee a day and is exhausted.",
      {"age": 34, "sex": "female", "urge_to_move": True, "worse_at_rest": True, "worse_in_evening": True, "relieved_by_movement": True, "sleep_disturbance": True, "high_caffeine": True, "fatigue": True}, "rls", "routine"),
    V("rls-brazil-55f", "Restless legs syndrome: report of three cases from a Brazilian sleep medicine service (case 2). doi:10.1055/s-0045-1811902", "case_report",
      "A 55-year-old woman with diabetes, hypertension and sleep apnoea has had an uncontrollable urge to move her legs for ten years; no iron deficiency.",
      {"age": 55, "sex": "female", "diabetes": True, "iron_deficiency": False, "urge_to_move": True}, "rls", "routine"),
    V("rls-brazil-57f-stroke", "Restless legs syndrome: report of three cases from a Brazilian sleep medicine service (case 3). doi:10.1055/s-0045-1811902", "case_report",
      "A 57-year-old woman with a past ischaemic stroke and iron deficiency has had an uncontrollable urge to move her legs since the stroke.",
      {"age": 57, "sex": "female", "neuro_history": True, "iron_deficiency": True, "urge_to_move": True}, "rls", "urgent"),
    V("rls-pregnancy", "Chen SJ, Shi L, Bao YP, et al. Prevalence of restless legs syndrome during pregnancy: a systematic review and meta-analysis. Sleep Med Rev 2018;40:43-54.", "case_series",
      "A pregnant woman with an urge to move her legs in the evening.",
      {"sex": "female", "pregnancy": True, "urge_to_move": True, "worse_in_evening": True}, "rls", "routine"),
    V("rls-iron-deficiency-anaemia", "Allen RP, Auerbach S, Bahrain H, Auerbach M, Earley CJ. The prevalence and impact of restless legs syndrome on patients with iron deficiency anemia. Am J Hematol 2013;88:261-264.", "case_series",
      "A person with iron deficiency anaemia and an urge to move the legs that disturbs sleep.",
      {"iron_deficiency": True, "urge_to_move": True, "sleep_disturbance": True}, "rls", "routine"),
    V("rls-haemodialysis", "Beladi-Mousavi SS, Jafarizade M, Shayanpour S, et al. Restless legs syndrome: associated risk factors in hemodialysis patients. Nephrourol Mon 2015;7(6):e31967. doi:10.5812/numonthly.31967", "case_series",
      "A person on maintenance haemodialysis with an unpleasant sensation in the legs and an urge to move them.",
      {"kidney_disease": True, "urge_to_move": True}, "rls", "routine"),
    # ---------------- benign twitching
    V("benign-blexrud", "Blexrud MD, Windebank AJ, Daube JR. Long-term follow-up of 121 patients with benign fasciculations. Ann Neurol 1993;34:622-625.", "case_series",
      "Fasciculations without weakness; none developed motor neurone disease over 2-32 years.",
      {"twitching": True, "muscle_weakness": False}, "benign_twitching", "self_care"),
    V("benign-bfs-cohort", "Prospective study of benign fasciculation syndrome (n=34): tingling 71%, cramps 65%; AAN 2017 annual meeting abstract, as recorded in twitchnet knowledge-sources.md section 2.", "case_series",
      "Persistent twitching with tingling and cramps, without objective weakness.",
      {"twitching": True, "tingling": True, "cramps": True, "muscle_weakness": False}, "benign_twitching", "self_care"),
    V("benign-reed-kurland", "Reed DM, Kurland LT. Muscle fasciculations in a healthy population. Arch Neurol 1963;9:363-367.", "case_series",
      "A healthy person who notices muscle twitches.",
      {"twitching": True}, "benign_twitching", "self_care"),
    V("benign-turner-talbot", "Turner MR, Talbot K. Mimics and chameleons in motor neurone disease. Pract Neurol 2013;13:153-164.", "diagnostic_criteria",
      "Isolated fasciculations without weakness or wasting, for which reassurance is advised.",
      {"twitching": True, "muscle_weakness": False, "muscle_wasting": False}, "benign_twitching", "self_care"),
    V("benign-health-anxiety", "Blackman G, Cherfi Y, Morrin H, Ellis CM, Bashford J, Ruths F, David AS. The association between benign fasciculations and health anxiety: a report of two cases and a systematic review of the literature. Psychosomatics 2019.", "case_report",
      "Benign fasciculations in people with health anxiety about motor neurone disease.",
      {"twitching": True, "anxiety": True}, "benign_twitching", "self_care", ["stress"]),
    # ---------------- phantom vibration
    V("phantom-rothberg", "Rothberg MB, Arora A, Hermann J, et al. Phantom vibration syndrome among medical staff: a cross sectional survey. BMJ 2010;341:c6914. doi:10.1136/bmj.c6914", "case_series",
      "Medical staff who feel their pager or phone vibrate where they carry it when it is not vibrating.",
      {"brief_buzz": True, "where_phone_is_carried": True}, "phantom_vibration", "self_care"),
    V("phantom-drouin", "Drouin M, Kaiser DH, Miller DA. Phantom vibrations among undergraduates: prevalence and associated psychological characteristics. Comput Hum Behav 2012;28:1490-1496.", "case_series",
      "An undergraduate who feels phantom phone vibrations about once every two weeks.",
      {"brief_buzz": True}, "phantom_vibration", "self_care"),
    V("phantom-resident-left-leg", "Doctors feel phantom vibrations of phones, pagers (interview with residents). The Augusta Chronicle, 24 April 2011. http://chronicle.augusta.com/metro-health/2011-04-24/doctors-feel-phantom-vibrations-phones-pagers", "case_report",
      "A resident who wore his phone and pager on the left of his belt felt his left leg vibrate when neither was on him.",
      {"brief_buzz": True, "where_phone_is_carried": True, "one_leg_only": True}, "phantom_vibration", "self_care"),
    V("phantom-resident-sitting", "Doctors feel phantom vibrations of phones, pagers (interview with a urology resident). The Augusta Chronicle, 24 April 2011. http://chronicle.augusta.com/metro-health/2011-04-24/doctors-feel-phantom-vibrations-phones-pagers", "case_report",
      "A resident always feels the buzz in the spot where she wears her phone, usually while sitting at her computer, and wondered if it was a muscle twitch.",
      {"brief_buzz": True, "where_phone_is_carried": True, "worse_at_rest": True}, "phantom_vibration", "self_care"),
    V("phantom-hamdan", "Hamdan et al. Phantom vibration and ringing: 21-89% prevalence across studies. Comput Hum Behav Rep 2024, as recorded in twitchnet knowledge-sources.md section 1.", "case_series",
      "A phone user who feels brief phantom vibrations when the phone is not vibrating.",
      {"brief_buzz": True}, "phantom_vibration", "self_care"),
    # ---------------- outside the model
    V("ces-incomplete-retention", "Ciftci H, Ozgonul A, Sogut O, Savas M. Incomplete cauda equina syndrome presenting with acute urinary retention in the emergency department. Hong Kong J Emerg Med 2010. doi:10.1177/102490791001700513", "case_report",
      "Acute low back pain with saddle anaesthesia, urinary retention and constipation, without weakness or sciatica; MRI showed a large L5-S1 disc compressing the cauda equina.",
      {"back_pain": True, "sudden_onset": True, "saddle_numbness": True, "bladder_or_bowel_change": True, "muscle_weakness": False, "radiating_back_pain": False}, None, "emergency", ["spinal"]),
    V("ces-distal-53m", "Distal cauda equina syndrome: a case report of lumbosacral disc pathology and review of literature. Surg Neurol Int. https://sni.scientificscholar.in/distal-syndrome-a-case-report-of-lumbosacral-disc-pathology-and-review-of-literature/", "case_report",
      "A 53-year-old man with long-standing diabetes had acute urinary and faecal incontinence, scrotal anaesthesia, three days of low back pain and intermittent pain in both legs, without leg weakness; a sequestered disc fragment was removed.",
      {"age": 53, "sex": "male", "diabetes": True, "bladder_or_bowel_change": True, "saddle_numbness": True, "back_pain": True, "radiating_back_pain": True, "sudden_onset": True, "muscle_weakness": False}, None, "emergency", ["spinal"]),
    V("als-limb-54m", "NeuroCuro case-based learning: progressive weakness in a middle-aged man (ALS). http://neurocuro.com/case_library/als_case.html", "textbook_example",
      "A 54-year-old man with five weeks of painless, progressive left leg weakness and foot drag, without numbness or swallowing problems; examination found wasting, fasciculations and upper motor neurone signs.",
      {"age": 54, "sex": "male", "muscle_weakness": True, "trouble_walking": True, "one_leg_only": True, "progressive_spread": True, "muscle_wasting": True, "numbness": False, "speech_or_swallowing": False}, None, "emergency"),
    V("gbs-51m", "Greer T. Ascending paralysis in a 51 year old: a case report. Northeast Ohio Medical University, NSRJ. https://www.nsrj.org/post/ascending-paralysis-in-a-51-year-old-a-case-report", "case_report",
      "A 51-year-old man with a history of alcohol misuse had three days of progressive ascending weakness and numbness of both legs, three weeks after a viral illness: Guillain-Barre syndrome.",
      {"age": 51, "sex": "male", "heavy_alcohol": True, "muscle_weakness": True, "numbness": True, "progressive_spread": True, "one_leg_only": False}, None, "emergency"),
    V("gbs-61f", "Case presentation: Guillain-Barre syndrome after a diarrhoeal illness in a 61-year-old woman with diabetes (Authorea preprint). https://authorea.com/users/495347/articles/577114", "case_report",
      "A 61-year-old woman with diabetes and chronic back pain had progressively worsening leg weakness, gait difficulty and reduced sensation in the abdomen and legs a week after a diarrhoeal illness, without incontinence; the spinal fluid showed albuminocytologic dissociation.",
      {"age": 61, "sex": "female", "diabetes": True, "back_pain": True, "muscle_weakness": True, "progressive_spread": True, "trouble_walking": True, "loss_of_sensation": True, "numbness": True, "vomiting_or_diarrhea": True, "bladder_or_bowel_change": False}, None, "emergency"),
    V("mscc-renal-71m", "Metastatic spinal cord compression: case history (a 71-year-old man with metastatic renal cancer). McGraw-Hill AccessMedicine haematology-oncology cases. https://hemonc.mhmedical.com/content.aspx?bookid=2770&sectionid=231726536", "textbook_example",
      "A 71-year-old man with metastatic renal cancer had three weeks of worsening low back pain and, for a day, difficulty walking and climbing stairs from leg weakness; no incontinence or saddle anaesthesia.",
      {"age": 71, "sex": "male", "back_pain": True, "muscle_weakness": True, "trouble_walking": True, "bladder_or_bowel_change": False, "saddle_numbness": False}, None, "emergency"),
    V("cord-compression-myeloma-56m", "Atraumatic back pain: a case of spinal cord compression in a 56-year-old man (plasmacytoma). Art of Urgent Care. https://art-of-urgent-care.ghost.io/atraumatic-back-pain", "case_report",
      "A 56-year-old man with six months of back pain developed numbness, weakness and burning in both legs, rising over a week to the costal margin, with an abnormal gait and no bladder or bowel symptoms: thoracic cord compression.",
      {"age": 56, "sex": "male", "back_pain": True, "numbness": True, "muscle_weakness": True, "burning_pain": True, "progressive_spread": True, "trouble_walking": True, "bladder_or_bowel_change": False}, None, "emergency"),
    V("ms-cord-22m", "Pinto Silva C, Fernandes C, Ribeiro M, Cruz D. Acute spinal cord syndrome as the initial manifestation of multiple sclerosis: a case report. Cureus 2025. doi:10.7759/cureus.98644", "case_report",
      "A previously healthy 22-year-old man had acute mid-thoracic pain followed over five days by sensory loss below T10 and leg weakness: a first attack of multiple sclerosis.",
      {"age": 22, "sex": "male", "sudden_onset": True, "loss_of_sensation": True, "numbness": True, "muscle_weakness": True, "progressive_spread": True}, None, "emergency"),
    V("ms-feet-numb-32f", "Washington State University virtual neurology: Case study 1, 'My feet are numb' (multiple sclerosis module). https://learning.medicine.wsu.edu/clin530/virtual-neurology/4-ms/case-1", "textbook_example",
      "A 32-year-old woman with six days of ascending numbness from both feet to the lower ribs, unable to feel cold with one foot, exhausted, and unsteady on walking.",
      {"age": 32, "sex": "female", "numbness": True, "progressive_spread": True, "loss_of_sensation": True, "fatigue": True, "trouble_walking": True}, None, "urgent"),
]


def main():
    rng = random.Random(20261125)
    groups = {}
    for c in CASES:
        groups.setdefault(c["truth"], []).append(c)
    for truth in sorted(groups, key=lambda t: "" if t is None else t):
        members = groups[truth]
        chosen = set(rng.sample(range(len(members)), round(len(members) / 3)))
        for i, c in enumerate(members):
            c["split"] = "holdout" if i in chosen else "dev"
    # issue 14 part 8: amendments from re-reading the sources, applied after the split (splits kept)
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import vignettes_reread

    vignettes_reread.apply("second", CASES)
    # issue 22 part 5: the re-read for the KB 2027b vocabulary, applied after the first (splits kept)
    import vignettes_reread_2027b

    vignettes_reread_2027b.apply("second", CASES)
    data = {
        "format": "twitchnet-vignettes/1",
        "description": (
            "Clinical vignettes for twitchnet, from published case reports, case series, guideline and textbook examples "
            "and diagnostic criteria (source_type says which). Evidence uses vocabulary ids only and was entered only from "
            "what each source states; findings a source does not mention are left unknown. Cases whose final diagnosis is "
            "outside the model (cauda equina syndrome, motor neurone disease, Guillain-Barre syndrome, spinal cord "
            "compression, multiple sclerosis) have truth null: only the red-flag override can be right for them. Within "
            "each truth value one third, chosen with Python's random.Random(20261125), is the holdout split. Written by "
            "tools/make_vignettes.py before the model was evaluated on them; the model was not changed afterwards."
        ) + vignettes_reread.NOTE + vignettes_reread_2027b.NOTE,
        "vignettes": CASES,
    }
    out = Path(__file__).resolve().parents[1] / "tests" / "data" / "vignettes_second_suite.json"
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print("wrote", out, len(CASES), "vignettes")


if __name__ == "__main__":
    main()
