# ---------------- spinal ----------------
v("spinal-stenosis-bmjbp-01",
  "BMJ Best Practice. Lumbar spinal stenosis (topic 191): case history. BMJ Publishing Group; https://bestpractice.bmj.com/topics/en-gb/191/case-history (read via a library proxy copy).",
  "guideline_example",
  "A 65-year-old retired builder with three years of low back pain has had pain and heaviness in both legs on walking for a year, relieved by bending forward or sitting. His walking distance has been shrinking over months and he walks stooped. Examination is unremarkable: pulses are present and there is no weakness or muscle wasting.",
  {"age": 65, "sex": "male", "back_pain": True, "worse_on_walking": True, "one_leg_only": False,
   "muscle_weakness": False, "muscle_wasting": False},
  "spinal", [], "routine")

v("spinal-sciatica-gardening-01",
  "Evidence-based teaching case 'Low back pain with sciatica' (case presentation of a 27-year-old man), as reproduced on an event page of lea-lb.org, http://lea-lb.org/eventsDetails.aspx?type=conference&eventid=59 (original publication not identified).",
  "textbook_example",
  "A fit 27-year-old man developed acute low back pain after a spell of gardening, with pain down the right leg that worsened over a few days, then numbness and tingling of the right foot, which became weaker. Examination: straight-leg raise limited to 45 degrees on the right, reduced sensation on the lateral and dorsal right foot, grade 4 dorsiflexion weakness and a reduced right ankle jerk. An MRI later confirmed a disc problem.",
  {"age": 27, "sex": "male", "back_pain": True, "radiating_back_pain": True, "one_leg_only": True,
   "numbness": True, "tingling": True, "muscle_weakness": True, "progressive_spread": True,
   "heavy_exercise": True},
  "spinal", [], "urgent")

v("spinal-disc-nejm-vignette-01",
  "NEJM Clinical Practice case vignette (a 41-year-old man with sudden low back and left leg pain while pulling out bushes), as reproduced on blog.peerclinic.com (April 2019), https://blog.peerclinic.com/2019/04; probably from Deyo RA, Mirza SK. Herniated lumbar intervertebral disk. N Engl J Med 2016;374:1763-1772 (this attribution was not confirmed on the stored page).",
  "textbook_example",
  "A 41-year-old man had sudden low back and left leg pain that began while he was pulling out large bushes; over two days it has worsened. He has no significant history, and the only abnormal finding is severe left leg pain on straight-leg raising at 40 degrees. He is convinced he has slipped a disc.",
  {"age": 41, "sex": "male", "sudden_onset": True, "back_pain": True, "radiating_back_pain": True,
   "one_leg_only": True, "heavy_exercise": True},
  "spinal", [], "routine")

v("spinal-disc-bmj-endgames-01",
  "Oputa and A'Court. A woman with lower back pain (Endgames: spot diagnosis). BMJ 2017;356:j1117 (case details as quoted in the published rapid responses, https://www.bmj.com/content/356/bmj.j1117/rr and /rr-0).",
  "case_report",
  "A woman had acute low back pain radiating into one leg. Examination found power of 3/5 in the left leg but was otherwise normal. MRI confirmed an L4/5 disc displacement, managed with rest, analgesia and physiotherapy.",
  {"sex": "female", "back_pain": True, "radiating_back_pain": True, "one_leg_only": True,
   "muscle_weakness": True},
  "spinal", [], "urgent")

v("spinal-stenosis-textbook-64f-01",
  "Lumbar spinal stenosis case, AccessPhysiotherapy (McGraw-Hill), book id 1491, section 90322077; http://accessphysiotherapy.mhmedical.com/content.aspx?bookid=1491&sectionid=90322077 (book title and chapter authors not shown on the stored page).",
  "textbook_example",
  "A 64-year-old retired teacher has intermittent low back and buttock pain that comes on with standing and is eased by leaning forward over a chair or trolley. For ten months she has had pain in both buttocks and calves after about ten blocks of walking, forcing her to sit down; the chapter presents her as a case of lumbar spinal stenosis.",
  {"age": 64, "sex": "female", "back_pain": True, "worse_on_walking": True, "one_leg_only": False},
  "spinal", [], "routine")

