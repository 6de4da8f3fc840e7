"""Training end to end on a tiny random encoder: train, save, load, extract, retrain with new labels."""
from __future__ import annotations

import json

import pytest
import torch

from eventx.data import DataError
from eventx.extraction import EventExtractor
from eventx.modeling import EventModel
from eventx.training import TrainingArguments, arguments_from_dict, collate, featurize, train
from tiny import LABELS, save_tiny_encoder, tiny_tokenizer, write_jsonl


def many(items, n):
    return [{**it, "id": f"{it['id']}-{k}"} for k in range(n) for it in items]


def item(i, text, events):
    return {"id": str(i), "lang": "en", "text": text, "events": events}


def ev(text, type_, status, trigger, args):
    def span(s):
        start = text.index(s)
        return {"start": start, "end": start + len(s), "text": s}
    return {"type": type_, "status": status, "trigger": span(trigger),
            "arguments": [{"role": r, **span(s)} for r, s in args]}


T1 = "Japan joined PURL."
T2 = "Estonia will join the coalition."
T3 = "Rain is expected today."
ITEMS = [item(1, T1, [ev(T1, "MechanismJoining", "happened", "joined", [("joiner", "Japan"), ("mechanism", "PURL")])]),
         item(2, T2, [ev(T2, "MechanismJoining", "planned", "join", [("joiner", "Estonia"), ("mechanism", "coalition")])]),
         item(3, T3, [])]


@pytest.fixture(scope="module")
def encoder_dir(tmp_path_factory):
    return save_tiny_encoder(tmp_path_factory.mktemp("enc"))


def test_featurize_aligns_tags_with_tokens():
    tok = tiny_tokenizer()
    f = featurize(ITEMS[:1], tok, LABELS, 64)[0]
    toks = tok.convert_ids_to_tokens(f["input_ids"])
    tagged = "".join(t for t, lab in zip(toks, f["trigger_labels"]) if lab > 0).replace("\u2581", "")
    assert tagged == "joined"
    (event,) = f["events"]
    assert [t for t, m in zip(toks, event["trigger_mask"]) if m] == [t for t, lab in zip(toks, f["trigger_labels"]) if lab > 0]
    assert event["status"] == LABELS.statuses.index("happened")
    batch = collate([f, featurize(ITEMS[2:], tok, LABELS, 64)[0]], tok.pad_token_id)
    assert batch["input_ids"].shape[0] == 2 and batch["trigger_mask"].shape[0] == 1


def test_train_save_load_extract_and_retrain_with_new_labels(tmp_path, encoder_dir):
    train_file = write_jsonl(tmp_path / "train.jsonl", many(ITEMS, 4))
    out = tmp_path / "model"
    args = TrainingArguments(train_file=str(train_file), dev_file=str(train_file), output_dir=str(out),
                             init=str(encoder_dir), epochs=2, batch_size=4, max_length=32, progress=False,
                             head_learning_rate=5e-3, seed=1)
    result = train(args)
    assert result["best_epoch"] in (1, 2) and len(result["history"]) == 2
    assert "dev" in result["history"][0]
    saved = json.loads((out / "training_args.json").read_text())
    assert saved["epochs"] == 2 and saved["init"] == str(encoder_dir)
    ex = EventExtractor.from_pretrained(out, device="cpu")
    assert isinstance(ex.extract(T1), list)
    assert not list(tmp_path.glob("*eventx-best-*")), "no checkpoint is left beside the model"

    # reproducible: the same seed gives the same weights
    out2 = tmp_path / "model2"
    train(TrainingArguments(**{**args.__dict__, "output_dir": str(out2)}))
    a, b = EventModel.from_pretrained(out).state_dict(), EventModel.from_pretrained(out2).state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)

    # retrain on data with a new type and role: labels extend, old head rows are kept
    T4 = "Drones struck the depot at night."
    new = [item(4, T4, [ev(T4, "Strike", "happened", "struck", [("target", "depot")])])]
    new_file = write_jsonl(tmp_path / "new.jsonl", many(new, 4))
    out3 = tmp_path / "model3"
    train(TrainingArguments(train_file=str(new_file), output_dir=str(out3), init=str(out), mix_file=str(train_file),
                            mix_ratio=0.5, epochs=1, batch_size=4, max_length=32, progress=False, learning_rate=0.0,
                            head_learning_rate=0.0))
    old, grown = EventModel.from_pretrained(out), EventModel.from_pretrained(out3)
    assert grown.labels.trigger_labels[:len(old.labels.trigger_labels)] == old.labels.trigger_labels
    assert "B-Strike" in grown.labels.trigger_labels and "B-target" in grown.labels.role_labels
    n = len(old.labels.trigger_labels)
    assert torch.allclose(grown.trigger_head.weight[:n], old.trigger_head.weight, atol=1e-3)  # fp16 on disk
    assert isinstance(EventExtractor(grown, tiny_tokenizer()).extract(T4), list)


