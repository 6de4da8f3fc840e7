"""The encoder as an ONNX graph, built from ``model.safetensors`` with numpy (no torch), optionally int8.

The graph takes ``input_ids`` and ``attention_mask`` (int64 ``[B, L]``) and returns ``trigger_logits``
``[B, L, T]`` and ``hidden`` ``[B, L, H]``, as :meth:`eventx.modeling.EventModel.forward` does. It is a
BERT encoder written with ONNX operators (opset 17) and onnxruntime's fused CPU kernels (``Attention``,
``SkipLayerNormalization``, ``BiasGelu`` of the ``com.microsoft`` domain), so it runs on onnxruntime only.

``onnx-int8`` then quantises the weights of the encoder's linear layers (the ``Attention`` and ``MatMul``
nodes inside the transformer layers) to int8 per output channel, with activations quantised per batch at run time
(onnxruntime's dynamic quantisation). Embeddings, layer norms and the trigger head stay float32, as does
the one linear map whose input quantises worst on a few calibration sentences (:func:`outlier_matmuls`).

Both runtimes run the argument layer (roles and status of each trigger candidate) as a second, float32
graph (:func:`build_argument_graph`), stored beside the encoder's (:func:`argument_graph`).

Exported files are derived data: they live in a cache (see :func:`cached_graph`) keyed by the SHA-256 of
the weights, so the repository needs no second binary and retrained weights are never paired with a stale
graph. Needs ``onnxruntime`` and ``onnx`` (dependencies of eventx).

>>> build_graph("models/eventx-e5-small", "/tmp/encoder.onnx")   # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

EXPORT_VERSION = 5  # bump when the graph changes: every cached file is rebuilt
ONNX_RUNTIMES = ("onnx-float32", "onnx-int8")
EXTRA_HINT = "pip install onnxruntime onnx (dependencies of eventx, missing here)"


def require(module: str):
    """Import onnxruntime or onnx, with a message saying what to install when one is missing (a trimmed install)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"the ONNX runtimes need the '{module.split('.')[0]}' package: {EXTRA_HINT}") from None


