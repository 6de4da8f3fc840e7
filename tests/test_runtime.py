"""Runtimes (eventx.runtime, eventx.onnxexport) on a tiny random model: same scores as torch float32,
int8 close to it, the derived ONNX graph cached per weights, clear errors for bad names."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from eventx.extraction import EventExtractor
from eventx.runtime import (QUALITY_SPLITS, SMALL_JOB_SENTENCES, LightTokenizer, check_runtime, choose_runtime,
                            choose_runtime_from, read_quality, record_quality)
from tiny import CORPUS, tiny_model

TEXT = " ".join(CORPUS)


def _save(tmp_path, seed=0, name="m"):
    model, tok = tiny_model(max_length=32, seed=seed)
    return model.save_pretrained(tmp_path / name, tokenizer=tok), model, tok


@pytest.fixture
def saved(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTX_CACHE", str(tmp_path / "cache"))
    return _save(tmp_path)


def _batch(tok, texts):
    enc = tok(texts, padding=True, return_tensors="np")
    return enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64)


def test_bad_runtime_names_are_refused_clearly(saved):
    path, _, _ = saved
    for bad in ("int8", "onnx", "", None):
        with pytest.raises(ValueError, match="runtime must be one of 'auto', 'torch-float32'"):
            EventExtractor.from_pretrained(path, runtime=bad)
    with pytest.raises(ValueError, match="CPU only"):
        EventExtractor.from_pretrained(path, runtime="onnx-int8", device="cuda")
    assert check_runtime("auto") == "auto"


def test_onnx_argument_graph_matches_torch(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from eventx.onnxexport import build_argument_graph

    model, tok = tiny_model(seed=1)
    model.save_pretrained(tmp_path, tokenizer=tok)
    session = ort.InferenceSession(str(build_argument_graph(tmp_path, tmp_path / "arguments.onnx")),
                                   providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    hidden = rng.normal(size=(3, 80, 32)).astype(np.float32)  # longer than 2 * MAX_DISTANCE: distances clip
    mask = np.ones((3, 80), np.int64)
    mask[1, 70:] = 0
    tmask = np.zeros((4, 80), np.int64)
    tmask[0, 2] = tmask[1, 3:5] = tmask[2, 0] = tmask[3, 76] = 1
    sent, types = np.array([0, 1, 1, 2]), np.array([0, 3, 1, 2])
    with torch.inference_mode():
        ref_role, ref_status = model.argument_logits(torch.from_numpy(hidden), torch.from_numpy(mask),
                                                     torch.from_numpy(sent), torch.from_numpy(tmask),
                                                     torch.from_numpy(types))
    role, status = session.run(["role_logits", "status_logits"], {
        "hidden": hidden, "attention_mask": mask, "sentence_index": sent, "trigger_mask": tmask, "event_type": types})
    m = mask[sent].astype(bool)  # padding positions are never decoded
    np.testing.assert_allclose(role[m], ref_role.numpy()[m], atol=1e-4)
    np.testing.assert_allclose(status, ref_status.numpy(), atol=1e-4)


def test_light_tokenizer_matches_transformers(saved):
    path, _, tok = saved
    light = LightTokenizer.from_dir(path)
    texts = CORPUS + ["", "  spaced\tout  ", "ẞ unknown ☃ chars"]
    ours = light(texts, add_special_tokens=False, return_offsets_mapping=True)
    ref = tok(texts, add_special_tokens=False, return_offsets_mapping=True)
    assert ours["input_ids"] == ref["input_ids"]
    assert [list(map(tuple, o)) for o in ours["offset_mapping"]] == [list(map(tuple, o)) for o in ref["offset_mapping"]]
    assert light(CORPUS, truncation=True, max_length=8)["input_ids"] == tok(CORPUS, truncation=True, max_length=8)["input_ids"]
    assert (light.cls_token_id, light.sep_token_id, light.pad_token_id, len(light)) == (
        tok.cls_token_id, tok.sep_token_id, tok.pad_token_id, len(tok))


def test_onnx_runtimes_agree_with_torch_float32(saved):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    path, _, tok = saved
    ref = EventExtractor.from_pretrained(path, runtime="torch-float32")
    ids, mask = _batch(tok, CORPUS)
    with torch.inference_mode():
        ref_logits, _ = ref.backend.encode(ids, mask)
    m = mask.astype(bool)
    for runtime in ("onnx-float32", "onnx-int8"):
        ex = EventExtractor.from_pretrained(path, runtime=runtime)
        assert ex.runtime == runtime and ex.backend.graph.is_file()
        logits, _ = ex.backend.encode(ids, mask)
        agree = (logits.argmax(-1) == ref_logits.argmax(-1))[m].mean()
        if runtime == "onnx-float32":
            np.testing.assert_allclose(logits[m], ref_logits[m], atol=1e-4)
            # end to end: the same events with the same scores
            got, want = ex.raw_scores([TEXT]), ref.raw_scores([TEXT])
            assert [(e["type"], e["trigger"], e["arguments"] and [a[:3] for a in e["arguments"]]) for e in got[0]] == \
                   [(e["type"], e["trigger"], e["arguments"] and [a[:3] for a in e["arguments"]]) for e in want[0]]
            assert np.allclose([e["score"] for e in got[0]], [e["score"] for e in want[0]], atol=1e-4)
        else:
            # documented tolerance: int8 weights and activations move a random tiny model's logits a little;
            # the token labels it picks agree with float32 on at least 90% of tokens
            assert agree >= 0.9, agree
            assert np.abs(logits[m] - ref_logits[m]).max() < 0.5
        for ev in ex.extract(TEXT, min_score=0.0):  # valid spans into the text
            assert 0 <= ev.trigger.start < ev.trigger.end <= len(TEXT)
            assert TEXT[ev.trigger.start:ev.trigger.end] == ev.trigger.text
            assert ev.type in ref.labels.types
            for arg in ev.arguments:
                assert TEXT[arg.start:arg.end] == arg.text


def test_float16_weights_keep_float16_word_embeddings_in_the_graph(tmp_path, monkeypatch):
    """A float16 weights file (as shipped) gives a graph whose embedding table stays float16, gathered and
    cast to float32: the same logits as torch float32 on those weights, in half the table's bytes."""
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    from eventx.onnxexport import WORD_EMBEDDINGS, build_graph

    monkeypatch.setenv("EVENTX_CACHE", str(tmp_path / "cache"))
    model, tok = tiny_model(max_length=32, seed=3)
    path16 = model.save_pretrained(tmp_path / "m16", dtype=torch.float16, tokenizer=tok)
    path32 = model.save_pretrained(tmp_path / "m32", tokenizer=tok)
    tables = {}
    for name, p in (("16", path16), ("32", path32)):
        g = onnx.load(str(build_graph(p, tmp_path / f"g{name}.onnx")))
        tables[name] = next(t for t in g.graph.initializer if t.name == WORD_EMBEDDINGS)
    assert tables["16"].data_type == onnx.TensorProto.FLOAT16 and tables["32"].data_type == onnx.TensorProto.FLOAT
    ids, mask = _batch(tok, CORPUS)
    ref = EventExtractor.from_pretrained(path16, runtime="torch-float32")
    with torch.inference_mode():
        ref_logits, _ = ref.backend.encode(ids, mask)
    logits, _ = EventExtractor.from_pretrained(path16, runtime="onnx-float32").backend.encode(ids, mask)
    m = mask.astype(bool)
    np.testing.assert_allclose(logits[m], ref_logits[m], atol=1e-4)


