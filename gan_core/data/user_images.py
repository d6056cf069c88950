"""The user's own images: a folder, a .zip file, or the bytes of an uploaded .zip.

Everything here is untrusted input. Nothing is extracted to disk; zip entries are read
into memory after their declared sizes and inflation ratios passed the limits
(zip_directory.py), and every file must parse as one of the accepted image formats
whatever its name says. An upload's bytes are read in a bounded worker process, away
from the server's GIL. Decoding is bounded in bytes,
files and images, and also in total decoded pixels and wall time: a few hundred small
files can each declare 4096x4096 pixels.

Files that are not used are counted by reason in `ImageSet.skipped`; `ImageSet.summary`
says so in one line.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import numpy as np

from gan_core.data.image_decoding import ACCEPTED_NAMES, ShapeRules, SkippedImage, SquareImage, decode_square
from gan_core.data.imageset import DataError, ImageSet, one_line_reason, skipped_summary
from gan_core.uploads.bounded_worker import WorkLimits, WorkRefused, run_bounded
from gan_core.uploads.zip_directory import inflation_problem

GRAY_SIDE, COLOUR_SIDE = 28, 32
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
MB = 1024 * 1024
# An upload's worker: Python, numpy and Pillow start in about a second on a busy core; the
# set's arrays (20,000 images at 32x32x3 in two sides: ~100 MB) and one 4096x4096 RGBA
# decode with its conversions (~300 MB) fit in the memory, beside two copies of the zip.
WORKER_SLACK_SECONDS = 15.0
WORKER_MEMORY_MB = 1024


@dataclass(frozen=True)
class UserImageLimits:
    """Bounds on one folder or zip of untrusted images.

    The pixel budget (width x height as decoded, summed; a JPEG decodes at a reduced scale)
    is reached in about 9 s on two busy cores: a 1 MB zip of 40 flat 4096x4096 PNGs
    (0.67 gigapixels) was refused then. The time budget catches slower decoders."""

    max_images: int = 20_000
    max_files: int = 100_000  # files looked at, images or not
    max_total_bytes: int = 200 * MB  # image bytes read (a zip's declared uncompressed total)
    max_file_bytes: int = 50 * MB
    max_side: int = 4096  # width and height before resizing
    min_side: int = 4  # the smallest output side (image_size)
    max_out_side: int = 512
    min_image_side: int = 8  # smaller images are skipped: a crop of them is a flat patch
    max_aspect: float = 4.0  # longer / shorter side; longer strips are skipped
    max_total_pixels: int = 500_000_000  # width x height decoded, summed over the set
    max_seconds: float = 60.0  # wall time for decoding the whole set

    @property
    def shape_rules(self) -> ShapeRules:
        """The per-image size rules (max side, min side, max aspect) these limits imply."""
        return ShapeRules(max_side=self.max_side, min_side=self.min_image_side, max_aspect=self.max_aspect)


# (display name, size in bytes, opener): the opener gives a binary stream of the file
_Entry = tuple[str, int, Callable[[], BinaryIO]]


def load_images_from_folder(
    path, image_size: int | None = None, limits: UserImageLimits = UserImageLimits()
) -> ImageSet:
    """Every image under `path` (subfolders included, hidden files and __MACOSX left out)."""
    folder = Path(path).expanduser()
    if not folder.exists():
        raise DataError(f"no such folder: '{path}'")
    if not folder.is_dir():
        raise DataError(f"'{path}' is not a folder")
    entries = list(_folder_entries(folder, limits))
    if not entries:
        raise DataError(f"the folder '{folder.name}' has no files (hidden files are ignored)")
    return _decode_entries(entries, folder.name, image_size, limits, limit_image_bytes=True)


def load_images_from_zip(path, image_size: int | None = None, limits: UserImageLimits = UserImageLimits()) -> ImageSet:
    """Every image inside the zip file at `path`, as for a folder (hidden files and __MACOSX
    left out); images resized to `image_size` (None: 28 when all are grayscale, else 32) within `limits`.
    Raises DataError (one line) for a missing or unreadable zip, one with no files or no
    usable image, or one past a limit (bytes, files, images, pixels, seconds, zip ratio).
    """
    zip_path = Path(path).expanduser()
    if not zip_path.is_file():
        raise DataError(f"no such file: '{path}'")
    with open(zip_path, "rb") as fh:
        return _load_zip(fh, zip_path.name, image_size, limits)


def load_images_from_zip_bytes(
    data: bytes, name: str, image_size: int | None = None, limits: UserImageLimits = UserImageLimits()
) -> ImageSet:
    """For uploads: the zip's bytes and the name to show for it, read as load_images_from_zip
    reads a file, but in a bounded worker process (gan_core.uploads.bounded_worker): the zip
    directory, Pillow's header parsing and the per-image Python around decoding hold the
    GIL, which the server's pages and trainings share. The worker may run
    `limits.max_seconds` plus WORKER_SLACK_SECONDS and use WORKER_MEMORY_MB beyond its
    imports; past either, DataError (one line)."""
    bounds = WorkLimits(
        seconds=limits.max_seconds + WORKER_SLACK_SECONDS,
        memory_mb=WORKER_MEMORY_MB + 2 * len(data) // MB,
        imports=("gan_core.data.user_images",),
    )
    try:
        return run_bounded(_load_zip_bytes_here, (data, name, image_size, limits), limits=bounds, what=f"'{name}'")
    except WorkRefused as e:
        raise DataError(str(e)) from None


def _load_zip_bytes_here(data: bytes, name: str, image_size, limits: UserImageLimits) -> ImageSet:
    return _load_zip(io.BytesIO(data), name, image_size, limits)


def _load_zip(stream: BinaryIO, name: str, image_size, limits: UserImageLimits) -> ImageSet:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as err:
        raise DataError(f"'{name}' is not a readable zip file ({one_line_reason(err)})") from None
    with archive:
        members = _zip_members(archive, name, limits)
        if not members:
            raise DataError(f"the zip '{name}' has no files (hidden files and __MACOSX are ignored)")
        entries = [(info.filename, info.file_size, _zip_opener(archive, info, name)) for info in members]
        return _decode_entries(entries, name, image_size, limits, limit_image_bytes=False)


def _folder_entries(folder: Path, limits: UserImageLimits) -> Iterator[_Entry]:
    seen = 0
    for root, dirs, files in os.walk(folder):  # symlinked folders are not followed
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for file_name in sorted(files):
            file_path = Path(root) / file_name
            if _hidden(file_name) or file_path.is_symlink() or not file_path.is_file():
                continue
            seen += 1
            if seen > limits.max_files:
                raise DataError(
                    f"the folder '{folder.name}' has more than {limits.max_files} files; "
                    f"point to a folder with only the images"
                )
            yield (
                file_path.relative_to(folder).as_posix(),
                file_path.stat().st_size,
                lambda p=file_path: open(p, "rb"),
            )


def _zip_members(archive: zipfile.ZipFile, name: str, limits: UserImageLimits) -> list:
    infos = archive.infolist()
    if len(infos) > limits.max_files:
        raise DataError(f"the zip '{name}' has {len(infos)} entries, more than {limits.max_files}")
    members, total = [], 0
    for info in infos:
        _check_entry_path(info.filename, name)
        parts = PurePosixPath(info.filename.replace("\\", "/")).parts
        if info.is_dir() or any(_hidden(part) for part in parts):
            continue
        if info.flag_bits & 0x1:
            raise DataError(f"the zip '{name}' is password protected: zip the images without a password")
        total += info.file_size
        members.append(info)
    bomb = inflation_problem(members)
    if bomb:
        raise DataError(f"the zip '{name}' {bomb}: refusing a possible zip bomb")
    if total > limits.max_total_bytes:
        raise DataError(
            f"the zip '{name}' unpacks to {total // MB} MB, more than the {limits.max_total_bytes // MB} MB allowed"
        )
    return members


def _check_entry_path(entry: str, name: str) -> None:
    posix = entry.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":") or ".." in posix.split("/"):
        raise DataError(f"the zip '{name}' contains an unsafe path '{entry}' (absolute or with '..'): refusing it")


def _zip_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Callable[[], BinaryIO]:
    def open_member() -> BinaryIO:
        """The member's bytes as a file object; DataError (one line) when it cannot be read."""
        try:
            with archive.open(info) as member:
                # zipfile stops at the declared size, so this read is bounded by the checks above
                return io.BytesIO(member.read(info.file_size + 1))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
            raise DataError(f"the zip '{name}' is damaged at {info.filename} ({one_line_reason(err)})") from None
        except NotImplementedError as err:
            raise DataError(
                f"the zip '{name}' uses an unsupported compression ({one_line_reason(err)}): "
                f"zip it again with standard (deflate) compression"
            ) from None
        except RuntimeError as err:  # encrypted entries
            raise DataError(f"the zip '{name}' cannot be read ({one_line_reason(err)})") from None

    return open_member


