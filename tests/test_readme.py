"""The README is a user's guide: its set-up commands come first and every ``livetext``
verb and option it shows exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from replay.cli import VERBS, verb_command

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_opens_with_the_two_setup_commands() -> None:
    first_block = README.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == ["make demo", "make test"]


_CODE = "\n".join(README.split("```")[1::2] + re.findall(r"`(livetext [^`]+)`", README))
USES = sorted(set(re.findall(r"^\s*livetext (\w+)([^\n#]*)", _CODE, re.MULTILINE)))


@pytest.mark.parametrize(("verb", "rest"), USES, ids=[u[0] for u in USES])
def test_every_command_shown_exists(verb: str, rest: str) -> None:
    assert verb in VERBS, verb
    options = {opt for p in verb_command(verb).params for opt in p.opts}
    for flag in re.findall(r"(--[\w-]+|-o)\b", rest):
        assert flag in options, f"livetext {verb} {flag}"
