"""Joining a Ray cluster and asking it for room: the address, the connection, what one
training requests, and the pool's admission by the cluster's free resources.

See gan_core/jobs/ray_backend.py for the backend as a whole (docs/scaling.md, "A class on a Ray
cluster", for the set-up). Imported only when the Ray backend is used.
"""

from __future__ import annotations

import functools
import os
import re
import socket

import ray

from gan_core.config.tree import ConfigError
from gan_core.jobs.job import Job

PROBE_SECONDS = 3.0  # how long a cluster's port may take to accept a connection
# The app's settings the workers need too (caches of the judges, keras datasets, log level).
FORWARDED_ENV = ("GAN_LAB_CACHE", "KERAS_HOME", "TF_CPP_MIN_LOG_LEVEL")
AUTH_HINT = " (a cluster with token authentication needs RAY_AUTH_MODE=token and its token here too)"
_ADDRESS = re.compile(r"^(auto|local|ray://[\w.\-]+:\d{1,5}|[\w.\-]+:\d{1,5})$")


class RayUnavailable(ConnectionError):
    """The Ray cluster could not be reached or used; the message is one line."""


def parse_address(text: str) -> str:
    """The Ray address of `GAN_LAB_RAY_ADDRESS` text, stripped; ConfigError (one line) unless it
    is `auto`, `local`, `ray://host:port` or `host:port`."""
    address = text.strip()
    if not _ADDRESS.match(address):
        raise ConfigError(
            f"GAN_LAB_RAY_ADDRESS must be 'auto', 'local', 'ray://host:port' or 'host:port', got {text!r}"
        )
    return address


def connect(address: str, **init_args) -> None:
    """Join (or, for `local`, start) the Ray cluster at `address` unless this process is already
    connected; `init_args` go to ray.init (tests pass num_cpus, object_store_memory).

    Raises ConfigError for a bad address and RayUnavailable (one line) when no cluster answers.
    """
    address = parse_address(address)
    if ray.is_initialized():
        return
    if ":" in address:
        _probe(address)
    env = {name: os.environ[name] for name in FORWARDED_ENV if name in os.environ}
    try:
        ray.init(
            address=None if address == "local" else address,
            runtime_env={"env_vars": env} if env else None,
            log_to_driver=False,
            **init_args,
        )
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        # A token that is missing or wrong reads like a cluster that is not there.
        hint = "" if address == "local" else AUTH_HINT
        raise RayUnavailable(f"cannot use the Ray cluster at {address!r}: {first}{hint}") from None


def _probe(address: str) -> None:
    """RayUnavailable at once when nothing listens at the address's host:port: ray.init itself
    retries for up to a minute or two before it gives up."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=PROBE_SECONDS).close()
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise RayUnavailable(f"no Ray cluster answers at {address!r}: {reason}") from None


def requested_resources() -> tuple[float, float]:
    """(CPUs, GPUs) one training asks of Ray: `GAN_LAB_RAY_CPUS` (default 1) and
    `GAN_LAB_RAY_GPUS` (default 0; fractions share a GPU). ConfigError (one line) when bad."""
    values = []
    for name, default in (("GAN_LAB_RAY_CPUS", 1.0), ("GAN_LAB_RAY_GPUS", 0.0)):
        text = os.environ.get(name, "").strip()
        try:
            value = float(text) if text else default
        except ValueError:
            value = -1.0
        if not value >= 0:
            raise ConfigError(f"{name} must be a number of at least 0, got {text!r}")
        values.append(value)
    return values[0], values[1]


def copy_always() -> bool:
    """Whether every run folder comes back through Ray, even from a worker that sees the
    app's runs folder: `GAN_LAB_RAY_COPY_RUNS` "1" (for a shared disk that is slow, and to try
    the copy on one machine); "0" or unset, no. ConfigError (one line) for another value."""
    text = os.environ.get("GAN_LAB_RAY_COPY_RUNS", "").strip()
    if text not in ("", "0", "1"):
        raise ConfigError(f"GAN_LAB_RAY_COPY_RUNS must be 0 or 1, got {text!r}")
    return text == "1"


class ClusterAdmission:
    """The pool's admission on Ray: room for a training while the cluster has its CPUs and GPUs
    free (after those the pool's queued trainings will take); the busy line says how many of
    this server's trainings run and wait."""

    def __init__(self, cpus: float, gpus: float):
        self.cpus, self.gpus = cpus, gpus

    def busy_text(self, jobs: list[Job]) -> str | None:
        """None when one more training fits on the cluster now; else the one-line busy message."""
        active = [job for job in jobs if job.is_active()]
        queued = sum(1 for job in active if getattr(job, "queued", False))
        free = ray.available_resources()
        wanted = queued + 1
        if free.get("CPU", 0.0) >= wanted * self.cpus and free.get("GPU", 0.0) >= wanted * self.gpus:
            return None
        total = ray.cluster_resources()
        size = f"{total.get('CPU', 0):g} CPUs" + (f", {total.get('GPU', 0):g} GPUs" if total.get("GPU") else "")
        each = f"{self.cpus:g} CPU" + (f" + {self.gpus:g} GPU" if self.gpus else "")
        return (
            f"The Ray cluster is full: {len(active) - queued} training{'s' if len(active) - queued != 1 else ''} "
            f"running, {queued} queued ({size}; each training takes {each}). Try again when one finishes."
        )


@functools.cache
def actor_class(cls, cpus: float, gpus: float):
    """`cls` as a Ray actor class asking for `cpus` CPUs and `gpus` GPUs (made once per triple)."""
    return ray.remote(num_cpus=cpus, num_gpus=gpus)(cls)