v("spinal-l5-radiculopathy-textbook-01",
  "'L5 radiculopathy (disc herniation)' chapter vignette, neurology case book, as reproduced on neupsykey.com, https://neupsykey.com/l5-radiculopathy-disc-herniation (book title and authors not shown on the stored page).",
  "textbook_example",
  "A 31-year-old man has had a month of left buttock and low back pain shooting down the leg, worse on standing or sitting for long; at times the pain limits walking and sitting. He has no numbness or weakness and no loss of bowel or bladder control. The chapter's diagnosis is L5 radiculopathy from a disc herniation.",
  {"age": 31, "sex": "male", "back_pain": True, "radiating_back_pain": True, "one_leg_only": True,
   "numbness": False, "muscle_weakness": False, "bladder_or_bowel_change": False},
  "spinal", [], "routine")

v("spinal-disc-medbullets-01",
  "Medbullets Step 1. Intervertebral disk herniation (topic 112009), 'Snapshot' vignette. https://step1.medbullets.com/msk/112009/intervertebral-disk-herniation",
  "textbook_example",
  "A 59-year-old grocery clerk developed severe low back pain after lifting many heavy boxes, with pain radiating down the left leg into the foot along the back of the thigh and the outer leg to the fourth and fifth toes. Straight-leg raising reproduces severe radiating pain; the vignette illustrates lumbar disc herniation.",
  {"age": 59, "sex": "female", "back_pain": True, "radiating_back_pain": True, "one_leg_only": True,
   "severe_intensity": True, "heavy_exercise": True},
  "spinal", [], "routine")

v("spinal-stenosis-physio-72f-01",
  "Sayed H. Case study: lumbar canal stenosis. PhysioRehab (physiotherapy clinic web case study), 9 January 2014. http://physiorehab.in/cs-lumbar-canal-stenosis/",
  "case_report",
  "A 72-year-old woman had a year of dull aching pain in the left leg on walking, starting in the buttock and thigh and spreading to the calf. She could not walk more than 10 minutes before having to stop and sit until it eased, so she gave up her daily walks. MRI showed left L5-S1 foraminal narrowing, managed as lumbar canal stenosis; pulses were normal.",
  {"age": 72, "sex": "female", "worse_on_walking": True, "one_leg_only": True},
  "spinal", [], "routine")

# ---------------- medication ----------------
v("medication-mirtazapine-rls-jcp-01",
  "Restless legs syndrome induced by mirtazapine [letter to the editor]. J Clin Psychiatry 2002;63(12):1179. http://www.psychiatrist.com/JCP/article/Pages/restless-legs-syndrome-induced-mirtazapine.aspx (author names not shown on the stored pages).",
  "case_report",
  "A 45-year-old man admitted with major depression, severe insomnia and anxiety was started on mirtazapine 15 mg in the evening. After the dose went up to 30 mg/day he developed restless legs, with deep unpleasant sensations in the legs when lying at rest in bed, especially as he tried to fall asleep. He had never had restless legs before.",
  {"age": 45, "sex": "male", "antidepressant": True, "recent_medication_change": True, "anxiety": True,
   "crawling_sensation": True, "worse_at_rest": True, "worse_in_evening": True},
  "medication", ["rls"], "routine")

v("medication-mirtazapine-rls-elderly-01",
  "Mirtazapine-induced restless legs syndrome treated with pramipexole [letter]. J Neuropsychiatry Clin Neurosci, published online 26 February 2015. doi:10.1176/appi.neuropsych.13120357 (author names not shown on the stored page).",
  "case_report",
  "An 80-year-old woman admitted with depression and anxiety, with normal iron and ferritin, was started on mirtazapine, increased to 45 mg daily. Two days after the increase her legs suddenly became restless, mainly at the start of the night, with discomfort relieved by stretching and disturbed sleep. She met RLS criteria (IRLS score 25), and the symptoms settled on pramipexole.",
  {"age": 80, "sex": "female", "antidepressant": True, "recent_medication_change": True, "anxiety": True,
   "sudden_onset": True, "worse_in_evening": True, "relieved_by_movement": True,
   "sleep_disturbance": True, "iron_deficiency": False},
  "medication", ["rls"], "routine")

