"""Learn the model's numbers from records: maximum a posteriori EM with the knowledge base as the prior.

:func:`fit` re-estimates every number of a :class:`~twitchnet.model.DiagnosticModel` (risk-factor
priors, cause baselines and odds ratios, noisy-OR links and leaks) from a table of records, and
returns a :class:`FittedModel`. Red-flag rules are never learned; structural zeros and numbers whose
range is a single point stay as they are.

**E-step.** Records are encoded as in :func:`twitchnet.diagnose_frame` and identical records are
grouped (one row per distinct pattern, with its count). For each pattern the exact posterior over
the joint cause states ``s`` and the live contexts ``k`` (the shared risk factors, when some are
unknown) is computed in log space, in chunks::

    log P(k, s, e) = log P(k, e_ctx) + sum_c log P(c = s_c, e_priv(c) | k) + log P(e_F | s)

Diagnosis columns (named by cause id) restrict ``s``. From it, the expected counts:

* links: ``M[f, s] = sum_rows [f present] P(s | e)``; the expected number of times link ``c -> f``
  fired is ``p_cf * sum_s M[f, s] s_c / P(f | s)`` (the latent link variables of noisy-OR), out of
  ``sum_rows [f observed] P(c | e)`` chances; the leak likewise, out of ``[f observed]``;
* causes: the expected count of (context ``k``, private risk-factor state ``j``, cause ``c = b``);
* risk factors: the same counts summed over the causes.

**M-step.** Links, leaks and risk-factor priors have closed forms (the mode of a Beta or Dirichlet
posterior). Each cause's logistic prior (baseline logit plus log odds ratios, interaction terms
included) is maximised by Newton steps with step halving on the expected counts. So every
iteration increases the log posterior (tested).

**Priors.** Each number's prior is centred on its knowledge-base value with a width from its range
read as a 95% interval: a probability gets a Beta prior with mode at the value and standard
deviation ``(high - low) / 3.92`` (``n0 = m (1 - m) / sd**2 - 3`` pseudo-records); a baseline a
normal prior on the logit scale, an odds ratio a normal prior on the log scale, each with
``sd = (transformed high - transformed low) / 3.92``. ``prior_strength`` multiplies every prior's
weight (pseudo-records or precision); 0 is maximum likelihood.

**Sufficient statistics.** The expected counts are sums over records, so a Dask DataFrame is
handled partition by partition and the counts summed (map-reduce).
"""

from twitchnet.learn.em import fit, log_posterior, partial_fit
from twitchnet.learn.fitted import FittedModel, FittedNumber

__all__ = ["FittedModel", "FittedNumber", "fit", "log_posterior", "partial_fit"]
