"""Who a browser is, and what it may do with a run: the class model in one place.

Every browser holds a seat token (256 random bits, `secrets.token_urlsafe`) that it keeps across
refreshes and page switches; the server only ever stores and shows the seat's id, a one-way
hash of the token, so neither a run folder nor a log nor the Class page can hand someone else
the seat. A seat is a student's, or the teacher's once it opened the teacher link.

| who                | watch a run | start | change / pause / stop | delete a finished run |
|--------------------|-------------|-------|-----------------------|------------------------|
| a student          | own; others' only when the teacher allows | yes (queued past the limit) | own | own |
| a viewer link      | that run, read-only | - | - | - |
| the teacher        | every run   | yes   | every run             | every run              |
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

TOKEN_BYTES = 32  # the secrets module's default: "32 bytes (256 bits) of randomness is sufficient" (its docs)
# What a seat token looks like: URL-safe base64 of TOKEN_BYTES (43 characters); anything else is
# not one of ours and gets a fresh seat.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
ID_CHARS = 24  # a seat id: 96 bits of the token's SHA-256, enough to tell a class's seats apart


@dataclass(frozen=True)
class Seat:
    """One browser: `id` (the hash of its token, safe to store and show) and whether it holds the
    teacher's seat."""

    id: str
    teacher: bool = False


def new_seat_token() -> str:
    """A fresh seat token (43 URL-safe characters) for a browser that brought none."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_seat_token(text: object) -> bool:
    """Whether `text` has the form of a seat token (a cookie a browser sends is untrusted)."""
    return isinstance(text, str) and _TOKEN.fullmatch(text) is not None


def seat_id(token: str) -> str:
    """The seat's id: the first ID_CHARS hex digits of the token's SHA-256 (one-way)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()[:ID_CHARS]


def may_control(seat: Seat | None, owner: str | None) -> bool:
    """Whether `seat` may pause, resume, stop or change a run started by seat id `owner`: its
    owner, or the teacher. A run without a recorded owner (started by a script) is the teacher's."""
    if seat is None:
        return False
    return seat.teacher or (owner is not None and owner == seat.id)


def may_delete(seat: Seat | None, owner: str | None) -> bool:
    """Whether `seat` may delete a finished run of `owner`: the same rule as `may_control`."""
    return may_control(seat, owner)


def may_see(seat: Seat | None, owner: str | None, students_see_others: bool) -> bool:
    """Whether `seat` sees a run of `owner` on the Runs page and in the Latent explorer: its own,
    every run for the teacher, a run without an owner (the teacher's, made on the command line for
    the class) read-only for everyone, and other students' (read-only) only where the teacher
    allows it."""
    if seat is None:
        return False
    return owner is None or may_control(seat, owner) or students_see_others
