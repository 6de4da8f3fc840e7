"""Training and retraining: labelled JSONL in, a saved eventx model out.

Runs on CPU, one GPU or several GPUs (``accelerate launch``) with the same code. The best epoch on the
dev set (trigger + argument classification F1) is kept; a fixed seed reproduces the run.

>>> args = TrainingArguments(train_file="train.jsonl", dev_file="dev.jsonl", output_dir="out")  # doctest: +SKIP
>>> train(args)                                                                                  # doctest: +SKIP
"""
from __future__ import annotations

import json
import math
import random
import re
import shutil
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from . import data as D
from .decoding import bio_tags, token_mask, visible_offsets
from .labels import LabelSet
from .modeling import MIN_LENGTH, EventModel
from .outdir import check_output_dir, checkpoint_dir
from .segment import split_sentences
from .trainargs import TrainingArguments, arguments_from_dict  # noqa: F401  (the public names live here too)


def _set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def sentence_units(item: dict) -> list[dict]:
    """Split a passage or a whole article into the sentence units the extractor reads at inference.

    The extractor tags one sentence (from :func:`eventx.segment.split_sentences`) at a time, so a long
    item trains as its sentences: each keeps the events whose trigger it holds and their arguments that lie
    inside it. Sentences that a gold span crosses are joined, so no span is cut.

    >>> item = {"id": "a", "lang": "en", "text": "Japan joined PURL. It rained.", "events": [
    ...   {"type": "MechanismJoining", "status": "happened", "trigger": {"start": 6, "end": 12},
    ...    "arguments": [{"role": "joiner", "start": 0, "end": 5}]}]}
    >>> [(u["text"], len(u["events"])) for u in sentence_units(item)]
    [('Japan joined PURL.', 1), ('It rained.', 0)]
    """
    text = item["text"]
    sents = [list(se) for se in split_sentences(text)]
    if len(sents) <= 1:
        return [item]
    spans = [(ev["trigger"]["start"], ev["trigger"]["end"]) for ev in item["events"]]
    spans += [(a["start"], a["end"]) for ev in item["events"] for a in ev["arguments"]]
    units: list[list[int]] = []
    for s, e in sents:
        if units and any(st < s < en for st, en in spans):
            units[-1][1] = e  # a gold span runs from the previous unit into this sentence
        else:
            units.append([s, e])
    out = []
    for k, (s, e) in enumerate(units):
        events = []
        for ev in item["events"]:
            t = ev["trigger"]
            if not (s <= t["start"] and t["end"] <= e):
                continue
            args = [{**a, "start": a["start"] - s, "end": a["end"] - s} for a in ev["arguments"]
                    if s <= a["start"] and a["end"] <= e]
            events.append({**ev, "trigger": {**t, "start": t["start"] - s, "end": t["end"] - s},
                           "arguments": args})
        out.append({**item, "id": f"{item.get('id', '')}#s{k}", "text": text[s:e], "events": events})
    return out


def featurize(items: list[dict], tokenizer, labels: LabelSet, max_length: int) -> list[dict]:
    """Token ids with gold trigger tags and, per event, its trigger mask, role tags and status.

    Items are first cut into the sentence units the extractor reads (:func:`sentence_units`)."""
    items = [u for it in items for u in sentence_units(it)]
    t2i = {t: i for i, t in enumerate(labels.trigger_labels)}
    r2i = {t: i for i, t in enumerate(labels.role_labels)}
    types = list(labels.types)
    enc = tokenizer([it["text"] for it in items], add_special_tokens=False, return_offsets_mapping=True)
    room = max_length - 2
    feats = []
    for item, ids, offs in zip(items, enc["input_ids"], enc["offset_mapping"]):
        offs = [(0, 0)] + visible_offsets(offs[:room], item["text"]) + [(0, 0)]
        ids = [tokenizer.cls_token_id] + ids[:room] + [tokenizer.sep_token_id]
        limit = max(e for _, e in offs)
        trig = bio_tags(offs, [(ev["type"], ev["trigger"]["start"], ev["trigger"]["end"]) for ev in item["events"]
                               if ev["trigger"]["end"] <= limit])
        events = []
        for ev in item["events"]:
            t = ev["trigger"]
            if t["end"] > limit:
                continue
            roles = bio_tags(offs, [(a["role"], a["start"], a["end"]) for a in ev["arguments"] if a["end"] <= limit])
            events.append({"trigger_mask": token_mask(offs, t["start"], t["end"]),
                           "type": types.index(ev["type"]),
                           "roles": [-100 if x == "-" else r2i[x] for x in roles],
                           "status": labels.statuses.index(ev["status"])})
        feats.append({"input_ids": ids, "trigger_labels": [-100 if x == "-" else t2i[x] for x in trig],
                      "events": events})
    return feats


