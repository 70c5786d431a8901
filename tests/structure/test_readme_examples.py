"""The README's examples run as written (issue 12): every `umkm query "..."` in a ```bash block of README.md
(also as `.venv/bin/umkm query`, over several lines) runs against the refreshed Balikpapan sample, exits 0 and
returns at least one row. An example answering nothing is as broken as one that fails."""

from __future__ import annotations

import csv
import io
import re
import shlex
from pathlib import Path

import pytest

from pipelines.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"
COMMAND = re.compile(r"(?:\.venv/bin/)?umkm query\b")


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"^```bash\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def query_examples(text: str) -> list[list[str]]:
    """The arguments after `umkm query` of each example, split as bash would: the command runs on, line
    after line, until its double quotes close (an example may span lines); a `# comment` after it is not an
    argument."""
    examples = []
    for block in bash_blocks(text):
        for match in COMMAND.finditer(block):
            command = ""
            for line in block[match.end() :].splitlines(keepends=True):
                command += line
                if command.count('"') % 2 == 0 and not command.rstrip().endswith("\\"):
                    break
            examples.append(shlex.split(command, comments=True))
    return examples


EXAMPLES = query_examples(README.read_text(encoding="utf-8"))


def _id(args: list[str]) -> str:
    return " ".join(" ".join(args).split())[:70]


def test_examples_found() -> None:
    """Every `umkm query` written in a bash block is collected, each with exactly one SQL argument."""
    blocks = bash_blocks(README.read_text(encoding="utf-8"))
    assert len(EXAMPLES) == sum(len(COMMAND.findall(b)) for b in blocks) >= 10
    assert all(len([a for a in args if not a.startswith("--")]) == 1 for args in EXAMPLES), EXAMPLES
    # In double quotes bash would still expand these: the SQL would not be what the README shows.
    assert not [args for args in EXAMPLES if re.search(r"[$`\\]", " ".join(args))]


def test_the_parser_reads_multiline_examples_and_stops_at_the_line_end() -> None:
    text = (
        '```bash\n.venv/bin/umkm query "SELECT 1\n   FROM x"   # a comment\n'
        "umkm query --marts-dir data/marts \"SELECT 'a' AS b\"\n"
        "echo done\n```\n"
    )
    assert query_examples(text) == [["SELECT 1\n   FROM x"], ["--marts-dir", "data/marts", "SELECT 'a' AS b"]]


@pytest.mark.parametrize("args", EXAMPLES, ids=_id)
def test_readme_query_runs_and_answers(args: list[str], balikpapan_warehouse, capsys) -> None:
    _, marts = balikpapan_warehouse
    sql = [a for a in args if not a.startswith("--")][-1]
    capsys.readouterr()
    code = main(["query", "--marts-dir", str(marts), sql])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    rows = list(csv.reader(io.StringIO(captured.out)))
    assert len(rows) >= 2, f"no rows: {captured.out!r}"
