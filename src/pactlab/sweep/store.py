"""The run store: every sweep's parameters and its samples, batch by batch, in SQL.

SQLAlchemy 2 Core over two tables. `runs` holds one row per sweep: the scenario's content
hash, pactlab's version, the command and parameters, seed, engine, times and status.
`batches` holds the samples, one row per batch (its columns as Arrow IPC bytes), keyed by
(run, first sample): a batch is committed in one transaction together with the run's
count of done samples, so a crash loses at most the batches in flight and a resumed run
can neither lose nor duplicate a sample.

The default store is a SQLite file in the user data directory; `PACTLAB_STORE` or
`--store` name another file or any SQLAlchemy URL (PostgreSQL is tested).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pactlab.errors import StoreError

STORE_ENV = "PACTLAB_STORE"
STATUSES = ("running", "interrupted", "failed", "finished")


def default_location() -> str:
    """`PACTLAB_STORE`, else runs.sqlite in the user data directory."""
    env = os.environ.get(STORE_ENV)
    if env:
        return env
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("pactlab", appauthor=False)) / "runs.sqlite")


def store_url(location: str) -> str:
    """A SQLAlchemy URL from a URL or a file path (a SQLite file)."""
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Run:
    """One sweep as the store records it."""

    id: str
    status: str
    scenario: str
    scenario_hash: str
    target: str
    samples: int
    done: int
    seed: int
    engine: str
    version: str
    command: list[str]
    params: dict[str, Any]
    started: dt.datetime
    finished: dt.datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.id, "status": self.status, "scenario": self.scenario,
            "scenario_hash": self.scenario_hash, "target": self.target,
            "samples": self.samples, "done": self.done, "seed": self.seed,
            "engine": self.engine, "version": self.version, "command": self.command,
            "params": self.params, "started": self.started.isoformat() + "Z",
            "finished": None if self.finished is None else self.finished.isoformat() + "Z",
        }


class RunStore:
    """Runs and their batches of samples in a SQL database."""

    def __init__(self, location: str | None = None):
        import sqlalchemy as sa
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

        self.location = location or default_location()
        url = store_url(self.location)
        self.url = url
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            path = Path(url.removeprefix("sqlite:///"))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder of the run store {path}: "
                                 f"{exc.strerror}") from None
        try:
            self.engine = sa.create_engine(url)
        except (NoSuchModuleError, ArgumentError, ImportError, ValueError) as exc:
            raise StoreError(
                f"cannot open the run store {self._shown()}: the installed database drivers "
                f"cannot open this URL ({_first_line(exc)}); use a SQLite file path or a "
                "postgresql+psycopg:// URL") from None
        meta = sa.MetaData()
        self.runs = sa.Table(
            "pactlab_runs", meta,
            sa.Column("id", sa.String(32), primary_key=True),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("scenario", sa.Text, nullable=False),
            sa.Column("scenario_hash", sa.String(64), nullable=False),
            sa.Column("target", sa.String(16), nullable=False),
            sa.Column("samples", sa.BigInteger, nullable=False),
            sa.Column("done", sa.BigInteger, nullable=False),
            sa.Column("seed", sa.BigInteger, nullable=False),
            sa.Column("engine", sa.String(16), nullable=False),
            sa.Column("version", sa.String(32), nullable=False),
            sa.Column("command", sa.Text, nullable=False),
            sa.Column("params", sa.Text, nullable=False),
            sa.Column("started", sa.DateTime, nullable=False),
            sa.Column("finished", sa.DateTime),
        )
        self.batches = sa.Table(
            "pactlab_batches", meta,
            sa.Column("run_id", sa.String(32), sa.ForeignKey("pactlab_runs.id"),
                      primary_key=True),
            sa.Column("start", sa.BigInteger, primary_key=True),
            sa.Column("stop", sa.BigInteger, nullable=False),
            sa.Column("data", sa.LargeBinary, nullable=False),
        )
        self._sa = sa
        try:
            _create_tables(meta, self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the run store {self._shown()}: "
                             f"{_first_line(exc.orig if hasattr(exc, 'orig') else exc)}; "
                             "choose a writable file (--store PATH) or a reachable URL"
                             ) from None

    def _shown(self) -> str:
        """The location without a password."""
        try:
            from sqlalchemy.engine import make_url

            return make_url(store_url(self.location)).render_as_string(hide_password=True)
        except Exception:  # an unparsable URL: shown as given
            return self.location

    def _write(self, fn: Any) -> Any:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.begin() as conn:
                return fn(conn)
        except SQLAlchemyError as exc:
            if "IntegrityError" in type(exc).__name__:
                raise
            raise StoreError(f"cannot write to the run store {self._shown()}: "
                             f"{_first_line(getattr(exc, 'orig', exc))}") from None

    # --- runs ---------------------------------------------------------------------
    def create(self, run_id: str, *, scenario: str, scenario_hash: str, target: str,
               samples: int, seed: int, engine: str, command: list[str],
               params: dict[str, Any]) -> None:
        from pactlab import __version__

        self._write(lambda c: c.execute(self.runs.insert().values(
            id=run_id, status="running", scenario=scenario, scenario_hash=scenario_hash,
            target=target, samples=samples, done=0, seed=seed, engine=engine,
            version=__version__, command=json.dumps(command), params=json.dumps(params),
            started=_now(), finished=None)))

    def get(self, run_id: str) -> Run:
        with self.engine.connect() as conn:
            row = conn.execute(self.runs.select().where(self.runs.c.id == run_id)).first()
            if row is None:
                ids = [r[0] for r in conn.execute(
                    self._sa.select(self.runs.c.id).where(
                        self.runs.c.id.startswith(run_id[:4]))).all()] if run_id else []
        if row is None:
            hint = f"; did you mean {', '.join(ids[:3])}?" if ids else ""
            raise StoreError(f"no run {run_id!r} in the run store {self._shown()}{hint} "
                             "(`pactlab runs list` shows them)")
        return _run(row)

    def list(self) -> list[Run]:
        with self.engine.connect() as conn:
            rows = conn.execute(self.runs.select().order_by(self.runs.c.started.desc())).all()
        return [_run(r) for r in rows]

    def set_status(self, run_id: str, status: str, engine: str | None = None) -> None:
        values: dict[str, Any] = {"status": status,
                                  "finished": _now() if status == "finished" else None}
        if engine is not None:
            values["engine"] = engine
        self._write(lambda c: c.execute(
            self.runs.update().where(self.runs.c.id == run_id).values(**values)))

    def delete(self, run_id: str) -> None:
        self.get(run_id)

        def drop(conn: Any) -> None:
            conn.execute(self.batches.delete().where(self.batches.c.run_id == run_id))
            conn.execute(self.runs.delete().where(self.runs.c.id == run_id))

        self._write(drop)

    # --- batches --------------------------------------------------------------------
    def commit_batch(self, run_id: str, columns: dict[str, np.ndarray]) -> bool:
        """Store one batch and count its samples, in one transaction.

        False when the batch was already stored (a resumed run racing an old one): the
        sample count is then left alone, so nothing is counted twice.
        """
        from sqlalchemy.exc import IntegrityError

        sample = columns["sample"]
        start, stop = int(sample[0]), int(sample[-1]) + 1

        def write(conn: Any) -> None:
            conn.execute(self.batches.insert().values(
                run_id=run_id, start=start, stop=stop, data=encode(columns)))
            conn.execute(self.runs.update().where(self.runs.c.id == run_id).values(
                done=self.runs.c.done + (stop - start)))

        try:
            self._write(write)
        except IntegrityError:
            return False
        return True

    def done_starts(self, run_id: str) -> set[int]:
        with self.engine.connect() as conn:
            rows = conn.execute(self._sa.select(self.batches.c.start).where(
                self.batches.c.run_id == run_id)).all()
        return {int(r[0]) for r in rows}

    def read_batches(self, run_id: str) -> Iterator[dict[str, np.ndarray]]:
        """The run's batches in sample order, decoded."""
        with self.engine.connect() as conn:
            result = conn.execute(self.batches.select().where(
                self.batches.c.run_id == run_id).order_by(self.batches.c.start))
            for row in result:
                yield decode(row.data)


