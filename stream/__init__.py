"""livetext: stream layer."""
