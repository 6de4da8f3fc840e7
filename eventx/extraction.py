"""The public API: find events in news text.

>>> import eventx
>>> events = eventx.extract("Japan joined the PURL initiative on Monday.", date="2026-04-08")  # doctest: +SKIP
>>> events[0].type, events[0].trigger.text                                                      # doctest: +SKIP
('MechanismJoining', 'joined')
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .calibration import Calibration
from .chars import tokenizer_view
from .decoding import decode_spans, join_adjacent, softmax, visible_offsets
from .errors import ModelError
from .modelconfig import MIN_LENGTH, read_json, read_model_config
from .runtime import RUNTIMES, check_runtime, pad_rows
from .segment import split_sentences
from .normalize import normalize
from .types import Argument, Event, Span

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "eventx-e5-small"
WINDOW_STRIDE = 32  # tokens shared by neighbouring windows of an over-long sentence
SENTENCE_CHUNK = 512  # sentences tokenised and scored together (a bound on the transient memory)


@dataclass
class _Window:
    doc: int
    sent: tuple  # (start, end) of the sentence in the document
    base: int  # character offset of the window's text in the document
    ids: list
    offsets: list  # visible offsets relative to the sentence text
    text: str  # the sentence text
    view: str  # the same text as the tokenizer saw it (control characters as spaces; same length)


def _resolve_dtype(dtype, device):
    import torch

    if isinstance(dtype, torch.dtype):
        return dtype
    if dtype == "auto":
        native_bf16 = device.type == "cpu" and getattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)()
        return torch.bfloat16 if native_bf16 else torch.float32
    names = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
    if dtype not in names:
        raise ValueError(f"dtype must be 'auto', 'float32', 'bfloat16' or 'float16', got {dtype!r}")
    return names[dtype]


def _parse_date(date) -> _dt.date | None:
    if date is None:
        return None
    if isinstance(date, _dt.datetime):
        return date.date()
    if isinstance(date, _dt.date):
        return date
    if isinstance(date, str):
        try:
            return _dt.date.fromisoformat(date.strip())
        except ValueError:
            pass
    raise ValueError(f"date must be a datetime.date or an ISO string YYYY-MM-DD, got {date!r}")


def check_positive_int(value, name: str, minimum: int = 1) -> int:
    """``value`` if it is an integer >= ``minimum``, else a clear :class:`ValueError`.

    >>> check_positive_int(-1, "batch_size")
    Traceback (most recent call last):
    ...
    ValueError: batch_size must be an integer >= 1, got -1
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_text(text, where: str = "text") -> str:
    if isinstance(text, (bytes, bytearray)):
        raise TypeError(f"{where} is bytes; decode it first, e.g. data.decode('utf-8')")
    if not isinstance(text, str):
        raise TypeError(f"{where} must be a str, got {type(text).__name__}")
    return text


