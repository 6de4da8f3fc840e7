"""Tiny random encoders and tokenizers for fast tests (no downloads, nothing shipped)."""
from __future__ import annotations

import json
from pathlib import Path

from eventx.labels import LabelSet
from eventx.modeling import EventModel, tiny_encoder_config

CORPUS = [
    "Міністр оборони України зустрівся з японським колегою в Токіо.",
    "Эстония присоединится к инициативе PURL в марте, сообщил министр.",
    "Japan has pledged $4.5 billion in budget support to Ukraine.",
    "Україна і Польща підписали меморандум про співпрацю.",
    "Germany allocated a new aid package of 40 vehicles on Monday.",
]

LABELS = LabelSet.from_schema({"Meeting": ("participant", "place", "time", "topic"),
                               "Agreement": ("party", "subject", "place", "time"),
                               "AidPackage": ("donor", "recipient", "aid", "amount", "time"),
                               "MechanismJoining": ("joiner", "mechanism", "time")},
                              ("happened", "planned", "possible", "negated"))


def tiny_tokenizer():
    """A character-level unigram tokenizer (every character a piece) with XLM-R style specials."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    chars = sorted({c for t in CORPUS for c in t} | set("abcdefghijklmnopqrstuvwxyz0123456789.,!?"))
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("\u2581", -2.0)]
    vocab += [(c, -3.0) for c in chars if c != " "] + [("\u2581" + c, -2.5) for c in chars if c != " "]
    tk = Tokenizer(models.Unigram(vocab, unk_id=3, byte_fallback=False))
    tk.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(r"\s+"), " ")])
    tk.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tk.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    tk.post_processor = processors.TemplateProcessing(single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    return PreTrainedTokenizerFast(tokenizer_object=tk, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
                                   sep_token="</s>", cls_token="<s>", pad_token="<pad>", model_max_length=512)


def tiny_model(max_length: int = 64, seed: int = 0, labels: LabelSet = LABELS):
    import torch

    torch.manual_seed(seed)
    tok = tiny_tokenizer()
    model = EventModel.from_encoder_config(tiny_encoder_config(vocab_size=len(tok)), labels, max_length=max_length)
    return model.eval(), tok


def save_tiny_encoder(path: Path) -> Path:
    """A tiny random BERT + tokenizer directory, usable as ``--init`` for training."""
    import torch
    from transformers import AutoConfig, AutoModel

    torch.manual_seed(0)
    tok = tiny_tokenizer()
    cfg = dict(tiny_encoder_config(vocab_size=len(tok)))
    enc = AutoModel.from_config(AutoConfig.for_model(cfg.pop("model_type"), **cfg))
    enc.save_pretrained(path)
    tok.save_pretrained(path)
    return path


def write_jsonl(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path
