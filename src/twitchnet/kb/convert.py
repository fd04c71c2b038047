"""Conversions from published figures to the numbers of a knowledge base.

Every number of the knowledge base is about one reference population, the one ``model.toml``
names in ``population`` (for the default knowledge base: adults who notice an unusual sensation in
a leg). Published figures are about other populations: the share of chronic drinkers with
neuropathy, the share of new antidepressant users who develop restless legs, a relative risk from
a cohort. This module holds the only arithmetic allowed between the two. A number that is taken
from published figures writes them down with the name of one of these functions::

    heavy_alcohol = { value = 4.9, low = 3.4, high = 16.6, source = "hernandezrubio2023",
                      derive = { method = "odds_ratio_from_prevalences",
                                 exposed = 0.112, unexposed = 0.025 }, note = "..." }

and the loader (:func:`twitchnet.kb.load_knowledge_base`) recomputes the value with
:func:`derive` and refuses the entry when the written value disagrees (see :func:`agrees`).

Why odds ratios of exposed versus unexposed people. A cause's prior in the model is logistic in
its risk factors, so an effect is an odds ratio. The odds ratio comparing exposed with unexposed
people is the one figure that carries over from the general population to the people who present
with a symptom: if noticing the symptom depends on having the cause but not otherwise on the
exposure, conditioning on it multiplies the odds of the cause by the same factor in both groups,
so their ratio is unchanged. A rate among all exposed people, set against the model's baseline
(a probability among people who *present*), does not carry over; that was the mistake the 2026.12
audit found ("converted against the baseline").

The conversions themselves (their arithmetic) live in :mod:`twitchnet.kb.conversions` and are
importable from here. All functions take and return plain floats, check their arguments and raise
:class:`~twitchnet.errors.ConversionError` (a ``ValueError``) naming the argument, what it must be
and what arrived.
"""

from __future__ import annotations

import inspect
import math

from twitchnet._validation import close_matches, fail
from twitchnet.errors import ConversionError
from twitchnet.kb.conversions import (
    _real,
    level_link_from_shares,
    link_from_sensitivity,
    odds,
    odds_ratio_from_counts,
    odds_ratio_from_likelihood_ratios,
    odds_ratio_from_prevalences,
    odds_ratio_from_relative_risk,
    probability_from_odds,
    probability_with_odds_ratio,
    rate_ratio,
    ratio_of_odds_ratios,
)

__all__ = [
    "odds",
    "probability_from_odds",
    "odds_ratio_from_prevalences",
    "odds_ratio_from_counts",
    "odds_ratio_from_relative_risk",
    "odds_ratio_from_likelihood_ratios",
    "ratio_of_odds_ratios",
    "probability_with_odds_ratio",
    "link_from_sensitivity",
    "rate_ratio",
    "level_link_from_shares",
    "METHODS",
    "derive",
    "agrees",
    "tolerance",
]


#: Every conversion a knowledge-base entry may name in ``derive.method``.
METHODS = {
    f.__name__: f
    for f in (
        odds_ratio_from_prevalences,
        odds_ratio_from_counts,
        odds_ratio_from_relative_risk,
        odds_ratio_from_likelihood_ratios,
        ratio_of_odds_ratios,
        probability_with_odds_ratio,
        link_from_sensitivity,
        rate_ratio,
        level_link_from_shares,
    )
}


def derive(method, **figures):
    """Compute a number from published figures with the conversion named ``method``.

    Parameters
    ----------
    method : str
        A key of :data:`METHODS`.
    **figures : float
        The conversion's arguments, by name.

    Returns
    -------
    float

    Raises
    ------
    ConversionError
        An unknown method (with close matches), a missing or unknown argument, or an argument out
        of its range.

    Examples
    --------
    >>> round(derive("odds_ratio_from_prevalences", exposed=0.112, unexposed=0.025), 2)
    4.92
    """
    if method not in METHODS:
        raise fail(ConversionError, "method", "one of " + ", ".join(sorted(METHODS)), method, close_matches(str(method), METHODS))
    func = METHODS[method]
    params = inspect.signature(func).parameters
    unknown = sorted(set(figures) - set(params))
    if unknown:
        raise fail(ConversionError, unknown[0], f"an argument of {method}: " + ", ".join(params), "an unknown argument", close_matches(unknown[0], params))
    missing = [k for k, p in params.items() if p.default is inspect.Parameter.empty and k not in figures]
    if missing:
        raise fail(ConversionError, missing[0], f"a value (an argument of {method})", "nothing")
    return func(**figures)


def tolerance(derived):
    """How far a written value may lie from its derivation: half a unit of the second significant
    figure of the derived value.

    A derived 4.919 may be written 4.9 or 4.92 (tolerance 0.05), a derived 14.8 as 15 (0.5), a
    derived 0.6737 as 0.67 or 0.674 (0.005). So a value written to two or more significant figures
    agrees exactly when it is the derivation correctly rounded.

    Examples
    --------
    >>> tolerance(4.919)
    0.05
    >>> tolerance(0.6737)
    0.005
    """
    d = abs(_real("derived", derived))
    if d == 0.0:
        return 0.0
    return 0.5 * 10.0 ** (math.floor(math.log10(d)) - 1)


def agrees(written, derived):
    """Whether ``written`` is ``derived`` written to two or more significant figures (see
    :func:`tolerance`; a relative slack of 1e-9 absorbs binary rounding).

    Examples
    --------
    >>> agrees(4.9, 4.919), agrees(5.0, 4.919)
    (True, False)
    """
    w, d = _real("written", written), _real("derived", derived)
    return abs(w - d) <= tolerance(d) * (1.0 + 1e-9)
