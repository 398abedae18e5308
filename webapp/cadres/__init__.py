"""Cadre roster (台账), profile (画像) and career events."""
