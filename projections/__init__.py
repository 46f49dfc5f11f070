"""livetext: projections layer."""
