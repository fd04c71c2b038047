"""Evidence for a :class:`~twitchnet.model.DiagnosticModel`: validation and encoding.

:class:`EvidenceMixin`, the evidence methods of the model (``spec``, ``canonical_key``,
``coerce_value``, ``encode``, ``readable_flags``, ``implausible``, ``impossible``...): the one place
where evidence is validated and encoded. What they read and return, :class:`EvidenceSpec` (what
one id accepts) and :class:`Encoded` (one case, validated and encoded), live in
:mod:`twitchnet.model.encoded` and are importable from here too.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError, UnknownEvidenceError, ZeroProbabilityError
from twitchnet.evidence import Likelihood
from twitchnet.model.encoded import _ENCODED_FIELDS, PLAUSIBLE_AGES, Encoded, EvidenceSpec
from twitchnet.results import _frozen

if TYPE_CHECKING:
    from twitchnet._typing import Evidence
    from twitchnet.kb import KnowledgeBase

__all__ = ["PLAUSIBLE_AGES", "Encoded", "EvidenceMixin", "EvidenceSpec"]


class EvidenceMixin:
    """The evidence methods of :class:`~twitchnet.model.DiagnosticModel` (see its docstring for the
    attributes, which its ``__init__`` sets).
    """

    kb: KnowledgeBase
    cause_ids: tuple[str, ...]
    column_ids: tuple[str, ...]
    risk_factor_ids: tuple[str, ...]
    rule_ids: frozenset[str]
    _spec_red_flags: frozenset[str]
    _levels: Mapping[str, tuple[int, ...]]
    _spec: Mapping[str, EvidenceSpec]
    _accepted: tuple[str, ...]
    _code_terms: tuple[tuple[tuple[int, int], ...], ...]
    _yes_no: Mapping[str, tuple[bool, int, bool, tuple[tuple[int, int], ...]]]
    _plausible: tuple[tuple[str, str, float, float], ...]

    def spec(self, key: str) -> EvidenceSpec:
        """The :class:`EvidenceSpec` of an evidence id or alias; raises for an unknown key."""
        return self._spec[self.canonical_key(key)]

    def canonical_key(self, key: Any) -> str:
        """Resolve an alias to its vocabulary id, or raise :class:`UnknownEvidenceError`.

        Keys are matched whatever their case (``"Tingling"``, ``"SEX"``), as values are: ids and
        aliases are lower-case (the loader checks), so no two can be confused.
        """
        if isinstance(key, str):
            for k in (key, key.lower()):
                if k in self._spec:
                    return k
                if k in self.kb.aliases:
                    return self.kb.aliases[k]
                if k in self.cause_ids:
                    raise self._cause_as_evidence(k)
        raise v.unknown_key(key, self._accepted)

    def _cause_as_evidence(self, cause_id: str) -> UnknownEvidenceError:
        """The error for a cause id given as evidence: causes are inferred, never observed."""
        linked = [f.id for f in self.kb.findings if any(link.cause == cause_id for link in f.links)]
        shown = ", ".join(linked[:8]) + (", ..." if len(linked) > 8 else "")
        expected = (f"something that can be observed, not a cause: {cause_id!r} is a cause, which twitchnet infers "
                    f"from findings and risk factors (for it: {shown}); `twitchnet vocabulary` lists every observable id")
        return v.fail(UnknownEvidenceError, cause_id, expected, cause_id)

    def coerce_value(self, key: str, value: Any, *, strings: bool = False, numbers01: bool = False) -> Any:
        """Validate one evidence value: return the canonical Python value, or None for unknown.

        Parameters
        ----------
        key : str
            Canonical id.
        value : object
        strings : bool, default=False
            Accept text as typed on a command line ("yes", "68", "Female").
        numbers01 : bool, default=False
            Accept the numbers 0 and 1 for yes/no ids (as data tables hold them).
        """
        if v.is_missing(value):  # None, NaN, pd.NA: unknown, as in frames
            return None
        sp = self._spec[key]
        if sp.kind == "number":
            rf = self.kb.risk_factors[sp.index]
            # below the population's minimum (and not negative): OutsidePopulationError
            age = v.coerce_age(key, value, rf.low, rf.high, strings=strings, floor=0.0 if rf.low > 0 else None)
            return int(age) if float(age).is_integer() else age
        if sp.kind in ("category", "category_finding"):
            if isinstance(value, str):  # any case ("Male"); spaces only in text; never a str subclass's overrides
                word = str.lower(str.strip(value) if strings else value)
                for state in sp.states:
                    if state.lower() == word:
                        return state
            raise v.fail(EvidenceError, key, sp.expected, value, v.close_matches(value, sp.states) if isinstance(value, str) else ())
        return v.coerce_bool(key, value, strings=strings, numbers01=numbers01)

    def state_index(self, key: str, value: Any) -> int:
        """Node state index of a canonical (already coerced) value."""
        sp = self._spec[key]
        if sp.kind == "number":
            rf = self.kb.risk_factors[sp.index]
            return bisect.bisect_right(rf.edges, value) - 1
        if sp.kind in ("category", "category_finding"):
            return sp.states.index(value)
        return int(bool(value))

    def encode(self, evidence: Evidence | None, *, strings: bool = False, soft: bool = False) -> Encoded:
        """Validate a mapping of evidence and encode it.

        Parameters
        ----------
        evidence : Mapping
            Vocabulary ids or aliases -> values. A key left out (or None) means unknown.
        strings : bool, default=False
            Accept values as text typed on a command line.
        soft : bool, default=False
            Accept soft evidence (:func:`twitchnet.maybe`) for findings (see
            :mod:`twitchnet.evidence`). Without it a ``maybe`` is refused, naming the key: the
            callers that read only hard answers never see it.

        Returns
        -------
        Encoded

        Raises
        ------
        EvidenceError
            With the key, what is allowed, what arrived, and close matches for typos.
        """
        if evidence is None:
            evidence = {}
        try:
            pairs = list(evidence.items())
            if evidence.__class__ is not dict and not all(isinstance(p, tuple) and len(p) == 2 for p in pairs):
                raise TypeError
        except Exception:  # noqa: BLE001 - not a mapping, or one whose items() misbehaves
            raise v.fail(EvidenceError, "evidence", "a mapping of vocabulary ids to values (a dict)", evidence) from None
        canonical = {}
        seen_as = {}
        spec = self._spec
        rf_state = [-1] * len(self.risk_factor_ids)
        finding_state = [-1] * len(self.column_ids)
        codes = [0] * (len(self.cause_ids) + 1)
        terms_of = self._code_terms
        flags = set()
        soft_cols: list[tuple[int, float]] = []
        unconfirmed: set[str] = set()
        yes_no = self._yes_no
        for key, value in pairs:
            # the common case: a vocabulary id (not an alias) with True or False
            t = yes_no.get(key) if value.__class__ is bool and key.__class__ is str else None
            if t is not None and key not in seen_as:
                seen_as[key] = key
                canonical[key] = value
                is_finding, index, red_flag, terms = t
                if is_finding:
                    finding_state[index] = 1 if value else 0
                elif index >= 0:
                    rf_state[index] = state = 1 if value else 0
                    for col, radix in terms:
                        codes[col] += (state + 1) * radix
                if red_flag and value:
                    flags.add(key)
                continue
            cid = self.canonical_key(key)
            if value.__class__ is Likelihood:
                self._put_soft(cid, key, value, soft, seen_as, canonical, soft_cols, flags, unconfirmed)
                continue
            val = self.coerce_value(cid, value, strings=strings)
            sp = spec[cid]
            if cid in seen_as:
                if canonical.get(cid) != val:
                    raise v.fail(EvidenceError, str(key), f"the same value as {seen_as[cid]!r} (both mean {cid!r})", value)
                continue
            seen_as[cid] = key
            if val is None:
                continue
            canonical[cid] = val
            kind = sp.kind
            if kind in ("finding", "category_finding"):
                self._put_finding(finding_state, sp, val)
            elif kind != "red_flag":
                state = (1 if val else 0) if kind == "risk_factor" else self.state_index(cid, val)
                rf_state[sp.index] = state
                for col, radix in terms_of[sp.index]:
                    codes[col] += (state + 1) * radix
            if val is True and cid in self.rule_ids:
                flags.add(cid)
        if self._plausible:
            bad = self.implausible(canonical)
            if bad is not None:
                raise bad
        observed = [f for f, s in enumerate(finding_state) if s >= 0]
        return _frozen(
            Encoded,
            _ENCODED_FIELDS,
            (MappingProxyType(canonical), tuple(rf_state), tuple(finding_state), frozenset(flags), tuple(codes), tuple(observed),
             tuple(map(finding_state.__getitem__, observed)), tuple(sorted(soft_cols)), frozenset(unconfirmed)),
        )

    def _put_soft(self, cid: str, key: Any, value: Likelihood, allowed: bool, seen_as: dict[str, Any], canonical: dict[str, Any],
                  soft_cols: list[tuple[int, float]], flags: set[str], unconfirmed: set[str]) -> None:
        """Encode one soft answer (see :mod:`twitchnet.evidence`): a red flag fires the override
        unconfirmed and stays unknown for the ranking; an id other rules read fires them
        unconfirmed and enters the ranking soft; any other finding enters the ranking soft.
        """
        sp = self._spec[cid]
        if not allowed:
            raise v.fail(EvidenceError, str(key), f"{sp.expected} here (soft evidence, twitchnet.maybe(), is taken by diagnose; "
                         "this feature reads hard answers only: confirm the answer as True or False, or leave it out)", value)
        if sp.kind not in ("finding", "red_flag"):
            expected = "a number of years" if sp.kind == "number" else sp.expected
            raise v.fail(EvidenceError, str(key), f"{expected} (soft evidence, twitchnet.maybe(), is for yes/no findings; "
                         f"{cid!r} is a {sp.kind.replace('_', ' ')})", value)
        if cid in seen_as:
            if canonical.get(cid) != value:
                raise v.fail(EvidenceError, str(key), f"the same value as {seen_as[cid]!r} (both mean {cid!r})", value)
            return
        seen_as[cid] = key
        canonical[cid] = value
        if cid in self.rule_ids:  # the override treats it as present until confirmed
            flags.add(cid)
            unconfirmed.add(cid)
        if sp.kind == "finding" and cid not in self._spec_red_flags:
            soft_cols.append((sp.index, value.ratio))

    def _put_finding(self, finding_state: list[int], sp: EvidenceSpec, val: Any) -> None:
        """Write a finding's value into the finding columns. A category finding ``Y = k`` is its
        level ``k`` present (``k > 0``) and every higher level absent; lower levels stay unknown
        (:class:`twitchnet.kb.schema.CategoryFinding`).
        """
        if sp.kind == "finding":
            finding_state[sp.index] = 1 if val else 0
            return
        k = sp.states.index(val)
        for j, col in enumerate(self._levels[sp.id], start=1):
            if j >= k:
                finding_state[col] = int(j == k)

    def implausible(self, evidence: Evidence) -> EvidenceError | None:
        """The error for canonical evidence that fails a plausibility check, or None.

        See :data:`PLAUSIBLE_AGES` (pregnancy outside ages 12 to 55).
        """
        for key, age_id, low, high in self._plausible:
            if evidence.get(key) is True and age_id in evidence and not (low <= evidence[age_id] <= high):
                return v.fail(EvidenceError, key, f"{key}=True only with {age_id} from {low} to {high} (a plausibility check)",
                              f"{key}=True with {age_id}={evidence[age_id]!r}")
        return None

    def readable_flags(self, evidence: Any, *, strings: bool = False) -> frozenset[str]:
        """The ids of :attr:`rule_ids` that are True in whatever part of ``evidence`` can be read.

        Each key is read on its own: an unknown key, a wrong value elsewhere or an impossible
        combination does not stop the others being read (red flags first, whatever the rest of
        the validation says). Never raises.
        """
        out = set()
        try:
            pairs = list(evidence.items())
        except Exception:  # noqa: BLE001 - not a mapping: nothing can be read
            return frozenset()
        for pair in pairs:
            try:
                key, value = pair
                cid = self.canonical_key(key)
                if cid in self.rule_ids and value.__class__ is Likelihood:  # "maybe": present until confirmed
                    out.add(cid)
                elif cid in self.rule_ids and self.coerce_value(cid, value, strings=strings) is True:
                    out.add(cid)
            except Exception:  # noqa: BLE001, S112 - this key cannot be read; the others still count
                continue
        return frozenset(out)

    def impossible(self, evidence: Evidence) -> ZeroProbabilityError:
        """The error for evidence of probability zero, naming the keys responsible."""
        culprits = []
        for rf in self.kb.risk_factors:
            if rf.parent and rf.id in evidence and rf.parent in evidence:
                parent = self.kb.risk_factors[self.risk_factor_ids.index(rf.parent)]
                p = rf.prior[parent.states.index(evidence[rf.parent])].value
                if (p == 0.0 and evidence[rf.id]) or (p == 1.0 and not evidence[rf.id]):
                    culprits.append(f"{rf.id}={evidence[rf.id]!r} with {rf.parent}={evidence[rf.parent]!r}")
        shown = "; ".join(culprits) if culprits else dict(evidence)
        key = culprits[0].split("=")[0] if culprits else "evidence"
        return v.fail(ZeroProbabilityError, key, "evidence with non-zero probability under the model", shown)

    def to_pgmpy_evidence(self, evidence: Evidence) -> dict[str, str]:
        """Translate twitchnet evidence into pgmpy's ``{node: state name}`` (non-node red flags dropped)."""
        enc = self.encode(evidence)
        out = {}
        for cid, val in enc.evidence.items():
            sp = self._spec[cid]
            if sp.kind == "red_flag":
                continue
            if sp.kind in ("number", "category", "category_finding"):
                out[cid] = sp.states[self.state_index(cid, val)]
            else:
                out[cid] = str(bool(val))
        return out
