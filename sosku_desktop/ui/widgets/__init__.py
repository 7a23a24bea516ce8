"""Reusable widgets, Qt models, charts and PDF page rendering."""
