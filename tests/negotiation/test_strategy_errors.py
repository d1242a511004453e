"""Strategy specs, user strategy files, and the clear errors for everything that can go wrong."""

from __future__ import annotations

import pytest
from negotiation_helpers import AGENTS, PIE, TRIO

from pactlab.errors import UnknownNameError
from pactlab.negotiation import (
    ACConst,
    ACNext,
    ACTime,
    Response,
    State,
    Strategy,
    StrategyError,
    ac_combi,
    make_strategy,
    run_session,
)


def test_specs_with_parameters():
    s = make_strategy("time:e=0.5:ac=combi:at=0.9")
    assert s.params["e"] == 0.5 and s.params["ac"] == "combi" and s.params["at"] == 0.9
    assert s.describe() == "time:e=0.5:ac=combi:at=0.9"
    assert make_strategy("boulware").params["e"] == 0.2
    assert make_strategy("TFT").name == "tit-for-tat"


@pytest.mark.parametrize(("spec", "message"), [
    ("bulware", "unknown strategy 'bulware'; did you mean 'boulware'?"),
    ("nonsense", "Built-in strategies: boulware, linear, conceder"),
    ("bogus", "unknown strategy 'bogus'. Built-in strategies: boulware,"),
    ("bulware", "did you mean 'boulware'? Built-in strategies: boulware,"),
    ("boulware:e=-1", "parameter e=-1 is out of range; expected a number in [0.001, 1000]"),
    ("boulware:e=fast", "parameter e='fast' is not a number"),
    ("linear:speed=2", "strategy 'linear' has no parameter(s) speed; its parameters are:"),
    ("linear:ac=sometimes", "parameter ac='sometimes' is not one of next, const, time, combi"),
    ("linear:e", "parameter 'e' should be written key=value"),
    ("random:p=2", "parameter p=2 is out of range; expected a number in [0, 1]"),
    ("", "empty strategy spec"),
    ("agents.py", "name the class too, as 'agents.py:ClassName'"),
])
def test_bad_specs(spec, message):
    with pytest.raises((StrategyError, UnknownNameError)) as err:
        make_strategy(spec)
    assert message in str(err.value)


def test_user_strategy_from_file():
    res = run_session(PIE, {"a": f"{AGENTS}:Stubborn:accept_at=0.3", "b": "conceder"}, rounds=30)
    assert res.agreement and res.utilities["a"] >= 0.3
    assert res.trace[0].outcome == {"share": 1.0}  # it opens with its best
    assert res.strategies["a"].endswith("agents.py:Stubborn:accept_at=0.3")


@pytest.mark.parametrize(("cls", "message"), [
    ("Missing", "'Missing' is not defined; Strategy subclasses in the file: Stubborn"),
    ("NotAStrategy", "'NotAStrategy' is not a subclass of Strategy"),
    ("NeedsArgument", "could not be created with parameters {}: TypeError"),
    ("Stubborn:accept_at=2", "parameter accept_at=2 is out of range"),
])
def test_broken_user_strategies_at_load(cls, message):
    with pytest.raises(StrategyError) as err:
        make_strategy(f"{AGENTS}:{cls}")
    assert message in str(err.value)


def test_user_file_that_does_not_import(tmp_path):
    bad = tmp_path / "broken.py"
    bad.write_text("from pactlab.negotiation import Strategy\n\nclass B(Strategy)\n    pass\n")
    with pytest.raises(StrategyError, match=r"failed to import: SyntaxError"):
        make_strategy(f"{bad}:B")
    with pytest.raises(StrategyError, match="does not exist"):
        make_strategy(f"{tmp_path / 'nope.py'}:B")


def test_strategy_that_raises_names_party_phase_and_round():
    with pytest.raises(StrategyError) as err:
        run_session(PIE, {"a": "linear", "b": f"{AGENTS}:RaisesInPropose"}, rounds=10)
    text = str(err.value)
    assert "of party 'b' failed in propose in round 1: RuntimeError: boom" in text


def test_strategy_that_returns_garbage():
    with pytest.raises(StrategyError, match=r"proposed 'the best one' in round 0; an offer is a "
                       r"position 0\.\.100"):
        run_session(PIE, {"a": f"{AGENTS}:BadOffer", "b": "linear"}, rounds=10)


def test_bilateral_only_strategy_in_a_three_party_session():
    with pytest.raises(StrategyError, match="plays two-party negotiations only"):
        run_session(TRIO, {"x": "rubinstein"}, rounds=10)


def test_acceptance_conditions():
    assert ACNext()(0.6, 0.6, 0.0, 0.0) and not ACNext()(0.59, 0.6, 0.0, 0.0)
    assert ACNext(alpha=1.0, beta=0.02)(0.59, 0.6, 0.0, 0.0)
    assert ACConst(0.7)(0.7, 1.0, 0, 0) and not ACConst(0.7)(0.69, 0.0, 0, 0)
    assert ACTime(0.9)(0.0, 1.0, 0.95, 0) and not ACTime(0.9)(1.0, 1.0, 0.5, 0)
    combi = ac_combi(at=0.9)
    assert combi(0.8, 0.7, 0.1, 0.9)  # AC_next holds
    assert not combi(0.5, 0.7, 0.5, 0.4)  # too early for the time clause
    assert combi(0.5, 0.7, 0.95, 0.4) and not combi(0.3, 0.7, 0.95, 0.4)  # best so far?
    assert (ACConst(0.5) & ACTime(0.5))(0.6, 1, 0.6, 0) and not (ACConst(0.5) & ACTime(0.5))(
        0.6, 1, 0.4, 0)


class _YesMan(Strategy):
    """Answers with plain bools, which the protocol accepts as responses."""

    def propose(self, state: State) -> int:
        return self.view.at_least(self.view.u_max)

    def respond(self, state: State, offer: int) -> bool:
        return True


def test_classes_and_bool_responses():
    res = run_session(PIE, {"a": "hardliner", "b": _YesMan}, rounds=10)
    assert res.agreement and res.agreement_round == 0 and res.outcome == {"share": 1.0}


class _WalksAway(Strategy):
    def propose(self, state: State) -> int:
        return self.view.at_least(self.view.u_max)

    def respond(self, state: State, offer: int) -> Response:
        return Response.WALK_AWAY


def test_walking_away_ends_the_session_for_everyone():
    res = run_session(TRIO, {"x": "linear", "y": _WalksAway}, rounds=30)
    assert not res.agreement and res.end == "walk_away" and res.ended_by == "y"
    assert res.rounds_used == 2 and res.trace[-1].action == "walk_away"
    assert res.outcome == {"budget": 1.0, "site": "north", "years": 1.0}  # the status quo
