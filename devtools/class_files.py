"""The files the simulated students upload: the users' own (the shared cases) and hostile ones.

The users' files come as they are: image zips for the Train page, generators for the Latent
explorer, points CSVs for the 2D playground; the loose odd-sized images are zipped into one
set (the Train page takes a .zip). The hostile ones are written by devtools.hostile_inputs into
a folder of the caller's: CSVs of quotes and commas (64 and 256 KiB), a CSV whose first line
has 200,000 characters, a `.keras` whose config.json is 1 GiB of JSON whitespace (about 1 MB
on disk), one asking for a 10^9-unit Dense and one for a 16384x16384 output.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from devtools import hostile_inputs as hostile
from devtools.class_students import UploadFile

KINDS = {"images": "images", "models": "generator", "points": "points"}  # cases folder -> upload kind
SUFFIXES = {"images": ".zip", "generator": ".keras", "points": ".csv"}


def shared_case_files(cases: Path) -> list[UploadFile]:
    """Every file of the cases folder `cases` (images/, models/, points/) as an upload; [] when
    the folder is missing."""
    files = []
    for folder, kind in KINDS.items():
        for path in sorted((Path(cases) / folder).glob("*" + SUFFIXES[kind])):
            files.append(UploadFile(kind, path.name, path.read_bytes()))
    loose = sorted(p for p in (Path(cases) / "images" / "odd_sizes").glob("*") if p.is_file())
    if loose:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            for path in loose:
                archive.write(path, path.name)
        files.append(UploadFile("images", "odd_sizes.zip", buf.getvalue()))
    return files


def hostile_files(folder: Path) -> list[UploadFile]:
    """The hostile uploads (see the module's docstring), written into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    made = [
        ("points", hostile.quotes_and_commas_csv(folder, 64)),
        ("points", hostile.quotes_and_commas_csv(folder, 256)),
        ("points", hostile.long_first_line_csv(folder)),
        ("generator", hostile.whitespace_config_keras(folder)),
        ("generator", hostile.huge_dense_keras(folder)),
        ("generator", hostile.huge_image_keras(folder)),
    ]
    return [UploadFile(kind, path.name, path.read_bytes()) for kind, path in made]
