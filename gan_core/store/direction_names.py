"""Names students give to a generator's discovered directions ("slant", "thickness"), kept
on disk so whoever opens the same generator sees them.

Where: a run's names live in its folder (`direction_names.json`), so they go with the run.
The shipped pretrained generator and uploads are not runs (the first is read-only, the
second has no folder): their names live under the runs folder, in
`.direction_names/<SHA-256 of the generator file>.json` (a dot folder, so the Runs page does
not list it), and every upload of the same bytes finds them.

File: {"generator_sha256": hex digest of the generator the names were last saved for,
"names": {"1": "slant", "3": "thickness"}}; directions are numbered from 1 as the page shows
them. The path is built from our own digest and a fixed file name, never from a name.

Names are untrusted text from a browser: control and format characters (bidi overrides,
zero-width marks) are removed, whitespace runs become one space, and a name longer than
NAME_MAX characters is refused with a one-line NameRefused. Reading is bounded and forgiving:
a missing, oversized or malformed file reads as no names.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import unicodedata
from pathlib import Path

from gan_core.store.fileio import atomic_write_text

NAME_MAX = 40  # characters of a direction's name, after cleaning
MAX_DIRECTIONS = 10  # directions that can be named: 1..MAX_DIRECTIONS
RUN_FILE = "direction_names.json"
STORE_DIR = ".direction_names"
MAX_FILE_BYTES = 16 * 1024  # ten names of 40 characters, with room; a bigger file is not ours
_RAW_MAX = 4 * NAME_MAX  # longer raw input is refused before any per-character work
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
# One process serves every browser: a read-modify-write must not lose another session's name.
_WRITE_LOCK = threading.Lock()


class NameRefused(ValueError):
    """A direction's name or number was refused; the message is one line a user can act on."""


def clean_name(text) -> str:
    """`text` as a direction's name: control/format/private characters removed, whitespace
    runs collapsed to one space, ends stripped; "" clears the name. Raises NameRefused for
    non-text or a name longer than NAME_MAX characters."""
    if not isinstance(text, str):
        raise NameRefused("a direction's name must be text")
    if len(text) > _RAW_MAX:
        raise NameRefused(f"a direction's name is at most {NAME_MAX} characters; this one has {len(text)}")
    kept = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C") or ch in "\t\n\r")
    name = " ".join(kept.split())
    if len(name) > NAME_MAX:
        raise NameRefused(f"a direction's name is at most {NAME_MAX} characters; this one has {len(name)}")
    return name


def file_sha256(path) -> str:
    """SHA-256 hex digest of a file's bytes (read in 1 MiB pieces); raises OSError."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for piece in iter(lambda: f.read(1 << 20), b""):
            digest.update(piece)
    return digest.hexdigest()


def names_path(digest: str, runs_dir, run_folder=None) -> Path:
    """The names file for a generator: in `run_folder` when it is a run's, else in the digest
    store under `runs_dir`. Raises NameRefused for a digest that is not 64 lowercase hex digits."""
    if run_folder is not None:
        return Path(run_folder) / RUN_FILE
    if not isinstance(digest, str) or not _DIGEST.match(digest):
        raise NameRefused("a generator is named by the SHA-256 of its file (64 hex digits)")
    return Path(runs_dir) / STORE_DIR / f"{digest}.json"


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
        data = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_FILE_BYTES else None
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_names(path) -> tuple[dict[int, str], str | None]:
    """({direction number: name}, digest of the generator they were saved for, or None) from a
    names file; entries that are not a number 1..MAX_DIRECTIONS with a clean name are skipped,
    and a missing or unreadable file gives ({}, None)."""
    data = _read(Path(path))
    names = {}
    raw = data.get("names")
    for key, value in raw.items() if isinstance(raw, dict) else ():
        try:
            number, name = int(key), clean_name(value)
        except (ValueError, TypeError):
            continue
        if 1 <= number <= MAX_DIRECTIONS and name:
            names[number] = name
    digest = data.get("generator_sha256")
    return names, digest if isinstance(digest, str) and _DIGEST.match(digest) else None


def save_name(path, number: int, text, digest: str) -> dict[int, str]:
    """Set direction `number`'s name to `text` (cleaned; "" removes it) in the names file at
    `path`, recording `digest` as the generator it was given for; returns all the names.

    The write is atomic (fileio) and serialized in this process. Raises NameRefused for a
    bad number, name or digest, OSError when the disk refuses (the old file is then kept).
    """
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_DIRECTIONS:
        raise NameRefused(f"directions are numbered 1 to {MAX_DIRECTIONS}")
    if not isinstance(digest, str) or not _DIGEST.match(digest):
        raise NameRefused("a generator is named by the SHA-256 of its file (64 hex digits)")
    name = clean_name(text)
    path = Path(path)
    with _WRITE_LOCK:
        names, _ = read_names(path)
        if name:
            names[number] = name
        else:
            names.pop(number, None)
        body = {"generator_sha256": digest, "names": {str(k): v for k, v in sorted(names.items())}}
        atomic_write_text(path, json.dumps(body, ensure_ascii=False, indent=1) + "\n")
    return names