def weights_sha256(weights: Path) -> str:
    h = hashlib.sha256()
    with open(weights, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


WORD_EMBEDDINGS = "encoder.embeddings.word_embeddings.weight"


def _read_weights(weights: Path) -> dict:
    """Encoder and trigger-head tensors in float32, except the word embeddings, which keep a float16 file's
    dtype: the graph gathers rows in float16 and casts them (exactly) to float32, so the table, most of the
    weights, costs half the file size, load time and memory."""
    from safetensors.numpy import load_file

    return {k: v if k == WORD_EMBEDDINGS and v.dtype == np.float16 else v.astype(np.float32)
            for k, v in load_file(str(weights)).items() if k.startswith(("encoder.", "trigger_head."))}


class _Graph:
    """Nodes and initialisers of one graph being written (standard and ``com.microsoft`` operators)."""

    def __init__(self, sd: dict):
        self.sd, self.inits, self.nodes = sd, [], []

    def const(self, name: str, value=None) -> str:
        from onnx import numpy_helper

        self.inits.append(numpy_helper.from_array(np.asarray(self.sd[name] if value is None else value), name))
        return name

    def node(self, op: str, inputs: list, name: str, domain: str = "", **attrs) -> str:
        from onnx import helper

        self.nodes.append(helper.make_node(op, inputs, [name], name=name, domain=domain, **attrs))
        return name

    def ms(self, op: str, inputs: list, name: str, **attrs) -> str:
        return self.node(op, inputs, name, domain="com.microsoft", **attrs)

    def linear(self, x: str, prefix: str, name: str) -> str:
        """``x @ W.T`` as a MatMul named ``name/MatMul`` (the bias is added by whoever reads it)."""
        w = self.const(prefix + ".weight", np.ascontiguousarray(self.sd[prefix + ".weight"].T))
        return self.node("MatMul", [x, w], name + "/MatMul")

    def attention(self, x: str, qkv_w, qkv_b, prefix: str, mask32: str, heads: int, name: str) -> str:
        return self.ms("Attention", [x, self.const(prefix + "qkv.weight", np.ascontiguousarray(qkv_w)),
                                     self.const(prefix + "qkv.bias", qkv_b), mask32], name, num_heads=heads)

    def skip_ln(self, y: str, skip: str, bias: str, norm: str, name: str, eps: float) -> str:
        """``LayerNorm(y + bias + skip)`` in one fused node."""
        return self.ms("SkipLayerNormalization", [y, skip, self.const(norm + ".weight"), self.const(norm + ".bias"),
                                                  self.const(bias)], name, epsilon=eps)

    def save(self, name: str, inputs: list, outputs: list, out: Path) -> Path:
        onnx = require("onnx")
        from onnx import helper

        graph = helper.make_graph(self.nodes, name, inputs, outputs, self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
                                  producer_name="eventx")
        model.ir_version = 8  # readable by every onnxruntime >= 1.14
        onnx.checker.check_model(model)
        out.parent.mkdir(parents=True, exist_ok=True)
        onnx.save(model, str(out))
        return out


def _config(model_dir: Path) -> dict:
    return json.loads((model_dir / "config.json").read_text("utf-8"))


def build_graph(model_dir: str | Path, out: str | Path) -> Path:
    """Write the float32 encoder + trigger head of the model at ``model_dir`` as an ONNX file ``out``."""
    require("onnx")
    from onnx import TensorProto, helper

    model_dir, out = Path(model_dir), Path(out)
    enc = _config(model_dir)["encoder"]
    if enc.get("model_type") not in ("bert", "xlm-roberta", "roberta") or enc.get("hidden_act", "gelu") != "gelu":
        raise ValueError(f"{model_dir}: the ONNX export handles BERT-style encoders with GELU, "
                         f"not {enc.get('model_type')!r}/{enc.get('hidden_act')!r}; use a torch runtime")
    if enc.get("model_type") != "bert":
        # RoBERTa-style encoders number positions from padding_idx + 1; only BERT's 0.. is written here
        raise ValueError(f"{model_dir}: the ONNX export handles model_type 'bert' only; use a torch runtime")
    sd = _read_weights(model_dir / "model.safetensors")
    h, nh, n_layers = enc["hidden_size"], enc["num_attention_heads"], enc["num_hidden_layers"]
    eps = float(enc.get("layer_norm_eps", 1e-12))
    g = _Graph(sd)
    node, const = g.node, g.const

    e = "encoder.embeddings."
    words = node("Gather", [const(WORD_EMBEDDINGS), "input_ids"], "emb/words")
    if sd[WORD_EMBEDDINGS].dtype == np.float16:
        words = node("Cast", [words], "emb/words/float32", to=TensorProto.FLOAT)
    length = node("Gather", [node("Shape", ["input_ids"], "emb/shape"), const("one", np.array(1, np.int64))], "emb/length")
    positions = node("Range", [const("zero", np.array(0, np.int64)), length, "one"], "emb/positions")
    pos = node("Gather", [const(e + "position_embeddings.weight"), positions], "emb/pos")
    summed = node("Add", [node("Add", [words, pos], "emb/add1"),
                          const("token_type_0", sd[e + "token_type_embeddings.weight"][0])], "emb/add2")
    x = node("LayerNormalization", [summed, const(e + "LayerNorm.weight"), const(e + "LayerNorm.bias")], "emb/ln",
             axis=-1, epsilon=eps)
    # onnxruntime's fused CPU kernels (domain com.microsoft): one Attention node per layer (q, k, v in one
    # [H, 3H] weight; the raw 0/1 mask), residual + bias + layer norm in one SkipLayerNormalization and
    # bias + exact (erf) GELU in one BiasGelu: a third of the nodes of the plain-operator graph, and on short
    # sentences node overhead is much of the time. The linear maps stay MatMul nodes (bias added by the
    # fused node after them) so that dynamic quantisation finds them.
    mask32 = node("Cast", ["attention_mask"], "mask/int32", to=TensorProto.INT32)
    for i in range(n_layers):
        p, n = f"encoder.encoder.layer.{i}.", f"l{i}/"
        a = p + "attention.self."
        qkv_w = np.concatenate([sd[a + r + ".weight"].T for r in ("query", "key", "value")], axis=1)
        qkv_b = np.concatenate([sd[a + r + ".bias"] for r in ("query", "key", "value")])
        ctx = g.attention(x, qkv_w, qkv_b, a, mask32, nh, n + "attention")
        att = g.linear(ctx, p + "attention.output.dense", n + "ao")
        x = g.skip_ln(att, x, p + "attention.output.dense.bias", p + "attention.output.LayerNorm", n + "ln1", eps)
        fi = g.linear(x, p + "intermediate.dense", n + "fi")
        gelu = g.ms("BiasGelu", [fi, const(p + "intermediate.dense.bias")], n + "gelu")
        fo = g.linear(gelu, p + "output.dense", n + "fo")
        x = g.skip_ln(fo, x, p + "output.dense.bias", p + "output.LayerNorm", n + "ln2", eps)
    node("Identity", [x], "hidden")
    node("Add", [g.linear("hidden", "trigger_head", "head"), const("trigger_head.bias")], "trigger_logits")
    n_labels = sd["trigger_head.bias"].shape[0]
    return g.save("eventx-encoder",
                  [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
                   helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "length"])],
                  [helper.make_tensor_value_info("trigger_logits", TensorProto.FLOAT, ["batch", "length", n_labels]),
                   helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "length", h])], out)


