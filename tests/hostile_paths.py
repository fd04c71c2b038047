"""The hostile suite's paths: for each, a hypothesis strategy of cases and a check that runs one
case through the code under test and returns what it saw.

Shared by ``tests/test_hostile.py`` (few examples per path, in CI) and ``tools/hostile.py`` (a
longer seeded run with a time budget). A check never raises: it returns an :class:`Outcome` whose
``reached`` says whether the case got to the code under test (so a fuzz that never reaches its
target can be told apart from one that passes) and whose ``problems`` lists every violation of the
invariants of ``hostile-2026-12.md``:

1. red flags never lost: for evidence holding a readable red flag, every result is urgent and
   every error is a :class:`twitchnet.errors.TwitchnetError` carrying the red flag (``urgent``);
2. no bare exception: anything raised is a ``TwitchnetError`` (warnings aside);
3. answers equal across engines (reference, enumeration, quickscore, auto) to 1e-9;
4. nothing written wrongly to disk: after hostile fits, partial fits, edited models and
   uncertainty draws in a fresh cache folder, the packaged model answers in a new process as it
   does with the cache off.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import subprocess
import sys
import tempfile
import traceback
import warnings
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import hypothesis.strategies as st
import numpy as np
import pandas as pd
import strategies

import twitchnet
from twitchnet.errors import EngineLimitError, TwitchnetError

TOL = 1e-9
ENGINES = ("reference", "enumeration", "quickscore", "auto")


@dataclasses.dataclass
class Outcome:
    """What one case did: ``reached`` the code under test, and the invariants it broke."""

    reached: bool = False
    problems: list = dataclasses.field(default_factory=list)

    def bad(self, text):
        self.problems.append(text)


def guarded(check):
    """A check that never raises: an exception escaping it (a bug of the check, or of twitchnet
    outside the calls the check guards) is reported as a problem with its traceback's tail."""

    def run(case):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # coerced cells, FitWarning: documented warnings
                return check(case)
        except Exception as exc:  # noqa: BLE001 (reported, not swallowed)
            tail = "".join(traceback.format_exception(exc)[-3:])
            return Outcome(False, [f"unexpected {type(exc).__name__} in the check: {tail}"])

    run.__name__ = check.__name__
    run.__doc__ = check.__doc__
    return run


# ---------------------------------------------------------------------------------------------- models
@lru_cache(maxsize=None)
def default_model():
    return twitchnet.load_model()


@lru_cache(maxsize=8)
def beyond(seed):
    """``synthetic.knowledge_base_data(40, 60, (1, 3), seed=seed)`` with the emergency rule on
    ``saddle_numbness`` (a flag that is not a node): only Quickscore runs it (issue 21, C6)."""
    from twitchnet.kb.loader import knowledge_base_from_data

    t = twitchnet.synthetic.knowledge_base_data(40, 60, (1, 3), seed=seed)
    t["red_flags.toml"] = {"flags": {"saddle_numbness": {"meaning": "saddle numbness"}},
                           "rules": {"cauda_equina": {"level": "emergency", "all": ["saddle_numbness"], "title": "Cauda equina",
                                                      "advice": "Go to an emergency department now.", "source": "judgement"}}}
    return twitchnet.DiagnosticModel(knowledge_base_from_data(t))


BEYOND_SEEDS = (1, 2, 3)
# small_models' networks of either kind; the default model; a model beyond enumeration
models = st.one_of(
    st.just("default").map(lambda _: default_model()),
    strategies.small_models(extreme=False),
    strategies.small_models(extreme=True),
)


def fired_ids(err_or_d):
    return {i for r in err_or_d.red_flags for i in r.triggered_by}


def check_error(out, exc, flags, where):
    """Invariants 1 and 2 for an exception: a TwitchnetError, carrying ``flags`` when any."""
    if not isinstance(exc, TwitchnetError):
        out.bad(f"{where}: bare {type(exc).__name__}: {str(exc)[:300]}")
        return
    if flags and not (exc.urgent and set(flags) <= fired_ids(exc)):
        out.bad(f"{where}: {type(exc).__name__} without the red flags {sorted(flags)} (urgent={exc.urgent}): {str(exc)[:300]}")
    elif flags and not str(exc).startswith(("URGENT", "EMERGENCY")):
        out.bad(f"{where}: {type(exc).__name__} does not lead with the urgent advice: {str(exc)[:200]}")


def check_result(out, d, flags, where):
    """Invariant 1 for a Diagnosis: urgent with its red flags; probabilities finite in [0, 1]."""
    if flags and not (d.urgent and d.triage in ("urgent", "emergency") and set(flags) <= fired_ids(d)):
        out.bad(f"{where}: red flags {sorted(flags)} lost: urgent={d.urgent}, triage={d.triage}")
    for r in d.ranking:
        if not 0.0 <= r.probability <= 1.0:  # also NaN
            out.bad(f"{where}: P({r.cause}) = {r.probability}")


