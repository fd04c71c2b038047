"""The compiled, immutable diagnostic model.

:class:`DiagnosticModel` turns a validated :class:`~twitchnet.kb.KnowledgeBase` into numpy arrays
plus name-to-index maps, and is the one place where evidence is validated and encoded (its
evidence methods live in :mod:`twitchnet.model.evidence`, its numbers and compiled tables in
:mod:`twitchnet.model.numbers`).
"""

from __future__ import annotations

import functools
import itertools
import math
import weakref
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn

from twitchnet import _validation as v
from twitchnet._memo import memo
from twitchnet.errors import ModelReferenceError
from twitchnet.kb import load_knowledge_base
from twitchnet.kb.loader import PACKAGED
from twitchnet.limits import ENGINES
from twitchnet.model.encoded import _YES_NO, PLAUSIBLE_AGES, Encoded, EvidenceSpec
from twitchnet.model.evidence import EvidenceMixin
from twitchnet.model.numbers import NumbersMixin
from twitchnet.results import Provenance

if TYPE_CHECKING:
    import os
    from pathlib import Path

    import pandas as pd
    from pgmpy.models import DiscreteBayesianNetwork

    from twitchnet._typing import EngineName, Evidence
    from twitchnet.kb import KnowledgeBase
    from twitchnet.results import Diagnosis, ModelRef

__all__ = ["DiagnosticModel", "Encoded", "EvidenceSpec", "PLAUSIBLE_AGES", "load_model"]


