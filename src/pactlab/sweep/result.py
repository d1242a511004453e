"""A finished sweep: the tidy per-sample table, distributions and probabilities, `--json`.

The stored columns are numbers (option indices, mixed-radix outcome indices); the result
labels them: one row per sample, one column per uncertain number (named by its path), per
solution and issue the agreed option, per party its utility. Summaries are taken over the
samples in which a deal is possible (a solution exists) or, for negotiations, reached.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pactlab.errors import SweepError
from pactlab.kernel.bargaining import SOLUTIONS
from pactlab.model.labels import label_key
from pactlab.result import Result

QUANTILES = (5, 50, 95)
INTERVALS = (50, 80, 90)


def distribution(values: np.ndarray) -> dict[str, Any] | None:
    """Quantiles (5, 50, 95), central 50/80/90% intervals and the mean; None if empty."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return None
    q = lambda p: float(np.quantile(v, p / 100))  # noqa: E731
    return {
        "quantiles": {str(p): q(p) for p in QUANTILES},
        "intervals": {str(c): [q(50 - c / 2), q(50 + c / 2)] for c in INTERVALS},
        "mean": float(v.mean()),
    }


def shares(codes: np.ndarray, options: Sequence[Any]) -> dict[str, float]:
    """Share of each option (by index) among `codes`; every option listed, in order."""
    counts = np.bincount(codes, minlength=len(options)) if len(codes) else np.zeros(
        len(options))
    n = max(1, len(codes))
    return {label_key(o): float(c / n) for o, c in zip(options, counts, strict=True)}


