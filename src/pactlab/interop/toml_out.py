"""A small TOML writer for scenario dicts (tomllib only reads).

Lists of dicts become arrays of tables (`[[parties]]`), a dict whose values are
all dicts becomes one sub-table per entry (`[parties.values.price]`), any other
dict an inline table. Floats are written with `repr`, so they read back bit for bit.
"""

from __future__ import annotations

import json
import math
import re

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def dumps(data: dict) -> str:
    """TOML text of a dict of scalars, lists and dicts (None values are left out)."""
    lines: list[str] = []
    _table(lines, [], data)
    return "\n".join(lines).strip() + "\n"


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items() if v is not None)
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _is_table_array(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _is_section(value: object) -> bool:
    return isinstance(value, dict) and bool(value) and all(
        isinstance(v, dict) for v in value.values())


def _table(lines: list[str], path: list[str], data: dict) -> None:
    for key, value in data.items():
        if value is None or _is_table_array(value) or _is_section(value):
            continue
        lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in data.items():
        if _is_section(value):
            for sub, content in value.items():
                lines += ["", "[" + ".".join(_key(p) for p in [*path, key, sub]) + "]"]
                _table(lines, [*path, key, sub], content)
        elif _is_table_array(value):
            for item in value:
                lines += ["", "[[" + ".".join(_key(p) for p in [*path, key]) + "]]"]
                _table(lines, [*path, key], item)
