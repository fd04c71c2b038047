"""The C kernel's single-case path, importable without numpy.

:func:`twitchnet.diagnose` calls :func:`explain` here when the C kernel is built. The kernel's
tables are the numpy arrays of :class:`twitchnet.engine.tables.Plan`; a :class:`KernelPlan` holds them as
plain bytes, so that the packaged model, whose tables are cached beside its knowledge base (see
:mod:`twitchnet.kb.loader`), answers a command-line diagnosis without importing numpy at all.
"""

from __future__ import annotations

import os
from typing import NamedTuple

try:  # the compiled inner loops (setup.py builds them when a C compiler is present)
    from twitchnet.engine import _kernel
except ImportError:  # pragma: no cover - exercised where no compiler was available
    _kernel = None
if os.environ.get("TWITCHNET_NO_KERNEL"):
    _kernel = None

__all__ = ["Explained", "KernelPlan", "encode", "explain", "instances"]

# the Plan attributes the kernel reads, in make_plan's order (after the layout)
TABLES = ("ctx_w", "q_all", "q_offset", "p_obs", "keep", "log_leak_off", "cf_rows", "cf_coef", "codes")


class Explained(NamedTuple):
    """What the engine computes for one case, as Python lists (C entries each).

    Attributes
    ----------
    log_evidence : float
    prior_log_odds, log_odds, prior, probability : list of float
        Given the risk factors only, and given all the evidence.
    steps : list of list of float
        Per cause, the change in its log-odds as each finding is added (the explanation).
    disablement, sufficiency : list of float
    """

    log_evidence: float
    prior_log_odds: list
    log_odds: list
    prior: list
    probability: list
    steps: list
    disablement: list
    sufficiency: list


class KernelPlan:
    """The kernel's tables as bytes, bound to the kernel.

    Parameters
    ----------
    layout : bytes
        The int64 layout vector of ``_kernel.make_plan``.
    tables : dict of str to bytes
        The C-contiguous bytes of each array in :data:`TABLES`.
    code_terms : tuple of tuple of (int, int)
        Per risk factor, its ``(column, radix)`` terms of the pattern codes.
    """

    def __init__(self, layout, tables, code_terms):
        self.layout, self.tables, self.code_terms = bytes(layout), {k: bytes(tables[k]) for k in TABLES}, tuple(code_terms)
        self.kernel = _kernel.make_plan(self.layout, *(self.tables[k] for k in TABLES)) if _kernel is not None else None

    def __reduce__(self):
        return (KernelPlan, (self.layout, self.tables, self.code_terms))


def explain(kplan, codes, rows, positive):
    """One case through the kernel: see :func:`twitchnet.engine.tables.explain` (same contract)."""
    status, log_ev, *rest = _kernel.explain(kplan.kernel, codes, rows, positive)
    if status == 1:
        return None
    return Explained(log_ev, *rest) if status == 0 else Explained(log_ev, *([None] * 7))


def encode(model, evidence):
    """The C encoder's answer for the common case, or None (then use ``model.encode``).

    Returns ``(canonical evidence dict, pattern codes, observed finding indices, their values as
    bools, p_obs rows, indices of present findings, frozenset of true red-flag ids)``, equal to
    what :meth:`twitchnet.model.DiagnosticModel.encode` gives (tested), when ``evidence`` is a
    plain dict of vocabulary ids (no aliases) with ``None``, ``True``/``False``, an ``int`` age in
    range or a category's exact state as values. Anything else, including every input that is an
    error, returns None, so that the one validation path decides and words the error.
    """
    table = model._encode_table
    if table is None:
        return None
    out = _kernel.encode(table, evidence, len(model.finding_ids), len(model.cause_ids) + 1)
    if out is not None and model._plausible and model.implausible(out[0]) is not None:
        return None  # the plausibility checks are the validation path's (model.implausible)
    return out


def instances(cls, fields, rows):
    """``[results._frozen(cls, fields, row) for row in rows]``, in C when the kernel is built.

    Parameters
    ----------
    cls : type
        A frozen dataclass whose instances keep their fields in ``__dict__``.
    fields : tuple of str
    rows : list of tuple
        One value per field.
    """
    if _kernel is not None:
        return _kernel.instances(cls, fields, rows)
    from twitchnet.results import _frozen

    return [_frozen(cls, fields, row) for row in rows]
