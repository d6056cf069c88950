"""Seconds from pressing Start on the Train page (default preset) to the first grid image on
screen, in Debian's chromium: `python -m devtools.first_grid_browser [--app-root DIR]`.

Prints one JSON line: `click_to_first_grid_s`, the grid's caption, and the machine's load
average at the start (the figure means little on a loaded machine). `--app-root` serves
another checkout's app.py (e.g. an older commit, for a before/after figure).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from pathlib import Path

from devtools.app_harness import ROOT, app_server, browser_page

GRID = '[data-testid="stMain"] [data-testid="stImage"]'
CAPTION = re.compile(r"^(After \d+ steps.*|Epoch \d+)$")


def click_to_first_grid(app_root: Path = ROOT, timeout: float = 300.0, settle: float = 0.0) -> dict:
    """Start the app from `app_root`, wait `settle` seconds once the page is ready (as a teacher
    would before pressing Start: the server's warm-up trace runs meanwhile), press Start
    training, time the first grid image."""
    with tempfile.TemporaryDirectory() as tmp:
        runs = Path(tmp) / "runs"
        runs.mkdir()
        with app_server(runs, app_root=app_root) as url, browser_page() as page:
            page.goto(url, wait_until="domcontentloaded")
            start = page.get_by_role("button", name="Start training")
            start.wait_for(timeout=120_000)
            page.wait_for_load_state("networkidle")
            time.sleep(settle)
            load = os.getloadavg()[0]
            t0 = time.perf_counter()
            start.click()
            page.locator(GRID).first.wait_for(timeout=timeout * 1000)
            seconds = time.perf_counter() - t0
            caption = page.get_by_text(CAPTION).first.inner_text()
    return {"click_to_first_grid_s": round(seconds, 2), "caption": caption, "load_average": round(load, 2)}


def main(argv=None) -> int:
    """Measure once and print the JSON line; returns 0."""
    ap = argparse.ArgumentParser(prog="python -m devtools.first_grid_browser")
    ap.add_argument("--app-root", type=Path, default=ROOT, help="the checkout whose app.py is served")
    ap.add_argument("--settle", type=float, default=0.0, help="seconds between the page being ready and the click")
    a = ap.parse_args(argv)
    print(json.dumps(click_to_first_grid(a.app_root.resolve(), settle=a.settle)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
