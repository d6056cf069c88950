"""The Hacks guide's vocabulary: what a card and a symptom are, when a setting applies,
and the sources the cards cite. The texts live in cards.py and symptoms.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LIVE = "live"  # the train step reads it every step
NEXT_START = "next start"  # it shapes the networks or optimizers, built when a run starts

BATCH_NORM_PLACEMENT = (
    "This app places BatchNorm between the convolution and the activation "
    "(conv -> BatchNorm -> activation), as the DCGAN authors' code does, and leaves it out of "
    "the discriminator's input layer and the generator's output layer, as their paper says. "
    "The paper and its code agree on this order; some Keras tutorials contradict themselves "
    "(first 'after the activation', then 'before the activation', with code that puts it before)."
)

# The sources the cards and symptoms cite, one constant each (a card's `sources` holds the
# ones its claims rest on; tests/test_guide_sources.py pins them card by card).
DCGAN = "Radford, Metz & Chintala 2015 - DCGAN paper (arXiv:1511.06434)"
DCGAN_CODE = "Radford, Metz & Chintala 2015 - the DCGAN authors' code (github.com/Newmu/dcgan_code)"
GANHACKS = "Chintala et al. 2016 - ganhacks list, 'How to Train a GAN?'"
GOODFELLOW = "Goodfellow et al. 2014 - Generative Adversarial Nets"
GOODFELLOW_TUTORIAL = "Goodfellow 2016 - NIPS 2016 Tutorial: Generative Adversarial Networks"
SALIMANS = "Salimans et al. 2016 - Improved Techniques for Training GANs"
ODENA = "Odena, Dumoulin & Olah 2016 - Deconvolution and Checkerboard Artifacts"
CHOLLET = "Chollet 2017 - Deep Learning with Python, section 8.5: the Keras DCGAN and its bag of tricks"
BROWNLEE_HACKS = "Brownlee 2019 - How to Implement GAN Hacks in Keras to Train Stable Models (tutorial)"
BROWNLEE_LOSS = "Brownlee 2019 - How to Code the GAN Training Algorithm and Loss Functions (tutorial)"
IOFFE = "Ioffe & Szegedy 2015 - Batch Normalization"
KINGMA_BA = "Kingma & Ba 2015 - Adam: A Method for Stochastic Optimization"
WHITE = "White 2016 - Sampling Generative Networks (interpolation along great circles)"
MIRZA = "Mirza & Osindero 2014 - Conditional Generative Adversarial Nets"
ACGAN = "Odena, Olah & Shlens 2017 - Conditional Image Synthesis with Auxiliary Classifier GANs"
PROJECTION = "Miyato & Koyama 2018 - cGANs with Projection Discriminator"
ISOLA = "Isola et al. 2017 - Image-to-Image Translation with Conditional Adversarial Networks (pix2pix)"
KARRAS = "Karras et al. 2018 - Progressive Growing of GANs (ProGAN)"
KARRAS_ADA = "Karras et al. 2020 - Training Generative Adversarial Networks with Limited Data (StyleGAN2-ADA)"
MIYATO = "Miyato et al. 2018 - Spectral Normalization for Generative Adversarial Networks"
YAZICI = "Yazıcı et al. 2019 - The Unusual Effectiveness of Averaging in GAN Training"
HEUSEL = "Heusel et al. 2017 - GANs Trained by a Two Time-Scale Update Rule (TTUR)"
SAGAN = "Zhang et al. 2019 - Self-Attention GANs (SAGAN)"
BIGGAN = "Brock, Donahue & Simonyan 2019 - Large Scale GAN Training (BigGAN)"
SAGE = "Sage et al. 2018 - Logo Synthesis and Manipulation with Clustered Generative Adversarial Networks"
LIU = "Liu et al. 2020 - Diverse Image Generation via Self-Conditioned GANs"
METZ = "Metz et al. 2017 - Unrolled Generative Adversarial Networks"
KHAYATKHOEI = "Khayatkhoei, Singh & Elgammal 2018 - Disconnected Manifold Learning for Generative Adversarial Networks"
TANIELIAN = "Tanielian et al. 2020 - Learning Disconnected Manifolds: a No GAN's Land"

# The two groups the guide shows: what a student found in 2016's lists, and the
# stabilizers current GAN code uses, which came after them.
ERA_2016 = "2016"
ERA_LATER = "2017-2021"
ERAS = {
    ERA_2016: "2015–2016: the DCGAN practices and the ganhacks list",
    ERA_LATER: "2017–2021: what came after (the stabilizers of current GAN code)",
}

# Sources of the step-level stabilizers (instance noise, replay, losses, R1, DiffAugment).
SONDERBY = "Sønderby et al. 2017 - Amortised MAP Inference for Image Super-resolution (instance noise; arXiv 2016)"
ARJOVSKY_BOTTOU = "Arjovsky & Bottou 2017 - Towards Principled Methods for Training GANs"
SHRIVASTAVA = "Shrivastava et al. 2017 - Learning from Simulated and Unsupervised Images through Adversarial Training"
MAO = "Mao et al. 2017 - Least Squares Generative Adversarial Networks"
LIM_YE = "Lim & Ye 2017 - Geometric GAN (the hinge loss)"
MESCHEDER = "Mescheder, Geiger & Nowozin 2018 - Which Training Methods for GANs do actually Converge? (R1)"
ZHAO_DIFFAUGMENT = "Zhao et al. 2020 - Differentiable Augmentation for Data-Efficient GAN Training"

# Every source above, the only ones a card or a symptom may cite.
SOURCES = (
    DCGAN,
    DCGAN_CODE,
    GANHACKS,
    GOODFELLOW,
    GOODFELLOW_TUTORIAL,
    SALIMANS,
    ODENA,
    CHOLLET,
    BROWNLEE_HACKS,
    BROWNLEE_LOSS,
    IOFFE,
    KINGMA_BA,
    WHITE,
    MIRZA,
    ACGAN,
    PROJECTION,
    ISOLA,
    KARRAS,
    KARRAS_ADA,
    MIYATO,
    YAZICI,
    HEUSEL,
    SAGAN,
    BIGGAN,
    SAGE,
    LIU,
    METZ,
    KHAYATKHOEI,
    TANIELIAN,
    SONDERBY,
    ARJOVSKY_BOTTOU,
    SHRIVASTAVA,
    MAO,
    LIM_YE,
    MESCHEDER,
    ZHAO_DIFFAUGMENT,
)


class GuideError(ValueError):
    """A request for a card or a filter the guide does not have; one-line message."""


@dataclass(frozen=True)
class GuideCard:
    """One Hacks guide card: a DCGAN practice (applies at the next start) or a training hack
    (live). `overrides` {"a": {key: value}, "b": {...}} is the with/without pair Compare
    applies; `control` is the Train page label to reach for; `sources` cite where it comes from.
    """

    id: str
    title: str
    kind: str  # "practice" (next start) or "hack" (live)
    what: str
    why: str
    on: str  # the value with the practice, in words
    off: str  # what beginners do instead
    sources: tuple[str, ...]
    control: str  # label of the Train page control
    applies: str  # LIVE or NEXT_START
    overrides: dict[str, dict[str, Any]]  # {"a": {key: with}, "b": {key: without}}
    related_controls: tuple[str, ...] = ()
    visual: str | None = None  # name of a small illustration the page can draw
    era: str = ERA_2016  # ERA_2016 (DCGAN, ganhacks) or ERA_LATER (2017-2021)
    # What a same-seed Compare pair measured on this project (figures from a run, not settings
    # of the code, so they are kept apart from the texts whose numbers come from the code).
    measured: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        """The dotted config keys the card is about (those of its "with" overrides)."""
        return tuple(self.overrides["a"])


@dataclass(frozen=True)
class Symptom:
    """Something a learner sees while training, what it means, its likely causes and the ids of
    the cards that help; `expected` marks behaviour that is not a fault; `sources` cite where
    the explanation and the causes come from (the cards cite their own).
    """

    id: str
    title: str
    looks_like: str
    explanation: str
    causes: tuple[str, ...]
    cards: tuple[str, ...]  # ids of the cards that help
    sources: tuple[str, ...] = ()
    expected: bool = False  # True: not a fault, just how the numbers behave
    playground_preset: str = ""  # a 2D playground preset that shows the symptom ("" = none)


def pair(with_: dict[str, Any], without: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A card's overrides: "a" with the practice, "b" without it."""
    return {"a": with_, "b": without}
