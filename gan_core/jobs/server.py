"""The server's one pool of jobs and its class, shared by every browser session.

The pool runs on the backend the environment names: Ray actors on the cluster of
`GAN_LAB_RAY_ADDRESS` when it is set, else trainer threads in this process. The backend is
passed into the pool here (`ray_pool` builds a TrainerPool with Ray's trainer factory and
admission), so the pool itself imports no backend. The class (gan_core.jobs.classroom) holds
the limits the teacher sets; changing them here changes the pool's slots too.
"""

from __future__ import annotations

import logging
import os
import threading

from gan_core.jobs.classroom import Classroom, ClassRules, rules_from_env, teacher_token_from_env
from gan_core.jobs.pool import TrainerPool

_SHARED: TrainerPool | None = None
_CLASS: Classroom | None = None
_SHARED_LOCK = threading.Lock()


def shared_classroom() -> Classroom:
    """The server's class: limits from the environment, the teacher token from
    `GAN_LAB_TEACHER_TOKEN` (generated, and logged once, when unset). ConfigError (one line)
    for a bad environment value; the next call tries again."""
    global _CLASS
    with _SHARED_LOCK:
        if _CLASS is None:
            generated = not os.environ.get("GAN_LAB_TEACHER_TOKEN", "").strip()
            _CLASS = Classroom(rules_from_env(), teacher_token_from_env())
            if generated:  # `make run` sets it and prints the link itself
                logging.getLogger(__name__).warning(
                    "teacher link: <this server's address>/?teacher=%s", _CLASS.teacher_token
                )
        return _CLASS


def shared_pool() -> TrainerPool:
    """The one pool of this server process, shared by every browser session: on the Ray
    cluster named by `GAN_LAB_RAY_ADDRESS` when it is set, else trainer threads here, with the
    class's trainings at once as its slots.

    Raises ConfigError (a bad address or class limit) or ConnectionError (no cluster there),
    one line each; the next call tries again.
    """
    global _SHARED
    classroom = shared_classroom()
    with _SHARED_LOCK:
        if _SHARED is None:
            address = os.environ.get("GAN_LAB_RAY_ADDRESS", "").strip()
            if address:
                from gan_core.jobs.ray_backend import ray_pool  # Ray only when asked for

                _SHARED = ray_pool(address)
            else:
                _SHARED = TrainerPool(max_active=classroom.rules().max_trainings)
        return _SHARED


def change_rules(**changes) -> ClassRules:
    """Change the class's limits (ClassRules' fields, as the teacher's Class page sends them) and
    the pool's slots with them; ConfigError (one line) for a value out of range, nothing changed."""
    rules = shared_classroom().set_rules(**changes)
    shared_pool().max_active = rules.max_trainings
    return rules


# Modules pages import on first use (the Latent explorer's discovered directions, the
# playground's clusters, the label-free meters). An import runs Python under the interpreter
# lock from start to end (these about 1 s on two cores), so the first student to open such a
# page mid-class would hold back every training that long; a server imports them at its start.
PAGE_IMPORTS = ("sklearn.decomposition", "sklearn.cluster", "sklearn.neighbors", "sklearn.metrics")


def preload_page_imports(after: threading.Thread | None = None, modules=PAGE_IMPORTS) -> threading.Thread:
    """Import `modules` in a daemon thread (started here, returned for tests), once `after` has
    ended (the default step's warm-up: the first Start is not kept waiting). A module that fails
    to import is logged; the page that needs it reports the error itself."""
    import importlib

    def work() -> None:
        """Wait for `after`, then import each module (errors logged)."""
        if after is not None:
            after.join()
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a failed preload must not take the server down
                logging.getLogger(__name__).exception("could not preload %s", name)

    thread = threading.Thread(target=work, name="preload-page-imports", daemon=True)
    thread.start()
    return thread
