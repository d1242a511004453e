"""Evidence: quantities, actors and inconsistencies out of news text, with exact spans.

The lowest layer of pactlab: it imports nothing from the model or analysis layers.

>>> from pactlab.evidence import extract
>>> ev = extract("USFK costs 14 trillion won (approximately RMB 7.3 billion).")
>>> [q.text for q in ev.quantities], [c.kind for c in ev.checks]
(['14 trillion won', 'RMB 7.3 billion'], ['paired_amounts'])
"""

from pactlab.evidence.actors import find_actors
from pactlab.evidence.checks import check_consistency
from pactlab.evidence.extract import extract, extract_file, extract_files
from pactlab.evidence.quantities import find_quantities
from pactlab.evidence.records import ActorMention, Check, Evidence, FxYear, Quantity

__all__ = [
    "ActorMention",
    "Check",
    "Evidence",
    "FxYear",
    "Quantity",
    "check_consistency",
    "extract",
    "extract_file",
    "extract_files",
    "find_actors",
    "find_quantities",
]
