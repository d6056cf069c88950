"""The server's one pool of jobs, shared by every browser session, on the backend the
environment names: Ray actors on the cluster of `GAN_LAB_RAY_ADDRESS` when it is set, else
trainer threads in this process.

The backend is passed into the pool here (`ray_pool` builds a TrainerPool with Ray's trainer
factory and admission), so the pool itself imports no backend.
"""

from __future__ import annotations

import os
import threading

from gan_core.jobs.pool import TrainerPool

_SHARED: TrainerPool | None = None
_SHARED_LOCK = threading.Lock()


def shared_pool() -> TrainerPool:
    """The one pool of this server process, shared by every browser session: on the Ray
    cluster named by `GAN_LAB_RAY_ADDRESS` when it is set, else trainer threads here.

    Raises ConfigError (a bad address) or ConnectionError (no cluster there), one line each;
    the next call tries again.
    """
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            address = os.environ.get("GAN_LAB_RAY_ADDRESS", "").strip()
            if address:
                from gan_core.jobs.ray_backend import ray_pool  # Ray only when asked for

                _SHARED = ray_pool(address)
            else:
                _SHARED = TrainerPool()
        return _SHARED
