PV = {"brief_buzz": True, "where_phone_is_carried": True}
# ---------------- phantom vibration ----------------
v("phantom-vibration-medical-staff-01",
  "Rothberg MB, Arora A, Hermann J, Kleppel R, St Marie P, Visintainer P. Phantom vibration syndrome among medical staff: a cross sectional survey. BMJ 2010;341:c6914. doi:10.1136/bmj.c6914",
  "case_series",
  "Survey of 176 staff at an academic medical centre: 68% had felt phantom vibrations from a pager or phone that was not vibrating, usually after carrying it for 1 month to 1 year, and 13% daily. They were more likely in residents, with the device in a breast pocket rather than on the belt, with more hours carried and with more use of vibrate mode. Most found them only mildly bothersome, and many stopped them by changing where or how the device was carried.",
  dict(PV),
  "phantom_vibration", [], "self_care")

v("phantom-vibration-undergraduates-01",
  "Drouin M, Kaiser DH, Miller DA. Phantom vibrations among undergraduates: prevalence and associated psychological characteristics. Computers in Human Behavior 2012;28:1490-1496.",
  "case_series",
  "89% of 290 undergraduates had felt their phone vibrate when it had not, on average about once every two weeks; few found it bothersome. Stronger emotional reactions to text messages went with being more bothered, and greater conscientiousness with fewer episodes.",
  dict(PV),
  "phantom_vibration", [], "self_care")

v("phantom-vibration-interns-taiwan-01",
  "Lin YH, Lin SH, Li P, Huang WL, Chen CY. Prevalent hallucinations during medical internships: phantom vibration and ringing syndromes. PLoS One 2013;8(6):e65152. doi:10.1371/journal.pone.0065152",
  "case_series",
  "74 medical interns (mean age 24.8) were followed through a stressful internship year. Phantom vibration rose from 78% before the internship to 96% at three months and fell to 50% two weeks after it ended. It was not correlated with anxiety or depression scores. Age is the cohort mean.",
  dict(PV, age=24.8, recent_stress=True),
  "phantom_vibration", [], "self_care")

v("phantom-vibration-interns-india-01",
  "Mangot AG, Murthy VS, Kshirsagar SV, Deshmukh AH, Tembe DV. Prevalence and pattern of phantom ringing and phantom vibration among medical interns and their relationship with smartphone use and perceived stress. Indian J Psychol Med 2018;40(5):440-445. doi:10.4103/IJPSYM.IJPSYM_141_18",
  "case_series",
  "Among 93 smartphone-using medical interns, 60% had phantom vibrations, linked to more frequent phone use and use of vibrate mode. Perceived-stress scores were significantly lower in interns without phantom vibration.",
  dict(PV, recent_stress=True),
  "phantom_vibration", [], "self_care")

v("phantom-vibration-students-iran-01",
  "Mohammadbeigi A, Mohammadsalehi N, Moshiri E, Anbari Z, Ahmadi A, Ansari H. The prevalence of phantom vibration/ringing syndromes and their related factors in Iranian students of medical sciences. Asian J Psychiatr 2017;27:76-80. doi:10.1016/j.ajp.2017.02.012",
  "case_series",
  "54% of 380 medical-sciences students reported phantom vibration from their mobile phones, more often women than men. It was associated with messaging and social-network use.",
  dict(PV),
  "phantom_vibration", [], "self_care")

v("phantom-vibration-students-vietnam-01",
  "The prevalence and related factors of phantom vibration among medical students: a first look in Vietnam (original research). MedPharmRes (University of Medicine and Pharmacy at Ho Chi Minh City), http://medpharmres.com/tag-perception-2180 (authors and volume not shown on the stored page).",
  "case_series",
  "Online survey of 377 medical students in Ho Chi Minh City. Phantom vibration was associated with mental distress on the SRQ-20 (OR 2.15) and with attachment to the phone (OR 1.75), and 55.5% had felt a phantom vibration while driving in the previous month.",
  dict(PV),
  "phantom_vibration", [], "self_care")

v("phantom-vibration-students-karachi-01",
  "Prevalence of phantom vibration syndrome and phantom ringing syndrome (ringxiety): risk of sleep disorders and infertility among medical students. International Journal of Advanced Research (IJAR), 31 December 2014, article 3248. http://www.journalijar.com/article/3248/ (authors not shown on the stored page).",
  "case_series",
  "Questionnaire survey of medical students at Dow International Medical College, Karachi: 93% had felt phantom vibrations (19% daily, 18% weekly), and 70% carried their phone in a trouser pocket.",
  dict(PV, phone_in_pocket=True),
  "phantom_vibration", [], "self_care")

v("phantom-vibration-medical-staff-pakistan-01",
  "The frequency of phantom vibration syndrome in medical staff: a cross sectional survey. Pakistan Journal of Medical & Health Sciences 2022. doi:10.53350/pjmhs22166979 (authors not shown on the stored page).",
  "case_series",
  "72.7% of 190 medical staff reported phantom vibrations. They were associated with age 21-40, carrying the phone in a breast or back pocket, keeping it on vibrate most of the time and using it for 11 or more hours a day; most found the sensations bothersome enough to want to stop them.",
  dict(PV, phone_in_pocket=True),
  "phantom_vibration", [], "self_care")