def _create_tables(meta: Any, engine: Any, attempts: int = 3) -> None:
    """Create the store's tables unless they exist.

    Two processes opening a new store at once (a sweep and `pactlab runs list`, two
    sweeps) may both find no table and both create it; the loser's error only means the
    winner was first, so the check is made again.
    """
    from sqlalchemy.exc import SQLAlchemyError

    for attempt in range(attempts):
        try:
            meta.create_all(engine)
            return
        except SQLAlchemyError:
            if attempt == attempts - 1:
                raise


def _run(row: Any) -> Run:
    return Run(id=row.id, status=row.status, scenario=row.scenario,
               scenario_hash=row.scenario_hash, target=row.target, samples=int(row.samples),
               done=int(row.done), seed=int(row.seed), engine=row.engine, version=row.version,
               command=json.loads(row.command), params=json.loads(row.params),
               started=row.started, finished=row.finished)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def encode(columns: dict[str, np.ndarray]) -> bytes:
    """Columns as Arrow IPC stream bytes."""
    import pyarrow as pa

    table = pa.table({k: _arrow(pa, np.asarray(v)) for k, v in columns.items()})
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _arrow(pa: Any, v: np.ndarray) -> Any:
    """A 1-d numpy column as an Arrow array, built on its buffer.

    `pa.array` would do, but on numpy input it imports pandas (when installed) to rule
    out pandas types: most of a second of every sweep spent on nothing.
    """
    if v.ndim != 1 or not (v.dtype == bool or v.dtype.kind in "iuf"):
        return pa.array(v)
    if v.dtype == bool:
        return pa.Array.from_buffers(pa.bool_(), len(v), [None, pa.py_buffer(
            np.packbits(v, bitorder="little"))])
    return pa.Array.from_buffers(pa.from_numpy_dtype(v.dtype), len(v),
                                 [None, pa.py_buffer(np.ascontiguousarray(v))])


def decode(data: bytes) -> dict[str, np.ndarray]:
    import pyarrow as pa

    table = pa.ipc.open_stream(io.BytesIO(bytes(data))).read_all()
    return {name: _numpy(pa, table.column(name).combine_chunks())
            for name in table.column_names}


def _numpy(pa: Any, arr: Any) -> np.ndarray:
    """An Arrow column as numpy, read from its buffer (`to_numpy` imports pandas)."""
    t = arr.type
    if arr.null_count:
        return np.asarray(arr.to_numpy(zero_copy_only=False))
    if pa.types.is_boolean(t):
        if not len(arr):
            return np.empty(0, dtype=bool)
        bits = np.unpackbits(np.frombuffer(arr.buffers()[1], np.uint8), bitorder="little")
        return bits[arr.offset:arr.offset + len(arr)].astype(bool)
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        kind = "f" if pa.types.is_floating(t) else "i" if pa.types.is_signed_integer(t) else "u"
        dtype = np.dtype(f"{kind}{t.bit_width // 8}")
        if not len(arr):
            return np.empty(0, dtype=dtype)
        return np.frombuffer(arr.buffers()[1], dtype, len(arr), arr.offset * dtype.itemsize)
    return np.asarray(arr.to_numpy(zero_copy_only=False))
