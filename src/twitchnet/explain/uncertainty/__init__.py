"""How sure is the ranking? Uncertainty from the knowledge base's ``[low, high]`` ranges.

The steps, one module each: :mod:`.numbers` (the distribution of every number, its draws),
:mod:`.results` (the result classes), :mod:`.draws` (:func:`uncertainty`), :mod:`.rests`
(:func:`rests_on`) and :mod:`.sweep` (:func:`sensitivity`). The exact posterior under many number
sets is the engines' (:meth:`twitchnet.engine.Engine.posterior_many`; by enumeration
:mod:`twitchnet.engine.many`: the reduced case, the sums, the dual numbers of the derivatives); the
numbers and their compile step are :mod:`twitchnet.model.parameters`.

Every number of the knowledge base carries a plausible range. This module answers three questions
about them, exactly:

1. **How sure is one diagnosis** (:func:`uncertainty`, ``twitchnet.diagnose(..., uncertainty=1000)``,
   :meth:`twitchnet.Diagnosis.uncertainty`): every number is drawn from the distribution below,
   the exact posterior of every cause is computed for every draw at once (arrays with a leading
   draw axis, not a loop of :func:`twitchnet.diagnose`), and each cause gets the median and a 90%
   interval of its posterior over the draws, the share of draws in which it ranks first and in
   which it is among the first three.
2. **What one answer rests on** (:func:`rests_on`): the numbers that move the top cause's
   posterior log-odds most across their ranges, ``|d log-odds / d number| * (high - low) / 2``. The
   derivative is exact: forward-mode differentiation (dual numbers, :class:`_Dual`) of the same
   computation, not finite differences (the tests check it against them).
3. **What the model rests on** (:func:`sensitivity`): every number moved to its low and to its
   high end, one at a time, over a set of cases, ranked by the share of cases whose top cause
   changes. Each moved model is rebuilt (its arrays and the fast engine's tables) and run through
   the batch engine.

The distribution of a number
----------------------------
A probability is drawn on the logit scale, an odds ratio on the log scale. With ``g`` that
transform, ``m = g(value)``, ``a = g(low)`` and ``b = g(high)``, the draw is a two-piece (split)
normal on that scale::

    x = m + (m - a) / 1.96 * z   if z < 0,      x = m + (b - m) / 1.96 * z   if z >= 0,   z ~ N(0, 1)

so the point value is the median and ``low`` and ``high`` are exactly the 2.5% and 97.5% points:
95% of the mass lies inside ``[low, high]`` on the natural scale. When the range is symmetric on
the transformed scale this is the logit-normal (log-normal) distribution; otherwise each side has
its own width. Special cases:

* **Fixed numbers**: structural zeros and numbers whose range has zero width are never drawn.
  The red-flag rules have no numbers and always hold.
* **An end at 0 or 1** (a probability; infinite on the logit scale) takes the width of the other
  side; a probability with both ends open (``[0, 1]``) says nothing on that scale and is held at
  its value (listed in :attr:`Uncertainty.held`).
* **A value at an end of its range** (``value == low < high``): the half on that side collapses
  onto the value.
* **Never exactly 0 or 1.** A draw on the logit scale is finite, but its probability can round to
  exactly 0 or 1 (a logit above 36.7): such a draw is taken as the nearest double inside (0, 1)
  (:data:`OPEN_LOW`, :data:`OPEN_HIGH`), as is a range end at 0 or 1 in :func:`sensitivity`. The
  knowledge base's own values lie in (0, 1) (the loader refuses 0 and 1), so no draw or sweep makes
  a probability certain that the model says is not, and no logarithm is infinite.
* **Category priors** (e.g. the age groups) must sum to 1: each state is drawn as above, then the
  group is divided by its sum. In the sweep and the derivative, moving one state's probability
  scales the others of the group in proportion, ``p_j * (1 - p_new) / (1 - p_old)``.
* The draws of different numbers are independent.
"""

from __future__ import annotations

from twitchnet.explain.uncertainty.draws import (
    _carrying_red_flags,
    _check_draws,
    _check_seed,
    _posterior_block,
    posterior_draws,
    uncertainty,
)
from twitchnet.explain.uncertainty.numbers import (
    _CHUNK,
    _LOG_OR_CLIP,
    OPEN_HIGH,
    OPEN_LOW,
    Z975,
    _Structure,
    _structure,
    _transform,
    draw_numbers,
)
from twitchnet.explain.uncertainty.rests import derivatives, rests_on
from twitchnet.explain.uncertainty.results import LEVEL, CauseUncertainty, RestsOn, Sensitivity, SensitivityRow, Uncertainty
from twitchnet.explain.uncertainty.sweep import moved_posterior, sensitivity
from twitchnet.model.parameters import with_numbers

__all__ = [
    "CauseUncertainty",
    "Uncertainty",
    "RestsOn",
    "SensitivityRow",
    "Sensitivity",
    "uncertainty",
    "rests_on",
    "sensitivity",
    "draw_numbers",
    "with_numbers",
]
_INTERNAL = (_CHUNK, _LOG_OR_CLIP, OPEN_HIGH, OPEN_LOW, Z975, LEVEL, _structure, _Structure, _transform, _carrying_red_flags, _check_draws,
             _check_seed, _posterior_block, posterior_draws, derivatives, moved_posterior)  # re-exported for twitchnet's own callers and tests