def _decode_entries(
    entries: Iterable[_Entry], name: str, image_size: int | None, limits: UserImageLimits, limit_image_bytes: bool
) -> ImageSet:
    """Decode each entry. A zip's declared total was checked before; a folder's image bytes are counted here."""
    if image_size is not None and not limits.min_side <= image_size <= limits.max_out_side:
        raise DataError(
            f"image size must be between {limits.min_side} and {limits.max_out_side} pixels, got {image_size}"
        )
    entries = list(entries)
    named_as_images = sum(1 for entry in entries if entry[0].lower().endswith(IMAGE_SUFFIXES))
    if named_as_images > limits.max_images:  # fail before decoding thousands of them
        raise DataError(f"'{name}' has more than {limits.max_images} images; use at most {limits.max_images}")
    sides = (image_size,) if image_size else (GRAY_SIDE, COLOUR_SIDE)
    images: list[SquareImage] = []
    skipped: Counter = Counter()
    image_bytes = pixels = 0
    started = time.monotonic()
    for entry_name, size, open_entry in entries:
        if time.monotonic() - started > limits.max_seconds:
            raise DataError(
                f"decoding '{name}' took more than {limits.max_seconds:g} s "
                f"({len(images)} images so far): use fewer or smaller images"
            )
        if size > limits.max_file_bytes:
            skipped[f"over {limits.max_file_bytes // MB} MB"] += 1
            continue
        try:
            with open_entry() as stream:
                square = decode_square(stream, sides, limits.shape_rules)
        except SkippedImage as skip:
            skipped[skip.reason] += 1
            continue
        except OSError as err:
            raise DataError(f"cannot read {entry_name} in '{name}' ({one_line_reason(err)})") from None
        image_bytes += size
        pixels += square.decoded_pixels
        if pixels > limits.max_total_pixels:
            raise DataError(
                f"'{name}' holds more than {limits.max_total_pixels:,} pixels of images in total "
                f"(width x height as decoded); use fewer or smaller images"
            )
        if limit_image_bytes and image_bytes > limits.max_total_bytes:
            raise DataError(
                f"'{name}' holds more than {limits.max_total_bytes // MB} MB of images; use fewer or smaller ones"
            )
        if len(images) == limits.max_images:
            raise DataError(f"'{name}' has more than {limits.max_images} images; use at most {limits.max_images}")
        if not image_size and not square.gray:
            sides = (COLOUR_SIDE,)  # colour decides the side: stop making 28-pixel copies
        images.append(square)
    if not images:
        raise DataError(
            f"no images in '{name}': {skipped_summary(skipped)} "
            f"(accepted formats: {ACCEPTED_NAMES}; at least {limits.min_image_side} px a side, "
            f"at most {limits.max_aspect:g}:1)"
        )
    return ImageSet(images=_stack(images, image_size), labels=None, name=name, skipped=dict(skipped))


def _stack(images: list[SquareImage], image_size: int | None) -> np.ndarray:
    if all(image.gray for image in images):
        side = image_size or GRAY_SIDE
        return np.stack([image.pixels[side] for image in images])[..., None]
    side = image_size or COLOUR_SIDE
    return np.stack(
        [
            image.pixels[side] if not image.gray else np.repeat(image.pixels[side][..., None], 3, axis=-1)
            for image in images
        ]
    )


def _hidden(part: str) -> bool:
    return part.startswith(".") or part == "__MACOSX"
