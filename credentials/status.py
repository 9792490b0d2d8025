"""The Bitstring Status List: one bit per issued credential, set when it is revoked.

W3C Bitstring Status List v1.0: the list is at least 16 KB (131,072 bits) so a
bit says little about who it belongs to; bit 0 is the most significant bit of
the first byte; the list is GZIP-compressed and base64url-encoded without
padding, with the multibase prefix ``u``.
"""

from __future__ import annotations

import base64
import gzip

LIST_BITS = 131_072


def bitstring_encode(revoked: set[int] | list[int], size: int = LIST_BITS) -> str:
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always give the same text, so the signed list is stable.
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def bitstring_decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("the encoded list has no multibase base64url prefix")
    body = encoded[1:]
    packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return gzip.decompress(packed)


def bit_is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"status index {index} is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