# ---------------------------------------------------------------------------------------------- hostile values
HOSTILE_VALUES = st.sampled_from(
    ["maybe", "", -3, 2, 1.5, [True], {"a": 1}, complex(1, 2), b"yes", float("inf"), "\ud800", 10**400, object()],
)
HOSTILE_KEYS = st.sampled_from(["patient_id", "Tingle", "", "saddle numbness", 3, None, ("a",), "\ud800"])
# readable red-flag cells: ``diagnose(strings=True)`` reads these (text as on a command line) ...
RED_SPELLINGS = st.sampled_from([True, np.bool_(True), "yes", "Yes", "TRUE", " y "])
# ... and a frame also reads 1 (yes/no columns take 0/1)
FRAME_RED_SPELLINGS = st.sampled_from([True, np.bool_(True), 1, 1.0, "yes", "TRUE"])


def _with_flag(draw, model, ev, spellings=RED_SPELLINGS):
    """Add one readable red flag to ``ev``; returns its id and the new evidence."""
    flag = draw(st.sampled_from(sorted(model.red_flag_ids)))
    ev = {k: val for k, val in ev.items() if model.canonical_key(k) != flag}
    ev[flag] = draw(spellings)
    return flag, ev


# ---------------------------------------------------------------------------------------------- 1. diagnose
def sometimes(draw, one_in):
    """True about once in ``one_in`` draws (hypothesis leans to small integers, so the rare
    branch is the large end)."""
    return draw(st.integers(0, one_in - 1)) == one_in - 1


@st.composite
def diagnose_cases(draw):
    model = draw(models)
    ev = draw(strategies.evidence(model, max_size=8))
    flag, ev = _with_flag(draw, model, ev)
    if sometimes(draw, 5):  # a hostile entry besides
        ev[draw(HOSTILE_KEYS)] = draw(HOSTILE_VALUES)
    settings = {}
    if draw(st.booleans()):
        good = draw(st.sampled_from(ENGINES))
        settings["engine"] = draw(st.sampled_from(["Quickscore", "bogus", 3, np.array(["auto"])])) if sometimes(draw, 5) else good
    if sometimes(draw, 3):
        good = draw(st.sampled_from(["posterior", "sufficiency", "disablement"]))
        settings["ranking"] = draw(st.sampled_from(["bogus", None])) if sometimes(draw, 5) else good
    if sometimes(draw, 3):
        settings["uncertainty"] = draw(st.sampled_from([0, -1, 2.5, "10", True])) if sometimes(draw, 5) else draw(st.integers(1, 8))
        settings["seed"] = draw(st.sampled_from([-1, 2**200, 1.5])) if sometimes(draw, 5) else draw(st.sampled_from([0, 1, 7, None]))
    elif sometimes(draw, 10):
        settings["seed"] = draw(st.sampled_from([1, -1]))  # a seed without draws: refused, with the red flags
    return model, ev, flag, settings


@guarded
def check_diagnose(case):
    """``diagnose`` with a readable red flag, on every engine and setting (hostile ones too)."""
    model, ev, flag, settings = case
    out = Outcome()
    try:
        d = twitchnet.diagnose(ev, model=model, strings=True, **settings)
    except Exception as exc:  # noqa: BLE001
        check_error(out, exc, {flag}, "diagnose")
        return out
    out.reached = bool(d.ranking)
    check_result(out, d, {flag}, "diagnose")
    if d.intervals is not None:
        samples = np.asarray(d.intervals.samples)
        if not np.isfinite(samples).all():
            out.bad("diagnose: uncertainty draws not finite")
    return out


# ---------------------------------------------------------------------------------------------- 2. engines
@st.composite
def engine_cases(draw):
    model = draw(models)
    keys = None
    if model is default_model() and draw(st.booleans()):  # the category finding and the group's members
        keys = ["age", "sex", "duration", "muscle_weakness", "twitching", "muscle_wasting", "progressive_spread",
                "speech_or_swallowing", "tingling", "numbness", "arms_affected", "episodic_attacks", "face_or_vision_change"]
    return model, draw(strategies.evidence(model, max_size=10, keys=keys))


def _answers(d):
    return {r.cause: (r.probability, r.disablement, r.sufficiency) for r in d.ranking}


