"""eventx.modeling: the event model on a tiny random encoder (no downloads)."""
from __future__ import annotations

import json

import pytest
import torch

from eventx import ModelError

from eventx import modeling as M
from eventx.labels import LabelSet
from eventx.modeling import EventModel, tiny_encoder_config

LABELS = LabelSet.from_schema({"Meeting": ("participant", "place"), "Agreement": ("party", "place")},
                              ("happened", "planned", "negated"))


@pytest.fixture
def model():
    torch.manual_seed(0)
    return EventModel.from_encoder_config(tiny_encoder_config(), LABELS, max_length=64).eval()


def batch():
    ids = torch.tensor([[0, 5, 6, 7, 8, 9, 2], [0, 10, 11, 2, 1, 1, 1]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0, 0]])
    return ids, mask


def event_args():
    sentence_index = torch.tensor([0, 0, 1])
    trigger_mask = torch.tensor([[0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 1, 1, 0, 0], [0, 1, 0, 0, 0, 0, 0]])
    event_type = torch.tensor([0, 1, 0])
    return sentence_index, trigger_mask, event_type


def outputs(m):
    ids, mask = batch()
    with torch.no_grad():
        out = m(ids, mask)
        roles, status = m.argument_logits(out.hidden, mask, *event_args())
    return out.trigger_logits, out.hidden, roles, status


def test_tiny_config():
    cfg = tiny_encoder_config()
    assert cfg["hidden_size"] == 32 and cfg["num_hidden_layers"] == 2 and cfg["vocab_size"] == 120
    assert tiny_encoder_config(vocab_size=50, hidden=64, layers=1)["intermediate_size"] == 128


def test_forward_shapes_and_loss(model):
    ids, mask = batch()
    out = model(ids, mask)
    assert out.trigger_logits.shape == (2, 7, len(LABELS.trigger_labels)) == (2, 7, 5)
    assert out.hidden.shape == (2, 7, 32)
    assert out.loss is None
    labels = torch.tensor([[-100, 0, 1, 2, 0, 0, -100], [-100, 3, 4, -100, -100, -100, -100]])
    out = model(ids, mask, trigger_labels=labels)
    assert out.loss.ndim == 0 and torch.isfinite(out.loss) and out.loss > 0
    # the loss ignores -100 positions: it equals the cross entropy over the labelled tokens
    keep = labels.flatten() != -100
    expected = torch.nn.functional.cross_entropy(out.trigger_logits.flatten(0, 1)[keep], labels.flatten()[keep])
    assert torch.allclose(out.loss, expected)
    out.loss.backward()
    assert model.trigger_head.weight.grad is not None


def test_argument_logits_shapes(model):
    trig, hidden, roles, status = outputs(model)
    assert roles.shape == (3, 7, len(LABELS.role_labels)) == (3, 7, 7)
    assert status.shape == (3, len(LABELS.statuses)) == (3, 3)
    assert torch.isfinite(roles).all() and torch.isfinite(status).all()


def test_argument_logits_depend_on_the_trigger(model):
    ids, mask = batch()
    with torch.no_grad():
        h = model(ids, mask).hidden
        a, _ = model.argument_logits(h, mask, torch.tensor([0]), torch.tensor([[0, 0, 1, 0, 0, 0, 0]]),
                                     torch.tensor([0]))
        b, _ = model.argument_logits(h, mask, torch.tensor([0]), torch.tensor([[0, 0, 0, 0, 1, 0, 0]]),
                                     torch.tensor([0]))
        c, _ = model.argument_logits(h, mask, torch.tensor([0]), torch.tensor([[0, 0, 1, 0, 0, 0, 0]]),
                                     torch.tensor([1]))
    assert not torch.allclose(a, b) and not torch.allclose(a, c)


def test_argument_logits_of_a_batch_equal_one_by_one(model):
    ids, mask = batch()
    si, tm, et = event_args()
    with torch.no_grad():
        h = model(ids, mask).hidden
        roles, status = model.argument_logits(h, mask, si, tm, et)
        for e in range(3):
            r1, s1 = model.argument_logits(h, mask, si[e:e + 1], tm[e:e + 1], et[e:e + 1])
            n = int(mask[si[e]].sum())
            assert torch.allclose(r1[0, :n], roles[e, :n], atol=1e-5)
            assert torch.allclose(s1[0], status[e], atol=1e-5)


