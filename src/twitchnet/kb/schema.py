"""Frozen records of the knowledge base. No logic beyond small conveniences."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Number",
    "Source",
    "RiskFactor",
    "Effect",
    "Cause",
    "Link",
    "Finding",
    "RedFlagRule",
    "CauseGroup",
    "CategoryFinding",
    "KnowledgeBase",
    "NumberCounts",
]


@dataclass(frozen=True)
class Number:
    """One number of the knowledge base with its provenance.

    Attributes
    ----------
    value : float
    low, high : float
        Plausible range; ``low <= value <= high``.
    source : str
        Id in the sources table; ``"judgement"`` for a modelling judgement.
    note : str
        What the number rests on (required for judgement).
    structural : bool
        A structural zero (e.g. P(pregnant | male)); only allowed where the schema says so.
    derive : tuple
        For a number computed from published figures: ``(method, ((name, figure), ...))``, the
        conversion of :mod:`twitchnet.kb.convert` and its arguments as written in the file; the
        loader has checked that ``value`` agrees with it. Empty otherwise.
    """

    value: float
    low: float
    high: float
    source: str
    note: str = ""
    structural: bool = False
    derive: tuple[Any, ...] = ()

    @property
    def derived(self) -> float | None:
        """The value recomputed from the stored figures, or None for a number without ``derive``."""
        if not self.derive:
            return None
        from twitchnet.kb.convert import derive

        method, figures = self.derive
        return derive(method, **dict(figures))

    @property
    def is_judgement(self) -> bool:
        """True when the number is judgement rather than a published figure."""
        return self.source in ("judgement", "ks-s5")


@dataclass(frozen=True)
class Source:
    """A citation: ``id``, full ``citation`` text and an optional ``url``."""

    id: str
    citation: str
    url: str = ""


@dataclass(frozen=True)
class RiskFactor:
    """A root (or demographic-conditioned) node of the network.

    Attributes
    ----------
    id : str
    meaning : str
    kind : {"binary", "category", "number"}
    states : tuple of str
        Node states; binary factors have ``("False", "True")``.
    prior : tuple of Number
        category/number: P(state), one per state. binary without parent: ``(P(True),)``.
        binary with a parent: P(True | parent state), one per parent state.
    parent : str or None
    edges : tuple of float
        For ``kind="number"``: left-closed bin edges, ``len(states) + 1`` of them.
    low, high : float
        For ``kind="number"``: accepted range of the raw value.
    unit : str
    """

    id: str
    meaning: str
    kind: str
    states: tuple[str, ...]
    prior: tuple[Number, ...]
    parent: str | None = None
    edges: tuple[float, ...] = ()
    low: float = 0.0
    high: float = 0.0
    unit: str = ""
    #: for a test result that measures this factor (``low_b12`` measures ``b12_deficiency``): what
    #: doing the test costs the person ("blood test"); the factor's ``parent`` is the one measured
    #: and its ``prior`` is P(abnormal | parent False), P(abnormal | parent True)
    test: str | None = None


@dataclass(frozen=True)
class Effect:
    """An odds ratio applied to a cause when risk factor ``factor`` is in ``state``.

    ``also`` holds further ``(factor, state)`` conditions: the effect is then an interaction term,
    applied only when every condition holds (written ``"diabetes & age=70+"`` in ``causes.toml``), and
    its odds ratio multiplies those of the single conditions.
    """

    factor: str
    state: str
    odds_ratio: Number
    also: tuple[tuple[str, str], ...] = ()

    @property
    def conditions(self) -> tuple[tuple[str, str], ...]:
        """Every ``(factor, state)`` pair that must hold for the effect to apply."""
        return ((self.factor, self.state),) + tuple(self.also)

    @property
    def key(self) -> str:
        """The key as written in ``causes.toml`` (``"diabetes"``, ``"age=70+"``, ``"diabetes & age=70+"``)."""
        return " & ".join(f if st == "True" else f"{f}={st}" for f, st in self.conditions)

    def applies(self, assignment: Mapping[str, str]) -> bool:
        """Whether every condition holds in ``assignment`` (risk-factor id -> state name)."""
        return all(assignment[f] == st for f, st in self.conditions)


@dataclass(frozen=True)
class Cause:
    """A cause (ranked in every explanation), with its logistic prior model and advice."""

    id: str
    name: str
    meaning: str
    care: str
    summary: str
    advice: str
    baseline: Number
    effects: tuple[Effect, ...] = ()


@dataclass(frozen=True)
class Link:
    """Noisy-OR link: the chance ``p`` that ``cause`` alone produces the finding."""

    cause: str
    p: Number


@dataclass(frozen=True)
class Finding:
    """A finding with its noisy-OR leak and links."""

    id: str
    meaning: str
    leak: Number
    links: tuple[Link, ...] = ()
    red_flag: bool = False
    #: for a test result (the vocabulary's test section): what doing the test costs the person
    #: ("blood test", "nerve conduction study", "MRI"); None for what a person notices
    test: str | None = None
    #: a sign found on examination (the vocabulary's examination section)
    exam: bool = False
    #: for one level of a category finding (see :class:`CategoryFinding`): the category's id and
    #: the level's state; the finding's id is ``"<category>__<state>"``
    category: str = ""
    level: str = ""

    @property
    def tier(self) -> str:
        """``"history"``, ``"examination"`` or ``"test"``: who can tell (the vocabulary's sections)."""
        return "test" if self.test is not None else "examination" if self.exam else "history"


@dataclass(frozen=True)
class CategoryFinding:
    """An ordered category finding (``duration``: days < weeks < months < years), an ordinal noisy-MAX.

    Each state above the first has a level finding ``"<id>__<state>"`` in ``KnowledgeBase.findings``,
    an ordinary noisy-OR ``U_k`` of the causes; the category is the highest level present (the first
    state when none is). The levels are independent given the causes, so this is exactly the
    noisy-MAX of Diez (1993) with ``P(Y <= k | causes) = prod_(j > k) P(U_j absent | causes)``, and
    every engine computes with the levels as with any finding: ``Y = k`` is ``U_k`` present and every
    higher level absent. A level's link is ``P(Y_i = k | Y_i <= k)`` for cause ``i`` alone.

    Attributes
    ----------
    id, meaning : str
    states : tuple of str
        In increasing order; the first is the state when no level fires.
    levels : tuple of str
        The level findings' ids, one per state after the first.
    """

    id: str
    meaning: str
    states: tuple[str, ...]
    levels: tuple[str, ...]


@dataclass(frozen=True)
class CauseGroup:
    """A group of causes (vocabulary.md): its probability is that of at least one member present."""

    id: str
    meaning: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class RedFlagRule:
    """A red-flag rule: fires when every id in ``all_of`` is true and, if ``any_of`` is not
    empty, at least one id in ``any_of`` is true. The ids are red flags, or yes/no findings and
    risk factors that are warning signs only in combination (cancer history with back pain).
    """

    id: str
    level: str
    all_of: tuple[str, ...]
    any_of: tuple[str, ...]
    title: str
    advice: str
    source: str


@dataclass(frozen=True)
class NumberCounts:
    """Counts of a knowledge base's numbers (:meth:`KnowledgeBase.counts`).

    Attributes
    ----------
    total : int
    cited : int
        Numbers whose source is a publication (not ``"judgement"`` or ``"ks-s5"``).
    judgement : int
        Numbers marked judgement (``"judgement"`` or the suggested ``"ks-s5"`` ranges).
    derived : int
        Numbers computed from stored figures by a named conversion (``derive``), whatever their source.
    derived_cited : int
        Derived numbers whose source is a publication.
    """

    total: int
    cited: int
    judgement: int
    derived: int
    derived_cited: int


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class KnowledgeBase:
    """A whole, validated knowledge base (see :func:`twitchnet.kb.load_knowledge_base`)."""

    name: str
    version: str
    description: str
    routine_threshold: Number
    sources: Mapping[str, Source] = field(default_factory=dict)
    risk_factors: tuple[RiskFactor, ...] = ()
    causes: tuple[Cause, ...] = ()
    findings: tuple[Finding, ...] = ()
    red_flags: Mapping[str, str] = field(default_factory=dict)  # flag id -> meaning
    rules: tuple[RedFlagRule, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    content_hash: str = ""
    location: str = ""
    #: the reference population every number is about (``model.toml``: ``population``)
    population: str = ""
    #: cause groups (``causes.toml`` ``[groups]``) and category findings, in file order
    groups: tuple[CauseGroup, ...] = ()
    categories: tuple[CategoryFinding, ...] = ()
    #: what each kind of test costs the person, relative to a blood test (``model.toml``
    #: ``[burden]``, keyed by the ``test`` text of findings and measured risk factors): test text ->
    #: :class:`Number` (positive). Empty when the file has no ``[burden]`` table (then every test
    #: weighs 1 in :func:`twitchnet.explain.workup.next_tests`). Not among :meth:`numbers`: no
    #: posterior depends on them.
    burdens: Mapping[str, Number] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("sources", "red_flags", "aliases", "burdens"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_kb,
            (
                self.name, self.version, self.description, self.routine_threshold,
                dict(self.sources), self.risk_factors, self.causes, self.findings,
                dict(self.red_flags), self.rules, dict(self.aliases), self.content_hash,
                self.location, self.population, self.groups, self.categories, dict(self.burdens),
            ),
        )

    def numbers(self) -> Iterator[tuple[str, Number]]:
        """Yield ``(where, Number)`` for every number, e.g. ``("findings.toml: tingling.causes.neuropathy", n)``."""
        yield "model.toml: triage.routine_threshold", self.routine_threshold
        for rf in self.risk_factors:
            for i, n in enumerate(rf.prior):
                yield f"risk_factors.toml: {rf.id}.prior[{i}]", n
        for c in self.causes:
            yield f"causes.toml: {c.id}.baseline", c.baseline
            for e in c.effects:
                yield f"causes.toml: {c.id}.effects.{e.key}", e.odds_ratio
        for f in self.findings:
            yield f"findings.toml: {f.id}.leak", f.leak
            for link in f.links:
                yield f"findings.toml: {f.id}.causes.{link.cause}", link.p


    def counts(self) -> NumberCounts:
        """How many numbers cite a published figure, how many are judgement, how many are derived.

        Returns
        -------
        NumberCounts

        Examples
        --------
        >>> from twitchnet.kb import load_knowledge_base
        >>> c = load_knowledge_base().counts()
        >>> c.total == c.cited + c.judgement
        True
        """
        numbers = [n for _, n in self.numbers()]
        return NumberCounts(
            total=len(numbers),
            cited=sum(not n.is_judgement for n in numbers),
            judgement=sum(n.is_judgement for n in numbers),
            derived=sum(bool(n.derive) for n in numbers),
            derived_cited=sum(bool(n.derive) and not n.is_judgement for n in numbers),
        )

    def to_frame(self) -> pd.DataFrame:
        """Every number as a pandas DataFrame: where, value, low, high, source, citation, judgement,
        derive (the conversion and its figures, e.g. ``odds_ratio_from_prevalences(exposed=0.112,
        unexposed=0.025)``, or empty), note.
        """
        import pandas as pd

        rows = [
            {
                "where": where,
                "value": n.value,
                "low": n.low,
                "high": n.high,
                "source": n.source,
                "citation": self.sources[n.source].citation,
                "judgement": n.is_judgement,
                "derive": _show_derive(n.derive),
                "note": n.note,
            }
            for where, n in self.numbers()
        ]
        return pd.DataFrame(rows).set_index("where")


def _show_derive(derive: tuple[Any, ...]) -> str:
    if not derive:
        return ""
    method, figures = derive
    return f"{method}(" + ", ".join(f"{k}={v:g}" for k, v in figures) + ")"


def _rebuild_kb(*args: Any) -> KnowledgeBase:
    return KnowledgeBase(*args)