@guarded
def check_engines(case):
    """Every engine on the same evidence: equal to 1e-9 (probabilities, counterfactuals,
    log P(e), contributions), or refused by its limit; groups bounded by their members."""
    model, ev = case
    out = Outcome()
    got, errs = {}, {}
    for name in ENGINES:
        try:
            got[name] = model.diagnose(ev, engine=name)
        except Exception as exc:  # noqa: BLE001
            errs[name] = exc
            if not isinstance(exc, TwitchnetError):
                out.bad(f"engine {name}: bare {type(exc).__name__}: {str(exc)[:300]}")
    ref = got.get("reference")
    for name, exc in errs.items():
        if isinstance(exc, EngineLimitError) and name in ("quickscore", "enumeration"):
            continue
        if ref is not None:
            out.bad(f"engine {name} refused what the reference answers: {type(exc).__name__}: {str(exc)[:200]}")
        elif type(exc) is not type(errs.get("reference")):
            out.bad(f"engine {name}: {type(exc).__name__} where the reference raised {type(errs.get('reference')).__name__}")
    if ref is not None and "reference" in errs:
        return out
    out.reached = ref is not None and len(got) >= 3
    if ref is None:
        if got:
            out.bad(f"engines {sorted(got)} answer what the reference refuses: {errs['reference']!r}"[:300])
        return out
    want = _answers(ref)
    for name, d in got.items():
        a = _answers(d)
        for c, triple in want.items():
            diff = max(abs(x - y) for x, y in zip(triple, a[c]))
            if not diff <= TOL * (1 + max(abs(x) for x in triple)):
                out.bad(f"engine {name} ({d.engine}) differs from the reference on {c}: {a[c]} vs {triple}")
        if not abs(d.log_evidence - ref.log_evidence) <= TOL * (1 + abs(ref.log_evidence)):
            out.bad(f"engine {name}: log P(e) {d.log_evidence} vs {ref.log_evidence}")
        for r in d.ranking:  # the explanation adds up
            total = r.prior_log_odds + math.fsum(c.log_lr for c in r.contributions)
            if math.isfinite(r.log_odds) and not abs(total - r.log_odds) <= 1e-7 * (1 + abs(r.log_odds)):
                out.bad(f"engine {name}: {r.cause}'s contributions add to {total}, log-odds {r.log_odds}")
    if model.kb.groups:
        p = {r.cause: r.probability for r in ref.ranking}
        for g in model.kb.groups:
            q = ref.groups[g.id]
            members = [p[m] for m in g.members]
            if not max(members) - TOL <= q <= min(1.0, sum(members)) + TOL:
                out.bad(f"group {g.id}: {q} outside [max member {max(members)}, sum {sum(members)}]")
    return out


# ---------------------------------------------------------------------------------------------- 3. frames
FRAME_MODELS = st.one_of(
    st.just("default").map(lambda _: default_model()),
    st.sampled_from(BEYOND_SEEDS).map(beyond),
    strategies.small_models(extreme=True),
)


@st.composite
def frame_cases(draw):
    model = draw(FRAME_MODELS)
    n = draw(st.integers(1, 6))
    rows, flags = [], []
    for _ in range(n):
        ev = draw(strategies.evidence(model, max_size=6))
        kind = draw(st.integers(0, 9))
        flag = None
        if kind >= 5:
            flag, ev = _with_flag(draw, model, ev, FRAME_RED_SPELLINGS)
        if kind in (4, 5) and model.finding_ids:  # many present findings: beyond Quickscore's 16
            ev.update({f: True for f in model.finding_ids[:20] if model.spec(f).kind == "finding"})
        rows.append(ev)
        flags.append(flag)
    df = pd.DataFrame([{k: val for k, val in r.items()} for r in rows], dtype=object)
    hostile = None
    if sometimes(draw, 3) and df.shape[1]:  # one hostile cell
        col = draw(st.sampled_from(list(df.columns)))
        row = draw(st.integers(0, n - 1))
        if flags[row] != col:
            hostile = (row, col)
            df.iat[row, list(df.columns).index(col)] = draw(st.sampled_from(["maybe", -3, [1], Decimal("1"), complex(1, 0), 2.5]))
    if sometimes(draw, 6):
        df["patient_id"] = range(n)  # an unknown column: a frame-level error
    if sometimes(draw, 5) and flags[0] is not None:  # C4: an equal, invalid value before a valid True
        col = flags[0]
        df = pd.concat([pd.DataFrame({col: pd.Series([Decimal("1")], dtype=object)}), df], ignore_index=True)
        flags = [None, *flags]
        rows = [{}, *rows]
        hostile = (0, col) if hostile is None else hostile
    errors = draw(st.sampled_from(["raise", "coerce"]))
    engine = draw(st.sampled_from([None, "quickscore", "reference"] if model.enumerable else [None, "quickscore"]))
    return model, df, flags, errors, engine