class EventExtractor:
    """A loaded model and everything needed to run it on documents.

    >>> ex = EventExtractor.from_pretrained()                     # doctest: +SKIP
    >>> ex(["Japan joined PURL.", "Nothing here."])               # doctest: +SKIP
    [[Event(type='MechanismJoining', ...)], []]
    """

    def __init__(self, model, tokenizer, device="cpu", dtype=None):
        import torch

        from .runtime import TorchBackend

        check_positive_int(model.max_length, "max_length", MIN_LENGTH)  # fewer tokens: no room, windows never advance
        self.device = torch.device(device)
        self.backend = TorchBackend(model, device, None if dtype is None else _resolve_dtype(dtype, self.device))
        self._model, self._path, self._calibration = self.backend.model, None, None
        self.runtime = "torch-bfloat16" if self._model.encoder.dtype == torch.bfloat16 else (
            "torch-float32" if self._model.encoder.dtype == torch.float32 else str(self._model.encoder.dtype))
        self._setup(tokenizer, model.labels, model.max_length)

    @classmethod
    def _onnx(cls, path: Path, runtime: str, cfg: dict, labels, threads: int | None = None) -> "EventExtractor":
        """An extractor whose encoder runs in ONNX Runtime; torch is not imported."""
        from .runtime import LightTokenizer, OnnxBackend

        self = cls.__new__(cls)
        tok_file = path / "tokenizer.json"
        read_json(tok_file, "a JSON object (the tokenizer)")
        try:
            tokenizer = LightTokenizer.from_dir(path)
        except Exception as e:  # the tokenizers library raises its own exception type for a corrupt file
            raise ModelError(tok_file, f"cannot load the tokenizer ({type(e).__name__}: {e})") from None
        vocab = cfg["encoder"].get("vocab_size")
        if isinstance(vocab, int) and len(tokenizer) > vocab:
            raise ModelError(tok_file, f"{len(tokenizer)} tokens but the encoder has {vocab} embeddings "
                                       "(tokenizer from another model?)")
        try:
            self._calibration = Calibration.from_dict(cfg.get("calibration"))
        except ValueError as e:
            raise ModelError(path / "config.json", str(e)) from None
        _check_weights(path, labels)
        self.device, self.runtime, self._model, self._path = "cpu", runtime, None, path
        self.backend = OnnxBackend(path, runtime, threads)
        self._setup(tokenizer, labels, cfg["max_length"])
        return self

    def _setup(self, tokenizer, labels, max_length: int) -> None:
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.labels = labels
        self._trigger_labels = self.labels.trigger_labels
        self._role_labels = self.labels.role_labels
        self._types = list(self.labels.types)
        self._role_mask = np.array(self.labels.role_mask(), dtype=bool)
        self._lock = threading.Lock()

    @property
    def model(self):
        """The torch :class:`eventx.modeling.EventModel` (for ONNX runtimes loaded on first access, float32)."""
        if self._model is None:
            from .modeling import EventModel

            self._model = EventModel.from_pretrained(self._path)
            self._model.calibration = self._calibration
        return self._model

    @property
    def calibration(self) -> Calibration:
        """Score calibration and default ``min_score``, saved with the model (see :mod:`eventx.calibration`)."""
        return self._model.calibration if self._model is not None else self._calibration

    def _no_grad(self):
        if self._model is not None and self.backend.__class__.__name__ == "TorchBackend":
            import torch

            return torch.inference_mode()
        return contextlib.nullcontext()

    @classmethod
    def from_pretrained(cls, path: str | Path | None = None, device: str = "auto",
                        dtype: str | None = None, runtime: str = "auto",
                        threads: int | None = None, sentences: int | None = None) -> "EventExtractor":
        """Load a model: a directory, an installed model's name or a Hub repo id (see :mod:`eventx.hub`).

        ``device``: ``"auto"`` (GPU when available), ``"cpu"`` or ``"cuda"``. ``dtype`` of the encoder:
        ``"float32"``, ``"bfloat16"``, or ``"auto"`` = bfloat16 on CPUs with native bfloat16 arithmetic
        (AVX512-BF16/AMX; about 1.4x faster, same test-set F1 to three decimals) and float32 elsewhere.
        Use ``dtype="float32"`` for results that are identical on every machine.

        ``runtime`` (see :mod:`eventx.runtime`): ``"torch-float32"``, ``"torch-bfloat16"``, ``"onnx-float32"``,
        ``"onnx-int8"`` (extra ``onnx``; the graph is derived from the weights on first use and cached) or
        ``"auto"``: the fastest one available whose F1, recorded for these weights in ``runtimes.json``, is
        within 0.01 of float32 (float32 when nothing is recorded). A ``dtype`` given explicitly selects the
        torch runtime of that precision (as before runtimes existed). ``threads``: ONNX Runtime threads.
        ``sentences``: about how many sentences this extractor will see, if known; with ``"auto"``, a small
        job prefers a runtime that loads fast (see :func:`eventx.runtime.choose_runtime_from`).
        """
        from .hub import resolve_model

        check_runtime(runtime)
        path = resolve_model(path)
        if dtype is not None and runtime == "auto":
            runtime = "torch"  # an explicit precision keeps the torch runtime of that precision
        if runtime == "auto":
            from .runtime import choose_runtime

            if device == "auto":
                device = "cpu" if _no_cuda() else "cuda"
            runtime = choose_runtime(path, device, sentences)
        if runtime.startswith("onnx"):
            if device not in ("auto", "cpu"):
                raise ValueError(f"runtime {runtime!r} runs on the CPU only; use a torch runtime for device={device!r}")
            cfg, labels = read_model_config(path)
            return cls._onnx(path, runtime, cfg, labels, threads)
        if runtime in RUNTIMES:
            dtype = runtime.split("-", 1)[1]
        import torch
        from transformers import AutoTokenizer

        from .modeling import EventModel

        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        model = EventModel.from_pretrained(path)
        tok_file = path / "tokenizer.json"
        read_json(tok_file, "a JSON object (the tokenizer)")
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(path))
        except Exception as e:  # tokenizers/transformers raise several types for a corrupt tokenizer
            raise ModelError(tok_file, f"cannot load the tokenizer ({type(e).__name__}: {e})") from None
        vocab = model.encoder.config.vocab_size
        if len(tokenizer) > vocab:
            raise ModelError(tok_file, f"{len(tokenizer)} tokens but the encoder has {vocab} embeddings "
                                       "(tokenizer from another model?)")
        return cls(model, tokenizer, device, dtype or "auto")

    def save_pretrained(self, path: str | Path, **kw) -> Path:
        """Write a directory that :meth:`from_pretrained` and the Hugging Face Hub accept (with a model card)."""
        from .hub import model_card

        extra = dict(kw.pop("extra_files", None) or {})
        extra["README.md"] = model_card(extra.get("README.md"), name=Path(path).name)
        return self.model.save_pretrained(path, tokenizer=self.tokenizer, extra_files=extra, **kw)

    # ------------------------------------------------------------------ public
    def __call__(self, texts, **kw):
        return self.extract(texts, **kw)

    def extract(self, texts, *, date=None, lang=None, batch_size: int = 16, progress: bool = False,
                min_score: float | None = None, argument_min_score: float | None = None):
        """Events in one text (a list of :class:`Event`) or in each of a list of texts (a list of lists).

        ``date`` (ISO string or ``datetime.date``) anchors relative times such as "сьогодні" or "on Monday".
        ``lang`` is accepted for symmetry; the model is multilingual and does not need it.
        ``min_score`` drops events whose calibrated score is lower; ``None`` takes the model's default,
        chosen on its dev set (``self.calibration.min_score``); ``0`` keeps every event.
        ``argument_min_score`` does the same for arguments (default ``self.calibration.argument_min_score``).
        """
        anchor = _parse_date(date)
        threshold = self.calibration.min_score if min_score is None else _check_score(min_score)
        arg_threshold = (self.calibration.argument_min_score if argument_min_score is None
                         else _check_score(argument_min_score, "argument_min_score"))
        batch_size = check_positive_int(batch_size, "batch_size")
        single = isinstance(texts, (str, bytes, bytearray)) or not isinstance(texts, (list, tuple))
        docs = [_check_text(texts)] if single else [_check_text(t, f"texts[{i}]") for i, t in enumerate(texts)]
        finishers = [_Finisher(self, doc, anchor, threshold, arg_threshold) for doc in docs]
        with self._lock, self._no_grad():
            # each chunk's raw scores become events at once, so a huge document never holds both
            found = self._extract_docs(docs, batch_size, progress, finish=lambda d, raw: finishers[d](raw))
        for evs in found:
            _set_groups(evs, anchor)
        return found[0] if single else found

    def raw_scores(self, texts: list[str], batch_size: int = 16) -> list[list[dict]]:
        """Uncalibrated decoded events per text, as plain dicts (what calibration is fitted on).

        Each dict has ``type``, ``trigger`` ``(start, end)``, ``score``, ``arguments``
        ``[(role, start, end, score)]`` and ``status_probs`` (one per status of ``self.labels``).
        """
        docs = [_check_text(t, f"texts[{i}]") for i, t in enumerate(texts)]
        with self._lock, self._no_grad():
            return self._extract_docs(docs, batch_size, False)

    # ------------------------------------------------------------------ pipeline
    def _windows(self, docs: list[str], sents: list[tuple] | None = None) -> list[_Window]:
        """Token windows for sentences ``(doc index, start, end)`` (default: every sentence of ``docs``)."""
        if sents is None:
            sents = [(d, s, e) for d, doc in enumerate(docs) for s, e in split_sentences(doc)]
        if not sents:
            return []
        texts = [docs[d][s:e] for d, s, e in sents]
        views = [tokenizer_view(t) for t in texts]
        enc = self.tokenizer(views, add_special_tokens=False, return_offsets_mapping=True)
        room = self.max_length - 2
        out = []
        for (d, s, e), text, view, ids, offs in zip(sents, texts, views, enc["input_ids"], enc["offset_mapping"]):
            offs = visible_offsets(offs, view)
            if not ids:
                continue
            start = 0
            while True:
                chunk = slice(start, start + room)
                out.append(_Window(d, (s, e), s, ids[chunk], offs[chunk], text, view))
                if start + room >= len(ids):
                    break
                start += room - min(WINDOW_STRIDE, room // 4)  # always advances, even for tiny windows
        return out

    def _batch(self, windows: list[_Window]):
        tok = self.tokenizer
        return pad_rows([[tok.cls_token_id] + w.ids + [tok.sep_token_id] for w in windows], tok.pad_token_id)

    def _extract_docs(self, docs, batch_size, progress, finish=None) -> list[list]:
        """Raw events per document, or what ``finish(doc_index, raw_events)`` makes of each chunk's."""
        sents = [(d, s, e) for d, doc in enumerate(docs) for s, e in split_sentences(doc)]
        found: list[list] = [[] for _ in docs]
        bar = None
        if progress:
            from tqdm.auto import tqdm
            bar = tqdm(total=len(sents), unit="sent", desc="eventx")
        # Sentences are tokenised and scored a chunk at a time, so memory stays bounded on huge inputs. A
        # chunk holds whole sentences, and overlapping windows only repeat triggers inside one sentence, so
        # deduplicating per chunk is exact; chunks come in text order, so appending keeps that order.
        for c in range(0, len(sents), SENTENCE_CHUNK):
            windows = self._windows(docs, sents[c:c + SENTENCE_CHUNK])
            order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))
            chunk: dict[int, list] = {}
            for b in range(0, len(order), batch_size):
                batch = [windows[i] for i in order[b:b + batch_size]]
                for w, events in zip(batch, self._predict(batch)):
                    chunk.setdefault(w.doc, []).extend(events)
            for d, evs in sorted(chunk.items()):
                evs = _best_per_trigger(evs)
                found[d].extend(finish(d, evs) if finish else evs)
            if bar:
                bar.update(len(sents[c:c + SENTENCE_CHUNK]))
        if bar:
            bar.close()
        return found

    def _predict(self, batch: list[_Window]) -> list[list[Event]]:
        """Scores for a batch of windows, then decoding into events (offsets into each document)."""
        ids, mask = self._batch(batch)
        trigger_logits, state = self.backend.encode(ids, mask)
        trig_probs = softmax(trigger_logits)
        # window tokens sit after <s>: pad the offsets so row i of the scores is token i
        offsets = [[(0, 0)] + w.offsets + [(0, 0)] for w in batch]
        triggers = []  # (window index, type, start, end, score) with offsets relative to the sentence
        for i, w in enumerate(batch):
            n = len(offsets[i])
            spans = decode_spans(trig_probs[i, :n], offsets[i], self._trigger_labels, w.view, raw=w.text)
            for name, s, e, score in join_adjacent(spans, w.text):
                triggers.append((i, name, s, e, score))
        results: list[list[Event]] = [[] for _ in batch]
        if not triggers:
            return results
        width = ids.shape[1]
        tmask = np.zeros((len(triggers), width), dtype=np.int64)
        for k, (i, _, s, e, _) in enumerate(triggers):
            for j, (ts, te) in enumerate(offsets[i]):
                if ts != te and ts < e and s < te:
                    tmask[k, j] = 1
        sent_idx = np.array([t[0] for t in triggers], dtype=np.int64)
        types = np.array([self._types.index(t[1]) for t in triggers], dtype=np.int64)
        role_logits, status_logits = self.backend.arguments(state, sent_idx, tmask, types)
        role_probs = softmax(role_logits)
        status_probs = softmax(status_logits)
        for k, (i, name, s, e, score) in enumerate(triggers):
            w = batch[i]
            n = len(offsets[i])
            allowed = self._role_mask[self._types.index(name)]
            args = []
            spans = decode_spans(role_probs[k, :n], offsets[i], self._role_labels, w.view, allowed=allowed, raw=w.text)
            for role, a_s, a_e, a_score in join_adjacent(spans, w.text):
                if a_s < e and s < a_e:  # an argument never overlaps its own trigger
                    continue
                args.append((role, a_s + w.base, a_e + w.base, a_score))
            results[i].append(dict(type=name, score=score, status_probs=status_probs[k],
                                   trigger=(s + w.base, e + w.base), arguments=args, sentence=w.sent))
        return results


