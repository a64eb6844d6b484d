"""Just enough of PNG to read back what Chromium's screenshots show: 8-bit RGB or RGBA, not
interlaced (what headless Chromium writes), and where a solid colour is painted."""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import List, Tuple

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _add(a: bytes, b: bytes) -> bytes:
    """Bytewise (a + b) mod 256 over whole rows at once, with no carry between bytes."""
    n = len(a)
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    low, high = int.from_bytes(b"\x7f" * n, "big"), int.from_bytes(b"\x80" * n, "big")
    return (((x & low) + (y & low)) ^ ((x ^ y) & high)).to_bytes(n, "big")


def _unfilter(kind: int, line: bytes, prev: bytes, bpp: int) -> bytes:
    if kind == 0:
        return line
    if kind == 2:
        return _add(line, prev)
    out = bytearray(line)
    for i in range(len(out)):
        left = out[i - bpp] if i >= bpp else 0
        if kind == 1:
            out[i] = (out[i] + left) & 0xFF
        elif kind == 3:
            out[i] = (out[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif kind == 4:
            up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            out[i] = (out[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        else:
            raise ValueError(f"PNG filter type {kind}")
    return bytes(out)


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    bpp: int  # bytes per pixel: 3 (RGB) or 4 (RGBA)
    rows: Tuple[bytes, ...]

    def pixel(self, x: int, y: int) -> Tuple[int, int, int]:
        i = x * self.bpp
        return tuple(self.rows[y][i:i + 3])  # type: ignore[return-value]

    def run_of(self, y: int, rgb: str, length: int) -> bool:
        """Whether row y holds `length` pixels of colour `rgb` (hex, "b3261e") side by side."""
        pixel = bytes.fromhex(rgb)
        if self.bpp == 4:
            pattern = b"".join(pixel + b"\xff" for _ in range(length))
        else:
            pattern = pixel * length
        row, at = self.rows[y], self.rows[y].find(pattern)
        while at >= 0 and at % self.bpp:  # a match across pixel boundaries is not one
            at = row.find(pattern, at + 1)
        return at >= 0


def read(data: bytes) -> Image:
    if data[:8] != SIGNATURE:
        raise ValueError("not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    if header is None:
        raise ValueError("PNG without IHDR")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    rows: List[bytes] = []
    prev = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        prev = _unfilter(raw[start], raw[start + 1:start + 1 + stride], prev, bpp)
        rows.append(prev)
    return Image(width, height, bpp, tuple(rows))