@guarded
def check_frame(case):
    """``diagnose_frame`` (pandas, errors raise and coerce, Quickscore models): every row with a
    readable red flag urgent, every error a TwitchnetError carrying them, each computed row equal
    to its single diagnosis."""
    model, df, flags, errors, engine = case
    out = Outcome()
    want_flags = {f for f in flags if f is not None}
    try:
        res = twitchnet.diagnose_frame(df, model, errors=errors, engine=engine)
    except Exception as exc:  # noqa: BLE001
        check_error(out, exc, want_flags, f"diagnose_frame(errors={errors!r}, engine={engine!r})")
        return out
    if len(res) != len(df):
        out.bad(f"diagnose_frame: {len(res)} rows for {len(df)}")
        return out
    probs = res[list(model.cause_ids)].to_numpy(dtype=float)
    failed = res["error"].astype(str).to_numpy() != "" if "error" in res else np.zeros(len(res), bool)
    for pos, flag in enumerate(flags):
        if flag is not None:
            if not (res["urgent"].iloc[pos] and res["triage"].iloc[pos] in ("urgent", "emergency") and flag in _rule_flags(model, res["red_flags"].iloc[pos])):
                out.bad(f"diagnose_frame row {pos}: red flag {flag} lost: urgent={res['urgent'].iloc[pos]}, triage={res['triage'].iloc[pos]}, coerced={res.get('coerced', pd.Series([''] * len(res))).iloc[pos]!r}")
    ok = ~failed
    if not (np.isfinite(probs[ok]).all() and ((probs[ok] >= 0) & (probs[ok] <= 1)).all()):
        out.bad("diagnose_frame: a computed row has probabilities outside [0, 1]")
    out.reached = bool(ok.any())
    coerced = res["coerced"].astype(str).to_numpy() if "coerced" in res else np.full(len(res), "")
    for pos in np.flatnonzero(ok & (coerced == "")).tolist()[:3]:  # each clean row equals its diagnosis
        ev = {k: _single(val) for k, val in df.iloc[pos].items() if val is not None and not (isinstance(val, float) and math.isnan(val))}
        try:
            d = model.diagnose(ev, engine=engine or "auto", strings=True)
        except EngineLimitError:
            continue
        except Exception as exc:  # noqa: BLE001
            out.bad(f"diagnose of frame row {pos} raised {type(exc).__name__} where the frame answers: {str(exc)[:200]}")
            continue
        single = np.array([{r.cause: r.probability for r in d.ranking}[c] for c in model.cause_ids])
        if not np.allclose(single, probs[pos], rtol=0, atol=TOL):
            out.bad(f"diagnose_frame row {pos} differs from diagnose by {np.max(np.abs(single - probs[pos])):.3g}")
    return out


def _single(val):
    """A frame's yes/no cell as ``diagnose(strings=True)`` takes it (a frame also reads 1/0)."""
    return bool(val) if type(val) in (int, float) and val in (0, 1) else val


def _rule_flags(model, fired):
    """The flag ids behind the comma-separated rule ids of a frame's ``red_flags`` cell."""
    ids = set(str(fired).split(","))
    return {f for r in model.kb.rules if r.id in ids for f in (*r.all_of, *r.any_of)}


# ---------------------------------------------------------------------------------------------- 4. uncertainty
# (value, low, high); None keeps the number's own. Values stay inside (0, 1) as the loader
# requires; ranges may touch 0 and 1 (it accepts 0 <= low <= high <= 1).
EDGES_P = [(None, 0.0, None), (None, None, 1.0), (1e-300, 1e-300, 1e-300), (1 - 1e-16, 0.5, 1.0),
           (0.999999999999, 0.5, 1.0), (1e-12, 0.0, 0.5), (None, None, None), (0.5, 0.0, 1.0)]
EDGES_OR = [(1e-6, 1e-6, 1.0), (1e6, 1.0, 1e6), (None, 1e-6, 1e6), (None, None, None)]


def _editable(kb):
    """Indices (in ``kb.numbers()`` order) of numbers that can be moved alone: not the routine
    threshold, not a category's priors (they sum to 1), not a structural zero; with their kind."""
    out = []
    for i, (where, n) in enumerate(kb.numbers()):
        if where.startswith(("model.toml", "risk_factors.toml")) and "prior[0]" not in where:
            continue
        if where.startswith("risk_factors.toml"):
            rf = next(r for r in kb.risk_factors if where.startswith(f"risk_factors.toml: {r.id}.prior"))
            if len(rf.prior) != 1 or n.structural:
                continue
        if n.structural:
            continue
        out.append((i, ".effects." in where))
    return out


