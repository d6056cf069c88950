"""Whether a name a document gives exists in the repository: a file path, a module and a
name defined in it, a config key, a class and its attribute, or a name of Streamlit,
TensorFlow, Keras or NumPy.

The rule a writer follows (ARCHITECTURE.md, "Keeping this page true", says it in prose):

- A path has a `/` or ends in `.py` or `.md`. It is read from the repository root, or else
  from `gan_core/` (`run/trainer.py` is gan_core/run/trainer.py); a trailing `/` is a folder.
- `run/trainer.py:Trainer`, or the same without the `.py` (`ui/train_view.start_training()`),
  names something that file defines (a name it only imports is elsewhere); `Class.method` chains are followed.
- A dotted name is a module and a name in it when it starts with a package of the repository
  (`gan_core.jobs.server.shared_pool`), a config key when it starts with a config section
  (`hacks.r1_gamma`, `run.*`), a repository class and its attribute (`Trainer.set_hack`), or
  a third party's own name under the usual alias (`st.`, `tf.`, `keras.`, `np.`).
- A single word is a module or package of the repository, or a name defined in one (a class,
  a function, a constant, a class's field or attribute).
- Call arguments and subscripts are ignored (`Trainer.set_hack(key, value)` is
  `Trainer.set_hack`), and so is a leading `@`.

Resolving a module imports it (the truth is what Python finds); a single word is looked up
in an index built from the source (ast), so that no Ray or TensorFlow import is needed for it.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import importlib.util
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE_PACKAGES = ("gan_core", "ui", "app_pages", "devtools")
THIRD_PARTY = {"st": "streamlit", "tf": "tensorflow", "keras": "keras", "np": "numpy"}
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
DOTTED = re.compile(rf"{_IDENT}(?:[.:](?:{_IDENT}|\*))+")
WORD = re.compile(_IDENT)


def bare(token: str) -> str:
    """The name in a code span without a leading '@', call arguments or a subscript:
    `Trainer.set_hack(key, value)` -> `Trainer.set_hack`, `st.session_state["k"]` ->
    `st.session_state`."""
    token = token.strip().lstrip("@")
    return re.sub(r"(\(.*\)|\[.*\])$", "", token)


def _module_name(file: Path) -> str:
    rel = file.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _follow(obj, attrs: list[str]) -> bool:
    """Whether attribute chain `attrs` exists on `obj`; a dataclass field without a default
    and an annotated class attribute count."""
    for attr in attrs:
        if hasattr(obj, attr):
            obj = getattr(obj, attr)
            continue
        if isinstance(obj, type):
            fields = {f.name for f in dataclasses.fields(obj)} if dataclasses.is_dataclass(obj) else set()
            notes = {name for klass in obj.__mro__ for name in getattr(klass, "__annotations__", {})}
            if attr in fields | notes:
                return attr == attrs[-1]  # a field's own attributes cannot be followed
        return False
    return True


def module_has(module: str, attrs: list[str]) -> str | None:
    """None when `module` imports and defines the chain `attrs`, else why not (one line)."""
    try:
        obj = importlib.import_module(module)
    except ImportError as e:
        return f"module {module} does not import ({e})"
    if attrs and not _follow(obj, attrs):
        return f"{module} defines no {'.'.join(attrs)}"
    return None


def _existing(path: str) -> Path | None:
    for base in (ROOT, ROOT / "gan_core"):
        candidate = base / path
        if candidate.exists() and (not path.endswith("/") or candidate.is_dir()):
            return candidate
    return None


def check_path(token: str) -> str | None:
    """None when path `token` (with an optional `:name` or `.name`) exists, else why not."""
    token = bare(token)
    path, _, name = token.partition(":")
    found = _existing(path)
    if found is None and not name:
        folder, _, last = path.rpartition("/")
        stem, dot, rest = last.partition(".")
        module = _existing(f"{folder}/{stem}.py" if folder else f"{stem}.py") if dot else None
        if module is not None and rest not in ("py", "md"):
            found, name = module, rest
    if found is None:
        return f"no such file or folder from the root or from gan_core/: {path}"
    if name:
        if found.suffix != ".py":
            return f"{path} is not a Python module, so it defines no {name}"
        module, attrs = _module_name(found), name.split(".")
        problem = module_has(module, attrs)
        if problem is None:  # a path names a file: the name must be defined there, not imported
            home = getattr(getattr(importlib.import_module(module), attrs[0]), "__module__", module)
            if home != module:
                return f"{attrs[0]} is defined in {home}, not in {path}"
        return problem
    return None


def check_config_key(token: str) -> str | None:
    """None when `section.field` (or `section.*`) is a key of TrainConfig or of the 2D
    playground's ToyConfig, else why not."""
    from gan_core.config.tree import TrainConfig
    from gan_core.toy.config import ToyConfig

    section, _, field = token.partition(".")
    trees = [cfg for cfg in (TrainConfig(), ToyConfig()) if hasattr(cfg, section)]
    if not trees:
        return f"no config section {section}"
    if field != "*" and not any(hasattr(getattr(cfg, section), field) for cfg in trees):
        return f"no config key {token}"
    return None


