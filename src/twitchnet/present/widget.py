"""An interview widget for Jupyter (ipywidgets, optional extra ``twitchnet[widget]``).

Every risk factor is a three-way toggle (yes / no / unknown); every finding and red flag also
offers "not sure" (:func:`twitchnet.maybe`: a red flag answered so fires the override and is
listed as not confirmed, never counted by the ranking); age is a
slider with an "unknown" checkbox and sex a dropdown. On every change the diagnosis is recomputed
and shown (red-flag banner first); the next best question (:meth:`Diagnosis.next_questions`) is
named and its toggle highlighted.
"""

from __future__ import annotations

from twitchnet._extras import require

__all__ = ["InterviewWidget"]

_UNKNOWN = "?"
_NOT_SURE = "not sure"


class InterviewWidget:
    """Answers as toggles, ranking and red-flag banner updating live.

    Parameters
    ----------
    model : DiagnosticModel, optional
    evidence : Mapping, optional
        Initial answers.

    Attributes
    ----------
    toggles : dict
        Id -> ``ipywidgets.ToggleButtons`` with options "yes", "no", "?"; findings and red
        flags also "not sure" (given as :func:`twitchnet.maybe`).
    age, age_known, sex : ipywidgets widgets
    output : ipywidgets.HTML
        The rendered diagnosis.
    next_label : ipywidgets.HTML
        The next best question.
    diagnosis : Diagnosis
        The current diagnosis.
    """

    def __init__(self, model=None, evidence=None):
        w = require("ipywidgets", "widget", "twitchnet.present.widget")

        if model is None:
            from twitchnet.model import load_model

            model = load_model()
        self.model = model
        self._updating = True
        self.toggles = {}
        self._soft = {}  # id -> the Likelihood given through set_answer (a toggled "not sure" is maybe())
        for key in model.evidence_ids:
            sp = model.spec(key)
            if sp.kind in ("number", "category"):
                continue
            options = ["yes", "no", _NOT_SURE, _UNKNOWN] if sp.kind in ("finding", "red_flag") else ["yes", "no", _UNKNOWN]
            t = w.ToggleButtons(options=options, value=_UNKNOWN, description=key, tooltip=sp.meaning,
                                style={"description_width": "170px", "button_width": "46px"})
            t.observe(self._changed, names="value")
            self.toggles[key] = t
        age_rf = model.kb.risk_factors[model.spec("age").index] if "age" in model.evidence_ids else None
        self.age = w.IntSlider(value=45, min=int(age_rf.low) if age_rf else 18, max=int(age_rf.high) if age_rf else 120, description="age")
        self.age_known = w.Checkbox(value=False, description="age known")
        sexes = model.spec("sex").states if "sex" in model.evidence_ids else ()
        self.sex = w.Dropdown(options=[_UNKNOWN, *sexes], value=_UNKNOWN, description="sex")
        for ctl in (self.age, self.age_known, self.sex):
            ctl.observe(self._changed, names="value")
        self.output = w.HTML()
        self.next_label = w.HTML()
        for key, value in dict(evidence or {}).items():
            self.set_answer(key, value, update=False)
        self._updating = False
        self._refresh()

    # -------------------------------------------------------------- state
    def evidence(self):
        """The evidence the widgets currently hold (canonical ids)."""
        from twitchnet.evidence import maybe

        ev = {k: self._soft.get(k, maybe()) if t.value == _NOT_SURE else t.value == "yes" for k, t in self.toggles.items() if t.value != _UNKNOWN}
        if self.age_known.value:
            ev["age"] = self.age.value
        if self.sex.value != _UNKNOWN:
            ev["sex"] = self.sex.value
        return ev

    def set_answer(self, key, value, update=True):
        """Set one answer programmatically (``None`` for unknown, :func:`twitchnet.maybe` for "not
        sure" on a finding or red flag); validated like any evidence.
        """
        from twitchnet.evidence import Likelihood

        key = self.model.canonical_key(key)
        soft = isinstance(value, Likelihood)
        if soft:
            self.model.encode({key: value}, soft=True)  # the clear error for an id that cannot be soft
            if _NOT_SURE not in self.toggles[key].options:  # pragma: no cover - encode refuses first
                raise AssertionError(key)
        else:
            value = self.model.coerce_value(key, value)
        self._updating = True
        try:
            if key == "age":
                self.age_known.value = value is not None
                if value is not None:
                    self.age.value = int(value)
            elif key == "sex":
                self.sex.value = _UNKNOWN if value is None else value
            else:
                self._soft.pop(key, None)
                if soft:
                    self._soft[key] = value
                self.toggles[key].value = _NOT_SURE if soft else _UNKNOWN if value is None else ("yes" if value else "no")
        finally:
            self._updating = False
        if update:
            self._refresh()

    def _changed(self, change):
        if not self._updating:
            self._refresh()

    def _refresh(self):
        from twitchnet.errors import TwitchnetError
        from twitchnet.present.display import render_html

        try:
            d = self.model.diagnose(self.evidence())
        except TwitchnetError as exc:  # e.g. pregnancy=yes with sex=male: show the message, keep going
            self.output.value = f"<div style='color:#b00020'><b>Cannot diagnose:</b> {exc}</div>"
            return
        self.diagnosis = d
        self.output.value = render_html(d)
        for t in self.toggles.values():
            t.style.button_color = None
        try:
            qs = d.next_questions(1)
        except TwitchnetError:  # next questions read yes/no answers only: a "not sure" is refused
            self.next_label.value = "<b>Next best question:</b> not computed while an answer is 'not sure' (confirm it as yes or no)"
            self.next_question = None
            return
        if qs:
            q = qs[0]
            self.next_label.value = f"<b>Next best question:</b> {q.id} ({q.meaning}){' [red flag]' if q.red_flag else f' - {q.gain:.2f} bits'}"
            if q.id in self.toggles:
                self.toggles[q.id].style.button_color = "#ffe08a"
        else:
            self.next_label.value = "<b>Nothing left to ask.</b>"
        self.next_question = qs[0].id if qs else None

    def widget(self):
        """The whole interface as one ipywidgets box."""
        w = require("ipywidgets", "widget", "twitchnet.present.widget")

        flags = [t for k, t in self.toggles.items() if k in self.model.red_flag_ids]
        findings = [t for k, t in self.toggles.items() if k in self.model.finding_ids and k not in self.model.red_flag_ids]
        factors = [t for k, t in self.toggles.items() if k in self.model.risk_factor_ids]
        tabs = w.Tab(children=[w.VBox(findings), w.VBox(flags), w.VBox([self.age_known, self.age, self.sex, *factors])])
        for i, name in enumerate(["findings", "red flags", "risk factors"]):
            tabs.set_title(i, name)
        return w.HBox([w.VBox([self.next_label, tabs]), self.output])

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget())