@st.composite
def perturbed_models(draw, sensitivity=False):
    base = default_model() if not sensitivity and sometimes(draw, 3) else draw(strategies.small_models(extreme=draw(st.booleans())))
    kb = base.kb
    nums = [n for _, n in kb.numbers()]
    theta = [n.value for n in nums]
    ranges = [(n.low, n.high) for n in nums]
    editable = _editable(kb)
    for i, is_or in draw(st.lists(st.sampled_from(editable), min_size=1, max_size=4, unique=True)):
        value, low, high = draw(st.sampled_from(EDGES_OR if is_or else EDGES_P))
        value = theta[i] if value is None else value
        low = min(ranges[i][0], value) if low is None else min(low, value)
        high = max(ranges[i][1], value) if high is None else max(high, value)
        theta[i], ranges[i] = value, (low, high)
    from twitchnet.explain.uncertainty import with_numbers

    return twitchnet.DiagnosticModel(with_numbers(kb, theta, ranges=ranges))


@st.composite
def uncertainty_cases(draw):
    model = draw(perturbed_models())
    ev = draw(strategies.evidence(model, max_size=6))
    flag, ev = _with_flag(draw, model, ev)
    return model, ev, flag, draw(st.integers(1, 40)), draw(st.integers(0, 2**32)), draw(st.sampled_from([None, 1, 5]))


@guarded
def check_uncertainty(case):
    """Uncertainty draws and ``rests_on`` on knowledge bases whose ranges touch 0 or 1: urgent,
    finite and ordered intervals, finite effects, or a TwitchnetError carrying the red flag."""
    model, ev, flag, n, seed, k = case
    out = Outcome()
    try:
        d = model.diagnose(ev, strings=True, uncertainty=n, seed=seed)
    except Exception as exc:  # noqa: BLE001
        check_error(out, exc, {flag}, f"diagnose(uncertainty={n})")
        return out
    check_result(out, d, {flag}, "diagnose(uncertainty)")
    if d.intervals is None:
        if d.ranking:
            out.bad("uncertainty: no intervals")
        return out
    out.reached = True
    if not np.isfinite(np.asarray(d.intervals.samples)).all():
        out.bad("uncertainty: draws not finite")
    for c in d.intervals.causes:
        if not 0 <= c.low <= c.median <= c.high <= 1:
            out.bad(f"uncertainty: {c.cause} interval {c.low}, {c.median}, {c.high}")
    try:
        effects = [r.effect for r in d.rests_on(k)]
    except Exception as exc:  # noqa: BLE001
        check_error(out, exc, {flag}, "rests_on")
    else:
        if not np.isfinite(effects).all():
            out.bad("rests_on: effects not finite")
    return out


@st.composite
def sensitivity_cases(draw):
    return draw(perturbed_models(sensitivity=True)), draw(st.integers(1, 25)), draw(st.integers(0, 2**32))


@guarded
def check_sensitivity(case):
    """``sensitivity`` sweeps ranges ending at 0 or 1 (and values at 1e-300 or 1 - 1e-16): finite
    shares in [0, 1] or a TwitchnetError."""
    model, n, seed = case
    out = Outcome()
    try:
        with np.errstate(all="ignore"):
            s = twitchnet.sensitivity(model, n, seed=seed)
    except Exception as exc:  # noqa: BLE001
        check_error(out, exc, (), "sensitivity")
        return out
    out.reached = bool(s.rows)
    for r in s.rows:
        if not 0 <= r.changed <= 1:
            out.bad(f"sensitivity: {r.where} changed {r.changed}")
    return out


# ---------------------------------------------------------------------------------------------- 5. interviews
@st.composite
def interview_cases(draw):
    model = beyond(draw(st.sampled_from(BEYOND_SEEDS)))
    keys = list(model.finding_ids) + ["saddle_numbness"]
    start = draw(st.dictionaries(st.sampled_from(keys), st.sampled_from([True, False, None]), max_size=5))
    if sometimes(draw, 6):
        start[draw(HOSTILE_KEYS)] = draw(HOSTILE_VALUES)
    settings = {}
    if sometimes(draw, 4):
        settings["threshold"] = draw(st.sampled_from([0.0, 0.5, 0.999, 1, 2, "x"]))
    if sometimes(draw, 4):
        settings["max_questions"] = draw(st.sampled_from([1, 3, 0, -1, 2.5]))
    answers = draw(st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=6))
    return model, start, settings, answers


