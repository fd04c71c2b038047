"""Learn the model's numbers from records: maximum a posteriori EM with the knowledge base as the prior.

:func:`fit` re-estimates every number of a :class:`~twitchnet.model.DiagnosticModel` (risk-factor
priors, cause baselines and odds ratios, noisy-OR links and leaks) from a table of records, and
returns a :class:`FittedModel`. Red-flag rules are never learned; structural zeros and numbers whose
range is a single point stay as they are.

**E-step.** Records are encoded as in :func:`twitchnet.diagnose_frame` and identical records are
grouped (one row per distinct pattern, with its count). For each pattern the exact posterior over
the joint cause states ``s`` and the live contexts ``k`` (the shared risk factors, when some are
unknown) is computed in log space, in chunks::

    log P(k, s, e) = log P(k, e_ctx) + sum_c log P(c = s_c, e_priv(c) | k) + log P(e_F | s)

Diagnosis columns (named by cause id) restrict ``s``. From it, the expected counts:

* links: ``M[f, s] = sum_rows [f present] P(s | e)``; the expected number of times link ``c -> f``
  fired is ``p_cf * sum_s M[f, s] s_c / P(f | s)`` (the latent link variables of noisy-OR), out of
  ``sum_rows [f observed] P(c | e)`` chances; the leak likewise, out of ``[f observed]``;
* causes: the expected count of (context ``k``, private risk-factor state ``j``, cause ``c = b``);
* risk factors: the same counts summed over the causes.

**M-step.** Links, leaks and risk-factor priors have closed forms (the mode of a Beta or Dirichlet
posterior). Each cause's logistic prior (baseline logit plus log odds ratios, interaction terms
included) is maximised by Newton steps with step halving on the expected counts. So every
iteration increases the log posterior (tested).

**Priors.** Each number's prior is centred on its knowledge-base value with a width from its range
read as a 95% interval: a probability gets a Beta prior with mode at the value and standard
deviation ``(high - low) / 3.92`` (``n0 = m (1 - m) / sd**2 - 3`` pseudo-records); a baseline a
normal prior on the logit scale, an odds ratio a normal prior on the log scale, each with
``sd = (transformed high - transformed low) / 3.92``. ``prior_strength`` multiplies every prior's
weight (pseudo-records or precision); 0 is maximum likelihood.

**Sufficient statistics.** The expected counts are sums over records, so a Dask DataFrame is
handled partition by partition and the counts summed (map-reduce).
"""

from __future__ import annotations

import hashlib
import math
import tempfile
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError, FitWarning, NotFittedError
from twitchnet.limits import MAX_ODDS_RATIO
from twitchnet.model import DiagnosticModel

__all__ = ["FittedModel", "FittedNumber", "fit", "log_posterior", "partial_fit"]

_EPS = 1e-9  # fitted probabilities are kept in [_EPS, 1 - _EPS] (the loader needs (0, 1))
_LOG_OR_MAX = math.log(MAX_ODDS_RATIO)  # fitted log odds ratios and baseline logits: the loader's limits
_Z95 = 3.919927969080108  # width of a central 95% normal interval in standard deviations
_BLOCK_CELLS = 1 << 21  # rows * live contexts * 2**C per E-step block


# ---------------------------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Patterns:
    """Distinct encoded records with their counts (the data the EM runs on).

    Attributes
    ----------
    rf, findings, causes : ndarray of int8, shapes (D, R), (D, F), (D, C)
        Risk-factor states, finding states and diagnosis states (-1 unknown).
    counts : ndarray of float, shape (D,)
    n_records : int
    digest : tuple of int
        Two order- and partition-independent 64-bit sums of per-record hashes (see :func:`_digest`).
    """

    rf: np.ndarray
    findings: np.ndarray
    causes: np.ndarray
    counts: np.ndarray
    n_records: int
    digest: tuple

    @staticmethod
    def concat(parts):
        """Merge pattern tables (regrouping identical rows)."""
        parts = [p for p in parts if p.counts.size] or parts[:1]
        x = np.concatenate([np.concatenate([p.rf, p.findings, p.causes], axis=1) for p in parts])
        counts = np.concatenate([p.counts for p in parts])
        inv, first = _group(x)
        summed = np.bincount(inv, weights=counts, minlength=first.size)
        r, f = parts[0].rf.shape[1], parts[0].findings.shape[1]
        xs = x[first]
        d0 = sum(p.digest[0] for p in parts) % (1 << 64)
        d1 = sum(p.digest[1] for p in parts) % (1 << 64)
        return Patterns(xs[:, :r], xs[:, r : r + f], xs[:, r + f :], summed, sum(p.n_records for p in parts), (d0, d1))


