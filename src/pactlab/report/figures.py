"""The figure registry: `Result.plot()` looks up its result type here at call time.

Lower layers never import the report layer; `pactlab.result.Result.plot` imports
this module by name, so figures (and plotly) load only when a figure is asked
for. A figure function takes the result and keyword options and returns a
plotly `Figure`; `register` files it under the names of the result types it
draws, and the modules in `FIGURE_MODULES` are imported on the first lookup.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

FigureFunction = Callable[..., Any]
FIGURES: dict[str, FigureFunction] = {}
FIGURE_MODULES = (
    "pactlab.report.space",
    "pactlab.report.sessions",
    "pactlab.report.forecasts",
    "pactlab.report.backtests",
    "pactlab.report.sweeps",
)


def register(*type_names: str) -> Callable[[FigureFunction], FigureFunction]:
    """Decorator: file a figure function under the names of the result types it draws."""
    def wrap(fn: FigureFunction) -> FigureFunction:
        for name in type_names:
            FIGURES[name] = fn
        return fn
    return wrap


def figure(result: Any, **options: Any) -> Any:
    """The figure of `result`, from the function registered for its type (or a base type)."""
    for module in FIGURE_MODULES:
        importlib.import_module(module)
    for cls in type(result).__mro__:
        fn = FIGURES.get(cls.__name__)
        if fn is not None:
            return fn(result, **options)
    known = ", ".join(sorted(FIGURES))
    raise TypeError(f"no figure for a {type(result).__name__}; figures exist for: {known}")