def build_argument_graph(model_dir: str | Path, out: str | Path) -> Path:
    """Write :meth:`eventx.modeling.EventModel.argument_logits` (inference: no dropout) in float32 as an
    ONNX file: inputs ``hidden`` ``[B, L, H]``, ``attention_mask`` ``[B, L]`` and, per event,
    ``sentence_index`` ``[E]``, ``trigger_mask`` ``[E, L]`` (0/1) and ``event_type`` ``[E]``; outputs
    ``role_logits`` ``[E, L, R]`` and ``status_logits`` ``[E, S]``.

    The same layer in numpy ran on numpy's BLAS, half as fast as onnxruntime's on these shapes, and
    took a fifth of ``onnx-int8``'s time; it stays float32 in both ONNX runtimes.
    """
    require("onnx")
    from onnx import TensorProto, helper
    from safetensors import safe_open

    from .modelconfig import MAX_DISTANCE, argument_heads

    model_dir, out = Path(model_dir), Path(out)
    h = _config(model_dir)["encoder"]["hidden_size"]
    heads = argument_heads(h)
    with safe_open(str(model_dir / "model.safetensors"), framework="np") as f:  # the encoder's tensors stay on disk
        sd = {k: f.get_tensor(k).astype(np.float32) for k in f.keys() if not k.startswith(("encoder.", "trigger_head."))}
    g = _Graph(sd)
    node, const = g.node, g.const

    def i64(name: str, value) -> str:
        return const(name, np.array(value, np.int64))

    x = node("Gather", ["hidden", "sentence_index"], "h", axis=0)  # [E, L, H]
    mask32 = node("Cast", [node("Gather", ["attention_mask", "sentence_index"], "m", axis=0)], "m/int32",
                  to=TensorProto.INT32)
    tm = node("Cast", ["trigger_mask"], "tm", to=TensorProto.FLOAT)
    tm_row = node("Unsqueeze", [tm, i64("axis1", [1])], "tm/row")  # [E, 1, L]: a mean over trigger tokens is a MatMul
    n_tok = node("Max", [node("ReduceSum", [tm_row, i64("axis2", [2])], "tm/n", keepdims=1),
                         const("one_f", np.ones((1, 1, 1), np.float32))], "tm/n1")  # [E, 1, 1]
    trig_vec = node("Div", [node("MatMul", [tm_row, x], "trig/sum"), n_tok], "trig_vec")  # [E, 1, H]
    length = node("Gather", [node("Shape", ["trigger_mask"], "shape"), i64("one", 1)], "length")
    pos = node("Unsqueeze", [node("Range", [i64("zero", 0), length, "one"], "pos/range"), i64("axis0", [0])], "pos")
    tb = node("Cast", ["trigger_mask"], "tb", to=TensorProto.BOOL)
    # opset 17's ReduceMin/ReduceMax take their axes as an attribute (ReduceSum's are an input)
    first = node("ReduceMin", [node("Where", [tb, pos, length], "first/w")], "first", axes=[1], keepdims=1)
    last = node("ReduceMax", [node("Where", [tb, pos, i64("minus1", -1)], "last/w")], "last", axes=[1], keepdims=1)
    after = node("Max", [node("Sub", [pos, last], "after/sub"), "zero"], "after")
    dist = node("Where", [node("Less", [pos, first], "before"), node("Sub", [pos, first], "before/sub"), after], "dist")
    dist = node("Add", [node("Clip", [dist, i64("dmin", -MAX_DISTANCE), i64("dmax", MAX_DISTANCE)], "dist/clip"),
                        "dmax"], "dist/index")
    proj = node("Add", [g.linear(trig_vec, "trigger_proj", "proj"), const("trigger_proj.bias")], "proj/add")
    typ = node("Unsqueeze", [node("Gather", [const("type_embedding.weight"), "event_type"], "type"), "axis1"], "type/row")
    for name, term in (("proj", proj), ("type", typ),
                       ("dist", node("Gather", [const("distance_embedding.weight"), dist], "dist/emb")),
                       ("marker", node("Gather", [const("marker_embedding.weight"), "trigger_mask"], "marker/emb"))):
        x = node("Add", [x, term], f"x/{name}")
    # torch.nn.TransformerEncoderLayer: post-norm, ReLU, layer norm eps 1e-5
    p = "argument_layer."
    ctx = g.attention(x, sd[p + "self_attn.in_proj_weight"].T, sd[p + "self_attn.in_proj_bias"], p + "self_attn.",
                      mask32, heads, "attention")
    att = g.linear(ctx, p + "self_attn.out_proj", "ao")
    x = g.skip_ln(att, x, p + "self_attn.out_proj.bias", p + "norm1", "ln1", 1e-5)
    ff = node("Relu", [node("Add", [g.linear(x, p + "linear1", "ff1"), const(p + "linear1.bias")], "ff1/add")], "relu")
    x = g.skip_ln(g.linear(ff, p + "linear2", "ff2"), x, p + "linear2.bias", p + "norm2", "ln2", 1e-5)
    node("Add", [g.linear(x, "role_head", "role"), const("role_head.bias")], "role_logits")
    trig_out = node("Div", [node("MatMul", [tm_row, x], "out/sum"), n_tok], "trig_out")
    both = node("Squeeze", [node("Concat", [trig_out, trig_vec], "both3", axis=-1), "axis1"], "both")
    node("Add", [g.linear(both, "status_head", "status"), const("status_head.bias")], "status_logits")
    f, i = TensorProto.FLOAT, TensorProto.INT64
    return g.save("eventx-arguments",
                  [helper.make_tensor_value_info("hidden", f, ["batch", "length", h]),
                   helper.make_tensor_value_info("attention_mask", i, ["batch", "length"]),
                   helper.make_tensor_value_info("sentence_index", i, ["events"]),
                   helper.make_tensor_value_info("trigger_mask", i, ["events", "length"]),
                   helper.make_tensor_value_info("event_type", i, ["events"])],
                  [helper.make_tensor_value_info("role_logits", f, ["events", "length", len(sd["role_head.bias"])]),
                   helper.make_tensor_value_info("status_logits", f, ["events", len(sd["status_head.bias"])])], out)


