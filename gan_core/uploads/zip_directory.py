"""A zip archive judged by its central directory before any entry is inflated.

The directory at a zip's end declares each entry's compressed and uncompressed size, so a
1 MB upload whose entry inflates to 1 GiB (deflate reaches about 1000:1 on a run of one
byte) is refused from those numbers, without reading the entry. Reading is bounded the
same way: zipfile stops an entry at its declared size and checks its CRC at the end, so
an entry read after its declared size passed a limit never yields more.

Entries that real uploads hold pack at 1-2:1 (PNG, JPEG, HDF5 weights) or 5-20:1 (JSON
configs); `INFLATION_LIMIT` leaves room for those and refuses what only a run of one byte
reaches.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence

MB = 1024 * 1024
INFLATION_LIMIT = 200  # uncompressed / compressed size of one entry, or of the whole archive
INFLATION_MIN_BYTES = 64 * 1024  # smaller entries cannot hurt alone; the archive's total covers many


def inflation_problem(infos: Sequence[zipfile.ZipInfo]) -> str | None:
    """None, or a phrase naming the entry (over INFLATION_MIN_BYTES) or the set of entries
    (over 1 MB in all) that declares more than INFLATION_LIMIT times its compressed size,
    e.g. "declares 1 MB for pad/0001.png from 1,042 compressed bytes"."""
    for info in infos:
        if info.file_size > INFLATION_MIN_BYTES and info.file_size > INFLATION_LIMIT * max(info.compress_size, 1):
            return f"declares {_mb(info.file_size)} for {info.filename} from {info.compress_size:,} compressed bytes"
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > MB and total > INFLATION_LIMIT * max(packed, 1):
        return f"declares {_mb(total)} in {len(infos):,} entries from {packed:,} compressed bytes"
    return None


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """The bytes of one entry whose declared size is at most `max_bytes` (ValueError, one
    line, before anything is read, when it is more). zipfile stops at the declared size and
    raises BadZipFile when the CRC does not match."""
    if info.file_size > max_bytes:
        raise ValueError(f"{info.filename} unpacks to {_mb(info.file_size)}; it may have at most {_mb(max_bytes)}")
    with archive.open(info) as member:
        return member.read(max_bytes + 1)


def read_json_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int):
    """One entry parsed as UTF-8 JSON after `read_entry`'s size check; ValueError (one line)
    for an entry too large or not JSON (RecursionError, for JSON nested past Python's stack,
    is a ValueError here too)."""
    data = read_entry(archive, info, max_bytes)
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as e:
        reason = "nested too deeply" if isinstance(e, RecursionError) else str(e).splitlines()[0]
        raise ValueError(f"{info.filename} is not valid JSON ({reason})") from None


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size >= MB else f"{size:,} bytes"
