"""`make run`: start the app's server and print the teacher link once.

The teacher token is `GAN_LAB_TEACHER_TOKEN` when set, else a fresh one; the server gets it in
its environment, and the link (`http://<address>:<port>/?teacher=<token>`) is printed here,
once, before Streamlit starts. Serving a network (an address other than loopback) hides error
details from browsers (`client.showErrorDetails=none`: tracebacks go to this console only);
XSRF and CORS protection stay on.

    python -m ui.serve [--address localhost] [--port 8501]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from gan_core.config.tree import ConfigError
from gan_core.jobs.classroom import rules_from_env, teacher_token_from_env

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = ("localhost", "127.0.0.1", "::1")


def streamlit_command(address: str, port: int) -> list[str]:
    """The `streamlit run app.py` command line for this address and port."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
    cmd += ["--server.headless", "true", "--server.address", address, "--server.port", str(port)]
    if address not in LOOPBACK:
        cmd += ["--client.showErrorDetails", "none"]
    return cmd


def main(argv=None) -> int:
    """Check the class's environment, print the teacher link, then become the Streamlit server;
    2 with one line on stderr for a bad environment value or flag."""
    ap = argparse.ArgumentParser(prog="python -m ui.serve", description=__doc__.splitlines()[0])
    ap.add_argument("--address", default="localhost", help="the interface to serve on (localhost: this machine only)")
    ap.add_argument("--port", type=int, default=8501)
    args = ap.parse_args(argv)
    try:
        rules = rules_from_env()
        token = teacher_token_from_env()
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    host = "localhost" if args.address in ("0.0.0.0", "::") else args.address
    print(f"Teacher link (keep it to yourself): http://{host}:{args.port}/?teacher={token}", flush=True)
    print(
        f"Class limits: {rules.max_trainings} trainings at once, {rules.max_run_seconds / 60:g} minutes per run "
        "(change them on the Class page).",
        flush=True,
    )
    env = dict(os.environ, GAN_LAB_TEACHER_TOKEN=token)
    cmd = streamlit_command(args.address, args.port)
    os.execve(cmd[0], cmd, env)
    return 0  # not reached: the process is now the server


if __name__ == "__main__":
    sys.exit(main())