def test_config_dict(model):
    cfg = model.config_dict()
    assert cfg["architecture"] == "eventx-tagger" and cfg["format_version"] == M.FORMAT_VERSION
    assert cfg["max_length"] == 64
    assert cfg["labels"] == LABELS.to_dict()
    assert cfg["trigger_labels"] == LABELS.trigger_labels and cfg["role_labels"] == LABELS.role_labels
    assert cfg["encoder"]["model_type"] == "bert" and cfg["encoder"]["hidden_size"] == 32
    assert not any(k.startswith("_") or k in ("architectures", "transformers_version") for k in cfg["encoder"])
    json.dumps(cfg)


# ---------------------------------------------------------------- save / load

def test_save_and_load_round_trip(model, tmp_path):
    path = model.save_pretrained(tmp_path / "m", extra_files={"README.md": "hello"})
    assert path == tmp_path / "m"
    assert sorted(p.name for p in path.iterdir()) == ["README.md", "config.json", "model.safetensors"]
    assert (path / "README.md").read_text() == "hello"
    loaded = EventModel.from_pretrained(path)
    assert not loaded.training
    assert loaded.labels == model.labels and loaded.max_length == 64
    a, b = model.state_dict(), loaded.state_dict()
    assert a.keys() == b.keys()
    for k in a:
        assert b[k].dtype == a[k].dtype, k
        assert torch.equal(a[k], b[k]), k
    for x, y in zip(outputs(model), outputs(loaded)):
        assert torch.equal(x, y)


def test_save_float16_loads_as_float32(model, tmp_path):
    from safetensors.torch import load_file

    path = model.save_pretrained(tmp_path / "half", dtype=torch.float16)
    raw = load_file(str(path / "model.safetensors"))
    assert all(v.dtype == torch.float16 for v in raw.values() if v.is_floating_point())
    loaded = EventModel.from_pretrained(path)
    for k, v in model.state_dict().items():
        w = loaded.state_dict()[k]
        if v.is_floating_point():
            assert w.dtype == torch.float32, k
            assert torch.equal(w, v.half().float()), k
        else:
            assert torch.equal(w, v), k
    # outputs stay close to the float32 model
    for x, y in zip(outputs(model), outputs(loaded)):
        assert torch.allclose(x, y, atol=0.05)


def test_save_replaces_an_existing_directory_atomically(model, tmp_path):
    path = tmp_path / "m"
    path.mkdir()
    (path / "stale.txt").write_text("old")
    model.save_pretrained(path)
    model.save_pretrained(path)
    assert sorted(p.name for p in path.iterdir()) == ["config.json", "model.safetensors"]
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # no temporary directories left


def test_failed_save_leaves_nothing_behind(model, tmp_path):
    class BadTokenizer:
        def save_pretrained(self, d):
            raise RuntimeError("disk full")

    path = tmp_path / "m"
    with pytest.raises(RuntimeError, match="disk full"):
        model.save_pretrained(path, tokenizer=BadTokenizer())
    assert list(tmp_path.iterdir()) == []
    # an existing model is kept when saving over it fails
    model.save_pretrained(path)
    before = (path / "model.safetensors").read_bytes()
    with pytest.raises(RuntimeError):
        model.save_pretrained(path, tokenizer=BadTokenizer())
    assert (path / "model.safetensors").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m"]


def test_from_pretrained_without_config_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="not an eventx model directory.*config.json") as info:
        EventModel.from_pretrained(tmp_path)
    assert str(tmp_path) in str(info.value)
    with pytest.raises(ModelError, match="no such model directory"):
        EventModel.from_pretrained(tmp_path / "nope")


def test_from_pretrained_with_wrong_architecture_is_a_clear_error(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"architectures": ["BertModel"], "model_type": "bert"}))
    with pytest.raises(ValueError, match=r"not an eventx model config \(architecture=None\)") as info:
        EventModel.from_pretrained(tmp_path)
    assert str(tmp_path / "config.json") in str(info.value)
    (tmp_path / "config.json").write_text(json.dumps({"architecture": "something-else"}))
    with pytest.raises(ValueError, match="architecture='something-else'"):
        EventModel.from_pretrained(tmp_path)


