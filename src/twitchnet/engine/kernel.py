"""The ``"enumeration"`` engine: the reference engine's sums in the compiled C kernel.

The kernel (``_kernel.c``) holds only inner loops: the prior over the joint cause states from
lookup tables, the products over the observed findings, and the sums per cause. Everything else
is built here in numpy, once per model: :class:`Plan` turns the compiled arrays
(:class:`twitchnet.model.arrays.Arrays`) into the kernel's tables, using exact identities:

1. **Lookup tables for the risk factors** (:class:`twitchnet.model.tables.FactorTables`): every
   observation pattern of each cause's private factors and of the context is enumerated, so a
   case costs one integer code per cause.
2. **Only context-dependent causes see the contexts.** A cause whose table does not vary with the
   context factors out of the sum over contexts, which then runs over the ``2**|D|`` joint states
   of the dependent causes ``D`` only; the prior is that factor times a Kronecker product of the
   other causes' pairs. Internally the dependent causes take the low bits of the state index.
3. **Absent findings factor over causes** under noisy-OR: ``P(f absent | s) = (1 - leak_f)
   prod_c (1 - p_cf)**s_c``, folded into each cause's present weight. Only present findings need
   a table over the joint states.
4. **Two sums per cause**, present and absent, so neither a posterior near 0 nor one near 1 loses
   digits to cancellation.
5. **Soft findings** (:func:`twitchnet.maybe`, likelihood ratio ``r``) are a per-state row like a
   present finding's: ``P(f absent | s) + r P(f present | s)``, built in C from the two rows of
   the finding (two non-negative terms: no cancellation), added in knowledge-base order with the
   hard findings, so the explanation's steps and the counterfactuals (over the hard present
   findings, on the posterior that includes the soft ones) are the reference engine's.

Any case whose sums leave the range in which probability space is exact (below ``1e-280``) is
recomputed by the reference engine in log space, so the result equals the reference everywhere.

For the packaged model the tables are cached on disk as raw bytes (:mod:`twitchnet._cache`), so
that a command-line diagnosis needs no numpy at all. The file is keyed on the model's
:attr:`~twitchnet.model.DiagnosticModel.fingerprint`, the hash of the numbers the tables are computed
from, and only the knowledge base read from the packaged files
(:func:`twitchnet.kb.loader.is_packaged`) reads or writes it: a model with edited numbers (a fit,
``dataclasses.replace``) builds its own tables, whatever its ``location`` and ``content_hash`` say.
``TWITCHNET_NO_KERNEL=1`` (or ``true``, ``yes``) switches the kernel off (then ``"enumeration"``
runs the reference engine), as on a machine without a C compiler; ``0`` leaves it on.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from twitchnet._memo import memo
from twitchnet._validation import env_flag
from twitchnet.engine import Engine, Explained, observed_order

if TYPE_CHECKING:
    from twitchnet.model import DiagnosticModel, Encoded

try:  # the compiled inner loops (setup.py builds them when a C compiler is present)
    from twitchnet.engine import _kernel  # type: ignore[attr-defined]  # the compiled extension
except ImportError:  # pragma: no cover - exercised where no compiler was available
    _kernel = None
if env_flag("TWITCHNET_NO_KERNEL"):
    _kernel = None

__all__ = ["KERNEL", "KernelEngine", "KernelPlan", "LazySteps", "Plan", "plan_for"]

#: the Plan attributes the kernel reads, in make_plan's order (after the layout)
TABLES = ("ctx_w", "q_all", "q_offset", "p_obs", "keep", "log_leak_off", "cf_rows", "cf_coef", "codes")
_CHUNK = 4096  # rows per block of a batch (one block per thread at a time)


class Plan:
    """The kernel's tables, built in numpy from compiled arrays.

    Parameters
    ----------
    arr : twitchnet.model.arrays.Arrays

    Attributes
    ----------
    dep, indep : tuple of int
        Causes whose tables vary with the context, and the others.
    order : tuple of int
        Cause of each internal state bit (``dep`` first).
    perm : ndarray of int
        Standard state index of each internal state.
    codes : ndarray of shape (R, C + 1), int
        ``(rf_state + 1) @ codes`` gives each cause's private pattern code and, last, the context's.
    ctx_w : ndarray of shape (P_ctx, K)
        ``P(k, e_ctx)`` for every context pattern (0 where inconsistent).
    q_all : ndarray of shape (sum P_c, K, 2)
        Every cause's pattern table, cause ``c``'s rows starting at ``q_offset[c]``.
    p_obs : ndarray of shape (2F, 2**C)
        Row ``value * F + f``: ``P(f = value | s)`` in internal state order.
    keep : ndarray of shape (F, C)
        ``1 - p_cf``: each cause's factor for an absent finding.
    log_leak_off : ndarray of shape (F,)
        ``log(1 - leak_f)``.
    cf_rows, cf_coef : ndarray
        The counterfactual tables (:mod:`twitchnet.engine.counterfactual`): per finding
        ``g / (1 - g)`` and ``1 / (1 - g)`` over the states, and per cause the link odds and
        link probabilities.
    layout : ndarray of int64
        Sizes, bit order and pattern counts, as ``_kernel.make_plan`` reads them.
    """

    def __init__(self, arr):
        import numpy as np

        from twitchnet.model.tables import FactorTables

        n_c = arr.n_causes
        ft = FactorTables(arr.ctx_states, arr.log_ctx_prior, arr.priv_vars, arr.priv_states, arr.priv_weight, arr.n_rf).set_context(arr.ctx_vars)
        self.n_causes, self.n_ctx = n_c, ft.n_ctx
        self.ctx_w, self.codes, self.q_all, self.q_offset = ft.ctx_w, ft.codes, ft.q_all, ft.q_offset
        self.dep = tuple(ft.dep)
        self.indep = tuple(c for c in range(n_c) if c not in ft.dep)
        self.order = self.dep + self.indep
        t = np.arange(2**n_c)
        self.perm = sum(((t >> i) & 1) << c for i, c in enumerate(self.order))
        with np.errstate(under="ignore"):
            p1 = np.exp(arr.log_f1[self.perm]).T  # (F, S)
            p0 = np.exp(arr.log_f0[self.perm]).T
        self.p_obs = np.ascontiguousarray(np.vstack([p0, p1]))
        self.keep = np.ascontiguousarray(np.exp(arr.b0.T))  # (F, C): 1 - p_cf
        self.log_leak_off = np.ascontiguousarray(arr.a0)
        with np.errstate(divide="ignore"):
            inv_on = 1.0 / p1
        self.cf_rows = np.ascontiguousarray(np.vstack([p0 * inv_on, inv_on]))  # (2F, S)
        self.cf_coef = np.ascontiguousarray(np.hstack([arr.link_odds, arr.link_p]))  # (C, 2F)
        self.layout = np.array(
            [n_c, self.n_ctx, self.keep.shape[0], len(self.dep), len(self.indep), self.ctx_w.shape[0], self.codes.shape[0], *self.order, *ft.sizes],
            dtype=np.int64,
        )
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)

    def kernel_plan(self):
        """The tables as a numpy-free :class:`KernelPlan`."""
        import numpy as np

        return KernelPlan(self.layout.tobytes(), {k: np.ascontiguousarray(getattr(self, k)).tobytes() for k in TABLES})


class KernelPlan:
    """The kernel's tables as bytes, bound to the kernel.

    Parameters
    ----------
    layout : bytes
        The int64 layout vector of ``_kernel.make_plan``.
    tables : dict of str to bytes
        The C-contiguous bytes of each array in :data:`TABLES`.
    """

    def __init__(self, layout, tables):
        self.layout, self.tables = bytes(layout), {k: bytes(tables[k]) for k in TABLES}
        self.kernel = _kernel.make_plan(self.layout, *(self.tables[k] for k in TABLES)) if _kernel is not None else None

    def __reduce__(self):
        return (KernelPlan, (self.layout, self.tables))


def _fits(n_causes, n_findings):
    return _kernel is not None and n_causes <= _kernel.MAXC and n_findings <= _kernel.MAXF


def plan_for(source):
    """The kernel's tables for a model (or compiled arrays), built on first use and kept beside it.

    For the packaged model they come from the disk cache when present (then no numpy is
    imported), keyed on the model's fingerprint, and are written there when built.

    Returns
    -------
    KernelPlan
    """
    return memo(source, "kernel", lambda: _build(source))


def _build(source):
    if not hasattr(source, "kb"):  # compiled arrays themselves
        return Plan(source).kernel_plan()
    from twitchnet.kb.loader import is_packaged

    key = source.fingerprint if is_packaged(source.kb) else None
    fast = _read_cached(key) if key else None
    if fast is None:
        fast = Plan(source.arrays).kernel_plan()
        if key:
            _write_cached(key, fast)
    return fast


# bump when the kernel's table layout or the key changes (4: no pattern-code terms, the model
# computes them; 5: keyed on the model's fingerprint, not on the hash its knowledge base carries)
_CACHE_VERSION = 5


def _schema():
    from twitchnet.kb.loader import SCHEMA

    return f"{SCHEMA}.{_CACHE_VERSION}"


def _read_cached(key):
    """The kernel tables cached under ``key`` (a model's fingerprint; see :mod:`twitchnet._cache`),
    or None (no cache, any mismatch or error).
    """
    import json

    from twitchnet import _cache

    try:
        payload = _cache.read("kernel", _schema(), key)
        if payload is None:
            return None
        head, _, blob = payload.partition(b"\n")
        meta = json.loads(head)
        parts, at = {}, 0
        for name, size in meta["tables"]:
            parts[name] = blob[at : at + size]
            at += size
        if at != len(blob) or set(parts) != {"layout", *TABLES}:
            return None
        return KernelPlan(parts.pop("layout"), parts)
    except Exception:  # noqa: BLE001 - tables of another layout (make_plan refuses them): rebuild
        return None


def _write_cached(key, fast):
    import json

    from twitchnet import _cache

    names = ("layout", *fast.tables)
    blobs = [fast.layout, *fast.tables.values()]
    head = json.dumps({"tables": [[n, len(b)] for n, b in zip(names, blobs)]}).encode()
    _cache.write("kernel", _schema(), key, head + b"\n" + b"".join(blobs))


class KernelEngine(Engine):
    """Enumeration of the joint cause states in the C kernel (see the module docstring)."""

    name = "enumeration"

    @property
    def built(self):
        """Whether the C kernel is built (and not switched off by ``TWITCHNET_NO_KERNEL``)."""
        return _kernel is not None

    def supports(self, model):
        """Whether the kernel is built and the model within its limits (see :mod:`twitchnet.limits`)."""
        return self.built and model.enumerable and _fits(len(model.cause_ids), len(model.column_ids))

    def explain(self, model: DiagnosticModel, case: Encoded) -> Explained | None:
        """One case in C; None when a sum leaves the safe range (see :meth:`Engine.explain`).

        Soft findings (``case.soft``) enter in knowledge-base order with the hard ones
        (:func:`twitchnet.engine.observed_order`), each as the per-state factor
        ``P(f absent | s) + ratio * P(f present | s)``, as in the reference engine.
        """
        n_f = len(model.column_ids)
        positive = [f for f, value in zip(case.observed, case.observed_values) if value]
        if getattr(case, "soft", ()):
            order = observed_order(case)
            rows = [value * n_f + f if ratio is None else 2 * n_f + f for f, value, ratio in order]
            ratios = [float(ratio) for _, _, ratio in order if ratio is not None]
            status, log_ev, *rest = _kernel.explain(plan_for(model).kernel, case.codes, rows, positive, ratios)
        else:
            rows = [value * n_f + f for f, value in zip(case.observed, case.observed_values)]
            status, log_ev, *rest = _kernel.explain(plan_for(model).kernel, case.codes, rows, positive)
        if status == 1:
            return None
        return Explained(log_ev, *rest) if status == 0 else Explained.impossible()

    def explain_lazy(self, model: DiagnosticModel, case: Encoded) -> Explained | None:
        """:meth:`explain` with the explanation's steps computed when first read.

        The kernel sums the joint states with the risk factors only (the prior, bit for bit as
        :meth:`explain`) and with all the evidence at once, the absent findings folded into the
        causes' weights as :meth:`posterior` does (the posterior, log-evidence and counterfactuals:
        :meth:`explain`'s to rounding, 1e-14 seen); a case is declined (None) where
        :meth:`explain` declines it, up to rounding at the floor (the range is checked with the folded constant put back). The
        steps are a :class:`LazySteps`, run in the kernel once when a row is first read (what
        :func:`twitchnet.diagnose` uses: a diagnosis whose contributions are never read does not
        pay for them). A case with soft findings runs :meth:`explain` at once.
        """
        if getattr(case, "soft", ()):
            return self.explain(model, case)
        n_f, obs, vals = len(model.column_ids), case.observed, case.observed_values
        status, log_ev, prior_lo, post_lo, prior, post, _, dis, suff = _kernel.explain(
            plan_for(model).kernel, case.codes, [value * n_f + f for f, value in zip(obs, vals)], [f for f, value in zip(obs, vals) if value], None, False)
        if status == 1:
            return None
        if status != 0:
            return Explained.impossible()
        return Explained(log_ev, prior_lo, post_lo, prior, post, LazySteps(model, case), dis, suff)  # type: ignore[arg-type]  # list-like

    def posterior(self, source, rf_state, finding_state, *, threads=None):
        """Many cases, row by row in C, in blocks on ``threads`` threads (default: every CPU for
        large batches); rows out of the safe range are recomputed by the reference engine.
        """
        import numpy as np

        from twitchnet.engine.reference import REFERENCE

        n = rf_state.shape[0]
        kplan = plan_for(source)
        n_c = int(np.frombuffer(kplan.layout, dtype=np.int64)[0])
        prob = np.empty((n, n_c))
        log_ev = np.empty(n)
        if n == 0:
            return prob, log_ev
        if threads is None:
            threads = (os.cpu_count() or 1) if n > 4 * _CHUNK else 1
        rf8 = np.ascontiguousarray(rf_state, dtype=np.int8)
        fs8 = np.ascontiguousarray(finding_state, dtype=np.int8)
        hard = np.empty(n, dtype=np.uint8)

        def block(ab):
            a, b = ab
            _kernel.batch(kplan.kernel, rf8[a:b], fs8[a:b], prob[a:b], log_ev[a:b], hard[a:b])

        blocks = [(a, min(n, a + _CHUNK)) for a in range(0, n, _CHUNK)]
        if threads > 1 and len(blocks) > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(min(threads, len(blocks))) as pool:
                list(pool.map(block, blocks))
        else:
            for ab in blocks:
                block(ab)
        redo = np.flatnonzero(hard)
        if redo.size:
            prob[redo], log_ev[redo] = REFERENCE.posterior(source, rf_state[redo], finding_state[redo])
        return prob, log_ev


class LazySteps:
    """The explanation's steps of every cause (:attr:`Explained.steps`), computed when first read.

    Behaves as the list of per-cause lists (``len``, indexing, iteration); :meth:`row` is what
    :func:`twitchnet.diagnose` calls. The first read runs the kernel's explain with its steps on
    the case, without the counterfactuals (the reference engine if the kernel hands the case
    over, which a case whose last row was in range never does: see ``_kernel.c``), and keeps
    them.
    """

    __slots__ = ("_model", "_case", "_steps")

    def __init__(self, model: DiagnosticModel, case: Encoded) -> None:
        self._model, self._case = model, case
        self._steps: list[list[float]] | None = None

    def _all(self) -> list[list[float]]:
        if self._steps is None:
            model, case = self._model, self._case
            n_f = len(model.column_ids)
            # the steps only: no present finding passed, so no counterfactual sums (they do not enter the steps)
            status, _, _, _, _, _, steps, _, _ = _kernel.explain(
                plan_for(model).kernel, case.codes, [value * n_f + f for f, value in zip(case.observed, case.observed_values)], [])
            if status != 0:  # pragma: no cover - see the class docstring
                from twitchnet.engine.reference import REFERENCE

                ref = REFERENCE.explain(model, case)
                assert ref is not None  # the reference engine never declines
                steps = ref.steps
            self._steps = [list(row) for row in steps]
        return self._steps

    def row(self, c: int) -> list[float]:
        """Cause ``c``'s steps, as a list of floats."""
        return self._all()[c]

    def __len__(self) -> int:
        return len(self._model.cause_ids)

    def __getitem__(self, c: int) -> list[float]:
        return self._all()[c]

    def __iter__(self):
        return iter(self._all())


#: The one instance (the engine holds no state of its own).
KERNEL = KernelEngine()
