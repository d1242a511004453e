"""Reading untrusted XML safely (defusedxml) and tolerantly (the quirks of real GENIUS files)."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import fromstring

from pactlab import fileio
from pactlab.errors import InteropError

_DECLARATION = re.compile(r"<\?xml[^>]*\?>")
MAX_XML_BYTES = 32 * fileio.MiB
"""Largest GENIUS file read. A profile of a discrete issue with 100,000 items is about
6 MiB; parsing costs roughly 10 times the file size in memory."""


def read_xml(path: str | Path, what: str = "GENIUS file") -> Element:
    """Parse an XML file; document types, entity declarations and external references
    are refused, and so is anything but a regular file of at most `MAX_XML_BYTES`.

    GENIUS files never declare a DOCTYPE. Refusing every DOCTYPE, not only those with
    entities, means an external DTD (``<!DOCTYPE u SYSTEM "http://…">``) is never
    half-honoured: expat would not fetch it, and an entity only it defines would silently
    become an empty string. Accepted quirks: a byte-order mark, comments or blank lines
    before the XML declaration (the declaration is dropped), non-UTF-8 text read as Latin-1.
    """
    path = Path(path)
    raw = fileio.read_bytes(path, what, MAX_XML_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    text = _DECLARATION.sub("", text, count=1)  # keeps line numbers
    try:
        return fromstring(text, forbid_dtd=True)
    except DTDForbidden as exc:
        external = f" with the external identifier {exc.sysid!r}" if exc.sysid else ""
        raise InteropError(
            f"{path}: refused to parse: the file declares a document type (<!DOCTYPE "
            f"{exc.name}>{external}); DTDs can declare entities that expand without bound or "
            "read other files, and GENIUS files never need them"
        ) from None
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
