"""How wide a line of text is, without a font file: each character's advance width in
DejaVu Sans (the `sans-serif` most Linux browsers map to, and wider than Arial or
Helvetica, where Windows and macOS map it), in ems.

An estimate that errs wide: a legend's margin or a title's size worked out from it
holds the text in any of those fonts.
"""

from __future__ import annotations

#: advance widths (em) of DejaVu Sans, by character; others count as `_DEFAULT`
_WIDTHS: dict[str, float] = {
    **dict.fromkeys("0123456789", 0.636),
    **dict.fromkeys("abdeghnopqu", 0.634),
    **dict.fromkeys("ckvxyz", 0.592),
    "s": 0.521,
    "f": 0.352,
    "t": 0.392,
    "r": 0.411,
    **dict.fromkeys("ijl", 0.278),
    "m": 0.974,
    "w": 0.818,
    **dict.fromkeys("ABCKPRSVXYZ", 0.698),
    **dict.fromkeys("DGHNOQU", 0.787),
    **dict.fromkeys("EFLT", 0.632),
    **dict.fromkeys("IJ", 0.295),
    "M": 0.863,
    "W": 0.989,
    " ": 0.318,
    **dict.fromkeys(".,:;'|", 0.337),
    **dict.fromkeys("-()/[]", 0.39),
    **dict.fromkeys("<>=+#~", 0.838),
    "%": 0.95,
    "_": 0.5,
}
_DEFAULT = 0.7
#: bold type is wider by about this much
_BOLD = 1.1


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` set at `size` (px), estimated (see the module's note)."""
    ems = sum(_WIDTHS.get(char, _DEFAULT) for char in text)
    return ems * size * (_BOLD if bold else 1.0)


def fitting_size(
    text: str, size: float, width: float, bold: bool = False, least: float = 7.0
) -> float:
    """`size`, or the smaller size (no smaller than `least`) at which `text` fits in
    `width`."""
    needed = text_width(text, size, bold)
    return size if needed <= width else max(least, size * width / needed)
