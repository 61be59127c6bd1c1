"""Text from documents made safe for a terminal: no control characters, no escape sequences.

A report's title, a file name or a reason quoting them can carry ESC sequences that recolour,
retitle or clear a terminal, or bidirectional overrides that reorder what is shown. Printed
through `terminal_safe`, each such character appears as a visible escape (`\\x1b`, `\\u202e`).
"""

from __future__ import annotations

import unicodedata

# Categories never printed raw: controls (C0, DEL, C1) and format characters (bidi
# overrides and isolates, zero-width joiners among them).
_HIDDEN = ("Cc", "Cf")


def terminal_safe(text: object) -> str:
    """`text` as a string with every control or format character shown as an escape."""
    s = str(text)
    if s.isprintable():
        return s
    out = []
    for ch in s:
        if unicodedata.category(ch) in _HIDDEN:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
