"""Model names: directories, installed model packages (entry points), Hub repo ids (cache only here)."""
from __future__ import annotations

import sys

import pytest

from eventx import hub
from eventx.extraction import EventExtractor
from tiny import tiny_model


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory):
    model, tok = tiny_model()
    return EventExtractor(model, tok).save_pretrained(tmp_path_factory.mktemp("m") / "tiny-model")


def test_save_pretrained_writes_a_hub_model_card_and_loads_back(tiny_dir):
    card = (tiny_dir / "README.md").read_text("utf-8")
    header = card.split("---\n")[1]
    assert card.startswith("---\n") and "library_name: eventx" in header and "language: [uk, ru, en]" in header
    assert EventExtractor.from_pretrained(tiny_dir, device="cpu").labels.types


def test_directories_and_clear_errors(tiny_dir, tmp_path):
    assert hub.resolve_model(str(tiny_dir)) == tiny_dir
    with pytest.raises(hub.ModelNotFoundError, match="not an eventx model directory"):
        hub.resolve_model(tmp_path)
    with pytest.raises(hub.ModelNotFoundError, match="pip install eventx-model-e5-small"):
        hub.resolve_model("nothing-here")


def test_installed_model_found_by_entry_point(tiny_dir, tmp_path, monkeypatch):
    # a real (tiny) installed distribution: a package plus its dist-info with an eventx.models entry point
    site = tmp_path / "site"
    (site / "fake_model").mkdir(parents=True)
    (site / "fake_model" / "__init__.py").write_text(f"def path():\n    return {str(tiny_dir)!r}\n")
    info = site / "eventx_model_fake-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: eventx-model-fake\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[eventx.models]\nfake-model = fake_model:path\n")
    monkeypatch.syspath_prepend(str(site))
    assert hub.installed_models()["fake-model"] == tiny_dir
    assert hub.resolve_model("fake-model") == tiny_dir
    ex = EventExtractor.from_pretrained("fake-model", device="cpu")
    assert ex.labels == EventExtractor.from_pretrained(tiny_dir, device="cpu").labels
    sys.modules.pop("fake_model", None)


def test_default_falls_back_to_the_installed_package(tiny_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(hub, "CHECKOUT_MODEL", tmp_path / "not-a-checkout")
    monkeypatch.setattr(hub, "installed_models", lambda: {})
    with pytest.raises(hub.ModelNotFoundError, match="default model 'eventx-e5-small' is not installed.*pip install"):
        hub.resolve_model(None)
    monkeypatch.setattr(hub, "installed_models", lambda: {"eventx-e5-small": tiny_dir})
    assert hub.resolve_model(None) == tiny_dir


def test_hub_repo_id_from_the_local_cache_and_offline_message(tiny_dir, tmp_path, monkeypatch):
    pytest.importorskip("huggingface_hub")
    import shutil

    cache = tmp_path / "hf"
    repo = cache / "models--someone--eventx-tiny"
    snap = repo / "snapshots" / ("0" * 40)
    shutil.copytree(tiny_dir, snap)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0" * 40)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import huggingface_hub.constants as c

    monkeypatch.setattr(c, "HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(c, "HF_HUB_OFFLINE", True)
    assert hub.resolve_model("someone/eventx-tiny") == snap
    with pytest.raises(hub.ModelNotFoundError, match="not in the local Hugging Face cache and HF_HUB_OFFLINE"):
        hub.resolve_model("someone/not-downloaded")
