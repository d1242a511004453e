"""Sampling designs: points of the unit hypercube, one row per sample, one column per prior.

Every design is generated whole from its seed before any sample runs, and each prior
maps its column to values by its inverse CDF (`Prior.values`). A sample is thus a pure
function of (design, seed, index): batches can run on any worker, in any order, on
either engine, and a resumed run recomputes exactly the samples it lacks.

- `mc`: independent uniforms from numpy's PCG64 generator.
- `sobol`: a scrambled Sobol' sequence (scipy.stats.qmc); best at powers of two.
- `lhs`: a Latin hypercube (scipy.stats.qmc).
- `saltelli`: Saltelli's extension of a Sobol' sequence (SALib), the design the
  variance-based sensitivity indices need: N·(D + 2) rows for N base samples.
"""

from __future__ import annotations

import warnings

import numpy as np

from pactlab.errors import SweepError

DESIGNS = ("mc", "sobol", "lhs")


def unit_design(design: str, n: int, d: int, seed: int) -> np.ndarray:
    """An (n, d) design on [0, 1)^d; `d` = 0 gives n empty rows."""
    if design not in DESIGNS:
        raise SweepError(f"unknown design {design!r}; expected one of {', '.join(DESIGNS)}")
    if d == 0:
        return np.empty((n, 0))
    if design == "mc":
        return np.random.Generator(np.random.PCG64(seed)).random((n, d))
    from scipy.stats import qmc

    if design == "sobol":
        with warnings.catch_warnings():  # balance properties need 2^m points: only a hint
            warnings.simplefilter("ignore", UserWarning)
            return qmc.Sobol(d, scramble=True, rng=seed).random(n)
    return qmc.LatinHypercube(d, rng=seed).random(n)


def saltelli_design(base: int, d: int, seed: int) -> np.ndarray:
    """Saltelli's design for first- and total-order Sobol' indices: base·(d + 2) rows."""
    from SALib.sample import sobol

    problem = {"num_vars": d, "names": [f"x{j}" for j in range(d)], "bounds": [[0, 1]] * d}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sobol.sample(problem, base, calc_second_order=False, scramble=True, seed=seed)
