"""Threads and processes share a model safely; models and results are immutable."""

import concurrent.futures as cf
import pickle
import sys

import numpy as np
import pytest

import twitchnet
from twitchnet.simulate import simulate

THREADS = 8
PER_THREAD = 1000


def _cases(model, n, seed=0):
    df = simulate(model, n, seed=seed)
    rng = np.random.default_rng(seed)
    cases = []
    for _, row in df.iterrows():
        keep = rng.random(len(row)) < 0.4
        cases.append({k: (v.item() if hasattr(v, "item") else v) for (k, v), kp in zip(row.items(), keep) if kp})
    return cases


def _probs(model, cases):
    return [tuple(r.probability for r in model.diagnose(ev).ranking) + (model.diagnose(ev).triage,) for ev in cases]


def test_threads_agree_with_a_serial_run(model):
    cases = _cases(model, 250)
    serial = _probs(model, cases)

    def work(t):
        order = cases[t:] + cases[:t]  # each thread starts at a different case
        return _probs(model, order * (PER_THREAD // len(cases)))

    with cf.ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))
    for t, res in enumerate(results):
        assert res == (serial[t:] + serial[:t]) * (PER_THREAD // len(cases))
    assert sum(len(r) for r in results) == THREADS * PER_THREAD


def _worker(args):
    model, cases = args
    return _probs(model, cases)


def test_process_pool_gives_identical_answers(model):
    cases = _cases(model, 40, seed=1)
    with cf.ProcessPoolExecutor(2) as pool:
        remote = list(pool.map(_worker, [(model, cases[:20]), (model, cases[20:])]))
    assert remote[0] + remote[1] == _probs(model, cases)


def test_model_pickles_and_stays_read_only(model):
    m2 = pickle.loads(pickle.dumps(model))
    assert m2.content_hash == model.content_hash
    assert m2.diagnose({"tingling": True}) == model.diagnose({"tingling": True})
    with pytest.raises(ValueError):
        m2.arrays.log_f1[0, 0] = 1.0
    with pytest.raises(AttributeError):
        m2.name = "x"


def test_results_are_immutable(model):
    d = model.diagnose({"tingling": True, "muscle_weakness": True})
    for obj, attr in [(d, "triage"), (d.ranking[0], "probability"), (d.red_flags[0], "level"), (d.provenance, "version"), (model.kb, "name")]:
        with pytest.raises(AttributeError):
            setattr(obj, attr, None)


def test_no_module_state_changes_while_diagnosing(model):
    """No module-level state changes, except twitchnet._memo: the caches of values derived from
    immutable objects (compiled arrays, red-flag answers), kept beside them by identity."""
    mods = [m for name, m in sys.modules.items() if name.startswith("twitchnet") and m is not None and name != "twitchnet._memo"]

    def snapshot():
        snap = {}
        for mod in mods:
            for k, v in vars(mod).items():
                if isinstance(v, (dict, list, set)) and not k.startswith("__"):
                    snap[(mod.__name__, k)] = repr(v)
        return snap

    before = snapshot()
    for ev in _cases(model, 30, seed=5):
        model.diagnose(ev)
        twitchnet.diagnose(ev)
    assert snapshot() == before


def _diagnose_remote(args):
    model, ev = args
    return model.diagnose(ev)


def test_diagnoses_pickle_and_come_back_from_processes(model):
    d = model.diagnose({"tingling": True, "saddle_numbness": True})
    assert pickle.loads(pickle.dumps(d)) == d
    with cf.ProcessPoolExecutor(1) as pool:
        assert pool.submit(_diagnose_remote, (model, {"tingling": True, "saddle_numbness": True})).result() == d