CALIBRATION_TEXT = Path(__file__).parent / "samples" / "calibration.txt"
KEEP_FLOAT = 1  # how many of the worst-quantising MatMuls stay float32 (see :func:`outlier_matmuls`)


def _rms(x) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def input_quantisation_error(x: np.ndarray) -> float:
    """Relative RMS error of ``x`` after the uint8 per-tensor quantisation that dynamic quantisation
    applies to a MatMul's input at run time (its range always includes 0).

    >>> input_quantisation_error(np.array([0.0, 1.0, 2.0, 255.0])) == 0.0
    True
    >>> input_quantisation_error(np.array([0.1, 0.2, 0.3, 100.0])) > input_quantisation_error(np.array([0.1, 0.2, 0.3]))
    True
    """
    lo, hi = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
    if hi == lo:
        return 0.0
    scale = (hi - lo) / 255
    zero = np.round(-lo / scale)
    q = (np.clip(np.round(x / scale) + zero, 0, 255) - zero) * scale
    return _rms(x - q) / max(_rms(x), 1e-12)


def _quantisable(model) -> list:
    """The transformer layers' linear maps: the fused Attention nodes (whose q, k, v weights become
    QAttention) and the dense MatMuls; the trigger head is not among them."""
    return [n for n in model.graph.node if n.name.startswith("l") and (
        n.op_type == "Attention" or (n.op_type == "MatMul" and n.name.split("/")[1] in ("ao", "fi", "fo")))]


