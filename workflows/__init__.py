"""Pure domain rules: tiers, states, transitions, guards, suggestions and working days."""
