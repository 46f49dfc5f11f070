"""``livetext plot SOURCE|MATCH -o FILE``: the match timeline as an image (matplotlib)."""

from __future__ import annotations

from pathlib import Path

import typer

from replay.commands.common import STORE_HELP, fail, format_option
from replay.commands.replay_cmd import TARGET_HELP, load_frames


def plot(
    target: str = typer.Argument(..., metavar="SOURCE|MATCH", help=TARGET_HELP),
    output: Path = typer.Option(..., "-o", "--output", help="The image to write: .png or .svg."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    format: str | None = format_option(),
) -> None:
    """Draw the match timeline: goals, cards and substitutions, the score, shots."""
    if output.suffix.lower() not in (".png", ".svg"):
        fail(f"{output}: the plot is written as .png or .svg", code=2)
    all_frames = load_frames(store, target, format=format)
    if not all_frames:
        fail(f"{target}: no minute of the match to draw")
    from replay.plot import plot_timeline

    steps = [f.step for f in all_frames]
    try:
        plot_timeline(steps, [f.state.to_json() for f in all_frames], output)
    except OSError as exc:
        fail(f"{output}: cannot write the plot ({exc.strerror or exc})")
    typer.echo(f"wrote {output}")