def _pack(x):
    """Rows of small non-negative ints packed into uint64 words (columns of ``bits`` bits each)."""
    n, m = x.shape
    top = int(x.max(initial=0))
    bits = max(1, top.bit_length())
    per = 64 // bits
    words = []
    for a in range(0, max(m, 1), per):
        w = np.zeros(n, dtype=np.uint64)
        for i, col in enumerate(range(a, min(m, a + per))):
            w |= x[:, col].astype(np.uint64) << np.uint64(i * bits)
        words.append(w)
    return words


def _group(x):
    """Group identical rows of an int8 matrix: (inverse index, first row of each group)."""
    import pandas as pd

    n = x.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    words = _pack((x.astype(np.int16) + 1).astype(np.uint8))
    g = pd.factorize(words[0])[0].astype(np.int64)
    for w in words[1:]:
        h = pd.factorize(w)[0].astype(np.int64)
        g = pd.factorize(g * (int(h.max()) + 1) + h)[0].astype(np.int64)
    first = np.full(int(g.max()) + 1, n, dtype=np.int64)
    np.minimum.at(first, g, np.arange(n))
    return g, first


def _digest(x):
    """Two sums (mod 2**64) of per-row hashes: the same for any row order or partitioning."""
    import pandas as pd

    if x.shape[0] == 0:
        return (0, 0)
    words = _pack((x.astype(np.int16) + 1).astype(np.uint8))
    out = []
    for salt in ("twitchnet-fit-a", "twitchnet-fit-b"):
        h = pd.util.hash_array(np.full(x.shape[0], x.shape[1], dtype=np.uint64), hash_key=salt.ljust(16)[:16])
        for w in words:
            h = pd.util.hash_array(h ^ w, hash_key=salt.ljust(16)[:16])
        with np.errstate(over="ignore"):
            out.append(int(h.sum(dtype=np.uint64)))
    return tuple(out)


def _cause_columns(columns, model):
    """``{column: cause id}`` for the diagnosis columns: a cause id, or ``cause.<id>`` as
    :meth:`DiagnosticModel.simulate` names them (the prefix never collides with a vocabulary id or
    alias). Two columns of one cause are an error.
    """
    out, seen = {}, {}
    for col in columns:
        cid = col if col in model.cause_ids else None
        if cid is None and isinstance(col, str) and col.startswith("cause.") and col[6:] in model.cause_ids:
            cid = col[6:]
        if cid is None:
            continue
        if cid in seen:
            raise v.fail(EvidenceError, cid, "one diagnosis column per cause (named by its id or cause.<id>)",
                         f"two columns: {seen[cid]!r} and {col!r}")
        seen[cid] = col
        out[col] = cid
    return out


def _encode(df, model):
    """Encode a pandas frame into a :class:`Patterns` table; bad cells raise, listed by row and column."""
    import pandas as pd

    from twitchnet.frame import _bad_cells_error, _columns, encode_frame

    if not isinstance(df, pd.DataFrame):
        raise v.fail(EvidenceError, "records", "a pandas or Dask DataFrame", df)
    cause_of = _cause_columns(df.columns, model)
    cause_cols = list(cause_of)
    evidence = df.drop(columns=cause_cols) if cause_cols else df
    _columns(model, evidence)
    rf, fs, _, bad = encode_frame(evidence, model)
    n = len(df)
    cs = np.full((n, len(model.cause_ids)), -1, dtype=np.int8)
    for col in cause_cols:
        codes, uniques = pd.factorize(df[col], use_na_sentinel=True)
        table = np.full(len(uniques) + 1, -1, dtype=np.int8)
        messages = {}
        for u, val in enumerate(uniques):
            try:
                b = v.coerce_bool(col, val, strings=True, numbers01=True)
                table[u] = -1 if b is None else int(b)
            except EvidenceError as exc:
                messages[u] = str(exc)
        cs[:, model.cause_ids.index(cause_of[col])] = table[codes]
        if messages:
            values = df[col].to_numpy(dtype=object)
            for pos in np.flatnonzero(np.isin(codes, list(messages))):
                bad.append((df.index[pos], col, values[pos], messages[codes[pos]]))
    if bad:
        raise _bad_cells_error(bad)
    x = np.concatenate([rf, fs, cs], axis=1)
    inv, first = _group(x)
    counts = np.bincount(inv, minlength=first.size).astype(float)
    r, f = rf.shape[1], fs.shape[1]
    xs = x[first]
    pats = Patterns(xs[:, :r], xs[:, r : r + f], xs[:, r + f :], counts, n, _digest(x))
    return pats, inv


