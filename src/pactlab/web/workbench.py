"""What the web app serves from: the known scenarios, uploads, caches and background sweeps.

Requests name scenarios by id only. An id is a built-in scenario, a case of the library
or an upload; nothing a request sends is ever used as a path on the server. Uploads are
written to one temporary folder the server owns (so that sweeps, which re-read their
scenario, can find them) and validated exactly as the CLI validates files, with the
same messages, the temporary folder's name taken out.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pactlab.analysis.analyze import Analysis, analyze
from pactlab.errors import OfferError, PactlabError, RequestError, UnknownNameError
from pactlab.model.loading import builtin_ids, case_ids, load_file, load_scenario
from pactlab.model.schema import Scenario
from pactlab.negotiation.registry import strategy_names
from pactlab.result import to_json

MAX_UPLOAD = 1 << 20  # bytes
MAX_UPLOADS = 50  # uploaded scenarios kept; the oldest go first
MAX_SWEEP_SAMPLES = 20_000
MAX_ANSWERS = 512  # JSON answers kept (every answer is a pure function of its request)
UPLOAD_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Entry:
    """A scenario the app knows: where it came from and its file."""

    id: str
    kind: str  # "built-in", "case" or "upload"
    path: Path | None  # the upload's file in the server's temporary folder
    scenario: Scenario


class Workbench:
    """The state of one server: uploads in a private temporary folder, a run store, a
    one-thread pool for sweeps (the sweep engine uses its own worker processes)."""

    def __init__(self, store: str | None = None, sweep_workers: int = 1) -> None:
        self.store_location = store
        self.upload_dir = Path(tempfile.mkdtemp(prefix="pactlab-uploads-"))
        self.uploads: OrderedDict[str, Entry] = OrderedDict()
        self.sweep_workers = sweep_workers
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pactlab-sweep")
        self.jobs: dict[str, Future[Any]] = {}
        self.failures: dict[str, str] = {}
        self.lock = threading.Lock()
        self._store: Any = None
        self.answers: OrderedDict[tuple[Any, ...], str] = OrderedDict()

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.upload_dir, ignore_errors=True)

    # --- scenarios -------------------------------------------------------------------
    def listing(self) -> list[dict[str, Any]]:
        rows = [self._row(i, "built-in") for i in builtin_ids()]
        rows += [self._row(i, "case") for i in case_ids()]
        rows += [{"id": e.id, "kind": "upload", "title": e.scenario.title,
                  "parties": [p.id for p in e.scenario.parties],
                  "outcomes": e.scenario.outcome_count} for e in self.uploads.values()]
        return rows

    def _row(self, sid: str, kind: str) -> dict[str, Any]:
        sc = builtin_scenario(sid)
        return {"id": sid, "kind": kind, "title": sc.title, "parties": [p.id for p in sc.parties],
                "outcomes": sc.outcome_count}

    def entry(self, sid: str) -> Entry:
        """The scenario of an id; unknown ids are an `UnknownNameError` (never a path)."""
        if sid in self.uploads:
            return self.uploads[sid]
        if sid in builtin_ids() or sid in case_ids():
            kind = "built-in" if sid in builtin_ids() else "case"
            return Entry(sid, kind, None, builtin_scenario(sid))
        raise UnknownNameError(f"unknown scenario {sid!r}; see the scenario list")

    def analysis(self, sid: str) -> Analysis:
        entry = self.entry(sid)
        if entry.kind == "upload":
            return _upload_analysis(entry)
        return builtin_analysis(sid)

    def sweep_source(self, sid: str) -> str:
        """What the sweep engine loads: a built-in id, or the upload's file."""
        entry = self.entry(sid)
        return str(entry.path) if entry.path is not None else sid

    def answer(self, key: tuple[Any, ...], make: Callable[[], Any]) -> str:
        """The JSON text of `make()`, computed once per key (scenarios never change: an
        upload's id carries its content hash), the least recently used forgotten first."""
        with self.lock:
            if key in self.answers:
                self.answers.move_to_end(key)
                return self.answers[key]
        text = to_json(make())
        with self.lock:
            self.answers[key] = text
            while len(self.answers) > MAX_ANSWERS:
                self.answers.popitem(last=False)
        return text

    # --- uploads ---------------------------------------------------------------------
    def upload(self, files: list[tuple[str, bytes]]) -> Entry:
        """Validate an uploaded scenario: one TOML file, or a GENIUS domain then profiles."""
        if not files:
            raise RequestError("no file was uploaded; choose a scenario .toml file (or a GENIUS "
                              "domain .xml followed by its profiles)")
        total = sum(len(data) for _, data in files)
        if total > MAX_UPLOAD:
            raise RequestError(f"the upload is {total:,} bytes; at most {MAX_UPLOAD:,} bytes "
                              "(1 MiB) are accepted")
        digest = hashlib.sha256(b"".join(d for _, d in files)).hexdigest()[:12]
        folder = self.upload_dir / digest
        folder.mkdir(exist_ok=True)
        names = _safe_names([n for n, _ in files])
        paths = [folder / n for n in names]
        for path, (_, data) in zip(paths, files, strict=True):
            path.write_bytes(data)
        try:
            path = self._scenario_file(paths, folder)
            sc = load_file(path)
        except (PactlabError, ValueError) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise RequestError(_without(str(exc), folder)) from None
        except RecursionError:
            shutil.rmtree(folder, ignore_errors=True)
            raise RequestError(f"{names[0]}: nested too deeply to be read (arrays or tables "
                               "inside each other thousands of levels deep); expected a "
                               "scenario file") from None
        entry = Entry(f"{sc.id}-{digest[:6]}", "upload", path, sc)
        with self.lock:
            self.uploads[entry.id] = entry
            while len(self.uploads) > MAX_UPLOADS:
                self.uploads.popitem(last=False)
        return entry

    @staticmethod
    def _scenario_file(paths: list[Path], folder: Path) -> Path:
        """The scenario TOML of an upload; GENIUS files are imported into one first."""
        if len(paths) == 1:
            if paths[0].suffix.lower() != ".toml":
                raise RequestError(f"{paths[0].name}: expected a scenario .toml file, or a "
                                  "GENIUS domain .xml uploaded together with its profiles")
            return paths[0]
        if any(p.suffix.lower() != ".xml" for p in paths):
            raise RequestError("several files are read as GENIUS: the domain .xml first, then "
                              "one profile .xml per party")
        import tomli_w

        from pactlab.interop.genius import genius_scenario_data

        data = genius_scenario_data(paths[0], list(paths[1:]))
        path = folder / "imported.toml"
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
        return path

    # --- background sweeps -----------------------------------------------------------
    @property
    def store(self) -> Any:
        from pactlab.sweep.store import RunStore

        with self.lock:
            if self._store is None:
                self._store = RunStore(self.store_location)
            return self._store

    def start_sweep(self, sid: str, *, target: str, samples: int, noise: str | None,
                    seed: int) -> str:
        """Start a sweep in the background; returns its run id once the store has it."""
        from pactlab.sweep import sweep

        if not 1 <= samples <= MAX_SWEEP_SAMPLES:
            raise RequestError(f"samples must be between 1 and {MAX_SWEEP_SAMPLES:,}, "
                              f"got {samples:,}")
        source = self.sweep_source(sid)
        started = threading.Event()
        box: dict[str, Any] = {}

        def on_start(run_id: str) -> None:
            box["run_id"] = run_id
            started.set()

        def work() -> Any:
            try:
                return sweep(source, target, samples=samples, noise=noise or None, seed=seed,
                             store=self.store, workers=self.sweep_workers, on_start=on_start,
                             command=["pactlab serve", sid])
            except Exception as exc:
                box["error"] = exc
                started.set()
                raise

        future = self.pool.submit(work)
        started.wait()
        if "error" in box and "run_id" not in box:
            exc = box["error"]
            raise exc if isinstance(exc, PactlabError) else PactlabError(str(exc))
        run_id = box["run_id"]
        with self.lock:
            self.jobs[run_id] = future
        future.add_done_callback(lambda f: self._finished(run_id, f))
        return str(run_id)

    def _finished(self, run_id: str, future: Future[Any]) -> None:
        exc = future.exception()
        if exc is not None:
            self.failures[run_id] = str(exc)

    def run(self, run_id: str) -> dict[str, Any]:
        """A run's record (status, progress); an error if the store does not have it."""
        if not re.fullmatch(r"[0-9a-f]{1,32}", run_id):
            raise UnknownNameError(f"unknown run {run_id!r}")
        out = self.store.get(run_id).to_dict()
        if run_id in self.failures:
            out["error"] = self.failures[run_id]
        return out

    def result(self, run_id: str) -> Any:
        from pactlab.sweep import stored_result

        return stored_result(run_id, self.store)