class DiagnosticModel(EvidenceMixin, NumbersMixin):
    """A compiled twitchnet model: immutable numpy arrays plus name-to-index maps.

    Parameters
    ----------
    kb : KnowledgeBase
        A validated knowledge base (see :func:`twitchnet.kb.load_knowledge_base`).
    engine : {"auto", "enumeration", "quickscore", "reference"}, default="auto"
        The exact engine :func:`twitchnet.diagnose` runs (``diagnose(engine=...)`` overrides it
        for one call). ``"enumeration"`` sums over the ``2**causes`` joint cause states (the C
        kernel when built, else numpy; the log-space reference recomputes any case whose sums
        leave the exactly representable range); ``"reference"`` is that log-space transcription
        alone; ``"quickscore"`` sums over the ``2**positives`` subsets of present findings
        (Heckerman 1989), linear in the causes. ``"auto"`` picks, per case, the cheaper of the
        two that can run it (:func:`twitchnet.engine.choose`). Every
        :class:`~twitchnet.results.Diagnosis` records the engine that ran. Limits:
        :mod:`twitchnet.limits`.

    Attributes
    ----------
    kb : KnowledgeBase
    name, version, content_hash : str
        Provenance, recorded in every diagnosis.
    population : str
        The reference population every number of the knowledge base is about (``model.toml``).
    cause_ids, finding_ids, risk_factor_ids, red_flag_ids : tuple of str
        ``finding_ids`` are the yes/no findings (the first columns of the finding tables).
    column_ids : tuple of str
        Every finding node of the network, in the order of the engines' finding columns: the yes/no
        findings, then the levels of each category finding (``"duration__weeks"``, ...).
    category_finding_ids : tuple of str
        The category findings (``duration``), evidence ids held as levels.
    rule_ids : frozenset of str
        Every id a red-flag rule reads: the red flags, and the yes/no findings and risk factors
        that are warning signs in combination. Encoders collect the true ones (``true_flags``).
    evidence_ids : tuple of str
        Every accepted evidence id (aliases excluded).
    arrays : twitchnet.model.arrays.Arrays
        The numeric core (every joint cause state), compiled on first use.
    factor_tables : twitchnet.model.tables.FactorTables
        The risk-factor lookup tables every engine reads, built on first use.
    provenance : Provenance
    engine : str
        The engine setting (see the parameter).
    n_contexts : int
        Joint states of the shared risk factors.
    enumerable : bool
        Whether the enumeration engines can run it (:func:`twitchnet.limits.enumeration_ok`).

    Examples
    --------
    >>> import twitchnet
    >>> model = twitchnet.load_model()
    >>> model.cause_ids[0]
    'neuropathy'
    """

    # set once in __init__ (object.__setattr__: the model is immutable)
    kb: KnowledgeBase
    engine: EngineName
    n_contexts: int
    name: str
    version: str
    population: str
    content_hash: str
    cause_ids: tuple[str, ...]
    finding_ids: tuple[str, ...]
    column_ids: tuple[str, ...]
    risk_factor_ids: tuple[str, ...]
    red_flag_ids: tuple[str, ...]
    rule_ids: frozenset[str]
    category_finding_ids: tuple[str, ...]
    evidence_ids: tuple[str, ...]
    provenance: Provenance
    _spec_red_flags: frozenset[str]
    _levels: Mapping[str, tuple[int, ...]]
    _level_of: Mapping[int, str]
    _spec: Mapping[str, EvidenceSpec]
    _accepted: tuple[str, ...]
    _code_terms: tuple[tuple[tuple[int, int], ...], ...]
    _yes_no: Mapping[str, tuple[bool, int, bool, tuple[tuple[int, int], ...]]]
    _plausible: tuple[tuple[str, str, float, float], ...]

    def __init__(self, kb: KnowledgeBase, engine: EngineName = "auto") -> None:
        engine = v.check_engine(engine)
        s = object.__setattr__
        s(self, "kb", kb)
        s(self, "engine", engine)
        ctx_ids = self._context_ids()
        s(self, "n_contexts", math.prod(len(r.states) for r in kb.risk_factors if r.id in ctx_ids))
        s(self, "name", kb.name)
        s(self, "version", kb.version)
        s(self, "population", kb.population)
        s(self, "content_hash", kb.content_hash)
        s(self, "cause_ids", tuple(c.id for c in kb.causes))
        # the yes/no findings (evidence ids, columns 0..n-1), then every finding node of the network:
        # a category finding's levels come last (kb.findings order)
        s(self, "finding_ids", tuple(f.id for f in kb.findings if not f.category))
        s(self, "column_ids", tuple(f.id for f in kb.findings))
        s(self, "risk_factor_ids", tuple(r.id for r in kb.risk_factors))
        s(self, "red_flag_ids", tuple(kb.red_flags))
        s(self, "_spec_red_flags", frozenset(kb.red_flags))
        s(self, "rule_ids", frozenset(kb.red_flags).union(*(r.all_of + r.any_of for r in kb.rules)))
        spec = {}
        for i, rf in enumerate(kb.risk_factors):
            kind = {"binary": "risk_factor"}.get(rf.kind, rf.kind)
            spec[rf.id] = EvidenceSpec(rf.id, kind, i, rf.meaning, False, rf.states)
        column = {f.id: i for i, f in enumerate(kb.findings)}
        for i, f in enumerate(kb.findings):
            if not f.category:
                spec[f.id] = EvidenceSpec(f.id, "finding", i, f.meaning, f.red_flag)
        for c in kb.categories:
            spec[c.id] = EvidenceSpec(c.id, "category_finding", column[c.levels[0]], c.meaning, False, c.states)
        # category finding -> the columns of its levels; level column -> category id
        s(self, "category_finding_ids", tuple(c.id for c in kb.categories))
        s(self, "_levels", MappingProxyType({c.id: tuple(column[f] for f in c.levels) for c in kb.categories}))
        s(self, "_level_of", MappingProxyType({column[f]: c.id for c in kb.categories for f in c.levels}))
        for fid, meaning in kb.red_flags.items():
            if fid not in spec:
                spec[fid] = EvidenceSpec(fid, "red_flag", -1, meaning, True)
        s(self, "_spec", MappingProxyType(spec))
        s(self, "evidence_ids", tuple(spec))
        s(self, "_accepted", tuple(spec) + tuple(kb.aliases))
        # per risk factor, the (column, radix) terms of the pattern codes (see FactorTables.codes)
        s(self, "_code_terms", self._pattern_code_terms())
        s(self, "provenance", Provenance(self.name, self.version, self.content_hash))
        # yes/no ids -> (is a finding, index among findings or risk factors (-1: a rule-only red
        # flag), is a red flag, pattern-code terms): the encoder's fast path
        s(self, "_yes_no", MappingProxyType({
            sp.id: (sp.kind == "finding", sp.index, sp.id in self.rule_ids, self._code_terms[sp.index] if sp.kind == "risk_factor" else ())
            for sp in spec.values() if sp.kind in _YES_NO
        }))
        number = [r.id for r in kb.risk_factors if r.kind == "number"]
        s(self, "_plausible", tuple((i, number[0], lo, hi) for i, (lo, hi) in PLAUSIBLE_AGES.items()
                                    if number and i in spec and spec[i].kind in _YES_NO and number[0] == "age"))
        _BUILT[next(_SERIAL)] = self

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the whole knowledge base's content (every number, text and rule; not its
        location): what a pickled result checks its model against. Computed on first use.
        """
        return memo(self, "fingerprint", self._fingerprint)

    def _fingerprint(self) -> str:
        import hashlib
        import json

        from twitchnet.kb.plain import to_data

        data = to_data(self.kb)
        del data["location"]
        return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()

    # ------------------------------------------------------------------ immutability, pickling
    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"DiagnosticModel is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"DiagnosticModel is immutable; cannot delete {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (DiagnosticModel, (self.kb, self.engine))

    def __repr__(self) -> str:
        return (
            f"DiagnosticModel(name={self.name!r}, version={self.version!r}, causes={len(self.cause_ids)}, "
            f"findings={len(self.finding_ids)}, risk_factors={len(self.risk_factor_ids)}, hash={self.content_hash[:12]!r}, engine={self.engine!r})"
        )

    def _repr_html_(self) -> str:
        from twitchnet.present.display import render_model_html

        return render_model_html(self)

    # ------------------------------------------------------------------ public API
    def vocabulary(self) -> list[tuple[str, str, str]]:
        """Every accepted id as ``(id, kind, meaning)`` rows: causes first, then evidence ids."""
        rows = [(c.id, "cause", c.meaning) for c in self.kb.causes]
        rows += [(g.id, "cause_group", g.meaning) for g in self.kb.groups]
        rows += [(sp.id, sp.kind, sp.meaning) for sp in self._spec.values()]
        return rows

    def diagnose(self, evidence: Evidence | None = None, **kwargs: Any) -> Diagnosis:
        """Diagnose one case: see :func:`twitchnet.diagnose`."""
        from twitchnet.diagnose import diagnose

        return diagnose(evidence, model=self, **kwargs)

    def simulate(self, n: int, seed: int | None = None, causes: bool = False, *, progress: bool | None = None) -> pd.DataFrame:
        """Draw ``n`` cases by ancestral sampling: see :func:`twitchnet.simulate.simulate`."""
        from twitchnet.simulate import simulate

        return simulate(self, n, seed=seed, causes=causes, progress=progress)

    def to_pgmpy(self) -> DiscreteBayesianNetwork:
        """The same network as a pgmpy ``DiscreteBayesianNetwork`` (see :mod:`twitchnet.model.pgmpy_bridge`)."""
        from twitchnet.model.pgmpy_bridge import to_pgmpy

        return to_pgmpy(self)

    def to_pyagrum(self) -> Any:
        """The same network as a ``pyagrum.BayesNet``: the nodes, states and numbers of :meth:`to_pgmpy`
        (see :mod:`twitchnet.model.pyagrum_bridge`; needs ``pip install 'twitchnet[pyagrum]'``).
        """
        from twitchnet._extras import require
        from twitchnet.model.pyagrum_bridge import to_pyagrum

        require("pyagrum", "pyagrum", "DiagnosticModel.to_pyagrum()")
        return to_pyagrum(self)

    def to_bif(self, path: str | os.PathLike[str]) -> Path:
        """Write the network as a BIF file with identifier-safe state names (see :mod:`twitchnet.model.export`)."""
        from twitchnet.model.export import to_bif

        return to_bif(self, path)

    def to_xmlbif(self, path: str | os.PathLike[str]) -> Path:
        """Write the network as an XMLBIF 0.3 file with the same names (see :mod:`twitchnet.model.export`)."""
        from twitchnet.model.export import to_xmlbif

        return to_xmlbif(self, path)


@functools.lru_cache(maxsize=len(ENGINES))
def _default_model(engine: EngineName = "auto") -> DiagnosticModel:
    return DiagnosticModel(load_knowledge_base(), engine=engine)


#: the models alive in this process, in the order they were built (weak references: a model leaves
#: when it is collected, so the registry never outgrows the models in use): where unpickled results
#: look for their model first
_BUILT: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
_SERIAL = itertools.count()


def model_by_reference(ref: ModelRef) -> DiagnosticModel:
    """The model a pickled result refers to (see :meth:`twitchnet.Diagnosis.__reduce__`).

    Parameters
    ----------
    ref : twitchnet.results.ModelRef
        Name, version, content hash, knowledge-base location and fingerprint of the model.

    Returns
    -------
    DiagnosticModel
        A model built in this process with that fingerprint; else the packaged model, or the one
        loaded from the knowledge-base folder, when its fingerprint is the same.

    Raises
    ------
    ModelReferenceError
        When no such model is found, or the knowledge base found differs (its files changed).
    """
    for model in list(_BUILT.values()):
        if model.content_hash == ref.content_hash and model.fingerprint == ref.fingerprint:
            return model
    label = f"model {ref.name} {ref.version} (knowledge base {ref.content_hash[:12]})"
    if ref.location == PACKAGED:
        model, where = load_model(), "the packaged knowledge base"
    else:
        from pathlib import Path

        where = f"the knowledge-base folder {ref.location!r}"
        if not ref.location or not Path(ref.location).is_dir():
            raise v.fail(ModelReferenceError, "model", f"{label}: built in this process, or {where}", "neither: build or load that model first")
        model = load_model(ref.location)
    if model.fingerprint != ref.fingerprint:
        raise v.fail(
            ModelReferenceError, "model", f"{label} from {where}",
            f"knowledge base {model.content_hash[:12]} (version {model.version}), which differs: its files changed since the result was made",
        )
    return model


def load_model(path: str | os.PathLike[str] | None = None, engine: EngineName = "auto") -> DiagnosticModel:
    """Load a knowledge base and compile it into a :class:`DiagnosticModel`.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A knowledge-base folder; the packaged default when omitted. The packaged model is compiled
        once and cached (it is immutable); a folder is read and compiled on every call, so edits to
        its files are always seen.
    engine : {"auto", "enumeration", "quickscore", "reference"}, default="auto"
        The exact engine (see :class:`DiagnosticModel`).

    Returns
    -------
    DiagnosticModel
    """
    return _default_model(engine) if path is None else DiagnosticModel(load_knowledge_base(path), engine=engine)