class _Finisher:
    """Turns one document's raw events into :class:`Event` objects, a chunk at a time: calibrates scores,
    drops events under ``min_score``, normalises values. Equal sentences and equal normalised values are
    built once and shared (values are frozen), which keeps a document with many events small."""

    def __init__(self, extractor: EventExtractor, doc: str, anchor, min_score: float, argument_min_score: float):
        self.x, self.doc, self.anchor, self.min_score = extractor, doc, anchor, min_score
        self.argument_min_score = argument_min_score
        self.sentences: dict = {}
        self.values: dict = {}

    def __call__(self, raw: list[dict]) -> list[Event]:
        cal, statuses, doc = self.x.calibration, self.x.labels.statuses, self.doc
        arg_min = self.argument_min_score
        events = []
        for ev in raw:
            score = cal.trigger(ev["score"])
            if score < self.min_score:
                continue
            status_probs = cal.status(ev["status_probs"])
            st = int(status_probs.argmax())
            args = []
            seen = set()
            for role, s, e, a_score in sorted(ev["arguments"], key=lambda a: (a[1], a[0])):
                if (role, s, e) in seen:
                    continue
                seen.add((role, s, e))
                a_score = cal.argument(a_score)
                if a_score < arg_min:
                    continue
                text = doc[s:e]
                key = (text, role, statuses[st] if role == "time" else None)  # status only moves times
                if key not in self.values:
                    self.values[key] = (text, normalize(text, role, date=self.anchor, status=statuses[st]))
                text, value = self.values[key]
                args.append(Argument(role, text, s, e, a_score, value))
            ts, te = ev["trigger"]
            ss, se = ev["sentence"]
            if (ss, se) not in self.sentences:
                self.sentences[ss, se] = Span(doc[ss:se], ss, se)
            events.append(Event(ev["type"], statuses[st], score, Span(doc[ts:te], ts, te), tuple(args),
                                self.sentences[ss, se], 0, float(status_probs[st])))
        return events


