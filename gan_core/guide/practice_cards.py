"""The Hacks guide's cards for the DCGAN paper's practices (Radford et al. 2015) and ganhacks'
"use the labels": the settings that shape the networks and Adam, applied at the next start.

The cards are built by `practice_cards()` when gan_core.guide.cards loads, so each {name}
is filled from guide_numbers.NUMBERS as it is then.
"""

from __future__ import annotations

from gan_core.config.settings import label
from gan_core.guide.model import (
    ACGAN,
    BATCH_NORM_PLACEMENT,
    CHOLLET,
    DCGAN,
    GANHACKS,
    MIRZA,
    NEXT_START,
    ODENA,
    PROJECTION,
    GuideCard,
    pair,
)
from gan_core.guide.numbers import NUMBERS, fill


def practice_cards() -> tuple[GuideCard, ...]:
    """The practice cards, kind "practice", in the guide's order; numbers filled from NUMBERS now.

    Long as data is long: one literal of card texts and no logic, in a function so that the
    numbers are filled from NUMBERS when it is called.
    """
    return (
        GuideCard(
            "strided-downsample",
            "Strided convolutions in D",
            "practice",
            what=fill(
                "The discriminator halves the picture with a convolution that steps {stride} pixels at a "
                "time, instead of a plain convolution followed by max pooling."
            ),
            why="A strided convolution learns how to shrink the picture; pooling keeps one value of "
            "every four by a fixed rule. Pooling also sends the gradient back through a single "
            "pixel per window, so the generator hears about only a sparse subset of what the "
            "discriminator disliked. Learned downsampling passes a denser signal back.",
            on=fill("Conv2D, stride {stride}"),
            off="Conv2D (stride 1) + MaxPooling2D",
            sources=(DCGAN,),
            control=label("model.strided_downsample"),
            applies=NEXT_START,
            overrides=pair({"model.strided_downsample": True}, {"model.strided_downsample": False}),
        ),
        GuideCard(
            "strided-upsample",
            "Transposed convolutions in G",
            "practice",
            what=fill(
                "The generator doubles the picture with a learned transposed convolution (stride {stride}) "
                "rather than a fixed nearest-neighbour upsampling followed by a convolution."
            ),
            why="Learned upsampling lets the generator decide how detail spreads onto the larger grid, "
            "which is the all-convolutional design the DCGAN paper argues for. The fixed "
            "alternative is no beginner's blunder: resize-then-convolve is a known cure for "
            "checkerboard patterns. That makes this pair a fair contest worth watching.",
            on=fill("Conv2DTranspose, stride {stride}"),
            off="UpSampling2D + Conv2D",
            sources=(DCGAN, ODENA),
            control=label("model.strided_upsample"),
            applies=NEXT_START,
            overrides=pair({"model.strided_upsample": True}, {"model.strided_upsample": False}),
        ),
        GuideCard(
            "leaky-relu",
            "LeakyReLU",
            "practice",
            what=fill(
                "Hidden layers use LeakyReLU, which lets a small fraction of negative inputs through "
                "(the slope, {leaky_slope} by default), instead of ReLU, which sets them to zero."
            ),
            why="The generator learns only through the discriminator's gradients. A ReLU unit that "
            "outputs zero also passes zero gradient back, so parts of D go silent and G learns "
            "nothing through them. A small negative slope keeps every unit passing some signal. "
            "The DCGAN paper uses it in the discriminator; many later recipes use it in both nets.",
            on=fill("LeakyReLU (slope slider, {leaky_slope})"),
            off="ReLU",
            sources=(DCGAN, GANHACKS),
            control=label("model.leaky_relu"),
            applies=NEXT_START,
            overrides=pair({"model.leaky_relu": True}, {"model.leaky_relu": False}),
            related_controls=(label("model.leaky_slope"),),
            visual="activation",
        ),
        GuideCard(
            "batch-norm",
            "Batch normalization",
            "practice",
            what="Each hidden layer's outputs are normalized over the batch, then rescaled by learned "
            "parameters. " + BATCH_NORM_PLACEMENT,
            why="Normalizing keeps activations in a workable range however the weights drift, which "
            "steadies both players and helps gradients reach the generator's early layers. The "
            "DCGAN authors credit it with getting deep generators to train and with keeping them "
            "from collapsing onto one output. On this project's machine, a network without it "
            "collapsed to a flat image within a few dozen steps.",
            on="BatchNormalization in G and D (not D's input, not G's output)",
            off="none",
            sources=(DCGAN,),
            control=label("model.batch_norm"),
            applies=NEXT_START,
            overrides=pair({"model.batch_norm": True}, {"model.batch_norm": False}),
        ),
        GuideCard(
            "gaussian-init",
            fill("Gaussian weight init (std {init_std})"),
            "practice",
            what=fill(
                "Every weight starts as a draw from a normal distribution with mean 0 and standard "
                "deviation {init_std}, instead of Keras' default Glorot uniform."
            ),
            why="Small starting weights keep the first updates of both networks gentle, so neither "
            "player begins with a large head start and early outputs stay near the middle of "
            "their range. With BatchNorm on the difference is usually modest; without it, the "
            "scale of the first weights matters more.",
            on=fill("normal, mean 0, std {init_std}"),
            off="Glorot uniform (Keras default)",
            sources=(DCGAN,),
            control=label("model.gaussian_init"),
            applies=NEXT_START,
            overrides=pair({"model.gaussian_init": True}, {"model.gaussian_init": False}),
        ),
        GuideCard(
            "dcgan-adam",
            fill("DCGAN Adam (beta_1 {dcgan_beta_1})"),
            "practice",
            what=fill(
                "Both networks use Adam with learning rate {dcgan_lr} and beta_1 = {dcgan_beta_1}, "
                "instead of Adam's defaults ({adam_lr} and {adam_beta_1})."
            ),
            why=fill(
                "Each network chases a target that moves, because the other one learns too. A long "
                "momentum memory (beta_1 {adam_beta_1}) keeps pushing in a direction that was right "
                "several steps ago, so the players overshoot and oscillate; {dcgan_beta_1} makes the "
                "optimizer react sooner. The paper found {adam_lr} too high. (The dcgan-hacks preset "
                "uses {hacks_lr}, decaying to {hacks_final_lr}, tuned for short CPU runs.)"
            ),
            on=fill("Adam({dcgan_lr}, beta_1={dcgan_beta_1})"),
            off=fill("Adam({adam_lr}, beta_1={adam_beta_1})"),
            sources=(DCGAN,),
            control=label("optimizer.beta_1"),
            applies=NEXT_START,
            overrides=pair(
                {
                    "optimizer.d_learning_rate": NUMBERS["dcgan_lr"],
                    "optimizer.g_learning_rate": NUMBERS["dcgan_lr"],
                    "optimizer.beta_1": NUMBERS["dcgan_beta_1"],
                },
                {
                    "optimizer.d_learning_rate": NUMBERS["adam_lr"],
                    "optimizer.g_learning_rate": NUMBERS["adam_lr"],
                    "optimizer.beta_1": NUMBERS["adam_beta_1"],
                },
            ),
            related_controls=(label("optimizer.g_learning_rate"), label("optimizer.d_learning_rate")),
        ),
        GuideCard(
            "tanh-output",
            "tanh output, pixels in [-1, 1]",
            "practice",
            what="Training images are scaled to [-1, 1] and the generator ends in tanh, instead of "
            "pixels in [0, 1] and a sigmoid output.",
            why="tanh is centred on zero and steeper around it than the sigmoid, so the last layer "
            "gets stronger gradients. Zero-centred pixels also match the zero-mean weights and "
            "the normalized activations feeding that layer. The paper reports that the bounded, "
            "symmetric output helped the model learn to cover the full colour range quickly.",
            on="tanh, pixels in [-1, 1]",
            off="sigmoid, pixels in [0, 1]",
            sources=(DCGAN, GANHACKS),
            control=label("model.tanh_output"),
            applies=NEXT_START,
            overrides=pair({"model.tanh_output": True}, {"model.tanh_output": False}),
        ),
        GuideCard(
            "kernel-stride",
            "Kernel size divisible by stride",
            "practice",
            what=fill(
                "Convolutions that step {stride} pixels use {kernel_even}x{kernel_even} kernels, so every "
                "output pixel is touched by the same number of kernel taps. Off, they use "
                "{kernel_uneven}x{kernel_uneven} kernels at stride {stride}."
            ),
            why=fill(
                "With a {kernel_uneven}x{kernel_uneven} kernel at stride {stride}, a transposed convolution "
                "paints some output pixels from two kernel positions and their neighbours from one. The "
                "uneven overlap shows as a fine checkerboard on the images, and D's strided convolutions "
                "send back a gradient with the same uneven pattern. A kernel divisible by the stride "
                "evens it out."
            ),
            on=fill("{kernel_even}x{kernel_even} kernels at stride {stride}"),
            off=fill("{kernel_uneven}x{kernel_uneven} kernels at stride {stride}"),
            sources=(ODENA, DCGAN),
            control=label("model.kernel_divisible_by_stride"),
            applies=NEXT_START,
            overrides=pair({"model.kernel_divisible_by_stride": True}, {"model.kernel_divisible_by_stride": False}),
            visual="overlap",
        ),
        GuideCard(
            "dropout",
            "Dropout in D",
            "practice",
            what=fill(
                "Dropout zeroes a random share of the discriminator's features ({dropout} in the "
                "dcgan-paper preset, slider {dropout_low} to {dropout_high}) just before its output layer."
            ),
            why="Dropout makes the discriminator's job noisier, so it cannot memorize the training "
            "images or grow certain too fast. A discriminator that stays a little unsure keeps "
            "handing the generator useful gradients. ganhacks also suggests dropout inside G as "
            "a noise source; this app applies it in D only.",
            on=fill("Dropout {dropout} before D's output"),
            off="none (0)",
            sources=(CHOLLET, GANHACKS),
            control=label("model.dropout"),
            applies=NEXT_START,
            overrides=pair({"model.dropout": NUMBERS["dropout"]}, {"model.dropout": 0.0}),
        ),
        GuideCard(
            "use-labels",
            "Use the labels (conditional GAN)",
            "practice",
            what="When the data says which digit each image is, the generator is told which digit to "
            "draw (a one-hot code after z). The discriminator judges image and digit together "
            "and also has to name the digit of real images; the generator is rewarded when the "
            "discriminator names the digit it was asked for.",
            why="Without labels, G must discover on its own that there are ten kinds of digit, and "
            "many of its samples land between two of them: a shape half 4, half 9. Told the "
            "class, G only has to learn how that one digit varies, and D's class head points it "
            "straight at what makes a 4 a 4. On this project's machine it lifted the share of "
            "samples a strict digit classifier recognizes from about half to nearly all within "
            "two minutes. The price: it needs labelled data, and G draws the class you ask for "
            "rather than choosing one.",
            on="G gets the class; D: projection + class head",
            off="unconditional G and D",
            sources=(GANHACKS, MIRZA, ACGAN, PROJECTION),
            control=label("model.use_labels"),
            applies=NEXT_START,
            overrides=pair({"model.use_labels": True}, {"model.use_labels": False}),
        ),
    )
