"""Reading untrusted XML safely (defusedxml) and tolerantly (the quirks of real GENIUS files)."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pactlab.errors import InteropError

_DECLARATION = re.compile(r"<\?xml[^>]*\?>")


def read_xml(path: str | Path) -> Element:
    """Parse an XML file; entity declarations and external references are refused.

    Accepted quirks: a byte-order mark, comments or blank lines before the XML
    declaration (the declaration is dropped), non-UTF-8 text read as Latin-1.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InteropError(f"{path}: cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    text = _DECLARATION.sub("", text, count=1)  # keeps line numbers
    try:
        return fromstring(text)
    except DefusedXmlException as exc:
        raise InteropError(
            f"{path}: refused to parse: the file declares XML entities or external references "
            f"({type(exc).__name__}), which can expand without bound or read other files; "
            "GENIUS files never need them"
        ) from None
    except ParseError as exc:
        line, col = exc.position
        raise InteropError(f"{path}: not well-formed XML at line {line}, column {col + 1}: "
                           f"{str(exc).split(':')[0]}") from None
