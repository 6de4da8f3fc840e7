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
# fastest first, as measured by training/benchmark.py on 2 CPU cores (see the README's speed table):
# bfloat16 where the CPU has it natively, then int8, then torch float32 (ONNX float32 measured slower
# than torch float32, so auto never picks it; it stays available by name for its smaller memory)
SPEED_ORDER = ("torch-bfloat16", "onnx-int8", "torch-float32", "onnx-float32")
MAX_DISTANCE = 32  # as in eventx.modeling (kept equal by a test)
# A job this small (sentences) finishes sooner on ONNX even where bfloat16 is faster per sentence: ONNX loads
# without torch (a new process: about 1.3 s against 5.3 s to import torch and load, measured by
# training/benchmark.py on 2 cores), and 4 s buys about 900 sentences at int8's rate against bfloat16's.
SMALL_JOB_SENTENCES = 500


def check_runtime(runtime) -> str:
    if runtime not in ("auto",) + RUNTIMES:
        raise ValueError("runtime must be one of " + ", ".join(repr(r) for r in ("auto",) + RUNTIMES)
                         + f", got {runtime!r}")
    return runtime


def native_bfloat16() -> bool:
    """True on CPUs with bfloat16 arithmetic (AVX512-BF16 or AMX), read from /proc/cpuinfo without torch."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return False


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
    return choose_runtime_from(quality, onnx_available(), native_bfloat16(), sentences)


def choose_runtime_from(quality: dict, have_onnx: bool, have_bf16: bool, sentences: int | None = None) -> str:
    """Pure part of :func:`choose_runtime`: the first runtime of :data:`SPEED_ORDER` that is available and
    passes the quality bound. ``sentences``: how many the caller expects to process, when it knows (the
    command line does); a job of at most :data:`SMALL_JOB_SENTENCES` tries the ONNX runtimes first, since
    their load time is what such a job mostly costs.

    >>> q = {"torch-float32": {s: {"trigger_classification": .8, "argument_classification": .7}
    ...                        for s in QUALITY_SPLITS}}
    >>> q["onnx-int8"] = {s: {"trigger_classification": .795, "argument_classification": .695} for s in QUALITY_SPLITS}
    >>> choose_runtime_from(q, have_onnx=True, have_bf16=False), choose_runtime_from(q, False, False)
    ('onnx-int8', 'torch-float32')
    >>> q["torch-bfloat16"] = q["torch-float32"]
    >>> choose_runtime_from(q, True, True), choose_runtime_from(q, True, True, sentences=20)
    ('torch-bfloat16', 'onnx-int8')
    """
    order = SPEED_ORDER
    if sentences is not None and sentences <= SMALL_JOB_SENTENCES:
        order = tuple(r for r in SPEED_ORDER if r.startswith("onnx")) + tuple(r for r in SPEED_ORDER if not r.startswith("onnx"))
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


def _layer_norm(x, w, b, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _softmax(x, axis=-1):
    x = x - x.max(axis, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis, keepdims=True)


class ArgumentLayer:
    """:meth:`eventx.modeling.EventModel.argument_logits` in numpy float32 (inference only, no dropout)."""

    def __init__(self, sd: dict, heads: int):
        linear = {k for k, v in sd.items() if v.ndim == 2 and not k.endswith("embedding.weight")}
        self.w = {k: v.astype(np.float32) for k, v in sd.items() if k not in linear}
        # linear weights stored [in, out]: one contiguous GEMM per layer instead of a strided one
        self.wt = {k: np.ascontiguousarray(sd[k].astype(np.float32).T) for k in linear}
        self.heads = heads

    def _linear(self, x, name: str, bias: str | None = None):
        """``x @ W.T (+ b)`` with ``x`` flattened to 2-D, so numpy makes one BLAS call."""
        y = (x.reshape(-1, x.shape[-1]) @ self.wt[name]).reshape(*x.shape[:-1], -1)
        return y if bias is None else y + self.w[bias]

    @classmethod
    def from_file(cls, weights: Path, hidden: int) -> "ArgumentLayer":
        from safetensors import safe_open

        skip = ("encoder.", "trigger_head.")
        with safe_open(str(weights), framework="np") as f:
            sd = {k: f.get_tensor(k) for k in f.keys() if not k.startswith(skip)}
        return cls(sd, max(1, hidden // 64) if hidden % 64 == 0 else 4)  # as EventModel.__init__

    def __call__(self, hidden, mask, sent_idx, tmask, types):
        w = self.w
        h = hidden[sent_idx]  # [E, L, H]
        m = mask[sent_idx].astype(bool)
        tm = tmask.astype(np.float32)
        n_tok = np.maximum(tm.sum(1, keepdims=True), 1.0)
        trig_vec = (h * tm[:, :, None]).sum(1) / n_tok
        L = h.shape[1]
        pos = np.arange(L)[None, :]
        tb = tmask.astype(bool)
        first = np.where(tb, pos, L).min(1)[:, None]
        last = np.where(tb, pos, -1).max(1)[:, None]
        dist = np.where(pos < first, pos - first, np.maximum(pos - last, 0))
        dist = np.clip(dist, -MAX_DISTANCE, MAX_DISTANCE) + MAX_DISTANCE
        x = (h + self._linear(trig_vec, "trigger_proj.weight", "trigger_proj.bias")[:, None]
             + w["type_embedding.weight"][types][:, None] + w["distance_embedding.weight"][dist]
             + w["marker_embedding.weight"][tmask.astype(np.int64)])
        x = self._encoder_layer(x, m)
        role = self._linear(x, "role_head.weight", "role_head.bias")
        trig_out = (x * tm[:, :, None]).sum(1) / n_tok
        status = self._linear(np.concatenate([trig_out, trig_vec], -1), "status_head.weight", "status_head.bias")
        return role, status

    def _encoder_layer(self, x, m):
        """torch.nn.TransformerEncoderLayer, post-norm, ReLU, key padding mask ``~m``."""
        w, p = self.w, "argument_layer."
        E, L, H = x.shape
        nh = self.heads
        hd = H // nh
        qkv = self._linear(x, p + "self_attn.in_proj_weight", p + "self_attn.in_proj_bias")
        q, k, v = (qkv[..., i * H:(i + 1) * H].reshape(E, L, nh, hd).transpose(0, 2, 1, 3) for i in range(3))
        # a float32 scale: numpy's float64 np.sqrt(hd) would promote the rest of the layer (2x slower)
        scores = q @ k.transpose(0, 1, 3, 2) * np.float32(1.0 / np.sqrt(hd))
        scores = np.where(m[:, None, None, :], scores, -np.inf)
        ctx = (_softmax(scores) @ v).transpose(0, 2, 1, 3).reshape(E, L, H)
        att = self._linear(ctx, p + "self_attn.out_proj.weight", p + "self_attn.out_proj.bias")
        x = _layer_norm(x + att, w[p + "norm1.weight"], w[p + "norm1.bias"])
        ff = self._linear(np.maximum(self._linear(x, p + "linear1.weight", p + "linear1.bias"), 0), p + "linear2.weight")
        return _layer_norm(x + ff + w[p + "linear2.bias"], w[p + "norm2.weight"], w[p + "norm2.bias"])


class OnnxBackend:
    """The encoder and trigger head in ONNX Runtime, the argument layer in numpy; torch is never imported."""

    def __init__(self, model_dir: str | Path, runtime: str, hidden: int, threads: int | None = None):
        from .onnxexport import cached_graph, require

        ort = require("onnxruntime")
        model_dir = Path(model_dir)
        graph = cached_graph(model_dir, runtime)
        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            so.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(graph), so, providers=["CPUExecutionProvider"])
        self.args = ArgumentLayer.from_file(model_dir / "model.safetensors", hidden)
        self.graph = graph

    def encode(self, ids: np.ndarray, mask: np.ndarray):
        logits, hidden = self.session.run(["trigger_logits", "hidden"], {"input_ids": ids, "attention_mask": mask})
        return logits, (hidden, mask)

    def arguments(self, state, sent_idx, tmask, types):
        hidden, mask = state
        return self.args(hidden, mask, sent_idx, tmask, types)


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
