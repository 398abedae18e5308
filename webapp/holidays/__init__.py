"""Working-day calendar from the database, and the holiday maintenance page (节假日维护)."""
