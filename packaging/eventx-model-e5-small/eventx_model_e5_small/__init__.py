"""The eventx-e5-small model as package data; eventx finds it through the ``eventx.models`` entry point."""
from importlib.resources import files
from pathlib import Path


def model_path() -> Path:
    """The installed model directory (wheels install unzipped, so this is a real directory)."""
    return Path(str(files(__name__) / "model"))
