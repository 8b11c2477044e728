"""Text files in whatever encoding a coordinator's computer saved them.

Excel on a Chinese Windows saves CSV as GB18030/GBK, "CSV UTF-8" with a BOM, "Unicode text" as
UTF-16 (with a BOM, or without one from some other tools); Excel in Hong Kong or Taiwan saves
Big5. The encoding is found from the bytes; charset_normalizer settles the ambiguous cases.
"""

from __future__ import annotations

import codecs

import charset_normalizer

ENCODINGS = ("utf-8-sig", "gb18030")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
BIG5 = ("big5", "cp950", "big5hkscs")


def decode(data: bytes, guess: bool = True) -> str | None:
    """Text of a file in an unknown encoding, or None when it is not text.

    UTF-16 with or without a BOM ("Unicode text"), then UTF-8, then GB18030 (what Excel on a
    Chinese Windows saves), or Big5 when charset_normalizer finds that likelier (Excel in Hong
    Kong or Taiwan: Big5 bytes also decode as GB18030, into nonsense), then with `guess` its
    best guess. Text full of NUL characters is UTF-16 without a BOM or no text; a few NULs in
    UTF-8 text are kept for the loaders to report where they are.
    """
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:  # cut short (an odd number of bytes) or damaged
            return None
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            # UTF-16 without a BOM (a NUL every other byte), or text with a stray NUL, which the
            # loaders then report with its row and column.
            stray = text.count("\x00") * 20 < len(text)
            return _likely(data, ("utf_16_le", "utf_16_be")) or (text if stray else None)
        if encoding == "gb18030":
            return _likely(data, ("gb18030", *BIG5), prefer=BIG5) or text
        return text
    if not guess:
        return None
    best = charset_normalizer.from_bytes(data).best()
    return str(best) if best is not None else None


def _likely(data: bytes, encodings: tuple[str, ...], prefer: tuple[str, ...] | None = None) -> str | None:
    """The text in the likeliest of `encodings` by charset_normalizer (only if one of `prefer`, when given)."""
    best = charset_normalizer.from_bytes(data, cp_isolation=list(encodings)).best()
    if best is None or (prefer is not None and best.encoding not in prefer):
        return None
    text = str(best)
    return None if "\x00" in text else text
