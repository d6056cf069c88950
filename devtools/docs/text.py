"""What a checker reads in the project's documents and code: backticked spans, links and
headings of a Markdown file, and the comments and docstrings of a Python file.

Pure functions of text (plus reading the file); nothing here decides what is true.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_SPAN = re.compile(r"`([^`]+)`")
# [text](target) and ![alt](target), an optional "title" after the target.
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


@dataclass(frozen=True)
class Span:
    """One piece of text to check: `text` found in `path` at line `line` (1-based)."""

    path: Path
    line: int
    text: str

    def where(self, root: Path) -> str:
        """'file:line' relative to `root` (absolute outside it), for a one-line problem report."""
        path = self.path.relative_to(root) if self.path.is_relative_to(root) else self.path
        return f"{path.as_posix()}:{self.line}"


def without_fences(markdown: str) -> str:
    """The Markdown text with fenced code blocks blanked out (their lines kept, so line
    numbers still match): commands in a fence are examples, not names to check."""
    return _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)


def code_spans(path: Path) -> list[Span]:
    """Every inline code span (`...`) of a Markdown file outside fenced blocks, whitespace
    inside a span collapsed to one space."""
    text = without_fences(path.read_text(encoding="utf-8"))
    return [Span(path, text.count("\n", 0, m.start()) + 1, " ".join(m.group(1).split())) for m in _SPAN.finditer(text)]


def links(path: Path) -> list[Span]:
    """Every link target of a Markdown file outside fenced blocks: `[text](target)` and
    images `![alt](target)`, as written (relative path, optional #anchor, or a URL)."""
    text = without_fences(path.read_text(encoding="utf-8"))
    text = _SPAN.sub(lambda m: " " * len(m.group(0)), text)  # a link inside `code` is no link
    return [Span(path, text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _LINK.finditer(text)]


def headings(path: Path) -> list[str]:
    """The headings of a Markdown file (any level, outside fenced blocks), as written."""
    return _HEADING.findall(without_fences(path.read_text(encoding="utf-8")))


def plain(heading: str) -> str:
    """A heading or a cited section name compared loosely: no backticks or emphasis marks,
    case and runs of whitespace ignored."""
    return " ".join(re.sub(r"[`*_]", "", heading).lower().split())


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as '-'
    (`## A class on a Ray cluster` -> `a-class-on-a-ray-cluster`)."""
    text = re.sub(r"[`*]", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def comments_and_docstrings(path: Path) -> list[Span]:
    """The comments of a Python file (a run of comment lines joined into one span) and its
    docstrings (module, classes, functions), each with the line it starts on.

    String literals that are not docstrings are data, not prose, and are left out (a test
    may write a Markdown file of its own without citing a document).
    """
    source = path.read_text(encoding="utf-8")
    spans: list[Span] = []
    run_start, run_text, last_line = 0, [], -1
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.COMMENT:
            continue
        line = tok.start[0]
        if line != last_line + 1 and run_text:
            spans.append(Span(path, run_start, " ".join(run_text)))
            run_text = []
        if not run_text:
            run_start = line
        run_text.append(tok.string.lstrip("#").strip())
        last_line = line
    if run_text:
        spans.append(Span(path, run_start, " ".join(run_text)))
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                first = node.body[0].lineno if node.body else 1
                spans.append(Span(path, first, " ".join(doc.split())))
    return sorted(set(spans), key=lambda s: s.line)
