"""Evidence from a person's own words: :func:`parse`.

``twitchnet.parse("my left calf twitches at night, no back pain, my mother had MS")`` returns a
:class:`Parsed`: every finding, risk factor, red flag, duration, age and sex recognised in the
text, each with the words it came from and its context, and the evidence they make. A ``Parsed``
is a read-only mapping of that evidence, so ``twitchnet.diagnose(twitchnet.parse(text))`` works.

Built on spaCy with negspaCy (NegEx, Chapman et al. 2001) for negation, behind the extra
``twitchnet[text]``. No model is downloaded: the pipeline is a blank English tokenizer, a
sentencizer, an entity ruler whose phrase rules are generated from the knowledge base's
vocabulary (each id's words, its aliases, and the everyday phrasings in :data:`PHRASES`), NegEx,
and the ConText-style rules of this module (Harkema et al. 2009) for the other contexts:

=============  ==============================================  ===============================
context        e.g.                                            evidence
=============  ==============================================  ===============================
present        "my left calf twitches"                         ``twitching=True``
negated        "no back pain"                                  ``back_pain=False``
family         "my mother had MS"                              ``family_history_neuro=True``
                                                                (other findings: left out)
historical     "I had sciatica years ago"                      left out
hypothetical   "if I get cramps"                               left out
uncertain      "maybe a bit of numbness", "not sure if it      ``numbness=maybe()``
               started suddenly" (doubt is never denial)
=============  ==============================================  ===============================

A red flag in the family, historical or hypothetical context ("if my legs got weak I'd go to
A&E") is neither present nor denied: it is ``maybe()`` and listed in ``to_confirm``. Only a clear
negation of that very red flag ("it hasn't spread") makes it ``False``.

Safety of words: a red flag stated present fires the override; one mentioned uncertainly is
``maybe()``, which the override treats as present until confirmed (never the ranking) and which
the diagnosis lists in ``unconfirmed``; a negated one is ``False`` and listed back to the person
in :attr:`Parsed.said_no` ("you said: no bladder problems"). A sentence in which nothing was
recognised is listed in :attr:`Parsed.unrecognised`, never dropped silently.

References
----------
Chapman WW et al. A simple algorithm for identifying negated findings and diseases in discharge
summaries. J Biomed Inform 2001;34:301-310. Harkema H et al. ConText: an algorithm for determining
negation, experiencer, and temporal status from clinical reports. J Biomed Inform 2009;42:839-851.
"""

from twitchnet.text._lexicon import PHRASES
from twitchnet.text._parse import Item, Parsed, parse
from twitchnet.text._pipeline import pipeline

__all__ = ["parse", "Parsed", "Item", "PHRASES", "pipeline"]
