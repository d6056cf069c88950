"""The documents stay true to the code: every name and path ARCHITECTURE.md gives exists,
every link of README.md, ARCHITECTURE.md and docs/*.md leads somewhere, the code's comments
and docstrings cite only documents, sections, files and modules the repository has, and a
package's `__all__` is the list of what it imports.

Each check lists every problem it finds, one line each (devtools.docs.checks); the rules a
writer follows are in ARCHITECTURE.md, "Keeping this page true", and devtools.docs.names.
"""

from devtools.docs import checks

ROOT = checks.ROOT


def _report(problems):
    return "\n" + "\n".join(problems)


def test_every_name_and_path_in_architecture_exists():
    problems = checks.architecture_names()
    assert problems == [], _report(problems)


def test_every_repository_path_in_readme_and_docs_exists():
    problems = checks.document_paths()
    assert problems == [], _report(problems)


def test_every_relative_link_of_the_documents_leads_to_a_file_and_heading():
    problems = checks.broken_links()
    assert problems == [], _report(problems)


def test_every_make_target_the_documents_name_is_in_the_makefile():
    problems = checks.missing_make_targets()
    assert problems == [], _report(problems)


def test_comments_and_docstrings_cite_only_what_the_repository_has():
    problems = checks.stale_citations()
    assert problems == [], _report(problems)


def test_package_exports_are_plain_imports_listed_in_all():
    problems = checks.export_drift()
    assert problems == [], _report(problems)


def test_readme_is_a_newcomers_page_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250, "README.md is for a newcomer: move details to docs/"
    lines = readme.splitlines()
    assert any(line.startswith("make run ") and "#" in line for line in lines)
    assert any(line.startswith("make test ") and "#" in line for line in lines)


# The checks must be able to fail: each is shown a small document or module with the
# mistake it exists to catch, written here into tmp_path.


def test_a_stale_citation_in_a_comment_is_found(tmp_path):
    module = tmp_path / "cites.py"
    module.write_text(
        '"""Values as in the domain guide (GUIDE §8); see the README\'s design notes."""\n'
        "# Moved: see gan_core/training/trainer.py and gan_core.training.step.\n"
        '# See docs/design.md, "No such note", and docs/nothing.md.\n'
        'X = 1  # fine: docs/design.md, "One compiled step", gan_core.step.gan_step.GanStep\n'
    )
    found = checks.stale_citations([module])
    report = " ".join(found)
    assert "GUIDE" in report
    assert '"README" without a path' in report
    assert "gan_core/training/trainer.py" in report
    assert "gan_core.training.step" in report
    assert '"No such note": no such heading' in report
    assert "docs/nothing.md" in report
    assert len(found) == 6, _report(found)


def test_a_moved_name_in_architecture_is_found():
    assert checks.check_span("step/gan_step.py:make_optimizer")  # it is in step/optimizers.py
    assert checks.check_span("step/optimizers.py:make_optimizer") is None
    assert checks.check_span("training/trainer.py")
    assert checks.check_span("gan_core.jobs.server.shared_pool") is None
    assert checks.check_span("gan_core.jobs.server.no_such_pool")
    assert checks.check_span("hacks.no_such_hack")
    assert checks.check_span("run.ema_decay") is None
    assert checks.check_span("Trainer.set_hack(key, value)") is None
    assert checks.check_span("Trainer.no_such_method")
    assert checks.check_span("step_cache", "gan_core/step")  # the module is step/cache.py
    assert checks.check_span("cache", "gan_core/step") is None


def test_a_broken_link_and_anchor_are_found(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A\n\n## Real heading\n")
    readme = tmp_path / "README.md"
    readme.write_text("[ok](docs/a.md#real-heading) [gone](docs/b.md) [bad anchor](docs/a.md#nope) `[x](y.md)`\n")
    monkeypatch.setattr(checks, "documents", lambda: [readme, tmp_path / "docs" / "a.md"])
    monkeypatch.setattr(checks, "ROOT", tmp_path)
    found = checks.broken_links()
    assert len(found) == 2 and "docs/b.md" in found[0] and "#nope" in found[1]


def test_drift_between_all_and_the_imports_is_found(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from os.path import join, split\n"
        "__all__ = ['join', 'gone']\n\n"
        "def __getattr__(name):\n    raise AttributeError\n"
    )
    monkeypatch.setattr(checks, "PACKAGE_DIRS", ("pkg",))
    monkeypatch.setattr(checks, "ROOT", tmp_path)
    monkeypatch.setattr(checks.names, "ROOT", tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    found = " ".join(checks.export_drift())
    assert "__getattr__" in found
    assert "imports split but __all__ does not list it" in found
    assert "lists gone, which the file neither imports nor defines" in found
