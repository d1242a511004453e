"""Frontiers, bargaining solutions, ZOPA, offer evaluation and the value of linkage."""

from pactlab.analysis.analyze import Analysis, Zopa, analyze, analyze_domain
from pactlab.analysis.results import Point

__all__ = [
    "Analysis",
    "Point",
    "Zopa",
    "analyze",
    "analyze_domain",
]
