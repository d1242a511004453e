# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # The 2019 US–ROK cost-sharing talks, step by step
#
# A walk through pactlab on the built-in `sma-2019` scenario: the analysis, an
# offer, the value of linking issues, a simulated negotiation, a stakeholder
# forecast and a sweep over uncertain weights. Open it in Jupyter with jupytext
# (`jupytext --to notebook examples/sma_2019_walkthrough.py`) or run it as a
# script; `make test` runs it. Every result shows as a table in Jupyter and has
# `.plot()` (a plotly figure) and `.to_frame()` (a pandas DataFrame).

# %%
import pactlab as pl
from pactlab.forecast import load_stakeholders, run_forecast
from pactlab.negotiation import run_session
from pactlab.sweep import sweep

sc = pl.load_scenario("sma-2019")
[(p.id, p.reservation) for p in sc.parties]

# %% [markdown]
# ## The utility space
# Three parties: the US, the ROK government and the ruling Democratic Party,
# whose votes the agreement needs. The frontier and the four bargaining
# solutions:

# %%
res = pl.analyze(sc)
print(res)
frontier = res.to_frame()
assert len(frontier) == len(res.pareto)
frontier.head()

# %%
fig = res.plot(pair=("us", "rok"))  # the US–ROK plane, with parallel coordinates below
assert {t.name for t in fig.data} >= {"Nash", "status quo"}
fig

# %% [markdown]
# ## An offer: $1.2 billion a year, troops kept
# Issues left out stay at the status quo. Is it rational for every party, and
# what beats it?

# %%
ev = pl.evaluate_offer(sc, {"payment": 1.2, "troops": "keep"})
print(ev.offer.utilities, "Pareto-optimal:", ev.pareto_optimal)
ev.plot()

# %% [markdown]
# ## One package or separate tracks?

# %%
link = pl.linkage_value(sc)
print(link.gain)
link.plot()

# %% [markdown]
# ## A simulated negotiation
# The US plays Boulware (concedes late), the others concede linearly.

# %%
session = run_session(sc, {"us": "boulware", "rok": "linear", "dpk": "linear"}, seed=1)
print(session)
session.to_frame().tail()

# %%
session.plot()

# %% [markdown]
# ## Where do the stakeholders settle?
# The Bueno de Mesquita expected-utility model on the scenario's stakeholder set.

# %%
forecast = run_forecast(load_stakeholders("sma-2019"), "bdm")
print(forecast)
forecast.plot()

# %% [markdown]
# ## How much do the conclusions depend on the weights?
# 200 samples with every weight scaled by a log-normal factor (σ = 0.3) and every
# reservation moved by up to ±0.05.

# %%
swept = sweep("sma-2019", samples=200, noise="weights=0.3,reservations=0.05", workers=1)
summary = swept.to_dict()
print(f"P(deal possible) = {summary['p_deal_possible']:.2f}")
assert 0.0 <= summary["p_deal_possible"] <= 1.0
swept.plot()
