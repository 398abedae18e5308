"""Written inquiries (函询)."""
