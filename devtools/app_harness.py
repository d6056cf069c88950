"""Start the real app on a free port and drive Debian's chromium with Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    """Path of Debian's chromium; RuntimeError (one line) when it is not installed."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("chromium is not installed: run `make browser` (apt-get install chromium)")
    return path


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (the OS picks it; a race with another process is possible)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(runs_dir: Path, extra_env: dict | None = None, timeout: float = 90.0, app_root: Path = ROOT):
    """Start the real app (app.py of the checkout `app_root`, this one by default) on loopback
    with runs in `runs_dir`; yields its URL once /_stcore/health answers ok."""
    port = free_port()
    env = dict(os.environ, GAN_LAB_RUNS=str(runs_dir), PYTHONUNBUFFERED="1", **(extra_env or {}))
    log = open(runs_dir.parent / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app_root / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=app_root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("streamlit did not become healthy in time")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def browser_page(width: int = 1500, height: int = 1100):
    """A Playwright page in headless Debian chromium, `width` x `height` px; closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


@contextmanager
def browser_pages(count: int, width: int = 1500, height: int = 1100):
    """`count` Playwright pages in one headless chromium, each in its own browser context (as
    separate people: no shared cookies or storage); closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            contexts = [browser.new_context(viewport={"width": width, "height": height}) for _ in range(count)]
            yield [context.new_page() for context in contexts]
        finally:
            browser.close()


def screenshot(page, name: str, docs_name: str | None = None) -> Path:
    """Save a full-page PNG of `page` as test-artifacts/`name` and return its path.

    With `docs_name` and the environment variable GAN_LAB_DOCS_SCREENSHOTS set to a folder
    (`make screenshots` sets docs/screenshots), also save the visible viewport there: the
    pictures in README.md are made by the same browser tests that check the pages.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    docs = os.environ.get("GAN_LAB_DOCS_SCREENSHOTS")
    if docs_name and docs:
        Path(docs).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(docs) / docs_name))
    return path


# -- speed with the UI attached (for `make bench`) -----------------------------------
def _headless_rate(window: float, warm_epochs: int) -> float:
    """Steps/s of the default preset's trainer in this process, no browser attached.

    It writes a run folder (in a temporary folder), as `python -m gan_core train` always does
    and as the app's run does: the figure compares the same run with and without the app open,
    so the folder's own cost (~2.5% of the default preset's steps, measured) is on both sides.
    """
    import tempfile

    from gan_core.config.presets import preset
    from gan_core.run.trainer import Trainer

    cfg = preset("dcgan-hacks").with_overrides(["run.max_seconds=0", "run.epochs=0"])
    with tempfile.TemporaryDirectory() as tmp:
        return _rate_of(Trainer(cfg, run_dir=Path(tmp) / "run"), window, warm_epochs)


def _rate_of(t, window: float, warm_epochs: int) -> float:
    """Steps/s of trainer `t` over `window` seconds after `warm_epochs` epochs; stops it."""
    t.start()
    try:
        while t.snapshot().epoch < warm_epochs:
            time.sleep(0.2)
        s0, t0 = t.snapshot().step, time.perf_counter()
        time.sleep(window)
        return (t.snapshot().step - s0) / (time.perf_counter() - t0)
    finally:
        t.stop()


def _app_rate(window: float, warm_epochs: int) -> float:
    """The same run started from the Train page with the page open in chromium."""
    import re
    import tempfile

    step_re = re.compile(r"step (\d+)")
    with tempfile.TemporaryDirectory() as tmp:
        runs = Path(tmp) / "runs"
        runs.mkdir()
        with app_server(runs) as url, browser_page() as page:
            page.goto(url, wait_until="domcontentloaded")
            page.get_by_role("button", name="Start training").click()
            # The grid's caption names the latest epoch at each panel refresh, so a fast machine
            # can skip "Epoch 2": wait for any epoch at or past the warm-up instead.
            captions = page.get_by_text(re.compile(r"^Epoch \d+$"))
            deadline = time.time() + 300
            while not (captions.count() and int(captions.first.inner_text().split()[1]) >= warm_epochs):
                if time.time() > deadline:
                    raise RuntimeError(f"the Train page did not reach epoch {warm_epochs} in 300 s")
                time.sleep(0.5)

            def step_now() -> int:
                """The step the page's status line shows now (it is redrawn every ~2 s)."""
                text = page.get_by_text(re.compile(r"^Training · ")).first.inner_text()
                return int(step_re.search(text).group(1))

            def fresh_step() -> tuple[int, float]:
                """(step, perf_counter seconds) read just after the status line changes (10 s at most).

                The line can be up to 2 s old: read just after a change it is as fresh as it gets,
                and a 20 s window would otherwise be off by up to 10%."""
                shown = step_now()
                deadline = time.time() + 10
                while (now := step_now()) == shown and time.time() < deadline:
                    time.sleep(0.05)
                return now, time.perf_counter()

            s0, t0 = fresh_step()
            time.sleep(window)
            s1, t1 = fresh_step()
            rate = (s1 - s0) / (t1 - t0)
            page.get_by_role("button", name="Stop").click()
            return rate


def ui_attached_speed(window: float = 20.0, warm_epochs: int = 2, rounds: int = 2) -> dict:
    """Steps/s of the default preset headless and with the Train page open in chromium, and their
    ratio. The two alternate for `rounds` rounds and the best of each counts, as for the other
    figures of `make bench`: a noisy neighbour only ever slows a window down (one 20 s window
    each moved the ratio between 0.87 and 0.95 on a shared machine)."""
    headless, app = [], []
    for _ in range(rounds):
        headless.append(_headless_rate(window, warm_epochs))
        app.append(_app_rate(window, warm_epochs))
    return {
        "headless_steps_per_s": round(max(headless), 3),
        "app_steps_per_s": round(max(app), 3),
        "app_vs_headless": round(max(app) / max(headless), 3),
        "rounds": rounds,
    }
