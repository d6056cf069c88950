"""The Hacks guide's cards for ganhacks' training hacks on D's targets, the latent space and
G's loss (Chintala et al. 2016; Salimans et al. 2016; Goodfellow et al. 2014; the Keras
tutorials that teach them, Brownlee 2019 and Chollet 2017), all live.

The cards are built by `hack_cards()` when gan_core.guide.cards loads, so each {name} is
filled from guide_numbers.NUMBERS as it is then.
"""

from __future__ import annotations

from gan_core.config.settings import label
from gan_core.guide.model import (
    ARJOVSKY_BOTTOU,
    BROWNLEE_HACKS,
    BROWNLEE_LOSS,
    CHOLLET,
    DCGAN,
    DCGAN_CODE,
    GANHACKS,
    GOODFELLOW,
    GOODFELLOW_TUTORIAL,
    LIVE,
    SALIMANS,
    WHITE,
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
            why="ganhacks (#3), Chollet and the Keras tutorials recommend it without a reason tied "
            "to training. What ganhacks shows is the space's shape: in many dimensions Gaussian "
            "points gather near a sphere, so a walk between two of them should follow the sphere "
            "(a great circle, as White proposes and the Latent explorer does), not a straight "
            "line through its sparse middle. Switching it live shows how G copes with inputs "
            "from a distribution it was not trained on.",
            on="N(0, 1)",
            off="uniform in [-1, 1]",
            sources=(GANHACKS, WHITE, CHOLLET, BROWNLEE_HACKS, DCGAN),
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
            "consistent for each kind of input (ganhacks lists it under BatchNorm, #4; no paper "
            "measures the effect). The DCGAN authors' code also passes real and fake images "
            "through D separately, but sums the two losses into one update. The tutorial's "
            "'without' is one combined batch and one update; this app's keeps two updates so "
            "that only the mixing differs. As a bonus you get two losses worth plotting, one for "
            "real images and one for fakes.",
            on="all-real half batch, then all-fake half batch",
            off="two mixed, shuffled half batches",
            sources=(GANHACKS, BROWNLEE_HACKS, DCGAN_CODE),
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
            why=fill(
                "With hard targets D is rewarded for pushing its scores on real images ever higher, "
                "growing over-confident and steep, and a steep D hands the generator gradients that "
                "are either huge or vanishing. Softer targets reward only moderate confidence "
                "(Goodfellow's tutorial); Salimans et al. show that the smoothed D's best answer is "
                "deliberately below the true probability, not a calibrated one. Salimans et al. "
                "smoothed only the real side, to one fixed value; the random range is the ganhacks "
                "form, and Chollet's Keras GAN adds noise up to {chollet_label_noise} to every "
                "target. The range caps the reward only on average (the mean target is "
                "{real_mean}): a target above 1 rewards pushing the score up without bound, which is "
                "why the loss can dip below zero: expected."
            ),
            on=fill("uniform in [{real_low}, {real_high}]"),
            off="exactly 1",
            sources=(SALIMANS, GANHACKS, GOODFELLOW_TUTORIAL, CHOLLET, BROWNLEE_HACKS),
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
            sources=(GANHACKS, SALIMANS, BROWNLEE_HACKS),
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
            "some tutorials do, flips fewer. With separate real and fake batches the tutorial "
            "instead moves a few fakes into the real batch and a few real images into the fake "
            "one: the same loss terms, but here the batches stay pure for BatchNorm. Keep p "
            "small: large values drown D's signal.",
            on=fill("p = {flip}"),
            off="p = 0",
            sources=(GANHACKS, BROWNLEE_HACKS),
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
            "fast from confident rejections. Goodfellow et al. proposed this swap themselves. "
            "In Keras code it is the usual way of training G: through the stacked D(G(z)) with "
            "the label 'real' on its fakes, since cross-entropy against 1 is exactly "
            "-log D(G(z)) (ganhacks #2: flip the labels when training the generator).",
            on="minimize -log D(G(z))",
            off="minimize log(1 - D(G(z)))",
            sources=(GOODFELLOW, GANHACKS, BROWNLEE_LOSS),
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
            "which can help when D lags (D loss high, images not improving). Too many let D win "
            "outright: under the minimax loss G's gradient then fades (Goodfellow et al.), under "
            "the non-saturating default it grows unstable (Arjovsky & Bottou). Each one adds to "
            "the cost of a step. ganhacks marks 'train D more' as not sure (#14) and warns "
            "against hunting for a schedule of D and G steps (#11).",
            on=fill("k = {d_steps_try} (slider {d_steps_low} to {d_steps_high})"),
            off=fill("k = {d_steps}"),
            sources=(GOODFELLOW, GANHACKS, ARJOVSKY_BOTTOU, BROWNLEE_LOSS),
            control=label("hacks.d_steps"),
            applies=LIVE,
            overrides=pair({"hacks.d_steps": NUMBERS["d_steps_try"]}, {"hacks.d_steps": NUMBERS["d_steps"]}),
        ),
    )
