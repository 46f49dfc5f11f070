"""Start-up: the command imports nothing heavy until a verb needs it, and the verbs are
plain functions the CLI registers (no command module imports the CLI)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replay.cli import VERBS, app, verb_command

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("matplotlib", "numpy", "aiokafka", "faust", "starlette", "uvicorn", "playwright")
REPORT = "import sys; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"


def _run(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` run by a fresh interpreter, which then prints its top-level packages."""
    return subprocess.run(
        [sys.executable, "-c", f"{code}\n{REPORT}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )


def _loaded(code: str) -> set[str]:
    """The top-level packages a fresh interpreter holds after running ``code``."""
    return set(_run(code).stdout.split())


def test_importing_the_cli_loads_nothing_heavy() -> None:
    loaded = _loaded("import replay.cli")
    assert loaded & {*HEAVY, "rich", "pydantic", "events", "stream", "projections"} == set()


def test_state_json_loads_nothing_heavy(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    page = ROOT / "examples" / "inter-milan-derby.txt"
    run = (
        "import contextlib, io\n"
        "from replay.cli import app\n"
        "def verb(*args):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try: app(list(args))\n"
        "        except SystemExit as exit: assert not exit.code, exit.code\n"
    )
    _loaded(f"{run}verb('ingest', {str(page)!r}, '--store', {str(store)!r})")
    loaded = _loaded(
        f"{run}verb('state', 'inter-milan-derby', '--json', '--store', {str(store)!r})"
    )
    assert "projections" in loaded  # the verb ran
    assert loaded & {*HEAVY, "rich"} == set()


def test_ingest_of_many_sources_into_a_pipe_shows_no_progress_bar(tmp_path: Path) -> None:
    """A progress bar is for a terminal: ingesting many sources with stderr piped (a log, a
    script) imports no rich and writes nothing but the sources' lines."""
    examples = ROOT / "examples"
    sources = [examples / n for n in ("inter-milan-derby.txt", "feed-example.jsonl")]
    sources.append(examples / "lines-example.txt")
    args = [*map(str, sources), "--store", str(tmp_path / "s.sqlite")]
    run = (
        "from replay.cli import app\n"
        f"try: app(['ingest', *{args!r}])\n"
        "except SystemExit as exit: assert not exit.code, exit.code\n"
    )
    done = _run(run)
    assert done.stdout.splitlines()[-2].startswith("total: ")
    assert "rich" not in done.stdout.splitlines()[-1].split()
    assert done.stderr == ""


def test_no_command_module_imports_the_cli() -> None:
    for path in (ROOT / "replay" / "commands").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
            a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names
        }
        assert "replay.cli" not in imported, path.name


@pytest.mark.parametrize("verb", list(VERBS))
def test_every_verb_is_a_documented_command(verb: str) -> None:
    command = verb_command(verb)
    assert command.name == verb
    assert command.help and command.help.strip()


def test_help_lists_every_verb_in_order() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    firsts = [m[1] for m in re.finditer(r"^\W*(\w+)\s{2}", result.output, re.MULTILINE)]
    assert [word for word in firsts if word in VERBS] == list(VERBS)


def test_an_unknown_verb_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["nosuch"])
    assert result.exit_code == 2
    assert "nosuch" in result.output
