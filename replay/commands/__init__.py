"""One module per ``livetext`` verb; each registers itself on ``replay.cli.app``."""