def _check_weights(path: Path, labels) -> None:
    """The checks :meth:`EventModel.load_weights` makes, without torch: readable file, labels it was trained with."""
    from .modelconfig import CONFIG_NAME, LABELS_KEY, WEIGHTS_NAME, labels_digest

    weights = path / WEIGHTS_NAME
    if not weights.is_file():
        raise ModelError(weights, "missing")
    try:
        from safetensors import safe_open

        with safe_open(str(weights), framework="np") as f:
            meta = f.metadata() or {}
    except Exception as e:  # safetensors raises its own error type (and OSError) for corrupt files
        raise ModelError(weights, f"corrupt or truncated safetensors file ({e})") from None
    digest = meta.get(LABELS_KEY)
    if digest is not None and digest != labels_digest(labels):
        raise ModelError(weights, f"the labels in {CONFIG_NAME} do not match the ones these weights were "
                                  "trained with (reordered or edited config?)")


def _no_cuda() -> bool:
    """True when torch is absent or sees no GPU; imports torch only if it is installed with CUDA."""
    import importlib.util
    import sys

    if importlib.util.find_spec("torch") is None:
        return True
    if sys.platform.startswith("linux") and not Path("/dev/nvidiactl").exists() and "torch" not in sys.modules:
        return True  # no NVIDIA driver: skip importing torch (about a second of a cold start) to learn that
    import torch

    return not torch.cuda.is_available()


