"""An issue's options and how a value given by a user names one: the single set of rules.

Scenario validation (a status quo), compiled domains (offers from the command line,
outcomes from the API) and the negotiation and sweep layers all find an option with
`option_index`, so a value means the same option everywhere:

- a categorical option matches by its name;
- a number matches a numeric option within `LABEL_TOLERANCE` (relative above 1),
  given as a number or as text ("1.2", as the command line passes it);
- on a discretised range (a *grid*), any number within the range stands for the
  nearest grid point: that is how a range's status quo or an offer is placed on it,
  and `snapped` says when that moved the number.
"""

from __future__ import annotations

from collections.abc import Sequence

from pactlab.errors import listing

Label = float | str
LABEL_TOLERANCE = 1e-9


def label_key(label: Label) -> str:
    """How an option is named as a table key: categorical names as is, numbers like `1.5`."""
    if isinstance(label, str):
        return label
    return f"{label:.12g}"


def same_number(x: float, label: float) -> bool:
    """Whether `x` names the numeric option `label` (within the tolerance)."""
    return abs(x - label) <= LABEL_TOLERANCE * max(1.0, abs(label))


def grid_labels(values: list[float] | None, options: list[str] | None,
                rng: Sequence[float] | None, steps: int | None) -> list[Label]:
    """An issue's options: its values, its option names, or `steps` points over its range."""
    if values is not None:
        return [float(v) for v in values]
    if options is not None:
        return list(options)
    if rng is None or steps is None or steps < 2 or len(rng) != 2 or rng[0] >= rng[1]:
        return []
    lo, hi = rng
    # rounded to 12 significant digits so that 0.1 steps print as 0.1, not 0.09999999999999999
    return [float(f"{lo + (hi - lo) * k / (steps - 1):.12g}") for k in range(steps)]


def as_number(label: object) -> float | None:
    """`label` as a finite number (numbers, or text that reads as one), else None."""
    if isinstance(label, bool):
        return None
    try:
        x = float(label)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return x if x == x and abs(x) != float("inf") else None


def option_index(labels: Sequence[Label], label: object, grid: bool = False) -> int:
    """Position of `label` among an issue's options `labels` (see the module doc).

    Raises `ValueError` saying what was expected ("expected one of a, b, c"; at most 20
    options are listed); the caller adds which issue and value it was about.
    """
    if not labels:
        raise ValueError("the issue has no options")
    if isinstance(labels[0], str):
        name = str(label)
        if name in labels:
            return list(labels).index(name)
        raise ValueError(f"expected one of {listing(labels)}")
    x = as_number(label)
    if x is None:
        raise ValueError("expected a number")
    numbers = [float(v) for v in labels]
    best = min(range(len(numbers)), key=lambda k: abs(numbers[k] - x))
    if grid:
        lo, hi = min(numbers), max(numbers)
        tol = LABEL_TOLERANCE * max(1.0, abs(lo), abs(hi))
        if lo - tol <= x <= hi + tol:
            return best
        raise ValueError(f"expected a number in [{label_key(lo)}, {label_key(hi)}]")
    if same_number(x, numbers[best]):
        return best
    raise ValueError(f"expected one of {listing(label_key(v) for v in numbers)}")


def snapped(labels: Sequence[Label], label: object, index: int) -> bool:
    """Whether the number `label` was moved to reach option `index` (a grid's nearest point)."""
    x = as_number(label)
    option = labels[index]
    return x is not None and not isinstance(option, str) and not same_number(x, option)
