"""Frontiers, bargaining solutions, ZOPA, offer evaluation and the value of linkage."""

from pactlab.analysis.analyze import Analysis, Zopa, analyze, analyze_domain
from pactlab.analysis.pareto import pareto_mask, pareto_mask_bruteforce
from pactlab.analysis.results import Point
from pactlab.analysis.solutions import SOLUTIONS, solve

__all__ = [
    "SOLUTIONS",
    "Analysis",
    "Point",
    "Zopa",
    "analyze",
    "analyze_domain",
    "pareto_mask",
    "pareto_mask_bruteforce",
    "solve",
]
