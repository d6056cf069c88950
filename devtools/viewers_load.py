"""How much N viewers of a shared run cost its trainer: `python -m devtools.viewers_load --viewers 20 --seconds 60`.

Starts the app on a free port (headless), starts a default-preset training from the Train
page as its owner would (over Streamlit's websocket, see devtools.st_client), reads the viewer
link from the Share button, opens N viewer sessions with it, and waits for the first grid. Then
it measures the trainer's steps/s in alternating phases, alone and viewed (alone, viewed,
alone, viewed: the machine's own drift falls on both sides alike), `--seconds` in all.

"Alone" means the owner's page only (its status line is the step counter); in a viewed phase
the N viewers also poll their page's fragments as a browser does. Between phases the viewers
stay connected but silent (a browser tab that polls nothing costs the server nothing).

With `--browser` the one viewer is a real chromium tab on the viewer link instead (it
renders the page on this machine too): it opens the link for a viewed phase and a blank page
for an alone one.

Prints ONE JSON line: viewers, steps_per_s_alone, steps_per_s_viewed, ratio, what the viewers
received (grids and deltas, the fewest of any viewer), and the cores (CPU seconds per wall
second) that the load script itself and the app server used in each kind of phase: the load
script's clients run on the same cores as the server, so part of the trainer's loss in a viewed
phase is theirs, not the server's. Figures on a shared machine are noisy: read the ratio, not
the absolute speeds. `--app-root` measures another checkout's app with this script (before and
after a change, with the same client).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetState

from devtools.app_harness import CHROMIUM_FLAGS, ROOT, app_server, chromium_path
from devtools.st_client import StreamlitSession, status_numbers

START_LABEL = "Start training"
BUDGET_LABEL = "Training time (s)"  # the Run size control of run.max_seconds; 0 takes the class's limit
SERVER_MARKER = b"streamlit"  # the app server's command line (`python -m streamlit run app.py`)
SETTLE_SECONDS = 2.0  # after a phase switch, before its clock starts: requests in flight finish
ARRIVING_AT_ONCE = 10  # viewers that open the link at the same moment
QUIET_SECONDS = 1.0  # no message for this long: the owner's page has finished its runs


def _viewer_query(codes: list[str]) -> str:
    for text in codes:
        if "?view=" in text:
            return text.split("?", 1)[1]
    raise RuntimeError("the Train page showed no viewer link after Start")


async def _start_run(ws_url: str, timeout: float) -> StreamlitSession:
    owner = StreamlitSession(ws_url)
    await owner.open(timeout)
    # The class's limit (0), set in a rerun of its own first: the Start button's callback reads the
    # config the page built in its previous run, before this click's widget values are drawn.
    # A request sent while a run is under way merges with it, so each waits for a quiet page.
    budget = WidgetState(id=owner.widgets[BUDGET_LABEL].id, double_value=0.0)
    await owner.settle(QUIET_SECONDS, timeout)
    finished = owner.scripts_finished
    await owner.rerun([budget])
    await owner.wait_for(lambda s: s.scripts_finished > finished, timeout)
    await owner.settle(QUIET_SECONDS, timeout)
    await owner.click(START_LABEL, also=[budget])
    await owner.wait_for(lambda s: any("?view=" in c for c in s.codes), timeout)
    return owner


def _descendants_cpu_seconds(marker: bytes) -> float:
    """CPU seconds (user + system) used so far by this process's descendants whose command line
    holds `marker` (chromium's processes: its renderer does the drawing)."""
    parents, stats = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        stats[pid] = (cmdline, int(fields[11]) + int(fields[12]))

    def ours(pid: int) -> bool:
        """Whether process `pid` descends from this script (its own load, counted apart from the server's)."""
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    ticks = sum(t for pid, (cmd, t) in stats.items() if marker in cmd and ours(pid))
    return ticks / os.sysconf("SC_CLK_TCK")


class BrowserViewer:
    """One chromium tab that shows the viewer link in viewed phases and a blank page otherwise."""

    async def open(self, link: str) -> None:
        """Start chromium and show `link` until the first grid is on screen."""
        from playwright.async_api import async_playwright

        self.link = link
        self._pw = await async_playwright().start()
        self._browser = await self._pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        self.page = await self._browser.new_page(viewport={"width": 1500, "height": 1100})
        await self.watch(True)

    async def watch(self, viewed: bool) -> None:
        """Show the run (waiting for its grid) or a blank page."""
        if not viewed:
            await self.page.goto("about:blank")
            return
        await self.page.goto(self.link, wait_until="domcontentloaded")
        await self.page.get_by_text(re.compile(r"^Epoch \d+$")).first.wait_for(timeout=300_000)

    async def close(self) -> None:
        """Close chromium."""
        await self._browser.close()
        await self._pw.stop()


def _own_cpu_seconds() -> float:
    """CPU seconds (user + system) this process (the load script: its viewer clients) has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_seconds() -> dict:
    """CPU seconds used so far by the load script itself, the app server and chromium (if any)."""
    return {
        "load_script": _own_cpu_seconds(),
        "server": _descendants_cpu_seconds(SERVER_MARKER),
        "browser": _descendants_cpu_seconds(b"chrom"),
    }


async def _phase(owner: StreamlitSession, viewers: list, viewed: bool, seconds: float) -> tuple[float, dict]:
    """Steps/s of the trainer over `seconds`, read from the owner's status line at both ends, and
    the cores (CPU seconds per wall second) the load script, the server and the chromium viewer
    (if any) used meanwhile."""
    for viewer in viewers:
        if isinstance(viewer, BrowserViewer):
            await viewer.watch(viewed)
        else:
            viewer.polling = viewed
    await asyncio.sleep(SETTLE_SECONDS)
    seen = owner.status_at
    await owner.wait_for(lambda s: s.status_at > seen, 30)  # a fresh reading to start from
    step0, t0 = status_numbers(owner.status_line)[0], owner.status_at
    cpu0, wall0 = _cpu_seconds(), time.monotonic()
    await asyncio.sleep(seconds)
    seen = owner.status_at
    await owner.wait_for(lambda s: s.status_at > seen, 30)
    step1, t1 = status_numbers(owner.status_line)[0], owner.status_at
    if not owner.status_line.startswith("**Training"):
        raise RuntimeError(f"the run stopped training during the measurement: {owner.status_line}")
    cpu1, wall = _cpu_seconds(), time.monotonic() - wall0
    cores = {name: (cpu1[name] - cpu0[name]) / wall for name in cpu0}
    return (step1 - step0) / (t1 - t0), cores


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0


async def measure(url: str, n_viewers: int, seconds: float, browser: bool = False, timeout: float = 300.0) -> dict:
    """Run the whole measurement against the app at `url` (see the module's docstring); returns
    the figures. With `browser`, the one viewer is a chromium tab (n_viewers is ignored)."""
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    owner = await _start_run(ws_url, timeout)
    query = _viewer_query(owner.codes)
    # Wait for the first grid, so the viewed phases carry what a class watches.
    await owner.wait_for(lambda s: status_numbers(s.status_line)[1] >= 1, timeout)
    sessions = [StreamlitSession(ws_url, query_string=query) for _ in range(0 if browser else n_viewers)]
    viewers = [BrowserViewer()] if browser else sessions
    try:
        if browser:
            await viewers[0].open(f"{url}/?{query}")
        # The viewers connect a few at a time (a class arriving), not all in one instant.
        for first in range(0, len(sessions), ARRIVING_AT_ONCE):
            await asyncio.gather(*(v.open(timeout) for v in sessions[first : first + ARRIVING_AT_ONCE]))
        rates, cores = {"alone": [], "viewed": []}, {"alone": [], "viewed": []}
        for viewed in (False, True, False, True):
            phase = "viewed" if viewed else "alone"
            rate, used = await _phase(owner, viewers, viewed, seconds / 4)
            rates[phase].append(rate)
            cores[phase].append(used)
        alone = sum(rates["alone"]) / 2
        viewed = sum(rates["viewed"]) / 2
        n_viewers = len(viewers)

        def used(phase: str, name: str) -> float:
            """Mean cores used by `name` over the measurements of `phase`."""
            return _mean([c[name] for c in cores[phase]])

        extra = {"browser_cores_viewed": used("viewed", "browser")} if browser else {}
        return {
            "viewers": n_viewers,
            "browser": browser,
            "steps_per_s_alone": round(alone, 3),
            "steps_per_s_viewed": round(viewed, 3),
            "ratio": round(viewed / alone, 3) if alone else 0.0,
            "phases": {k: [round(r, 3) for r in v] for k, v in rates.items()},
            # Cores (CPU seconds per wall second) on the same machine: the load script's own
            # clients, and the app server (trainer + every session's script) in each kind of phase.
            "load_script_cores_viewed": used("viewed", "load_script"),
            "load_script_cores_alone": used("alone", "load_script"),
            "server_cores_viewed": used("viewed", "server"),
            "server_cores_alone": used("alone", "server"),
            "load_average_1min": round(os.getloadavg()[0], 2),
            "viewer_grids_min": min((v.received.images for v in sessions), default=0),
            "viewer_deltas_min": min((v.received.deltas for v in sessions), default=0),
            "viewer_bytes_mean": round(sum(v.received.bytes for v in sessions) / max(1, len(sessions))),
            "viewer_cache_refs_mean": round(sum(v.received.cache_refs for v in sessions) / max(1, len(sessions)), 1),
            **extra,
        }
    finally:
        for session in [*viewers, owner]:
            await session.close()


def main(argv: list[str] | None = None) -> int:
    """The command line: --viewers N, --seconds S (measured, split into four phases); prints one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m devtools.viewers_load", description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=20, help="viewer sessions to open (default 20)")
    parser.add_argument("--seconds", type=float, default=60.0, help="seconds measured, all phases together")
    parser.add_argument("--browser", action="store_true", help="one viewer: a real chromium tab (ignores --viewers)")
    parser.add_argument("--app-root", type=Path, default=ROOT, help="the checkout whose app.py to serve (default this)")
    args = parser.parse_args(argv)
    if args.viewers < 0 or args.seconds < 4:
        parser.error("--viewers must be >= 0 and --seconds >= 4")
    if not (args.app_root / "app.py").is_file():
        parser.error(f"--app-root {args.app_root} holds no app.py")
    with tempfile.TemporaryDirectory(prefix="viewers-load-") as tmp:
        runs = Path(tmp) / "runs"
        runs.mkdir()
        # No idle stop, and a budget longer than any measurement (the class's limit is the budget).
        env = {"GAN_LAB_IDLE_SECONDS": "3600", "GAN_LAB_MAX_RUN_SECONDS": "3600"}
        with app_server(runs, extra_env=env, app_root=args.app_root.resolve()) as url:
            t0 = time.perf_counter()
            figures = asyncio.run(measure(url, args.viewers, args.seconds, browser=args.browser))
            figures["wall_seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
