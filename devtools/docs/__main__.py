"""`python -m devtools.docs`: every problem the document checks find, one line each; exit
status 1 when there is any."""

from __future__ import annotations

import sys

from devtools.docs import checks


def main() -> int:
    """Run every check, print its problems under its name, return 1 if any were found."""
    found = 0
    for check in (
        checks.architecture_names,
        checks.document_paths,
        checks.broken_links,
        checks.missing_make_targets,
        checks.stale_citations,
        checks.export_drift,
    ):
        problems = check()
        found += len(problems)
        for problem in problems:
            print(f"{check.__name__}: {problem}")
    print(f"{found} problem(s)" if found else "the documents are true to the code")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
