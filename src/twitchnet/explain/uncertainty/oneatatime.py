"""The sweep's posteriors, one case at a time: one number moved, only its factor recomputed.

For one case the enumeration builds the joint weights ``J(s)`` of every cause configuration ``s``
(the context and the private factors summed out) once. A moved number touches one factor of
``J``, so the moved sums follow without a new posterior:

* a link to an absent finding scales every configuration with its cause present by the constant
  ``(1 - p') / (1 - p)``: with the per-cause halves of ``J``'s sums (``H0[c]``, ``H1[c]``, the
  sums over the configurations with cause ``c`` absent / present), the moved sums are
  ``H0[c] + r * H1[c]``, O(C) per move;
* the baseline or an odds ratio of a cause whose prior does not depend on the context scales the
  configurations with it absent and present by two constants (its moved prior weights over its
  weights): ``r0 * H0[c] + r1 * H1[c]``;
* a link or the leak of a present finding changes that finding's factor ``1 - (1 - leak) *
  prod (1 - p)**s``: ``J`` without that factor, times the moved factor, summed: O(2**C) per move;
* a finding left unknown, or an absent finding's leak, cannot move the posterior: nothing to do;
* every other number (the risk factors' priors, the priors of causes that depend on the context)
  goes through :func:`twitchnet.engine.many.posterior_block` with all its sets at once.

Sums that leave the range the fast path keeps exact (``SAFE_FLOOR``) are recomputed by
``posterior_block`` (which falls back to the reference engine in log space).
"""

from __future__ import annotations

import numpy as np

from twitchnet.engine.many import posterior_block
from twitchnet.engine.many.case import _Case
from twitchnet.engine.many.posterior import _expit_plain, _kron, _private_plain
from twitchnet.limits import SAFE_FLOOR
from twitchnet.model.parameters import prod_terms


class _Kinds:
    """What each number is, for the sweep (built once per model): link ``(cause, finding)``, leak
    of ``finding``, the prior of a cause independent of the context, or anything else.
    """

    def __init__(self, lay):
        n = lay.n
        self.link_cause = np.full(n + 1, -1, dtype=np.int64)
        self.link_finding = np.full(n + 1, -1, dtype=np.int64)
        c_idx, f_idx = np.nonzero(lay.link_pos < n)
        self.link_cause[lay.link_pos[c_idx, f_idx]] = c_idx
        self.link_finding[lay.link_pos[c_idx, f_idx]] = f_idx
        self.leak_finding = np.full(n + 1, -1, dtype=np.int64)
        self.leak_finding[lay.leak_pos] = np.arange(len(lay.leak_pos))
        self.prior_cause = np.full(n + 1, -1, dtype=np.int64)
        for c in range(len(lay.cause_ids)):
            self.prior_cause[lay.base_pos[c]] = c
            self.prior_cause[lay.eff_pos[c]] = c
        self.risk_factor = np.zeros(n + 1, dtype=bool)
        for pos in lay.p._rf_pos:
            self.risk_factor[pos] = True
        self.risk_factor = self.risk_factor[:n]
        self.link_cause, self.link_finding = self.link_cause[:n], self.link_finding[:n]
        self.leak_finding, self.prior_cause = self.leak_finding[:n], self.prior_cause[:n]
        # the internal configurations with each cause present: (C, 2**C)
        self.present_mask = lay.states_int.T > 0


class _Row:
    """One case as ``posterior_block`` reads it (hard evidence only)."""

    def __init__(self, rf_state, finding_state):
        self.rf_state, self.finding_state = rf_state, finding_state


def _finding_off(lay, th, f):
    """``P(f absent | s)`` of every configuration (internal order) for number sets ``th`` (D, P + 1)."""
    pos = lay.link_pos[lay.order, f]
    keep = 1.0 - th[..., pos]
    off = _kron([(None, keep[..., i]) for i in range(len(pos))], linked=pos < lay.n)
    off *= (1.0 - th[..., lay.leak_pos[f]])[..., None]
    return off


def _log_odds_of_sums(sums, n_c):
    s1, s0 = sums[..., :n_c], sums[..., n_c:]
    with np.errstate(divide="ignore", invalid="ignore"):
        return _expit_plain(np.log(s1) - np.log(s0)), ((s1 > SAFE_FLOOR) & (s0 > SAFE_FLOOR)).all(axis=-1)


def case_posteriors(lay, kinds, model, rf, fs, moved, which):
    """Posteriors of one case: at the knowledge base's values and with each moved set.

    Parameters
    ----------
    lay : Layout
    kinds : _Kinds
    model : DiagnosticModel
    rf, fs : ndarray of int
        The case's risk-factor and finding states.
    moved : ndarray of shape (E, P)
        Every range end's numbers (:meth:`Parameters.moved`).
    which : ndarray of int, shape (E,)
        The number each set moves.

    Returns
    -------
    base : ndarray of shape (C,)
    post : ndarray of shape (E, C)
        Rows of sets moving a number the case does not read are ``base``.
    """
    row = _Row(rf, fs)
    red = _Case(lay, model, rf, fs)
    live = red.used[which]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):  # checked below (SAFE_FLOOR)
        return _case_posteriors(lay, kinds, model, rf, fs, moved, which, row, red, live)


