"""Hostile uploads (devtools/hostile_inputs.py), each fed through the path a page or the CLI
uses: refused in one line, quickly, with the memory of a plain file.

The table's peak RSS is this case's own process; `sample`'s case names its CLI's peak too.
`python -m devtools.hostile_measure` measures the same inputs with a busy loop beside them.
"""

from __future__ import annotations

import time
from pathlib import Path

from devtools import hostile_inputs as hostile
from devtools.hostile_measure import measure

from .case import Case


def _refused(call, error_type) -> tuple[str, float]:
    start = time.monotonic()
    try:
        call()
    except error_type as e:
        message = str(e)
        assert "\n" not in message, message
        return message, time.monotonic() - start
    raise AssertionError("accepted")


def quotes_and_commas_csv(workdir: Path) -> str:
    """A 256 KiB line of quotes and commas (csv.Sniffer's quadratic case) through the playground's upload."""
    from gan_core.toy import PointsError
    from gan_core.toy.source import read_uploaded_points

    data = hostile.quotes_and_commas_csv(workdir, 256).read_bytes()
    message, seconds = _refused(lambda: read_uploaded_points(data), PointsError)
    assert message.startswith("line 1 has 262,144 characters") and seconds < 10, (message, seconds)
    return f"refused in {seconds:.1f} s: {message}"


def whitespace_config_upload(workdir: Path) -> str:
    """A 1 MB .keras whose config.json inflates to 1 GiB of spaces through the Latent explorer's upload."""
    from gan_core.generators.source import GeneratorError, load_uploaded_generator

    data = hostile.whitespace_config_keras(workdir).read_bytes()
    message, seconds = _refused(lambda: load_uploaded_generator(data, "g.keras"), GeneratorError)
    assert "config.json unpacks to 1,024.0 MB" in message and seconds < 10, (message, seconds)
    return f"{len(data) // 1024} kB file refused in {seconds:.1f} s: {message}"


def whitespace_config_sample(workdir: Path) -> str:
    """`sample --run` on a run folder holding that file: exit 2 with one line, a plain sample's memory."""
    result = measure("sample", hostile.run_folder_with(workdir, hostile.whitespace_config_keras(workdir)), 300)
    assert result["outcome"].startswith("exit 2: error: generator.keras could not be read"), result
    assert result["children_mib"] < 1200, result
    return f"{result['outcome']} (sample's peak {result['children_mib']:.0f} MiB; 2.8 GB before the bounds)"


def huge_generators(workdir: Path) -> str:
    """Configs asking for a 10^9-unit Dense and a 16384x16384 image: refused before they are built
    (the first time includes importing TensorFlow, as a server's first generator does)."""
    from gan_core.generators.source import GeneratorError, load_uploaded_generator

    lines = []
    for path in (hostile.huge_dense_keras(workdir), hostile.huge_image_keras(workdir)):
        data, name = path.read_bytes(), path.name
        message, seconds = _refused(lambda data=data, name=name: load_uploaded_generator(data, name), GeneratorError)
        assert "is too large to load here" in message, message
        lines.append(f"{seconds:.1f} s: {message.split(': ', 1)[1]}")
    return "; ".join(lines)


def image_zip_bomb(workdir: Path) -> str:
    """150 members of 1 MiB of zeros (1 KB each packed) beside 3 PNGs through the Train page's upload."""
    from gan_core.data import DataError, load_images_from_zip_bytes

    data = hostile.zip_bomb_images(workdir).read_bytes()
    message, seconds = _refused(lambda: load_images_from_zip_bytes(data, "set.zip"), DataError)
    assert message.endswith("refusing a possible zip bomb"), message
    return f"{len(data) // 1024} kB zip refused in {seconds:.1f} s: {message}"


CASES = [
    Case("256 KiB line of quotes and commas (upload)", quotes_and_commas_csv),
    Case("config.json of 1 GiB of spaces (upload)", whitespace_config_upload),
    Case("config.json of 1 GiB of spaces (sample)", whitespace_config_sample),
    Case("10^9-unit Dense, 16384x16384 image (upload)", huge_generators),
    Case("image zip inflating a thousandfold (upload)", image_zip_bomb),
]
