"""Sweeps: priors on a scenario's numbers, Monte Carlo and quasi-random designs, targets
(analyze, negotiate, linkage, forecast) run on many samples, sensitivity, engines (local
processes, Ray) and a resumable run store (SQLAlchemy).

>>> import pactlab.sweep as sw
>>> res = sw.sweep("sma-2019", samples=1000, noise="weights=0.3")  # doctest: +SKIP
>>> res.to_dict()["p_deal_possible"], res.to_pandas()              # doctest: +SKIP
"""

from pactlab.sweep.engine import LocalEngine, RayEngine, make_engine
from pactlab.sweep.result import SweepResult
from pactlab.sweep.run import SweepSpec, resume, stored_result, sweep
from pactlab.sweep.store import Run, RunStore

__all__ = [
    "LocalEngine",
    "RayEngine",
    "Run",
    "RunStore",
    "SweepResult",
    "SweepSpec",
    "make_engine",
    "resume",
    "stored_result",
    "sweep",
]
