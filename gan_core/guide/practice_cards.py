"""The Hacks guide's cards for the DCGAN paper's practices (Radford et al. 2015), the kernel rule
(Odena et al. 2016; Chollet 2017), dropout in D (Chollet) and ganhacks' "use the labels": the
settings that shape the networks and Adam, applied at the next start.

The cards are built by `practice_cards()` when gan_core.guide.cards loads, so each {name}
is filled from guide_numbers.NUMBERS as it is then.
"""

from __future__ import annotations

from gan_core.config.settings import label
from gan_core.guide.model import (
    ACGAN,
    BATCH_NORM_PLACEMENT,
    BROWNLEE_HACKS,
    CHOLLET,
    DCGAN,
    DCGAN_CODE,
    GANHACKS,
    GOODFELLOW,
    IOFFE,
    KINGMA_BA,
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
            "every four by a fixed rule (the DCGAN paper: let the network learn its own "
            "downsampling). Max pooling also sends the gradient back through a single pixel per "
            "window, so the generator hears about only a sparse subset of what the discriminator "
            "disliked; ganhacks (#5) and Chollet name such sparse gradients as a cause of unstable "
            "training. Learned downsampling passes a denser signal back.",
            on=fill("Conv2D, stride {stride}"),
            off="Conv2D (stride 1) + MaxPooling2D",
            sources=(DCGAN, GANHACKS, CHOLLET),
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
                "Hidden layers use LeakyReLU, which passes every negative input scaled down by a small "
                "slope ({leaky_slope} x the input by default), instead of ReLU, which sets them to zero."
            ),
            why="The generator learns only through the discriminator's gradients. A ReLU unit that "
            "outputs zero also passes zero gradient back, so parts of D go silent and G learns "
            "nothing through them: the sparse gradients ganhacks (#5) and Chollet warn about. The "
            "slope keeps every unit passing some signal. The DCGAN paper uses LeakyReLU in the "
            "discriminator and ReLU in the generator; ganhacks and later tutorials use it in both "
            "nets, and so does this switch.",
            on=fill("LeakyReLU (slope slider, {leaky_slope})"),
            off="ReLU",
            sources=(DCGAN, GANHACKS, CHOLLET, BROWNLEE_HACKS),
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
            sources=(DCGAN, DCGAN_CODE, BROWNLEE_HACKS),
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
            why="The DCGAN paper reports the value, not a reason, so what follows is this app's "
            "reading. A layer that BatchNorm follows gives the same output whatever the scale of "
            "its weights (Ioffe & Szegedy), so there the choice hardly matters. It matters where "
            "no BatchNorm follows: D's first and last layers, G's output layer, and every layer "
            "when BatchNorm is off. There the starting scale sets how large the first "
            "activations are. At the presets' widths Glorot uniform draws G's output layer and "
            "D's first layer with a std about 1.5 to 4 times this one, so with it G's first images start "
            "closer to mid-grey.",
            on=fill("normal, mean 0, std {init_std}"),
            off="Glorot uniform (Keras default)",
            sources=(DCGAN, BROWNLEE_HACKS, IOFFE),
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
                "optimizer react sooner (the paper: {adam_beta_1} oscillated, {dcgan_beta_1} helped). "
                "The paper found {adam_lr} too high. (The dcgan-hacks preset "
                "uses {hacks_lr}, decaying to {hacks_final_lr}, tuned for short CPU runs.)"
            ),
            on=fill("Adam({dcgan_lr}, beta_1={dcgan_beta_1})"),
            off=fill("Adam({adam_lr}, beta_1={adam_beta_1})"),
            sources=(DCGAN, BROWNLEE_HACKS, KINGMA_BA),
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
            why="The tutorials' reason: D must see real and fake images in the same range, so the "
            "real pixels are scaled to the range G's output can take. Both arms here keep the two "
            "ranges equal; what differs is the centring. tanh is a sigmoid shifted and stretched "
            "(tanh(x) = 2 sigmoid(2x) - 1), so the pair tests pixels centred on zero, which suit "
            "the zero-mean weights and normalized activations around them. The DCGAN paper "
            "reports that a bounded output, against the unbounded ReLU of G's other layers, let "
            "the model learn more quickly to saturate and cover the colour space.",
            on="tanh, pixels in [-1, 1]",
            off="sigmoid, pixels in [0, 1]",
            sources=(DCGAN, GANHACKS, CHOLLET, BROWNLEE_HACKS),
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
                "evens the overlap out; Odena et al. warn that such networks can still learn "
                "artifacts, and recommend resize-then-convolve (the off arm of 'Transposed "
                "convolutions in G'). The rule is Odena et al.'s and Chollet's, not the DCGAN "
                "paper's: the DCGAN networks used {dcgan_kernel}x{dcgan_kernel} kernels at stride {stride}."
            ),
            on=fill("{kernel_even}x{kernel_even} kernels at stride {stride}"),
            off=fill("{kernel_uneven}x{kernel_uneven} kernels at stride {stride}"),
            sources=(ODENA, CHOLLET, DCGAN_CODE),
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
                "Dropout zeroes a random share of the discriminator's features ({dropout} in Chollet's "
                "Keras GAN and the seed-tutorial preset, slider {dropout_low} to {dropout_high}) just "
                "before its output layer. The DCGAN paper used none, and the dcgan-paper preset has none."
            ),
            why="Chollet adds it to bring randomness into training, which keeps a GAN from getting "
            "stuck; Goodfellow et al. already trained their discriminator with dropout. It makes "
            "D's job noisier, so it cannot memorize the training images or grow certain too fast, "
            "and a discriminator that stays a little unsure keeps handing the generator useful "
            "gradients. ganhacks (#17) puts dropout in G instead, as a noise source: that is the "
            "card 'Dropout in G'.",
            on=fill("Dropout {dropout} before D's output"),
            off="none (0)",
            sources=(CHOLLET, GOODFELLOW, DCGAN_CODE, GANHACKS),
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
