# ---------------- serious conditions outside the model (truth null) ----------------
v("null-mnd-limb-onset-bmj-01",
  "Nageshwaran S, Davies LM, Rafi I, Radunovic A. Motor neurone disease (Practice: Easily missed?). BMJ 2014;349:g4052. doi:10.1136/bmj.g4052",
  "case_report",
  "A 59-year-old man first presented with weakness in his right leg and occasional trips. He had long-standing mild low back pain, and an MRI requested by orthopaedics showed cervical spondylolisthesis sparing the cord. Four months later he returned with increasing difficulty doing up his shirt buttons; he had motor neurone disease.",
  {"age": 59, "sex": "male", "muscle_weakness": True, "one_leg_only": True, "trouble_walking": True,
   "back_pain": True, "progressive_spread": True},
  None, [], "urgent")

v("null-mnd-pulse-builder-01",
  "Rafi I, Davies L. Neurology clinic - motor neurone disease. Pulse (pulsetoday.co.uk), article 20008063. http://www.pulsetoday.co.uk/clinical/neurology-clinic-motor-neurone-disease/20008063.article",
  "case_report",
  "A 57-year-old builder first had difficulty straightening the fingers of his right hand, then over the following months grew clumsy with his hands and a little unsteady on his feet. He developed weakness and wasting of the arms, thighs and small hand muscles, with early bulbar speech and a brisk jaw jerk; motor neurone disease was confirmed.",
  {"age": 57, "sex": "male", "muscle_weakness": True, "muscle_wasting": True, "trouble_walking": True,
   "speech_or_swallowing": True, "progressive_spread": True},
  None, [], "emergency")

v("null-mnd-fasciculation-onset-mja-01",
  "Motor neurone disease (MND): a personal perspective. Med J Aust 2003;178(7). https://mja.com.au/journal/2003/178/7/motor-neurone-disease-mnd-personal-perspective (first-person account by a neurologist; author's full name not shown on the stored page).",
  "case_report",
  "A neurologist described the sudden, dramatic onset of widespread muscle twitching without definite weakness. After four weeks of growing anxiety he saw a colleague, who found no definite abnormality, although during the examination he could not take his weight on his left leg. Motor neurone disease was confirmed four months after onset.",
  {"sudden_onset": True, "twitching": True, "muscle_weakness": True, "anxiety": True},
  None, [], "urgent")

v("null-als-bulbar-onset-01",
  "Progressive speech impairment as the first manifestation of amyotrophic lateral sclerosis: case report and literature review. Research Square preprint, doi:10.21203/rs.3.rs-5799121/v1 (listed on sciety.org; authors not shown on the stored page).",
  "case_report",
  "A 62-year-old man from Tarapoto, Peru, first had progressive slurring of speech. Two months later he had difficulty swallowing solids and liquids and weakness of the right leg. ALS was diagnosed on revised El Escorial and Awaji criteria with supporting EMG.",
  {"age": 62, "sex": "male", "speech_or_swallowing": True, "muscle_weakness": True, "one_leg_only": True,
   "progressive_spread": True},
  None, [], "emergency")

v("null-cauda-equina-easily-missed-01",
  "Barraclough K. Cauda equina syndrome (Practice: Easily missed?). BMJ 2021;372:n32. doi:10.1136/bmj.n32",
  "case_report",
  "A 42-year-old woman with a BMI of 39 and 12 years of chronic low back pain with intermittent left-sided sciatica saw an out-of-hours GP with five days of low back pain and burning pain radiating into her right foot. She had noticed tingling in her genital area but had no incontinence. Anal tone, perianal sensation and leg power, reflexes and sensation were judged normal, and she was sent home with safety-net advice. Three days later she was admitted with cauda equina syndrome.",
  {"age": 42, "sex": "female", "back_pain": True, "radiating_back_pain": True, "burning_pain": True,
   "one_leg_only": True, "tingling": True, "bladder_or_bowel_change": False, "muscle_weakness": False,
   "loss_of_sensation": False},
  None, ["spinal"], "emergency")

v("null-cauda-equina-retention-01",
  "Ciftci H, Ozgonul A, Sogut O, Savas M. Incomplete cauda equina syndrome presenting with acute urinary retention in the emergency department. Hong Kong J Emerg Med 2010;17(5). doi:10.1177/102490791001700513",
  "case_report",
  "A patient came to the emergency department with acute low back pain, saddle (perineal) anaesthesia, urinary retention and constipation, without leg weakness or sciatica. MRI showed a large L5-S1 disc herniation compressing the cauda equina.",
  {"sudden_onset": True, "back_pain": True, "saddle_numbness": True, "bladder_or_bowel_change": True,
   "muscle_weakness": False, "radiating_back_pain": False},
  None, ["spinal"], "emergency")

