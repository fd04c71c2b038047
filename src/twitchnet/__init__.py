"""twitchnet: why does a leg vibrate, twitch, tingle or buzz?

A Bayesian network links risk factors to causes and causes to findings. :func:`diagnose` ranks
every cause by its exact posterior probability, explains what moved each one, and applies an
always-on red-flag override.

>>> import twitchnet
>>> d = twitchnet.diagnose({"age": 68, "sex": "male", "tingling": True, "diabetes": True})
>>> d.ranking[0].cause, d.urgent
('neuropathy', False)
"""

from twitchnet.diagnose import diagnose
from twitchnet.errors import (
    EvidenceError,
    FrameEvidenceError,
    KnowledgeBaseError,
    NotFittedError,
    VignetteError,
    TwitchnetError,
    UnknownEvidenceError,
    ZeroProbabilityError,
)
from twitchnet.evaluate import Evaluation, evaluate
from twitchnet.kb import load_knowledge_base
from twitchnet.model import DiagnosticModel, load_model
from twitchnet.results import CauseResult, Contribution, Diagnosis
from twitchnet.vignettes import Vignette, load_vignettes

# Imported on first use (PEP 562), so that ``import twitchnet`` and the command line stay fast.
# (``evaluate`` and ``vignettes`` are imported above: their submodules share the names of public
# functions, and a later import of the submodule would otherwise replace the function.)
_LAZY = {
    "diagnose_frame": "twitchnet.frame",
    "Interview": "twitchnet.interview",
    "sensitivity": "twitchnet.uncertainty",
    "Uncertainty": "twitchnet.uncertainty",
    "CauseUncertainty": "twitchnet.uncertainty",
    "RestsOn": "twitchnet.uncertainty",
    "Sensitivity": "twitchnet.uncertainty",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'twitchnet' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


def vignettes(split=None, path=None):
    """The packaged clinical vignettes (or those of a file): see :mod:`twitchnet.vignettes`."""
    return load_vignettes(path, split=split)


__version__ = "0.1.0"

__all__ = [
    "__version__",
    "diagnose",
    "diagnose_frame",
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
    "ZeroProbabilityError",
    "KnowledgeBaseError",
    "VignetteError",
    "NotFittedError",
]
