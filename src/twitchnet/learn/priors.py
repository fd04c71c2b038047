"""The M-step's priors: each learnable number's prior from its knowledge-base value and range."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

_Z95 = 3.919927969080108  # width of a central 95% normal interval in standard deviations


# ---------------------------------------------------------------------------------------------- structure
class _Structure:
    """What does not change while fitting: which number is where, priors, design matrices."""

    def __init__(self, model, prior_strength=1.0):
        kb = model.kb
        arr = model.arrays
        self.kb = kb
        self.n_c = len(model.cause_ids)
        self.cause_ids = model.cause_ids
        self.finding_ids = model.finding_ids
        self.rf_ids = model.risk_factor_ids
        self.lam = float(prior_strength)
        self.ctx_vars = arr.ctx_vars
        self.ctx_states = arr.ctx_states
        self.priv_vars = arr.priv_vars
        self.priv_states = arr.priv_states
        from twitchnet.model.tables import _consistent, _patterns

        n_states = [len(r.states) for r in kb.risk_factors]
        self.ctx_pats, self.ctx_radix = _patterns([n_states[i] for i in self.ctx_vars])
        self.ctx_cons = _consistent(self.ctx_pats, self.ctx_states)
        self.priv_radix, self.priv_cons = [], []
        for c in range(self.n_c):
            pats, radix = _patterns([n_states[i] for i in self.priv_vars[c]])
            self.priv_radix.append(radix)
            self.priv_cons.append(_consistent(pats, self.priv_states[c]).astype(float))
        # logistic design per cause: rows (k, j) in C order, columns the effects
        ctx_names = [model.risk_factor_ids[i] for i in self.ctx_vars]
        self.design = []
        for c, cause in enumerate(kb.causes):
            priv_names = [model.risk_factor_ids[i] for i in self.priv_vars[c]]
            k_n, j_n = self.ctx_states.shape[0], self.priv_states[c].shape[0]
            x = np.zeros((k_n * j_n, len(cause.effects)))
            for k in range(k_n):
                for j in range(j_n):
                    assign = {n: kb.risk_factors[model.risk_factor_ids.index(n)].states[s] for n, s in zip(ctx_names, self.ctx_states[k])}
                    assign |= {n: kb.risk_factors[model.risk_factor_ids.index(n)].states[s] for n, s in zip(priv_names, self.priv_states[c][j])}
                    x[k * j_n + j] = [e.applies(assign) for e in cause.effects]
            self.design.append(x)
        # every number: its prior
        self.prior = {}
        for where, n in kb.numbers():
            if where.startswith("model.toml"):
                continue
            self.prior[where] = _prior_of(where, n)
        # category / number factors share one Dirichlet weight (mean of the states' Beta weights)
        for rf in kb.risk_factors:
            if rf.kind != "binary":
                keys = [f"risk_factors.toml: {rf.id}.prior[{i}]" for i in range(len(rf.states))]
                ps = [self.prior[k] for k in keys]
                fixed = any(p.fixed for p in ps)
                w = float(np.mean([p.weight for p in ps])) if not fixed else math.inf
                for k, p in zip(keys, ps):
                    self.prior[k] = replace(p, weight=w, fixed=fixed)


@dataclass(frozen=True)
class _Prior:
    kind: str  # "beta" (probability), "logit" (baseline), "log" (odds ratio)
    center: float  # the mode (beta) or the mean on the transformed scale
    weight: float  # pseudo-records (beta) or precision (normal); inf: fixed
    fixed: bool


def _prior_of(where, n):
    width = n.high - n.low
    fixed = n.structural or not width > 0
    if ".effects." in where:
        sd = (math.log(n.high) - math.log(n.low)) / _Z95 if not fixed else 0.0
        return _Prior("log", math.log(n.value), 1.0 / sd**2 if sd > 0 else math.inf, fixed)
    if where.endswith(".baseline"):
        if fixed:
            return _Prior("logit", _logit(n.value), math.inf, True)
        lo, hi = (_logit(x) if 0.0 < x < 1.0 else (-math.inf if x <= 0 else math.inf) for x in (n.low, n.high))
        sd = (hi - lo) / _Z95
        return _Prior("logit", _logit(n.value), 1.0 / sd**2 if math.isfinite(sd) else 0.0, False)
    if fixed:
        return _Prior("beta", n.value, math.inf, True)
    sd = width / _Z95
    return _Prior("beta", n.value, max(n.value * (1.0 - n.value) / sd**2 - 3.0, 0.0), False)


def _logit(p):
    return math.log(p) - math.log1p(-p)


def _log_prior(structure, values):
    """Sum of the (unnormalised) log prior densities of the learnable numbers at ``values``."""
    lam = structure.lam
    total = 0.0
    for where, pr in structure.prior.items():
        if pr.fixed or lam == 0.0 or pr.weight == 0.0:
            continue
        x = values[where]
        if pr.kind == "beta":
            if where.startswith("risk_factors.toml") and _is_category(structure, where):
                total += lam * pr.weight * pr.center * math.log(x)
            else:
                total += lam * pr.weight * (pr.center * math.log(x) + (1.0 - pr.center) * math.log1p(-x))
        else:
            t = math.log(x) if pr.kind == "log" else _logit(x)
            total -= 0.5 * lam * pr.weight * (t - pr.center) ** 2
    return total


def _is_category(structure, where):
    rid = where.split(": ", 1)[1].split(".prior", 1)[0]
    return structure.kb.risk_factors[structure.rf_ids.index(rid)].kind != "binary"



# ---------------------------------------------------------------------------------------------- KB values
def _values(kb):
    return {w: n.value for w, n in kb.numbers() if not w.startswith("model.toml")}


def _with_values(kb, values, numbers=None):
    """``kb`` with its numbers replaced by ``values`` (where -> float); ``numbers`` (where -> Number)
    replaces whole :class:`Number` objects instead. The copy has no ``content_hash`` and no
    ``location`` (as :func:`twitchnet.explain.uncertainty.with_numbers`): they described the files
    of the old numbers.
    """

    def put(where, n):
        if numbers is not None and where in numbers:
            return numbers[where]
        x = values.get(where, n.value)
        return n if x == n.value else replace(n, value=x, derive=())  # a learned value no longer follows its figures

    rfs = tuple(replace(rf, prior=tuple(put(f"risk_factors.toml: {rf.id}.prior[{i}]", n) for i, n in enumerate(rf.prior))) for rf in kb.risk_factors)
    causes = tuple(
        replace(c, baseline=put(f"causes.toml: {c.id}.baseline", c.baseline),
                effects=tuple(replace(e, odds_ratio=put(f"causes.toml: {c.id}.effects.{e.key}", e.odds_ratio)) for e in c.effects))
        for c in kb.causes
    )
    findings = tuple(
        replace(f, leak=put(f"findings.toml: {f.id}.leak", f.leak),
                links=tuple(replace(link, p=put(f"findings.toml: {f.id}.causes.{link.cause}", link.p)) for link in f.links))
        for f in kb.findings
    )
    return replace(kb, risk_factors=rfs, causes=causes, findings=findings, content_hash="", location="")
