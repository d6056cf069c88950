"""The app's copy of a run folder another machine writes (gan_core.store.remote_copy), here
with both sides in one process: copied while a real training writes it, the copy ends equal
to the original byte for byte; a file replaced or grown between two passes is copied right;
names from the other side cannot reach outside the folder."""

import os
import time

import pytest

from gan_core.config.presets import preset
from gan_core.store import checkpoint
from gan_core.store.fileio import atomic_write_text
from gan_core.store.remote_copy import FolderMirror, list_files, read_part


def _mirror(source, target):
    return FolderMirror(
        target,
        lambda final: list_files(source, with_checkpoints=final),
        lambda rel, inode, offset, size: read_part(source, rel, inode, offset, size),
    )


def _tree(root):
    """{relative path: bytes} of every file under root, hidden names included."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_copy_made_while_a_training_writes_ends_equal_to_it(small_digits, tmp_path):
    from gan_core.run.trainer import Trainer

    source, target = tmp_path / "worker" / "run", tmp_path / "app" / "run"
    cfg = preset("fast-demo").with_overrides(["run.max_seconds=0", "run.epochs=3", "run.grid_size=4"])
    trainer = Trainer(cfg, run_dir=source, data=small_digits)
    mirror = _mirror(source, target)
    trainer.start()
    seen_generator = False
    while trainer.alive:
        mirror.sync()  # while it trains: everything but the checkpoints
        seen_generator |= (target / "generator.keras").exists()
        assert not (target / checkpoint.FOLDER).exists()
        time.sleep(0.05)
    trainer.join()
    assert trainer.snapshot().state == "finished"
    assert seen_generator  # the app had the generator before the end
    assert mirror.sync(final=True)

    assert _tree(target) == _tree(source)  # checkpoints, grids, metrics, status: all of it
    newest = target / "checkpoints" / "00000060"
    for name in ("generator.keras", "discriminator.keras"):  # hard links there, hard links here
        assert (target / name).stat().st_ino == (newest / name).stat().st_ino
    steps = [int(p.name) for p in checkpoint.checkpoints(target)]
    # 20 steps an epoch; every epoch's checkpoint is kept (a branch may start from any), on both sides.
    assert steps == [int(p.name) for p in checkpoint.checkpoints(source)] == [20, 40, 60]
    # A file that only grew was copied by its new bytes: far less than each pass copying it whole.
    assert mirror.bytes_copied < 3 * sum(len(b) for b in _tree(source).values())


def test_a_file_replaced_or_grown_between_passes_is_copied_right(tmp_path):
    source, target = tmp_path / "worker", tmp_path / "app"
    source.mkdir()
    atomic_write_text(source / "status.json", '{"state": "running"}')
    (source / "metrics.jsonl").write_text('{"step": 1}\n')
    reads = []
    replaced = []

    def read(rel, inode, offset, size):
        if rel == "status.json" and not replaced:
            replaced.append(rel)
            # Replaced between the listing and the read: the listed inode is gone.
            atomic_write_text(source / "status.json", '{"state": "finished"}')
        reads.append((rel, offset))
        return read_part(source, rel, inode, offset, size)

    mirror = FolderMirror(target, lambda final: list_files(source, final), read)
    assert mirror.sync() is False  # status.json changed under it: not copied this pass
    assert not (target / "status.json").exists()
    assert (target / "metrics.jsonl").read_text() == '{"step": 1}\n'

    with open(source / "metrics.jsonl", "a") as fh:
        fh.write('{"step": 2}\n')
    reads.clear()
    assert mirror.sync() is True
    assert (target / "status.json").read_text() == '{"state": "finished"}'
    assert (target / "metrics.jsonl").read_text() == '{"step": 1}\n{"step": 2}\n'
    assert ("metrics.jsonl", len('{"step": 1}\n')) in reads  # only the appended row was read

    (source / "metrics.jsonl").unlink()
    assert mirror.sync() is True
    assert not (target / "metrics.jsonl").exists()  # removed there, removed here


@pytest.mark.parametrize("name", ["../outside.txt", "/tmp/outside.txt", ".hidden", "a/../../outside.txt", ""])
def test_a_name_outside_the_folder_is_refused(tmp_path, name):
    target = tmp_path / "app" / "run"
    mirror = FolderMirror(target, lambda final: {name: (4, 1)}, lambda *a: b"evil")
    with pytest.raises(ValueError, match="is not a file name inside a run folder"):
        mirror.sync()
    assert not (tmp_path / "app" / "outside.txt").exists() and not (tmp_path / "outside.txt").exists()
    with pytest.raises(ValueError):
        read_part(tmp_path, name, 1, 0, 10)


def test_the_listing_leaves_out_hidden_names_links_and_checkpoints_until_asked(tmp_path):
    (tmp_path / "checkpoints" / "00000020").mkdir(parents=True)
    (tmp_path / "checkpoints" / "00000020" / "state.json").write_text("{}")
    (tmp_path / "checkpoints" / ".00000040.partial").mkdir()
    (tmp_path / "checkpoints" / ".00000040.partial" / "state.json").write_text("{}")
    (tmp_path / ".config.json.abc.tmp").write_text("half")
    (tmp_path / "config.json").write_text("{}")
    os.symlink("/etc/passwd", tmp_path / "passwd")

    assert set(list_files(tmp_path, with_checkpoints=False)) == {"config.json"}
    assert set(list_files(tmp_path, with_checkpoints=True)) == {"config.json", "checkpoints/00000020/state.json"}
    assert list_files(tmp_path / "missing", with_checkpoints=True) == {}


def test_a_mirror_never_touches_files_it_did_not_copy(tmp_path):
    source, target = tmp_path / "worker", tmp_path / "app"
    source.mkdir()
    target.mkdir()
    (target / ".ray-claim").write_text("the app's own")
    (target / "notes.txt").write_text("the app's own")
    (source / "config.json").write_text("{}")
    mirror = _mirror(source, target)
    assert mirror.sync(final=True)
    (source / "config.json").unlink()
    assert mirror.sync(final=True)
    assert sorted(p.name for p in target.iterdir()) == [".ray-claim", "notes.txt"]
