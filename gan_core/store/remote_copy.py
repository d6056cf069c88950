"""Copying a run folder that another machine writes, file by file, through two questions.

A training on a Ray worker writes its run folder on that worker's own disk; the app copies
it into its runs folder while it trains and once more, whole, when it has ended
(gan_core.jobs.ray_mirror). The worker answers two questions, `list_files` and
`read_part`; a `FolderMirror` on the app's side asks them and writes what changed. Nothing
here knows about Ray: the questions are passed in as callables.

Why a copy made while the worker writes is never a mix of two versions of a file:
- a run folder's files are either written once under a hidden temporary name and renamed
  into place (gan_core.store.fileio: each version is a new inode whose bytes never change
  again), or only appended to (the .jsonl rows). So (size, inode) names one content, and
  `read_part` reads the inode the listing saw, or answers None when the name holds another
  one now (that file is copied at the next pass).
- hidden names (temporary files, a checkpoint being written as `.NNNNNNNN.partial`) are
  never listed.
- a file that only grew since the last pass is copied by its new bytes alone, and a file
  that is a hard link of one copied already (generator.keras and the newest checkpoint's)
  is linked here too, not sent twice.
- a checkpoint folder's manifest.json is copied after the checkpoint's other files, so a copy
  cut short reads as incomplete (checkpoint.is_complete), never as a checkpoint.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from gan_core.store.checkpoint import FOLDER, MANIFEST
from gan_core.store.fileio import atomic_write_with

CHUNK_BYTES = 4 * 2**20  # one answer of `read_part`: bounds the memory of a copy on both sides
MAX_DEPTH = 3  # a run folder is two levels deep (checkpoints/NNNNNNNN/file)

# A listing: relative POSIX path -> (size in bytes, inode number) of each file.
Listing = dict[str, tuple[int, int]]


def checked_name(rel: str) -> PurePosixPath:
    """`rel` as a relative path inside a run folder; ValueError (one line) for an absolute
    path, an empty part, '..', or a hidden part (a name starting with '.')."""
    path = PurePosixPath(rel)
    if not rel or path.is_absolute() or "\\" in rel or any(p.startswith(".") for p in path.parts):
        raise ValueError(f"{rel[:80]!r} is not a file name inside a run folder")
    return path


def list_files(root, with_checkpoints: bool) -> Listing:
    """Every file of the run folder `root` with its (size, inode), hidden names and links
    left out; checkpoints/ only when `with_checkpoints`. {} when `root` is missing."""
    found: Listing = {}

    def walk(folder: str, prefix: str, depth: int) -> None:
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            return  # removed meanwhile (an older checkpoint pruned)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if depth < MAX_DEPTH and (with_checkpoints or rel != FOLDER):
                        walk(entry.path, rel + "/", depth + 1)
                elif entry.is_file(follow_symlinks=False):
                    stat = entry.stat(follow_symlinks=False)
                    found[rel] = (stat.st_size, stat.st_ino)
            except FileNotFoundError:
                continue

    walk(str(root), "", 1)
    return found


def read_part(root, rel: str, inode: int, offset: int, size: int) -> bytes | None:
    """Up to min(`size`, CHUNK_BYTES) bytes of file `rel` of the run folder `root` from byte
    `offset`, read from the inode `inode` only: None when the name is gone or holds another
    file now. ValueError for a name outside the folder (see checked_name)."""
    path = Path(root) / checked_name(rel)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        if os.fstat(fd).st_ino != inode:
            return None
        return os.pread(fd, max(0, min(size, CHUNK_BYTES)), offset)
    finally:
        os.close(fd)


class _Changed(Exception):
    """The worker's file changed while it was copied: copy it again at the next pass."""


def _copy_order(rel: str) -> tuple[str, bool, str]:
    # Top-level files first, then each checkpoint folder with its manifest last.
    parent, _, name = rel.rpartition("/")
    return parent, name == MANIFEST, name


