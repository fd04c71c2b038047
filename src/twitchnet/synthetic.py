"""Random models of any size with twitchnet's structure, for tests, benchmarks and trying scale.

>>> import twitchnet.synthetic
>>> model = twitchnet.synthetic.network(causes=40, findings=200, parents_per_finding=(1, 5), seed=0)
>>> model.diagnose({"age": 50, "sex": "female", "f001": True}).engine
'quickscore'

(40 causes: beyond what enumeration runs, so ``"auto"`` picks Quickscore; the QMR-shaped network
of :func:`network`'s docstring works the same way.)

The numbers are random (none is clinical): every one is marked ``source = "judgement"`` with the
note "synthetic". The knowledge base is built in memory as the tables the TOML files would parse
to and validated by the loader's own rules (:func:`twitchnet.kb.loader.knowledge_base_from_data`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from twitchnet import _validation as v
from twitchnet import limits
from twitchnet.errors import KnowledgeBaseError

if TYPE_CHECKING:
    from twitchnet.model import DiagnosticModel

__all__ = ["knowledge_base_data", "network", "with_ranges"]

_NOTE = "synthetic (twitchnet.synthetic.network): a random number, not clinical"


def _num(value, lo=None, hi=None):
    value = float(value)
    return {"value": value, "low": value if lo is None else lo, "high": value if hi is None else hi, "source": "judgement", "note": _NOTE}


def _check_int(key, value, low):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise v.fail(KnowledgeBaseError, key, f"an integer of at least {low}", value)
    return int(value)


def _range(key, value, low, high):
    """``(a, b)`` from an int or a pair of ints, within [low, high]."""
    pair = (value, value) if isinstance(value, (int, np.integer)) and not isinstance(value, bool) else value
    if (not isinstance(pair, (tuple, list)) or len(pair) != 2
            or not all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in pair)
            or not low <= pair[0] <= pair[1] <= high):
        raise v.fail(KnowledgeBaseError, key, f"an integer or a pair (low, high) of integers with {low} <= low <= high <= {high}", value)
    return int(pair[0]), int(pair[1])


def _check_footprint(causes, findings, has_private):
    """The loader's estimate of the compiled tables (age x sex shared, one yes/no factor per cause
    that has one), refused beyond :data:`twitchnet.limits.MAX_MODEL_BYTES` before the findings'
    tables are drawn.
    """
    from twitchnet.kb.loader import _footprint

    private = [[2] if p else [] for p in has_private.tolist()]
    need = _footprint(findings, causes, [4, 2], private, 2 + sum(map(len, private)), 4)
    if need > limits.MAX_MODEL_BYTES:
        raise v.fail(KnowledgeBaseError, "causes, findings", f"a network whose tables take at most {limits.MAX_MODEL_BYTES // 2**20} MiB "
                     "(twitchnet.limits.MAX_MODEL_BYTES)", f"{causes} causes and {findings} findings: about {need // 2**20} MiB")


def _real(x):
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool) and math.isfinite(x)


def _log_uniform(rng, lo, hi, size=None):
    return np.exp(rng.uniform(math.log(lo), math.log(hi), size))


def knowledge_base_data(causes=20, findings=40, parents_per_finding=(1, 4), seed=None, *, private_factors=0.5,
                        prior=(1e-3, 0.05), link=(0.05, 0.9), leak=(1e-4, 1e-2)):
    """The tables of a random knowledge base (file name -> parsed table): see :func:`network`."""
    causes = _check_int("causes", causes, 1)
    findings = _check_int("findings", findings, 1)
    # the loader's size limits, before anything is drawn (synthetic.network(5, 10**9) drew its
    # tables, then ran out of memory)
    for key, n, most in (("causes", causes, limits.MAX_MODEL_CAUSES), ("findings", findings, limits.MAX_MODEL_FINDINGS)):
        if n > most:
            raise v.fail(KnowledgeBaseError, key, f"at most {most} (twitchnet.limits.MAX_MODEL_{key.upper()})", n)
    lo_pa, hi_pa = _range("parents_per_finding", parents_per_finding, 1, causes)
    if not (isinstance(private_factors, (int, float)) and 0.0 <= private_factors <= 1.0):
        raise v.fail(KnowledgeBaseError, "private_factors", "a share from 0 to 1", private_factors)
    for key, pair in (("prior", prior), ("link", link), ("leak", leak)):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(_real(x) for x in pair) and 0.0 < pair[0] <= pair[1] < 1.0):
            raise v.fail(KnowledgeBaseError, key, "a pair (low, high) with 0 < low <= high < 1", pair)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise v.fail(KnowledgeBaseError, "seed", "a whole number >= 0 or None", seed)
    rng = np.random.default_rng(seed)
    width = len(str(max(causes, findings)))
    cid = [f"c{i + 1:0{width}d}" for i in range(causes)]
    fid = [f"f{i + 1:0{width}d}" for i in range(findings)]
    risk = {
        "age": {"meaning": "years, a number (binned by the model)", "kind": "number", "unit": "years", "min": 18, "max": 120,
                "edges": [18, 40, 60, 70, 121], "states": ["18-39", "40-59", "60-69", "70+"],
                "prior": [_num(0.36), _num(0.33), _num(0.15), _num(0.16)]},
        "sex": {"meaning": "\"female\" or \"male\"", "kind": "category", "states": ["female", "male"], "prior": [_num(0.51), _num(0.49)]},
    }
    cause_tables = {}
    baselines = _log_uniform(rng, prior[0], prior[1], causes)
    has_private = rng.random(causes) < private_factors
    _check_footprint(causes, findings, has_private)
    for i, c in enumerate(cid):
        effects = {
            "age=40-59": _num(rng.uniform(0.5, 2.0)),
            "age=60-69": _num(rng.uniform(0.5, 3.0)),
            "age=70+": _num(rng.uniform(0.5, 4.0)),
            "sex=male": _num(rng.uniform(0.5, 2.0)),
        }
        if has_private[i]:
            r = f"r{c[1:]}"
            risk[r] = {"meaning": f"a risk factor of cause {c} only", "prior": _num(rng.uniform(0.02, 0.3))}
            effects[r] = _num(rng.uniform(1.5, 10.0))
        cause_tables[c] = {"name": f"Cause {c}", "meaning": f"synthetic cause {c}", "care": "clinician" if i % 2 == 0 else "self_care",
                           "summary": f"Synthetic cause {c}.", "advice": "None: a synthetic model.", "baseline": _num(baselines[i]), "effects": effects}
    finding_tables = {}
    n_parents = rng.integers(lo_pa, hi_pa + 1, findings)
    leaks = _log_uniform(rng, leak[0], leak[1], findings)
    for j, f in enumerate(fid):
        pa = rng.choice(causes, size=n_parents[j], replace=False)
        links = {cid[c]: _num(rng.uniform(link[0], link[1])) for c in sorted(pa.tolist())}
        finding_tables[f] = {"meaning": f"synthetic finding {f}", "leak": _num(leaks[j]), "causes": links}
    return {
        "model.toml": {"name": f"synthetic-{causes}x{findings}", "version": f"seed-{seed}",
                       "description": "A random model from twitchnet.synthetic.network (numbers are not clinical).",
                       "population": "none: a random network for tests and benchmarks",
                       "triage": {"routine_threshold": _num(0.25)}},
        "sources.toml": {"judgement": {"citation": "Random numbers drawn by twitchnet.synthetic.network; not clinical."}},
        "risk_factors.toml": risk,
        "causes.toml": cause_tables,
        "findings.toml": finding_tables,
        "red_flags.toml": {},
        "aliases.toml": {},
    }


def network(causes=20, findings=40, parents_per_finding=(1, 4), seed=None, *, private_factors=0.5,
            prior=(1e-3, 0.05), link=(0.05, 0.9), leak=(1e-4, 1e-2), engine="auto"):
    """A random :class:`~twitchnet.DiagnosticModel` of any size with twitchnet's structure.

    Age (4 bands) and sex form the context and feed every cause (logistic priors with random odds
    ratios); a share of the causes also has one private yes/no risk factor; each finding is a
    noisy-OR of ``parents_per_finding`` distinct random causes with a leak. QMR-DT-shaped (Shwe et
    al. 1991: about 600 diseases, 4,000 findings, 40,000 links) with
    ``network(600, 4000, (1, 20))``.

    Parameters
    ----------
    causes, findings : int
    parents_per_finding : int or (int, int), default=(1, 4)
        Causes per finding, or a range drawn uniformly per finding.
    seed : int, optional
        Same seed, same model (numpy's ``default_rng``).
    private_factors : float, default=0.5
        Share of causes with a private risk factor.
    prior, link, leak : (float, float)
        Ranges of the cause baselines (log-uniform), link probabilities (uniform) and leaks
        (log-uniform).
    engine : str, default="auto"
        See :class:`~twitchnet.DiagnosticModel`. Beyond 16 causes only Quickscore runs.

    Returns
    -------
    DiagnosticModel

    Raises
    ------
    KnowledgeBaseError
        For a bad argument (naming it), or sizes beyond :mod:`twitchnet.limits`.
    """
    from twitchnet.kb.loader import knowledge_base_from_data
    from twitchnet.model import DiagnosticModel

    data = knowledge_base_data(causes, findings, parents_per_finding, seed, private_factors=private_factors,
                               prior=prior, link=link, leak=leak)
    return DiagnosticModel(knowledge_base_from_data(data, location=f"twitchnet.synthetic seed={seed}"), engine=engine)


def with_ranges(model: DiagnosticModel) -> DiagnosticModel:
    """The same model with a range around each of its numbers, for trying uncertainty on it.

    A synthetic network's numbers are points (their ranges have no width), so its uncertainty
    intervals are points too. Here probabilities get ``[0.5 p, min(1.5 p, (1 + p) / 2)]`` and
    odds ratios ``[r / 2, 2 r]``; structural numbers and the triage threshold (``model.toml``) stay
    points. The values are unchanged, so every posterior is too. Random ranges, not clinical ones.

    Parameters
    ----------
    model : DiagnosticModel
        Any model (a synthetic network, usually).

    Returns
    -------
    DiagnosticModel
        A new model with the same engine setting; ``model`` is not changed.

    Examples
    --------
    >>> import twitchnet.synthetic
    >>> m = twitchnet.synthetic.with_ranges(twitchnet.synthetic.network(causes=6, findings=12, seed=1))
    >>> d = m.diagnose({"age": 50, "sex": "female", "f01": True})
    >>> u = d.uncertainty(draws=200, seed=0)
    >>> max(c.high - c.low for c in u.causes) > 0
    True
    """
    from twitchnet.model import DiagnosticModel
    from twitchnet.model.parameters import with_numbers

    ranges = []
    for where, n in model.kb.numbers():
        if n.structural or where.startswith("model.toml"):
            ranges.append((n.value, n.value))
        elif ".effects." in where:
            ranges.append((n.value / 2, n.value * 2))
        else:
            ranges.append((n.value * 0.5, min(n.value * 1.5, (1 + n.value) / 2)))
    values = [n.value for _, n in model.kb.numbers()]
    return DiagnosticModel(with_numbers(model.kb, values, ranges=ranges), engine=model.engine)
