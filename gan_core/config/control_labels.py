"""The label of every Train-page control, by the config key it sets: the one place these
texts are written.

The Train page (ui/control_specs.py) shows them on its widgets and the Hacks guide
(gan_core/guide) names them on its cards ("reach for ..."), so both read this table and
can never drift apart. Browser tests look for the exact texts.
"""

from __future__ import annotations

# Architecture and optimizer practices: they apply at the next start.
PRACTICE_LABELS = {
    "model.strided_downsample": "Strided convolutions in D",
    "model.strided_upsample": "Transposed convolutions in G",
    "model.leaky_relu": "LeakyReLU",
    "model.leaky_slope": "LeakyReLU slope",
    "model.batch_norm": "Batch normalization",
    "model.gaussian_init": "Gaussian weight init (std 0.02)",
    "optimizer.beta_1": "Adam beta_1 (DCGAN: 0.5)",
    "model.tanh_output": "tanh output, pixels in [-1, 1]",
    "model.kernel_divisible_by_stride": "Kernel size divisible by stride",
    "model.dropout": "Dropout in D",
    "model.use_labels": "Use the labels (conditional GAN)",
}

# Hacks the running trainer takes at its next step.
HACK_LABELS = {
    "hacks.latent_distribution": "Latent distribution",
    "hacks.separate_batches": "Separate real and fake batches",
    "hacks.real_label_range": "Real label range",
    "hacks.fake_label_range": "Fake label range",
    "hacks.flip_probability": "Label flip probability",
    "hacks.generator_loss": "Generator loss",
    "hacks.d_steps": "Discriminator steps per generator step",
    "optimizer.d_learning_rate": "Discriminator learning rate",
    "optimizer.g_learning_rate": "Generator learning rate",
    "hacks.instance_noise": "Instance noise (start std)",
    "hacks.replay_share": "Experience replay share",
    "hacks.adversarial_loss": "Adversarial loss",
    "hacks.r1_gamma": "R1 penalty γ",
    "hacks.diff_augment": "DiffAugment",
    "run.ema_decay": "Moving average of G (EMA decay)",
}

# Settings beyond the DCGAN paper that apply at the next start (ganhacks #9, #15, #17 and
# a stabilizer that came after: Miyato et al. 2018).
MODEL_HACK_LABELS = {
    "optimizer.d_optimizer": "Discriminator optimizer",
    "model.g_dropout": "Dropout in G (also when sampling)",
    "model.minibatch_stddev": "Minibatch standard deviation in D",
    "model.spectral_norm": "Spectral normalization in D",
    "model.self_conditioning": "Self-conditioning: clusters as labels",
}

# The run's size and budget.
RUN_LABELS = {
    "model.base_filters": "Base filters",
    "run.batch_size": "Batch size",
    "run.max_seconds": "Training time (s)",
}

# Every control's label by its dotted config key.
LABELS = {**PRACTICE_LABELS, **HACK_LABELS, **MODEL_HACK_LABELS, **RUN_LABELS}
