"""The one exception for a model directory that cannot be used.

>>> err = ModelError("models/x/config.json", "invalid JSON (Expecting value at line 1 column 1)")
>>> str(err)
'models/x/config.json: invalid JSON (Expecting value at line 1 column 1)'
>>> isinstance(err, ValueError)
True
"""
from __future__ import annotations

from .chars import escape_control


class ModelError(ValueError):
    """A missing, corrupt or mismatched model directory; the message is one line naming the file."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        first = str(problem).strip().splitlines()[0] if str(problem).strip() else "unusable"
        super().__init__(escape_control(f"{self.path}: {first}"))
