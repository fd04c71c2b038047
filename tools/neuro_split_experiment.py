"""What the lumped `neurological_disease` cause loses: an experiment, not a knowledge-base change.

KB 2026.12.3 gives `neurological_disease` the link probabilities of a mixture of the diseases it
stands for, weighted by how often each presents with a leg symptom (MS 0.56, GBS 0.29, MND 0.15; see
the cause's baseline note). Each link is then a true marginal, but a noisy-OR cause treats its
findings as independent given the cause, so the motor neurone disease pattern (twitching with
weakness and wasting, which occur together in MND) gets about a tenth of its real joint probability
under the mixture.

This script copies the packaged knowledge base to a temporary folder, splits the cause into an MND
part (its own cited marginals: US ALS Registry, Raymond 2019; its own age gradient: Marin 2018;
men 3.0 vs women 2.4 per 100,000, Logroscino 2010) and the rest (MS and GBS, the same mixture without
MND), and prints the ranking of a few cases under both. The extra cause is not a vocabulary id, so
this cannot ship; it measures the case for a vocabulary change (a cause for MND of its own).

Run: python tools/neuro_split_experiment.py
"""

import re
import shutil
import tempfile
from pathlib import Path

import twitchnet
from twitchnet.kb.loader import _default_folder

MND_SHARE = 0.15  # of the lumped cause (baseline note of neurological_disease)
# MND links: fasciculations 56.3% and cramps 56.7% ever reported, limb-onset weakness (Raymond 2019);
# noticed wasting 0.5 is judgement; every leg-onset case is weak.
MND_LINKS = {"twitching": 0.563, "cramps": 0.567, "muscle_weakness": 0.999, "muscle_wasting": 0.5,
             "trouble_walking": 0.5, "fatigue": 0.4}
# MND incidence by age bin, read from Marin 2018 (judgement between the cited points), over 0.3 at 18-39
MND_EFFECTS = {"age=40-59": 6.7, "age=60-69": 18.0, "age=70+": 25.0, "sex=male": 1.25}
# the rest of the cause (MS 0.66, GBS 0.34 of it): the 2026.12.3 links recomputed without MND
REST_LINKS = {"twitching": 0.02, "cramps": 0.05, "muscle_weakness": 0.58, "muscle_wasting": 0.01,
              "tingling": 0.70, "numbness": 0.59, "nerve_conduction_abnormal": 0.29}

CASES = {
    "58M twitching, weakness, wasting": {"age": 58, "sex": "male", "twitching": True, "muscle_weakness": True,
                                         "muscle_wasting": True},
    "58M the same with cramps; no back pain, numbness or tingling": {
        "age": 58, "sex": "male", "twitching": True, "muscle_weakness": True, "muscle_wasting": True,
        "cramps": True, "back_pain": False, "numbness": False, "tingling": False},
    "30 twitching alone": {"age": 30, "twitching": True},
    "45 tingling, numbness, weakness, marked sensory loss, trouble walking": {
        "age": 45, "tingling": True, "numbness": True, "muscle_weakness": True, "loss_of_sensation": True,
        "trouble_walking": True},
}


def _num(v, note):
    return f'{{ value = {v}, low = 0.0, high = 1.0, source = "judgement", note = "{note}" }}'


def split_kb(folder):
    """Write the split knowledge base into ``folder`` (a copy of the packaged one)."""
    folder = Path(folder)
    causes = (folder / "causes.toml").read_text()
    m = re.search(r'(\[neurological_disease\][^\[]*?baseline = \{ value = )([0-9.]+)', causes)
    base = float(m.group(2))
    causes = causes[:m.start(2)] + f"{base * (1 - MND_SHARE):.6g}" + causes[m.end(2):]
    effects = "\n".join(f'"{k}" = {{ value = {v}, low = 1.0, high = 30.0, source = "judgement", note = "experiment" }}'
                        for k, v in MND_EFFECTS.items())
    causes += (f'\n[mnd_experiment]\nname = "MND (experiment)"\nmeaning = "experiment"\ncare = "clinician"\n'
               f'summary = "experiment"\nadvice = "experiment"\n'
               f'baseline = {{ value = {base * MND_SHARE:.6g}, low = 0.0001, high = 0.01, source = "judgement", '
               f'note = "experiment" }}\n[mnd_experiment.effects]\n{effects}\n')
    (folder / "causes.toml").write_text(causes)
    findings = (folder / "findings.toml").read_text()
    for fid, v in REST_LINKS.items():
        pat = re.compile(r"(\[" + fid + r"\.causes\][^\[]*?)neurological_disease = \{[^\n]*\}")
        findings = pat.sub(lambda mm, v=v: mm.group(1) + "neurological_disease = " + _num(v, "experiment"), findings, 1)
    for fid, v in MND_LINKS.items():
        head = f"[{fid}.causes]\n"
        i = findings.index(head) + len(head)
        findings = findings[:i] + "mnd_experiment = " + _num(v, "experiment") + "\n" + findings[i:]
    (folder / "findings.toml").write_text(findings)


def main():
    lumped = twitchnet.load_model()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(_default_folder(), tmp, dirs_exist_ok=True)
        split_kb(tmp)
        split = twitchnet.load_model(tmp)
        for name, ev in CASES.items():
            print(name)
            for label, model in (("lumped (KB)", lumped), ("split (experiment)", split)):
                top = ", ".join(f"{r.cause} {r.probability:.2f}" for r in model.diagnose(ev).ranking[:4])
                print(f"  {label:20s} {top}")


if __name__ == "__main__":
    main()
