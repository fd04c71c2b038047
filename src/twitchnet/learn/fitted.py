"""The fitted model: provenance of every number, what moved, and the knowledge base it writes."""

from __future__ import annotations

import hashlib
import math
import tempfile
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Mapping, Sequence

from twitchnet.errors import FitWarning
from twitchnet.model import DiagnosticModel

if TYPE_CHECKING:
    import os
    import pathlib

    import pandas as pd

    from twitchnet.kb.schema import KnowledgeBase
    from twitchnet.learn.patterns import Patterns


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
    def left_range(self) -> bool:
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

    prior_model: DiagnosticModel
    prior_strength: float
    numbers: Mapping[str, FittedNumber]
    data_hash: str
    n_records: int
    _patterns: Patterns
    history: tuple[float, ...]
    iterations: int
    converged: bool

    def __init__(self, kb: KnowledgeBase, prior_model: DiagnosticModel, prior_strength: float, numbers: Mapping[str, FittedNumber],
                 data_hash: str, patterns: Patterns, history: Sequence[float], converged: bool) -> None:
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

    def __repr__(self) -> str:
        return f"FittedModel(name={self.name!r}, version={self.version!r}, records={self.n_records}, data_hash={self.data_hash[:12]!r})"

    def changes(self) -> pd.DataFrame:
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

    def to_knowledge_base(self, path: str | os.PathLike) -> pathlib.Path:
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


def _fitted_kb(prior_kb, numbers, data_hash, prior_strength):
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
        x = fn.new
        lo, hi = min(n.low, x), max(n.high, x)
        how = "range kept" if (lo, hi) == (n.low, n.high) else f"range widened from [{n.low!r}, {n.high!r}] to include the fitted value"
        note = (f"Fitted by twitchnet.fit (MAP EM, prior_strength {prior_strength!r}) on data sha256:{data_hash}; "
                f"effective sample size {fn.n_eff:.1f}; knowledge-base value {n.value!r} in [{n.low!r}, {n.high!r}] "
                f"from source {n.source!r}; {how}.")
        repl[where] = replace(n, value=x, low=lo, high=hi, source="fit", note=note, derive=())  # no longer follows its figures
    sources = dict(prior_kb.sources)
    sources.setdefault("fit", Source("fit", "Estimated from records by twitchnet.fit: maximum a posteriori EM with the knowledge base as the prior; each number's note names the data hash."))
    kb = _replace_numbers(prior_kb, repl)
    return replace(kb, sources=sources, version=f"{prior_kb.version}+fit.{data_hash[:8]}")


def _replace_numbers(kb, repl):
    """``kb`` with the :class:`Number` objects named in ``repl`` (where -> Number) replaced whole
    (value, range, source, note), without ``content_hash`` or ``location``: they described the files
    of the old numbers (:func:`twitchnet.model.parameters.with_numbers` replaces values only).
    """

    def put(where, n):
        return repl.get(where, n)

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


def _materialise(kb):
    """Write ``kb`` to TOML and load it back: the fitted model is exactly what its folder loads to."""
    from twitchnet.kb import load_knowledge_base
    from twitchnet.kb.writer import write_knowledge_base

    with tempfile.TemporaryDirectory() as tmp:
        write_knowledge_base(kb, tmp)
        loaded = load_knowledge_base(tmp)
    return replace(loaded, location=f"fit:{loaded.content_hash[:12]}")



def _finish(prior_model, theta, n_eff, history, converged, st, pats, prior_strength):
    """The :class:`FittedModel` of an EM run: provenance of every number, its knowledge base written and loaded back."""
    ids = "\0".join(prior_model.risk_factor_ids + prior_model.finding_ids + prior_model.cause_ids)
    data_hash = hashlib.sha256(f"{ids}\0{pats.n_records}\0{pats.digest[0]}\0{pats.digest[1]}".encode()).hexdigest()
    p = st.params
    numbers = {}
    for i in st.learnable.tolist():
        n = p.numbers[i]
        numbers[p.names[i]] = FittedNumber(p.names[i], n.value, float(theta[i]), n.low, n.high, float(n_eff[i]), not bool(st.fixed[i]), data_hash)
    kb = _materialise(_fitted_kb(prior_model.kb, numbers, data_hash, prior_strength))
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
