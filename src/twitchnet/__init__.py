"""twitchnet: why a leg vibrates, twitches, tingles or buzzes.

A Bayesian network links risk factors to causes and causes to findings. :func:`diagnose` ranks
every cause by its exact posterior probability, explains what moved each one, and applies an
always-on red-flag override.

>>> import twitchnet
>>> d = twitchnet.diagnose({"age": 68, "sex": "male", "tingling": True, "stocking_distribution": True, "diabetes": True})
>>> d.ranking[0].cause, d.urgent
('neuropathy', False)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from twitchnet._version import __version__
from twitchnet.diagnose import diagnose
from twitchnet.errors import (
    EngineLimitError,
    EvidenceError,
    FrameEvidenceError,
    KnowledgeBaseError,
    ModelReferenceError,
    NotFittedError,
    OutsidePopulationError,
    TwitchnetError,
    UnknownEvidenceError,
    VignetteError,
    ZeroProbabilityError,
)
from twitchnet.evaluate import Evaluation, evaluate
from twitchnet.evidence import Likelihood, maybe
from twitchnet.kb import load_knowledge_base
from twitchnet.model import DiagnosticModel, load_model
from twitchnet.results import CauseResult, Contribution, Diagnosis
from twitchnet.vignettes import Vignette, load_vignettes

if TYPE_CHECKING:
    import os

    from twitchnet._typing import Evidence
    from twitchnet.explain.workup import TestPlan

# Imported on first use (PEP 562), so that ``import twitchnet`` and the command line stay fast.
# (``evaluate`` and ``vignettes`` are imported above: their submodules share the names of public
# functions, and a later import of the submodule would otherwise replace the function.)
_LAZY = {
    "diagnose_frame": "twitchnet.frame",
    "parse": "twitchnet.text",
    "Interview": "twitchnet.present.interview",
    "fit": "twitchnet.learn",
    "partial_fit": "twitchnet.learn",
    "FittedModel": "twitchnet.learn",
    "sensitivity": "twitchnet.explain.uncertainty",
    "Uncertainty": "twitchnet.explain.uncertainty",
    "CauseUncertainty": "twitchnet.explain.uncertainty",
    "RestsOn": "twitchnet.explain.uncertainty",
    "Sensitivity": "twitchnet.explain.uncertainty",
}


def __getattr__(name: str) -> Any:
    if name == "synthetic":  # the module twitchnet.synthetic, imported on first use
        import importlib

        return importlib.import_module("twitchnet.synthetic")
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'twitchnet' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | {"synthetic"})


def vignettes(split: Literal["dev", "holdout"] | None = None, path: str | os.PathLike[str] | None = None) -> tuple[Vignette, ...]:
    """The packaged clinical vignettes (or those of a file): see :mod:`twitchnet.vignettes`."""
    return load_vignettes(path, split=split)



def next_tests(evidence: Evidence | None = None, k: int = 5, *, model: DiagnosticModel | None = None, per_burden: bool = True) -> TestPlan:
    """Which test result would settle most per unit of burden (``per_burden=False``: most, whatever
    its burden): ``diagnose(evidence, model=model).next_tests(k, per_burden)`` without the diagnosis
    (see :func:`twitchnet.explain.workup.next_tests`); unasked red-flag questions come first, in
    ``ask_first``.
    """
    from twitchnet.explain.workup import next_tests as _next_tests

    if model is None:
        model = load_model()
    return _next_tests(model, {} if evidence is None else evidence, k, per_burden)


__all__ = [
    "__version__",
    "diagnose",
    "maybe",
    "Likelihood",
    "parse",
    "diagnose_frame",
    "next_tests",
    "sensitivity",
    "Uncertainty",
    "CauseUncertainty",
    "RestsOn",
    "Sensitivity",
    "evaluate",
    "Evaluation",
    "vignettes",
    "load_vignettes",
    "Vignette",
    "Interview",
    "fit",
    "partial_fit",
    "FittedModel",
    "load_model",
    "load_knowledge_base",
    "DiagnosticModel",
    "Diagnosis",
    "CauseResult",
    "Contribution",
    "TwitchnetError",
    "EvidenceError",
    "FrameEvidenceError",
    "UnknownEvidenceError",
    "OutsidePopulationError",
    "ZeroProbabilityError",
    "KnowledgeBaseError",
    "ModelReferenceError",
    "VignetteError",
    "NotFittedError",
    "EngineLimitError",
    "synthetic",
]
