"""Run folders of a class that presses Start together: thirty names made in the same second
are thirty different folders, and one folder given to several trainings at once holds the
run of exactly one of them, never a mix or an overwrite."""

import json
import re
import threading
import time

from gan_core.config.presets import preset
from gan_core.store.runs import RunError, RunFolder, new_run_id


def _together(count, work):
    """Run `work(i)` on `count` threads released at the same instant; their results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def one(i):
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as e:  # kept to be asserted on
            results[i] = e

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_thirty_starts_in_the_same_second_get_thirty_folders(tmp_path):
    # The old names came from the process id and the clock's milliseconds: thirty threads of
    # one server in one millisecond shared them.
    start = time.time()
    names = _together(30, lambda i: new_run_id("dcgan-hacks"))
    assert time.time() - start < 5
    assert len(set(names)) == 30
    stamps = {name[:15] for name in names}
    assert len(stamps) <= 2  # the same second (or the tick between two)
    assert all(re.fullmatch(r"\d{8}-\d{6}-dcgan-hacks-[0-9a-f]{8}", name) for name in names)

    cfgs = [preset("fast-demo").with_overrides([f"run.seed={i}"]) for i in range(30)]
    runs = _together(30, lambda i: RunFolder.create(tmp_path / names[i], cfgs[i]))
    assert all(isinstance(run, RunFolder) for run in runs)
    for i, name in enumerate(names):
        assert json.loads((tmp_path / name / "config.json").read_text())["run"]["seed"] == i
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def test_one_folder_given_to_thirty_trainings_holds_exactly_one_run(tmp_path):
    folder = tmp_path / "same-name"
    cfgs = [preset("fast-demo").with_overrides([f"run.seed={i}"]) for i in range(30)]
    results = _together(30, lambda i: RunFolder.create(folder, cfgs[i]))

    won = [i for i, r in enumerate(results) if isinstance(r, RunFolder)]
    refused = [r for r in results if isinstance(r, RunError)]
    assert len(won) == 1 and len(refused) == 29
    assert all("already holds a run" in str(e) and "\n" not in str(e) for e in refused)
    # The folder holds the winner's whole config, and no temporary file of a loser.
    assert json.loads((folder / "config.json").read_text())["run"]["seed"] == won[0]
    assert [p.name for p in folder.iterdir()] == ["config.json"]