@dataclass(frozen=True, eq=False)
class Layout:
    """What the numbers in the columns mean: issues, options, parties, priors."""

    scenario: str
    target: str
    issue_ids: tuple[str, ...] = ()
    labels: tuple[tuple[Any, ...], ...] = ()
    numeric: tuple[bool, ...] = ()
    status_quo: tuple[Any, ...] | None = None
    party_ids: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    prior_paths: tuple[str, ...] = ()
    prior_names: tuple[tuple[Any, ...] | None, ...] = ()  # option names of categorical priors

    def decode(self, index: np.ndarray) -> np.ndarray:
        """Mixed-radix outcome indices (−1: none) → option index rows (−1: none)."""
        sizes = np.array([len(lab) for lab in self.labels], dtype=np.int64)
        strides = np.ones(len(sizes), dtype=np.int64)
        for i in range(len(sizes) - 2, -1, -1):
            strides[i] = strides[i + 1] * sizes[i + 1]
        rows = (np.maximum(index, 0)[:, None] // strides[None, :]) % sizes[None, :]
        rows[index < 0] = -1
        return rows


@dataclass(frozen=True, eq=False)
class SweepResult(Result):
    """Everything a sweep produced; `to_dict()` is the `--json` shape.

    It follows the result protocol (`pactlab.result.Result`): `to_json`, `_repr_html_`,
    `records()` and `to_frame()` (here the per-sample table) come from there.
    """

    layout: Layout
    columns: dict[str, np.ndarray]
    meta: dict[str, Any]
    sensitivity: dict[str, Any] | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def samples(self) -> int:
        return len(self.columns["sample"])

    # --- per-sample labels ------------------------------------------------------------
    def codes(self, prefix: str) -> np.ndarray:
        """Option index per sample and issue of `prefix`'s outcome (−1: no outcome)."""
        key = f"codes:{prefix}"
        if key not in self._cache:
            self._cache[key] = self.layout.decode(self.columns[f"{prefix}.outcome"])
        return self._cache[key]

    def outcome_labels(self, prefix: str) -> dict[str, np.ndarray]:
        """Per issue, the option of `prefix`'s outcome in each sample (None: no outcome)."""
        lay, rows = self.layout, self.codes(prefix)
        return {iid: np.array([*lay.labels[i], None], dtype=object)[rows[:, i]]
                for i, iid in enumerate(lay.issue_ids)}

    def prediction(self, prefix: str, issue: int) -> np.ndarray:
        """A numeric issue's agreed value per sample; the status quo where none is agreed."""
        lay = self.layout
        fallback = np.nan if lay.status_quo is None else float(lay.status_quo[issue])
        grid = np.array([*(float(v) for v in lay.labels[issue]), fallback])
        return grid[self.codes(prefix)[:, issue]]

    # --- the tidy table ------------------------------------------------------------------
    def table(self) -> Any:
        """One row per sample (pyarrow Table): sampled numbers, then the target's answers."""
        import pyarrow as pa

        lay, cols = self.layout, self.columns
        out: dict[str, Any] = {"sample": cols["sample"]}
        for j, path in enumerate(lay.prior_paths):
            names = lay.prior_names[j]
            x = cols[f"x{j}"]
            out[path] = [names[int(v)] for v in x] if names else x
        for name, values in cols.items():
            if name == "sample" or (name.startswith("x") and name[1:].isdigit()):
                continue
            if name.endswith(".outcome"):
                prefix = name.removesuffix(".outcome")
                for i, (iid, labels) in enumerate(self.outcome_labels(prefix).items()):
                    kind = pa.float64() if lay.numeric[i] else pa.string()
                    out[f"{prefix}.{iid}"] = pa.array(labels, type=kind)
                continue
            if name == "agreement_round":
                out[name] = pa.array(np.where(values < 0, 0, values), mask=values < 0)
                continue
            out[name] = values
        return pa.table(out)

    def to_pandas(self) -> Any:
        """The per-sample table as a pandas DataFrame."""
        return self.table().to_pandas()

    def to_frame(self) -> Any:
        return self.to_pandas()

    def records(self) -> list[dict[str, Any]]:
        """The per-sample table's rows as dicts."""
        return list(self.table().to_pylist())

    def write(self, path: str | Path) -> Path:
        """The per-sample table as Parquet (`.parquet`) or CSV (`.csv`)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".parquet", ".csv"):
            raise SweepError(f"{path}: expected a .parquet or .csv file name for the per-sample "
                             "table")
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq

        table = self.table()
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            if suffix == ".parquet":
                pq.write_table(table, tmp)
            else:
                pcsv.write_csv(table, tmp)
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise SweepError(f"cannot write {path}: {exc.strerror or exc}") from None
        return path

    # --- summaries ------------------------------------------------------------------------
    def _issue_summary(self, prefix: str, ok: np.ndarray) -> dict[str, Any]:
        lay = self.layout
        rows = self.codes(prefix)[ok]
        out: dict[str, Any] = {}
        for i, iid in enumerate(lay.issue_ids):
            entry: dict[str, Any] = {"shares": shares(rows[:, i], lay.labels[i])}
            if lay.numeric[i]:
                grid = np.asarray(lay.labels[i], dtype=float)
                entry.update(distribution(grid[rows[:, i]])
                             or {"quantiles": None, "intervals": None, "mean": None})
            out[iid] = entry
        return out

    def _utilities(self, prefix: str, ok: np.ndarray) -> dict[str, Any]:
        return {p: distribution(self.columns[f"{prefix}.u.{p}"][ok])
                for p in self.layout.party_ids}

    def _json_items(self, full: bool) -> Iterator[tuple[str, Any]]:
        """The `--json` object (see the README's sweep section for the shape)."""
        yield from self._summary().items()

    def _summary(self) -> dict[str, Any]:
        cols, lay = self.columns, self.layout
        out: dict[str, Any] = {
            "scenario": lay.scenario, "target": lay.target, "samples": self.samples,
            **{k: self.meta.get(k) for k in ("seed", "design", "engine", "run_id")},
            "priors": self.meta.get("priors", []),
            "p_deal_possible": float(cols["zopa"].mean()) if "zopa" in cols else None,
        }
        if lay.target == "analyze":
            out["solutions"] = {
                name: {"issues": self._issue_summary(name, cols[f"{name}.outcome"] >= 0),
                       "utilities": self._utilities(name, cols[f"{name}.outcome"] >= 0)}
                for name in SOLUTIONS
            }
        elif lay.target == "negotiate":
            ok = cols["agreement"]
            out["p_agreement"] = float(ok.mean())
            rounds = cols["agreement_round"]
            out["negotiation"] = {
                "issues": self._issue_summary("negotiation", ok),
                "utilities": self._utilities("negotiation", np.ones(len(ok), dtype=bool)),
                "agreement_round": distribution(rounds[rounds >= 0]),
            }
        elif lay.target == "linkage":
            ok = cols["package"]
            out["linkage"] = {
                "p_package": float(ok.mean()),
                "p_separate_feasible": float(cols["separate_feasible"].mean()),
                "gain": {p: distribution(cols[f"gain.{p}"][ok]) for p in lay.party_ids},
            }
        else:
            out["forecast"] = {"dimensions": {d: distribution(cols[f"forecast.{d}"])
                                              for d in lay.dimensions}}
        out["sensitivity"] = self.sensitivity
        return out

    def __repr__(self) -> str:
        d = self.to_dict()
        head = (f"SweepResult({d['scenario']!r}, {d['target']}: {d['samples']} samples, "
                f"seed {d['seed']}, run {d['run_id']})")
        if d.get("p_deal_possible") is not None:
            head += f"\n  P(deal possible) = {d['p_deal_possible']:.3f}"
        if d.get("p_agreement") is not None:
            head += f"\n  P(agreement) = {d['p_agreement']:.3f}"
        return head