@lru_cache(maxsize=64)
def builtin_scenario(sid: str) -> Scenario:
    return load_scenario(sid)


@lru_cache(maxsize=16)
def builtin_analysis(sid: str) -> Analysis:
    return analyze(builtin_scenario(sid))


_UPLOAD_ANALYSES: OrderedDict[str, Analysis] = OrderedDict()


def _upload_analysis(entry: Entry) -> Analysis:
    if entry.id not in _UPLOAD_ANALYSES:
        _UPLOAD_ANALYSES[entry.id] = analyze(entry.scenario)
        while len(_UPLOAD_ANALYSES) > 16:
            _UPLOAD_ANALYSES.popitem(last=False)
    return _UPLOAD_ANALYSES[entry.id]


def _safe_names(names: list[str]) -> list[str]:
    """File names reduced to a safe base name each (no folders), unique."""
    out: list[str] = []
    for n, name in enumerate(names):
        base = UPLOAD_NAME.sub("_", Path(name.replace("\\", "/")).name).lstrip(".") or "upload"
        base = base[:80]
        out.append(base if base not in out else f"{n}-{base}")
    return out


def _without(message: str, folder: Path) -> str:
    """An error message with the server's temporary folder taken out of file names."""
    return message.replace(f"{folder}/", "").replace(str(folder), "")


def check_strategy(spec: str) -> str:
    """A built-in strategy spec (``name`` or ``name:key=value…``); never a file of code."""
    name = spec.split(":", 1)[0].strip()
    if name not in strategy_names():
        raise UnknownNameError(f"unknown strategy {name!r}; expected one of "
                               f"{', '.join(strategy_names())} (user strategy files are not "
                               "accepted over HTTP)")
    return spec


def parse_offer_form(entry: Entry, form: dict[str, str]) -> dict[str, object]:
    """The offer a form gives: its values for the scenario's issues (others are ignored)."""
    issues = [i.id for i in entry.scenario.issues]
    offer: dict[str, object] = {k: v for k, v in form.items() if k in issues and v != ""}
    if not offer:
        raise OfferError("choose an option for at least one issue")
    return offer

