"""Reading documents as text, and finding the sentence around a span."""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from pactlab import fileio
from pactlab.errors import EvidenceError, InputFileError

_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "rep", "sen", "gov",
    "pres", "st", "no", "vol", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "approx", "est", "inc", "corp", "ltd", "co", "vs", "etc",
})
_END = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“'(\[]?[A-Z0-9])")
_INITIALISM = re.compile(r"(?:^|[\s(\"“])(?:[A-Za-z]\.)+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_text(path: str | Path, limit: int = fileio.DEFAULT_LIMIT) -> str:
    """The text of a UTF-8 file of at most `limit` bytes, exactly as stored (spans index
    this string).

    Binary files and other encodings raise an EvidenceError naming the file and the
    first offending byte, so that the CLI prints one clear paragraph; anything but a
    regular file, or a larger one, is refused before it is read.
    """
    path = Path(path)
    if not path.exists():
        raise EvidenceError(f"{path}: no such file; expected a UTF-8 text file")
    if not path.is_file():
        raise EvidenceError(f"{path}: not a regular file; expected a UTF-8 text file")
    try:
        data = fileio.read_bytes(path, "text file", limit)
    except InputFileError as exc:
        raise EvidenceError(f"{exc} Raise the limit with --max-mb (pactlab extract) or "
                            "max_chars= (extract_file()).") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise EvidenceError(
            f"{path}: binary content (NUL byte at offset {nul}); expected a UTF-8 text file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EvidenceError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start} "
            "cannot be decoded); expected a UTF-8 text file — convert it first, e.g. with iconv"
        ) from None
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise EvidenceError(
            f"{path}: {controls} control characters in {len(text)} characters; "
            "this looks like binary data, expected a UTF-8 text file"
        )
    return text


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences as (start, end) spans: split at line breaks and at sentence-final
    punctuation followed by a capital, but not after "U.S.", "Dec." and the like.

    Linear in the text: only the word before each candidate end is looked at, never the
    sentence so far (a 10 MB line of "U.S. " is one sentence with two million candidates).
    """
    spans: list[tuple[int, int]] = []
    backwards = text[::-1]  # the word before an offset is a forward match in here
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for end_match in _END.finditer(text, line.start(), line.end()):
            word = _word_before(text, backwards, start, end_match.start() + 1)
            if _INITIALISM.search(" " + word) or word.rstrip(".").lower() in _ABBREVIATIONS:
                continue
            spans.append((start, end_match.end()))
            start = end_match.end()
        spans.append((start, line.end()))
    return [_strip(text, s, e) for s, e in spans if _has_text(text, s, e)]


_WORD = re.compile(r"\S*")


def _word_before(text: str, backwards: str, start: int, end: int) -> str:
    """The last whitespace-separated word of text[start:end] ("" if there is none), found
    by matching forwards in the reversed text: its cost is the word's length."""
    at = len(text) - end
    word = _WORD.match(backwards, at)  # \S* matches, if only the empty string
    length = word.end() - at if word is not None else 0
    return text[max(start, end - length):end]


def _has_text(text: str, start: int, end: int) -> bool:
    return _NON_SPACE.search(text, start, end) is not None


_NON_SPACE = re.compile(r"\S")


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


MAX_SENTENCE = 1000
CONTEXT = 100


class Sentences:
    """Finds the sentence containing a character offset by bisection."""

    def __init__(self, text: str):
        self._text = text
        self._spans = sentence_spans(text)
        self._starts = [s for s, _ in self._spans]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """(first, last) offsets of the sentences that [start, end) touches, merged.

        A figure written across a line break ("3,000 to\\n4,000 soldiers") gets both lines.
        """
        if not self._spans:
            return start, start
        first = max(bisect.bisect_right(self._starts, start) - 1, 0)
        last = max(bisect.bisect_right(self._starts, max(end - 1, start)) - 1, first)
        return self._spans[first][0], self._spans[last][1]

    def around(self, start: int, end: int | None = None,
               span: tuple[int, int] | None = None) -> str:
        """The text of the sentence(s) holding [start, end) (just `start` when no end).

        A sentence longer than `MAX_SENTENCE` characters is cut to the `CONTEXT`
        characters either side of [start, end): a figure's context stays readable, and
        50,000 figures in one long line do not each copy the whole line. `span` is
        `self.span(start, end)` when the caller has it already.
        """
        end = start + 1 if end is None else end
        first, last = span or self.span(start, end)
        if last - first > MAX_SENTENCE:
            first, last = max(first, start - CONTEXT), min(last, end + CONTEXT)
        return self._text[first:last]
