"""Names of discovered directions: kept in a run's folder or by the generator file's SHA-256,
and hostile text from a browser refused or cleaned."""

from __future__ import annotations

import json
import time

import pytest

from gan_core.store.direction_names import (
    MAX_FILE_BYTES,
    NAME_MAX,
    RUN_FILE,
    STORE_DIR,
    NameRefused,
    clean_name,
    file_sha256,
    names_path,
    read_names,
    save_name,
)

DIGEST = "ab" * 32
OTHER = "cd" * 32


def test_names_round_trip_through_a_run_folder(tmp_path):
    run = tmp_path / "runs" / "run-1"
    run.mkdir(parents=True)
    path = names_path(DIGEST, tmp_path / "runs", run_folder=run)
    assert path == run / RUN_FILE
    save_name(path, 1, "slant", DIGEST)
    assert save_name(path, 3, "thickness", OTHER) == {1: "slant", 3: "thickness"}
    assert read_names(path) == ({1: "slant", 3: "thickness"}, OTHER)  # the generator last named for
    save_name(path, 1, "   ", OTHER)  # an empty name removes it
    assert read_names(path)[0] == {3: "thickness"}


def test_names_of_a_generator_that_is_not_a_run_are_kept_by_its_digest(tmp_path):
    runs = tmp_path / "runs"
    generator = tmp_path / "generator.keras"
    generator.write_bytes(b"weights")
    digest = file_sha256(generator)
    path = names_path(digest, runs)
    assert path == runs / STORE_DIR / f"{digest}.json"
    save_name(path, 2, "Dicke ✓ ß", digest)
    assert read_names(names_path(digest, runs)) == ({2: "Dicke ✓ ß"}, digest)
    assert read_names(names_path(OTHER, runs)) == ({}, None)  # another generator has its own


def test_control_and_format_characters_are_removed_and_whitespace_collapsed():
    assert clean_name("  thick\x1b[31m\tness\n ") == "thick[31m ness"
    assert clean_name("left\u202eright\u200b") == "leftright"  # a bidi override and a zero-width space
    assert clean_name("x" * NAME_MAX) == "x" * NAME_MAX


@pytest.mark.parametrize(
    "number,text,digest,message",
    [
        (1, "x" * (NAME_MAX + 1), DIGEST, f"at most {NAME_MAX} characters; this one has {NAME_MAX + 1}"),
        (1, 12, DIGEST, "must be text"),
        (0, "slant", DIGEST, "numbered 1 to 10"),
        (11, "slant", DIGEST, "numbered 1 to 10"),
        (True, "slant", DIGEST, "numbered 1 to 10"),
        ("1", "slant", DIGEST, "numbered 1 to 10"),
        (1, "slant", "../" + DIGEST[3:], "SHA-256"),
    ],
)
def test_bad_names_numbers_and_digests_are_refused_in_one_line_and_nothing_is_written(
    tmp_path, number, text, digest, message
):
    path = names_path(DIGEST, tmp_path)
    save_name(path, 4, "kept", DIGEST)
    before = path.read_bytes()
    with pytest.raises(NameRefused, match=message) as refused:
        save_name(path, number, text, digest)
    assert "\n" not in str(refused.value)
    assert path.read_bytes() == before
    with pytest.raises(NameRefused, match="SHA-256"):
        names_path("../../etc/passwd", tmp_path)


def test_a_name_that_looks_like_a_path_is_only_text_in_the_names_file(tmp_path):
    runs = tmp_path / "runs"
    path = names_path(DIGEST, runs)
    save_name(path, 1, "../../../escaped", DIGEST)
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()] == [
        f"runs/{STORE_DIR}/{DIGEST}.json"
    ]
    assert read_names(path)[0] == {1: "../../../escaped"}


def test_a_huge_name_is_refused_without_reading_it_all():
    started = time.perf_counter()
    with pytest.raises(NameRefused, match="at most 40 characters"):
        clean_name("\x00" * 50_000_000)  # would clean to "" if every character were looked at
    assert time.perf_counter() - started < 5


def test_a_damaged_or_oversized_names_file_reads_as_no_names_and_can_be_written_again(tmp_path):
    path = names_path(DIGEST, tmp_path)
    path.parent.mkdir(parents=True)
    for content in (b"{not json", b"[1, 2]", json.dumps({"names": {"1": 5, "99": "x", "2": "ok"}}).encode()):
        path.write_bytes(content)
        assert read_names(path)[0] == ({2: "ok"} if b"ok" in content else {})
    path.write_bytes(b'{"names": {"1": "' + b"x" * MAX_FILE_BYTES + b'"}}')
    assert read_names(path) == ({}, None)
    assert save_name(path, 1, "slant", DIGEST) == {1: "slant"}