class FolderMirror:
    """The app's copy of a run folder another machine writes: each `sync` asks for the
    listing, copies the files that are new or changed since the last pass (only the new
    bytes of a file that grew), and removes the files it copied earlier that the worker has
    removed since (older checkpoints).

    `list_files(final)` returns a Listing (or None while the worker cannot give the final
    one yet); `read_part(rel, inode, offset, size)` returns bytes or None, as the functions
    of this module do on the worker. Files in `target` that the mirror did not copy are
    never touched. Not thread-safe: one thread calls `sync`. Raises OSError when the app's
    disk refuses, ValueError for a listed name outside the folder, and whatever the two
    callables raise.
    """

    def __init__(
        self,
        target,
        list_files: Callable[[bool], Listing | None],
        read_part: Callable[[str, int, int, int], bytes | None],
    ):
        self.target = Path(target)
        self._list = list_files
        self._read = read_part
        self._copied: Listing = {}  # rel -> the worker's (size, inode) that was copied
        self._by_inode: dict[tuple[int, int], str] = {}  # the worker's (size, inode) -> a rel holding it here
        self.bytes_copied = 0

    def sync(self, final: bool = False) -> bool:
        """One pass: checkpoints/ only when `final` (the training has ended: its files are
        final). True when every listed file is now copied as listed."""
        listing = self._list(final)
        if listing is None:
            return False
        complete = True
        for rel in sorted(listing, key=_copy_order):
            size, inode = listing[rel]
            if self._copied.get(rel) != (size, inode) and not self._copy(rel, int(size), int(inode)):
                complete = False
        for rel in list(self._copied):
            in_scope = final or not rel.startswith(FOLDER + "/")
            if in_scope and rel not in listing:
                self._remove(rel)
        return complete

    def _copy(self, rel: str, size: int, inode: int) -> bool:
        dest = self.target / checked_name(rel)
        before = self._copied.get(rel)
        try:
            if before is not None and before[1] == inode and before[0] < size and _size(dest) == before[0]:
                with open(dest, "ab") as fh:  # only the bytes appended since the last pass
                    self._fetch(rel, inode, before[0], size, fh)
                    fh.flush()
                    os.fsync(fh.fileno())
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                twin = self._by_inode.get((size, inode))
                source = self.target / twin if twin and self._copied.get(twin) == (size, inode) else None

                def write(tmp: str) -> None:
                    if source is not None and _size(source) == size and _linked(source, tmp):
                        return  # the same file on the worker: one copy here too
                    with open(tmp, "wb") as fh:
                        self._fetch(rel, inode, 0, size, fh)

                atomic_write_with(dest, write, suffix=dest.suffix or None)
        except _Changed:
            self._copied.pop(rel, None)  # the next pass copies it whole
            return False
        self._copied[rel] = (size, inode)
        self._by_inode[(size, inode)] = rel
        return True

    def _fetch(self, rel: str, inode: int, start: int, end: int, fh) -> None:
        offset = start
        while offset < end:
            part = self._read(rel, inode, offset, min(CHUNK_BYTES, end - offset))
            if not part:
                raise _Changed(rel)
            fh.write(part)
            offset += len(part)
            self.bytes_copied += len(part)

    def _remove(self, rel: str) -> None:
        dest = self.target / checked_name(rel)
        dest.unlink(missing_ok=True)
        del self._copied[rel]
        parent = dest.parent
        while parent != self.target and parent.is_relative_to(self.target):
            try:
                parent.rmdir()  # only when empty: a pruned checkpoint's folder
            except OSError:
                break
            parent = parent.parent


def _linked(source: Path, tmp: str) -> bool:
    """Put a hard link of `source` at `tmp` (a temporary file to replace); False where the
    file system has no hard links."""
    try:
        os.remove(tmp)
        os.link(source, tmp)
    except OSError:
        return False
    return True


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1
