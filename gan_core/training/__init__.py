"""Training one GAN: the hacks as pure tensor functions, the live hack variables, the
model builders, the one compiled step, the background trainer with its loop, epoch-end
work, published snapshots and health checks, and the server-wide pool of jobs.

Modules: `conditional`, `ema`, `epoch_end`, `hack_layers`, `hacks`, `health`, `live_hacks`, `loop`, `models`, `narrow_conv`, `pool`, `run_keeping`, `series`, `snapshot`, `step`, `trainer`.

Public names are exported lazily (PEP 562), so importing one light module does not
load TensorFlow through its neighbours.
"""
from importlib import import_module

_EXPORTS = {
    'ACTIVE_STATES': 'snapshot',
    'Board': 'snapshot',
    'BudgetView': 'snapshot',
    'CLASS_LOSS_WEIGHT': 'step',
    'EpochEnd': 'epoch_end',
    'EpochRecord': 'snapshot',
    'FLUSH_SECONDS': 'trainer',
    'GRID_SCALE': 'epoch_end',
    'GanStep': 'step',
    'GeneratorAverage': 'ema',
    'HackChange': 'snapshot',
    'IMAGE_SHAPES': 'models',
    'LIVE_KEYS': 'live_hacks',
    'LiveHacks': 'live_hacks',
    'MAX_FILTERS': 'narrow_conv',
    'MAX_POINTS': 'series',
    'MAX_PROJECTED_CHANNELS': 'narrow_conv',
    'MERGE_STEPS': 'trainer',
    'METRIC_NAMES': 'step',
    'MINIBATCH_GROUP': 'hack_layers',
    'MinibatchStdDev': 'hack_layers',
    'NarrowConv2D': 'narrow_conv',
    'POWER_ITERATIONS': 'hack_layers',
    'PoolBusy': 'pool',
    'QUALITY_SAMPLES': 'epoch_end',
    'RunKeeping': 'run_keeping',
    'SEED_STRIDE': 'models',
    'STATES': 'snapshot',
    'SamplingDropout': 'hack_layers',
    'SeriesFollower': 'snapshot',
    'Snapshot': 'snapshot',
    'Status': 'snapshot',
    'Trainer': 'trainer',
    'TrainerPool': 'pool',
    'accuracy': 'hacks',
    'bce_with_logits': 'hacks',
    'budget_progress': 'snapshot',
    'build_discriminator': 'models',
    'build_generator': 'models',
    'check_image_shape': 'models',
    'classes_of': 'conditional',
    'collapse_message': 'health',
    'discriminator_batches': 'hacks',
    'discriminator_targets': 'hacks',
    'discriminator_wins_message': 'health',
    'ema_update': 'ema',
    'fixed_latent': 'epoch_end',
    'flip_labels': 'hacks',
    'flush_metrics': 'loop',
    'generator_loss': 'hacks',
    'generator_name': 'conditional',
    'label_classes': 'conditional',
    'labels_note': 'conditional',
    'largest_singular_value': 'hack_layers',
    'learning_rate_factor': 'loop',
    'live_values': 'live_hacks',
    'make_discriminator_optimizer': 'step',
    'make_optimizer': 'step',
    'minibatch_stddev': 'hack_layers',
    'non_finite_message': 'health',
    'order_digest': 'step',
    'reload_epochs': 'epoch_end',
    'sample_diversity': 'health',
    'sample_latent': 'hacks',
    'shared_pool': 'pool',
    'smooth': 'series',
    'smooth_labels': 'hacks',
    'spectral_normalized': 'hack_layers',
    'thin': 'series',
    'warmed_up_decay': 'ema',
    'worth_it': 'narrow_conv',
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import the module that defines `name` on first use."""
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
