"""Commitments and accomplishments in HLED documents: extraction (and, later, diffs)."""

from __future__ import annotations

from monitor.commitments.extract import extract_items
from monitor.commitments.model import Amount, Item

__all__ = ["Amount", "Item", "extract_items"]
