"""A match timeline with matplotlib: goals, cards and substitutions by minute for both
teams, the score line and cumulative shots.

The x axis is the replay's own steps (1' ... 45+n' HT 46' ...), so stoppage minutes get
their place and 45+2 stands before 46.  Input is the state JSON at each step: the plot
needs nothing the projections do not already say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: no display, safe in CI
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from replay.timeline import Step

HOME_COLOUR, AWAY_COLOUR = "#1f4e9c", "#c0392b"
CARD_COLOURS = {"yellow": "#f1c40f", "second_yellow": "#e67e22", "red": "#c0392b"}
_TICKS = {
    "1'",
    "15'",
    "30'",
    "HT",
    "60'",
    "75'",
    "FT",
    "End of 90'",
    "100'",
    "ET HT",
    "115'",
    "AET",
    "PSO",
}


def _x_of(steps: Sequence[Step]) -> Any:
    """A function from a clock JSON to the x of the step that shows it."""
    index = {
        (s.clock.period, s.clock.minute, s.clock.added): i
        for i, s in enumerate(steps)
        if s.kind != "break"
    }
    first_of_period: dict[int, int] = {}
    for i, s in enumerate(steps):
        first_of_period.setdefault(s.period, i)

    def x(clock: Mapping[str, Any] | None) -> float | None:
        if not clock:
            return None
        key = (clock["period"], clock["minute"], clock.get("added", 0))
        if key in index:
            return float(index[key])
        # the period's kick-off minute (45' of the second half) or a shoot-out kick
        return float(first_of_period.get(clock["period"], len(steps) - 1))

    return x


def plot_timeline(steps: Sequence[Step], states: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """Draw the timeline of one match to ``path`` (.png or .svg) and return the path."""
    if not steps or len(steps) != len(states):
        raise ValueError("one state per step is needed to draw a timeline")
    final = states[-1]
    teams = final["teams"]
    xs = list(range(len(steps)))
    x_of = _x_of(steps)

    fig, (events_ax, score_ax, shots_ax) = plt.subplots(
        3, 1, figsize=(12, 7), sharex=True, gridspec_kw={"height_ratios": [1.3, 1, 1]}
    )
    title = f"{teams['home']} {final['score']['home']}-{final['score']['away']} {teams['away']}"
    fig.suptitle(title, fontsize=14, fontweight="bold")

    # events: home above the line, away below
    events_ax.axhline(0, color="#999", linewidth=0.8)
    sign = {"home": 1.0, "away": -1.0}
    for goal in final["score"]["goals"]:
        x = x_of(goal["clock"])
        if x is not None:
            colour = HOME_COLOUR if goal["team"] == "home" else AWAY_COLOUR
            events_ax.scatter(
                x, 0.75 * sign[goal["team"]], marker="o", s=140, color=colour, zorder=3
            )
            who = (goal.get("player") or {}).get("name") or ""
            events_ax.annotate(
                f"{who}{' (og)' if goal['own_goal'] else ''}",
                (x, 0.75 * sign[goal["team"]]),
                textcoords="offset points",
                xytext=(6, 4),
                fontsize=8,
            )
    for card in final["cards"]:
        x = x_of(card["clock"])
        if x is not None and card["team"] in sign:
            events_ax.scatter(
                x,
                0.45 * sign[card["team"]],
                marker="s",
                s=60,
                color=CARD_COLOURS.get(card["card"], "#999"),
                edgecolors="#333",
                zorder=3,
            )
    for side in ("home", "away"):
        for sub in final["lineups"][side].get("substitutions", []):
            x = x_of(sub["clock"])
            if x is not None:
                events_ax.scatter(
                    x,
                    0.2 * sign[side],
                    marker="^" if side == "home" else "v",
                    s=50,
                    color="#27ae60",
                    zorder=3,
                )
    events_ax.set_ylim(-1.2, 1.2)
    events_ax.set_yticks([0.6, -0.6], [teams["home"], teams["away"]])
    events_ax.set_title("goals (●), cards (■), substitutions (▲▼)", fontsize=9, loc="left")

    for side, colour in (("home", HOME_COLOUR), ("away", AWAY_COLOUR)):
        score_ax.step(
            xs, [s["score"][side] for s in states], where="post", color=colour, label=teams[side]
        )
        shots_ax.plot(
            xs, [s["stats"][side]["shots"] for s in states], color=colour, label=teams[side]
        )
    score_ax.set_ylabel("goals")
    score_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    shots_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    score_ax.legend(loc="upper left", fontsize=8)
    shots_ax.set_ylabel("shots (cumulative)")

    for ax in (events_ax, score_ax, shots_ax):
        for i, step in enumerate(steps):
            if step.kind == "break":
                ax.axvline(i, color="#bbb", linestyle="--", linewidth=0.8)
        ax.grid(axis="y", alpha=0.3)
    ticks = [i for i, s in enumerate(steps) if s.label in _TICKS]
    shots_ax.set_xticks(ticks, [steps[i].label for i in ticks])
    shots_ax.set_xlim(-0.5, len(steps) - 0.5)
    fig.tight_layout()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110)
    finally:
        plt.close(fig)
    return path