@guarded
def check_interview(case):
    """An interview, ``next_questions`` and ``next_tests`` beyond enumeration: the warning sign
    asked first (or refused carrying it), never a stop before it is asked or answered yes."""
    model, start, settings, answers = case
    out = Outcome()
    flag = "saddle_numbness"
    flags = {flag} if start.get(flag) is True else set()
    try:
        iv = twitchnet.Interview(model, start, **settings)
    except Exception as exc:  # noqa: BLE001
        check_error(out, exc, flags, "Interview()")
        return out
    for step in range(len(answers) + 1):
        known = iv.evidence.get(flag)
        if known is True and not (iv.done and iv.stop_reason == "red_flag" and iv.diagnosis.urgent):
            out.bad(f"interview: red flag answered yes, yet done={iv.done}, stop={iv.stop_reason}, urgent={iv.diagnosis.urgent}")
        asked = flag in iv.asked or known is not None
        if not asked and flag not in iv.unasked_red_flags:
            out.bad("interview: the unasked warning sign is not listed in unasked_red_flags")
        if iv.done:
            if not asked and known is not True:
                out.bad(f"interview stopped ({iv.stop_reason}) before asking the warning sign")
            break
        q = iv.question()
        if q is None:
            out.bad(f"interview not done (stop {iv.stop_reason}) yet asks nothing")
            break
        if not asked and q.id != flag:
            out.bad(f"interview asks {q.id} before the warning sign")
        if step == len(answers):
            break
        try:
            iv.answer(q.id, answers[step])
        except Exception as exc:  # noqa: BLE001
            check_error(out, exc, flags, f"Interview.answer({q.id!r}, {answers[step]!r})")
            return out
        out.reached = True
    ev = dict(iv.evidence)
    flags = {flag} if ev.get(flag) is True else set()
    for name, call in (("next_questions", lambda: model.diagnose(ev).next_questions()),
                       ("next_tests", lambda: twitchnet.next_tests(ev, model=model))):
        try:
            found = call()
        except Exception as exc:  # noqa: BLE001
            check_error(out, exc, flags, name)
            if isinstance(exc, EngineLimitError) and flag not in ev and flag not in {q.id for q in exc.ask_first}:
                out.bad(f"{name}: refused without the unasked warning sign in ask_first")
            continue
        items = list(getattr(found, "ask_first", ())) or list(found)
        if flag not in ev and not (items and getattr(items[0], "id", None) == flag):
            out.bad(f"{name}: the unasked warning sign does not come first")
    return out


# ---------------------------------------------------------------------------------------------- 6. fit
@st.composite
def fit_cases(draw):
    model = draw(st.one_of(strategies.small_models(max_causes=3, max_findings=4, extreme=draw(st.booleans())),
                           st.just("default").map(lambda _: default_model())) if sometimes(draw, 5)
                 else strategies.small_models(max_causes=3, max_findings=4, extreme=draw(st.booleans())))
    small = model is not default_model()
    n = draw(st.integers(5, 150 if small else 60))
    seed = draw(st.integers(0, 2**32))
    recipe = {
        "causes": draw(st.booleans()),
        "missing": draw(st.sampled_from([0.0, 0.3, 0.8])),
        "duplicates": draw(st.integers(0, 3)),
        "text": draw(st.booleans()),
        "flag_column": draw(st.booleans()),
        "hostile_cell": sometimes(draw, 6),
        "prior_strength": draw(st.sampled_from([0.0, 0.5, 1.0, 5.0])),
        "partial": draw(st.sampled_from([0, 0, 5, 40])),
        "max_iter": draw(st.integers(1, 4 if small else 2)),
    }
    return model, n, seed, recipe


