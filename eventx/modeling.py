"""The event model: one shared encoder, a trigger tagger, and a trigger-conditioned argument tagger.

One encoder pass per sentence. Trigger tokens get BIO event-type tags. For each trigger, the token
states are conditioned on it (its pooled vector, its event type, a marker on its tokens and the clipped
distance of every token to it) and re-read by one small transformer layer, whose outputs get BIO role
tags; the status is classified from the same pass. The extra layer costs about 1/12 of the encoder, so
several events per sentence stay cheap, and an argument can belong to any number of events.

The model only produces scores (logits); :mod:`eventx.decoding` turns them into spans.

>>> from eventx.labels import LabelSet
>>> labels = LabelSet.from_schema({"Meeting": ("participant",)}, ("happened", "planned"))
>>> model = EventModel.from_encoder_config(tiny_encoder_config(), labels)
>>> ids = torch.tensor([[0, 5, 6, 7, 2]]); mask = torch.ones_like(ids)
>>> model(ids, mask).trigger_logits.shape
torch.Size([1, 5, 3])
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from .calibration import Calibration
from .errors import ModelError
from .fileio import write_dir_atomic
from .labels import LabelSet
from .modelconfig import (CONFIG_NAME, FORMAT_VERSION, LABELS_KEY, MAX_DISTANCE, MIN_LENGTH,  # noqa: F401
                          WEIGHTS_NAME, _labels_from_config, argument_heads, labels_digest, read_json,
                          read_model_config)


def tiny_encoder_config(vocab_size: int = 120, hidden: int = 32, layers: int = 2) -> dict:
    """A small random BERT config for tests and examples."""
    return {"model_type": "bert", "vocab_size": vocab_size, "hidden_size": hidden, "num_hidden_layers": layers,
            "num_attention_heads": 4, "intermediate_size": hidden * 2, "max_position_embeddings": 128,
            "type_vocab_size": 2, "pad_token_id": 1}


def _encoder_from_config(config: dict) -> nn.Module:
    from transformers import AutoConfig, AutoModel

    cfg = dict(config)
    cfg = AutoConfig.for_model(cfg.pop("model_type"), **cfg)
    try:
        return AutoModel.from_config(cfg, add_pooling_layer=False)
    except TypeError:  # encoders without a pooler option
        return AutoModel.from_config(cfg)


@dataclass
class EventOutput:
    trigger_logits: torch.Tensor  # [B, L, T]
    hidden: torch.Tensor  # [B, L, H]
    loss: torch.Tensor | None = None


class EventModel(nn.Module):
    def __init__(self, encoder: nn.Module, labels: LabelSet, max_length: int = 128, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.labels = labels
        self.max_length = max_length
        self.calibration = Calibration()  # fitted after training (eventx.evaluation.calibrate)
        h = encoder.config.hidden_size
        heads = argument_heads(h)
        self.dropout = nn.Dropout(dropout)
        self.trigger_head = nn.Linear(h, len(labels.trigger_labels))
        self.type_embedding = nn.Embedding(len(labels.types), h)
        self.trigger_proj = nn.Linear(h, h)
        self.distance_embedding = nn.Embedding(2 * MAX_DISTANCE + 1, h)
        self.marker_embedding = nn.Embedding(2, h)
        self.argument_layer = nn.TransformerEncoderLayer(h, heads, dim_feedforward=2 * h, dropout=dropout,
                                                         batch_first=True, norm_first=False)
        self.role_head = nn.Linear(h, len(labels.role_labels))
        self.status_head = nn.Linear(2 * h, len(labels.statuses))
        for emb in (self.distance_embedding, self.marker_embedding, self.type_embedding):
            nn.init.normal_(emb.weight, std=0.02)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_encoder_config(cls, config: dict, labels: LabelSet, **kw) -> "EventModel":
        """A model with a randomly initialised encoder (for tests)."""
        return cls(_encoder_from_config(config), labels, **kw)

    @classmethod
    def from_encoder(cls, path: str, labels: LabelSet, **kw) -> "EventModel":
        """A new model on top of a pretrained encoder directory (or hub name)."""
        from transformers import AutoModel

        try:
            enc = AutoModel.from_pretrained(path, add_pooling_layer=False)
        except TypeError:
            enc = AutoModel.from_pretrained(path)
        return cls(enc, labels, **kw)

    def config_dict(self) -> dict:
        enc = self.encoder.config.to_dict()
        keep = {k: v for k, v in enc.items() if not k.startswith("_") and k not in (
            "architectures", "transformers_version", "torch_dtype", "dtype", "id2label", "label2id")}
        return {"format_version": FORMAT_VERSION, "architecture": "eventx-tagger", "max_length": self.max_length,
                "labels": self.labels.to_dict(), "trigger_labels": self.labels.trigger_labels,
                "role_labels": self.labels.role_labels, "calibration": self.calibration.to_dict(), "encoder": keep}

    def save_pretrained(self, path: str | Path, dtype: torch.dtype = torch.float32, tokenizer=None,
                        extra_files: dict | None = None) -> Path:
        """Write config, safetensors weights (and tokenizer) to ``path`` atomically."""
        from safetensors.torch import save_file

        def write(tmp: Path) -> None:
            (tmp / CONFIG_NAME).write_text(json.dumps(self.config_dict(), indent=2, ensure_ascii=False), "utf-8")
            sd = {k: v.detach().to("cpu", dtype if v.is_floating_point() else v.dtype).contiguous()
                  for k, v in self.state_dict().items()}
            save_file(sd, str(tmp / WEIGHTS_NAME), metadata={"format": "pt", "eventx_format": str(FORMAT_VERSION),
                                                              LABELS_KEY: labels_digest(self.labels)})
            if tokenizer is not None:
                tokenizer.save_pretrained(tmp)
            for name, content in (extra_files or {}).items():
                (tmp / name).write_text(content, encoding="utf-8")

        return write_dir_atomic(path, write)

    @classmethod
    def from_pretrained(cls, path: str | Path, map_location: str = "cpu") -> "EventModel":
        """Load a directory written by :meth:`save_pretrained` (weights upcast to float32).

        Every problem (missing or corrupt files, a config that does not fit the weights) raises
        :class:`eventx.ModelError` with one line naming the file.
        """
        path = Path(path)
        cfg, labels = read_model_config(path)
        cfg_file, enc, max_length = path / CONFIG_NAME, cfg["encoder"], cfg["max_length"]
        try:
            model = cls.from_encoder_config(enc, labels, max_length=max_length)
        except Exception as e:  # transformers raises many types for a bad encoder config
            raise ModelError(cfg_file, f"bad 'encoder' config ({type(e).__name__}: {e})") from None
        model.load_weights(path / WEIGHTS_NAME, map_location)
        try:
            model.calibration = Calibration.from_dict(cfg.get("calibration"))
        except ValueError as e:
            raise ModelError(cfg_file, str(e)) from None
        return model.eval()

    def load_weights(self, weights: Path, map_location: str = "cpu") -> None:
        """Load safetensors weights, refusing files that are corrupt or do not fit this model's labels."""
        from safetensors import safe_open

        if not weights.is_file():
            raise ModelError(weights, "missing")
        try:
            with safe_open(str(weights), framework="pt", device=map_location) as f:
                meta = f.metadata() or {}
                sd = {k: f.get_tensor(k) for k in f.keys()}
        except Exception as e:  # safetensors raises its own error type (and OSError) for corrupt files
            raise ModelError(weights, f"corrupt or truncated safetensors file ({e})") from None
        # Models saved before the labels hash was stored carry no such metadata: they load with the
        # check skipped (the shape check below still catches labels of the wrong size).
        digest = meta.get(LABELS_KEY)
        if digest is not None and digest != labels_digest(self.labels):
            raise ModelError(weights, f"the labels in {CONFIG_NAME} do not match the ones these weights were "
                                      "trained with (reordered or edited config?)")
        # no float32 copy of the file first: load_state_dict casts each (float16) tensor into its float32
        # parameter, which keeps a loading process's peak memory one weights file lower
        try:
            self.load_state_dict(sd, strict=True)
        except RuntimeError as e:
            detail = " ".join(str(e).split())[:300]
            raise ModelError(weights, f"weights do not fit the labels or encoder in {CONFIG_NAME} ({detail})") from None

    def extend_labels(self, labels: LabelSet) -> "EventModel":
        """Grow the heads for a larger label set; rows of existing labels keep their weights."""
        new = self.labels.extend(labels)
        if new == self.labels:
            return self

        def grow_linear(old: nn.Linear, old_names, new_names, in_features=None) -> nn.Linear:
            lin = nn.Linear(in_features or old.in_features, len(new_names))
            with torch.no_grad():
                for i, name in enumerate(new_names):
                    if name in old_names:
                        j = old_names.index(name)
                        lin.weight[i] = old.weight[j]
                        lin.bias[i] = old.bias[j]
            return lin

        self.trigger_head = grow_linear(self.trigger_head, self.labels.trigger_labels, new.trigger_labels)
        self.role_head = grow_linear(self.role_head, self.labels.role_labels, new.role_labels)
        self.status_head = grow_linear(self.status_head, list(self.labels.statuses), list(new.statuses))
        emb = nn.Embedding(len(new.types), self.type_embedding.embedding_dim)
        nn.init.normal_(emb.weight, std=0.02)
        with torch.no_grad():
            for i, t in enumerate(new.types):
                if t in self.labels.types:
                    emb.weight[i] = self.type_embedding.weight[list(self.labels.types).index(t)]
        self.type_embedding = emb
        self.labels = new
        return self

    def keep_layers(self, n: int) -> "EventModel":
        """Keep ``n`` evenly spaced encoder layers, the last one included: a smaller, faster student that
        starts from this model's weights (then trained on, best with this model as its teacher).

        >>> labels = LabelSet.from_schema({"Meeting": ("participant",)}, ("happened",))
        >>> m = EventModel.from_encoder_config(tiny_encoder_config(layers=4), labels).keep_layers(2)
        >>> m.encoder.config.num_hidden_layers, m.config_dict()["encoder"]["num_hidden_layers"]
        (2, 2)
        """
        stack = getattr(getattr(self.encoder, "encoder", None), "layer", None)
        if not isinstance(stack, nn.ModuleList):
            raise ValueError(f"keep_layers: {type(self.encoder).__name__} has no encoder.layer list to cut")
        total = len(stack)
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= total:
            raise ValueError(f"keep_layers: n must be an integer from 1 to {total}, got {n!r}")
        # evenly spaced and ending on the top layer, whose states the heads were trained to read
        keep = [round((i + 1) * total / n) - 1 for i in range(n)]
        self.encoder.encoder.layer = nn.ModuleList(stack[i] for i in keep)
        self.encoder.config.num_hidden_layers = n
        return self

    # ------------------------------------------------------------------ scores
    def forward(self, input_ids, attention_mask, trigger_labels=None) -> EventOutput:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        hidden = hidden.to(self.trigger_head.weight.dtype)  # the encoder may run in a lower precision
        logits = self.trigger_head(self.dropout(hidden))
        loss = None
        if trigger_labels is not None:
            loss = nn.functional.cross_entropy(logits.flatten(0, 1), trigger_labels.flatten(), ignore_index=-100)
        return EventOutput(logits, hidden, loss)

    def argument_logits(self, hidden, attention_mask, sentence_index, trigger_mask, event_type):
        """Role logits ``[E, L, R]`` and status logits ``[E, S]`` for E events.

        ``sentence_index[e]`` picks the sentence, ``trigger_mask[e]`` (0/1 over tokens) marks the trigger,
        ``event_type[e]`` is the index of its type.
        """
        h = hidden[sentence_index]
        mask = attention_mask[sentence_index].bool()
        tm = trigger_mask.to(h.dtype)
        trig_vec = (h * tm.unsqueeze(-1)).sum(1) / tm.sum(1, keepdim=True).clamp(min=1)
        positions = torch.arange(h.shape[1], device=h.device).unsqueeze(0)
        first = torch.where(trigger_mask.bool(), positions, h.shape[1]).min(1).values.unsqueeze(1)
        last = torch.where(trigger_mask.bool(), positions, -1).max(1).values.unsqueeze(1)
        dist = torch.where(positions < first, positions - first, torch.clamp(positions - last, min=0))
        dist = dist.clamp(-MAX_DISTANCE, MAX_DISTANCE) + MAX_DISTANCE
        x = (h + self.trigger_proj(trig_vec).unsqueeze(1) + self.type_embedding(event_type).unsqueeze(1)
             + self.distance_embedding(dist) + self.marker_embedding(trigger_mask.long()))
        x = self.argument_layer(self.dropout(x), src_key_padding_mask=~mask)
        role_logits = self.role_head(self.dropout(x))
        trig_out = (x * tm.unsqueeze(-1)).sum(1) / tm.sum(1, keepdim=True).clamp(min=1)
        status_logits = self.status_head(self.dropout(torch.cat([trig_out, trig_vec], -1)))
        return role_logits, status_logits
