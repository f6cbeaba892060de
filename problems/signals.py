"""Signals the problems register sends; listeners live in the apps above it (the atlas)."""

from django.dispatch import Signal


# Sent after reports were written in bulk (bulk_create sends no per-row signal), with
# `count`: whatever counts reports (the atlas) recounts. problems never imports its listeners.
reports_bulk_created = Signal()
