"""The arithmetic of the conversions from published figures to knowledge-base numbers.

Each function takes and returns plain floats, checks its arguments and raises
:class:`~twitchnet.errors.ConversionError` naming the argument, what it must be and what arrived.
Why these conversions and no others, and how an entry names one: :mod:`twitchnet.kb.convert`,
which re-exports every function here.
"""

from __future__ import annotations

import math
import numbers

from twitchnet._validation import fail
from twitchnet.errors import ConversionError

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
]


def _real(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise fail(ConversionError, name, "a finite number", value)
    return float(value)


def _probability(name, value, *, closed_low=False):
    v = _real(name, value)
    ok = (0.0 <= v < 1.0) if closed_low else (0.0 < v < 1.0)
    if not ok:
        raise fail(ConversionError, name, "a probability in [0, 1)" if closed_low else "a probability in (0, 1)", v)
    return v


def _positive(name, value):
    v = _real(name, value)
    if not v > 0.0:
        raise fail(ConversionError, name, "a positive number", v)
    return v


def odds(p):
    r"""The odds of a probability.

    .. math:: \mathrm{odds}(p) = p / (1 - p)

    Parameters
    ----------
    p : float
        A probability in [0, 1).

    Returns
    -------
    float

    Examples
    --------
    >>> odds(0.2)
    0.25
    """
    p = _probability("p", p, closed_low=True)
    return p / (1.0 - p)


def probability_from_odds(o):
    """The probability of given odds: :math:`o / (1 + o)`.

    Examples
    --------
    >>> probability_from_odds(0.25)
    0.2
    """
    o = _real("odds", o)
    if o < 0.0:
        raise fail(ConversionError, "odds", "a number >= 0", o)
    return o / (1.0 + o)


def odds_ratio_from_prevalences(exposed, unexposed):
    r"""Odds ratio of exposed versus unexposed people from the share with the outcome in each.

    .. math:: OR = \frac{p_1 / (1 - p_1)}{p_0 / (1 - p_0)}

    Parameters
    ----------
    exposed : float
        :math:`p_1`, the share with the outcome among exposed people, in (0, 1).
    unexposed : float
        :math:`p_0`, the share among unexposed people (or a comparison group the note names), in
        (0, 1).

    Returns
    -------
    float

    Examples
    --------
    Hypomagnesaemia in 11.2% of people treated for alcohol use disorder against 2.5% in the
    community: (0.112 / 0.888) / (0.025 / 0.975) = 4.919.

    >>> round(odds_ratio_from_prevalences(0.112, 0.025), 3)
    4.919
    """
    p1 = _probability("exposed", exposed)
    p0 = _probability("unexposed", unexposed)
    return (p1 / (1.0 - p1)) / (p0 / (1.0 - p0))


def odds_ratio_from_counts(exposed_cases, exposed_total, unexposed_cases, unexposed_total):
    r"""Odds ratio from the counts of a two-by-two table.

    .. math:: OR = \frac{a / (n_1 - a)}{c / (n_0 - c)}

    with :math:`a` cases among :math:`n_1` exposed and :math:`c` among :math:`n_0` unexposed.
    Every cell must be non-empty (no continuity correction is applied).

    Examples
    --------
    >>> round(odds_ratio_from_counts(38, 127, 11, 100), 3)
    3.455
    """
    a = _positive("exposed_cases", exposed_cases)
    n1 = _positive("exposed_total", exposed_total)
    c = _positive("unexposed_cases", unexposed_cases)
    n0 = _positive("unexposed_total", unexposed_total)
    if not a < n1:
        raise fail(ConversionError, "exposed_cases", f"fewer than exposed_total = {n1:g}", a)
    if not c < n0:
        raise fail(ConversionError, "unexposed_cases", f"fewer than unexposed_total = {n0:g}", c)
    return (a / (n1 - a)) / (c / (n0 - c))


def odds_ratio_from_relative_risk(relative_risk, unexposed):
    r"""Odds ratio from a relative risk (or prevalence ratio) and the risk among the unexposed.

    With :math:`p_1 = RR \cdot p_0`,

    .. math:: OR = RR \cdot \frac{1 - p_0}{1 - RR \cdot p_0}

    A hazard ratio may be passed as the relative risk when the outcome is uncommon over the
    follow-up (the note beside the number must say so).

    Parameters
    ----------
    relative_risk : float
        Positive, with ``relative_risk * unexposed < 1``.
    unexposed : float
        :math:`p_0`, the risk among unexposed people, in (0, 1).

    Examples
    --------
    RR 1.74 with 10% among the unexposed: p1 = 0.174, OR = 1.74 x 0.9 / 0.826 = 1.896.

    >>> round(odds_ratio_from_relative_risk(1.74, 0.10), 3)
    1.896
    """
    rr = _positive("relative_risk", relative_risk)
    p0 = _probability("unexposed", unexposed)
    if not rr * p0 < 1.0:
        raise fail(ConversionError, "relative_risk", f"below 1 / unexposed = {1.0 / p0:g} (a risk among the exposed under 1)", rr)
    return rr * (1.0 - p0) / (1.0 - rr * p0)


def odds_ratio_from_likelihood_ratios(positive, negative):
    """Odds ratio from the positive and negative likelihood ratios of one yes/no feature.

    .. math:: OR = LR^{+} / LR^{-}

    This is the diagnostic odds ratio. Because an odds ratio is symmetric, it is also the odds
    ratio of the condition in people with versus without the feature, so it may serve as an
    exposure effect. A single likelihood ratio is *not* an odds ratio (it compares the post-test
    with the pre-test odds, not feature-present with feature-absent people): both are required.

    Examples
    --------
    LR+ 2.0 and LR- 0.62: OR = 3.226.

    >>> round(odds_ratio_from_likelihood_ratios(2.0, 0.62), 3)
    3.226
    """
    return _positive("positive", positive) / _positive("negative", negative)


def ratio_of_odds_ratios(numerator, denominator):
    r"""The interaction term that turns one odds ratio into another in a stratum.

    .. math:: OR_{\text{interaction}} = OR_{\text{stratum}} / OR_{\text{main}}

    An interaction key ``"a & b"`` multiplies the main effects of ``a`` and ``b``; to make the
    effect of ``a`` equal ``OR_stratum`` where ``b`` holds, the term is the ratio.

    Examples
    --------
    PPI odds ratio 1.73 with a diuretic and 1.25 without: 1.384.

    >>> round(ratio_of_odds_ratios(1.73, 1.25), 3)
    1.384
    """
    return _positive("numerator", numerator) / _positive("denominator", denominator)


def probability_with_odds_ratio(baseline, odds_ratio):
    r"""The probability reached by multiplying the odds of ``baseline`` by ``odds_ratio``.

    .. math:: p = \frac{OR \cdot o_0}{1 + OR \cdot o_0}, \quad o_0 = p_0 / (1 - p_0)

    The inverse of :func:`odds_ratio_from_prevalences` in its first argument.

    Examples
    --------
    >>> round(probability_with_odds_ratio(0.2, 3.0), 4)
    0.4286
    """
    o = odds(_probability("baseline", baseline)) * _positive("odds_ratio", odds_ratio)
    return o / (1.0 + o)


def link_from_sensitivity(sensitivity, leak=0.0):
    r"""Noisy-OR link probability from the share of people with a cause who have the finding.

    In a noisy-OR with leak :math:`\lambda`, a person whose only cause is this one has the finding
    with probability :math:`1 - (1 - \lambda)(1 - p)`. Setting that equal to the published
    frequency :math:`s` (the sensitivity of the finding for the cause) gives

    .. math:: p = 1 - \frac{1 - s}{1 - \lambda}

    Parameters
    ----------
    sensitivity : float
        :math:`s`, in (0, 1).
    leak : float, default 0
        :math:`\lambda`, the finding's leak, in [0, s]. With ``leak = 0`` the link is the
        frequency itself.

    Examples
    --------
    Numbness in 81% of a cohort with a leak of 0.03: 1 - 0.19 / 0.97 = 0.8041.

    >>> round(link_from_sensitivity(0.81, 0.03), 4)
    0.8041
    """
    s = _probability("sensitivity", sensitivity)
    lam = _probability("leak", leak, closed_low=True)
    if not lam < s:
        raise fail(ConversionError, "leak", f"below the sensitivity {s:g} (the cause must add to the leak)", lam)
    return 1.0 - (1.0 - s) / (1.0 - lam)


def rate_ratio(exposed_rate, unexposed_rate):
    r"""The ratio of two incidence rates of a rare disease, used as an odds ratio.

    .. math:: OR \approx IRR = r_1 / r_0

    For a disease of under 1 in 10,000 people a year (motor neurone disease, Guillain-Barre
    syndrome, multiple sclerosis) the odds of developing it in a year and the rate differ by less
    than 0.01%, so the ratio of rates is the odds ratio of exposed to unexposed people.

    Examples
    --------
    ALS incidence 3.0 per 100,000 a year in men and 2.4 in women (Logroscino 2010): 1.25.

    >>> rate_ratio(3.0, 2.4)
    1.25
    """
    return _positive("exposed_rate", exposed_rate) / _positive("unexposed_rate", unexposed_rate)


def level_link_from_shares(share, at_most):
    r"""A level's link of an ordinal noisy-MAX category from a published distribution.

    A category finding (``duration``) is the highest of independent level findings
    (:class:`twitchnet.kb.schema.CategoryFinding`), so for a cause alone the chance that level
    :math:`k` fires is the share in level :math:`k` among those at most at level :math:`k`:

    .. math:: p_k = \frac{P(Y = k)}{P(Y \le k)}

    Parameters
    ----------
    share : float
        :math:`P(Y = k)` for people with this cause, in (0, 1).
    at_most : float
        :math:`P(Y \le k)`, the shares of level :math:`k` and every lower level, in [share, 1].

    Examples
    --------
    Duration at presentation days 0.05, weeks 0.25, months 0.55, years 0.15: the months level is
    0.55 / (0.05 + 0.25 + 0.55) = 0.647.

    >>> round(level_link_from_shares(0.55, 0.85), 3)
    0.647
    """
    s = _probability("share", share)
    total = _real("at_most", at_most)
    if not s <= total <= 1.0 + 1e-9:  # a sum of shares may round just above 1
        raise fail(ConversionError, "at_most", f"a share from {s:g} (the level's own) to 1", total)
    return s / min(total, 1.0)
