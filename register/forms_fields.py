"""Fields the register's forms share."""

from __future__ import annotations

from django import forms


def paragraph(label, *, max_length: int, rows: int, lang: str = "", **options) -> forms.CharField:
    """A box for a paragraph someone writes: ``rows`` lines high, at most ``max_length`` characters.

    ``lang`` marks a box written in another language (``cy`` for the Welsh wording).
    """
    attrs = {"rows": rows, **({"lang": lang} if lang else {})}
    return forms.CharField(
        label=label, max_length=max_length, widget=forms.Textarea(attrs=attrs), **options
    )
