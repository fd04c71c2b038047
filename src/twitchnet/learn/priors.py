"""The M-step's priors: each learnable number's prior from its knowledge-base value and range.

The numbers are the entries of the parameter vector of :mod:`twitchnet.model.parameters`
(:meth:`KnowledgeBase.numbers` order); a probability gets a Beta prior with its mode at the
knowledge-base value, a baseline a normal prior on the logit scale and an odds ratio a normal prior
on the log scale, each as wide as the number's range read as a 95% interval.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from twitchnet.model.parameters import logit, parameters

if TYPE_CHECKING:
    from twitchnet.kb.schema import Number
    from twitchnet.model import DiagnosticModel

_Z95 = 3.919927969080108  # width of a central 95% normal interval in standard deviations
BETA, LOGIT, LOG = 0, 1, 2  # the prior's kind: probability, baseline (logit scale), odds ratio (log scale)


class Structure:
    """What does not change while fitting: the parameters' layout, their priors, the design matrices.

    Parameters
    ----------
    model : DiagnosticModel
        The prior model: its knowledge base's values and ranges are the priors.
    prior_strength : float, default=1.0
        Multiplies every prior's weight.

    Attributes
    ----------
    params : twitchnet.model.parameters.Parameters
    learnable : ndarray of int
        Positions of the numbers a fit reports (every number but the triage threshold).
    kind, center, weight : ndarray of shape (P,)
        Each number's prior: :data:`BETA`, :data:`LOGIT` or :data:`LOG`; its mode (Beta) or mean
        on the transformed scale; its weight (pseudo-records or precision, inf when fixed).
    fixed, category : ndarray of bool, shape (P,)
        Held fixed (structural zeros, single-point ranges); in a category prior (a Dirichlet).
    design : list of ndarray of shape (K * J_c, E_c)
        Per cause, 1 where an effect applies in context ``k`` and private state ``j`` (rows in C order).
    """

    def __init__(self, model: DiagnosticModel, prior_strength: float = 1.0) -> None:
        from twitchnet.model.tables import _consistent, _patterns

        p = parameters(model)
        kb = model.kb
        self.kb, self.params, self.lam = kb, p, float(prior_strength)
        self.n_c = len(model.cause_ids)
        self.cause_ids, self.finding_ids, self.rf_ids = model.cause_ids, model.finding_ids, model.risk_factor_ids
        self.ctx_vars, self.ctx_states, self.priv_vars, self.priv_states = p.ctx_vars, p.ctx_states, p.priv_vars, p.priv_states
        n_states = [len(r.states) for r in kb.risk_factors]
        self.ctx_pats, self.ctx_radix = _patterns([n_states[i] for i in self.ctx_vars])
        self.ctx_cons = _consistent(self.ctx_pats, self.ctx_states)
        self.priv_radix, self.priv_cons = [], []
        for c in range(self.n_c):
            pats, radix = _patterns([n_states[i] for i in self.priv_vars[c]])
            self.priv_radix.append(radix)
            self.priv_cons.append(_consistent(pats, self.priv_states[c]).astype(float))
        self.design = [a.reshape(a.shape[0], a.shape[1] * a.shape[2]).T for a in p.effects]
        self.rf_pos = [np.array([p.names.index(f"risk_factors.toml: {rf.id}.prior[{i}]") for i in range(len(rf.prior))]) for rf in kb.risk_factors]
        self._priors(p)

    def _priors(self, p):
        """Every number's prior; a category prior's states share one Dirichlet weight (their Beta weights' mean)."""
        kind = np.full(p.n, BETA)
        kind[p.odds_ratio] = LOG
        kind[p.base_pos] = LOGIT
        rows = [prior_of(int(kind[i]), n) for i, n in enumerate(p.numbers)]
        self.kind = kind
        self.center = np.array([r[0] for r in rows])
        self.weight = np.array([r[1] for r in rows])
        self.fixed = np.array([r[2] for r in rows], dtype=bool)
        self.learnable = np.array([i for i, w in enumerate(p.names) if not w.startswith("model.toml")], dtype=np.int64)
        self.fixed[[i for i in range(p.n) if i not in set(self.learnable.tolist())]] = True
        self.category = p.group_of >= 0
        for members in p.groups:
            fixed = bool(self.fixed[members].any())
            self.weight[members] = math.inf if fixed else float(np.mean(self.weight[members]))
            self.fixed[members] = fixed


def prior_of(kind: int, n: Number) -> tuple[float, float, bool]:
    """One number's prior ``(center, weight, fixed)`` from its value and range (see the module docstring)."""
    fixed = bool(n.structural or not n.high - n.low > 0)
    if kind == LOG:
        sd = (math.log(n.high) - math.log(n.low)) / _Z95 if not fixed else 0.0
        return math.log(n.value), 1.0 / sd**2 if sd > 0 else math.inf, fixed
    if kind == LOGIT:
        if fixed:
            return logit(n.value), math.inf, True
        lo, hi = (logit(x) if 0.0 < x < 1.0 else (-math.inf if x <= 0 else math.inf) for x in (n.low, n.high))
        sd = (hi - lo) / _Z95
        return logit(n.value), 1.0 / sd**2 if math.isfinite(sd) else 0.0, False
    if fixed:
        return n.value, math.inf, True
    sd = (n.high - n.low) / _Z95
    return n.value, max(n.value * (1.0 - n.value) / sd**2 - 3.0, 0.0), False


def log_prior(st: Structure, theta: np.ndarray) -> float:
    """Sum of the (unnormalised) log prior densities of the learnable numbers at ``theta`` (P,)."""
    if st.lam == 0.0:
        return 0.0
    on = ~st.fixed & (st.weight != 0.0)
    total = 0.0
    for i in np.flatnonzero(on).tolist():
        x, c, w = float(theta[i]), float(st.center[i]), st.lam * float(st.weight[i])
        if st.kind[i] == BETA:
            total += w * c * math.log(x) if st.category[i] else w * (c * math.log(x) + (1.0 - c) * math.log1p(-x))
        else:
            t = math.log(x) if st.kind[i] == LOG else logit(x)
            total -= 0.5 * w * (t - c) ** 2
    return total