def _encode_checked(df, model):
    """:func:`_encode` plus the check that every record has non-zero probability under ``model``."""
    pats, inv = _encode(df, model)
    tables = _Tables(model, _Structure(model))
    dead = _dead_patterns(tables, pats)
    if dead.size:
        from twitchnet.frame import _bad_cells_error, _impossible_cells

        rows = np.isin(inv, dead)
        rf_rows = pats.rf[inv]
        cells = _impossible_cells(model, df, rf_rows, rows)[0]
        raise _bad_cells_error(cells or [(df.index[p], "evidence", None, "evidence: expected non-zero probability") for p in np.flatnonzero(rows)])
    return pats


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


# ---------------------------------------------------------------------------------------------- E-step
class _Tables:
    """The current model's numbers as the arrays the E-step needs."""

    def __init__(self, model, st):
        arr = model.arrays
        self.states = arr.states
        self.log_f1 = arr.log_f1
        self.b0 = arr.b0
        self.a0 = arr.a0
        self.ctx_w = st.ctx_cons * arr.ctx_prior[None, :]  # (P_ctx, K)
        self.w = [arr.priv_weight[c] for c in range(st.n_c)]  # (W0, W1), each (K, J_c)
        # per cause: (P_c, K, 2) = P(c = b, e_priv | k) for every private pattern
        self.q = [np.stack([st.priv_cons[c] @ w0.T, st.priv_cons[c] @ w1.T], axis=-1) for c, (w0, w1) in enumerate(self.w)]
        self.inv_p1 = np.exp(-arr.log_f1).T  # (F, S): 1 / P(f present | s)
        self.model = model
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


