"""The Hacks guide's cards: one per DCGAN practice and training hack, in our own words.

Every number a card states is a {name} filled from guide_numbers.NUMBERS (the presets, the
config defaults, the slider ranges and the model constants), so the prose cannot drift
from the code; tests/test_guide_numbers.py checks each stated number against it.

A teacher edits the prose here; each card names its config keys and a with/without pair of
overrides that the Compare page applies to the dcgan-hacks preset.
"""

from __future__ import annotations

from gan_core.guide.model import (
    ACGAN,
    ARJOVSKY_BOTTOU,
    BATCH_NORM_PLACEMENT,
    CHOLLET,
    DCGAN,
    ERA_LATER,
    GANHACKS,
    GOODFELLOW,
    LIM_YE,
    LIVE,
    MAO,
    MESCHEDER,
    MIRZA,
    NEXT_START,
    ODENA,
    PROJECTION,
    SAGAN,
    SALIMANS,
    SHRIVASTAVA,
    SONDERBY,
    ZHAO_DIFFAUGMENT,
    GuideCard,
    pair,
)
from gan_core.guide.numbers import NUMBERS, fill

CARDS: tuple[GuideCard, ...] = (
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
        control="Strided convolutions in D",
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
        control="Transposed convolutions in G",
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
        control="LeakyReLU",
        applies=NEXT_START,
        overrides=pair({"model.leaky_relu": True}, {"model.leaky_relu": False}),
        related_controls=("LeakyReLU slope",),
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
        control="Batch normalization",
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
        control=fill("Gaussian weight init (std {init_std})"),
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
        control=fill("Adam beta_1 (DCGAN: {dcgan_beta_1})"),
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
        related_controls=("Generator learning rate", "Discriminator learning rate"),
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
        control="tanh output, pixels in [-1, 1]",
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
        control="Kernel size divisible by stride",
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
        control="Dropout in D",
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
        control="Use the labels (conditional GAN)",
        applies=NEXT_START,
        overrides=pair({"model.use_labels": True}, {"model.use_labels": False}),
    ),
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
        control="Latent distribution",
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
        control="Separate real and fake batches",
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
        control="Real label range",
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
        control="Fake label range",
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
        control="Label flip probability",
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
        control="Generator loss",
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
        control="Discriminator steps per generator step",
        applies=LIVE,
        overrides=pair({"hacks.d_steps": NUMBERS["d_steps_try"]}, {"hacks.d_steps": NUMBERS["d_steps"]}),
    ),
    # -- step-level stabilizers: ganhacks #13 and #8, and what came after the list ----------
    GuideCard(
        "instance-noise",
        "Instance noise",
        "hack",
        what="Every image the discriminator sees, real or fake, gets Gaussian noise added to its "
        "pixels (std 0.1 at the start on [-1, 1] pixels), and the std falls linearly to 0 "
        "over the run's time or epochs.",
        why="Early on, real digits and G's blobs live in places that barely overlap, so a "
        "discriminator can separate them perfectly and its gradient says little about which "
        "way G should move. Noise spreads both sets out until they overlap, so D's verdict "
        "changes smoothly and G gets a useful direction. As G improves the noise is no "
        "longer needed and fades away, leaving the sharp images to be judged at the end.",
        on="std 0.1 at the start, linearly to 0 over the budget",
        off="0 (no noise)",
        sources=(GANHACKS, SONDERBY, ARJOVSKY_BOTTOU),
        control="Instance noise (start std)",
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
        why="G and D can chase each other in circles: G moves to a kind of digit D stopped "
        "rejecting, D forgets the old kind while learning the new one, and G moves back. "
        "Showing D old fakes again keeps it rejecting what G used to draw, so G cannot "
        "return there cheaply. The buffer lives inside the compiled step, so it costs a "
        "gather and a write per step.",
        on="half of D's fakes from the buffer",
        off="all fakes fresh",
        sources=(GANHACKS, SHRIVASTAVA),
        control="Experience replay share",
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
        why="Cross-entropy stops caring about a fake once D has called it fake with confidence, "
        "even if it is far from any real image. A squared error keeps growing with the "
        "distance, so fakes far from the data still give G a strong pull towards it, and "
        "the loss saturates less. Its losses are never negative (0 is perfect), and D "
        "calls an image real when its output is above 0.5.",
        on="least-squares, a=0, b=c=1",
        off="binary cross-entropy",
        sources=(MAO,),
        control="Adversarial loss",
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
        why="The hinge stops pushing D once an image is past the margin (score above 1 for real, "
        "below −1 for fake), so D spends its effort on the images it still gets wrong rather "
        "than on growing ever more certain. It is the loss of SAGAN and BigGAN. D's losses "
        "are 0 when every image is past the margin; G's loss can be negative, which only "
        "means D scores its fakes as real.",
        on="hinge",
        off="binary cross-entropy",
        sources=(LIM_YE, SAGAN),
        control="Adversarial loss",
        applies=LIVE,
        era=ERA_LATER,
        overrides=pair({"hacks.adversarial_loss": "hinge"}, {"hacks.adversarial_loss": "bce"}),
    ),
    GuideCard(
        "r1-penalty",
        "R1 gradient penalty",
        "hack",
        what="D's loss gets an extra term γ/2 · ‖∇ₓD(x)‖²: the squared steepness of D's score "
        "around each real image, with γ from 0.1 to 10 (low for small images; 0 is off).",
        why="A discriminator that is steep right at the real images makes G overshoot them, and "
        "the two players orbit instead of settling. Penalizing the slope on real data keeps "
        "D flat where G should end up, which Mescheder et al. show makes training converge "
        "locally. It costs a second gradient per D update, so it runs only while γ > 0.",
        on="γ = 1",
        off="γ = 0",
        sources=(MESCHEDER,),
        control="R1 penalty γ",
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
        why="With a few thousand images, D soon memorizes the training set and its verdicts stop "
        "helping G. Augmenting only the real images would teach G to draw shifted, blanked "
        "digits; augmenting both, with operations G's gradient can flow through, makes D's "
        "job harder without changing what G is asked to draw. It was made for data sets the "
        "size of ours.",
        on="translation, cutout",
        off="none",
        sources=(ZHAO_DIFFAUGMENT,),
        control="DiffAugment",
        applies=LIVE,
        era=ERA_LATER,
        overrides=pair({"hacks.diff_augment": "translation,cutout"}, {"hacks.diff_augment": ""}),
    ),
)

# Settings beyond the DCGAN paper that shape the networks or optimizers (next start).
from gan_core.guide.model_hack_cards import MODEL_HACK_CARDS  # noqa: E402

CARDS = CARDS + MODEL_HACK_CARDS
