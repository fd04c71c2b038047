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
    TwitchnetError,
    UnknownEvidenceError,
    ZeroProbabilityError,
)
from twitchnet.frame import diagnose_frame
from twitchnet.interview import Interview
from twitchnet.kb import load_knowledge_base
from twitchnet.model import DiagnosticModel, load_model
from twitchnet.results import CauseResult, Contribution, Diagnosis

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "diagnose",
    "diagnose_frame",
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
    "NotFittedError",
]
