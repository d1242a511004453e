"""The figure registry: `Result.plot()` looks up its result type here at call time.

Lower layers never import this module; `pactlab.result.Result.plot` imports it
by name, so figures (and plotly) are loaded only when a figure is asked for.
A figure function takes the result and keyword options and returns a plotly
`Figure`; `register` files it under the result's type name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FigureFunction = Callable[..., Any]
FIGURES: dict[str, FigureFunction] = {}


def register(*type_names: str) -> Callable[[FigureFunction], FigureFunction]:
    """Decorator: file a figure function under the names of the result types it draws."""
    def wrap(fn: FigureFunction) -> FigureFunction:
        for name in type_names:
            FIGURES[name] = fn
        return fn
    return wrap


def figure(result: Any, **options: Any) -> Any:
    """The figure of `result`, from the function registered for its type (or a base type)."""
    for cls in type(result).__mro__:
        fn = FIGURES.get(cls.__name__)
        if fn is not None:
            return fn(result, **options)
    known = ", ".join(sorted(FIGURES)) or "none yet"
    raise TypeError(f"no figure for a {type(result).__name__}; figures exist for: {known}")
