"""A guided interview: ask the most useful question, update, stop by a documented rule.

Stopping rule (checked after every answer, in this order):

1. a red flag is answered yes: stop at once (``stop_reason="red_flag"``); the diagnosis carries
   the urgent advice;
2. while a red-flag question is unasked, go on: no other rule stops an interview before every
   warning sign has been asked (safety before information, and before confidence);
3. the leading cause's posterior reaches ``threshold`` (default 0.9): ``"confident"``;
4. no question is left, or the best non-red-flag question gains less than ``min_gain`` bits
   (default 0.02): ``"no_useful_question"``;
5. ``max_questions`` answers have been given (default 30): ``"question_limit"``.

Beyond enumeration (a model only Quickscore can run), information gain cannot be computed (it
sums over every joint cause state): the interview still asks every warning sign first, in
vocabulary order, and then, unless rule 3 holds, stops with ``"engine_limit"`` instead of rules 4
and 5 (the diagnosis is still exact, from Quickscore).

Red-flag questions are always asked first, so a finished interview has always asked every red
flag unless one was answered yes. An answer that is refused (a wrong value, or one impossible
with the answers so far, such as pregnancy for a male) raises and changes nothing. An interview
left early lists the warning signs it did not ask (:attr:`Interview.unasked_red_flags`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError, TwitchnetError

if TYPE_CHECKING:
    from twitchnet._typing import Evidence
    from twitchnet.explain.questions import Question
    from twitchnet.model import DiagnosticModel
    from twitchnet.results import Diagnosis

    _State = tuple[dict[str, Any], Diagnosis, Question | None, str | None]

__all__ = ["Interview"]


#: Answers that mean "not sure" (any case): a soft answer, twitchnet.maybe() (see :mod:`twitchnet.evidence`).
NOT_SURE_WORDS = frozenset({"not sure", "unsure", "maybe", "don't know", "dont know", "?"})


class Interview:
    """Ask, answer, repeat.

    Parameters
    ----------
    model : DiagnosticModel, optional
        The packaged model when omitted.
    evidence : Mapping, optional
        What is already known (e.g. age and sex).
    threshold : float, default=0.9
    min_gain : float, default=0.02
        Bits.
    max_questions : int, default=30

    Examples
    --------
    >>> import twitchnet
    >>> iv = twitchnet.Interview(evidence={"age": 30, "sex": "female"})
    >>> iv.question().red_flag
    True
    >>> iv.answer("saddle_numbness", True).done, iv.stop_reason
    (True, 'red_flag')
    """

    stop_reason: str | None
    _evidence: dict[str, Any]
    _diagnosis: Diagnosis
    _next: Question | None

    def __init__(self, model: DiagnosticModel | None = None, evidence: Evidence | None = None, *, threshold: float = 0.9, min_gain: float = 0.02,
                 max_questions: int = 30) -> None:
        if model is None:
            from twitchnet.model import load_model

            model = load_model()
        self.model = model
        try:  # a bad setting: still the red flags of whatever evidence can be read
            self.threshold = v.check_probability(threshold, key="threshold")
            if isinstance(min_gain, bool) or not isinstance(min_gain, (int, float)) or not min_gain >= 0:
                raise v.fail(EvidenceError, "min_gain", "a number >= 0 (bits)", min_gain)
            self.min_gain = float(min_gain)
            if isinstance(max_questions, bool) or not isinstance(max_questions, int) or max_questions < 1:
                raise v.fail(EvidenceError, "max_questions", "a whole number >= 1", max_questions)
        except TwitchnetError as exc:
            from twitchnet import redflags
            from twitchnet.diagnose import with_red_flags

            raise with_red_flags(exc, redflags.evaluate(model.kb, model.readable_flags(evidence or {}))) from None
        self.max_questions = max_questions
        self._asked: list[str] = []
        self._skipped: frozenset[str] = frozenset()
        try:
            known = dict(model.encode(evidence or {}).evidence)
        except EvidenceError as exc:
            # diagnose raises the error carrying the red flags that could be read; for a person
            # outside the model's population it returns them, and the interview refuses with them
            from twitchnet.diagnose import with_red_flags

            raise with_red_flags(exc, model.diagnose(evidence).red_flags) from None
        self._commit(self._state(known, (), self._skipped))

    @property
    def evidence(self) -> dict[str, Any]:
        """The answers so far (canonical ids), as a new dict."""
        return dict(self._evidence)

    @property
    def asked(self) -> tuple[str, ...]:
        """The ids asked so far, in order."""
        return tuple(self._asked)

    @property
    def diagnosis(self) -> Diagnosis:
        """The :class:`~twitchnet.Diagnosis` for the answers so far."""
        return self._diagnosis

    @property
    def done(self) -> bool:
        """True once the stopping rule has fired (see the module docstring)."""
        return self.stop_reason is not None

    def question(self) -> Question | None:
        """The next question (a :class:`~twitchnet.explain.questions.Question`), or None when done."""
        return None if self.done else self._next

    @property
    def unasked_red_flags(self) -> tuple[str, ...]:
        """The warning-sign ids not asked yet (neither answered nor skipped), in vocabulary order:
        what a person who stops early has not been checked for.
        """
        return tuple(i for i in self.model.red_flag_ids if i not in self._evidence and i not in self._asked)

    def answer(self, key: str, value: Any) -> Interview:
        """Record an answer and update; returns ``self``. ``None`` means "skip" (left unknown);
        ``"not sure"`` (or ``twitchnet.maybe(ratio)``) is a soft answer for a finding
        (:mod:`twitchnet.evidence`): the diagnosis uses it (a red flag answered "not sure" fires
        the override, unconfirmed); the next questions are chosen on the definite answers, and
        an id answered "not sure" is not asked again.

        Raises
        ------
        EvidenceError
            For a wrong value, or one the model finds implausible or impossible with the answers
            so far; the interview is then exactly as it was.
        """
        from twitchnet.evidence import Likelihood, maybe

        cid = self.model.canonical_key(key)
        if isinstance(value, str) and str.lower(str.strip(value)) in NOT_SURE_WORDS:
            value = maybe()
        if not isinstance(value, Likelihood):
            value = self.model.coerce_value(cid, value)
        trial = dict(self._evidence)
        skipped = self._skipped
        if value is not None:
            trial[cid] = value
        else:
            skipped = skipped | {cid}
        asked = tuple(self._asked) + (cid,)
        state = self._state(trial, asked, skipped)  # everything computed (and validated) first
        self._asked.append(cid)
        self._skipped = skipped
        self._commit(state)
        return self

    def _state(self, evidence: dict[str, Any], asked: tuple[str, ...], skipped: frozenset[str]) -> _State:
        """The interview's next state for these answers, computed without changing anything."""
        from twitchnet.errors import EvidenceError as _EvidenceError
        from twitchnet.evidence import Likelihood
        from twitchnet.explain.questions import ask_first, next_questions

        d = self.model.diagnose(evidence)
        soft = {k for k, val in evidence.items() if isinstance(val, Likelihood)}
        if soft:  # questions are chosen on the definite answers; "not sure" ids are not asked again
            evidence_hard = {k: val for k, val in evidence.items() if k not in soft}
            skipped = skipped | soft
        else:
            evidence_hard = evidence
        if not d.ranking:  # outside the model's population: nothing to interview about
            from twitchnet.diagnose import with_red_flags

            raise with_red_flags(_EvidenceError(d.reason, key="evidence", expected="a person the model describes", got=dict(evidence)), d.red_flags)
        beyond = not self.model.enumerable  # no gains: the warning signs only (module docstring)
        found = ask_first(self.model, evidence_hard) if beyond else next_questions(self.model, evidence_hard, k=None)
        questions = [q for q in found if q.id not in skipped]
        nxt = questions[0] if questions else None
        if d.urgent:
            stop = "red_flag"
        elif nxt is not None and nxt.red_flag:
            stop = None  # a warning sign is still unasked: ask it, whatever else holds
        elif d.ranking[0].probability >= self.threshold:
            stop = "confident"
        elif beyond:
            stop = "engine_limit"
        elif nxt is None or nxt.gain < self.min_gain:
            stop = "no_useful_question"
        elif len(asked) >= self.max_questions:
            stop = "question_limit"
        else:
            stop = None
        return evidence, d, nxt, stop

    def _commit(self, state: _State) -> None:
        self._evidence, self._diagnosis, self._next, self.stop_reason = state
