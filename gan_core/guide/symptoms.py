"""The Hacks guide's symptoms: what a learner sees, what it means, and which cards help."""

from __future__ import annotations

from gan_core.guide.model import Symptom

SYMPTOMS: tuple[Symptom, ...] = (
    Symptom(
        "d-loss-zero",
        "Discriminator loss goes to zero",
        looks_like="D's loss heads for 0, its accuracy on real and fake reaches 100%, G's loss "
        "climbs and the images stop improving.",
        explanation="D has won: it separates real from fake perfectly, and a certain D gives the "
        "generator almost no gradient to learn from.",
        causes=(
            "D learns much faster than G",
            "hard 0/1 targets let D become certain",
            "the minimax G loss is flat once D is confident",
        ),
        cards=("soft-real-labels", "label-flips", "dropout", "non-saturating", "dcgan-adam"),
    ),
    Symptom(
        "g-loss-falls-garbage",
        "G loss falls steadily while the images are garbage",
        looks_like="G's loss keeps going down, D's goes up, and the samples are still noise, blobs or stripes.",
        explanation="A GAN loss is not a quality score: G's loss only says how well it fools the "
        "current D. Falling G loss with bad images means D is easy to fool, not that "
        "G is good.",
        causes=(
            "D is too weak or too slow, so cheap tricks fool it",
            "D's gradients are dead (ReLU units, pooling)",
            "so much label noise or dropout that D cannot learn",
        ),
        cards=("d-steps", "leaky-relu", "strided-downsample", "label-flips", "dropout"),
    ),
    Symptom(
        "mode-collapse",
        "All samples look alike (mode collapse)",
        looks_like="The grid shows the same digit, or the same flat image, for every latent point.",
        explanation="G found one output that fools D and keeps making it; D is too slow to punish the lack of variety.",
        causes=(
            "no BatchNorm in a deep network",
            "D over-confident, then G jumps to its blind spot",
            "mixed real/fake batches skew BatchNorm statistics",
        ),
        cards=("batch-norm", "separate-batches", "soft-real-labels", "label-flips", "dcgan-adam"),
        playground_preset="collapse",
    ),
    Symptom(
        "checkerboard",
        "Checkerboard artifacts",
        looks_like="A fine grid of alternating light and dark pixels over the images.",
        explanation="Uneven overlap of transposed convolution kernels paints every other pixel "
        "more often than its neighbours.",
        causes=("kernel size not divisible by the stride (3x3 at stride 2)",),
        cards=("kernel-stride", "strided-upsample"),
    ),
    Symptom(
        "nan-loss",
        "NaN in the losses",
        looks_like="A loss becomes nan and the images turn blank or noisy for good.",
        explanation="The losses here are computed from logits, which is numerically safe, so a "
        "NaN usually means the weights themselves blew up.",
        causes=("learning rate too high", "activations growing without BatchNorm", "large starting weights"),
        cards=("dcgan-adam", "batch-norm", "gaussian-init", "tanh-output"),
    ),
    Symptom(
        "in-between",
        "Shapes halfway between two digits",
        looks_like="Strokes look hand-drawn, but many samples are half one digit and half another: "
        "a 4 melting into a 9, a 3 that might be an 8.",
        explanation="An unconditional G maps one smooth latent space onto ten separate kinds of "
        "digit, so somewhere its outputs must pass from one kind to the next. A D that "
        "only asks 'real or fake?' is slow to punish a plausible stroke that is no "
        "digit in particular.",
        causes=("G is not told which digit to draw", "a short run: the borders sharpen slowly"),
        cards=("use-labels",),
    ),
    Symptom(
        "negative-loss",
        "Loss below zero with label smoothing on",
        looks_like="D's loss on real images dips below zero once real targets reach above 1.",
        explanation="Binary cross-entropy for target t and prediction p is "
        "-(t log p + (1 - t) log(1 - p)). With t above 1 the second weight (1 - t) is "
        "negative, so as p nears 1 the loss drops below zero, with no floor. It is "
        "expected, not a bug: compare trends, not the distance to zero.",
        causes=("real label range reaching above 1 (e.g. [0.7, 1.2])",),
        cards=("soft-real-labels",),
        expected=True,
    ),
)