def test_from_pretrained_with_newer_format_is_a_clear_error(model, tmp_path):
    path = model.save_pretrained(tmp_path / "m")
    cfg = json.loads((path / "config.json").read_text())
    cfg["format_version"] = M.FORMAT_VERSION + 1
    (path / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ValueError, match="newer than this eventx"):
        EventModel.from_pretrained(path)


def test_from_pretrained_with_mismatched_weights_fails(model, tmp_path):
    path = model.save_pretrained(tmp_path / "m")
    cfg = json.loads((path / "config.json").read_text())
    cfg["labels"]["types"]["Strike"] = ["target"]
    del cfg["trigger_labels"], cfg["role_labels"]
    (path / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match="model.safetensors: the labels in config.json do not match"):
        EventModel.from_pretrained(path)
    # without the labels hash (models saved before it was stored) the shape check still refuses it
    from safetensors.torch import load_file, save_file
    save_file(load_file(str(path / "model.safetensors")), str(path / "model.safetensors"), metadata={"format": "pt"})
    with pytest.raises(ModelError, match="model.safetensors: weights do not fit the labels or encoder"):
        EventModel.from_pretrained(path)


# ---------------------------------------------------------------- extend_labels

def test_extend_labels_keeps_old_rows_and_adds_new_ones(model):
    old = {k: v.clone() for k, v in model.state_dict().items()}
    old_labels = model.labels
    trig_before, _, roles_before, status_before = outputs(model)
    extra = LabelSet.from_schema({"Strike": ("target", "place"), "Meeting": ("time",)}, ("possible", "happened"))
    assert model.extend_labels(extra) is model
    new = model.labels
    assert new == old_labels.extend(extra)
    assert model.trigger_head.out_features == len(new.trigger_labels) == 7
    assert model.role_head.out_features == len(new.role_labels) == 11
    assert model.status_head.out_features == len(new.statuses) == 4
    assert model.status_head.in_features == 64
    assert model.type_embedding.num_embeddings == 3
    for head, old_names, new_names in (("trigger_head", old_labels.trigger_labels, new.trigger_labels),
                                       ("role_head", old_labels.role_labels, new.role_labels),
                                       ("status_head", list(old_labels.statuses), list(new.statuses))):
        w, b = getattr(model, head).weight, getattr(model, head).bias
        for j, name in enumerate(old_names):
            i = new_names.index(name)
            assert torch.equal(w[i], old[f"{head}.weight"][j]), (head, name)
            assert torch.equal(b[i], old[f"{head}.bias"][j]), (head, name)
    for j, t in enumerate(old_labels.types):
        assert torch.equal(model.type_embedding.weight[list(new.types).index(t)], old["type_embedding.weight"][j])
    # everything else is untouched
    for k, v in model.state_dict().items():
        if not k.startswith(("trigger_head", "role_head", "status_head", "type_embedding")):
            assert torch.equal(v, old[k]), k
    # old label scores are unchanged
    trig, _, roles, status = outputs(model)
    idx = [new.trigger_labels.index(n) for n in old_labels.trigger_labels]
    assert torch.equal(trig[..., idx], trig_before)
    idx = [new.role_labels.index(n) for n in old_labels.role_labels]
    assert torch.allclose(roles[..., idx], roles_before)
    idx = [list(new.statuses).index(n) for n in old_labels.statuses]
    assert torch.allclose(status[..., idx], status_before)


def test_extend_labels_with_nothing_new_is_a_no_op(model):
    head = model.trigger_head
    assert model.extend_labels(LabelSet.from_schema({"Meeting": ("place",)}, ("happened",))) is model
    assert model.trigger_head is head and model.labels == LABELS


def test_extended_model_saves_and_loads(model, tmp_path):
    model.extend_labels(LabelSet.from_schema({"Strike": ("target",)}, ("possible",)))
    loaded = EventModel.from_pretrained(model.save_pretrained(tmp_path / "m"))
    assert loaded.labels == model.labels
    for x, y in zip(outputs(model.eval()), outputs(loaded)):
        assert torch.equal(x, y)


def test_module_doctests():
    import doctest

    assert doctest.testmod(M).failed == 0
