"""The result protocol: one base that every result type uses for its views.

A result is a frozen dataclass whose declared fields *are* its `--json` shape.
`Result` derives everything else from those fields, so that no result type
hand-writes a serialiser, an HTML table or a DataFrame export:

- `to_dict()` — the `--json` object: fields in declaration order, nested
  results, tuples, numpy arrays and numpy scalars turned into plain Python.
- `to_json()` — strict JSON text with the one policy for non-finite numbers:
  NaN and ±infinity (an undefined quantity) are written as ``null``.
- `_repr_html_()` — an HTML view for Jupyter in which every label is escaped
  (labels come from user TOML files and must never become markup).
- `records()` / `to_frame()` — the rows of a tabular result (frontier, trace,
  tournament, forecast path, extraction) as flat dicts, or as a pandas
  DataFrame when the optional ``pandas`` extra is installed.
- `plot()` — a plotly figure, looked up at call time in the figure registry of
  `pactlab.report.figures`, so that no lower layer imports the report layer.

Field metadata tunes the JSON shape without code: `renamed("from")` for a
key that is not a valid field name, `HIDDEN` for fields the shape leaves out,
`DETAIL` for fields added only by ``to_dict(full=True)``. Properties or methods
that belong in the shape are listed in the class variable `derived`, each
mapped to the key it follows.
"""

from __future__ import annotations

import dataclasses
import html
import importlib
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar, TextIO

HIDDEN: Mapping[str, Any] = {"json": False}
DETAIL: Mapping[str, Any] = {"detail": True}
HTML_ROWS = 20  # rows of a list shown in HTML before "… and N more"


def renamed(key: str) -> Mapping[str, Any]:
    """Field metadata: the field appears under `key` in the JSON shape."""
    return {"key": key}


class Result:
    """Mixin for frozen dataclasses: JSON, HTML, table and figure views from the fields.

    Subclasses set `tabular` to the name of the field (or property) holding their rows
    when they are tabular, and may override `_json_items` when their JSON shape is
    a view of the fields rather than the fields themselves.
    """

    __slots__ = ()
    derived: ClassVar[Mapping[str, str]] = {}  # property or method -> the key it follows
    tabular: ClassVar[str | None] = None  # field whose items are the rows of `records()`

    def _json_items(self, full: bool) -> Iterator[tuple[str, Any]]:
        """(key, value) pairs of the JSON shape, in order; values not yet made plain."""
        for name, key in _shape(type(self), full):
            value = getattr(self, name)
            yield key, value() if name in self.derived and callable(value) else value

    def to_dict(self, full: bool = False) -> dict[str, Any]:
        """The `--json` object; `full` adds the fields marked `DETAIL`."""
        return {key: plain(value) for key, value in self._json_items(full)}

    def to_json(self, full: bool = False) -> str:
        """Indented, strict JSON text of `to_dict(full)` (NaN and infinity as null)."""
        return to_json(self.to_dict(full))

    def records(self) -> list[dict[str, Any]]:
        """The rows of a tabular result as flat dicts (nested keys joined by '.')."""
        if self.tabular is None:
            raise TypeError(f"{type(self).__name__} is not tabular; use to_dict()")
        return [flatten(plain(row)) for row in getattr(self, self.tabular)]

    def to_frame(self) -> Any:
        """The rows of `records()` as a pandas DataFrame (needs the ``pandas`` extra)."""
        try:
            pandas = importlib.import_module("pandas")
        except ImportError:
            raise ImportError(
                "to_frame() needs pandas: pip install 'pactlab[pandas]'") from None
        return pandas.DataFrame.from_records(self.records())

    def plot(self, **options: Any) -> Any:
        """A plotly figure of this result (`pactlab.report.figures`, keyed by type)."""
        figures = importlib.import_module("pactlab.report.figures")
        return figures.figure(self, **options)

    def _repr_html_(self) -> str:
        """Jupyter: the full JSON shape as nested tables, every label escaped."""
        title = html.escape(type(self).__name__)
        return (f'<div class="pactlab-result"><p><b>{title}</b></p>'
                f"{to_html(self.to_dict(full=True))}</div>")


_SHAPES: dict[tuple[type, bool], tuple[tuple[str, str], ...]] = {}