def hostile_records(model, n, seed, recipe):
    """Simulated records made hostile: missing cells, duplicated rows, yes/no text, a red-flag
    column, a bad cell."""
    rng = np.random.default_rng(seed)
    df = model.simulate(n, seed=int(rng.integers(2**32)), causes=recipe["causes"]).astype(object)
    if recipe["missing"]:
        df = df.mask(rng.random(df.shape) < recipe["missing"])
    for _ in range(recipe["duplicates"]):
        df = pd.concat([df, df.iloc[rng.integers(0, len(df), size=max(1, len(df) // 3))]])
    if recipe["text"]:
        col = df.columns[rng.integers(df.shape[1])]
        df[col] = df[col].map(lambda x: {True: "yes", False: "no"}.get(x, x) if isinstance(x, bool) else x)
    if recipe["flag_column"]:
        flag = sorted(model.red_flag_ids)[rng.integers(len(model.red_flag_ids))]
        df[flag] = pd.Series(rng.random(len(df)) < 0.2, index=df.index, dtype=object)
    if recipe["hostile_cell"]:
        df.iat[int(rng.integers(len(df))), int(rng.integers(df.shape[1]))] = "maybe"
    return df.reset_index(drop=True)


def _monotone(out, history, where):
    h = np.asarray(history, dtype=float)
    if h.size > 1 and not (np.diff(h) >= -1e-7 * (1 + np.abs(h[1:]))).all():
        out.bad(f"{where}: the log posterior fell: diffs {np.diff(h)[:5]}")


@guarded
def check_fit(case):
    """``fit`` / ``partial_fit`` on hostile records: TwitchnetErrors only; the fitted model keeps
    every rule and flag, answers red flags urgently, its log posterior never falls, and its
    engines agree (stale tables would not)."""
    model, n, seed, recipe = case
    out = Outcome()
    df = hostile_records(model, n, seed, recipe)
    try:
        f = twitchnet.fit(df, model, prior_strength=recipe["prior_strength"], max_iter=recipe["max_iter"])
    except Exception as exc:  # noqa: BLE001
        check_error(out, exc, (), "fit")
        if not recipe["hostile_cell"] and isinstance(exc, TwitchnetError):
            out.bad(f"fit refused records with no bad cell: {str(exc)[:300]}")
        return out
    out.reached = True
    _monotone(out, f.history, "fit")
    fitted = [("fit", f)]
    if recipe["partial"]:
        more = hostile_records(model, recipe["partial"], seed + 1, {**recipe, "hostile_cell": False})
        try:
            g = twitchnet.partial_fit(f, more, max_iter=recipe["max_iter"])
        except Exception as exc:  # noqa: BLE001
            check_error(out, exc, (), "partial_fit")
            if isinstance(exc, TwitchnetError):
                out.bad(f"partial_fit refused records with no bad cell: {str(exc)[:300]}")
        else:
            _monotone(out, g.history, "partial_fit")
            fitted.append(("partial_fit", g))
    rng = np.random.default_rng(seed)
    for where, m in fitted:
        if m.kb.rules != model.kb.rules or m.red_flag_ids != model.red_flag_ids or m.kb.aliases != model.kb.aliases:
            out.bad(f"{where}: rules, flags or aliases changed")
        flag = sorted(model.red_flag_ids)[rng.integers(len(model.red_flag_ids))]
        ev = {flag: True}
        for c in model.finding_ids[:3]:
            if c != flag and model.spec(c).kind == "finding":
                ev[c] = bool(rng.integers(2))
        got = {}
        for name in ("reference", "enumeration", "auto"):
            try:
                d = m.diagnose(ev, engine=name)
            except Exception as exc:  # noqa: BLE001
                check_error(out, exc, {flag}, f"{where} model diagnose({name})")
                continue
            check_result(out, d, {flag}, f"{where} model diagnose({name})")
            got[name] = np.array([r.probability for r in sorted(d.ranking, key=lambda r: r.cause)])
        if "reference" in got:
            for name, p in got.items():
                if not np.allclose(p, got["reference"], rtol=0, atol=TOL):
                    out.bad(f"{where} model: engine {name} differs from the reference by {np.max(np.abs(p - got['reference'])):.3g}")
    return out


# ---------------------------------------------------------------------------------------------- 7. disk
_ANSWER_CASES = (
    {"age": 68, "sex": "male", "tingling": True, "burning_pain": True, "stocking_distribution": True, "diabetes": True},
    {"age": 40, "tingling": True},
)

_POISON = r'''
import dataclasses, json, sys, warnings
import numpy as np, pandas as pd, twitchnet
from twitchnet.explain.uncertainty import with_numbers
warnings.simplefilter("ignore")
rng = np.random.default_rng(SEED)
packaged = twitchnet.load_model()
kb = packaged.kb
nums = list(kb.numbers())
done = []

def edited():
    # numbers moved by dataclasses.replace: location and content hash kept (hostile C1)
    i = int(rng.integers(1, len(kb.causes)))
    c = kb.causes[i]
    causes = list(kb.causes)
    causes[i] = dataclasses.replace(c, baseline=dataclasses.replace(c.baseline, value=float(rng.uniform(0.01, 0.99))))
    f = kb.findings[int(rng.integers(len(kb.findings)))]
    findings = [dataclasses.replace(x, leak=dataclasses.replace(x.leak, value=float(rng.uniform(1e-6, 0.5)))) if x.id == f.id else x for x in kb.findings]
    return twitchnet.DiagnosticModel(dataclasses.replace(kb, causes=tuple(causes), findings=tuple(findings)))

def records(n):
    df = packaged.simulate(n, seed=int(rng.integers(2**32)), causes=bool(rng.integers(2))).astype(object)
    return df.mask(rng.random(df.shape) < rng.choice([0.0, 0.3, 0.8]))

for step in range(STEPS):
    op = int(rng.integers(5))
    ev = {"age": int(rng.integers(18, 90)), "tingling": True, "twitching": bool(rng.integers(2))}
    if op == 0:
        m = edited(); m.diagnose(ev, engine="enumeration"); twitchnet.diagnose_frame(packaged.simulate(5, seed=step), m)
    elif op == 1:
        f = twitchnet.fit(records(int(rng.integers(20, 120))), max_iter=int(rng.integers(1, 3)), prior_strength=float(rng.choice([0.0, 1.0])))
        f.diagnose(ev, engine="enumeration")
    elif op == 2:
        f = twitchnet.fit(records(30), max_iter=1)
        g = twitchnet.partial_fit(f, records(int(rng.integers(5, 40))), max_iter=int(rng.integers(1, 3)))
        g.diagnose(ev, engine="enumeration")
    elif op == 3:
        m = edited(); m.diagnose(ev, uncertainty=int(rng.integers(1, 20)), seed=step)
        packaged.diagnose(ev, uncertainty=5, seed=step)
    else:
        theta = [n.value for _, n in nums]
        i = int(rng.integers(len(theta)))
        theta[i] = theta[i] if "prior[" in nums[i][0] or "threshold" in nums[i][0] else float(rng.uniform(0.01, 0.99)) if theta[i] < 1 else theta[i] * 3
        m = twitchnet.DiagnosticModel(dataclasses.replace(with_numbers(kb, theta), location=kb.location, content_hash=kb.content_hash))
        m.diagnose(ev, engine="enumeration")
    done.append(op)
print(json.dumps(done))
'''

_ANSWERS = r'''
import json, twitchnet
out = []
for c in CASES:
    for engine in ("auto", "enumeration"):
        try:
            d = twitchnet.diagnose(c, engine=engine)
        except twitchnet.TwitchnetError as exc:
            out.append({"_triage": type(exc).__name__})
            continue
        out.append({r.cause: r.probability for r in d.ranking} | {"_triage": d.triage})
print(json.dumps(out))
'''


def _python(code, env):
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600, check=False)
    return res.returncode, res.stdout, res.stderr


@st.composite
def disk_cases(draw):
    extra = draw(st.lists(strategies.evidence(default_model(), max_size=6).filter(lambda e: "pregnancy" not in e), min_size=1, max_size=3))
    return draw(st.integers(0, 2**32)), draw(st.integers(2, 5)), extra


@guarded
def check_disk(case):
    """Hostile fits, partial fits, edited models and uncertainty draws in a fresh cache folder;
    then the packaged model's answers in a new process equal those with the cache off."""
    seed, steps, extra = case
    out = Outcome()
    cases = [*_ANSWER_CASES, *extra]
    with tempfile.TemporaryDirectory(prefix="twitchnet-hostile-") as tmp:
        base = {k: val for k, val in os.environ.items() if k not in ("TWITCHNET_NO_CACHE", "TWITCHNET_NO_KERNEL")}
        env = dict(base, TWITCHNET_CACHE_DIR=tmp)
        code, stdout, stderr = _python(_POISON.replace("SEED", str(seed)).replace("STEPS", str(steps)), env)
        if code != 0:
            out.bad(f"the hostile process failed: {stderr[-800:]}")
            return out
        out.reached = bool(json.loads(stdout))
        answers = _ANSWERS.replace("CASES", repr(cases))
        code, after, stderr = _python(answers, env)
        code2, clean, stderr2 = _python(answers, dict(base, TWITCHNET_CACHE_DIR=tmp + "-off", TWITCHNET_NO_CACHE="1"))
        if code or code2:
            out.bad(f"the answering process failed: {(stderr or stderr2)[-800:]}")
            return out
        packaged = default_model()
        names = sorted(p.name for p in Path(tmp).iterdir() if p.name.startswith("kernel-"))
        if any(packaged.fingerprint not in name for name in names):
            out.bad(f"kernel tables written under another key than the packaged fingerprint: {names}")
    for i, (got, want) in enumerate(zip(json.loads(after), json.loads(clean))):
        if got["_triage"] != want["_triage"]:
            out.bad(f"case {cases[i // 2]}: triage {got['_triage']} after the hostile process, {want['_triage']} with the cache off")
        diff = max((abs(got[c] - want[c]) for c in want if c != "_triage"), default=0.0)
        if not diff <= 1e-12:
            out.bad(f"case {cases[i // 2]}: answers differ by {diff:.3g} after the hostile process")
    return out


# ---------------------------------------------------------------------------------------------- the table
# name -> (strategy, check, examples in CI, floor: the share of examples that must reach the code)
PATHS = {
    "diagnose (red flag, every engine and setting)": (diagnose_cases(), check_diagnose, 60, 0.3),
    "engines agree (default, random networks, duration, groups)": (engine_cases(), check_engines, 40, 0.6),
    "diagnose_frame (raise/coerce, Quickscore models)": (frame_cases(), check_frame, 40, 0.3),
    "uncertainty + rests_on (ranges touching 0/1)": (uncertainty_cases(), check_uncertainty, 25, 0.5),
    "sensitivity (ranges touching 0/1)": (sensitivity_cases(), check_sensitivity, 8, 0.5),
    "interview + next_questions/next_tests beyond enumeration": (interview_cases(), check_interview, 30, 0.3),
    "fit / partial_fit (hostile records)": (fit_cases(), check_fit, 10, 0.5),
    "disk cache (new process vs cache off)": (disk_cases(), check_disk, 1, 1.0),
}