def outlier_matmuls(graph: str | Path, model_dir: str | Path, keep: int = KEEP_FLOAT,
                    text: Path = CALIBRATION_TEXT) -> tuple:
    """The ``keep`` quantisable nodes of the float32 ``graph`` whose inputs quantise worst on the
    calibration sentences (one per line, in the three languages).

    Dynamic quantisation gives a whole activation tensor one uint8 range, so a tensor with a few huge
    values loses the resolution of all the others. In the shipped model one such tensor (the GELU output
    that a middle layer's feed-forward output map reads) stands out; keeping that one map in float32 cut
    the int8 graph's squared error on the encoder's top states by a third (README, "Runtimes"), while
    1/36 of the encoder's multiply-adds leave int8.
    """
    import onnx
    ort = require("onnxruntime")
    from .runtime import LightTokenizer, pad_rows

    model = onnx.load(str(graph))
    inputs = {n.name: n.input[0] for n in _quantisable(model)}
    if keep <= 0 or not inputs:
        return ()
    tensors = sorted(set(inputs.values()))
    for t in tensors:
        model.graph.output.append(onnx.helper.make_tensor_value_info(t, onnx.TensorProto.FLOAT, None))
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    tok = LightTokenizer.from_dir(Path(model_dir))
    lines = [ln for ln in Path(text).read_text("utf-8").splitlines() if ln.strip()]
    errors = {name: [] for name in inputs}
    for i in range(0, len(lines), 16):
        batch, mask = pad_rows(tok(lines[i:i + 16], truncation=True, max_length=128)["input_ids"], tok.pad_token_id)
        got = dict(zip(tensors, session.run(tensors, {"input_ids": batch, "attention_mask": mask})))
        for name, t in inputs.items():
            errors[name].append(input_quantisation_error(got[t][mask.astype(bool)]))
    ranked = sorted(inputs, key=lambda n: -float(np.mean(errors[n])))
    return tuple(ranked[:keep])


