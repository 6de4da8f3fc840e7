"""Runtimes: how the encoder runs (torch float32 / bfloat16, ONNX Runtime float32 / int8), behind one interface.

A backend turns a batch of token ids into trigger logits and hidden states, and hidden states of trigger
candidates into role and status logits, all as numpy arrays; :mod:`eventx.extraction` does the rest.

- ``torch-float32``: the reference; identical results on every machine.
- ``torch-bfloat16``: the encoder in bfloat16 (fast only on CPUs with native bfloat16, e.g. AVX512-BF16/AMX).
- ``onnx-float32`` / ``onnx-int8``: ONNX Runtime, without importing torch (cold start and memory far
  lower); int8 quantises the encoder's linear layers only (see :mod:`eventx.onnxexport`). Extra ``onnx``.
- ``auto``: the fastest runtime available here whose quality, measured on this model's weights and
  recorded in ``runtimes.json`` beside them (``training/model_card.py`` writes it), is within
  :data:`QUALITY_BOUND` F1 of ``torch-float32``; ``torch-float32`` when nothing is recorded.

>>> check_runtime("onnx-int8")
'onnx-int8'
>>> check_runtime("int8")
Traceback (most recent call last):
...
ValueError: runtime must be one of 'auto', 'torch-float32', 'torch-bfloat16', 'onnx-float32', 'onnx-int8', got 'int8'
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

RUNTIMES = ("torch-float32", "torch-bfloat16", "onnx-float32", "onnx-int8")
QUALITY_FILE = "runtimes.json"
QUALITY_BOUND = 0.01  # largest F1 drop from torch-float32 that "auto" accepts, per split and key
QUALITY_KEYS = ("trigger_classification", "argument_classification")
QUALITY_SPLITS = ("test", "test_hard", "articles")
# fastest first, as measured by training/benchmark.py on 2 CPU cores (README, "Speed and memory"). With AMX
# (matrix units that multiply bfloat16 in hardware) bfloat16 ran 2.2x int8 on the one such CPU measured
# (before ONNX Runtime's idle threads stopped spinning); with AVX512-BF16 alone, int8 ran 312 sentences/s
# against bfloat16's 221. ONNX float32 beats torch float32 (and is lighter) since its argument layer also
# runs in onnxruntime.
SPEED_ORDER = ("onnx-int8", "torch-bfloat16", "onnx-float32", "torch-float32")
AMX_SPEED_ORDER = ("torch-bfloat16", "onnx-int8", "onnx-float32", "torch-float32")
# A job this small (sentences) finishes sooner on ONNX even where bfloat16 is faster per sentence: ONNX loads
# without torch (loading took 0.3 s against 4.2-4.5 s to import torch and load, measured by
# training/benchmark.py on 2 cores), and those 4 s buy over 800 sentences at bfloat16's rate.
SMALL_JOB_SENTENCES = 500


def check_runtime(runtime) -> str:
    if runtime not in ("auto",) + RUNTIMES:
        raise ValueError("runtime must be one of " + ", ".join(repr(r) for r in ("auto",) + RUNTIMES)
                         + f", got {runtime!r}")
    return runtime


def cpu_flags() -> frozenset:
    """The CPU's feature flags from /proc/cpuinfo, read without torch (empty where there is no such file)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def native_bfloat16(flags: frozenset | None = None) -> bool:
    """True on CPUs with bfloat16 arithmetic (AVX512-BF16 or AMX).

    >>> native_bfloat16(frozenset({"avx2", "avx512_bf16"})), native_bfloat16(frozenset({"avx2"}))
    (True, False)
    """
    return bool((cpu_flags() if flags is None else flags) & {"avx512_bf16", "amx_bf16"})


def onnx_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("onnxruntime") is not None


def read_quality(model_dir: str | Path) -> dict:
    """``{runtime: {split: {key: f1}}}`` recorded for the current weights; ``{}`` when absent or stale."""
    path = Path(model_dir) / QUALITY_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    weights = Path(model_dir) / "model.safetensors"
    if not isinstance(data, dict) or not isinstance(data.get("quality"), dict):
        return {}
    if data.get("weights_size") != _size(weights):
        return {}
    if data.get("weights_sha256"):
        from .onnxexport import weights_sha256  # numpy + hashlib only

        if data["weights_sha256"] != weights_sha256(weights):
            return {}
    return data["quality"]


def _size(p: Path):
    try:
        return p.stat().st_size
    except OSError:
        return None


def passes(quality: dict, runtime: str, bound: float = QUALITY_BOUND) -> bool:
    """Whether ``runtime``'s recorded F1 is within ``bound`` of torch-float32 on every split and key."""
    ref, got = quality.get("torch-float32"), quality.get(runtime)
    if runtime == "torch-float32":
        return True
    if not isinstance(ref, dict) or not isinstance(got, dict):
        return False
    try:
        return all(got[s][k] >= ref[s][k] - bound for s in QUALITY_SPLITS for k in QUALITY_KEYS)
    except (KeyError, TypeError):
        return False