v("null-gbs-atypical-ed-01",
  "Sheridan JM, Smith D. Atypical Guillain-Barre in the emergency department. West J Emerg Med (case report). https://westjem.com/case-report/atypical-guillain-barre-in-the-emergency-department.html",
  "case_report",
  "A 50-year-old man with hypertension came to the ED with four days of steadily increasing weakness and heaviness in his arms and legs. He had no numbness, tingling or pain, and had had a week of watery diarrhoea that settled two weeks before the weakness began. He had mild proximal weakness (4/5) with normal reflexes and could walk; he was sent home, came back worse and was diagnosed with Guillain-Barre syndrome.",
  {"age": 50, "sex": "male", "muscle_weakness": True, "progressive_spread": True, "numbness": False,
   "tingling": False, "vomiting_or_diarrhea": True, "trouble_walking": False},
  None, ["neuropathy"], "emergency")

v("null-gbs-fulminant-01",
  "Ghosn Y, Kamareddine MH, Abdessamad H, Safi T, Adem C, Jabbour R. Fulminant Guillain-Barre syndrome (GBS) with a constellation of uncommon clinical manifestations: differential diagnosis and treatment challenges. Case report, http://www.casereports.in/printerfriendly.aspx?id=939 (journal volume not shown on the stored page).",
  "case_report",
  "A previously healthy 25-year-old woman presented with ascending limb weakness and paraesthesia. Despite treatment she became quadriplegic with facial diplegia, severe sensory disturbance and neuropathic pain, respiratory failure needing intubation, and autonomic dysfunction including urinary and faecal incontinence. Nerve studies and spinal MRI were consistent with GBS.",
  {"age": 25, "sex": "female", "muscle_weakness": True, "tingling": True, "progressive_spread": True},
  None, ["neuropathy"], "emergency")

v("null-ms-sensory-photoclinic-01",
  "Godino J. Multiple sclerosis (Photoclinic). Consultant360. https://dev.consultant360.com/content/multiple-sclerosis",
  "case_report",
  "A week after a viral upper respiratory infection, a 36-year-old woman developed progressive paraesthesias of both legs and the right side of the chest and was seen two weeks later. She had no motor deficit and a normal gait, but brisk reflexes, sensory loss from L3 to S5 including the perianal skin, and reduced anal tone. MRI of the head confirmed multiple sclerosis.",
  {"age": 36, "sex": "female", "tingling": True, "progressive_spread": True, "muscle_weakness": False,
   "saddle_numbness": True, "trouble_walking": False},
  None, [], "emergency")

v("null-ms-teaching-case-01",
  "DeWitt DE. Virtual Neurology, Case study 1: 'My feet are numb' (multiple sclerosis module). Washington State University Elson S. Floyd College of Medicine, CLIN 530. https://learning.medicine.wsu.edu/clin530/virtual-neurology/4-ms/case-1",
  "textbook_example",
  "A 32-year-old tourist came to the ED with six days of numbness rising from both feet to her lower rib cage; she first noticed she could not feel the cold floor with her right foot. She had been exhausted for two weeks, was unsteady and could not tandem-walk. Nine months earlier, painless left-foot numbness had been put down to a lumbar disc prolapse. There was no family history of neurological disease. The case is presented in the course's multiple sclerosis module.",
  {"age": 32, "sex": "female", "numbness": True, "progressive_spread": True, "loss_of_sensation": True,
   "fatigue": True, "trouble_walking": True, "back_injury": True, "family_history_neuro": False},
  None, [], "emergency")

v("null-mscc-renal-cancer-01",
  "Case history: metastatic spinal cord compression (MSCC) in a man on systemic therapy for metastatic renal cancer. Acute oncology case book on hemonc.mhmedical.com (book id 2770, section 231726536), https://hemonc.mhmedical.com/content.aspx?bookid=2770&sectionid=231726536 (book title and authors not shown on the stored page).",
  "textbook_example",
  "A 71-year-old man on second-line systemic therapy for metastatic renal cancer, with known spinal metastases, had three weeks of worsening low back pain and, for 24 hours, difficulty walking and climbing stairs because of leg weakness. He had no incontinence or saddle anaesthesia, and his anal tone was preserved. Power was MRC grade 3 on the right and 4 on the left, and MRI showed cord compression at L1.",
  {"age": 71, "sex": "male", "back_pain": True, "muscle_weakness": True, "trouble_walking": True,
   "progressive_spread": True, "bladder_or_bowel_change": False, "saddle_numbness": False},
  None, ["spinal"], "emergency")

