"""Counterfactual rankings for the noisy-OR layer (Richens, Lee & Johri, Nat Commun 11:3923, 2020).

Written from the paper's definitions (not from its released code). Noisy-OR as a structural
model: finding ``f`` is on iff its leak fires (probability ``leak_f``) or some present cause ``c``
has an active link (probability ``p_cf``); the leak and link variables are independent exogenous
noise, shared by the factual and counterfactual worlds (the twin network). For the positive
findings ``S+`` of the evidence ``E``:

* **Expected disablement** of cause ``k``: ``E_dis(k) = E[ |{f in S+ : f' off}| | E ]`` under the
  intervention ``do(k absent)``: how many present findings would switch off if ``k`` were cured.
* **Expected sufficiency** of cause ``k``: ``E_suff(k) = E[ |{f in S+ : f' on}| | E ]`` under an
  intervention that switches off every other cause *and* the exogenous influences (the leak), as the
  paper's definition does: how many present findings ``k`` alone (at its factual state) would keep on.

Causes are not descendants of one another, so an intervention on causes leaves the other causes
as they were. Given a joint cause state ``s``, the findings' noise variables are independent and
each only explains its own finding, so conditioning on ``f`` on gives, exactly::

    P(f' off | s, f on, do(k absent)) = s_k * p_kf * (1 - leak_f) * prod_{c in s, c != k} (1 - p_cf) / P(f on | s)
    P(f' on  | s, f on, do(others and leak absent)) = s_k * p_kf / P(f on | s)

and both measures are these summed over ``f in S+`` and averaged over ``P(s | E)``, which the
engine enumerates. Negative findings stay off under either intervention (removing causes
never switches a finding on), so they count only through ``P(s | E)``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["counterfactuals", "group_counterfactuals"]


def counterfactuals(arr, post_states, positive):
    """Expected disablement and sufficiency of every cause.

    Parameters
    ----------
    arr : twitchnet.engine.reference.Arrays
    post_states : ndarray of shape (2**C,)
        ``P(s | E)``.
    positive : ndarray of int
        Indices of the findings observed present.

    Returns
    -------
    disablement, sufficiency : ndarray of shape (C,)
    """
    n_c = arr.n_causes
    if len(positive) == 0:
        return np.zeros(n_c), np.zeros(n_c)
    # P(f off | s) / P(f on | s) from the logs, and 1 / P(f on | s) = 1 + that (a sum of positive
    # numbers), not 1 / (1 - P(f off | s)), which loses digits when P(f off | s) is within a few
    # ulps of 1 (found by the fast engine's tests)
    off_over_on = np.exp(arr.log_f0.T[positive] - arr.log_f1.T[positive])  # (P, 2**C)
    inv_on = 1.0 + off_over_on
    odds, p = arr.cf_links[:, :, positive]  # per link: p / (1 - p) and p, (C, P) each
    # disablement: s_k * p_kf * [(1 - leak) prod_{c in s} (1 - p_cf)] / (1 - p_kf) / P(f on | s)
    dis = post_states @ (arr.states * (off_over_on.T @ odds.T))
    # sufficiency (leak off): s_k * p_kf / P(f on | s), summed over f and averaged over s
    suff = post_states @ (arr.states * (inv_on.T @ p.T))
    return dis, suff


def group_counterfactuals(arr, post_states, positive, members):
    """Expected disablement and sufficiency of a cause group (every member at once).

    The same twin-network definitions with the intervention on the whole group: disablement
    ``do(every member absent)``, sufficiency ``do(every non-member and the leak absent)``. For a
    joint state ``s`` and a present finding ``f``, with ``G`` the members::

        P(f' off | s, f on, do(G absent)) = (1 - leak_f) prod_{c in s - G} (1 - p_cf) (1 - prod_{c in s & G} (1 - p_cf)) / P(f on | s)
        P(f' on | s, f on, do(rest absent)) = (1 - prod_{c in s & G} (1 - p_cf)) / P(f on | s)

    summed over ``f`` and averaged over ``P(s | E)``. A group of one cause gives
    :func:`counterfactuals`' numbers for that cause.

    Parameters
    ----------
    arr : twitchnet.engine.reference.Arrays
    post_states : ndarray of shape (2**C,)
    positive : ndarray of int
    members : sequence of int
        The group's cause indices.

    Returns
    -------
    disablement, sufficiency : float
    """
    if len(positive) == 0:
        return 0.0, 0.0
    in_g = np.zeros(arr.n_causes)
    in_g[list(members)] = 1.0
    sg = arr.states * in_g
    b0 = arr.b0[:, positive]
    fired = -np.expm1(sg @ b0)  # 1 - prod over present members of (1 - p_cf): (2**C, P)
    inv_on = 1.0 + np.exp(arr.log_f0[:, positive] - arr.log_f1[:, positive])  # 1 / P(f on | s)
    rest = np.exp(arr.a0[positive] + (arr.states - sg) @ b0)  # (1 - leak) prod over present non-members
    dis = float(post_states @ (rest * fired * inv_on).sum(axis=1))
    suff = float(post_states @ (fired * inv_on).sum(axis=1))
    return dis, suff
