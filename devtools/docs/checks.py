"""The checks that keep the project's documents true. Each returns a list of one-line
problems, 'file:line: what is wrong' (empty when all is well); tests/test_docs.py asserts
each is empty and `python -m devtools.docs` prints them all.

- `architecture_names`: every backticked path and name in ARCHITECTURE.md exists (the rule
  is in devtools.docs.names).
- `document_paths`: every backticked repository path in README.md and docs/*.md exists.
- `broken_links`: every relative link in README.md, ARCHITECTURE.md and docs/*.md points at a
  file that exists, and an #anchor at a heading of that file.
- `missing_make_targets`: every `make X` those documents name is a target of the Makefile.
- `stale_citations`: the comments and docstrings of the code cite only what the repository
  has (no GUIDE, no bare "README", documents, their sections, .py files and gan_core names
  that exist).
- `export_drift`: a package's `__all__` lists exactly the public names it imports, each
  resolves, and no package hides names behind a module `__getattr__`.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from devtools.docs import names, text

ROOT = names.ROOT
CODE_DIRS = ("gan_core", "ui", "app_pages", "devtools", "tests")
PACKAGE_DIRS = ("gan_core", "ui", "app_pages", "devtools")  # where a package may re-export names
# Folders a path in a document may start with although the repository does not hold them:
# what the app and the tests write, and the folder the app must not have (app_pages/ says why).
OUTSIDE = ("runs", "checkpoints", "test-artifacts", ".venv", "pages")
# A file a run writes, named without a folder (`generator.keras`), is not a repository path.
RUN_FILE = re.compile(r"[\w.-]+\.(keras|json|jsonl|png|gif|npz|npy|csv|zip|h5|toml|txt)")
# The documents this file checks. This module describes the rule and is left out of the scan
# of citations, since it must spell out the words it refuses.
SELF = Path(__file__).resolve()


def documents() -> list[Path]:
    """README.md, ARCHITECTURE.md and every docs/*.md."""
    return [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]


def _is_path(token: str) -> bool:
    return "/" in token or token.endswith((".py", ".md"))


def _outside(token: str) -> bool:
    """A path-like span that does not name a repository file: a placeholder, a home or
    absolute folder, a URL, a key=value setting, or a folder the app writes."""
    if any(mark in token for mark in ("<", "~", "://", "=", " ")) or token.startswith("/"):
        return True
    return token.split("/")[0] in OUTSIDE


def _table_package(line: str) -> str:
    """'gan_core/<pkg>' for a row of ARCHITECTURE.md's gan_core table (first cell `pkg/`)."""
    cells = line.split("|")
    if line.startswith("|") and len(cells) > 2:
        m = re.fullmatch(r"\s*`([\w]+)/`\s*", cells[1])
        if m and (ROOT / "gan_core" / m.group(1)).is_dir():
            return f"gan_core/{m.group(1)}"
    return ""


def check_span(token: str, package: str = "") -> str | None:
    """None when one backticked `token` of ARCHITECTURE.md names something that exists (or
    is not a name at all: a command, a URL fragment), else why not. `package` is the folder
    a single word belongs to ('' for anywhere in the repository)."""
    token = names.bare(token)
    if not token or " " in token or re.fullmatch(r"\.\w+", token):
        return None  # a command such as `make lint`, or a file extension such as `.py`
    if _is_path(token):
        return None if _outside(token) else names.check_path(token)
    if RUN_FILE.fullmatch(token):
        return None
    if names.DOTTED.fullmatch(token):
        return names.check_dotted(token)
    if names.WORD.fullmatch(token):
        return names.check_word(token, package)
    return None  # `?run=`, `key=value`: not a name


def architecture_names() -> list[str]:
    """Every backticked path and name in ARCHITECTURE.md that does not exist."""
    path = ROOT / "ARCHITECTURE.md"
    lines = text.without_fences(path.read_text(encoding="utf-8")).split("\n")
    problems = []
    for span in text.code_spans(path):
        problem = check_span(span.text, _table_package(lines[span.line - 1]))
        if problem:
            problems.append(f"{span.where(ROOT)}: `{span.text}`: {problem}")
    return problems


def document_paths() -> list[str]:
    """Every backticked repository path (`/`, or `.py`/`.md`) in README.md and docs/*.md
    that does not exist."""
    problems = []
    for doc in documents():
        if doc.name == "ARCHITECTURE.md":
            continue  # architecture_names checks all of it
        for span in text.code_spans(doc):
            token = names.bare(span.text)
            if _is_path(token) and not _outside(token):
                problem = names.check_path(token)
                if problem:
                    problems.append(f"{span.where(ROOT)}: `{span.text}`: {problem}")
    return problems


def broken_links() -> list[str]:
    """Every relative link of the documents whose file, or #anchor, does not exist."""
    problems = []
    for doc in documents():
        for span in text.links(doc):
            target = span.text
            if re.match(r"[a-z][a-z0-9+.-]*:", target):
                continue  # https:, mailto:
            file_part, _, fragment = target.partition("#")
            file = (doc.parent / file_part).resolve() if file_part else doc
            if not file.exists():
                problems.append(f"{span.where(ROOT)}: link to {target}: no such file")
            elif fragment and file.suffix == ".md":
                anchors = {text.anchor(h) for h in text.headings(file)}
                if fragment not in anchors:
                    problems.append(f"{span.where(ROOT)}: link to {target}: no heading with that anchor")
    return problems


def makefile_targets() -> set[str]:
    """The targets the Makefile defines."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([\w.-]+)\s*:(?!=)", makefile, re.M))


def missing_make_targets() -> list[str]:
    """Every `make X` named in a document (a code span, or a line of a fenced block) that the
    Makefile does not define."""
    targets = makefile_targets()
    problems = set()
    for doc in documents():
        named = [(s.line, m.group(1)) for s in text.code_spans(doc) if (m := re.match(r"make ([\w-]+)", s.text))]
        fenced = False
        for i, line in enumerate(doc.read_text(encoding="utf-8").split("\n"), 1):
            if line.startswith("```"):
                fenced = not fenced
            elif fenced:
                named += [(i, m.group(1)) for m in re.finditer(r"(?:^|\s)make ([\w-]+)", line)]
        for line, target in named:
            if target not in targets:
                problems.add(f"{doc.relative_to(ROOT).as_posix()}:{line}: make {target}: no such Makefile target")
    return sorted(problems)


def code_files() -> list[Path]:
    """The Python files whose comments and docstrings are checked (app.py, and every file
    under gan_core/, ui/, app_pages/, devtools/, tests/), less this module."""
    files = [ROOT / "app.py"]
    for folder in CODE_DIRS:
        files += [p for p in sorted((ROOT / folder).rglob("*.py")) if "__pycache__" not in p.parts]
    return [p for p in files if p.resolve() != SELF]


_GUIDE = re.compile(r"\bGUIDE\b")
_BARE_README = re.compile(r"\bREADME\b(?!\.md)")
_MD_PATH = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.md)\b")
_SECTION = re.compile(r"((?:[\w.-]+/)*[\w-]+\.md)(?:'s|,)?\s*\(?\s*\"([^\"]+)\"")
_PY_PATH = re.compile(r"(?<![\w/.-])((?:\w+/)*\w+\.py)\b")
_GAN_CORE_NAME = re.compile(r"\bgan_core(?:\.[A-Za-z_]\w*)+")


def _md_file(cited: str, citing: Path) -> Path | None:
    for base in (ROOT, citing.parent):
        if (base / cited).is_file():
            return base / cited
    return None


def _py_exists(cited: str, citing: Path, basenames: set[str]) -> bool:
    if "/" not in cited and cited in basenames:
        return True
    return any((base / cited).is_file() for base in (ROOT, ROOT / "gan_core", citing.parent, citing.parent.parent))


def _gan_core_name(dotted: str) -> str | None:
    """None when a `gan_core.x.y` name is a module or package of the repository, or a
    module and a name defined at its top level, else why not."""
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:k])
        file = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
        if file.is_file():
            if k == len(parts):
                return None
            top, _ = names._defined_names(ast.parse(file.read_text(encoding="utf-8")))
            if parts[k] in top or (base.is_dir() and (base / parts[k]).exists()):
                return None
            return f"{'.'.join(parts[:k])} defines no {parts[k]}"
    return f"no module {dotted}"


def stale_citations(files: list[Path] | None = None) -> list[str]:
    """Every comment or docstring of `files` (default: `code_files()`) that cites what the
    repository does not have."""
    basenames = {p.name for p in code_files()} | {p.name for p in (ROOT / "scripts").glob("*.py")}
    problems = []
    for file in code_files() if files is None else files:
        for span in text.comments_and_docstrings(file):
            where = span.where(ROOT)
            found = []
            if _GUIDE.search(span.text):
                found.append("cites GUIDE, a document outside the repository: cite the paper, a module or a docs/ page")
            if _BARE_README.search(span.text):
                found.append('names "README" without a path: write README.md (or the docs/ page that holds it)')
            for m in _MD_PATH.finditer(span.text):
                if _md_file(m.group(1), file) is None:
                    found.append(f"cites {m.group(1)}, which the repository does not have")
            for m in _SECTION.finditer(span.text):
                doc = _md_file(m.group(1), file)
                wanted = text.plain(m.group(2))
                if doc is not None and wanted not in {text.plain(h) for h in text.headings(doc)}:
                    found.append(f'cites {m.group(1)}, "{m.group(2)}": no such heading there')
            for m in _PY_PATH.finditer(span.text):
                if not _py_exists(m.group(1), file, basenames):
                    found.append(f"names {m.group(1)}, which the repository does not have")
            for m in _GAN_CORE_NAME.finditer(span.text):
                problem = _gan_core_name(m.group(0))
                if problem:
                    found.append(f"names {m.group(0)}: {problem}")
            problems += [f"{where}: {what}" for what in found]
    return problems


def export_drift() -> list[str]:
    """Every package `__init__.py` whose `__all__` misses a public name it imports, lists a
    name it neither imports nor defines, or lists one that does not resolve; and every
    package that defines a module-level `__getattr__` (a lazy export table)."""
    problems = []
    for folder in PACKAGE_DIRS:
        for init in sorted((ROOT / folder).rglob("__init__.py")):
            where = init.relative_to(ROOT).as_posix()
            tree = ast.parse(init.read_text(encoding="utf-8"))
            exported, imported, defined = None, set(), set()
            for node in tree.body:
                if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                    imported |= {a.asname or a.name for a in node.names if not (a.asname or a.name).startswith("_")}
                elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
                    exported = list(ast.literal_eval(node.value))
                elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                    defined.add(node.name)
                    if node.name == "__getattr__":
                        problems.append(f"{where}: a module __getattr__ hides names: import them plainly")
            if exported is None:
                continue
            for name in sorted(imported - set(exported)):
                problems.append(f"{where}: imports {name} but __all__ does not list it")
            for name in sorted(set(exported) - imported - defined):
                problems.append(f"{where}: __all__ lists {name}, which the file neither imports nor defines")
            module = importlib.import_module(names._module_name(init))
            for name in exported:
                if not hasattr(module, name):
                    problems.append(f"{where}: __all__ lists {name}, which does not resolve")
    return problems
