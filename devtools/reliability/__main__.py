"""Run every reliability case in its own process and print the table (see the package doc)."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .case import Case

PACKAGE = "devtools.reliability"


def all_cases() -> dict[str, Case]:
    """Every `Case` of every `cases_*` module, by `module:name`."""
    found: dict[str, Case] = {}
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda i: i.name):
        if info.name.startswith("cases_"):
            module = importlib.import_module(f"{PACKAGE}.{info.name}")
            for case in module.CASES:
                found[f"{info.name[6:]}:{case.name}"] = case
    return found


def run_one(key: str) -> int:
    """Child side: run one case, print a JSON line with its outcome and own peak RSS."""
    case = all_cases()[key]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gan-lab-reliability-") as work:
        try:
            outcome, ok = case.run(Path(work)), True
        except AssertionError as e:
            outcome, ok = f"FAILED: {e}", False
        except Exception as e:  # a crash is a failure too, reported in one line
            outcome, ok = f"FAILED: {type(e).__name__}: {e}", False
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "RESULT "
        + json.dumps({"ok": ok, "outcome": outcome, "rss_mib": rss_mib, "seconds": time.perf_counter() - start}),
        flush=True,
    )
    return 0 if ok else 1


def main(argv=None) -> int:
    """Run all cases (or those whose key contains `--only`), print the table, exit 1 on a failure."""
    ap = argparse.ArgumentParser(prog="python -m devtools.reliability", description=__doc__)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--only", default="", help="run only cases whose key contains this text")
    args = ap.parse_args(argv)
    if args.one:
        return run_one(args.one)
    keys = [k for k in all_cases() if args.only in k]
    rows, failed = [], 0
    for key in keys:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", PACKAGE, "--one", key], capture_output=True, text=True)
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
        if lines:
            res = json.loads(lines[-1][7:])
        else:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            res = {
                "ok": False,
                "outcome": f"FAILED: exit {proc.returncode}: {tail}",
                "rss_mib": float("nan"),
                "seconds": time.perf_counter() - t0,
            }
        failed += not res["ok"]
        rows.append((key, res["outcome"], f"{res['rss_mib']:.0f}", f"{res['seconds']:.1f}"))
        print(f"{key}: {res['outcome']}", file=sys.stderr, flush=True)
    print("| case | what happened | peak RSS (MiB) | time (s) |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
    print(f"{len(rows) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