def collate(feats: list[dict], pad_id: int) -> dict:
    width = max(len(f["input_ids"]) for f in feats)
    n = len(feats)
    ids = torch.full((n, width), pad_id, dtype=torch.long)
    mask = torch.zeros((n, width), dtype=torch.long)
    tl = torch.full((n, width), -100, dtype=torch.long)
    sent, tmask, etype, roles, status = [], [], [], [], []
    for i, f in enumerate(feats):
        k = len(f["input_ids"])
        ids[i, :k] = torch.tensor(f["input_ids"])
        mask[i, :k] = 1
        tl[i, :k] = torch.tensor(f["trigger_labels"])
        for ev in f["events"]:
            sent.append(i)
            tmask.append(ev["trigger_mask"] + [0] * (width - k))
            etype.append(ev["type"])
            roles.append(ev["roles"] + [-100] * (width - k))
            status.append(ev["status"])
    batch = {"input_ids": ids, "attention_mask": mask, "trigger_labels": tl}
    if sent:
        batch.update(sentence_index=torch.tensor(sent), trigger_mask=torch.tensor(tmask),
                     event_type=torch.tensor(etype), role_labels=torch.tensor(roles), status=torch.tensor(status))
    return batch


def _scores(model: EventModel, batch: dict):
    out = model(batch["input_ids"], batch["attention_mask"], batch["trigger_labels"])
    if "sentence_index" not in batch:
        return out, None, None
    role_logits, status_logits = model.argument_logits(out.hidden, batch["attention_mask"], batch["sentence_index"],
                                                       batch["trigger_mask"], batch["event_type"])
    return out, role_logits, status_logits


def distill_loss(student, teacher, valid, temperature: float) -> torch.Tensor:
    """KL divergence from the teacher's to the student's softened scores over the ``valid`` rows, scaled
    by T² so its gradients keep their size whatever the temperature.

    >>> x = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    >>> float(distill_loss(x, x, torch.tensor([True, True]), 2.0))
    0.0
    """
    f = torch.nn.functional
    s = f.log_softmax(student[valid] / temperature, -1)
    t = f.log_softmax(teacher[valid] / temperature, -1)
    if not len(s):
        return student.sum() * 0.0
    return f.kl_div(s, t, log_target=True, reduction="batchmean") * temperature ** 2


def hidden_loss(student, teacher, attention_mask) -> torch.Tensor:
    """Mean squared distance between two models' hidden states ``[B, L, H]`` over the real tokens.

    >>> h = torch.ones(1, 2, 3)
    >>> float(hidden_loss(h, h + 1, torch.tensor([[1, 0]])))
    1.0
    """
    keep = attention_mask.bool()
    return torch.nn.functional.mse_loss(student[keep].float(), teacher[keep].float())


def compute_loss(model: EventModel, batch: dict, teacher: EventModel | None = None, weight: float = 0.5,
                 temperature: float = 2.0, hidden_weight: float = 0.0) -> torch.Tensor:
    """Gold-label loss of one batch; with a ``teacher``, mixed with the distillation loss by ``weight``
    (scores, plus ``hidden_weight`` times :func:`hidden_loss` of the top hidden states)."""
    f = torch.nn.functional
    out, role_logits, status_logits = _scores(model, batch)
    loss = out.loss
    if role_logits is not None:
        loss = loss + f.cross_entropy(role_logits.flatten(0, 1), batch["role_labels"].flatten(), ignore_index=-100)
        loss = loss + 0.5 * f.cross_entropy(status_logits, batch["status"])
    if teacher is None:
        return loss
    with torch.no_grad():
        t_out, t_roles, t_status = _scores(teacher, batch)
    soft = distill_loss(out.trigger_logits.flatten(0, 1), t_out.trigger_logits.flatten(0, 1),
                        batch["trigger_labels"].flatten() != -100, temperature)
    if role_logits is not None:
        soft = soft + distill_loss(role_logits.flatten(0, 1), t_roles.flatten(0, 1),
                                   batch["role_labels"].flatten() != -100, temperature)
        soft = soft + 0.5 * distill_loss(status_logits, t_status, torch.ones(len(t_status), dtype=torch.bool),
                                         temperature)
    if hidden_weight:
        soft = soft + hidden_weight * hidden_loss(out.hidden, t_out.hidden, batch["attention_mask"])
    return (1 - weight) * loss + weight * soft


