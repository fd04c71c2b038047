"""The E-step: expected counts of the latent causes, links and risk factors over a pattern table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from twitchnet.learn.patterns import Patterns
    from twitchnet.learn.priors import Structure
    from twitchnet.model.arrays import Arrays

_BLOCK_CELLS = 1 << 21  # rows * live contexts * 2**C per E-step block


# ---------------------------------------------------------------------------------------------- E-step
class Tables:
    """The current numbers' compiled arrays (:meth:`Parameters.arrays`) as the E-step reads them.

    Parameters
    ----------
    arr : twitchnet.model.arrays.Arrays
    st : twitchnet.learn.priors.Structure
    """

    def __init__(self, arr: Arrays, st: Structure) -> None:
        self.states = arr.states
        self.log_f1 = arr.log_f1
        self.b0 = arr.b0
        self.a0 = arr.a0
        self.ctx_w = st.ctx_cons * arr.ctx_prior[None, :]  # (P_ctx, K)
        self.w = [arr.priv_weight[c] for c in range(st.n_c)]  # (W0, W1), each (K, J_c)
        # per cause: (P_c, K, 2) = P(c = b, e_priv | k) for every private pattern
        self.q = [np.stack([st.priv_cons[c] @ w0.T, st.priv_cons[c] @ w1.T], axis=-1) for c, (w0, w1) in enumerate(self.w)]
        self.inv_p1 = np.exp(-arr.log_f1).T  # (F, S): 1 / P(f present | s)
        self.arrays = arr
        self.st = st


def _codes(st, rf):
    rf64 = rf.astype(np.int64) + 1
    ctx = rf64[:, st.ctx_vars] @ st.ctx_radix if st.ctx_vars.size else np.zeros(rf.shape[0], dtype=np.int64)
    priv = [rf64[:, st.priv_vars[c]] @ st.priv_radix[c] if st.priv_vars[c].size else np.zeros(rf.shape[0], dtype=np.int64) for c in range(st.n_c)]
    return ctx, priv


def _empty_stats(tb):
    st = tb.st
    n_f = tb.log_f1.shape[1]
    return {
        "loglik": 0.0,
        "n": 0.0,
        "A": np.zeros((n_f, st.n_c)),
        "Lk": np.zeros(n_f),
        "D": np.zeros((n_f, st.n_c)),
        "nobs": np.zeros(n_f),
        "ctx": np.zeros(st.ctx_states.shape[0]),
        "cause": [np.zeros((st.ctx_states.shape[0], st.priv_states[c].shape[0], 2)) for c in range(st.n_c)],
        "dead": 0.0,
    }


def _add(a, b):
    out = {}
    for k, x in a.items():
        out[k] = [p + q for p, q in zip(x, b[k])] if isinstance(x, list) else x + b[k]
    return out


def suff_stats(tb: Tables, pats: Patterns, threads: int | None = None, use_engine: bool = True) -> dict:
    """Expected counts of one pattern table under the tables' numbers (one E-step).

    ``use_engine=False`` computes every row by the joint-state path (the tests compare both).
    """
    import os

    ctx_code, priv_code = _codes(tb.st, pats.rf)
    live = tb.ctx_w[ctx_code] > 0  # (D, K)
    from twitchnet.engine.reference import unique_rows

    # records with every risk factor known and no diagnosis: one context, one private state per
    # cause, so the engine's marginals are all the cause statistics need (see _fast_stats)
    fast = (pats.rf >= 0).all(axis=1) & (pats.causes < 0).all(axis=1) & (live.sum(axis=1) == 1) & use_engine
    groups, which = unique_rows(live.astype(np.int64))
    which = np.where(fast, -1, which)
    blocks: list[tuple[Any, np.ndarray]] = [("fast", r) for r in np.array_split(np.flatnonzero(fast), max(1, int(fast.sum()) // 65536 + 1)) if r.size]
    n_s = tb.states.shape[0]
    for g in range(groups.shape[0]):
        rows = np.flatnonzero(which == g)
        ks = np.flatnonzero(groups[g])
        if rows.size == 0:
            continue
        if ks.size == 0:
            blocks.append((rows, ks))
            continue
        step = max(1, _BLOCK_CELLS // (ks.size * n_s))
        blocks += [(rows[a : a + step], ks) for a in range(0, rows.size, step)]

    def run(block):
        rows, ks = block
        if isinstance(rows, str):
            return _fast_stats(tb, pats, ks, live, priv_code, threads)
        return _block_stats(tb, pats, rows, ks, ctx_code, priv_code)

    if threads is None:
        threads = min(os.cpu_count() or 1, 4)
    slow = [b for b in blocks if not isinstance(b[0], str)]
    parts = [run(b) for b in blocks if isinstance(b[0], str)]  # the engine runs its own threads
    blocks = slow
    if threads > 1 and len(blocks) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads) as pool:
            parts += list(pool.map(run, blocks))
    else:
        parts += [run(b) for b in blocks]
    total = _empty_stats(tb)
    for p in parts:  # in block order: the same sums whatever the threads
        total = _add(total, p)
    return total


def _fast_stats(tb, pats, rows, live, priv_code, threads):
    """Expected counts for records with every risk factor known and no diagnosis, from the exact
    engine (:meth:`twitchnet.engine.Engine.posterior` of the enumeration engine).

    For a present finding ``f``, ``P(s | e) / P(f | s) = P(s, e_-f) / P(e)`` with ``e_-f`` the
    evidence with ``f`` unknown, so the link counts ``sum_s P(s | e) s_c / P(f | s)`` are
    ``P(c | e_-f) P(e_-f) / P(e)``: one more engine row per present finding.
    """
    from twitchnet.engine import get

    posterior = get("enumeration").posterior
    st = tb.st
    out = _empty_stats(tb)
    rf = pats.rf[rows]
    fs = pats.findings[rows]
    wt = pats.counts[rows]
    prob, lev = posterior(tb.arrays, rf, fs, threads=threads)
    pr, pf = np.nonzero(fs == 1)
    fs2 = fs[pr]
    fs2[np.arange(pr.size), pf] = -1
    prob2, lev2 = posterior(tb.arrays, rf[pr], fs2, threads=threads)
    ratio = np.exp(lev2 - lev[pr]) * wt[pr]
    n_f = fs.shape[1]
    out["A"] = np.stack([np.bincount(pf, weights=prob2[:, c] * ratio, minlength=n_f) for c in range(st.n_c)], axis=1)
    out["Lk"] = np.bincount(pf, weights=ratio, minlength=n_f)
    obs = (fs >= 0) * wt[:, None]
    out["D"] = obs.T @ prob
    out["nobs"] = obs.sum(axis=0)
    out["loglik"] = float(wt @ lev)
    out["n"] = float(wt.sum())
    k = np.argmax(live[rows], axis=1)
    n_k = st.ctx_states.shape[0]
    out["ctx"] = np.bincount(k, weights=wt, minlength=n_k)
    for c in range(st.n_c):
        n_j = st.priv_states[c].shape[0]
        j = np.argmax(st.priv_cons[c][priv_code[c][rows]], axis=1)
        cell = k * n_j + j
        e = np.empty((n_k, n_j, 2))
        e[..., 1] = np.bincount(cell, weights=wt * prob[:, c], minlength=n_k * n_j).reshape(n_k, n_j)
        e[..., 0] = np.bincount(cell, weights=wt * (1.0 - prob[:, c]), minlength=n_k * n_j).reshape(n_k, n_j)
        out["cause"][c] = e
    return out


def _block_stats(tb, pats, rows, ks, ctx_code, priv_code):
    st = tb.st
    out = _empty_stats(tb)
    wt = pats.counts[rows]
    if ks.size == 0:
        out["dead"] = float(wt.sum())
        return out
    n, n_k, n_c = rows.size, ks.size, st.n_c
    fs = pats.findings[rows]
    cs = pats.causes[rows]
    pos = (fs == 1).astype(float)
    obs = (fs >= 0).astype(float)
    neg = obs - pos
    # q[n, k, c, b] = P(c = b, e_priv(c) | k), restricted by the diagnosis columns
    q = np.stack([tb.q[c][priv_code[c][rows]][:, ks] for c in range(n_c)], axis=2)  # (n, k, C, 2)
    q[..., 1] *= (cs != 0)[:, None, :]
    q[..., 0] *= (cs != 1)[:, None, :]
    w = tb.ctx_w[ctx_code[rows]][:, ks]  # (n, k) all > 0
    zero = q == 0.0
    with np.errstate(divide="ignore"):
        lq = np.log(np.where(zero, 1.0, q))
    # log P(k, s, e) = log w + sum_c lq[c, s_c] + sum_f log P(e_f | s), with the absent findings
    # linear in s under noisy-OR: a0 + s @ b0
    coef = lq[..., 1] - lq[..., 0] + (neg @ tb.b0.T)[:, None, :]  # (n, k, C)
    const = np.log(w) + lq[..., 0].sum(axis=2) + (neg @ tb.a0)[:, None]  # (n, k)
    n_s = tb.states.shape[0]
    lt = (coef.reshape(n * n_k, n_c) @ tb.states.T).reshape(n, n_k, n_s)  # (n, k, S), 2-D products
    lt += (pos @ tb.log_f1.T)[:, None, :]
    lt += const[..., None]
    if zero.any():  # states with a cause of probability zero (a diagnosis, a structural zero)
        z0 = zero[..., 0].reshape(n * n_k, n_c).astype(float)
        z1 = zero[..., 1].reshape(n * n_k, n_c).astype(float)
        bad = ((z0 @ (1.0 - tb.states).T + z1 @ tb.states.T) > 0).reshape(n, n_k, n_s)
        lt[bad] = -np.inf
    mx = lt.max(axis=(1, 2))
    ok = np.isfinite(mx)
    shift = np.where(ok, mx, 0.0)
    p = np.exp(lt - shift[:, None, None])
    tot = p.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        post = p / np.where(ok, tot, 1.0)[:, None, None]
        lev = np.log(tot) + shift
    wt = np.where(ok, wt, 0.0)
    out["dead"] = float(pats.counts[rows][~ok].sum())
    out["loglik"] = float(wt[ok] @ lev[ok])
    out["n"] = float(wt.sum())
    ps = post.sum(axis=1) if n_k > 1 else post[:, 0]  # (n, S)
    # sum over rows with f present of P(s | e) / P(f | s): the latent link variables' counts
    r = ((pos * wt[:, None]).T @ ps) * tb.inv_p1  # (F, S)
    out["A"] = r @ tb.states
    out["Lk"] = r.sum(axis=1)
    pc1 = (post.reshape(n * n_k, n_s) @ tb.states).reshape(n, n_k, n_c)  # P(k, c present | e)
    pk = post.sum(axis=2)  # (n, k)
    out["D"] = (obs * wt[:, None]).T @ pc1.sum(axis=1)
    out["nobs"] = wt @ obs
    ctx = np.zeros(st.ctx_states.shape[0])
    ctx[ks] = wt @ pk
    out["ctx"] = ctx
    pc = np.stack([pk[..., None] - pc1, pc1], axis=-1)  # (n, k, C, 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(zero, 0.0, pc / np.where(zero, 1.0, q)) * wt[:, None, None, None]
    for c in range(n_c):
        m = st.priv_cons[c][priv_code[c][rows]]  # (n, J)
        e = np.zeros((st.ctx_states.shape[0], m.shape[1], 2))
        e[ks] = np.einsum("nkb,nj->kjb", ratio[:, :, c, :], m)
        w0, w1 = tb.w[c]
        e[..., 0] *= w0
        e[..., 1] *= w1
        out["cause"][c] = e
    return out


def _dead_patterns(tb, pats):
    """Indices of patterns whose evidence has probability zero."""
    ctx_code, priv_code = _codes(tb.st, pats.rf)
    live = tb.ctx_w[ctx_code] > 0
    q_ok = np.ones(live.shape, dtype=bool)
    for c in range(tb.st.n_c):
        qq = tb.q[c][priv_code[c]]  # (D, K, 2)
        b1 = np.where(pats.causes[:, c, None] != 0, qq[..., 1], 0.0)
        b0 = np.where(pats.causes[:, c, None] != 1, qq[..., 0], 0.0)
        q_ok &= (b0 + b1) > 0
    return np.flatnonzero(~(live & q_ok).any(axis=1))
