"""Every size limit of twitchnet, in one place.

The loader (:mod:`twitchnet.kb.loader`) checks a knowledge base against these numbers at load,
from the sizes of what it declares, before anything large is allocated, and refuses one that
exceeds them with a :class:`~twitchnet.errors.KnowledgeBaseError` naming file, entry and problem.
The engines are built to the same numbers: ``setup.py`` compiles the C kernel with
``MAXC = MAX_CAUSES`` and ``MAXF = MAX_FINDINGS`` (``twitchnet.engine._kernel.MAXC``/``MAXF``; a test
checks they agree), so a knowledge base that loads is one every engine runs.

Only constants here: the module is read by ``setup.py`` without importing the package.
"""

#: Bytes of one TOML file; a larger file is refused after reading at most this many plus one.
MAX_FILE_BYTES = 2_000_000
#: Outside strings, comments and numbers: at most this many dots on one line (dotted keys), and
#: this bracket depth. tomllib needs memory quadratic in the depth of a dotted key
#: (``a.a.a...``: 100,000 parts on one line exhaust gigabytes), and recursion for nested arrays.
MAX_DOTS_PER_LINE = 32
MAX_NESTING = 32
#: Causes: exact inference enumerates their ``2**causes`` joint states (the kernel's MAXC).
MAX_CAUSES = 16
#: Findings: the kernel's encoder holds one state per finding on the stack (its MAXF).
MAX_FINDINGS = 256
#: States of one category or number risk factor (every pattern table has ``states + 1`` rows per
#: factor: the states and "unknown").
MAX_STATES = 64
#: Joint states of the shared risk factors (the context, K) times ``2**causes``; and, per cause,
#: K times the joint states of its private factors. The default model has K * 2**C = 16 * 512.
MAX_CELLS = 2**16
#: Per cause, the observation patterns of its private factors (each unknown or in one of its
#: states: ``prod(states + 1)``) times the larger of K and their joint states: the size of the
#: consistency mask and pattern table built for it (seven private yes/no factors: 2187 * 128).
MAX_PATTERN_CELLS = 2**20
#: Conditions in one interaction effect (``"a & b=x & c"``).
MAX_INTERACTION = 4
#: Odds ratios of effects lie in [1 / MAX_ODDS_RATIO, MAX_ODDS_RATIO]: far beyond any published
#: effect, and far from the floating-point range.
MAX_ODDS_RATIO = 1e6
#: Estimated bytes of the compiled model's tables (the largest numpy arrays built when a model is
#: compiled: pattern tables, context weights, finding tables; see ``loader._footprint``).
MAX_MODEL_BYTES = 256 * 2**20

#: The smallest sum of probabilities an engine working in probability space trusts: below it (or
#: above ``1 / SAFE_FLOOR``) a case is recomputed in log space by the reference engine. Far above
#: the smallest normal double (2.2e-308), so products of a few more factors cannot underflow
#: unseen. The C kernel is compiled to the same number (``setup.py`` passes it as ``TINY``).
SAFE_FLOOR = 1e-280

#: Draws of the knowledge base's numbers in one uncertainty call (``diagnose(uncertainty=N)``): the
#: posteriors of every draw are kept (N x causes floats), and a million take about 20 s.
MAX_DRAWS = 1_000_000

#: Numbers in the full conditional probability tables of a model written out (``to_bif``,
#: ``to_xmlbif``, ``to_pgmpy``, ``to_pyagrum``): a finding with k causes has a table of 2 * 2**k.
#: 2**21 numbers make a BIF file of about 45 MB; the default model has about 2,000. A model beyond
#: it (a QMR-shaped network would need about 10**8) is refused before anything is built.
MAX_TABLE_CELLS = 2**21

# ---------------------------------------------------------------------------- engines (issue 15)
#: Engine names accepted by :class:`twitchnet.DiagnosticModel` and :func:`twitchnet.diagnose`.
ENGINES = ("auto", "enumeration", "quickscore", "reference")
#: Enumeration (the "enumeration" and "reference" engines, and the C kernel): MAX_CAUSES causes and
#: contexts x 2**causes at most MAX_CELLS. A larger model loads and runs Quickscore.
MAX_ENUMERATION_CAUSES = MAX_CAUSES
MAX_ENUMERATION_CELLS = MAX_CELLS
#: What the loader accepts at all: Quickscore's tables are linear in causes and findings.
MAX_MODEL_CAUSES = 5000
MAX_MODEL_FINDINGS = 20000
#: Joint states of the shared risk factors (every engine sums over them).
MAX_CONTEXT_STATES = 2**12
#: Quickscore: present findings in one case (its sum runs over 2**present subsets).
MAX_QUICKSCORE_POSITIVES = 16
#: Quickscore's exact rational fallback (when double-double cannot promise the tolerance):
#: subsets x causes involved, beyond which the case is refused.
MAX_EXACT_FALLBACK_TERMS = 2**16
#: Calibration of :func:`twitchnet.engine.choose`, in microseconds: the time of one explained case
#: (``Engine.explain``, what ``diagnose`` runs) measured on this project's shared 2-core machine
#: (``benchmarks/bench_engine_cost.py``, 2026-12-04; the measurements are kept in
#: ``tests/data/engine_cost.json``) and fitted by least squares in relative error to
#: ``e0 + e1 * 2**causes * (contexts + observed + 2 * present)`` for enumeration, one pair for the C
#: kernel and one for the reference engine (numpy, where the kernel is not built), and to
#: ``(observed + 1 + 2 * present) * (q0 + q1 * [present > 0] + q2 * contexts * 2**present * (present + 1))``
#: for Quickscore (one run per observed finding and two per present one; q0 is numpy's fixed cost
#: of a run, q1 the double-double machinery a present finding starts).
COST_KERNEL = (6.85, 0.00113)
COST_REFERENCE = (127.0, 0.00447)
COST_QUICKSCORE = (66.5, 882.0, 0.230)


def enumeration_ok(n_causes, n_contexts):
    """Whether the enumeration engines can run a model of this size."""
    return n_causes <= MAX_ENUMERATION_CAUSES and n_contexts * 2**n_causes <= MAX_ENUMERATION_CELLS
