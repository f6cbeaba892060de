"""The full-page cache, cached fragments and the cached Wagtail look-ups.

Every override of a Wagtail internal lives here, each with a docstring saying what it
replaces, why and what it saved; tests/sitecache/test_overrides.py fails when the library's
version changes, so an upgrade forces a re-read. Cached values are plain data under keys
that carry a version. It imports no app of the project: apps register what it must watch.
"""