def quantize_graph(src: str | Path, out: str | Path, keep_float: tuple = ()) -> Path:
    """Int8 weights (per output channel) for the encoder layers' MatMuls of the float32 graph at ``src``,
    except the nodes named in ``keep_float`` (for example ``"l11/fo/MatMul"``)."""
    require("onnx")
    q = require("onnxruntime.quantization")

    import onnx

    model = onnx.load(str(src))
    targets = [n.name for n in _quantisable(model) if n.name not in keep_float]
    others = [n.name for n in model.graph.node if n.op_type in ("MatMul", "Attention") and n.name not in targets]
    import logging

    # the quantiser logs advice about image-model pre-processing on the root logger: not the user's concern
    root, level = logging.getLogger(), logging.getLogger().level
    root.setLevel(logging.ERROR)
    try:
        q.quantize_dynamic(str(src), str(out), per_channel=True, weight_type=q.QuantType.QInt8,
                           op_types_to_quantize=["MatMul", "Attention"], nodes_to_exclude=others,
                           extra_options={"MatMulConstBOnly": True,
                                          # shape inference cannot type the outputs of com.microsoft nodes
                                          "DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        root.setLevel(level)
    return Path(out)


def argument_graph(graph: str | Path) -> Path:
    """The argument layer's graph that belongs to the encoder ``graph`` (same cache entry).

    >>> argument_graph("cache/onnx-int8-0123abcd.onnx").name
    'onnx-int8-0123abcd.arguments.onnx'
    """
    graph = Path(graph)
    return graph.with_name(graph.stem + ".arguments.onnx")


def _cache_dirs(model_dir: Path) -> list[Path]:
    """Where a derived graph may live: beside the weights (ignored by git), else the user cache."""
    from .encoder import cache_dir

    return [model_dir / ".eventx-runtimes", cache_dir() / "runtimes"]


def cached_graph(model_dir: str | Path, runtime: str, build: bool = True, quiet: bool = False) -> Path:
    """The ONNX file for ``runtime`` derived from ``model_dir``'s weights, built (and cached) when absent.

    A cached file is used only when the SHA-256 recorded beside it matches the current
    ``model.safetensors`` (size and modification time are checked first, so the hash is computed only
    when the weights file changed or was copied); otherwise it is rebuilt.
    """
    if runtime not in ONNX_RUNTIMES:
        raise ValueError(f"runtime must be one of {', '.join(ONNX_RUNTIMES)} for an ONNX graph, got {runtime!r}")
    model_dir = Path(model_dir)
    weights = model_dir / "model.safetensors"
    st = weights.stat()
    digest = None
    for d in _cache_dirs(model_dir):
        for info_file in sorted(d.glob(f"{runtime}-*.json")) if d.is_dir() else []:
            try:
                info = json.loads(info_file.read_text("utf-8"))
            except (OSError, ValueError):
                continue
            graph = info_file.with_suffix(".onnx")
            if info.get("export_version") != EXPORT_VERSION or not (graph.is_file() and argument_graph(graph).is_file()):
                continue
            if (info.get("weights_size"), info.get("weights_mtime_ns"), info.get("weights_path")) == (
                    st.st_size, st.st_mtime_ns, str(weights.resolve())):
                return graph
            digest = digest or weights_sha256(weights)
            if info.get("weights_sha256") == digest:
                return graph
    if not build:
        raise FileNotFoundError(f"{model_dir}: no {runtime} graph for these weights; build it with "
                                f"'eventx export --runtime {runtime} {model_dir}'")
    return export(model_dir, runtime, digest=digest, quiet=quiet)


def export(model_dir: str | Path, runtime: str, digest: str | None = None, quiet: bool = False) -> Path:
    """Build the ``runtime`` graph for ``model_dir`` into the first writable cache directory."""
    model_dir = Path(model_dir)
    weights = model_dir / "model.safetensors"
    digest = digest or weights_sha256(weights)
    st = weights.stat()
    if not quiet:
        print(f"eventx: building the {runtime} encoder for {model_dir} (once per weights file)", file=sys.stderr)
    last_error = None
    for d in _cache_dirs(model_dir):
        try:
            d.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=d) as tmp:
                f32 = build_graph(model_dir, Path(tmp) / "float32.onnx")
                built, kept = f32, ()
                if runtime == "onnx-int8":
                    kept = outlier_matmuls(f32, model_dir)
                    built = quantize_graph(f32, Path(tmp) / "int8.onnx", kept)
                stem = d / f"{runtime}-{digest[:16]}"
                for old in d.glob(f"{runtime}-*"):  # graphs of earlier weights are stale
                    old.unlink()
                os.replace(built, stem.with_suffix(".onnx"))
                os.replace(build_argument_graph(model_dir, Path(tmp) / "arguments.onnx"), argument_graph(stem.with_suffix(".onnx")))
                info = {"runtime": runtime, "export_version": EXPORT_VERSION, "weights_sha256": digest,
                        "weights_size": st.st_size, "weights_mtime_ns": st.st_mtime_ns,
                        "weights_path": str(weights.resolve()), "float32_nodes": list(kept),
                        "onnxruntime": require("onnxruntime").__version__}
                tmp_info = Path(tmp) / "info.json"
                tmp_info.write_text(json.dumps(info, indent=1), "utf-8")
                os.replace(tmp_info, stem.with_suffix(".json"))  # written last: it marks the graph complete
            return stem.with_suffix(".onnx")
        except PermissionError as e:  # a read-only model directory (an installed wheel): try the user cache
            last_error = e
    raise OSError(f"cannot write the {runtime} graph for {model_dir}: {last_error}")
