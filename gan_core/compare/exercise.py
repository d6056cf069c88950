"""The Compare page's exercise links (gan_core.config.exercise): a guide card (or `same`), the
seconds per arm, a seed, and `key=value` lines for both arms (`set`) or one (`a`, `b`), which
are the Advanced boxes' lines; read into what the page's controls show, and written from them.

`?card=non-saturating&seconds=60&seed=3` opens Compare on the non-saturating card's pair: A
with the practice, B without, 60 s per arm, seed 3; `&careful=true` trains each arm from three
seeds (3, 4, 5).
"""

from __future__ import annotations

from dataclasses import dataclass

from gan_core.compare.setup import SAME, build_pair, card_ids
from gan_core.config.exercise_link import ExerciseLink, PageRules, value_text
from gan_core.config.settings import IMAGE
from gan_core.config.tree import ConfigError, TrainConfig

SAME_CARD = "same"  # the link's word for "B is A"
# What hide and lock name on Compare: the card select, the seconds per arm, the careful
# toggle, the Advanced boxes.
CONTROLS = ("card", "seconds", "careful", "overrides")
SECONDS = (5.0, 1800.0)  # the page's "Seconds per arm" control


def compare_rules() -> PageRules:
    """The Compare page's links: the guide's cards (and `same`), its controls, its seconds."""
    return PageRules(
        name="compare",
        params=("card", "seed", "seconds", "careful", "set", "a", "b", "hide", "lock"),
        scope=IMAGE,
        controls=CONTROLS,
        seconds=SECONDS,
        cards=(SAME_CARD, *card_ids()),
    )


@dataclass(frozen=True)
class CompareSetup:
    """What the Compare page's controls show: the card select's value (`card`, SAME for "B is
    A"), the seconds per arm, the A and B boxes' lines, and the careful toggle (three seeds
    per arm)."""

    card: str
    seconds: float
    lines_a: str
    lines_b: str
    careful: bool = False

    def pair(self) -> tuple[TrainConfig, TrainConfig]:
        """(A, B) as the page builds them; ConfigError (one line) as build_pair."""
        return build_pair(self.card, None, self.seconds, self.lines_a, self.lines_b)


def _text(pairs) -> str:
    return "\n".join(f"{key}={value}" for key, value in pairs)


def link_setup(link: ExerciseLink, default_card: str, default_seconds: float) -> CompareSetup:
    """The controls' values a Compare link sets up (the page's own card and seconds where it
    names none, one seed per arm unless it says careful), checked by building the pair:
    ConfigError (one line) for seconds that are not whole, a line outside the browser's
    allow-list or bounds, or a pair that cannot be compared fairly."""
    if link.seconds is not None and not float(link.seconds).is_integer():
        raise ConfigError(f"seconds must be a whole number of seconds per arm, got {link.seconds:g}")
    card = SAME if link.card == SAME_CARD else (link.card or default_card)
    seed = [("run.seed", str(link.seed))] if link.seed is not None else []
    setup = CompareSetup(
        card=card,
        seconds=float(link.seconds if link.seconds is not None else default_seconds),
        lines_a=_text([*link.sets, *link.a, *seed]),
        lines_b=_text([*link.sets, *link.b, *seed]),
        careful=bool(link.careful),
    )
    setup.pair()
    return setup


def _pairs(text: str) -> list[tuple[str, str]]:
    """The `key=value` lines of an Advanced box (blank lines and `#` comments skipped)."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            out.append((key.strip(), value.strip()))
    return out


def _last(pairs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """One line per key, its last value (a box may set a key twice; a link sets it once)."""
    return tuple(dict(pairs).items())


def setup_link(
    card: str,
    loaded: dict | None,
    seconds: float,
    lines_a: str,
    lines_b: str,
    seed: int,
    hide=(),
    lock=(),
    careful: bool = False,
) -> ExerciseLink:
    """The link of what the Compare page shows: the card select's value `card` or the pair the
    Hacks guide or the Runs page handed over (`loaded`; a branch beside its parent needs the
    runs folder and is no link's), the seconds per arm, both Advanced boxes, the pair's
    `seed`, the controls to hide and lock, and the careful toggle (written only when on)."""
    a, b = _pairs(lines_a), _pairs(lines_b)
    if loaded is not None and loaded.get("card") not in card_ids():
        # Two runs' settings (the Runs page): B is A, then each arm's own lines.
        a = [(k, value_text(v)) for k, v in loaded.get("a", {}).items()] + a
        b = [(k, value_text(v)) for k, v in loaded.get("b", {}).items()] + b
        card = SAME
    elif loaded is not None:
        card = loaded["card"]
    a = [p for p in a if p[0] != "run.seed"]
    b = [p for p in b if p[0] != "run.seed"]
    return ExerciseLink(
        card=SAME_CARD if card == SAME else card,
        seed=int(seed),
        seconds=float(seconds),
        careful=True if careful else None,
        a=_last(a),
        b=_last(b),
        hide=frozenset(hide),
        lock=frozenset(lock),
    )
