"""livetext: replay layer."""