def _case_posteriors(lay, kinds, model, rf, fs, moved, which, row, red, live):
    n_c = len(lay.cause_ids)
    base_th = lay.ext(lay.value)[None]
    q = _private_plain(lay, red, base_th)
    w = prod_terms(base_th, lay.ctx_idx[red.k], lay.ctx_comp[red.k])
    gk = _kron([q[c] for c in lay.dep], w)[0]  # (K, 2**|dep|): each live context apart
    if lay.indep:
        h = _kron([(q[c][0][..., 0], q[c][1][..., 0]) for c in lay.indep])[0]
        nf = (h[None, :, None] * gk[:, None, :]).reshape(gk.shape[0], -1)  # (K, 2**C)
    else:
        nf = gk
    offs = [_finding_off(lay, base_th, f)[0] for f in red.present]
    factors = [1.0 - off for off in offs]
    joint_k = nf.copy()
    for fac in factors:
        joint_k *= fac
    joint = joint_k.sum(axis=0)
    pa = lay.present_absent
    base_sums = joint @ pa
    base, ok = _log_odds_of_sums(base_sums, n_c)
    post = np.repeat(base[None], len(which), axis=0)
    if not ok:  # the whole case through posterior_block (log space where needed)
        sel = np.flatnonzero(live)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):  # out-of-range rows: log space
            both = posterior_block(lay, model, row, red, np.vstack([lay.value[None], moved[sel]]))
        post[:] = both[0]
        post[sel] = both[1:]
        return both[0], post
    i = which
    status = np.full(len(fs), -1)
    status[red.absent], status[red.present] = 0, 1
    lf = np.where(kinds.link_finding[i] >= 0, status[np.maximum(kinds.link_finding[i], 0)], -1)
    kf = np.where(kinds.leak_finding[i] >= 0, status[np.maximum(kinds.leak_finding[i], 0)], -1)
    absent_link = live & (kinds.link_cause[i] >= 0) & (lf == 0)
    prior = live & (kinds.prior_cause[i] >= 0)
    present = live & (((kinds.link_cause[i] >= 0) & (lf == 1)) | (kf == 1))
    # an absent finding's leak, and a risk factor's prior when every risk factor is known, are a
    # factor common to every configuration: the posterior is the base
    common = live & ((kf == 0) | (kinds.risk_factor[i] & bool((rf >= 0).all())))
    rest = live & ~absent_link & ~prior & ~present & ~common
    if absent_link.any() or prior.any():
        # per live context and cause c: the sums over the configurations with c present / absent
        n_k = joint_k.shape[0]
        split = np.where(kinds.present_mask[:, None, :], joint_k[None], 0.0)  # (C, K, 2**C)
        h1 = (split.reshape(-1, split.shape[-1]) @ pa).reshape(n_c, n_k, -1)  # (C, K, 2C)
        h0 = ((joint_k[None] - split).reshape(-1, split.shape[-1]) @ pa).reshape(n_c, n_k, -1)
        sel = np.flatnonzero(absent_link)
        if sel.size:
            c = kinds.link_cause[i[sel]]
            r = np.exp(np.log1p(-moved[sel, i[sel]]) - np.log1p(-lay.value[i[sel]]))
            post[sel], good = _log_odds_of_sums(h0[c].sum(axis=1) + r[:, None] * h1[c].sum(axis=1), n_c)
            rest[sel[~good]] = True
        sel = np.flatnonzero(prior)
        if sel.size:
            c = kinds.prior_cause[i[sel]]
            qm = _private_plain(lay, red, lay.ext(moved[sel]))
            r0, r1 = np.empty((sel.size, n_k)), np.empty((sel.size, n_k))
            for d, cc in enumerate(c):  # a context-free cause has one weight for every context
                r0[d] = qm[cc][0][d] / q[cc][0][0]
                r1[d] = qm[cc][1][d] / q[cc][1][0]
            with np.errstate(invalid="ignore"):
                sums = np.einsum("dk,dkt->dt", r0, h0[c]) + np.einsum("dk,dkt->dt", r1, h1[c])
                post[sel], good = _log_odds_of_sums(sums, n_c)
            good &= np.isfinite(r0).all(axis=1) & np.isfinite(r1).all(axis=1)
            rest[sel[~good]] = True
    sel = np.flatnonzero(present)
    if sel.size:
        f_of = np.where(kinds.leak_finding[i[sel]] >= 0, kinds.leak_finding[i[sel]], kinds.link_finding[i[sel]])
        nf_sum = nf.sum(axis=0)
        for a, f in enumerate(red.present):
            mine = sel[f_of == f]
            if not mine.size:
                continue
            without = nf_sum.copy()
            for b, fac in enumerate(factors):
                if b != a:
                    without *= fac
            # P(f absent | s) is (1 - leak) * prod (1 - p)**s: a moved number scales it by the
            # ratio of its term, on the configurations it enters (a link: its cause present)
            off = offs[a]
            j = i[mine]
            r = np.exp(np.log1p(-moved[mine, j]) - np.log1p(-lay.value[j]))
            link = kinds.link_cause[j]
            scaled = 1.0 - off[None] * r[:, None]
            moved_fac = np.where((link[:, None] < 0) | kinds.present_mask[np.maximum(link, 0)], scaled, factors[a][None])
            post[mine], good = _log_odds_of_sums((moved_fac * without[None]) @ pa, n_c)
            rest[mine[~good]] = True
    sel = np.flatnonzero(rest)
    if sel.size:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            post[sel] = posterior_block(lay, model, row, red, moved[sel])
    return base, post
