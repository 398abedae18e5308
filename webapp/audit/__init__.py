"""Audit trail: operation, login and access logs and the auditor's pages."""
