"""The Hacks guide's cards for ganhacks' training hacks on D's targets, the latent space and
G's loss (Chintala et al. 2016; Salimans et al. 2016; Goodfellow et al. 2014), all live.

The cards are built by `hack_cards()` when gan_core.guide.cards loads, so each {name} is
filled from guide_numbers.NUMBERS as it is then.
"""

from __future__ import annotations

from gan_core.config.settings import label
from gan_core.guide.model import (
    GANHACKS,
    GOODFELLOW,
    LIVE,
    SALIMANS,
    GuideCard,
    pair,
)
from gan_core.guide.numbers import NUMBERS, fill


def hack_cards() -> tuple[GuideCard, ...]:
    """The ganhacks training-hack cards, kind "hack", in the guide's order; numbers filled from NUMBERS now.

    Long as data is long: one literal of card texts and no logic, in a function so that the
    numbers are filled from NUMBERS when it is called.
    """
    return (
        GuideCard(
            "latent-gaussian",
            "Gaussian latent space",
            "hack",
            what="The random input z is drawn from a standard normal N(0, 1) instead of uniformly "
            "from [-1, 1], which was the DCGAN paper's choice.",
            why="A Gaussian has no corners: in many dimensions its points gather near a sphere, and "
            "walking between two of them along that sphere stays where the generator has been "
            "trained. A uniform cube has edges and corners the generator rarely sees. Switching "
            "it live shows how G copes with inputs from a distribution it was not trained on.",
            on="N(0, 1)",
            off="uniform in [-1, 1]",
            sources=(GANHACKS,),
            control=label("hacks.latent_distribution"),
            applies=LIVE,
            overrides=pair({"hacks.latent_distribution": "gaussian"}, {"hacks.latent_distribution": "uniform"}),
        ),
        GuideCard(
            "separate-batches",
            "Separate real and fake batches",
            "hack",
            what="The discriminator takes one update on an all-real half batch, then one on an "
            "all-fake half batch, instead of two updates on half batches cut from a shuffled mix "
            "of both. Either way D makes two updates per round, so the cost is the same.",
            why="BatchNorm computes its statistics per batch. In a mixed batch each layer normalizes "
            "a blend of two very different populations; pure batches keep those statistics "
            "consistent for each kind of input. As a bonus you get two losses worth plotting, "
            "one for real images and one for fakes.",
            on="all-real half batch, then all-fake half batch",
            off="two mixed, shuffled half batches",
            sources=(GANHACKS,),
            control=label("hacks.separate_batches"),
            applies=LIVE,
            overrides=pair({"hacks.separate_batches": True}, {"hacks.separate_batches": False}),
        ),
        GuideCard(
            "soft-real-labels",
            "Soft real labels (one-sided smoothing)",
            "hack",
            what=fill(
                "The discriminator's targets for real images are drawn uniformly from a range "
                "({real_low} to {real_high} here) instead of always being exactly 1."
            ),
            why="With hard targets D is rewarded for pushing its scores on real images ever higher, "
            "growing over-confident and steep, and a steep D hands the generator gradients that "
            "are either huge or vanishing. Softer targets cap that reward, so D stays calibrated. "
            "Salimans et al. smoothed only the real side; the random range is the ganhacks form. "
            "Targets above 1 let the loss dip below zero: expected.",
            on=fill("uniform in [{real_low}, {real_high}]"),
            off="exactly 1",
            sources=(SALIMANS, GANHACKS),
            control=label("hacks.real_label_range"),
            applies=LIVE,
            overrides=pair(
                {"hacks.real_label_range": (NUMBERS["real_low"], NUMBERS["real_high"])},
                {"hacks.real_label_range": (1.0, 1.0)},
            ),
            visual="label_targets",
        ),
        GuideCard(
            "soft-fake-labels",
            "Soft fake labels (two-sided smoothing)",
            "hack",
            what=fill(
                "The discriminator's targets for generated images are drawn from [{fake_low}, {fake_high}] "
                "instead of exactly 0."
            ),
            why="It carries the same softening over to the fake side, as ganhacks suggests. Salimans "
            "et al. argue against it: a positive target for fakes tells D that what G makes now "
            "is partly acceptable, which weakens the push for G to leave places where no real "
            "image lives. Run the pair and judge for yourself: it makes a good class debate.",
            on=fill("uniform in [{fake_low}, {fake_high}]"),
            off="exactly 0",
            sources=(GANHACKS, SALIMANS),
            control=label("hacks.fake_label_range"),
            applies=LIVE,
            overrides=pair(
                {"hacks.fake_label_range": (NUMBERS["fake_low"], NUMBERS["fake_high"])},
                {"hacks.fake_label_range": (0.0, 0.0)},
            ),
            visual="label_targets",
        ),
        GuideCard(
            "label-flips",
            "Noisy labels (label flips)",
            "hack",
            what=fill(
                "Each discriminator target is swapped (real called fake, fake called real) on its "
                "own coin toss with probability p ({flip} by default, slider {flip_low} to {flip_high})."
            ),
            why="A few wrong labels keep D from ever being certain, so it cannot drive its loss to "
            "zero and stop giving G a gradient. Each label gets its own toss, so the share "
            "flipped really is p on average; picking int(p*n) positions with replacement, as "
            "some tutorials do, flips fewer. Keep p small: large values drown D's signal.",
            on=fill("p = {flip}"),
            off="p = 0",
            sources=(GANHACKS,),
            control=label("hacks.flip_probability"),
            applies=LIVE,
            overrides=pair({"hacks.flip_probability": NUMBERS["flip"]}, {"hacks.flip_probability": 0.0}),
        ),
        GuideCard(
            "non-saturating",
            "Non-saturating generator loss",
            "hack",
            what="The generator maximizes log D(G(z)), i.e. minimizes -log D(G(z)), instead of "
            "minimizing log(1 - D(G(z))), the original minimax objective.",
            why="Early on D rejects fakes easily, so D(G(z)) sits near 0. There log(1 - D) is almost "
            "flat: the minimax loss gives G hardly any gradient exactly when it needs one most. "
            "-log D pursues the same goal but is steepest where D(G(z)) is small, so G learns "
            "fast from confident rejections. Goodfellow et al. proposed this swap themselves.",
            on="minimize -log D(G(z))",
            off="minimize log(1 - D(G(z)))",
            sources=(GOODFELLOW, GANHACKS),
            control=label("hacks.generator_loss"),
            applies=LIVE,
            overrides=pair({"hacks.generator_loss": "non-saturating"}, {"hacks.generator_loss": "minimax"}),
            visual="generator_loss",
        ),
        GuideCard(
            "d-steps",
            "Several D steps per G step",
            "hack",
            what=fill(
                "For every generator update the discriminator makes k rounds (k in Goodfellow's "
                "algorithm 1), each round two updates on half batches (real and fake) with a fresh "
                "half batch of real images. The default is k = {d_steps}; a step then shows D k half "
                "batches of real images, so an epoch, one pass over them, has 1/k as many steps."
            ),
            why="The generator's gradient is only as good as the discriminator's current judgement. "
            "Extra D steps bring D closer to its best answer for the current G before G moves, "
            "which helps when D lags (D loss high, images not improving). Too many let D win "
            "outright and G's gradient fades, and each one adds to the cost of a step.",
            on=fill("k = {d_steps_try} (slider {d_steps_low} to {d_steps_high})"),
            off=fill("k = {d_steps}"),
            sources=(GOODFELLOW, GANHACKS),
            control=label("hacks.d_steps"),
            applies=LIVE,
            overrides=pair({"hacks.d_steps": NUMBERS["d_steps_try"]}, {"hacks.d_steps": NUMBERS["d_steps"]}),
        ),
    )
