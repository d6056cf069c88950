"""The trainer pool on a Ray cluster (https://docs.ray.io): each training is one Ray actor.

Used when `GAN_LAB_RAY_ADDRESS` is set (or `train --backend ray`); the app never imports this
module otherwise, so `make run` needs no Ray. Joining the cluster and its admission are
gan_core.jobs.ray_cluster, the worker's side gan_core.jobs.ray_actor, copying a run folder back
gan_core.jobs.ray_mirror. A `RayTrainer` is the app's handle on one actor: a pool `Job` that
offers what pages read from a `Trainer`, from a copy of the trainer's board topped up with
only what is new at most every `SYNC_SECONDS`. Each actor asks for `GAN_LAB_RAY_CPUS` CPUs
(default 1) and `GAN_LAB_RAY_GPUS` GPUs (default 0), so the cluster's size is the slot limit.
A worker that sees the app's runs folder writes the run in place; any other writes it on its
own disk and the app copies it back through Ray, so no shared disk is needed. Every node needs
this package installed (`pip install -e ".[ray]"`).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import ray
from ray.exceptions import GetTimeoutError, RayActorError, RayError

from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.hacks.live import LIVE_KEYS, live_values
from gan_core.jobs.pool import TrainerPool
from gan_core.jobs.ray_actor import BoardIncrement, Placement, TrainerActor, apply_increment
from gan_core.jobs.ray_cluster import ClusterAdmission, actor_class, connect, copy_always, requested_resources
from gan_core.jobs.ray_mirror import RunCopy
from gan_core.run.snapshot import ACTIVE_STATES, Board, Snapshot, Status

SYNC_SECONDS = 0.5  # how stale the app's copy of a board may be (pages poll once a second)
CALL_SECONDS = 30.0  # a command the actor does not answer within this is reported as lost
STARTING_MESSAGE = "Starting on the Ray cluster (it waits while the cluster is full)…"
COPYING_MESSAGE = "Copying the run folder from the Ray worker…"


class RayTrainer:
    """One training as a Ray actor, seen from the app: a pool `Job` with a Trainer's reads and
    commands (status, snapshot, board, pause, resume, stop, set_hack, roll_back).

    `cfg` is validated at once (ConfigError); `run_dir` is the app's run folder, made
    absolute here, since the worker's working folder differs (see the module's note on where
    the worker writes it); `data` (an ImageSet or None) travels through Ray's object store.
    `cpus`/`gpus` default to `requested_resources()`, `copy_back` (always copy the run
    folder back, even from a worker that sees it) to `GAN_LAB_RAY_COPY_RUNS`. `placement`
    says where it runs once the cluster has placed it. Thread-safe: one sync at a time
    tops the copy up.
    """

    remote = True  # runs on the cluster: takes no slot of the app's machine (pool.py)

    def __init__(
        self,
        cfg: TrainConfig,
        run_dir=None,
        resume: bool = False,
        data=None,
        cpus: float | None = None,
        gpus: float | None = None,
        copy_back: bool | None = None,
    ):
        self.cfg = cfg.validated()
        self.run_dir = Path(run_dir).resolve() if run_dir else None
        self.resume_from = resume
        self._data = data
        default_cpus, default_gpus = requested_resources()
        self.cpus = default_cpus if cpus is None else cpus
        self.gpus = default_gpus if gpus is None else gpus
        self.copy_back = copy_always() if copy_back is None else copy_back
        self.placement: Placement | None = None
        self._copy = RunCopy(self.run_dir)
        self._live_cfg = self.cfg
        self._board = Board()
        self._board.update(
            state="idle",
            hacks=live_values(self.cfg),
            config_json=self.cfg.to_json(),
            max_seconds=self.cfg.run.max_seconds,
            run_dir=str(self.run_dir or ""),
        )
        self._actor = None
        self._started = None  # the ObjectRef of the actor's start(): ready once it is placed
        self._last_sync = 0.0
        self._sync_lock = threading.Lock()
        self._released = False

    # -- the Job protocol ----------------------------------------------------------
    def start(self) -> None:
        """Ask the cluster for an actor and start training there; RuntimeError when started before.
        Returns at once: until the cluster has room the training waits as "starting"."""
        if self._actor is not None:
            raise RuntimeError("this trainer was already started")
        threads = max(1, int(self.cpus))
        claim = self._copy.claim()
        self._actor = actor_class(TrainerActor, self.cpus, self.gpus).remote(
            self.cfg,
            str(self.run_dir) if self.run_dir else None,
            self.resume_from,
            self._data,
            threads,
            claim,
            self.copy_back,
        )
        self._data = None  # it lives in the object store now
        self._started = self._actor.start.remote()
        self._board.update(state="starting", message=STARTING_MESSAGE)

    @property
    def queued(self) -> bool:
        """Whether the actor is still waiting for the cluster to place it."""
        if self._started is None or self._released:
            return False
        ready, _ = ray.wait([self._started], timeout=0)
        return not ready

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the actor to stop (it writes a final checkpoint first); True when it ended, and its
        run folder is here whole, within `timeout` seconds (else the copy goes on and the
        training shows as stopping until it is done). A training still waiting for room is
        simply withdrawn."""
        if self._actor is None:
            self._board.update(state="stopped", message="Stopped before it started.")
            return True
        if self._released:  # it ended already
            return True
        if self.queued:
            self._release()
            self._copy.withdraw()
            self._board.update(state="stopped", message="Stopped before the cluster had room for it.")
            return True
        end = time.monotonic() + timeout
        ended = self._call("stop", timeout, wait=timeout + CALL_SECONDS)
        self._sync(force=True)  # the placement, and the final copy asked for
        if ended and self._copy.wait(end - time.monotonic()):
            self._sync(force=True)
        return bool(ended) and self._board.get("state") not in ACTIVE_STATES

    def join(self, timeout: float | None = None) -> None:
        """Wait until the training is no longer active, at most `timeout` seconds (None: no limit)."""
        end = None if timeout is None else time.monotonic() + timeout
        while self.is_active() and (end is None or time.monotonic() < end):
            time.sleep(min(SYNC_SECONDS, max(0.0, end - time.monotonic())) if end else SYNC_SECONDS)

    def is_active(self) -> bool:
        """Whether it is starting (queued too), running, paused or stopping, as of the last sync."""
        self._sync()
        return self._board.get("state") in ACTIVE_STATES

    def status(self) -> Status:
        """Scalars only (state, step, budget, warnings), as of at most SYNC_SECONDS ago."""
        self._sync()
        return self._board.status()

    # -- what pages read from a Trainer --------------------------------------------
    def snapshot(self) -> Snapshot:
        """Everything published so far (fetched now), as Trainer.snapshot."""
        self._sync(force=True)
        return self._board.snapshot()

    @property
    def board(self) -> Board:
        """The app's copy of the trainer's board (for a SeriesFollower); a roll-back that cut
        rows replaces it by a new Board, which a follower takes as a new run."""
        self._sync()
        return self._board

    def pause(self) -> None:
        """Pause between steps (only while running)."""
        self._command("pause")

    def resume(self) -> None:
        """Go on after a pause."""
        self._command("resume")

    def _command(self, name: str) -> None:
        if self._placed():
            self._call(name)
            self._sync(force=True)

    def set_hack(self, key: str, value) -> TrainConfig:
        """Queue a live change; validated here first, so a bad value raises ConfigError at once."""
        if key not in LIVE_KEYS:
            raise ConfigError(f"'{key}' cannot change while training (live keys: {', '.join(LIVE_KEYS)})")
        candidate = self._live_cfg.with_value(key, value).validated()
        problem = self._call("set_hack", key, value)
        if problem:
            raise ConfigError(problem)
        self._live_cfg = candidate
        return candidate

    def roll_back(self, timeout: float = 30.0) -> TrainConfig:
        """Back to the last good checkpoint (see Trainer.roll_back); RuntimeError (one line)."""
        result = self._call("roll_back", timeout, wait=timeout + CALL_SECONDS)
        if isinstance(result, str):
            raise RuntimeError(result)
        self._live_cfg = result
        self._sync(force=True)
        return result

    def last_good_step(self) -> int | None:
        """The step a roll-back would return to, or None."""
        return self._call("last_good_step") if self._placed() else None

    # -- talking to the actor ------------------------------------------------------
    def _placed(self) -> bool:
        """Whether an actor is running this training now (started, placed, not ended)."""
        return self._actor is not None and not self._released and not self.queued

    def _call(self, method: str, *args, wait: float = CALL_SECONDS):
        """The actor's answer to `method(*args)`; RuntimeError (one line) when it is gone."""
        if self._released:
            raise RuntimeError("this training has ended; its worker is gone")
        try:
            return ray.get(getattr(self._actor, method).remote(*args), timeout=wait)
        except GetTimeoutError:
            raise RuntimeError(f"the Ray worker did not answer {method} within {wait:.0f} s") from None
        except RayError as e:
            self._lost(e)
            raise RuntimeError(self._board.get("message")) from None

    def _sync(self, force: bool = False) -> None:
        """Top up the board copy from the actor (at most every SYNC_SECONDS unless `force`);
        once the training has ended, free its actor (and so its CPUs/GPUs)."""
        with self._sync_lock:  # pages of several sessions and the janitor poll at once
            now = time.monotonic()
            if self._actor is None or self._released or (not force and now - self._last_sync < SYNC_SECONDS):
                return
            self._last_sync = now
            if self.queued or not self._placed_here():
                return
            rows = self._board.rows()
            epochs = len(self._board.snapshot(series=False).epochs)
            try:
                increment = ray.get(self._actor.pull.remote(rows, epochs), timeout=CALL_SECONDS)
            except (RayError, GetTimeoutError) as e:
                self._lost(e)
                return
            ended = increment.snapshot.state not in ACTIVE_STATES and increment.snapshot.state != "idle"
            outcome = self._copy.finished(self._actor, self.placement) if ended else None
            copying = ended and outcome is None
            self._apply(increment, copying)
            if ended and not copying:
                if outcome:
                    self._board.warn(outcome)
                self._release()

    def _placed_here(self) -> bool:
        """Read where the placed actor runs, once: start copying its folder back when it is the
        worker's own; a training that cannot run there fails with its one line. False when
        the training ended here."""
        if self.placement is not None:
            return True
        try:
            placement = ray.get(self._started, timeout=CALL_SECONDS)
        except (RayError, GetTimeoutError) as e:
            self._lost(e)
            return False
        self.placement = placement
        if placement.problem:
            self._board.update(state="failed", message=placement.problem)
            self._release()
            self._copy.withdraw()
            return False
        self._copy.placed(self._actor, placement)
        return True

    def _apply(self, increment: BoardIncrement, copying: bool = False) -> None:
        """Top the board up with `increment`; while `copying` the run folder back, an ended
        training still shows as stopping."""
        extra = {"state": "stopping", "message": COPYING_MESSAGE} if copying else {}
        self._board = apply_increment(self._board, increment, **extra)

    def _lost(self, error: Exception) -> None:
        """The actor died or vanished (its node went away): the run is failed, with one line."""
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if isinstance(error, RayActorError):
            first = "the Ray worker running this training died"
        self._board.update(state="failed", message=f"Lost the training on the Ray cluster: {first}")
        self._release()

    def _release(self) -> None:  # the actor and its CPUs go back to the cluster
        self._copy.cancel()
        if self._actor is not None and not self._released:
            self._released = True
            ray.kill(self._actor, no_restart=True)


def ray_pool(address: str, **init_args) -> TrainerPool:
    """A TrainerPool whose trainings are actors on the Ray cluster at `address` (see the module
    note), admitted by the cluster's free resources. ConfigError / RayUnavailable, one line."""
    cpus, gpus = requested_resources()
    copy_always()  # a bad GAN_LAB_RAY_COPY_RUNS is one line now, not at the first Start
    connect(address, **init_args)
    return TrainerPool(
        make_trainer=lambda cfg, run_dir=None, data=None, resume=False: RayTrainer(
            cfg, run_dir=run_dir, resume=resume, data=data
        ),
        admission=ClusterAdmission(cpus, gpus),
    )