def test_invalid_data_is_refused_before_training(tmp_path, encoder_dir):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "abc", "events": [{"type": "Meeting", "status": "maybe", '
                   '"trigger": {"start": 0, "end": 9}, "arguments": []}]}\nnot json\n', encoding="utf-8")
    out = tmp_path / "never"
    with pytest.raises(DataError) as e:
        train(TrainingArguments(train_file=str(bad), output_dir=str(out), init=str(encoder_dir), progress=False))
    msg = str(e.value)
    assert f"{bad}:1:" in msg and "status" in msg and "outside the text" in msg and f"{bad}:2: bad JSON" in msg
    assert not out.exists()


def test_unknown_config_keys_are_named():
    with pytest.raises(ValueError, match="epochz"):
        arguments_from_dict({"train_file": "a", "output_dir": "b", "epochz": 3})


def test_long_items_train_as_the_sentences_the_extractor_reads():
    from eventx.segment import split_sentences
    from eventx.training import sentence_units

    text = ("NAIROBI, May 4. Kenya joined PURL, the ministry said. “We are proud,” he said. "
            "Kenya met Peru. Talks went on")
    events = [ev(text, "MechanismJoining", "happened", "joined", [("joiner", "Kenya"), ("mechanism", "PURL")]),
              ev(text, "Meeting", "happened", "met", [("participant", "Peru")])]
    # an argument in another sentence than its trigger is dropped; a span across a boundary joins sentences
    events[1]["arguments"].append({"role": "participant", "start": 0, "end": 7, "text": "NAIROBI"})
    cross = text.index("said. “We")
    events.append({"type": "Meeting", "status": "happened", "trigger": {"start": cross, "end": cross + 9},
                   "arguments": []})
    units = sentence_units(item(9, text, events))
    sents = [text[s:e] for s, e in split_sentences(text)]
    assert [u["text"] for u in units] == [sents[0], sents[1] + " " + sents[2], sents[3], sents[4]]
    for u in units:
        for e in u["events"]:
            t = e["trigger"]
            assert u["text"][t["start"]:t["end"]] == t.get("text", text[cross:cross + 9])
            for a in e["arguments"]:
                assert u["text"][a["start"]:a["end"]] == a["text"]
    assert [len(u["events"]) for u in units] == [0, 2, 1, 0]
    assert [a["text"] for a in units[2]["events"][0]["arguments"]] == ["Peru"]
    assert len(featurize([item(9, text, events)], tiny_tokenizer(), LABELS, 64)) == 4


def test_stop_after_epochs_keeps_the_longer_schedule(tmp_path, encoder_dir):
    train_file = write_jsonl(tmp_path / "train.jsonl", many(ITEMS, 4))
    common = dict(train_file=str(train_file), init=str(encoder_dir), batch_size=4, max_length=32, progress=False,
                  seed=2, warmup_ratio=0.0)
    first = train(TrainingArguments(output_dir=str(tmp_path / "a"), epochs=3, stop_after_epochs=1, **common))
    assert len(first["history"]) == 1 and first["steps"] == 3
    short = train(TrainingArguments(output_dir=str(tmp_path / "b"), epochs=1, **common))
    a = EventModel.from_pretrained(tmp_path / "a").state_dict()
    b = EventModel.from_pretrained(tmp_path / "b").state_dict()
    # same data order and steps, but the 3-epoch schedule decays the learning rate more slowly
    assert short["steps"] == 3 and any(not torch.equal(a[k], b[k]) for k in a)


def test_a_student_with_fewer_layers_learns_from_its_teacher_and_round_trips(tmp_path, encoder_dir):
    train_file = write_jsonl(tmp_path / "train.jsonl", many(ITEMS, 4))
    common = dict(train_file=str(train_file), epochs=1, batch_size=4, max_length=32, progress=False, seed=1)
    teacher_dir = tmp_path / "teacher"
    train(TrainingArguments(output_dir=str(teacher_dir), init=str(encoder_dir), **common))
    teacher = EventModel.from_pretrained(teacher_dir)
    assert teacher.encoder.config.num_hidden_layers == 2

    # learning rate 0: the student is exactly the teacher's top layer(s), so what it saves shows the cut
    student_dir = tmp_path / "student"
    result = train(TrainingArguments(output_dir=str(student_dir), init=str(teacher_dir), num_layers=1,
                                     teacher=str(teacher_dir), distill_weight=0.7, learning_rate=0.0,
                                     head_learning_rate=0.0, **common))
    assert result["steps"] > 0
    student = EventModel.from_pretrained(student_dir)
    assert student.encoder.config.num_hidden_layers == 1 and len(student.encoder.encoder.layer) == 1
    top = {k.replace("encoder.layer.1.", "encoder.layer.0."): v for k, v in teacher.state_dict().items()
           if "encoder.layer.0." not in k}
    assert student.state_dict().keys() == top.keys()
    assert all(torch.equal(student.state_dict()[k], top[k]) for k in top)
    saved = json.loads((student_dir / "training_args.json").read_text())
    assert saved["num_layers"] == 1 and saved["teacher"] == str(teacher_dir)
    assert isinstance(EventExtractor.from_pretrained(student_dir, device="cpu").extract(T1), list)


def test_unlabelled_text_is_labelled_by_the_teacher_and_trained_on(tmp_path, encoder_dir):
    from eventx.training import teacher_items

    train_file = write_jsonl(tmp_path / "train.jsonl", many(ITEMS, 4))
    common = dict(train_file=str(train_file), epochs=1, batch_size=4, max_length=32, progress=False, seed=1)
    teacher_dir = tmp_path / "teacher"
    train(TrainingArguments(output_dir=str(teacher_dir), init=str(encoder_dir), **common))
    docs = ["Japan joined PURL. Talks went on.", "Estonia joined the coalition."]
    unlabelled = tmp_path / "unlabelled.txt"
    unlabelled.write_text("\n\n".join(docs) + "\n", "utf-8")
    teacher = EventExtractor.from_pretrained(teacher_dir, device="cpu")
    found = teacher.extract(docs, min_score=0)
    items = teacher_items(teacher, docs)  # the teacher's own default thresholds
    assert [it["text"] for it in items] == docs
    kept = teacher.extract(docs)
    assert [[(e["type"], e["trigger"]["start"], e["trigger"]["end"]) for e in it["events"]] for it in items] == \
        [[(e.type, e.trigger.start, e.trigger.end) for e in evs] for evs in kept]
    assert sum(map(len, found)) >= sum(map(len, kept))

    plain = train(TrainingArguments(output_dir=str(tmp_path / "plain"), init=str(teacher_dir), num_layers=1,
                                    teacher=str(teacher_dir), **common))
    result = train(TrainingArguments(output_dir=str(tmp_path / "more"), init=str(teacher_dir), num_layers=1,
                                     teacher=str(teacher_dir), unlabelled_file=str(unlabelled),
                                     distill_hidden_weight=1.0, **common))
    assert result["unlabelled_items"] == 2 and result["unlabelled_events"] == sum(map(len, kept))
    assert result["steps"] > plain["steps"]  # more units to train on (each document is cut into sentences)
    saved = json.loads((tmp_path / "more" / "training_args.json").read_text())
    assert saved["unlabelled_file"] == str(unlabelled) and saved["distill_hidden_weight"] == 1.0


def test_teacher_items_turn_found_events_into_training_items():
    from eventx.training import featurize, teacher_items
    from eventx.types import Argument, Event, Span

    class Fixed:  # an extractor that finds one event, with scores of its own
        def extract(self, texts, batch_size=16):
            return [[Event("MechanismJoining", "happened", 0.9, Span("joined", 6, 12),
                           (Argument("joiner", "Japan", 0, 5, 0.8),))] for _ in texts]

    items = teacher_items(Fixed(), [T1])
    assert items == [{"id": "unlabelled-0", "text": T1, "events": [
        {"type": "MechanismJoining", "status": "happened", "trigger": {"start": 6, "end": 12},
         "arguments": [{"role": "joiner", "start": 0, "end": 5}]}]}]
    assert featurize(items, tiny_tokenizer(), LABELS, 32)[0]["events"][0]["status"] == 0


def test_unlabelled_files_report_bad_lines_and_need_a_teacher(tmp_path, encoder_dir):
    from eventx.training import hidden_loss, read_unlabelled

    bad = tmp_path / "u.jsonl"
    bad.write_text('{"text": "Japan joined PURL."}\n\nnot json\n{"text": 3}\n', "utf-8")
    with pytest.raises(DataError) as err:
        read_unlabelled(str(bad))
    assert "u.jsonl:3: bad JSON" in str(err.value) and "u.jsonl:4: field 'text': expected a string" in str(err.value)
    good = tmp_path / "g.jsonl"
    good.write_text('{"text": "Japan joined PURL."}\n{"text": "  "}\n', "utf-8")
    assert read_unlabelled(str(good)) == ["Japan joined PURL."]
    train_file = write_jsonl(tmp_path / "train.jsonl", many(ITEMS, 2))
    out = tmp_path / "never"
    with pytest.raises(ValueError, match="needs --teacher"):
        train(TrainingArguments(train_file=str(train_file), output_dir=str(out), init=str(encoder_dir),
                                unlabelled_file=str(good), epochs=1, progress=False))
    assert not out.exists()
    # the distance counts real tokens only: padding may hold anything
    a, b = torch.zeros(1, 3, 2), torch.zeros(1, 3, 2)
    b[0, 2] = 100.0
    assert float(hidden_loss(a, b, torch.tensor([[1, 1, 0]]))) == 0.0
    assert float(hidden_loss(a, b, torch.tensor([[1, 1, 1]]))) > 0.0


def test_a_teacher_must_score_the_same_labels(tmp_path, encoder_dir):
    train_file = write_jsonl(tmp_path / "train.jsonl", many(ITEMS, 2))
    teacher_dir = tmp_path / "teacher"
    train(TrainingArguments(train_file=str(train_file), output_dir=str(teacher_dir), init=str(encoder_dir),
                            epochs=1, batch_size=4, max_length=32, progress=False))
    T4 = "Drones struck the depot at night."
    other = write_jsonl(tmp_path / "other.jsonl", [item(4, T4, [ev(T4, "Strike", "happened", "struck", [])])])
    out = tmp_path / "never"
    with pytest.raises(ValueError, match="labels differ"):
        train(TrainingArguments(train_file=str(other), output_dir=str(out), init=str(encoder_dir),
                                teacher=str(teacher_dir), epochs=1, progress=False))
    with pytest.raises(ValueError, match="not an eventx model"):
        train(TrainingArguments(train_file=str(train_file), output_dir=str(out), init=str(encoder_dir),
                                teacher=str(encoder_dir), epochs=1, progress=False))
    assert not out.exists()


def test_keep_layers_refuses_a_count_it_cannot_keep():
    from eventx.modeling import tiny_encoder_config

    model = EventModel.from_encoder_config(tiny_encoder_config(layers=2), LABELS)
    for n in (0, 3, True, 1.5):
        with pytest.raises(ValueError, match="from 1 to 2"):
            model.keep_layers(n)
