"""Backtests: every method's prediction for cases whose outcome is known, scored.

>>> import pactlab.backtest as bt
>>> res = bt.backtest(["sma-2019"])                  # doctest: +SKIP
>>> [(row.method, row.error) for row in res.summary]  # doctest: +SKIP
"""

from pactlab.backtest.cases import case_paths, library, load_cases
from pactlab.backtest.results import Backtest, CaseResult, MethodResult, SummaryRow
from pactlab.backtest.run import backtest, backtest_case
from pactlab.backtest.scoring import Prediction, Score, issue_error, score, split, status_quo

__all__ = [
    "Backtest",
    "CaseResult",
    "MethodResult",
    "Prediction",
    "Score",
    "SummaryRow",
    "backtest",
    "backtest_case",
    "case_paths",
    "issue_error",
    "library",
    "load_cases",
    "score",
    "split",
    "status_quo",
]
