"""training/benchmark.py writes the README's speed tables: they are exactly what the saved run gives."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("benchmark", ROOT / "training" / "benchmark.py")
benchmark = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(benchmark)


def test_readme_speed_tables_are_the_saved_run(tmp_path):
    saved = json.loads((ROOT / "training" / "benchmark.json").read_text("utf-8"))
    readme = tmp_path / "README.md"
    readme.write_text((ROOT / "README.md").read_text("utf-8"), encoding="utf-8")
    benchmark.write_readme(readme, benchmark.speed_tables(saved))
    assert readme.read_text("utf-8") == (ROOT / "README.md").read_text("utf-8"), \
        "README speed tables differ from training/benchmark.json: run " \
        "`python training/benchmark.py --from-json training/benchmark.json --readme README.md`"


def test_tables_show_every_runtime_and_each_target(tmp_path):
    saved = json.loads((ROOT / "training" / "benchmark.json").read_text("utf-8"))
    blocks = benchmark.speed_tables(saved)
    table = blocks["speed"][:blocks["speed"].index("")]  # the runtime table ends at the first blank line
    assert len(table) == 2 + len(saved["runtimes"])
    issue = [line for line in blocks["speed"] if line.startswith("| ") and "target" not in line and "---" not in line]
    assert any("import eventx" in line and (": met" in line or "not met" in line) for line in issue)
    page = tmp_path / "p.md"
    page.write_text("a\n<!-- speed:start (training/benchmark.py) -->\nold\n<!-- speed:end -->\nb\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="headline"):  # a block the file lacks is named, nothing is written
        benchmark.write_readme(page, blocks)
    assert "old" in page.read_text("utf-8")
    benchmark.write_readme(page, {"speed": ["new"]})
    assert page.read_text("utf-8") == "a\n<!-- speed:start (training/benchmark.py) -->\nnew\n<!-- speed:end -->\nb\n"
