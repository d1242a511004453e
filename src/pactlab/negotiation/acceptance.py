"""Acceptance conditions (Baarslag, Hindriks & Jonker 2014, "Effective acceptance conditions").

Each condition looks at the utility `u` of the offer received, the utility
`upcoming` of the counter-offer the party would make instead, the relative time
`t` and the best utility received so far. They combine with `|` and `&`.
The reservation floor is not theirs to check: strategies never accept below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pactlab.negotiation.base import EPS


class Acceptance:
    """A predicate on (u, upcoming, t, best received)."""

    def __call__(self, u: float, upcoming: float, t: float, best: float) -> bool:
        raise NotImplementedError

    def __or__(self, other: Acceptance) -> Acceptance:
        return AnyOf((self, other))

    def __and__(self, other: Acceptance) -> Acceptance:
        return AllOf((self, other))


@dataclass(frozen=True)
class ACNext(Acceptance):
    """Accept when α·u + β is at least what I would offer next (AC_next(α, β))."""

    alpha: float = 1.0
    beta: float = 0.0

    def __call__(self, u: float, upcoming: float, t: float, best: float) -> bool:
        return self.alpha * u + self.beta >= upcoming - EPS


@dataclass(frozen=True)
class ACConst(Acceptance):
    """Accept any offer worth at least a constant `c` (AC_const(c))."""

    c: float = 0.8

    def __call__(self, u: float, upcoming: float, t: float, best: float) -> bool:
        return u >= self.c - EPS


@dataclass(frozen=True)
class ACTime(Acceptance):
    """Accept anything once relative time reaches `at` (AC_time(T)); floors still apply."""

    at: float = 0.99

    def __call__(self, u: float, upcoming: float, t: float, best: float) -> bool:
        return t >= self.at


@dataclass(frozen=True)
class ACBest(Acceptance):
    """Accept an offer at least as good as the best received before (MAX over the past)."""

    def __call__(self, u: float, upcoming: float, t: float, best: float) -> bool:
        return u >= best - EPS


@dataclass(frozen=True)
class AnyOf(Acceptance):
    parts: tuple[Acceptance, ...]

    def __call__(self, u: float, upcoming: float, t: float, best: float) -> bool:
        return any(p(u, upcoming, t, best) for p in self.parts)


@dataclass(frozen=True)
class AllOf(Acceptance):
    parts: tuple[Acceptance, ...]

    def __call__(self, u: float, upcoming: float, t: float, best: float) -> bool:
        return all(p(u, upcoming, t, best) for p in self.parts)


def ac_combi(at: float = 0.99, alpha: float = 1.0, beta: float = 0.0) -> Acceptance:
    """AC_combi(T, MAX): AC_next, or after time T any offer as good as the best seen so far."""
    return ACNext(alpha, beta) | (ACTime(at) & ACBest())


ACCEPTANCE_NAMES = ("next", "const", "time", "combi")


def make_acceptance(name: str, *, alpha: float, beta: float, c: float, at: float) -> Acceptance:
    """The acceptance condition a strategy's `ac` parameter names."""
    if name == "next":
        return ACNext(alpha, beta)
    if name == "const":
        return ACConst(c)
    if name == "time":
        return ACTime(at)
    if name == "combi":
        return ac_combi(at, alpha, beta)
    raise ValueError(f"unknown acceptance condition {name!r}")  # guarded by Param choices
