"""Hacks guide cards for the settings that shape the networks or the optimizers beyond the
DCGAN paper: the rest of ganhacks' list (SGD for D, dropout in G, minibatch statistics) and
what came after it (spectral normalization, a moving average of G, two time scales).

All but the moving average apply at the next start (the average is live: its decay is a
variable of the step). Each "Try it" pair is applied to the dcgan-hacks preset.
"""

from __future__ import annotations

from gan_core.config.settings import label
from gan_core.guide.model import (
    BIGGAN,
    DCGAN,
    ERA_LATER,
    GANHACKS,
    HEUSEL,
    ISOLA,
    KARRAS,
    LIU,
    LIVE,
    MIYATO,
    NEXT_START,
    SAGAN,
    SAGE,
    SALIMANS,
    YAZICI,
    GuideCard,
    pair,
)

SELF_CONDITIONING_MEASURED = (
    "Digits without labels, same seed, 3,744 steps (the steps of a 2-minute run): 84% "
    "recognized with 10 clusters vs 54% unconditional, all 10 digits vs 9."
)

MODEL_HACK_CARDS: tuple[GuideCard, ...] = (
    GuideCard(
        "sgd-discriminator",
        "SGD for the discriminator",
        "practice",
        what="D is trained with plain stochastic gradient descent (no momentum) while G keeps "
        "Adam. ganhacks (#9) gives no learning rate for it. This app's rule of thumb, not a "
        "published one: about 10x Adam's, since SGD's step is the rate times the raw gradient "
        "while Adam's is about the rate itself; the pair below uses 0.01 where the preset's "
        "Adam uses 0.001.",
        why="ganhacks suggests it without a reason; what follows is this app's reading. Adam "
        "scales each weight's step by its own gradient history, so even weights with tiny "
        "gradients move at about the full rate, which can let D sharpen fast and overpower G. "
        "Plain SGD moves each weight in proportion to its gradient, so D changes more evenly "
        "and G keeps getting a useful signal. Later practice mostly returned to Adam for both "
        "players with other brakes on D (spectral norm, two time scales).",
        measured="60 s, digits without labels, same seed: 50% recognized with SGD, "
        "46% with Adam - within the noise of one pair.",
        on="D: SGD(lr 0.01); G: Adam",
        off="D and G: Adam(lr 0.001)",
        sources=(GANHACKS,),
        control=label("optimizer.d_optimizer"),
        applies=NEXT_START,
        overrides=pair(
            {"optimizer.d_optimizer": "sgd", "optimizer.d_learning_rate": 0.01},
            {"optimizer.d_optimizer": "adam", "optimizer.d_learning_rate": 0.001},
        ),
        related_controls=(label("optimizer.d_learning_rate"),),
    ),
    GuideCard(
        "g-dropout",
        "Dropout in G (also when sampling)",
        "practice",
        what="G drops a share of its hidden features (0.5 in pix2pix) in training and also when "
        "it draws the grid and samples, so dropout is a second source of noise besides z. "
        "The same z then draws a slightly different image each time.",
        why="Where G has no input noise (pix2pix maps one image to another), dropout is its only "
        "source of randomness, though Isola et al. report that it made their outputs only "
        "slightly random. With z already there it mostly adds variety to the details and "
        "slows G down; ganhacks (#17) names it as a noise source.",
        measured="60 s, digits without labels: 0.5 cost a lot (35% recognized vs 52%), "
        "0.2 a little (42% vs 45%): with z as input, G needs no more noise.",
        on="Dropout 0.5 after G's hidden stages, on at sampling",
        off="no dropout in G",
        sources=(GANHACKS, ISOLA),
        control=label("model.g_dropout"),
        applies=NEXT_START,
        overrides=pair({"model.g_dropout": 0.5}, {"model.g_dropout": 0.0}),
    ),
    GuideCard(
        "minibatch-stddev",
        "Minibatch standard deviation in D",
        "practice",
        what="Near its end, D gets one extra feature map: how much the images of each group of "
        "4 differ from each other, averaged over all features. D judges a batch's variety "
        "along with each image.",
        why="A collapsed G draws the same digit again and again; one image at a time, D cannot "
        "tell. With the group's spread in view, a batch that is too alike looks fake, and G "
        "is pushed to vary. Salimans et al.'s minibatch discrimination had this aim (ganhacks "
        "lists it as not sure, with mixed results: #15); ProGAN (Karras et al.) made it one "
        "cheap statistic without extra weights.",
        measured="60 s, digits without labels: 45% recognized with it, 46% without; it matters "
        "most once a run starts to collapse.",
        on="one stddev channel, groups of 4",
        off="none",
        sources=(KARRAS, SALIMANS, GANHACKS),
        control=label("model.minibatch_stddev"),
        applies=NEXT_START,
        overrides=pair({"model.minibatch_stddev": True}, {"model.minibatch_stddev": False}),
        era=ERA_LATER,
    ),
    GuideCard(
        "spectral-norm",
        "Spectral normalization in D",
        "practice",
        what="Each conv and dense kernel of D is divided by its largest singular value, estimated "
        "with one power iteration per step, so no such layer stretches its input by much more "
        "than 1 (for a convolution the bound is on its reshaped kernel, which approximates "
        "the layer's own).",
        why="A D that may become arbitrarily sharp gives G huge or vanishing gradients and wins "
        "too easily. Bounding every layer bounds how fast D's verdict can change across "
        "images, which steadies G's signal without tuning. In Miyato et al.'s D, which has no "
        "BatchNorm, that makes the whole of D about 1-Lipschitz; this app keeps D's BatchNorm "
        "when the switch is on, and BatchNorm's rescaling is not bounded, so here only the "
        "convolutions and the dense layer are. It is cheap and became a default of later "
        "GANs (SAGAN, BigGAN).",
        measured="60 s, digits without labels: 35% recognized with it, 52% without, at a similar "
        "Fréchet distance (31 vs 32); its published gains are for longer runs.",
        on="SpectralNormalization on every D conv and dense (1 power iteration)",
        off="none",
        sources=(MIYATO, SAGAN, BIGGAN),
        control=label("model.spectral_norm"),
        applies=NEXT_START,
        overrides=pair({"model.spectral_norm": True}, {"model.spectral_norm": False}),
        era=ERA_LATER,
    ),
    GuideCard(
        "ema-generator",
        "Moving average of G's weights (EMA)",
        "hack",
        what="A second copy of G whose weights trail the trained ones: after every step each "
        "weight becomes decay x average + (1 - decay) x current. The copy draws the grid, "
        "the quality figures and the saved generator; G itself keeps training as before.",
        why="The two players never settle; G's weights circle around a good point from step to "
        "step. Their average sits nearer that point, so its samples are cleaner, at no cost "
        "to training. The decay warms up (min(decay, (1+t)/(10+t))) so a short run is not "
        "stuck near the random start.",
        measured="60 s, ~1,500 steps, digits without labels: 0.99 gave 52% recognized vs 47% "
        "without; 0.999 (the usual value for long runs) 47% vs 48%, as its average still "
        "reaches back past the run's start.",
        on="decay 0.99 (0.999 for long runs); live: turned on mid-run, the average starts from "
        "G's weights of that moment",
        off="0 (samples from G itself)",
        sources=(KARRAS, YAZICI),
        control=label("run.ema_decay"),
        applies=LIVE,
        overrides=pair({"run.ema_decay": 0.99}, {"run.ema_decay": 0.0}),
        era=ERA_LATER,
    ),
    GuideCard(
        "ttur",
        "Two time-scale update rule (TTUR)",
        "practice",
        what="D learns faster than G: D 4e-4, G 1e-4, with Adam's beta_1 at 0. No new setting: "
        "the two learning rates and beta_1 already exist. (The source also uses beta_2 0.9; "
        "this app keeps Keras' 0.999.)",
        why="With a larger step, D tracks the current G closely, so G always learns from a D that "
        "is near its best answer. Heusel et al. prove that two time-scale training converges "
        "to a local Nash equilibrium when both rates decay, G's faster than D's; fixed rates "
        "such as these are SAGAN's practical form of it, not the proven case. It replaces "
        "'several D steps per G step' at the price of one.",
        measured="60 s, digits without labels: 15% recognized vs 31% for both at 2e-4 - likely "
        "because G at 1e-4 learns too little in one minute: TTUR is about stability, "
        "not speed.",
        on="D 4e-4, G 1e-4, beta_1 0",
        off="both 2e-4, beta_1 0.5 (DCGAN)",
        sources=(HEUSEL, SAGAN, DCGAN),
        control=label("optimizer.d_learning_rate"),
        applies=NEXT_START,
        overrides=pair(
            {"optimizer.d_learning_rate": 4e-4, "optimizer.g_learning_rate": 1e-4, "optimizer.beta_1": 0.0},
            {"optimizer.d_learning_rate": 2e-4, "optimizer.g_learning_rate": 2e-4, "optimizer.beta_1": 0.5},
        ),
        related_controls=(label("optimizer.g_learning_rate"), label("optimizer.beta_1")),
        era=ERA_LATER,
    ),
    GuideCard(
        "self-conditioning",
        "Self-conditioning: clusters as labels",
        "practice",
        what="Before training, the images are sorted into k look-alike groups (k-means on their "
        "main PCA components, a second or two). Each group then plays the "
        "part of a label: G is told which group to draw, D judges image and group together, "
        "exactly as with 'Use the labels'. No real labels are needed, so it works on your own "
        "images too.",
        why="One unconditional G must cover every kind of image at once and drifts between them; "
        "its samples blur kinds together (a 4 half-way to a 9). Told which group to draw, G "
        "learns each group as its own simpler task, and D can tell when a group's drawings "
        "stop looking like that group. Groups need not be pure: most groups of digits hold "
        "mainly one digit with a few look-alikes of another, and that is enough.",
        measured=SELF_CONDITIONING_MEASURED,
        on="20 clusters act as labels (real labels off)",
        off="no labels, unconditional G and D",
        sources=(SAGE, LIU),
        control=label("model.self_conditioning"),
        applies=NEXT_START,
        overrides=pair(
            {"model.use_labels": False, "model.self_conditioning": 20},
            {"model.use_labels": False, "model.self_conditioning": 0},
        ),
        related_controls=(label("model.use_labels"),),
        era=ERA_LATER,
    ),
)
