"""Attachments (附件): content-checked uploads stored outside the static folder."""
