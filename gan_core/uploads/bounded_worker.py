"""Pure-Python work on an untrusted upload, done in a worker process with a time and a memory limit.

One Streamlit server runs every session and every training in one process under one GIL
(docs/design.md, "Streamlit and Keras"): a CSV that makes a parser spin or a zip directory of 100,000 entries
would stall every page and every training while it is read. `run_bounded` runs such a
function in a separate process instead, so the server's threads keep running; the
calling session waits (without the GIL) for its answer.

Each call gets a fresh worker (pebble's ProcessPool with max_tasks=1, workers started from
a forkserver, never forked from the server with its TensorFlow threads). The worker is
stopped when the call runs past its time limit; its address space may grow by at most the
call's memory limit after its imports (RLIMIT_AS), so an allocation past it fails there.
Either way the caller gets `WorkRefused` with one line. At most `WORKERS` calls run at
once and `MAX_WAITING` more wait; past that a call is refused at once.

The function and its arguments must be picklable (a module-level function); the
function's own exceptions (PointsError, DataError, ...) reach the caller unchanged. As
with any spawned or forkserver process, a worker imports the main module again when that is
a script file, so a script that calls `run_bounded` keeps its work (imports included) under
`if __name__ == "__main__":`. Under Streamlit the main module is the app's script (app.py,
which does so: before, each worker imported TensorFlow with it, about 6 CPU-seconds an
upload); `python -m gan_core` and pytest are modules, imported again without their work.

Costs, measured on 2 busy cores: a call on a small file answers in 0.1-0.2 s once the pool
runs (the first call starts the forkserver: 1-2 s); the two waiting workers and the
forkserver hold about 30 MB each (numpy and Pillow preloaded), multiprocessing's resource
tracker about 13 MB.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import resource
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

WORKERS = 2  # calls running at once: each takes one core while the trainings share the rest
MAX_WAITING = 8  # calls queued behind them before new ones are refused
MB = 1024 * 1024
# Imported once in the forkserver, so a worker starts with them: every upload reader uses
# numpy, the image reader Pillow (a small CSV took 0.2-0.8 s a call on two busy cores when
# each worker imported numpy itself, 0.1-0.2 s with it preloaded).
PRELOAD = ("numpy", "PIL.Image")
# Workers never need an accelerator: one that imported TensorFlow would otherwise take GPU memory.
_WORKER_ENV = {"CUDA_VISIBLE_DEVICES": "-1"}


class WorkRefused(RuntimeError):
    """A bounded call was stopped or not started (over its time or memory limit, or the
    server busy with other calls); the message is one line a user can act on."""


@dataclass(frozen=True)
class WorkLimits:
    """What one call may spend: `seconds` of wall time once it has started, `memory_mb` MiB of
    address space beyond what its worker holds after importing `imports` (module names, e.g.
    the parser's own module, imported before the limit is set)."""

    seconds: float
    memory_mb: int
    imports: tuple[str, ...] = ()


_lock = threading.Lock()
_pool = None
_in_flight = 0


def run_bounded(function: Callable, args: Sequence = (), *, limits: WorkLimits, what: str = "the file"):
    """`function(*args)` in a worker process within `limits`; returns its result.

    Raises WorkRefused (one line naming `what` and the limit) when the call ran past its
    seconds, needed more than its memory, its worker died, or MAX_WAITING calls already wait;
    any exception the function raises is raised here unchanged.
    """
    global _in_flight
    with _lock:
        if _in_flight >= WORKERS + MAX_WAITING:
            raise WorkRefused(f"the server is reading {_in_flight} other uploads: try again in a minute")
        _in_flight += 1
    try:
        with _lock:
            pool = _running_pool()
        future = pool.schedule(_call_within, args=(function, tuple(args), limits), timeout=limits.seconds)
        return future.result()
    except (FutureTimeout, TimeoutError):
        raise WorkRefused(f"{what} took longer than {limits.seconds:g} s to read: refused") from None
    except MemoryError:
        raise WorkRefused(f"{what} needed more than {limits.memory_mb} MB to read: refused") from None
    except _expired_errors() as e:
        raise WorkRefused(
            f"the reader of {what} died (exit code {getattr(e, 'exitcode', '?')}) within its limits of "
            f"{limits.memory_mb} MB and {limits.seconds:g} s: refused"
        ) from None
    finally:
        with _lock:
            _in_flight -= 1


def _running_pool():
    """The process-wide pool, started on first use and again after a failure (caller holds _lock)."""
    global _pool
    from pebble import ProcessPool

    if _pool is None or not _pool.active:
        _pool = ProcessPool(max_workers=WORKERS, max_tasks=1, initializer=_start_worker, context=_context())
    return _pool


def _context():
    """forkserver where the platform has it: workers come from a clean interpreter, not a
    copy of the server's threads, with PRELOAD imported once; spawn elsewhere."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))  # read when the forkserver starts
    return context


def _expired_errors() -> tuple[type[BaseException], ...]:
    from concurrent.futures.process import BrokenProcessPool

    from pebble import ProcessExpired

    return (ProcessExpired, BrokenProcessPool)


def _start_worker() -> None:
    """Pool initializer, in each worker before its task."""
    os.environ.update(_WORKER_ENV)


def _call_within(function: Callable, args: tuple, limits: WorkLimits):
    """Worker side: import `limits.imports`, cap the address space's growth, run the call."""
    for name in limits.imports:
        importlib.import_module(name)
    _limit_address_space(limits.memory_mb * MB)
    return function(*args)


def _limit_address_space(extra_bytes: int) -> None:
    """RLIMIT_AS = this process's address space now + `extra_bytes` (never above the hard
    limit); nothing where /proc/self/statm is missing (not Linux)."""
    try:
        with open("/proc/self/statm") as fh:
            now = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = now + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
