"""How the app, the CLI and the Compare verdict put a quality report into words.

One place, so "digits" is said only where the MNIST judge measured, and every figure is
named for what it is (a Fréchet distance in a judge's features, not FID).
"""

from __future__ import annotations

from gan_core.metrics.judges import JUDGES, MNIST_JUDGE


def upgrade_quality(quality: dict | None) -> dict | None:
    """A quality dict from any version of the run folder, in today's keys.

    Runs written before the meters were per data set hold the digit judge's figures with
    the Fréchet distance under "fid"; they read as MNIST judge reports."""
    if not quality or "meter" in quality:
        return quality
    q = dict(quality)
    if "fid" in q:
        q.setdefault("frechet_distance", q.pop("fid"))
    q.update(meter="judge", judge=MNIST_JUDGE.name)
    q.setdefault("classes_total", len(MNIST_JUDGE.class_names))
    return q


def judge_title(quality: dict) -> str:
    """The judge's display name, e.g. "MNIST digit judge"."""
    spec = JUDGES.get(quality.get("judge", ""))
    return spec.title if spec else str(quality.get("judge"))


def class_noun(quality: dict) -> str:
    """ "digits" for the MNIST judge, "classes" for the others."""
    spec = JUDGES.get(quality.get("judge", ""))
    return spec.noun if spec else "classes"


def frechet_label(quality: dict) -> str:
    """What the Fréchet distance is, with its sample count: it must never read as FID."""
    return f"Fréchet distance (judge features, {quality['n']} samples)"


def summary(quality: dict) -> str:
    """One line, e.g. "MNIST digit judge: 91% recognized, 10/10 digits, Fréchet distance 12.3
    (judge features, 256 samples)" or "precision 0.62, recall 0.41 (k=3, 256 samples),
    kernel distance 0.012 (pooled pixels)"."""
    q = upgrade_quality(quality)
    if q["meter"] == "label-free":
        return (
            f"precision {q['precision']:.2f}, recall {q['recall']:.2f} (k={q['k']}, {q['n']} samples), "
            f"kernel distance {q['kernel_distance']:.4f} (pooled pixels)"
        )
    text = f"{judge_title(q)}: {q['recognized_share']:.0%} recognized"
    if q.get("classes_present") is not None:
        text += f", {q['classes_present']}/{q['classes_total']} {class_noun(q)}"
    return text + f", {frechet_label(q)} {q['frechet_distance']:.1f}"


def headline(quality: dict) -> tuple[str, float]:
    """(short text, score in [0, 1]) for a comparison: the recognized share under a judge,
    the mean of precision and recall without one."""
    q = upgrade_quality(quality)
    if q["meter"] == "label-free":
        return f"precision {q['precision']:.0%}, recall {q['recall']:.0%}", (q["precision"] + q["recall"]) / 2
    text = f"{100 * q['recognized_share']:.0f}% recognized"
    if q.get("classes_present") is not None:
        count = q["classes_present"]
        noun = class_noun(q)
        text += f", {count} {noun[:-1] if count == 1 and noun.endswith('s') else noun}"
    return text, q["recognized_share"]


def metric_cards(quality: dict, previous: dict | None = None) -> list[dict]:
    """The Train page's figures: dicts of label, value, delta (or None), inverse (lower is
    better) and help, in display order."""
    q, p = upgrade_quality(quality), upgrade_quality(previous)
    if p is not None and p.get("meter") != q.get("meter"):
        p = None

    def delta(key: str, scale: float = 1.0, fmt: str = "{:+.1f}") -> str | None:
        """q's `key` minus p's, times `scale`, formatted by `fmt`; None when either lacks it."""
        return None if p is None or p.get(key) is None or q.get(key) is None else fmt.format(scale * (q[key] - p[key]))

    if q["meter"] == "label-free":
        return _label_free_cards(q, delta)
    return _judge_cards(q, delta)


def _label_free_cards(q: dict, delta) -> list[dict]:
    """The label-free meter's three figures (precision, recall, kernel distance)."""
    return [
        dict(
            label="Precision (k-NN, k=3)",
            value=f"{q['precision']:.0%}",
            delta=delta("precision", 100, "{:+.0f} pts"),
            inverse=False,
            help=f"Share of {q['n']} samples inside the real images' 3-nearest-neighbour balls, in "
            "pooled-pixel features (Kynkäänniemi et al. 2019): how many look like real ones.",
        ),
        dict(
            label="Recall (k-NN, k=3)",
            value=f"{q['recall']:.0%}",
            delta=delta("recall", 100, "{:+.0f} pts"),
            inverse=False,
            help=f"Share of {q['reference_n']} random real images inside the samples' 3-NN balls: "
            "how much of the real variety the generator covers. Low recall with fair precision: mode collapse.",
        ),
        dict(
            label="Kernel distance (pooled pixels)",
            value=f"{q['kernel_distance']:.4f}",
            delta=delta("kernel_distance", 1, "{:+.4f}"),
            inverse=True,
            help="Squared MMD with KID's cubic kernel (Bińkowski et al. 2018), in pooled pixels rather than "
            "Inception features; unbiased at small N, near 0 when the sets match. Lower is better.",
        ),
    ]


def _judge_cards(q: dict, delta) -> list[dict]:
    """A judge's figures: recognized share, classes present (where the set has classes), Fréchet distance."""
    cards = [
        dict(
            label=f"Recognized ({judge_title(q)})",
            value=f"{q['recognized_share']:.0%}",
            delta=delta("recognized_share", 100, "{:+.0f} pts"),
            inverse=False,
            help=f"Share of {q['n']} samples the {judge_title(q)} recognizes with ≥ 90% confidence as a class "
            "the run trains on."
            + (
                f" Real images score {q['reference_recognized_share']:.0%}."
                if q.get("reference_recognized_share") is not None
                else ""
            ),
        )
    ]
    if q.get("classes_present") is not None:
        cards.append(
            dict(
                label=f"{class_noun(q).capitalize()} present",
                value=f"{q['classes_present']} / {q['classes_total']}",
                delta=None,
                inverse=False,
                help="Classes that at least 1% of the samples (and at least one) are recognized as. Few "
                "classes while many samples are recognized: mode collapse. All classes present does not "
                "rule out collapse within a class (the Health panel's diversity warning watches the "
                "samples as a whole).",
            )
        )
    cards.append(
        dict(
            label="Fréchet distance",
            value=f"{q['frechet_distance']:.1f}",
            delta=delta("frechet_distance"),
            inverse=True,
            help=f"{frechet_label(q)}: between Gaussians fitted to the judge's features of the samples and of "
            f"{q.get('reference_n', 'the')} random real images. Not FID (Inception-v3, 10,000+ samples); "
            "biased upward at few samples, so compare it within a run. Lower is better.",
        )
    )
    return cards
