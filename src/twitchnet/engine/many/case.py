"""One case reduced to what the knowledge base's numbers act on."""

from __future__ import annotations

import numpy as np


def _same(row, k0, k1):
    """Whether a cause's terms and effects are the same in its live contexts ``k0`` and ``k1``."""
    i, cp, a = row
    return np.array_equal(i[k0], i[k1]) and np.array_equal(cp[k0], cp[k1]) and np.array_equal(a[:, k0], a[:, k1])


class _Case:
    """One case's evidence reduced to what the numbers act on: the live contexts, each cause's
    live private states, the absent and the present findings.
    """

    def __init__(self, st, model, rf_state, finding_state):
        arr = st.p  # the structure of the tables (no 2**C table read)
        rf = np.asarray(rf_state, dtype=np.int64)
        fs = np.asarray(finding_state, dtype=np.int64)
        obs_ctx = rf[arr.ctx_vars] if arr.ctx_vars.size else np.zeros(0, dtype=np.int64)
        ok = ((obs_ctx[None, :] < 0) | (arr.ctx_states == obs_ctx[None, :])).all(axis=1)
        self.k = np.flatnonzero(ok)
        self.rows = []
        for c in range(len(st.cause_ids)):
            pv = arr.priv_vars[c]
            obs = rf[pv]
            j = np.flatnonzero(((obs[None, :] < 0) | (arr.priv_states[c] == obs[None, :])).all(axis=1))
            ks = self.k if c in st.dep else self.k[:1]
            kk, jj = np.ix_(ks, j)
            self.rows.append((st.priv_idx[c][kk, jj], st.priv_comp[c][kk, jj], st.effects[c][:, kk, jj]))
        # the causes whose weights vary over the live contexts (a subset of the model's st.dep)
        self.dep = tuple(c for c in st.dep if not all(_same(self.rows[c], 0, k) for k in range(1, len(self.k))))
        self.absent = np.flatnonzero(fs == 0)
        self.present = np.flatnonzero(fs == 1)
        # the numbers _log_odds reads for this case (a finding left unknown sums out: its link and
        # leak numbers cannot move the posterior), with whole category groups: only these are drawn
        read = [st.ctx_idx[self.k].ravel(), np.asarray(st.base_pos, dtype=np.int64), st.link_pos[:, self.absent].ravel(),
                st.link_pos[:, self.present].ravel(), st.leak_pos[self.present]]
        read += [idx.ravel() for idx, _, _ in self.rows] + list(st.eff_pos)
        used = np.zeros(st.n + 1, dtype=bool)
        used[np.concatenate(read)] = True
        used = used[: st.n]
        for members in st.groups:
            if used[members].any():
                used[members] = True
        self.used = used
        self._flat = None
        self._plain = {}

    def plain(self, st, key, build):
        """``build()``, the case's tables for :mod:`.plain` named ``key``, built once per case."""
        if key not in self._plain:
            self._plain[key] = build()
        return self._plain[key]

    def flat(self, st):
        """Every cause's live private states side by side (built once per case), for the plain
        array path (:class:`twitchnet.engine.many.plain._Rows`): one gather, one product and one
        sum for all causes instead of a dozen small operations per cause. Entries ``m`` run over the causes,
        then their live contexts, then their private states; padding terms are the constant
        column taken as a complement (a factor of exactly 1), absent effects exact zeros. A cause
        whose weights vary with the context in the model but not over this case's live contexts
        keeps one context (:attr:`dep`: those that vary).
        """
        if self._flat is None:
            n = max(r[0].shape[-1] for r in self.rows)
            idx, comp, cause_m, starts, seg_cause = [], [], [], [], []
            e_pos, blocks = [], []
            m = 0
            rows = [r if c in self.dep else (r[0][:1], r[1][:1], r[2][:, :1]) for c, r in enumerate(self.rows)]
            for c, (i, cp, a) in enumerate(rows):
                k, j, w = i.shape
                padded_i = np.full((k * j, n), st.n, dtype=i.dtype)  # np.pad costs 60 us a call
                padded_i[:, :w] = i.reshape(k * j, w)
                padded_c = np.ones((k * j, n), dtype=bool)
                padded_c[:, :w] = cp.reshape(k * j, w)
                idx.append(padded_i)
                comp.append(padded_c)
                cause_m.append(np.full(k * j, c))
                starts += range(m, m + k * j, j)
                seg_cause += [c] * k
                if a.shape[0]:
                    e_pos.append(st.eff_pos[c])
                    blocks.append((m, a.reshape(a.shape[0], k * j)))
                m += k * j
            eff = np.zeros((sum(b.shape[0] for _, b in blocks), m))
            row = 0
            for col, b in blocks:
                eff[row : row + b.shape[0], col : col + b.shape[1]] = b
                row += b.shape[0]
            seg = np.cumsum([0] + [r[0].shape[0] for r in rows])
            self._flat = (np.concatenate(idx), np.concatenate(comp), np.concatenate(cause_m), np.array(starts),
                          np.array(seg_cause), np.concatenate(e_pos) if e_pos else np.zeros(0, dtype=np.int64), eff, seg)
        return self._flat