@cache
def config_sections() -> frozenset[str]:
    """The sections of the config tree (data, model, optimizer, hacks, run)."""
    from gan_core.config.tree import TrainConfig

    return frozenset(f.name for f in dataclasses.fields(TrainConfig))


def _is_module(dotted: str) -> bool:
    try:
        return importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:  # a parent is a module, not a package
        return False


def check_dotted(token: str) -> str | None:
    """None when a dotted (or `module:name`) token names something that exists, else why
    not; see the module docstring for the forms."""
    token = bare(token)
    if ":" in token:
        module, _, name = token.partition(":")
        return module_has(module, name.split("."))
    parts = token.split(".")
    head = parts[0]
    if head in CODE_PACKAGES:
        for k in range(len(parts), 0, -1):
            if _is_module(".".join(parts[:k])):
                return module_has(".".join(parts[:k]), parts[k:])
        return f"no module {token}"
    if head in config_sections():
        return check_config_key(token)
    if head in THIRD_PARTY:
        return module_has(THIRD_PARTY[head], parts[1:])
    homes = defining_modules().get(head, ())
    if homes:
        if any(module_has(home, parts) is None for home in homes):
            return None
        return f"{head} (in {', '.join(sorted(homes))}) has no {'.'.join(parts[1:])}"
    return (
        f"cannot tell what {token} names: write a module path (gan_core.x.y), path.py:name, a config key "
        "or Class.attribute of a class in the repository"
    )


def _code_files(under: Path):
    return (p for p in sorted(under.rglob("*.py")) if "__pycache__" not in p.parts)


def _defined_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(top-level names, names inside classes: methods, fields, self.x attributes)."""
    top, inner = set(), set()

    def targets(node):
        for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
            for n in ast.walk(t):
                if isinstance(n, ast.Name):
                    yield n.id

    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            top.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            top.update(targets(node))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            top.update((a.asname or a.name).split(".")[0] for a in node.names)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    inner.add(item.name)
                elif isinstance(item, ast.Assign | ast.AnnAssign):
                    inner.update(targets(item))
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            if isinstance(node.value, ast.Name) and node.value.id == "self":
                inner.add(node.attr)
    return top, inner


@cache
def _index() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(class name -> modules defining it, package folder -> every name in it: its modules,
    subpackages, and every name its modules define)."""
    classes: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    for package in CODE_PACKAGES:
        for file in _code_files(ROOT / package):
            tree = ast.parse(file.read_text(encoding="utf-8"))
            top, inner = _defined_names(tree)
            defined = {file.stem, file.parent.name} | top | inner
            for node in tree.body:
                if isinstance(node, ast.ClassDef):
                    classes.setdefault(node.name, set()).add(_module_name(file))
            folder = file.parent
            while folder != ROOT:
                names.setdefault(folder.relative_to(ROOT).as_posix(), set()).update(defined)
                folder = folder.parent
            names.setdefault("", set()).update(defined)
    return (
        {k: frozenset(v) for k, v in classes.items()},
        {k: frozenset(v) for k, v in names.items()},
    )


def defining_modules() -> dict[str, frozenset[str]]:
    """Class name -> the modules of the repository that define a class of that name."""
    return _index()[0]


def check_word(word: str, package: str = "") -> str | None:
    """None when `word` is a module, package or defined name inside folder `package`
    (relative to the root, e.g. 'gan_core/step'; '' for the whole repository), else why not."""
    if word in _index()[1].get(package, frozenset()):
        return None
    return f"no module or name {word} in {package or 'the repository'}/"
