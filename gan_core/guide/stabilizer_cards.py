"""The Hacks guide's cards for the step-level stabilizers: ganhacks #13 and #8 (instance noise,
experience replay) and what came after the list (least-squares and hinge losses, R1, DiffAugment),
all live.

The cards are built by `stabilizer_cards()` when gan_core.guide.cards loads, so each {name}
is filled from guide_numbers.NUMBERS as it is then.
"""

from __future__ import annotations

from gan_core.config.settings import label
from gan_core.guide.model import (
    ARJOVSKY_BOTTOU,
    BIGGAN,
    ERA_LATER,
    GANHACKS,
    KARRAS_ADA,
    LIM_YE,
    LIVE,
    MAO,
    MESCHEDER,
    SAGAN,
    SHRIVASTAVA,
    SONDERBY,
    ZHAO_DIFFAUGMENT,
    GuideCard,
    pair,
)
from gan_core.guide.numbers import fill


def stabilizer_cards() -> tuple[GuideCard, ...]:
    """The stabilizer cards, kind "hack", in the guide's order; numbers filled from NUMBERS now.

    Long as data is long: one literal of card texts and no logic, in a function so that the
    numbers are filled from NUMBERS when it is called.
    """
    return (
        GuideCard(
            "instance-noise",
            "Instance noise",
            "hack",
            what="Every image the discriminator sees, real or fake, gets Gaussian noise added to its "
            "pixels (std 0.1 at the start on [-1, 1] pixels, this app's choice: the sources give "
            "no standard value), and the std falls linearly to 0 over the run's time or epochs.",
            measured="60 s, digits without labels: 0.1 gave 44% recognized vs 48% without, Fréchet "
            "distance 20.5 vs 27.0: closer to the data's statistics, no more digits.",
            why="Early on, real digits and G's blobs live in places that barely overlap, so a "
            "discriminator can separate them perfectly and its gradient says little about which "
            "way G should move. Noise spreads both sets out until they overlap, so D's verdict "
            "changes smoothly and G gets a useful direction. As G improves the noise is no "
            "longer needed and fades away, leaving the sharp images to be judged at the end.",
            on="std 0.1 at the start, linearly to 0 over the budget",
            off="0 (no noise)",
            sources=(GANHACKS, SONDERBY, ARJOVSKY_BOTTOU),
            control=label("hacks.instance_noise"),
            applies=LIVE,
            overrides=pair({"hacks.instance_noise": 0.1}, {"hacks.instance_noise": 0.0}),
        ),
        GuideCard(
            "experience-replay",
            "Experience replay of old fakes",
            "hack",
            what=fill(
                "Part of the discriminator's fake half-batch (half in the Try it pair) is drawn "
                "from a buffer of {replay_capacity} fakes the generator made in earlier steps; the rest is "
                "fresh."
            ),
            measured="60 s, digits without labels: at 0.5 training broke (0.4% and 0.8% recognized vs 46% and "
            "45% without, two seeds); at 0.25 it cost a little (35% vs 41%).",
            why="G and D can chase each other in circles: G moves to a kind of digit D stopped "
            "rejecting, D forgets the old kind while learning the new one, and G moves back. "
            "Showing D old fakes again keeps it rejecting what G used to draw, so G cannot "
            "return there cheaply. The buffer lives inside the compiled step, so it costs a "
            "gather and a write per step.",
            on="half of D's fakes from the buffer",
            off="all fakes fresh",
            sources=(GANHACKS, SHRIVASTAVA),
            control=label("hacks.replay_share"),
            applies=LIVE,
            overrides=pair({"hacks.replay_share": 0.5}, {"hacks.replay_share": 0.0}),
        ),
        GuideCard(
            "least-squares-loss",
            "Least-squares loss (LSGAN)",
            "hack",
            what="D's output is pulled towards 1 for real images and 0 for fakes with a squared error, "
            "½(D(x) − 1)² + ½D(G(z))², and G minimizes ½(D(G(z)) − 1)², instead of binary "
            "cross-entropy on a sigmoid.",
            measured="60 s, digits without labels: 40% recognized vs 48% with cross-entropy. Repeated "
            "runs of the cross-entropy arm spread over 41-50%, and one measurement on 256 samples "
            "carries about ±3 points of sampling error: 40% is at the edge of that noise, so no "
            "clear loss.",
            why="Under cross-entropy, a fake that D already calls real (on the real side of D's "
            "decision boundary) gives G almost no gradient, even if it is still far from every "
            "real image: the sigmoid has flattened out there. A squared error keeps pulling such "
            "a fake towards the real target, more the farther it is, so G keeps moving towards "
            "the data (Mao et al.). A fake that D confidently rejects is another matter: there "
            "the non-saturating G loss is already at its steepest. Its losses are never negative "
            "(0 is perfect), and D calls an image real when its output is above 0.5.",
            on="least-squares, a=0, b=c=1",
            off="binary cross-entropy",
            sources=(MAO,),
            control=label("hacks.adversarial_loss"),
            applies=LIVE,
            era=ERA_LATER,
            overrides=pair({"hacks.adversarial_loss": "least-squares"}, {"hacks.adversarial_loss": "bce"}),
        ),
        GuideCard(
            "hinge-loss",
            "Hinge loss",
            "hack",
            what="D is trained with relu(1 − D(x)) on real images and relu(1 + D(G(z))) on fakes, and G "
            "maximizes D's raw score on its fakes (G's loss is −D(G(z))).",
            measured="60 s, digits without labels: 54% recognized vs 50% with cross-entropy. Repeated "
            "runs of the cross-entropy arm spread over 41-50%, and one measurement on 256 samples "
            "carries about ±3 points of sampling error: 54% is at the edge of that noise, so no "
            "clear gain.",
            why="The hinge stops pushing D once an image is past the margin (score above 1 for real, "
            "below −1 for fake), so D spends its effort on the images it still gets wrong rather "
            "than on growing ever more certain. It is the loss of SAGAN and BigGAN. D's losses "
            "are 0 when every image is past the margin; G's loss can be negative, which only "
            "means D scores its fakes as real.",
            on="hinge",
            off="binary cross-entropy",
            sources=(LIM_YE, SAGAN, BIGGAN),
            control=label("hacks.adversarial_loss"),
            applies=LIVE,
            era=ERA_LATER,
            overrides=pair({"hacks.adversarial_loss": "hinge"}, {"hacks.adversarial_loss": "bce"}),
        ),
        GuideCard(
            "r1-penalty",
            "R1 gradient penalty",
            "hack",
            what=fill(
                "D's loss gets an extra term γ/2 · ‖∇ₓD(x)‖²: the squared steepness of D's score "
                "around each real image. Mescheder et al.'s code uses γ = {r1_gamma_mescheder}; "
                "StyleGAN2-ADA uses far less for small images ({r1_gamma_cifar} for CIFAR-10). "
                "0 is off."
            ),
            measured="60 s, digits without labels: γ = 1 gave 41% recognized vs 45% without, "
            "Fréchet distance 17.0 vs 26.3; each step costs about a fifth more while it is on.",
            why="A discriminator that is steep right at the real images makes G overshoot them, and "
            "the two players orbit instead of settling. Penalizing the slope on real data keeps "
            "D flat where G should end up, which Mescheder et al. show makes training converge "
            "locally. It costs a second gradient per D update, so it runs only while γ > 0.",
            on="γ = 1",
            off="γ = 0",
            sources=(MESCHEDER, KARRAS_ADA),
            control=label("hacks.r1_gamma"),
            applies=LIVE,
            era=ERA_LATER,
            overrides=pair({"hacks.r1_gamma": 1.0}, {"hacks.r1_gamma": 0.0}),
        ),
        GuideCard(
            "diff-augment",
            "DiffAugment",
            "hack",
            what="Before the discriminator sees any image, real or fake, it is randomly shifted (up to "
            "⅛ of the side), has a square of half the side blanked out, and/or has its "
            "brightness, saturation and contrast jittered; the same in D's and G's updates.",
            measured="60 s, digits without labels: translation and cutout gave 36% recognized vs "
            "48% without: D's harder task needs longer runs than a minute.",
            why="With a few thousand images, D soon memorizes the training set and its verdicts stop "
            "helping G. Augmenting only the real images would teach G to draw shifted, blanked "
            "digits; augmenting both, with operations G's gradient can flow through, makes D's "
            "job harder without changing what G is asked to draw. It was made for data sets the "
            "size of ours.",
            on="translation, cutout",
            off="none",
            sources=(ZHAO_DIFFAUGMENT,),
            control=label("hacks.diff_augment"),
            applies=LIVE,
            era=ERA_LATER,
            overrides=pair({"hacks.diff_augment": "translation,cutout"}, {"hacks.diff_augment": ""}),
        ),
    )