def test_int8_graph_keeps_the_worst_quantising_matmul_in_float32(saved, tmp_path):
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    from eventx.onnxexport import build_graph, cached_graph, outlier_matmuls

    path, _, _ = saved
    f32 = build_graph(path, tmp_path / "f32.onnx")
    ranked = outlier_matmuls(f32, path, keep=100)
    assert len(ranked) == 2 * 4 and len(set(ranked)) == 8  # 2 layers: Attention, ao, fi, fo each
    assert outlier_matmuls(f32, path, keep=0) == () and outlier_matmuls(f32, path) == ranked[:1]
    graph = cached_graph(path, "onnx-int8", quiet=True)
    info = json.loads(graph.with_suffix(".json").read_text())
    assert info["float32_nodes"] == list(ranked[:1])
    ops = {n.name: n.op_type for n in onnx.load(str(graph)).graph.node}
    kept = ranked[0]
    assert ops[kept] in ("MatMul", "Attention")  # untouched: float32 weights
    for name in ranked[1:]:  # every other one is quantised (and renamed by the quantiser)
        assert name not in ops and any(k.startswith(name) and v in ("MatMulInteger", "QAttention")
                                       for k, v in ops.items())


def test_onnx_graph_is_cached_and_rebuilt_when_weights_change(tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from eventx.onnxexport import argument_graph, cached_graph

    monkeypatch.setenv("EVENTX_CACHE", str(tmp_path / "cache"))
    path, _, tok = _save(tmp_path, seed=0)
    first = cached_graph(path, "onnx-float32", quiet=True)
    assert first.parent == path / ".eventx-runtimes" and argument_graph(first).is_file()
    stamp = first.stat().st_mtime_ns
    assert cached_graph(path, "onnx-float32", build=False) == first and first.stat().st_mtime_ns == stamp
    # an entry that lost its argument graph is incomplete: it is not used
    saved_args = argument_graph(first).read_bytes()
    argument_graph(first).unlink()
    with pytest.raises(FileNotFoundError, match="eventx export --runtime onnx-float32"):
        cached_graph(path, "onnx-float32", build=False)
    argument_graph(first).write_bytes(saved_args)
    # a copy of the same weights (new mtime) reuses the graph after checking the hash
    os.utime(path / "model.safetensors", ns=(1, 1))
    assert cached_graph(path, "onnx-float32", build=False) == first
    # new weights in the same directory: the old graph is not used, a new one is built
    other, model2, _ = _save(tmp_path, seed=5, name="other")
    os.replace(other / "model.safetensors", path / "model.safetensors")
    with pytest.raises(FileNotFoundError, match="eventx export --runtime onnx-float32"):
        cached_graph(path, "onnx-float32", build=False)
    ex = EventExtractor.from_pretrained(path, runtime="onnx-float32")
    assert ex.backend.graph != first and not first.exists() and not argument_graph(first).exists()
    ids, mask = _batch(tok, CORPUS[:2])
    with torch.inference_mode():
        want = model2(torch.from_numpy(ids), torch.from_numpy(mask)).trigger_logits.numpy()
    got, _ = ex.backend.encode(ids, mask)
    np.testing.assert_allclose(got[mask.astype(bool)], want[mask.astype(bool)], atol=1e-4)


def test_read_only_model_directory_uses_the_user_cache(tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from eventx import onnxexport

    monkeypatch.setenv("EVENTX_CACHE", str(tmp_path / "cache"))
    path, _, _ = _save(tmp_path)
    real = onnxexport._cache_dirs
    blocked = path / ".eventx-runtimes"

    def dirs(model_dir):
        out = real(model_dir)
        return [blocked / "no" / "such"] + out[1:]  # stands in for a directory we may not write

    monkeypatch.setattr(onnxexport, "_cache_dirs", dirs)
    blocked.mkdir()
    blocked.chmod(0o500)
    try:
        if os.access(blocked, os.W_OK):  # root writes anywhere: simulate the refusal instead
            monkeypatch.setattr(onnxexport, "_cache_dirs", lambda d: [tmp_path / "cache" / "runtimes"])
        graph = onnxexport.cached_graph(path, "onnx-float32", quiet=True)
    finally:
        blocked.chmod(0o700)
    assert graph.parent == tmp_path / "cache" / "runtimes"


def test_auto_uses_recorded_quality_of_these_weights_only(saved, tmp_path):
    path, _, _ = saved
    assert read_quality(path) == {}
    assert choose_runtime(path) == "torch-float32"  # nothing recorded: the reference
    good = {s: {"trigger_classification": {"f1": 0.8}, "argument_classification": {"f1": 0.7}} for s in QUALITY_SPLITS}
    worse = {s: {"trigger_classification": {"f1": 0.8}, "argument_classification": {"f1": 0.68}} for s in QUALITY_SPLITS}
    record_quality(path, "torch-float32", good)
    record_quality(path, "onnx-int8", worse)  # argument F1 0.02 lower: fails the bound
    record_quality(path, "onnx-float32", good)
    q = read_quality(path)
    # bfloat16 unrecorded, int8 fails: ONNX float32 (faster than the reference, and as good), else the reference
    assert choose_runtime_from(q, have_onnx=True, have_bf16=True) == "onnx-float32"
    assert choose_runtime_from(q, have_onnx=False, have_bf16=True) == "torch-float32"
    # a small job (one article from the command line) is mostly load time: ONNX loads without torch
    assert choose_runtime_from(q, have_onnx=True, have_bf16=True, sentences=40) == "onnx-float32"
    assert choose_runtime_from(q, have_onnx=False, have_bf16=True, sentences=40) == "torch-float32"
    record_quality(path, "onnx-int8", good)
    record_quality(path, "torch-bfloat16", good)
    q = read_quality(path)
    # without AMX int8 measured fastest, bfloat16 included; with AMX bfloat16 did, except for small jobs
    assert choose_runtime_from(q, have_onnx=True, have_bf16=True) == "onnx-int8"
    assert choose_runtime_from(q, have_onnx=False, have_bf16=True) == "torch-bfloat16"
    assert choose_runtime_from(q, have_onnx=True, have_bf16=True, have_amx=True) == "torch-bfloat16"
    assert choose_runtime_from(q, True, True, sentences=SMALL_JOB_SENTENCES, have_amx=True) == "onnx-int8"
    assert choose_runtime_from(q, True, True, sentences=SMALL_JOB_SENTENCES + 1, have_amx=True) == "torch-bfloat16"
    assert choose_runtime_from(q, have_onnx=True, have_bf16=False) == "onnx-int8"
    assert choose_runtime_from(q, have_onnx=False, have_bf16=False) == "torch-float32"
    # other weights make the record stale: auto falls back to float32
    other, _, _ = _save(tmp_path, seed=9, name="other")
    os.replace(other / "model.safetensors", path / "model.safetensors")
    assert read_quality(path) == {}
    json.loads((path / "runtimes.json").read_text())  # still valid JSON, just not for these weights


def test_onnx_runtime_never_imports_torch(saved):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    path, _, _ = saved
    EventExtractor.from_pretrained(path, runtime="onnx-int8")  # build the graph here, once
    code = ("import sys; from eventx import EventExtractor; "
            f"ex = EventExtractor.from_pretrained({str(path)!r}, runtime='onnx-int8'); "
            f"ex.extract({TEXT!r}, min_score=0.0); "
            "print('torch' in sys.modules, 'transformers' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


def test_cli_extract_of_a_small_file_never_imports_torch(saved, tmp_path):
    """The cold start of ``eventx extract``: building its parser (train's options included) and an ONNX
    runtime chosen by auto for a small job must not import torch, whose import alone takes seconds."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    path, _, _ = saved
    good = {s: {"trigger_classification": {"f1": 0.8}, "argument_classification": {"f1": 0.7}} for s in QUALITY_SPLITS}
    for rt in ("torch-float32", "onnx-int8"):
        record_quality(path, rt, good)
    EventExtractor.from_pretrained(path, runtime="onnx-int8")  # build the graph here, once
    doc = tmp_path / "doc.txt"
    doc.write_text(TEXT, "utf-8")
    code = ("import sys; from eventx.cli import main; "
            f"rc = main(['extract', {str(doc)!r}, '--model', {str(path)!r}, '--format', 'json']); "
            "print(rc, 'torch' in sys.modules, file=sys.stderr)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    env.pop("EVENTX_RUNTIME", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.stderr.split()[-2:] == ["0", "False"], out.stderr
    assert json.loads(out.stdout)["file"] == str(doc)
    (path / "runtimes.json").unlink()  # the other tests start from nothing recorded


def test_missing_onnx_package_says_what_to_install():
    from eventx.onnxexport import require

    with pytest.raises(ImportError, match=r"need the 'onnxruntime_that_does_not_exist' package: pip install onnxruntime onnx"):
        require("onnxruntime_that_does_not_exist")


def test_cli_runtime_option_and_export(saved, tmp_path, capsys):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from eventx.cli import main

    path, _, _ = saved
    assert main(["export", str(path), "--runtime", "onnx-float32"]) == 0
    assert "onnx-float32" in capsys.readouterr().out
    text = tmp_path / "a.txt"
    text.write_text(TEXT, encoding="utf-8")
    outputs = []
    for runtime in ("torch-float32", "onnx-float32"):
        assert main(["extract", str(text), "--model", str(path), "--runtime", runtime, "--format", "json",
                     "--min-score", "0"]) == 0
        outputs.append(_spans(json.loads(capsys.readouterr().out)))
    assert outputs[0] == outputs[1]
    out = tmp_path / "m.json"
    data = os.path.join(os.path.dirname(__file__), "data", "good.jsonl")
    assert main(["evaluate", "--model", str(path), "--data", data, "--runtime", "onnx-int8", "--json", str(out)]) == 0
    assert "trigger_classification" in json.loads(out.read_text())["metrics"]
    with pytest.raises(SystemExit):  # argparse: invalid choice, named
        main(["extract", str(text), "--model", str(path), "--runtime", "int4"])
    assert "invalid choice: 'int4'" in capsys.readouterr().err


def _spans(obj):
    """Everything but the scores (which differ in the last float digits between runtimes)."""
    if isinstance(obj, dict):
        return {k: _spans(v) for k, v in obj.items() if "score" not in k and "prob" not in k and k != "confidence"}
    if isinstance(obj, list):
        return [_spans(v) for v in obj]
    return obj


def test_onnx_runtime_refuses_a_bad_model_directory_clearly(saved):
    pytest.importorskip("onnxruntime")
    from eventx import ModelError

    path, _, _ = saved
    cfg = json.loads((path / "config.json").read_text())
    cfg["labels"]["statuses"] = list(reversed(cfg["labels"]["statuses"]))
    (path / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match="model.safetensors.*labels"):
        EventExtractor.from_pretrained(path, runtime="onnx-float32")
    (path / "model.safetensors").write_bytes(b"\x00" * 10)
    with pytest.raises(ModelError, match="corrupt or truncated"):
        EventExtractor.from_pretrained(path, runtime="onnx-float32")
