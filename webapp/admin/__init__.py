"""System administration: users, units, dictionaries, parameters."""
