"""Checks that keep the project's documents true: names, paths, links and citations
(`python -m devtools.docs` lists every problem; tests/test_docs.py asserts there are none)."""
