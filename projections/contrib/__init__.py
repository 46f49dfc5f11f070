"""Custom projections shipped as examples (not registered by default)."""
