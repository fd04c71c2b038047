"""The knowledge base: frozen records (:mod:`.schema`) and the validating loader (:mod:`.loader`)."""

from twitchnet.kb.loader import load_knowledge_base
from twitchnet.kb.schema import Cause, Effect, Finding, KnowledgeBase, Link, Number, RedFlagRule, RiskFactor, Source

__all__ = [
    "load_knowledge_base",
    "Cause",
    "Effect",
    "Finding",
    "KnowledgeBase",
    "Link",
    "Number",
    "RedFlagRule",
    "RiskFactor",
    "Source",
]