def _best_per_trigger(raw: list[dict]) -> list[dict]:
    """Overlapping windows can decode the same trigger twice: keep the better-scored one, in text order."""
    best: dict = {}
    for ev in raw:
        key = (ev["type"], ev["trigger"])
        if key not in best or ev["score"] > best[key]["score"]:
            best[key] = ev
    return sorted(best.values(), key=lambda e: e["trigger"])


def _check_score(x, name: str = "min_score") -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not 0.0 <= x <= 1.0:
        raise ValueError(f"{name} must be a number from 0 to 1, got {x!r}")
    return float(x)


def assign_groups(events: list[Event], date=None) -> list[Event]:
    """Give mentions of the same event in one document one ``group`` (the matching of :mod:`eventx.merge`:
    same type, compatible key actors, times and places)."""
    from dataclasses import replace

    from .merge import group_events

    return [replace(ev, group=g) for ev, g in zip(events, group_events(events, date))]


def _set_groups(events: list[Event], date=None) -> None:
    """:func:`assign_groups` in place, for events this module has just built and nobody else holds yet: a
    copy of every event of a huge document would double its memory at the end of the call."""
    from .merge import group_events

    for ev, g in zip(events, group_events(events, date)):
        object.__setattr__(ev, "group", g)  # frozen for users; not yet published


_default: EventExtractor | None = None
_default_lock = threading.Lock()


def default_extractor() -> EventExtractor:
    """The shipped model, loaded once (thread-safe)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = EventExtractor.from_pretrained(None)  # the checkout's model, else the installed one
    return _default


def extract(text: str, *, date=None, lang=None, min_score: float | None = None) -> list[Event]:
    """Events in ``text`` found by the shipped model.

    >>> extract("")
    []
    >>> extract(b"bytes")
    Traceback (most recent call last):
    ...
    TypeError: text is bytes; decode it first, e.g. data.decode('utf-8')
    """
    _check_text(text)
    anchor = _parse_date(date)
    if min_score is not None:
        _check_score(min_score)
    if not text.strip():
        return []
    return default_extractor().extract(text, date=anchor, lang=lang, min_score=min_score)
