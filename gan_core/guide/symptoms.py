"""The Hacks guide's symptoms: what a learner sees, what it means, which cards help, and the
sources of the explanation (the cards cite their own)."""

from __future__ import annotations

from gan_core.guide.model import (
    ARJOVSKY_BOTTOU,
    CHOLLET,
    DCGAN,
    GANHACKS,
    GOODFELLOW,
    GOODFELLOW_TUTORIAL,
    KHAYATKHOEI,
    LIU,
    METZ,
    ODENA,
    SALIMANS,
    SHRIVASTAVA,
    TANIELIAN,
    Symptom,
)

SYMPTOMS: tuple[Symptom, ...] = (
    Symptom(
        "d-loss-zero",
        "Discriminator loss goes to zero",
        looks_like="D's loss heads for 0, its accuracy on real and fake reaches 100%, G's loss "
        "climbs and the images stop improving.",
        explanation="D has won: it separates real from fake perfectly (ganhacks #10 calls it a "
        "failure mode). Under the minimax G loss its verdict then gives the generator almost "
        "no gradient (Goodfellow et al.); under the non-saturating default the gradient does "
        "not vanish but grows large and noisy (Arjovsky & Bottou). Either way G stops learning "
        "anything useful. The direct remedies make the two sets harder to separate perfectly: "
        "noise on D's inputs, or a smoother D.",
        causes=(
            "D learns much faster than G",
            "hard 0/1 targets let D become certain",
            "the minimax G loss is flat once D is confident",
            "real and fake images barely overlap, so a perfect D exists",
        ),
        cards=(
            "instance-noise",
            "r1-penalty",
            "spectral-norm",
            "soft-real-labels",
            "label-flips",
            "dropout",
            "non-saturating",
            "dcgan-adam",
        ),
        sources=(GANHACKS, GOODFELLOW, ARJOVSKY_BOTTOU),
    ),
    Symptom(
        "g-loss-falls-garbage",
        "G loss falls steadily while the images are garbage",
        looks_like="G's loss keeps going down, D's goes up, and the samples are still noise, blobs or stripes.",
        explanation="A GAN loss is not a quality score: G's loss only says how well it fools the "
        "current D. Falling G loss with bad images means D is easy to fool, not that "
        "G is good (ganhacks #10: G is fooling D with garbage).",
        causes=(
            "D is too weak or too slow, so cheap tricks fool it",
            "D's gradients are sparse (ReLU units, max pooling: ganhacks #5, Chollet)",
            "so much label noise or dropout that D cannot learn",
        ),
        cards=("d-steps", "leaky-relu", "strided-downsample", "label-flips", "dropout"),
        sources=(GANHACKS, CHOLLET),
    ),
    Symptom(
        "mode-collapse",
        "All samples look alike (mode collapse)",
        looks_like="The grid shows the same digit, or the same flat image, for every latent point.",
        explanation="G found an output that fools the current D and makes it from every z. A D "
        "that judges one image at a time cannot see that a batch lacks variety (Salimans et "
        "al.): it learns to reject that output, and G hops to another one, round and round "
        "(Goodfellow's tutorial; Metz et al. show it on a ring of Gaussians, as the 2D "
        "playground does).",
        causes=(
            "no BatchNorm in a deep network (the DCGAN paper)",
            "D sees one image at a time, so variety is invisible to it (Salimans et al.)",
            "D forgets the outputs G left, so G can hop back to them (Shrivastava et al.)",
            "G is given no classes to cover; told a class or a cluster to draw, it must draw each one (Liu et al.)",
        ),
        cards=("batch-norm", "minibatch-stddev", "experience-replay", "use-labels", "self-conditioning"),
        sources=(DCGAN, SALIMANS, GOODFELLOW_TUTORIAL, METZ, SHRIVASTAVA, LIU),
        playground_preset="collapse",
    ),
    Symptom(
        "checkerboard",
        "Checkerboard artifacts",
        looks_like="A fine grid of alternating light and dark pixels over the images.",
        explanation="Uneven overlap of transposed convolution kernels paints every other pixel "
        "more often than its neighbours (Odena et al.).",
        causes=("kernel size not divisible by the stride (3x3 at stride 2)",),
        cards=("kernel-stride", "strided-upsample"),
        sources=(ODENA,),
    ),
    Symptom(
        "nan-loss",
        "NaN in the losses",
        looks_like="A loss becomes nan and the images turn blank or noisy for good.",
        explanation="The losses here are computed from logits, which is numerically safe, so a "
        "NaN usually means the weights themselves blew up. Gradient norms far above 100 warn "
        "of it before it happens (ganhacks #10).",
        causes=("learning rate too high", "activations growing without BatchNorm", "large starting weights"),
        cards=("dcgan-adam", "batch-norm", "gaussian-init"),
        sources=(GANHACKS,),
    ),
    Symptom(
        "in-between",
        "Shapes halfway between two digits",
        looks_like="Strokes look hand-drawn, but many samples are half one digit and half another: "
        "a 4 melting into a 9, a 3 that might be an 8.",
        explanation="An unconditional G maps one connected latent space onto ten separate kinds of "
        "digit, and a continuous map of a connected space is connected, so somewhere its "
        "outputs must pass from one kind to the next (Khayatkhoei et al.; Tanielian et al.). "
        "A D that only asks 'real or fake?' is slow to punish a plausible stroke that is no "
        "digit in particular.",
        causes=("G is not told which digit to draw", "a short run: the borders sharpen slowly"),
        cards=("use-labels", "self-conditioning"),
        sources=(KHAYATKHOEI, TANIELIAN),
    ),
    Symptom(
        "negative-loss",
        "Loss below zero with label smoothing on",
        looks_like="D's loss on real images dips below zero now and then once real targets reach above 1.",
        explanation="Binary cross-entropy for target t and prediction p is "
        "-(t log p + (1 - t) log(1 - p)). With t above 1 the second weight (1 - t) is "
        "negative, so for that image the loss drops below zero as p nears 1, with no floor. "
        "The curve shows the mean over a half batch, whose targets average below 1, so it "
        "dips below zero now and then: mostly in steps whose drawn targets happen to average "
        "above 1 while D is very sure of the real images. It is expected, not a bug: compare "
        "trends, not the distance to zero.",
        causes=("real label range reaching above 1 (e.g. [0.7, 1.2], ganhacks #6)",),
        cards=("soft-real-labels",),
        sources=(GANHACKS,),
        expected=True,
    ),
)
