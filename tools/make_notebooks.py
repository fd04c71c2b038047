"""Write the notebooks in notebooks/ (without outputs). Run: python tools/make_notebooks.py"""

from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).resolve().parents[1] / "notebooks"


def nb(*cells):
    book = nbf.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.cells = [nbf.v4.new_markdown_cell(c[3:]) if c.startswith("md:") else nbf.v4.new_code_cell(c) for c in cells]
    return book


BOOKS = {
    "01_quickstart.ipynb": nb(
        "md:# twitchnet quickstart\nWhy does a leg vibrate, twitch, tingle or buzz? Give what you know; get every cause ranked by its exact posterior, what moved it, and red flags.",
        "import twitchnet\nd = twitchnet.diagnose({'age': 68, 'sex': 'male', 'tingling': True, 'burning_pain': True,\n                        'stocking_distribution': True, 'diabetes': True})\nd",
        "d.ranking[0].cause, round(d.ranking[0].probability, 3), d.triage",
        "d.to_frame()[['probability', 'prior', 'supporting', 'opposing']]",
        "md:A red flag always makes the result urgent, whatever else is known:",
        "twitchnet.diagnose({'twitching': True, 'high_caffeine': True, 'saddle_numbness': True})",
        "md:What to ask next, and a guided interview:",
        "[(q.id, round(q.gain, 3), q.red_flag) for q in d.next_questions(5)]",
        "from twitchnet.present.widget import InterviewWidget\nInterviewWidget(evidence={'age': 30, 'sex': 'female'})",
    ),
    "02_inside_the_model.ipynb": nb(
        "md:# Inside the model\nEvery number with its range and source; the same network in pgmpy; export to BIF.",
        "import twitchnet\nmodel = twitchnet.load_model()\nmodel",
        "numbers = model.kb.to_frame()\nnumbers['judgement'].value_counts(), numbers.head(10)",
        "numbers.loc['findings.toml: tingling.causes.neuropathy']",
        "md:The same network in pgmpy, and a query with its VariableElimination:",
        "from pgmpy.inference import VariableElimination\nbn = model.to_pgmpy()\nve = VariableElimination(bn)\nev = {'urge_to_move': True, 'worse_in_evening': True}\nq = ve.query(['rls'], evidence=model.to_pgmpy_evidence(ev), show_progress=False)\nprint(q)\nprint('twitchnet:', twitchnet.diagnose(ev)['rls'].probability)",
        "md:The network as files other tools open (pgmpy, pyAgrum, GeNIe...): BIF and XMLBIF, state names made identifiers (`70+` is written `s70plus`; `twitchnet.model.export.state_names` has the mapping):",
        "import tempfile, os\nfolder = tempfile.mkdtemp()\nbif = model.to_bif(os.path.join(folder, 'twitchnet.bif'))\nxml = model.to_xmlbif(os.path.join(folder, 'twitchnet.bifxml'))\nprint(bif.read_text()[:400])",
        "%matplotlib inline\nfrom twitchnet.present.plot import plot_network\nplot_network(twitchnet.diagnose(ev));",
    ),
    "03_what_moves_the_ranking.ipynb": nb(
        "md:# What moves the ranking\nEach finding's contribution is a change in log-odds; they add up exactly from the prior to the posterior.",
        "%matplotlib inline\nimport twitchnet\nfrom twitchnet.present.plot import plot_contributions, plot_posteriors\nev = {'age': 45, 'back_pain': True, 'radiating_back_pain': True, 'one_leg_only': True, 'tingling': True}\nd = twitchnet.diagnose(ev)\nplot_posteriors(d);",
        "plot_contributions(d, 'spinal');",
        "r = d['spinal']\nr.prior_log_odds + sum(c.log_lr for c in r.contributions), r.log_odds",
        "md:Explaining away: adding twitching lowers the spinal cause when numbness is already explained by benign twitching.",
        "a = twitchnet.diagnose({'numbness': True, 'back_pain': True})['spinal'].probability\nb = twitchnet.diagnose({'numbness': True, 'back_pain': True, 'twitching': True})['spinal'].probability\nround(a, 3), round(b, 3)",
        "md:Counterfactual rankings (Richens et al. 2020):",
        "[(r.cause, round(r.probability, 3), round(r.disablement, 2), round(r.sufficiency, 2)) for r in twitchnet.diagnose(ev, ranking='disablement').ranking[:4]]",
        "md:## How sure is the ranking?\nEvery number in the knowledge base has a plausible range. `uncertainty=N` draws all of them N times within their ranges and reports, per cause, a 90% interval of the posterior and the probability of ranking first (P(first)): a firm answer has narrow intervals and a P(first) near 1.",
        "du = twitchnet.diagnose(ev, uncertainty=1000, seed=0)\ndu",
        "du.intervals.to_frame().round(3)",
        "plot_posteriors(du);",
        "md:What this answer rests on: the numbers that move the top cause's log-odds most across their ranges (exact derivatives), each with its source or 'judgement'. A judgement number at the top is the published figure most worth finding.",
        "for r in du.rests_on(5):\n    print(r)",
        "from twitchnet.present.plot import plot_rests_on\nplot_rests_on(du, 8);",
        "md:What the whole model rests on: every number swept to both ends of its range over simulated cases, ranked by the share of cases whose top cause changes (here 2,000 cases; the README shows 10,000).",
        "sens = twitchnet.sensitivity(cases=2000, seed=0)\nsens.to_frame().head(10)",
    ),
    "04_batch_and_validation.ipynb": nb(
        "md:# Batch diagnosis and validation\nA table of cases in, a table out; then the clinical vignette suite.",
        "import twitchnet\nmodel = twitchnet.load_model()\ncases = model.simulate(2000, seed=1)\ncases.head()",
        "out = twitchnet.diagnose_frame(cases)\nout.head()",
        "out['top_cause'].value_counts(), out['triage'].value_counts()",
        "md:Validation on a vignette file (the packaged suite when it is installed, otherwise the small test fixture):",
        "from pathlib import Path\nfixture = Path('..') / 'tests' / 'data' / 'vignettes_small.json'\ntry:\n    ev = twitchnet.evaluate()\nexcept (FileNotFoundError, twitchnet.VignetteError):\n    ev = twitchnet.evaluate(str(fixture))\nev",
        "ev.confusion()",
    ),
    "05_learning_from_records.ipynb": nb(
        "md:# Learning the numbers from records\n`twitchnet.fit` re-estimates every number (risk-factor priors, cause baselines and odds ratios, links and leaks) by maximum a posteriori EM, with the knowledge base as the prior: each number's prior is centred on its value with a width from its range, so a wide judgement number moves first. Red-flag rules are never learned.\n\nFirst a check we can score: records simulated from a model whose numbers we know.",
        "from dataclasses import replace\nimport numpy as np, pandas as pd\nimport twitchnet\nmodel = twitchnet.load_model()\nkb = model.kb\n# a 'clinic' whose population differs from the default: stress and benign twitching twice as common, low electrolytes half\nscale = {'stress': 2.0, 'benign_twitching': 2.0, 'electrolytes': 0.5}\ntruth = twitchnet.DiagnosticModel(replace(kb, causes=tuple(\n    replace(c, baseline=replace(c.baseline, value=c.baseline.value * scale.get(c.id, 1.0))) for c in kb.causes)))\ntrain = truth.simulate(3000, seed=1)                  # causes unobserved\nheld_out = truth.simulate(1500, seed=2, causes=True)  # for scoring only\n# the simulation draws pregnancy independently of age; the encoder refuses it outside ages 12-55\nfor d in (train, held_out):\n    d.loc[~d['age'].between(12, 55), 'pregnancy'] = False\nfitted = twitchnet.fit(train, model, max_iter=10)\nfitted",
        "base = pd.DataFrame({c.id: {'default': c.baseline.value, 'truth': t.baseline.value, 'fitted': f.baseline.value}\n                     for c, t, f in zip(kb.causes, truth.kb.causes, fitted.kb.causes)}).T\nbase.round(4)",
        "md:What moved, relative to each number's range (`left_range` flags numbers the data pushed outside it):",
        "fitted.changes().head(10)[['old', 'new', 'low', 'high', 'range_moved', 'left_range', 'n_eff']]",
        'md:Rankings on held-out simulated cases: how often the top-ranked cause is one the case really has.',
        "cause_cols = [c for c in held_out.columns if c.startswith('cause.')]\nhas = held_out[cause_cols].to_numpy()\nkeep = has.any(axis=1)\ndef top1(m):\n    top = twitchnet.diagnose_frame(held_out.drop(columns=cause_cols), m)['top_cause'].cat.codes.to_numpy()\n    return float(has[np.arange(len(has)), top][keep].mean())\npd.Series({'default': top1(model), 'fitted': top1(fitted), 'truth (ceiling)': top1(truth)}).round(3)",
        'md:The fitted model writes a knowledge base that loads back into the same model, every learned number with source `fit` and the data hash:',
        "import tempfile, os\nfolder = fitted.to_knowledge_base(os.path.join(tempfile.mkdtemp(), 'clinic'))\nback = twitchnet.load_model(folder)\nprint(back.content_hash == fitted.content_hash)\nprint(dict(back.kb.numbers())['causes.toml: stress.baseline'].note[:160])",
        'md:## Cross-validation on the labelled vignette suite\nThe vignettes carry a diagnosis: it becomes a diagnosis column (True for the labelled cause, unknown for the others). Five folds: fit on four, score top-1 on the fifth, against the default model. Only the dev split is used (the holdout is kept for scoring knowledge-base releases). The suite is small (a few dozen labelled cases against hundreds of numbers) and its cases were written to be typical, so a gain here says little about a real clinic; it is reported as it comes out.',
        "vs = [v for v in twitchnet.vignettes(split='dev') if v.truth]  # the holdout split is left alone\nrows = [dict(v.evidence) | {v.truth: True} for v in vs]\nframe = pd.DataFrame(rows)\nfold = np.arange(len(vs)) % 5\nhits = {'default': 0, 'fitted': 0}\nfor k in range(5):\n    f = twitchnet.fit(frame[fold != k], model, max_iter=5)\n    test = frame[fold == k]\n    truth_k = [v.truth for v, i in zip(vs, fold) if i == k]\n    ev = test.drop(columns=[c for c in model.cause_ids if c in test.columns])\n    for name, m in (('default', model), ('fitted', f)):\n        hits[name] += int((twitchnet.diagnose_frame(ev, m)['top_cause'].astype(str).to_numpy() == np.array(truth_k)).sum())\n{k: f'{v}/{len(vs)} = {v / len(vs):.2f}' for k, v in hits.items()}",
    ),
}

if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    for name, book in BOOKS.items():
        nbf.write(book, HERE / name)
        print("wrote", HERE / name)
