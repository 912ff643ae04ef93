"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character set (digits and upper-case letters without I, O, Z, S, V);
the 18th is a check character computed from the first 17 with fixed weights modulo 31.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(body: str) -> str:
    """Return the check character for the first 17 characters of a code."""
    total = sum(CHARSET.index(char) * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalize_uscc(value: str) -> str:
    return value.strip().upper()


def validate_uscc(value: str) -> None:
    """Raise a ValidationError naming exactly what is wrong with the code."""
    code = normalize_uscc(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(code)},
        )
    bad = sorted({char for char in code if char not in CHARSET})
    if bad:
        raise ValidationError(
            _("Character(s) %(chars)s are not allowed (the letters I, O, Z, S and V are never used)."),
            code="charset",
            params={"chars": ", ".join(bad)},
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character does not match; please check the code for a typing error."),
            code="checksum",
        )
