"""The one rounding rule of every figure the indicators show — the page's tables, the charts,
the report and the cards: half up on the decimal the reader sees.

Django's `number_format` on a float cuts the digits (8.05 → «8,0»), `floatformat` rounds half
up (→ «8,1») and `f"{x:.1f}"` rounds the binary value (8.05 is 8.0499… → «8.0»): three rules
gave one mean two faces. Everything goes through `rounded` and `number_text` instead.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def rounded(value: float | Decimal, decimals: int) -> Decimal:
    """Half up on the shortest decimal form of the value (`str(8.05)` is «8.05»)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number_text(value: float | Decimal, decimals: int) -> str:
    """In the active language's digits («8,1» in Russian), rounded by `rounded`."""
    return number_format(rounded(value, decimals), decimal_pos=decimals)
