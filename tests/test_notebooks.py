"""Run the notebooks top to bottom, as a reader would (cwd ``notebooks/``), failing on any error.

The executed notebooks stay in memory: nothing is written into the repository. The model is the shipped
one (``models/eventx-e5-small``) or ``EVENTX_MODEL``; the evaluation notebook charts ``EVENTX_EVAL_JSON``,
else the model's ``evaluation.json``, else a small evaluation JSON made here with ``eventx evaluate``.
"""
from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DATA = ROOT / "training" / "data"
MODEL = ROOT / os.environ.get("EVENTX_MODEL", str(ROOT / "models" / "eventx-e5-small"))  # as the notebooks do

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (MODEL / "config.json").is_file(),
                       reason=f"no model at {MODEL}: train the shipped model (training/train.py) "
                              "or set EVENTX_MODEL to a model directory"),
]

nbformat = pytest.importorskip("nbformat", reason="needs the dev extra: pip install -e '.[dev]'")
nbclient = pytest.importorskip("nbclient", reason="needs the dev extra: pip install -e '.[dev]'")


def run_notebook(name: str) -> "nbformat.NotebookNode":
    """Execute notebooks/<name> in memory with the python3 kernel of this interpreter."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError (with the cell's traceback) on the first failing cell
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None, f"{name}: a cell did not run:\n{cell.source[:200]}"
            assert not [o for o in cell.outputs if o.output_type == "error"], f"{name}: error in\n{cell.source[:200]}"
    return nb


def _outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            parts.append(o.get("text", "") if o.output_type == "stream" else o.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


@pytest.fixture
def eval_json(tmp_path) -> Path:
    if os.environ.get("EVENTX_EVAL_JSON"):
        return ROOT / os.environ["EVENTX_EVAL_JSON"]
    if (MODEL / "evaluation.json").is_file():
        return MODEL / "evaluation.json"
    # no evaluation written yet: score the model on a small mixed-language sample of the test split
    from eventx.cli import main

    lines = (DATA / "test.jsonl").read_text(encoding="utf-8").splitlines()
    sample = tmp_path / "test_sample.jsonl"
    sample.write_text("\n".join(random.Random(0).sample(lines, 60)) + "\n", encoding="utf-8")
    out = tmp_path / "evaluation.json"
    assert main(["evaluate", "--model", str(MODEL), "--data", str(sample), "--json", str(out),
                 "--baseline", str(DATA / "train.jsonl"), "--device", "cpu", "--calibration"]) == 0
    return out


def test_quickstart(monkeypatch):
    monkeypatch.setenv("EVENTX_MODEL", str(MODEL))
    nb = run_notebook("quickstart.ipynb")
    text = _outputs_text(nb)
    assert "retrained model, 40 test items" in text and "trigger_classification" in text
    assert "agency.uk" in text and "Meeting" in text  # the story table of section 5


def test_evaluation(monkeypatch, eval_json):
    data = json.loads(eval_json.read_text(encoding="utf-8"))
    assert data, eval_json
    cal = data.get("calibration") or {}
    n_reliability = 1 if "before" in cal else len(cal)
    monkeypatch.setenv("EVENTX_EVAL_JSON", str(eval_json))
    nb = run_notebook("evaluation.ipynb")
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 3 + n_reliability, (f"expected 3 figures (per type, per language, confusion) and "
                                              f"{n_reliability} reliability diagram(s), got {len(images)}")