def choose_runtime(model_dir: str | Path, device: str = "cpu", sentences: int | None = None) -> str:
    """The runtime ``"auto"`` means for this model on this machine (and job size, see :func:`choose_runtime_from`)."""
    if device != "cpu":
        return "torch-float32"
    env = os.environ.get("EVENTX_RUNTIME")
    if env:
        return check_runtime(env) if env != "auto" else choose_runtime_from({}, False, False)
    quality = read_quality(model_dir)
    flags = cpu_flags()
    return choose_runtime_from(quality, onnx_available(), native_bfloat16(flags), sentences, "amx_bf16" in flags)


def choose_runtime_from(quality: dict, have_onnx: bool, have_bf16: bool, sentences: int | None = None,
                        have_amx: bool = False) -> str:
    """Pure part of :func:`choose_runtime`: the first runtime of :data:`SPEED_ORDER` (of
    :data:`AMX_SPEED_ORDER` on CPUs with AMX) that is available and passes the quality bound. ``sentences``:
    how many the caller expects to process, when it knows (the command line does); a job of at most
    :data:`SMALL_JOB_SENTENCES` tries the ONNX runtimes first, since their load time is what such a job
    mostly costs.

    >>> q = {"torch-float32": {s: {"trigger_classification": .8, "argument_classification": .7}
    ...                        for s in QUALITY_SPLITS}}
    >>> q["onnx-int8"] = {s: {"trigger_classification": .795, "argument_classification": .695} for s in QUALITY_SPLITS}
    >>> q["torch-bfloat16"] = q["torch-float32"]
    >>> choose_runtime_from(q, have_onnx=True, have_bf16=True), choose_runtime_from(q, False, False)
    ('onnx-int8', 'torch-float32')
    >>> choose_runtime_from(q, True, True, have_amx=True), choose_runtime_from(q, True, True, sentences=20, have_amx=True)
    ('torch-bfloat16', 'onnx-int8')
    """
    order = AMX_SPEED_ORDER if have_amx else SPEED_ORDER
    if sentences is not None and sentences <= SMALL_JOB_SENTENCES:
        order = tuple(r for r in order if r.startswith("onnx")) + tuple(r for r in order if not r.startswith("onnx"))
    for rt in order:
        if rt.startswith("onnx") and not have_onnx:
            continue
        if rt == "torch-bfloat16" and not have_bf16:
            continue
        if passes(quality, rt):
            return rt
    return "torch-float32"


def record_quality(model_dir: str | Path, runtime: str, metrics_by_split: dict) -> Path:
    """Add ``runtime``'s F1 per split (from :func:`eventx.evaluation.evaluate_items`) to ``runtimes.json``."""
    from .fileio import write_text_atomic
    from .onnxexport import weights_sha256

    path = Path(model_dir) / QUALITY_FILE
    weights = Path(model_dir) / "model.safetensors"
    digest = weights_sha256(weights)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        data = {}
    if data.get("weights_sha256") != digest:
        data = {}  # figures of other weights are meaningless for these
    data.update(weights_sha256=digest, weights_size=_size(weights), bound=QUALITY_BOUND,
                reference="torch-float32")
    data.setdefault("quality", {})[runtime] = {
        s: {k: round(float(m[k]["f1"]), 4) for k in QUALITY_KEYS} for s, m in metrics_by_split.items()}
    write_text_atomic(path, json.dumps(data, indent=1, sort_keys=True))
    return path


# ---------------------------------------------------------------------------------------------- backends
def pad_rows(rows: list[list[int]], pad_id: int):
    """Token id rows as one int64 ``[B, L]`` batch, padded with ``pad_id``, and its attention mask.

    >>> ids, mask = pad_rows([[5, 6, 7], [8]], 1)
    >>> ids.tolist(), mask.tolist()
    ([[5, 6, 7], [8, 1, 1]], [[1, 1, 1], [1, 0, 0]])
    """
    width = max(map(len, rows))
    ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, :len(row)] = row
        mask[i, :len(row)] = 1
    return ids, mask


