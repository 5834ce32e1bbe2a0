"""Hunanwerthuso | Self-evaluation: offline-first, bilingual self-evaluation for schools in Wales."""

__version__ = "0.1.0"