def suff_stats(tb, pats, threads=None, use_engine=True):
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
    blocks = [("fast", r) for r in np.array_split(np.flatnonzero(fast), max(1, int(fast.sum()) // 65536 + 1)) if r.size]
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
    prob, lev = posterior(tb.model, rf, fs, threads=threads)
    pr, pf = np.nonzero(fs == 1)
    fs2 = fs[pr]
    fs2[np.arange(pr.size), pf] = -1
    prob2, lev2 = posterior(tb.model, rf[pr], fs2, threads=threads)
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


# ---------------------------------------------------------------------------------------------- M-step
def _m_step(st, values, model, stats):
    """New values (dict where -> float) and effective sample sizes from the expected counts."""
    kb = model.kb
    lam = st.lam
    new = dict(values)
    n_eff = {}

    def beta(where, hits, trials):
        pr = st.prior[where]
        n_eff[where] = float(trials)
        if pr.fixed:
            return
        a = lam * pr.weight
        if trials + a <= 0:
            return  # no data and no prior weight: keep
        new[where] = min(max((hits + a * pr.center) / (trials + a), _EPS), 1.0 - _EPS)

    # links and leaks
    for f_i, f in enumerate(kb.findings):
        base = f"findings.toml: {f.id}"
        beta(f"{base}.leak", values[f"{base}.leak"] * stats["Lk"][f_i], stats["nobs"][f_i])
        for link in f.links:
            c = st.cause_ids.index(link.cause)
            w = f"{base}.causes.{link.cause}"
            beta(w, values[w] * stats["A"][f_i, c], stats["D"][f_i, c])
    # causes: logistic regression on the expected counts
    for c, cause in enumerate(kb.causes):
        e = stats["cause"][c].reshape(-1, 2)
        keys = [f"causes.toml: {cause.id}.baseline"] + [f"causes.toml: {cause.id}.effects.{ef.key}" for ef in cause.effects]
        theta = np.array([_logit(values[keys[0]])] + [math.log(values[k]) for k in keys[1:]])
        priors = [st.prior[k] for k in keys]
        x = np.hstack([np.ones((st.design[c].shape[0], 1)), st.design[c]])
        for i, k in enumerate(keys):
            n_eff[k] = float(e.sum()) if i == 0 else float(e[x[:, i] > 0].sum())
        theta = _newton(x, e[:, 1], e[:, 0], theta, priors, lam)
        # a fixed number (a single-point range) keeps its value exactly: expit(logit(p)) and
        # exp(log(r)) may differ from it in the last bit, and the loader then refuses the fitted
        # knowledge base (value outside its range [p, p])
        if not priors[0].fixed:
            new[keys[0]] = min(max(1.0 / (1.0 + math.exp(-theta[0])), _EPS), 1.0 - _EPS)
        for i, k in enumerate(keys[1:], 1):
            if not priors[i].fixed:
                new[k] = math.exp(theta[i])
    # risk factors
    _rf_step(st, kb, stats, values, new, n_eff, beta)
    return new, n_eff


def _newton(x, y1, y0, theta, priors, lam, iters=50):
    free = np.array([not p.fixed for p in priors])
    if not free.any():
        return theta
    mu = np.array([p.center for p in priors])
    prec = np.array([0.0 if p.fixed else lam * p.weight for p in priors])
    ntot = y1 + y0

    def objective(t):
        z = x @ t
        return float(y1 @ -np.logaddexp(0.0, -z) + y0 @ -np.logaddexp(0.0, z) - 0.5 * np.sum(prec[free] * (t[free] - mu[free]) ** 2))

    f0 = objective(theta)
    for _ in range(iters):
        z = x @ theta
        p = 1.0 / (1.0 + np.exp(-z))
        g = x.T @ (y1 - ntot * p) - prec * (theta - mu)
        h = (x * (ntot * p * (1.0 - p))[:, None]).T @ x + np.diag(prec)
        gf, hf = g[free], h[np.ix_(free, free)]
        scale = max(float(np.abs(np.diag(hf)).max(initial=0.0)), 1e-300)
        try:
            step = np.linalg.solve(hf + 1e-12 * scale * np.eye(hf.shape[0]), gf)
        except np.linalg.LinAlgError:
            step = gf / scale
        t = 1.0
        improved = False
        for _ in range(40):
            cand = theta.copy()
            cand[free] = np.clip(theta[free] + t * step, -_LOG_OR_MAX, _LOG_OR_MAX)
            f1 = objective(cand)
            if f1 >= f0:
                improved = True
                break
            t *= 0.5
        if not improved:
            break
        done = np.max(np.abs(cand - theta)) < 1e-12
        theta, f0 = cand, f1
        if done:
            break
    return theta


def _rf_step(st, kb, stats, values, new, n_eff, beta):
    """Risk-factor priors from the expected counts of the contexts and the private factors."""
    ctx = list(st.ctx_vars)
    k_n = st.ctx_states.shape[0]
    for r, rf in enumerate(kb.risk_factors):
        n_st = len(rf.states)
        par = st.rf_ids.index(rf.parent) if rf.parent else None
        n_par = len(kb.risk_factors[par].states) if par is not None else 1
        counts = np.zeros((n_par, n_st))
        if r in ctx:
            i = ctx.index(r)
            pi = ctx.index(par) if par is not None else None
            np.add.at(counts, (st.ctx_states[:, pi] if pi is not None else np.zeros(k_n, dtype=int), st.ctx_states[:, i]), stats["ctx"])
        else:
            c = next(c for c in range(st.n_c) if r in st.priv_vars[c])
            i = list(st.priv_vars[c]).index(r)
            joint = stats["cause"][c].sum(axis=2)  # (K, J)
            pj = st.priv_states[c][:, i]
            if par is not None and par not in ctx:  # a test result and the factor it measures, both private
                pk = st.priv_states[c][:, list(st.priv_vars[c]).index(par)]
                np.add.at(counts, (np.tile(pk, k_n), np.tile(pj, k_n)), joint.ravel())
            else:
                pk = st.ctx_states[:, ctx.index(par)] if par is not None else np.zeros(k_n, dtype=int)
                np.add.at(counts, (np.repeat(pk, pj.size), np.tile(pj, k_n)), joint.ravel())
        keys = [f"risk_factors.toml: {rf.id}.prior[{i}]" for i in range(len(rf.prior))]
        if rf.kind == "binary":
            for s in range(n_par):
                beta(keys[s if rf.parent else 0], counts[s, 1], counts[s].sum())
            continue
        pr = st.prior[keys[0]]
        total = counts[0].sum()
        for k in keys:
            n_eff[k] = float(total)
        if pr.fixed:
            continue
        a = st.lam * pr.weight
        if total + a <= 0:
            continue
        m = np.array([st.prior[k].center for k in keys])
        p = np.maximum(counts[0] + a * m, 0.0) / (total + a)
        p = np.clip(p, _EPS, None)
        p /= p.sum()
        for k, x in zip(keys, p):
            new[k] = float(x)


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


# ---------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class FittedNumber:
    """Provenance of one fitted number.

    Attributes
    ----------
    where : str
        As in :meth:`KnowledgeBase.numbers` (``"findings.toml: tingling.causes.neuropathy"``).
    old, new : float
        The prior model's value and the fitted value.
    low, high : float
        The prior model's range.
    n_eff : float
        Effective sample size: the expected number of records that informed the number.
    learned : bool
        False for numbers held fixed (structural zeros, single-point ranges).
    data_hash : str
    """

    where: str
    old: float
    new: float
    low: float
    high: float
    n_eff: float
    learned: bool
    data_hash: str

    @property
    def left_range(self):
        """True when the fitted value lies outside the prior model's range."""
        return not (self.low <= self.new <= self.high)


class FittedModel(DiagnosticModel):
    """A :class:`DiagnosticModel` fitted to records by :func:`fit`, with the provenance of every number.

    Attributes
    ----------
    prior_model : DiagnosticModel
        The model whose numbers were the prior.
    prior_strength : float
    numbers : Mapping of str to FittedNumber
    data_hash : str
        SHA-256 over the vocabulary and an order-independent hash of the records.
    n_records : int
    history : tuple of float
        The log posterior after each E-step (non-decreasing).
    iterations : int
    converged : bool
    """

    def __init__(self, kb, prior_model, prior_strength, numbers, data_hash, patterns, history, converged):
        super().__init__(kb)
        s = object.__setattr__
        s(self, "prior_model", prior_model)
        s(self, "prior_strength", prior_strength)
        s(self, "numbers", MappingProxyType(dict(numbers)))
        s(self, "data_hash", data_hash)
        s(self, "n_records", patterns.n_records)
        s(self, "_patterns", patterns)
        s(self, "history", tuple(history))
        s(self, "iterations", len(history))
        s(self, "converged", converged)

    def __reduce__(self):
        return (FittedModel, (self.kb, self.prior_model, self.prior_strength, dict(self.numbers), self.data_hash, self._patterns, self.history, self.converged))

    def __repr__(self):
        return f"FittedModel(name={self.name!r}, version={self.version!r}, records={self.n_records}, data_hash={self.data_hash[:12]!r})"

    def changes(self):
        """What moved: one row per learned number, largest move (relative to its range) first.

        Returns
        -------
        pandas.DataFrame
            Index ``where``; columns ``old``, ``new``, ``low``, ``high``, ``change`` (new - old),
            ``range_moved`` (``|change| / (high - low)``), ``left_range`` (bool), ``n_eff``,
            ``data_hash``.
        """
        import pandas as pd

        rows = []
        for n in self.numbers.values():
            if not n.learned:
                continue
            width = n.high - n.low
            rows.append({"where": n.where, "old": n.old, "new": n.new, "low": n.low, "high": n.high, "change": n.new - n.old,
                         "range_moved": abs(n.new - n.old) / width if width > 0 else math.inf, "left_range": n.left_range,
                         "n_eff": n.n_eff, "data_hash": n.data_hash})
        cols = ["old", "new", "low", "high", "change", "range_moved", "left_range", "n_eff", "data_hash"]
        out = pd.DataFrame(rows, columns=["where", *cols]).set_index("where")
        return out.sort_values("range_moved", ascending=False, kind="stable")

    def to_knowledge_base(self, path):
        """Write this model as a knowledge-base folder that loads back into an identical model.

        Every learned number has source ``"fit"`` (a sources entry is added) and a note with the
        data hash, the prior value and range, and whether the range was kept or widened to include
        the fitted value.

        Returns
        -------
        pathlib.Path
        """
        from twitchnet.kb.writer import write_knowledge_base

        return write_knowledge_base(self.kb, path)


def _fitted_kb(prior_kb, values, numbers, data_hash, prior_strength):
    """The knowledge base of a fit: learned numbers with source ``fit`` and notes; ranges widened
    only where the fitted value left them.
    """
    from twitchnet.kb.schema import Source

    old = dict(prior_kb.numbers())
    repl = {}
    for where, fn in numbers.items():
        if not fn.learned:
            continue
        n = old[where]
        x = values[where]
        lo, hi = min(n.low, x), max(n.high, x)
        how = "range kept" if (lo, hi) == (n.low, n.high) else f"range widened from [{n.low!r}, {n.high!r}] to include the fitted value"
        note = (f"Fitted by twitchnet.fit (MAP EM, prior_strength {prior_strength!r}) on data sha256:{data_hash}; "
                f"effective sample size {fn.n_eff:.1f}; knowledge-base value {n.value!r} in [{n.low!r}, {n.high!r}] "
                f"from source {n.source!r}; {how}.")
        repl[where] = replace(n, value=x, low=lo, high=hi, source="fit", note=note, derive=())
    sources = dict(prior_kb.sources)
    sources.setdefault("fit", Source("fit", "Estimated from records by twitchnet.fit: maximum a posteriori EM with the knowledge base as the prior; each number's note names the data hash."))
    kb = _with_values(prior_kb, values, repl)
    return replace(kb, sources=sources, version=f"{prior_kb.version}+fit.{data_hash[:8]}")


def _materialise(kb):
    """Write ``kb`` to TOML and load it back: the fitted model is exactly what its folder loads to."""
    from twitchnet.kb import load_knowledge_base
    from twitchnet.kb.writer import write_knowledge_base

    with tempfile.TemporaryDirectory() as tmp:
        write_knowledge_base(kb, tmp)
        loaded = load_knowledge_base(tmp)
    return replace(loaded, location=f"fit:{loaded.content_hash[:12]}")


# ---------------------------------------------------------------------------------------------- API
def _check_strength(prior_strength):
    if isinstance(prior_strength, bool) or not isinstance(prior_strength, (int, float, np.integer, np.floating)) or not (math.isfinite(prior_strength) and prior_strength >= 0):
        raise v.fail(EvidenceError, "prior_strength", "a finite number >= 0", prior_strength)
    return float(prior_strength)


def _check_tol(tol):
    if isinstance(tol, bool) or not isinstance(tol, (int, float, np.integer, np.floating)) or not (math.isfinite(tol) and tol >= 0):
        raise v.fail(EvidenceError, "tol", "a finite number >= 0", tol)
    return float(tol)


def _check_model(model):
    if not isinstance(model, DiagnosticModel):
        raise v.fail(EvidenceError, "model", "a DiagnosticModel (twitchnet.load_model()), or None for the packaged one", model)
    return model


def _check_int(name, value, low):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise v.fail(EvidenceError, name, f"a whole number >= {low}", value)
    return int(value)


def _check_progress(progress):
    from twitchnet._progress import check_progress

    return check_progress(progress)


def _is_dask(df):
    return type(df).__module__.split(".")[0] in ("dask", "dask_expr")


def _dask_tables(records, model):
    """Encode every partition (map); the tables stay with the scheduler between iterations."""
    import dask

    from twitchnet.frame import _columns

    cause_cols = list(_cause_columns(records.columns, model))
    _columns(model, records._meta.drop(columns=cause_cols) if cause_cols else records._meta)  # fail early
    parts = [dask.delayed(_encode_checked)(p, model) for p in records.to_delayed()]
    return list(dask.persist(*parts))


def _stats_over(tables, pats, threads=None):
    """Sum of the expected counts over pattern tables (a list means Dask partitions: map-reduce)."""
    if isinstance(pats, list):
        import dask

        parts = dask.compute(*[dask.delayed(suff_stats)(tables, p, 1) for p in pats])
        total = _empty_stats(tables)
        for p in parts:
            total = _add(total, p)
        return total
    return suff_stats(tables, pats, threads)


def log_posterior(model, records, prior=None, prior_strength=1.0):
    """The objective :func:`fit` maximises: ``log P(records | model) + log prior(model)``.

    Parameters
    ----------
    model : DiagnosticModel
        The numbers to score.
    records : pandas.DataFrame
    prior : DiagnosticModel, optional
        Whose values and ranges are the prior (default ``model`` itself).
    prior_strength : float

    Returns
    -------
    float
    """
    prior = model if prior is None else prior
    st = _Structure(prior, _check_strength(prior_strength))
    pats = _encode_checked(records, model)
    stats = suff_stats(_Tables(model, st), pats)
    return stats["loglik"] + _log_prior(st, _values(model.kb))


def _em(prior_model, start_kb, pats, prior_strength, max_iter, tol, threads=None, progress=False):
    from twitchnet import _progress

    st = _Structure(prior_model, prior_strength)
    bar = _progress.bar(progress, max_iter, desc="fit (EM)", unit="iter", purpose="fit(progress=True)")
    values = _values(start_kb)
    current = DiagnosticModel(start_kb) if start_kb is not prior_model.kb else prior_model
    history = []
    converged = False
    n_eff = {}
    for _ in range(max_iter):
        stats = _stats_over(_Tables(current, st), pats, threads)
        lp = stats["loglik"] + _log_prior(st, values)
        if history and abs(lp - history[-1]) <= tol * (1.0 + abs(lp)):
            history.append(lp)
            converged = True
            break
        history.append(lp)
        bar.update(1)
        bar.set_postfix_str(f"log posterior {lp:.6g}")
        new, n_eff = _m_step(st, values, current, stats)
        values = new
        current = DiagnosticModel(_with_values(prior_model.kb, values))
    bar.close()
    if not n_eff:  # max_iter == 0: effective sizes at the start
        _, n_eff = _m_step(st, values, current, _stats_over(_Tables(current, st), pats, threads))
    return values, n_eff, history, converged, st


def _finish(prior_model, values, n_eff, history, converged, st, pats, prior_strength):
    ids = "\0".join(prior_model.risk_factor_ids + prior_model.finding_ids + prior_model.cause_ids)
    data_hash = hashlib.sha256(f"{ids}\0{pats.n_records}\0{pats.digest[0]}\0{pats.digest[1]}".encode()).hexdigest()
    old = dict(prior_model.kb.numbers())
    numbers = {
        w: FittedNumber(w, old[w].value, values[w], old[w].low, old[w].high, n_eff.get(w, 0.0), not st.prior[w].fixed, data_hash)
        for w in st.prior
    }
    kb = _materialise(_fitted_kb(prior_model.kb, values, numbers, data_hash, prior_strength))
    _warn_left_range(numbers)
    # the values as written (repr round-trips exactly); the provenance keeps them
    return FittedModel(kb, prior_model, prior_strength, numbers, data_hash, pats, history, converged)


def _warn_left_range(numbers):
    """A :class:`~twitchnet.errors.FitWarning` when fitted numbers left their ranges (hostile M1:
    a few hundred mislabelled records turned a neuropathy presentation into self-care, silently).
    """
    import warnings

    left = [n for n in numbers.values() if n.learned and n.left_range]
    if not left:
        return
    far = max(left, key=lambda n: (abs(n.new - n.old) / (n.high - n.low), n.where))
    moved = abs(far.new - far.old) / (far.high - far.low)
    warnings.warn(
        f"fit: {len(left)} of {sum(n.learned for n in numbers.values())} learned numbers left their knowledge-base "
        f"ranges; the furthest, {far.where}, moved from {far.old:g} to {far.new:g}, outside [{far.low:g}, {far.high:g}] "
        f"({moved:.3g} range widths). Check FittedModel.changes() (column left_range) before using the fitted model; "
        "warnings.simplefilter('ignore', twitchnet.errors.FitWarning) silences this",
        FitWarning,
        stacklevel=4,  # the caller of fit() or partial_fit()
    )


def fit(records, model=None, prior_strength=1.0, *, max_iter=200, tol=1e-10, threads=None, progress=None):
    """Fit the model's numbers to records by MAP EM with the knowledge base as the prior.

    Parameters
    ----------
    records : pandas.DataFrame or dask.dataframe.DataFrame
        One record per row; columns are vocabulary ids or aliases (missing = unknown, as in
        :func:`twitchnet.diagnose_frame`), and optional diagnosis columns named by cause id or
        ``cause.<id>`` (as ``model.simulate(n, causes=True)`` names them)
        (True, False or missing; a record may have several causes).
    model : DiagnosticModel, optional
        The prior (and starting point); the packaged model by default.
    prior_strength : float, default=1.0
        Multiplies the weight of every number's prior; 0 is maximum likelihood.
    max_iter : int, default=200
    tol : float, default=1e-10
        Stop when the log posterior changes by less than ``tol * (1 + |log posterior|)``.
    threads : int, optional
        E-step worker threads (numpy releases the GIL); default: the CPUs, at most 4.
    progress : bool or None, default=None
        A tqdm bar over the EM iterations, with the log posterior: ``True`` always, ``False``
        never, ``None`` in a terminal or notebook once the fit has run for two seconds.

    Returns
    -------
    FittedModel

    Raises
    ------
    FrameEvidenceError
        Bad cells (unknown values, impossible evidence), listed by row and column.
    UnknownEvidenceError
        A column that is neither a vocabulary id, an alias nor a cause id.

    Warns
    -----
    FitWarning
        When fitted numbers leave their knowledge-base ranges: how many, and the one that moved
        furthest. Silence it with ``warnings.simplefilter("ignore", twitchnet.errors.FitWarning)``
        where that is expected.
    """
    if model is None:
        from twitchnet.model import load_model

        model = load_model()
    model = _check_model(model)
    prior_strength = _check_strength(prior_strength)
    max_iter = _check_int("max_iter", max_iter, 0)
    tol = _check_tol(tol)
    threads = v.check_threads(threads)
    progress = _check_progress(progress)
    if _is_dask(records):
        parts = _dask_tables(records, model)
        import dask

        # the provenance needs the whole table (small: distinct rows only); the EM maps over partitions
        merged = Patterns.concat(list(dask.compute(*parts)))
        values, n_eff, history, converged, st = _em(model, model.kb, parts, prior_strength, max_iter, tol, threads, progress)
        return _finish(model, values, n_eff, history, converged, st, merged, prior_strength)
    pats = _encode_checked(records, model)
    values, n_eff, history, converged, st = _em(model, model.kb, pats, prior_strength, max_iter, tol, threads, progress)
    return _finish(model, values, n_eff, history, converged, st, pats, prior_strength)


def partial_fit(fitted, records, *, max_iter=200, tol=1e-10, threads=None, progress=None):
    """Update a fitted model with a new batch of records.

    The fitted model keeps its data as distinct patterns with counts; the new batch is added and
    EM restarts from the fitted numbers with the same prior. The result is the fit to both batches
    together (the same fixed point as :func:`fit` on the concatenation, to the EM tolerance).

    Parameters
    ----------
    fitted : FittedModel
    records : pandas.DataFrame or dask.dataframe.DataFrame
    max_iter, tol, threads, progress
        As :func:`fit`.

    Returns
    -------
    FittedModel

    Warns
    -----
    FitWarning
        As :func:`fit`, when numbers leave their knowledge-base ranges.
    """
    if not isinstance(fitted, FittedModel):
        raise v.fail(NotFittedError, "fitted", "a FittedModel returned by twitchnet.fit", fitted)
    max_iter = _check_int("max_iter", max_iter, 0)
    tol = _check_tol(tol)
    threads = v.check_threads(threads)
    progress = _check_progress(progress)
    prior_model = fitted.prior_model
    if _is_dask(records):
        import dask

        new = Patterns.concat(list(dask.compute(*_dask_tables(records, prior_model))))
    else:
        new = _encode_checked(records, prior_model)
    pats = Patterns.concat([fitted._patterns, new])
    start = _with_values(prior_model.kb, {w: n.new for w, n in fitted.numbers.items()})
    values, n_eff, history, converged, st = _em(prior_model, start, pats, fitted.prior_strength, max_iter, tol, threads, progress)
    return _finish(prior_model, values, n_eff, history, converged, st, pats, fitted.prior_strength)
