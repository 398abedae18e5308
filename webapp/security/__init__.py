"""Who may do what, and over which records: permissions, passwords and data scope."""
