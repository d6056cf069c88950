"""What careful Compare runs measured for the Hacks guide's cards: each card's own with/without
pair, three seeds per arm, as figures (kept apart from the card texts, whose numbers come from
the code: gan_core/guide/numbers.py). A card's `measured` line is written from its entry here,
so the line and the table cannot disagree, and tests/test_guide_measured.py checks each
"within noise" against the rule of gan_core/compare/spread.py.

How (measured 2026-12-07): `python -m gan_core compare --careful --epochs 4 --set
model.use_labels=false --card soft-real-labels --card label-flips --card batch-norm ...`
(gan_core/cli/compare.py; one process, the cards one after the other, stopped after these
three when the time set aside for measuring was spent; each card's JSON line copied here), and
in a later session the same command for `--card spectral-norm --card hinge-loss --card
least-squares-loss ...`, then `--card ttur --card ema-generator`, and in a third session
`--card instance-noise --card experience-replay --card r1-penalty --card diff-augment --card sgd-discriminator ...` (on
an AMD EPYC with avx512 and bf16 instructions, still in float32), and in a fourth session
`--card g-dropout --card minibatch-stddev --card self-conditioning` (the same CPU, float32,
beside the session's own tests):
the `dcgan-hacks` preset with the labels off, seeds 0, 1 and 2 for both arms, 1,248 steps per
run (4 epochs of mnist-5k at 16 real images a step), the last epoch's quality on 256 samples
with the MNIST judge. A step budget, not seconds: the machine (an AMD EPYC, 2 cores; CPU flags
avx, avx2, fma, sse4_2, no avx512 or bf16) was shared with other work at a load of 6 to 15,
which changed how long a card took (about 13 minutes for its six runs), never what they
learned. Figures are rounded to 4 places (shares) and 3 (Fréchet distances); the "within
noise" of each was checked on the rounded figures. docs/measured.md keeps the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

MEASURED_ON = "2026-12-07, AMD EPYC (avx2, fma; no avx512, no bf16), 2 cores shared with other work"
STEPS = 1248
SEEDS = (0, 1, 2)


@dataclass(frozen=True)
class Range:
    """One figure over the seeds of one arm: mean, lowest and highest (a share in [0, 1], or a
    Fréchet distance on the judge's features)."""

    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class CarefulPair:
    """One card's careful comparison: the recognized share and the Fréchet distance of A (the
    card's "with") and B ("without"), each a Range over the seeds; whether each difference is
    within noise (|mean_A - mean_B| <= the wider range); how the line names the arms; and a
    sentence on what it means (may be empty)."""

    share_a: Range
    share_b: Range
    frechet_a: Range
    frechet_b: Range
    share_within_noise: bool
    frechet_within_noise: bool
    name_a: str = "with it"
    name_b: str = "without"
    note: str = ""


def _share(r: Range) -> str:
    return f"{100 * r.mean:.0f}% ({100 * r.low:.0f}–{100 * r.high:.0f})"


def _frechet(r: Range) -> str:
    return f"{r.mean:.1f} ({r.low:.1f}–{r.high:.1f})"


def measured_line(card_id: str) -> str:
    """The card's `measured` text from MEASURED, e.g. "3 seeds × 1,248 steps, digits without
    labels, mean (lowest–highest seed): 44% (41–47) recognized with it, 48% (45–50) without:
    within noise. Fréchet distance 20.5 (19.0–22.0) vs 27.0 (25.0–29.0): lower with it, beyond
    noise." Raises KeyError for a card without an entry (a typo fails at import)."""
    m = MEASURED[card_id]
    higher = m.name_a if m.share_a.mean > m.share_b.mean else m.name_b
    share = "within noise" if m.share_within_noise else f"higher {higher}, beyond noise"
    lower = m.name_a if m.frechet_a.mean < m.frechet_b.mean else m.name_b
    frechet = "within noise" if m.frechet_within_noise else f"lower {lower}, beyond noise"
    text = (
        f"{len(SEEDS)} seeds × {STEPS:,} steps, digits without labels, mean (lowest–highest seed): "
        f"{_share(m.share_a)} recognized {m.name_a}, {_share(m.share_b)} {m.name_b}: {share}. "
        f"Fréchet distance {_frechet(m.frechet_a)} vs {_frechet(m.frechet_b)}: {frechet}."
    )
    return text + (f" {m.note}" if m.note else "")


# How far one-seed pairs moved from run to run when measured again (issue 28): a card whose
# figure is such a pair says so, so nobody reads a gap of a few points as a finding.
ONE_SEED_MOVE_POINTS = 6


def measured_caption(card_id: str, measured: str) -> str:
    """What the Hacks guide shows under a card's "why": the careful line for a card in
    MEASURED (`measured` is then that line), the card's own `measured` text marked as a one-seed
    pair otherwise; "" for a card without either."""
    if card_id in MEASURED:
        return f"Measured here (a careful Compare, {len(SEEDS)} seeds per arm): {measured}"
    if not measured:
        return ""
    return (
        "Measured here, one seed per arm (a one-seed pair: such pairs moved by about "
        f"{ONE_SEED_MOVE_POINTS} points from run to run, so a smaller gap may be chance): {measured}"
    )


MEASURED: dict[str, CarefulPair] = {
    # Label smoothing: real targets drawn from [0.7, 1.2] against a hard 1.
    "soft-real-labels": CarefulPair(
        share_a=Range(0.4753, 0.4141, 0.5117),
        share_b=Range(0.4518, 0.4258, 0.4922),
        frechet_a=Range(25.255, 22.793, 27.273),
        frechet_b=Range(27.09, 26.132, 28.36),
        share_within_noise=True,
        frechet_within_noise=True,
    ),
    # Noisy labels: 5% of D's labels flipped against none.
    "label-flips": CarefulPair(
        share_a=Range(0.4727, 0.457, 0.5039),
        share_b=Range(0.4857, 0.4648, 0.5039),
        frechet_a=Range(22.401, 19.252, 24.785),
        frechet_b=Range(25.007, 22.921, 26.338),
        share_within_noise=True,
        frechet_within_noise=True,
    ),
    # Batch normalization in both networks against none.
    "batch-norm": CarefulPair(
        share_a=Range(0.4974, 0.4727, 0.5195),
        share_b=Range(0.2839, 0.2188, 0.3633),
        frechet_a=Range(26.145, 23.694, 28.737),
        frechet_b=Range(43.17, 36.071, 47.807),
        share_within_noise=False,
        frechet_within_noise=False,
        note="Every seed without it did worse than every seed with it.",
    ),
    # Spectral normalization of D's layers against none.
    "spectral-norm": CarefulPair(
        share_a=Range(0.457, 0.418, 0.4922),
        share_b=Range(0.4857, 0.4609, 0.5156),
        frechet_a=Range(24.127, 22.27, 25.797),
        frechet_b=Range(25.255, 22.814, 27.972),
        share_within_noise=True,
        frechet_within_noise=True,
        note="A one-seed pair (60 s) had shown 35% with it against 52% without; over three seeds "
        "the difference is within noise.",
    ),
    # Hinge loss against binary cross-entropy.
    "hinge-loss": CarefulPair(
        share_a=Range(0.487, 0.4492, 0.5352),
        share_b=Range(0.4896, 0.4531, 0.5156),
        frechet_a=Range(25.15, 21.269, 28.122),
        frechet_b=Range(23.342, 21.03, 25.607),
        share_within_noise=True,
        frechet_within_noise=True,
        name_a="with the hinge",
        name_b="with cross-entropy",
    ),
    # Least-squares loss (a=0, b=c=1) against binary cross-entropy.
    "least-squares-loss": CarefulPair(
        share_a=Range(0.4987, 0.4844, 0.5234),
        share_b=Range(0.4674, 0.4453, 0.5),
        frechet_a=Range(27.513, 26.201, 28.676),
        frechet_b=Range(24.95, 22.165, 26.36),
        share_within_noise=True,
        frechet_within_noise=True,
        name_a="with least squares",
        name_b="with cross-entropy",
        note="A one-seed pair (60 s) had shown 40% against 48% with cross-entropy; over three seeds "
        "the difference is within noise.",
    ),
    # TTUR (D 4e-4, G 1e-4, beta_1 0) against both at 2e-4 with beta_1 0.5.
    "ttur": CarefulPair(
        share_a=Range(0.069, 0.0508, 0.1016),
        share_b=Range(0.2643, 0.2539, 0.2812),
        frechet_a=Range(74.988, 71.928, 77.455),
        frechet_b=Range(35.202, 30.939, 38.274),
        share_within_noise=False,
        frechet_within_noise=False,
        name_a="with TTUR",
        name_b="with both at 2e-4",
        note="Every seed with it did worse than every seed without, and two of its three drew at most "
        "two kinds of digit: in 1,248 steps G at 1e-4 learns too little. TTUR is about stability "
        "over long runs, not speed.",
    ),
    # A moving average of G's weights (decay 0.99) against none.
    "ema-generator": CarefulPair(
        share_a=Range(0.4648, 0.457, 0.4805),
        share_b=Range(0.4583, 0.4453, 0.4844),
        frechet_a=Range(24.306, 21.443, 26.58),
        frechet_b=Range(24.268, 20.772, 26.831),
        share_within_noise=True,
        frechet_within_noise=True,
        name_a="with the average (0.99)",
    ),
    # Instance noise (std 0.1 at the start, to 0 over the run) against none.
    "instance-noise": CarefulPair(
        share_a=Range(0.4544, 0.4453, 0.4648),
        share_b=Range(0.4818, 0.4141, 0.5234),
        frechet_a=Range(21.903, 21.231, 22.288),
        frechet_b=Range(24.208, 22.884, 25.132),
        share_within_noise=True,
        frechet_within_noise=False,
        note="Closer to the data's statistics, not more recognizable digits, as the one-seed pair "
        "(60 s) had suggested.",
    ),
    # Half of D's fake half-batch replayed from the buffer of old fakes, against none.
    "experience-replay": CarefulPair(
        share_a=Range(0.0286, 0.0, 0.0547),
        share_b=Range(0.4714, 0.457, 0.4805),
        frechet_a=Range(108.205, 80.816, 147.854),
        frechet_b=Range(24.185, 23.377, 25.327),
        share_within_noise=False,
        frechet_within_noise=False,
        name_a="with half replayed",
        note="Every seed with it collapsed (0 to 2 kinds of digit drawn). A quarter replayed cost "
        "less in a one-seed pair of 60 s (35% recognized vs 41%).",
    ),
    # R1 penalty (γ = 1) on D's gradient at real images, against none.
    "r1-penalty": CarefulPair(
        share_a=Range(0.4727, 0.4297, 0.5),
        share_b=Range(0.4779, 0.4336, 0.5039),
        frechet_a=Range(15.626, 14.386, 17.129),
        frechet_b=Range(24.54, 24.106, 24.912),
        share_within_noise=True,
        frechet_within_noise=False,
        name_a="with γ = 1",
        note="Every seed with it came closer to the data's statistics than every seed without "
        "(and each drew all ten kinds of digit); each step costs about a fifth more while it is on.",
    ),
    # DiffAugment (translation and cutout on every image D sees) against none.
    "diff-augment": CarefulPair(
        share_a=Range(0.3229, 0.2852, 0.3945),
        share_b=Range(0.474, 0.4648, 0.4805),
        frechet_a=Range(31.24, 27.14, 34.608),
        frechet_b=Range(24.79, 23.944, 26.196),
        share_within_noise=False,
        frechet_within_noise=True,
        name_a="with translation and cutout",
        note="D's harder task needs more than 1,248 steps: every seed with it drew fewer "
        "recognizable digits than every seed without.",
    ),
    # D trained by SGD (lr 0.01) against Adam (lr 0.001), G by Adam in both.
    "sgd-discriminator": CarefulPair(
        share_a=Range(0.3646, 0.3281, 0.4336),
        share_b=Range(0.487, 0.4766, 0.4961),
        frechet_a=Range(26.037, 23.528, 27.313),
        frechet_b=Range(23.339, 21.059, 25.282),
        share_within_noise=False,
        frechet_within_noise=True,
        name_a="with SGD for D",
        name_b="with Adam",
        note="Every seed with SGD drew fewer recognizable digits than every seed with Adam; the "
        "one-seed pair of 60 s (50% against 46%) had pointed the other way.",
    ),
    # Dropout 0.5 in G, on at sampling too, against none.
    "g-dropout": CarefulPair(
        share_a=Range(0.4297, 0.3594, 0.4805),
        share_b=Range(0.4948, 0.4688, 0.5156),
        frechet_a=Range(35.619, 32.425, 38.158),
        frechet_b=Range(23.944, 22.05, 24.921),
        share_within_noise=True,
        frechet_within_noise=False,
        name_a="with dropout 0.5",
        note="Every seed with it drew images farther from the data's statistics than every seed "
        "without; the one-seed pair of 60 s (35% recognized against 52%) had made the gap in "
        "recognized digits look larger than three seeds show.",
    ),
    # One minibatch-stddev feature map in D (groups of 4) against none.
    "minibatch-stddev": CarefulPair(
        share_a=Range(0.4844, 0.4453, 0.5234),
        share_b=Range(0.5065, 0.4727, 0.5703),
        frechet_a=Range(26.081, 22.134, 33.873),
        frechet_b=Range(24.22, 22.191, 27.357),
        share_within_noise=True,
        frechet_within_noise=True,
        note="No seed of either arm collapsed in 1,248 steps, and collapse is what it is for.",
    ),
    # 20 k-means clusters of the real images' features as labels, against unconditional G and D.
    "self-conditioning": CarefulPair(
        share_a=Range(0.8034, 0.7578, 0.8555),
        share_b=Range(0.4753, 0.4336, 0.5352),
        frechet_a=Range(9.419, 7.376, 10.785),
        frechet_b=Range(23.543, 22.212, 25.916),
        share_within_noise=False,
        frechet_within_noise=False,
        name_a="with 20 clusters",
        name_b="unconditional",
        note="Every seed with clusters drew all ten kinds of digit; none without did (8 or 9).",
    ),
}
