"""`make reliability`: fault, input and soak cases, each in its own process, as one table.

Each `cases_*.py` module here defines `CASES`, a list of `Case`. A case gets an empty
work folder, does what a user or a fault would do to the product (a real subprocess, a
real SIGKILL, a real bad file) and returns one line saying what happened; it raises
`AssertionError` when the product did the wrong thing. The runner starts every case in
a fresh Python process so that its peak RSS is its own, and prints
`case | what happened | peak RSS (MiB) | time (s)`.
"""

from .case import Case

__all__ = ["Case"]