v("null-mscc-prostate-cancer-01",
  "Case report, PMID 19672434 ('indirect' cauda equina syndrome with multilevel spinal cord compression in metastatic hormone-refractory prostate cancer), as summarised by Medbullets Step 2 evidence, https://step2.medbullets.com/evidence/19672434 (authors and journal not shown on the stored page).",
  "case_report",
  "A 65-year-old man with metastatic hormone-refractory prostate cancer presented three months after his first positive bone scan with severe back pain, pins and needles in both legs, leg weakness and urinary retention. MRI showed a mass compressing the spinal cord at T9-T11.",
  {"age": 65, "sex": "male", "back_pain": True, "severe_intensity": True, "tingling": True,
   "muscle_weakness": True, "bladder_or_bowel_change": True},
  None, ["spinal"], "emergency")

v("null-stroke-foot-drop-81f-01",
  "Kaykisiz EK, Unluer EE. An unexpected reason for isolated foot drop: acute stroke. Pak J Med Sci 2017;33(5):1288-1290. doi:10.12669/pjms.335.13593",
  "case_report",
  "An 81-year-old woman came to the emergency department with a 12-hour history of suddenly dropping her left foot. Strength was normal apart from weak left ankle and toe dorsiflexion, and the rest of the examination was unremarkable. Diffusion MRI showed an acute infarct in the right precentral gyrus.",
  {"age": 81, "sex": "female", "sudden_onset": True, "muscle_weakness": True, "one_leg_only": True},
  None, [], "emergency")

v("null-stroke-foot-drop-68m-01",
  "Ku BD, Lee EJ, Kim H. Cerebral infarction producing sudden isolated foot drop. J Clin Neurol 2007;3(1):67-69. doi:10.3988/jcn.2007.3.1.67",
  "case_report",
  "A 68-year-old man with hypertension had had two days of weakness lifting his left toes and ankle, with a steppage gait especially on stairs. He had no diabetes, heart disease, previous stroke, alcohol misuse or leg injury. The only finding was grade II weakness of the left ankle and toe dorsiflexors; MRI showed a small acute infarct in the right precentral gyrus.",
  {"age": 68, "sex": "male", "sudden_onset": True, "muscle_weakness": True, "one_leg_only": True,
   "trouble_walking": True, "diabetes": False, "heavy_alcohol": False},
  None, [], "emergency")

v("null-stroke-foot-drop-83m-01",
  "Almutairi AA, Alqahtani MS, Alsayari MA, Alamri AF. Isolated foot drop due to a cerebral infarction mimicking lumbar radiculopathy: a case report and literature review. Cureus 2025;17:e76894. doi:10.7759/cureus.76894",
  "case_report",
  "An 83-year-old man had four days of left foot drop that began in the big toe and spread to involve the whole foot, with no other neurological deficit. Spinal MRI showed only mild L4/5 stenosis, but brain MRI found acute infarcts in the right superior frontal gyrus.",
  {"age": 83, "sex": "male", "muscle_weakness": True, "one_leg_only": True, "progressive_spread": True},
  None, [], "emergency")

v("null-stroke-foot-drop-74m-01",
  "Kim KW, Park JS, Koh EJ, Lee JM. Cerebral infarction presenting with unilateral isolated foot drop. J Korean Neurosurg Soc 2014;56(3):254-256. doi:10.3340/jkns.2014.56.3.254",
  "case_report",
  "A 74-year-old man came to the outpatient clinic with a week of right foot drop. He had no hypertension, diabetes, previous stroke or injury to the leg. Foot drop turned out to be the only sign of a focal cortical infarct in the motor cortex.",
  {"age": 74, "sex": "male", "muscle_weakness": True, "one_leg_only": True, "diabetes": False},
  None, [], "urgent")

v("null-stroke-haemorrhage-foot-drop-01",
  "Hiraga A, Kamitsukasa I. Isolated foot drop due to subcortical hemorrhage. J Neurol 2010;257:1741-1742.",
  "case_report",
  "A 70-year-old man woke with right foot drop: severe weakness of toe and ankle dorsiflexion, with other leg muscles, reflexes and sensation normal. CT the same day showed a small left frontal subcortical haemorrhage, and he recovered almost fully over three months.",
  {"age": 70, "sex": "male", "sudden_onset": True, "muscle_weakness": True, "one_leg_only": True,
   "loss_of_sensation": False},
  None, [], "emergency")
