"""Writes a 280x280 8-bit gray PNG of a drawn 7 (black ink on white, as the page's canvas sends it): the load
test's request body. Standard library only."""
import struct
import sys
import zlib

side, radius = 280, 10
pixels = bytearray([255]) * (side * side)


def ink(x, y):
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            px, py = int(x) + dx, int(y) + dy
            if dx * dx + dy * dy <= radius * radius and 0 <= px < side and 0 <= py < side:
                pixels[py * side + px] = 0


for step in range(101):
    t = step / 100
    ink(70 + 140 * t, 60)
    ink(210 - 90 * t, 60 + 170 * t)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


rows = b"".join(b"\x00" + bytes(pixels[y * side:(y + 1) * side]) for y in range(side))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
with open(sys.argv[1], "wb") as file:
    file.write(png)
