"""twitchnet.model.tables: the risk-factor lookup tables, by marginalising one factor at a time."""

import numpy as np

import twitchnet
from twitchnet.model import tables as T


def _build(model):
    f = model.factors
    return T.FactorTables(f["ctx_states"], f["log_ctx_prior"], f["priv_vars"], f["priv_states"], f["priv_weight"], f["n_rf"]).set_context(f["ctx_vars"])


def test_marginalised_tables_equal_the_consistency_mask_product(monkeypatch):
    """Every pattern's sum (a factor unknown: summed over its states) equals the sum written as a
    product with the 0/1 mask of the joint states agreeing with the pattern."""
    model = twitchnet.load_model()
    calls = []
    real = T._pattern_sums
    monkeypatch.setattr(T, "_pattern_sums", lambda *a: calls.append(1) or real(*a))
    fast = _build(model)
    assert sum(r is not None for r in [real(np.ones((1, s.shape[0])), s, [int(s[:, i].max()) + 1 for i in range(s.shape[1])])
                                        for s in model.factors["priv_states"]]) >= 3  # the fast path runs for the larger causes
    monkeypatch.setattr(T, "_pattern_sums", lambda *a: None)
    masked = _build(model)
    assert calls and fast.sizes == masked.sizes and fast.dep == masked.dep
    np.testing.assert_array_equal(fast.codes, masked.codes)
    np.testing.assert_allclose(fast.q_all, masked.q_all, rtol=1e-14, atol=1e-300)


def test_pattern_sums_by_hand():
    """Two factors of 2 and 3 states: pattern (unknown, s2) sums over the first factor, and so on."""
    states = np.array([[a, b] for a in range(2) for b in range(3)])
    assert T._pattern_sums(np.ones((2, 6)), states, [2, 3]) is None  # six states: below where it pays, the mask product runs
    big = np.array([[a, b, c] for a in range(2) for b in range(2) for c in range(3)])  # 12 joint states
    v = np.arange(1.0, 13.0)[None]
    res = T._pattern_sums(v, big, [2, 2, 3])[0]  # patterns: 3 x 3 x 4, each factor unknown first
    grid = v[0].reshape(2, 2, 3)
    assert res[0] == grid.sum()  # all unknown
    assert res[(1 + 1) * 12 + 0 * 4 + 0] == grid[1].sum()  # first factor = 1, others unknown
    assert res[0 * 12 + 2 * 4 + 3] == grid[:, 1, 2].sum()  # first unknown, second = 1, third = 2
    assert res[1 * 12 + 1 * 4 + 1] == grid[0, 0, 0]
    shuffled = big[::-1]
    assert T._pattern_sums(v, shuffled, [2, 2, 3]) is None  # not in product order: refused, the mask runs