class TorchBackend:
    """The :class:`eventx.modeling.EventModel` in torch; the encoder in float32 or bfloat16."""

    def __init__(self, model, device, dtype=None):
        import torch

        self.torch = torch
        self.model = model.eval().to(device)
        self.device = torch.device(device)
        if dtype is not None:
            self.model.encoder.to(dtype)  # heads stay float32

    def encode(self, ids: np.ndarray, mask: np.ndarray):
        t = self.torch
        ids_t, mask_t = t.from_numpy(ids).to(self.device), t.from_numpy(mask).to(self.device)
        out = self.model(ids_t, mask_t)
        return out.trigger_logits.float().cpu().numpy(), (out.hidden, mask_t)

    def arguments(self, state, sent_idx, tmask, types):
        t = self.torch
        hidden, mask_t = state
        role, status = self.model.argument_logits(hidden, mask_t, t.from_numpy(sent_idx).to(self.device),
                                                  t.from_numpy(tmask).to(self.device),
                                                  t.from_numpy(types).to(self.device))
        return role.float().cpu().numpy(), status.float().cpu().numpy()


class OnnxBackend:
    """The encoder with its trigger head, and the argument layer, as two ONNX Runtime sessions; torch is never
    imported."""

    def __init__(self, model_dir: str | Path, runtime: str, threads: int | None = None):
        from .onnxexport import argument_graph, cached_graph, require

        ort = require("onnxruntime")
        model_dir = Path(model_dir)
        graph = cached_graph(model_dir, runtime)
        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            so.intra_op_num_threads = threads
        # Idle pool threads must sleep, not spin: a spinning thread of one session takes a core from the other
        # session and from the Python decoding between runs. On 2 cores onnx-int8 extract() ran 193-198
        # sentences/s with spinning, 225-318 without (alternating runs; README, "Speed and memory").
        so.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(graph), so, providers=["CPUExecutionProvider"])
        self.argument_session = ort.InferenceSession(str(argument_graph(graph)), so, providers=["CPUExecutionProvider"])
        self.graph = graph

    def encode(self, ids: np.ndarray, mask: np.ndarray):
        logits, hidden = self.session.run(["trigger_logits", "hidden"], {"input_ids": ids, "attention_mask": mask})
        return logits, (hidden, mask)

    def arguments(self, state, sent_idx, tmask, types):
        hidden, mask = state
        return tuple(self.argument_session.run(["role_logits", "status_logits"], {
            "hidden": hidden, "attention_mask": mask, "sentence_index": sent_idx, "trigger_mask": tmask,
            "event_type": types}))


class LightTokenizer:
    """The model's ``tokenizer.json`` through the ``tokenizers`` library alone (no transformers import).

    Answers the calls :mod:`eventx.extraction` makes of a Hugging Face fast tokenizer: ``tok(texts,
    add_special_tokens=False, return_offsets_mapping=True)``, ``truncation``/``max_length``, the special ids
    and ``len(tok)``; ids and offsets are those of the same file loaded by ``AutoTokenizer``.
    """

    def __init__(self, tokenizer, specials: dict):
        self._tk = tokenizer
        self._tk.no_truncation()
        self._tk.no_padding()
        ids = {name: tokenizer.token_to_id(tok) for name, tok in specials.items()}
        missing = [specials[n] for n in ("cls_token", "sep_token", "pad_token") if ids.get(n) is None]
        if missing:
            raise ValueError(f"the tokenizer has no {', '.join(missing)} token")
        self.cls_token_id, self.sep_token_id, self.pad_token_id = ids["cls_token"], ids["sep_token"], ids["pad_token"]

    @classmethod
    def from_dir(cls, path: Path) -> "LightTokenizer":
        from tokenizers import Tokenizer

        specials = {"cls_token": "<s>", "sep_token": "</s>", "pad_token": "<pad>"}
        cfg_file = Path(path) / "tokenizer_config.json"
        if cfg_file.is_file():
            cfg = json.loads(cfg_file.read_text("utf-8"))
            specials.update({k: v for k, v in cfg.items() if k in specials and isinstance(v, str)})
        return cls(Tokenizer.from_file(str(Path(path) / "tokenizer.json")), specials)

    def __len__(self) -> int:
        return self._tk.get_vocab_size(with_added_tokens=True)

    def __call__(self, texts, add_special_tokens: bool = True, return_offsets_mapping: bool = False,
                 truncation: bool = False, max_length: int | None = None) -> dict:
        single = isinstance(texts, str)
        encs = self._tk.encode_batch([texts] if single else list(texts), add_special_tokens=add_special_tokens)
        ids = [e.ids for e in encs]
        offs = [e.offsets for e in encs]
        if truncation and max_length:
            keep = max_length
            if add_special_tokens:  # keep the closing special token, as transformers does
                ids = [i if len(i) <= keep else i[:keep - 1] + i[-1:] for i in ids]
                offs = [o if len(o) <= keep else o[:keep - 1] + o[-1:] for o in offs]
            else:
                ids, offs = [i[:keep] for i in ids], [o[:keep] for o in offs]
        out = {"input_ids": ids[0] if single else ids}
        if return_offsets_mapping:
            out["offset_mapping"] = offs[0] if single else offs
        return out
