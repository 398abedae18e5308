"""Talk records (谈话记录)."""
