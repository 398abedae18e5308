"""Reference data (roles, dictionaries, parameters) and demo data."""
