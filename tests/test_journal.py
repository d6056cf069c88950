"""The journal a server keeps across restarts: read back bounded, whatever the file holds."""

from __future__ import annotations

import threading
import tracemalloc

from gan_core.store.journal import Journal


def test_rows_come_back_in_order_and_a_rewrite_replaces_them(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    assert journal.read() == []
    journal.append({"a": 1, "text": "é"})
    journal.append({"a": 2})
    assert journal.read() == [{"a": 1, "text": "é"}, {"a": 2}]
    journal.rewrite([{"a": 3}])
    assert journal.read() == [{"a": 3}]


def test_a_huge_file_is_read_only_as_far_as_its_bound(tmp_path):
    path = tmp_path / "j.jsonl"
    with open(path, "wb") as fh:
        fh.write(b" " * (64 * 2**20))  # 64 MiB of one line, then real rows
        fh.write(b'\n{"a": 1}\n{"a": 2}\n')
    journal = Journal(path, max_bytes=2**20)
    tracemalloc.start()
    rows = journal.read()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert rows == [{"a": 1}, {"a": 2}]
    assert peak < 8 * 2**20  # the bound, not the file


def test_lines_from_many_threads_never_interleave(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")

    def write(n):
        for i in range(200):
            journal.append({"thread": n, "i": i, "pad": "x" * 500})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = journal.read()
    assert len(rows) == 800 and all(len(r["pad"]) == 500 for r in rows)