def _shape(cls: type[Result], full: bool) -> tuple[tuple[str, str], ...]:
    """(attribute, key) pairs of `cls`'s JSON shape, derived keys after their anchors."""
    if (cls, full) not in _SHAPES:
        _SHAPES[cls, full] = _derive_shape(cls, full)
    return _SHAPES[cls, full]


def _derive_shape(cls: type[Result], full: bool) -> tuple[tuple[str, str], ...]:
    after: dict[str, list[str]] = {}
    for name, anchor in cls.derived.items():
        after.setdefault(anchor, []).append(name)
    out: list[tuple[str, str]] = []

    def add(name: str, key: str) -> None:
        out.append((name, key))
        for extra in after.get(key, ()):
            add(extra, extra)

    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not f.metadata.get("json", True) or (f.metadata.get("detail") and not full):
            continue
        add(f.name, f.metadata.get("key", f.name))
    return tuple(out)


def plain(value: Any) -> Any:
    """`value` as plain JSON-able Python: results, mappings, sequences, numpy values."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars
    if tolist is not None:
        return tolist()
    if isinstance(value, Sequence | set | frozenset):
        return [plain(v) for v in value]
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    raise TypeError(f"cannot put a {type(value).__name__} into a result's JSON")


def finite(value: Any) -> Any:
    """`value` with every NaN or infinite float replaced by None, recursively.

    JSON has no NaN or infinity; pactlab writes an undefined quantity as null,
    everywhere (the one policy). A container with nothing to replace is returned as
    it is, not copied: a frontier of 10^5 points is not held twice.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        items = [(k, finite(v)) for k, v in value.items()]
        same = all(new is old for (_, new), old in zip(items, value.values(), strict=True))
        return value if same else dict(items)
    if isinstance(value, list):
        values = [finite(v) for v in value]
        same = all(new is old for new, old in zip(values, value, strict=True))
        return value if same else values
    if isinstance(value, tuple):  # JSON arrays are lists
        return [finite(v) for v in value]
    return value


def _encoder() -> json.JSONEncoder:
    return json.JSONEncoder(indent=2, ensure_ascii=False, allow_nan=False)


def to_json(value: Any) -> str:
    """Strict, indented JSON text of a result or plain value, NaN and infinity as null."""
    return _encoder().encode(finite(plain(value))) + "\n"


def write_json(value: Any, stream: TextIO) -> None:
    """Write `to_json(value)` to `stream` piece by piece, never holding the whole text.

    The same bytes as `to_json`; a frontier of 10^5 points would otherwise hold its
    text and the list of its pieces (several times the result itself) at once.
    """
    pieces: list[str] = []
    size = 0
    for piece in _encoder().iterencode(finite(plain(value))):
        pieces.append(piece)
        size += len(piece)
        if size >= 1 << 16:
            stream.write("".join(pieces))
            pieces.clear()
            size = 0
    pieces.append("\n")
    stream.write("".join(pieces))


def flatten(row: Any, prefix: str = "") -> dict[str, Any]:
    """A nested dict as one level, keys joined by '.' (``utilities.us``)."""
    if not isinstance(row, dict):
        return {prefix or "value": row}
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and value:
            out.update(flatten(value, name))
        else:
            out[name] = value
    return out


def to_html(value: Any, depth: int = 0) -> str:
    """Plain data as escaped HTML: dicts as key/value tables, lists of dicts as tables."""
    if isinstance(value, dict):
        if depth >= 2:
            return html.escape(", ".join(f"{k}={_text(v)}" for k, v in value.items()))
        rows = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{to_html(v, depth + 1)}</td></tr>"
                       for k, v in value.items())
        return f"<table>{rows}</table>"
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value) and depth < 2:
            return _html_rows([flatten(v) for v in value], depth)
        shown = ", ".join(_text(v) for v in value[:HTML_ROWS])
        return html.escape(shown + _more(len(value)))
    return html.escape(_text(value))


def _html_rows(rows: list[dict[str, Any]], depth: int) -> str:
    columns = list(dict.fromkeys(k for row in rows[:HTML_ROWS] for k in row))
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{to_html(row.get(c), depth + 2)}</td>" for c in columns) + "</tr>"
        for row in rows[:HTML_ROWS])
    more = f"<p>{html.escape(_more(len(rows)).strip())}</p>" if len(rows) > HTML_ROWS else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def _more(n: int) -> str:
    return f" … and {n - HTML_ROWS:,} more" if n > HTML_ROWS else ""


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)
