"""Negative information (负面信息): register, intake, liaison submissions and verification."""