v("medication-mirtazapine-rls-korean-01",
  "A case of restless leg syndrome induced by mirtazapine in a patient with major depressive disorder. Korean J Psychopharmacol 2004;15(4):488-491 (KoreaMed, https://koreamed.org/SearchBasic.php?RID=2286989; authors not shown on the stored page).",
  "case_report",
  "A 46-year-old man with major depressive disorder developed typical restless legs syndrome from the start of mirtazapine treatment. It did not improve when the dose was lowered and went away quickly once mirtazapine was stopped.",
  {"age": 46, "sex": "male", "antidepressant": True, "recent_medication_change": True},
  "medication", ["rls"], "routine")

v("medication-mirtazapine-rls-lowdose-01",
  "Kim SW, Lee JY, Shin IS, Kim JM, Yang SJ, Yoon JS. A single low dose of mirtazapine can induce restless legs syndrome: report of two cases. Korean J Psychopharmacol 2005;16(2):169-173 (abstract via WPRIM, http://wprim.whocc.org.cn/admin/article/articleDetail?WPRIMID=54768).",
  "case_report",
  "Two elderly women (entered here as one typical patient) took a single 7.5 mg dose of mirtazapine for depression and insomnia. One to two hours later they had unpleasant restless feelings and severe paraesthesia in the arms and legs, which they eased by rubbing or moving the limbs, and could not sleep until given a benzodiazepine. Symptoms faded the next day and did not come back once mirtazapine was stopped.",
  {"sex": "female", "antidepressant": True, "recent_medication_change": True, "tingling": True,
   "relieved_by_movement": True, "sleep_disturbance": True, "severe_intensity": True},
  "medication", ["rls"], "routine")

v("medication-mirtazapine-rls-series-01",
  "Kim S-W, et al. Factors potentiating the risk of mirtazapine-associated restless legs syndrome. Hum Psychopharmacol 2008;23(7):615-620, as summarised in Reactions Weekly 2008 No. 1229 (Adis), https://ibook.pub/mirtazapine.html.",
  "case_series",
  "Retrospective series of 14 patients (6 men, 8 women, aged 43-80) who developed or had worsening of restless legs syndrome after starting mirtazapine for psychiatric disorders; in 9 it began on the first day of treatment. Stopping mirtazapine brought immediate improvement in those who stopped.",
  {"antidepressant": True, "recent_medication_change": True},
  "medication", ["rls"], "routine")

v("medication-escitalopram-rls-01",
  "Page RL, Ruscin JM, Bainbridge JL, Brieke AA. Restless legs syndrome induced by escitalopram: case report and review of the literature. Pharmacotherapy 2008;28(2):271-280. PMID 18225972.",
  "case_report",
  "A 34-year-old woman with no history of RLS was in hospital awaiting a heart transplant when she became depressed and was started on escitalopram 10 mg at bedtime. Within two days she had very severe restless legs symptoms on a rating scale. They improved within two days of stopping the drug and came back when it was restarted at a lower dose.",
  {"age": 34, "sex": "female", "antidepressant": True, "recent_medication_change": True,
   "severe_intensity": True},
  "medication", ["rls"], "urgent")

v("medication-citalopram-rls-01",
  "Nader P, Coralie L, Baleydier B, Andrei C, Susanne M, Damsa C. Restless legs syndrome induced by citalopram: a psychiatric emergency? Gen Hosp Psychiatry 2007;29(1):72-74. doi:10.1016/j.genhosppsych.2006.10.006",
  "case_report",
  "A 48-year-old woman on citalopram 60 mg/day was sent to the emergency unit by her GP with a marked worsening of restless legs syndrome. Citalopram was replaced by bupropion and sertraline; symptoms began to ease within three days and had gone at three weeks.",
  {"age": 48, "sex": "female", "antidepressant": True},
  "medication", ["rls"], "routine")
