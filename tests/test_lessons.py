"""Guided lessons: the shipped lesson follows the source documents in eight steps whose
settings, links and checks all resolve; a teacher's lesson file is read from a folder, and a bad
one is one line; checks read the live run's figures."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gan_core.config.settings import setting
from gan_core.guide.lessons import LessonError, list_lessons, parse_check, parse_lesson, run_figure
from gan_core.run.snapshot import EpochRecord

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "lesson.py")
TOPICS = (
    "without the hacks fails",
    "DCGAN practices",
    "Gaussian latent",
    "Separate real and fake batches",
    "Label smoothing and noisy labels",
    "Dropout in D",
    "divisible by the stride",
    "Minimax against the non-saturating loss",
)


def test_the_shipped_lesson_teaches_the_seeds_practices_in_order_and_every_step_resolves():
    found, problems = list_lessons({})
    assert problems == [] and "gan-hacks" in found
    lesson = found["gan-hacks"]
    assert [any(topic in step.title for step in [s]) for s, topic in zip(lesson.steps, TOPICS)] == [True] * 8
    for step in lesson.steps:
        setting(step.control)  # a setting of the Train page
        assert step.link.startswith("preset=") and "seed=" in step.link and "seconds=" in step.link
        assert step.question and len(step.choices) >= 2 and step.check is not None and step.sources


def test_a_teachers_folder_adds_lessons_and_a_bad_file_is_one_line(tmp_path):
    (tmp_path / "mine.md").write_text(
        "# My lesson\nAbout flips.\n\n## Flip some labels\ncontrol: hacks.flip_probability\n"
        "check: d_acc_real < 0.9 | D is less sure.\n\nMove the slider.\n"
    )
    (tmp_path / "broken.md").write_text("# Broken\n\n## A step\ncheck: __import__('os') > 1\n\ntext\n")
    (tmp_path / "huge.md").write_bytes(b"# Huge\n" + b"x" * 300_000)
    found, problems = list_lessons({"GAN_LAB_LESSONS": str(tmp_path)})
    assert "mine" in found and "gan-hacks" in found and "broken" not in found
    assert found["mine"].steps[0].check.describe() == "d_acc_real < 0.9"
    assert sorted(problems) == [
        "broken.md:4: a check is '<figure> <op> <number>', got \"__import__('os') > 1\"",
        "huge.md: larger than 256 KB",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no title\n## step\n", "x.md: no title"),
        ("# T\nno step\n", "x.md: no step"),
        ("# T\n" + "## s\n" * 41, "x.md: 41 steps, at most 40"),
        ("# T\n## s\ncontrol: data.source\n\nt", "x.md:3: control 'data.source' is not a setting of the Train page"),
        ("# T\n## s\npredict: only a question\n\nt", "x.md:3: predict is 'question | choice | choice ...'"),
        ("# T\n## s\ncheck: loss_of_d > 1\n\nt", "x.md:3: unknown figure 'loss_of_d'"),
    ],
)
def test_a_bad_lesson_is_refused_in_one_line_naming_its_line(text, message):
    with pytest.raises(LessonError) as e:
        parse_lesson(text, "x.md")
    assert str(e.value).startswith(message) and "\n" not in str(e.value)


def test_a_check_reads_the_mean_of_the_last_steps_the_newest_quality_and_the_counters():
    series = {"d_acc_fake": [0.0] * 100 + [1.0] * 50}
    epochs = (EpochRecord(1, 10, 1.0, b"", {"recognized_share": 0.5}),)
    assert run_figure("d_acc_fake", series, epochs, 150, 1) == 1.0  # the last 50 steps only
    assert run_figure("recognized", series, epochs, 150, 1) == 0.5
    assert run_figure("g_loss", series, epochs, 150, 1) is None  # not measured yet
    check = parse_check("recognized > 0.4 | half are readable", "x")
    assert check.holds(0.5) and not check.holds(0.4) and not check.holds(None)
    assert parse_check("step >= 300", "x").holds(300.0)


def test_the_lesson_page_goes_through_every_step_with_back_and_next():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    titles = []
    for n in range(8):
        titles.append(at.subheader[0].value)
        assert any("Check" in i.value for i in at.info)  # no run yet: the check says how to see it
        if n < 7:
            at.button(key="lesson_next").click().run()
    assert [any(t in title for t in [topic]) for title, topic in zip(titles, TOPICS)] == [True] * 8
    assert at.button(key="lesson_next").disabled and at.subheader[0].value == titles[-1]
    at.button(key="lesson_back").click().run()
    assert at.subheader[0].value == titles[-2]
