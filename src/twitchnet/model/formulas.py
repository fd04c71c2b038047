"""The model's two formulas, written once: the logistic prior and the noisy-OR with leak.

:func:`logistic_pair` (a cause's prior from its log-odds) and :func:`noisy_or` (a finding's table
from its links and leak) are the only places these formulas are written; :func:`prod_terms` is the
product of a prior's terms, and :class:`Tables` what :meth:`twitchnet.model.parameters.Parameters.compile`
returns. ``twitchnet.model.parameters`` re-exports every name.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

__all__ = ["Tables", "logistic_pair", "logit", "noisy_or", "prod_terms"]


def logit(p: Any) -> Any:
    """``log(p / (1 - p))`` of a probability or an array of them."""
    if isinstance(p, float):
        return math.log(p) - math.log1p(-p)
    return np.log(p) - np.log1p(-p)


def logistic_pair(z: Any) -> tuple[Any, Any]:
    """The logistic prior: ``(expit(z), expit(-z))``, P(cause present) and P(cause absent) from its
    log-odds ``z``, each computed from ``exp(-|z|)`` so that neither rounds to 0 when the other is
    within an ulp of 1, and no large ``|z|`` overflows.

    Parameters
    ----------
    z : float or ndarray

    Returns
    -------
    (present, absent) : floats or ndarrays of the shape of ``z``
    """
    if isinstance(z, float):
        e = math.exp(-abs(z))
        r = 1.0 / (1.0 + e)
        return (r, e * r) if z >= 0 else (e * r, r)
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    r = 1.0 / (1.0 + e)
    er = e * r
    pos = z >= 0
    return np.where(pos, r, er), np.where(pos, er, r)


def noisy_or(log_leak_off: np.ndarray, log_keep: np.ndarray, states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The noisy-OR finding tables with leak: ``log P(finding present | s)`` and ``log P(absent | s)``.

    ``P(f absent | s) = (1 - leak_f) * prod_c (1 - p_cf)**s_c``.

    Parameters
    ----------
    log_leak_off : ndarray of shape (..., F)
        ``log(1 - leak_f)``.
    log_keep : ndarray of shape (..., C, F)
        ``log(1 - p_cf)`` of every link, 0 where there is none.
    states : ndarray of shape (S, C)
        Cause states (0/1 floats), one per row.

    Returns
    -------
    log_f1, log_f0 : ndarrays of shape (..., S, F)
    """
    log_f0 = log_leak_off[..., None, :] + states @ log_keep
    return np.log(-np.expm1(log_f0)), log_f0


class Tables(NamedTuple):
    """The model's numeric tables for one parameter vector, or many (leading axes ``...``).

    Attributes
    ----------
    log_ctx_prior : ndarray of shape (..., K)
        Log prior of every context (joint state of the shared risk factors).
    priv_weight : list of (W0, W1), each an ndarray of shape (..., K, J_c)
        Per cause, ``P(priv = j | k) * P(cause absent / present | k, j)``.
    log_keep : ndarray of shape (..., C, F) or None
        ``log(1 - p_cf)`` of every link (0 where none); None when compiled without findings.
    log_leak_off : ndarray of shape (..., F) or None
        ``log(1 - leak_f)``.
    """

    log_ctx_prior: np.ndarray
    priv_weight: list
    log_keep: np.ndarray | None
    log_leak_off: np.ndarray | None


def prod_terms(th: Any, idx: np.ndarray, comp: np.ndarray) -> Any:
    """``prod_i (th[idx_i] or 1 - th[idx_i])`` over the last axis of ``idx`` (``comp`` marks the
    complements); sequential products, so a zero term gives an exact zero and no division. ``th``
    may be an array ``(..., P + 1)`` or anything indexable the same way (dual numbers).
    """
    out = None
    for i in range(idx.shape[-1]):
        c = comp[..., i].astype(float)
        term = th[..., idx[..., i]] * (1.0 - 2.0 * c) + c
        out = term if out is None else out * term
    return out
