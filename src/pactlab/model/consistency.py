"""Checks of a scenario's internal consistency that warn rather than refuse.

A reservation is a party's utility of no agreement. When no agreement means
the status quo stays (`no_deal = "status_quo"`, the default), each reservation
should be that party's utility of the status quo: a reservation above it
makes the party refuse deals that beat what it would actually get, one below
it makes the party accept deals worse than walking away. A scenario whose
status quo lapses without a deal says so with `no_deal = "reservations"`: the
reservations then price the lapse and are not compared.
"""

from __future__ import annotations

from pactlab.model.schema import Scenario

RESERVATION_TOLERANCE = 0.01


def status_quo_utilities(sc: Scenario) -> dict[str, float] | None:
    """Each party's utility of the status quo (None when an issue has no status quo)."""
    # numpy and the domain load here, not with the module: `pactlab validate` checks
    # scenarios whose status quo lapses (no_deal = "reservations") without them
    import numpy as np

    from pactlab.model.domain import compile_domain

    domain = compile_domain(sc)
    if domain.status_quo is None:
        return None
    u = domain.utilities_of_rows(np.asarray(domain.status_quo)[None, :])[0]
    return {p: float(x) for p, x in zip(domain.party_ids, u, strict=True)}


def reservation_warnings(sc: Scenario) -> list[str]:
    """Warnings for reservations that contradict a no-deal status quo."""
    if sc.no_deal != "status_quo":
        return []
    utilities = status_quo_utilities(sc)
    if utilities is None:
        return []
    return [
        f"parties[{n}].reservation: {party.reservation:g} but no deal leaves the status quo, "
        f"worth {utilities[party.id]:.3f} to {party.id!r}; set the reservation to it, or "
        "say no_deal = \"reservations\" if the status quo lapses without a deal"
        for n, party in enumerate(sc.parties)
        if abs(party.reservation - utilities[party.id]) > RESERVATION_TOLERANCE
    ]
