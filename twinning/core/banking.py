"""The association's bank account: checks on what staff type (an IBAN's check digits, a BIC's
shape, a US routing number's checksum) and the grouped forms printed on invoices. The account
may be an IBAN or a national account number, so each check applies to what the value looks
like; a value that looks like neither is refused with a message saying what is expected."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ISO 13616 lengths of the countries using IBANs (the SWIFT registry, 2024).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]+$")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
_ACCOUNT = re.compile(r"^[0-9A-Z][0-9A-Z -]{2,32}[0-9A-Z]$")


def compact(value: str) -> str:
    """Upper case, without spaces or dashes: the form an IBAN or a BIC is checked in."""
    return re.sub(r"[\s-]+", "", value or "").upper()


def looks_like_iban(value: str) -> bool:
    return bool(_IBAN_SHAPE.match(compact(value)))


def iban_is_valid(value: str) -> bool:
    iban = compact(value)
    if not _IBAN_SHAPE.match(iban) or IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def routing_number_is_valid(value: str) -> bool:
    """An ABA routing number: nine digits whose weighted sum (3, 7, 1) is a multiple of 10."""
    if not re.fullmatch(r"[0-9]{9}", value):
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(value, weights, strict=True)) % 10 == 0


def validate_account_number(value: str) -> None:
    if looks_like_iban(value):
        if not iban_is_valid(value):
            raise ValidationError(
                _(
                    "This IBAN is not valid: check its length and its check digits "
                    "(the two figures after the country code)."
                )
            )
        return
    if not _ACCOUNT.match(value.strip().upper()):
        raise ValidationError(
            _("Enter an IBAN (e.g. DE89 3704 0044 0532 0130 00) or an account number.")
        )


def validate_bank_code(value: str) -> None:
    code = compact(value)
    if _BIC.match(code) or routing_number_is_valid(code):
        return
    raise ValidationError(
        _(
            "Enter a BIC (8 or 11 characters, e.g. COBADEFFXXX) or a nine-digit routing "
            "number (ABA)."
        )
    )


def display_account_number(value: str) -> str:
    """An IBAN in groups of four, as printed on paper; any other number as typed."""
    if looks_like_iban(value):
        iban = compact(value)
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return value.strip()