def _length_batches(feats: list[dict], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar-length items (less padding), in random order."""
    idx = list(range(len(feats)))
    rng.shuffle(idx)
    chunks = [idx[i:i + batch_size * 20] for i in range(0, len(idx), batch_size * 20)]
    batches = []
    for ch in chunks:
        ch.sort(key=lambda i: len(feats[i]["input_ids"]))
        batches += [ch[i:i + batch_size] for i in range(0, len(ch), batch_size)]
    rng.shuffle(batches)
    return batches


def load_training_data(args: TrainingArguments, base_labels: LabelSet | None):
    """Validate every file before anything trains; return items and the label set."""
    schema = D.Schema()
    if args.schema_file:
        try:
            schema = D.Schema.from_dict(json.loads(Path(args.schema_file).read_text("utf-8")))
        except (OSError, ValueError, KeyError) as e:
            raise D.DataError([f"{args.schema_file}: not a schema file ({e})"]) from e
    files = [args.train_file] + ([args.dev_file] if args.dev_file else []) + ([args.mix_file] if args.mix_file else [])
    _, errors = D.validate_files(files, schema, open_labels=True)
    if errors:
        raise D.DataError(errors)
    train = D.load(args.train_file, schema, open_labels=True)
    if not train:
        raise D.DataError([f"{args.train_file}: no items to train on"])
    dev = D.load(args.dev_file, schema, open_labels=True) if args.dev_file else []
    mix = D.load(args.mix_file, schema, open_labels=True) if args.mix_file else []
    seen = D.Schema.from_items(train + dev + mix, base=schema)
    labels = LabelSet.from_schema(seen.types, seen.statuses)
    if base_labels is not None:
        labels = base_labels.extend(labels)
    return train, dev, mix, labels


def read_unlabelled(path: str) -> list[str]:
    r"""Documents of an unlabelled file: JSONL objects with a ``text`` string (``.jsonl``), else plain
    text with documents separated by a blank line.

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "u.txt")
    >>> _ = open(f, "w").write("Japan joined PURL.\nIt rained.\n\n\nTalks went on.\n")
    >>> read_unlabelled(f)
    ['Japan joined PURL.\nIt rained.', 'Talks went on.']
    """
    docs, errors = [], []
    try:
        if not path.endswith(".jsonl"):
            docs = [d.strip() for d in re.split(r"\n[ \t\r]*\n", Path(path).read_text("utf-8"))]
            return [d for d in docs if d]
        lines = list(D.read_jsonl(path))  # a bad line is reported below, with its number
    except (OSError, UnicodeDecodeError) as e:
        raise D.DataError([f"{path}: cannot read the unlabelled file ({e})"]) from e
    for n, obj, error in lines:
        if error:
            errors.append(f"{path}:{n}: {error}")
        elif not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            errors.append(f"{path}:{n}: field 'text': expected a string")
        elif obj["text"].strip():
            docs.append(obj["text"])
    if errors:
        raise D.DataError(errors)
    return docs


def teacher_items(extractor, texts: list[str], batch_size: int = 16) -> list[dict]:
    """Training items whose events are what ``extractor`` (the teacher) finds in ``texts``, at its own
    default thresholds: unlabelled text becomes more text to distil on."""
    items = []
    for k, (text, events) in enumerate(zip(texts, extractor.extract(texts, batch_size=batch_size))):
        items.append({"id": f"unlabelled-{k}", "text": text, "events": [
            {"type": e.type, "status": e.status, "trigger": {"start": e.trigger.start, "end": e.trigger.end},
             "arguments": [{"role": a.role, "start": a.start, "end": a.end} for a in e.arguments]}
            for e in events]})
    return items


def _is_eventx_model(path: str) -> bool:
    cfg = Path(path) / "config.json"
    return cfg.is_file() and json.loads(cfg.read_text("utf-8")).get("architecture") == "eventx-tagger"


def train(args: TrainingArguments) -> dict:
    """Train (or continue training) a model and save the best epoch to ``args.output_dir``."""
    from accelerate import Accelerator
    from tqdm.auto import tqdm
    from transformers import AutoTokenizer, get_linear_schedule_with_warmup

    from .encoder import resolve_encoder
    from .evaluation import evaluate_items
    from .extraction import EventExtractor

    if isinstance(args.max_length, bool) or not isinstance(args.max_length, int) or args.max_length < MIN_LENGTH:
        raise ValueError(f"--max-length must be an integer >= {MIN_LENGTH}, got {args.max_length!r}")
    if isinstance(args.batch_size, bool) or not isinstance(args.batch_size, int) or args.batch_size < 1:
        raise ValueError(f"--batch-size must be an integer >= 1, got {args.batch_size!r}")
    if args.teacher and (not 0.0 <= args.distill_weight <= 1.0 or not args.distill_temperature > 0):
        raise ValueError(f"--distill-weight must lie in [0, 1] and --distill-temperature be > 0, got "
                         f"{args.distill_weight!r} and {args.distill_temperature!r}")
    if args.teacher and not args.distill_hidden_weight >= 0:
        raise ValueError(f"--distill-hidden-weight must be >= 0, got {args.distill_hidden_weight!r}")
    if args.unlabelled_file and not args.teacher:
        raise ValueError("--unlabelled-file needs --teacher: the teacher labels that text")
    out = check_output_dir(args.output_dir, [args.train_file, args.dev_file, args.mix_file, args.schema_file,
                                             args.unlabelled_file,
                                             args.init if Path(args.init).exists() else None])
    unlabelled = read_unlabelled(args.unlabelled_file) if args.unlabelled_file else []  # its errors come first
    continuing = _is_eventx_model(args.init)
    base = EventModel.from_pretrained(args.init) if continuing else None
    train_items, dev_items, mix_items, labels = load_training_data(args, base.labels if base else None)
    _set_seed(args.seed)
    accelerator = Accelerator()
    encoder_path = args.init if continuing else resolve_encoder(args.init)
    tokenizer = AutoTokenizer.from_pretrained(encoder_path)
    if continuing:
        model = base.extend_labels(labels)
        model.max_length = args.max_length
    else:
        model = EventModel.from_encoder(encoder_path, labels, max_length=args.max_length)
    if args.num_layers != -1:
        model.keep_layers(args.num_layers)
    teacher = None
    if args.teacher:
        if not _is_eventx_model(args.teacher):
            raise ValueError(f"--teacher {args.teacher}: not an eventx model directory")
        teacher = EventModel.from_pretrained(args.teacher)
        if teacher.labels != labels:
            raise ValueError(f"--teacher {args.teacher}: its labels differ from the training labels (a teacher "
                             "must score the same labels as its student)")
        sizes = {m.encoder.get_input_embeddings().num_embeddings for m in (teacher, model)}
        if len(sizes) > 1:
            raise ValueError(f"--teacher {args.teacher}: its vocabulary differs from the one of {args.init}")
    if unlabelled:
        unlabelled = teacher_items(EventExtractor(teacher, tokenizer, "cpu"), unlabelled)
    emb = model.encoder.get_input_embeddings()
    emb.weight.requires_grad_(args.train_embeddings)

    train_feats = featurize(train_items + unlabelled, tokenizer, labels, args.max_length)
    mix_feats = featurize(mix_items, tokenizer, labels, args.max_length) if mix_items else []
    n_mix = int(round(len(train_feats) * args.mix_ratio)) if mix_feats else 0
    steps_per_epoch = math.ceil((len(train_feats) + min(n_mix, len(mix_feats))) / args.batch_size)
    total = steps_per_epoch * args.epochs if args.max_steps < 0 else min(args.max_steps, steps_per_epoch * args.epochs)
    head_params = [p for n, p in model.named_parameters() if not n.startswith("encoder.") and p.requires_grad]
    enc_params = [p for n, p in model.named_parameters() if n.startswith("encoder.") and p.requires_grad]
    optimizer = torch.optim.AdamW([{"params": enc_params, "lr": args.learning_rate},
                                   {"params": head_params, "lr": args.head_learning_rate}],
                                  weight_decay=args.weight_decay)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(total * args.warmup_ratio), total)
    model, optimizer, scheduler = accelerator.prepare(model, optimizer, scheduler)
    if teacher is not None:
        teacher = teacher.to(accelerator.device).eval()
    rng = random.Random(args.seed)
    history, best, step = [], None, 0
    start_time = time.time()
    workdir = checkpoint_dir(out)  # the best epoch so far, beside the output: a killed run's is found and cleaned
    try:
        for epoch in range(1, args.epochs + 1):
            model.train()
            feats = train_feats + (rng.sample(mix_feats, min(n_mix, len(mix_feats))) if n_mix else [])
            batches = _length_batches(feats, args.batch_size, rng)
            # each process takes its share of the batches (data parallel under accelerate launch)
            batches = batches[accelerator.process_index::accelerator.num_processes]
            bar = tqdm(batches, desc=f"epoch {epoch}/{args.epochs}", disable=not (args.progress and accelerator.is_main_process))
            losses = []
            for b in bar:
                batch = {k: v.to(accelerator.device) for k, v in collate([feats[i] for i in b], tokenizer.pad_token_id).items()}
                loss = compute_loss(model, batch, teacher, args.distill_weight, args.distill_temperature,
                                    args.distill_hidden_weight)
                accelerator.backward(loss)
                accelerator.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step(); scheduler.step(); optimizer.zero_grad()
                losses.append(loss.item())
                bar.set_postfix(loss=f"{np.mean(losses[-20:]):.3f}")
                step += 1
                if step >= total:
                    break
            record = {"epoch": epoch, "step": step, "train_loss": float(np.mean(losses)) if losses else None,
                      "elapsed_s": round(time.time() - start_time, 1)}
            unwrapped = accelerator.unwrap_model(model)
            if dev_items and accelerator.is_main_process:
                extractor = EventExtractor(unwrapped, tokenizer, accelerator.device)
                m = evaluate_items(extractor, dev_items)
                record["dev"] = {k: m[k]["f1"] for k in ("trigger_classification", "argument_classification")}
                record["dev"]["status_accuracy"] = m["status_accuracy"]
                score = record["dev"]["trigger_classification"] + record["dev"]["argument_classification"]
                unwrapped.train()
            else:
                score = epoch  # no dev set: keep the last epoch
            history.append(record)
            if accelerator.is_main_process:
                tqdm.write(json.dumps(record))
                if best is None or score > best[0]:
                    best = (score, epoch)
                    unwrapped.save_pretrained(workdir / "best", tokenizer=tokenizer)
            if step >= total or epoch == args.stop_after_epochs:
                break
        accelerator.wait_for_everyone()
        result = {"best_epoch": best[1] if best else None, "history": history,
                  "train_items": len(train_items), "dev_items": len(dev_items), "mix_items": len(mix_items),
                  "unlabelled_items": len(unlabelled),
                  "unlabelled_events": sum(len(it["events"]) for it in unlabelled),
                  "steps": step, "train_seconds": round(time.time() - start_time, 1)}
        if accelerator.is_main_process:
            final = EventModel.from_pretrained(workdir / "best")
            if dev_items:  # calibrated scores and the default min_score come from dev, never from test
                from .evaluation import calibrate

                final.calibration = calibrate(EventExtractor(final, tokenizer, "cpu"), dev_items)
                result["calibration"] = final.calibration.report | {
                    "min_score": final.calibration.min_score, "argument_min_score": final.calibration.argument_min_score}
            dtype = {"float16": torch.float16, "float32": torch.float32}[args.save_dtype]
            final.save_pretrained(args.output_dir, dtype=dtype, tokenizer=tokenizer, extra_files={
                "training_args.json": json.dumps(asdict(args), indent=2, ensure_ascii=False),
                "training_metrics.json": json.dumps(result, indent=2, ensure_ascii=False)})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return result
