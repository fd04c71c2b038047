"""A guided interview: ask the most useful question, update, stop by a documented rule.

Stopping rule (checked after every answer, in this order):

1. a red flag is answered yes: stop at once (``stop_reason="red_flag"``); the diagnosis carries
   the urgent advice;
2. the leading cause's posterior reaches ``threshold`` (default 0.9): ``"confident"``;
3. no question is left, or the best non-red-flag question gains less than ``min_gain`` bits
   (default 0.02) once every red flag has been asked: ``"no_useful_question"``;
4. ``max_questions`` answers have been given (default 30): ``"question_limit"``.

Red-flag questions are always asked first (safety before information), so a finished interview
has always asked every red flag unless one was answered yes.
"""

from __future__ import annotations

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError

__all__ = ["Interview"]


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

    def __init__(self, model=None, evidence=None, *, threshold=0.9, min_gain=0.02, max_questions=30):
        if model is None:
            from twitchnet.model import load_model

            model = load_model()
        self.model = model
        self.threshold = v.check_probability(threshold, key="threshold")
        if isinstance(min_gain, bool) or not isinstance(min_gain, (int, float)) or not min_gain >= 0:
            raise v.fail(EvidenceError, "min_gain", "a number >= 0 (bits)", min_gain)
        self.min_gain = float(min_gain)
        if isinstance(max_questions, bool) or not isinstance(max_questions, int) or max_questions < 1:
            raise v.fail(EvidenceError, "max_questions", "a whole number >= 1", max_questions)
        self.max_questions = max_questions
        self._evidence = dict(model.encode(evidence or {}).evidence)
        self._asked = []
        self.stop_reason = None
        self._update()

    @property
    def evidence(self):
        """The answers so far (canonical ids), as a new dict."""
        return dict(self._evidence)

    @property
    def asked(self):
        """The ids asked so far, in order."""
        return tuple(self._asked)

    @property
    def diagnosis(self):
        """The :class:`~twitchnet.Diagnosis` for the answers so far."""
        return self._diagnosis

    @property
    def done(self):
        """True once the stopping rule has fired (see the module docstring)."""
        return self.stop_reason is not None

    def question(self):
        """The next question (a :class:`~twitchnet.questions.Question`), or None when done."""
        return None if self.done else self._next

    def answer(self, key, value):
        """Record an answer and update; returns ``self``. ``None`` means "skip" (left unknown)."""
        cid = self.model.canonical_key(key)
        value = self.model.coerce_value(cid, value)
        trial = dict(self._evidence)
        if value is not None:
            trial[cid] = value
        self.model.encode(trial)  # validate before changing any state
        self._asked.append(cid)
        if value is not None:
            self._evidence = trial
        else:
            self._skipped = getattr(self, "_skipped", set()) | {cid}
        self._update()
        return self

    def _update(self):
        from twitchnet.questions import next_questions

        d = self.model.diagnose(self._evidence)
        self._diagnosis = d
        skipped = getattr(self, "_skipped", set())
        questions = [q for q in next_questions(self.model, self._evidence, k=None) if q.id not in skipped]
        self._next = questions[0] if questions else None
        if d.urgent:
            self.stop_reason = "red_flag"
        elif d.ranking[0].probability >= self.threshold:
            self.stop_reason = "confident"
        elif self._next is None or (not self._next.red_flag and self._next.gain < self.min_gain):
            self.stop_reason = "no_useful_question"
        elif len(self._asked) >= self.max_questions:
            self.stop_reason = "question_limit"
