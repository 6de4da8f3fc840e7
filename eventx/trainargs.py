"""Training options: one dataclass with help text, shared by ``eventx train``, ``training/train.py`` and
configs saved with a model. No torch here, so building the command line stays cheap.

>>> arguments_from_dict({"train_file": "t.jsonl", "output_dir": "out", "epochs": 3}).epochs
3
>>> arguments_from_dict({"train_file": "t.jsonl", "output_dir": "out", "epoch": 3})
Traceback (most recent call last):
...
ValueError: unknown training option(s): epoch (known: batch_size, dev_file, distill_hidden_weight, distill_temperature, distill_weight, epochs, head_learning_rate, init, learning_rate, max_length, max_steps, mix_file, mix_ratio, num_layers, output_dir, progress, save_dtype, schema_file, seed, stop_after_epochs, teacher, train_embeddings, train_file, unlabelled_file, warmup_ratio, weight_decay)
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class TrainingArguments:
    train_file: str = field(metadata={"help": "Labelled JSONL to train on (validated first)."})
    output_dir: str = field(metadata={"help": "Where to write the trained model (written atomically)."})
    dev_file: str | None = field(default=None, metadata={"help": "Labelled JSONL for per-epoch evaluation and "
                                                                 "best-checkpoint selection."})
    init: str = field(default="e5-small", metadata={"help": "'e5-small' (the offline base encoder), any Hugging "
                                                            "Face encoder directory or name, or an eventx model "
                                                            "directory to continue training."})
    mix_file: str | None = field(default=None, metadata={"help": "Extra labelled JSONL mixed into training (for "
                                                                 "example the original corpus, so a retrained model "
                                                                 "does not forget)."})
    mix_ratio: float = field(default=1.0, metadata={"help": "How many mix_file items per train item (sampled "
                                                            "each epoch)."})
    schema_file: str | None = field(default=None, metadata={"help": "JSON {'types': {type: [roles]}, 'statuses': "
                                                                    "[...]} declaring your own labels; labels "
                                                                    "seen in the data are added too."})
    epochs: int = field(default=10, metadata={"help": "Passes over the training data."})
    learning_rate: float = field(default=8e-5, metadata={"help": "Peak learning rate of the encoder."})
    head_learning_rate: float = field(default=1e-3, metadata={"help": "Peak learning rate of the task heads."})
    batch_size: int = field(default=16, metadata={"help": "Items per optimisation step (per device)."})
    max_length: int = field(default=128, metadata={"help": "Tokens per window; longer items are truncated in "
                                                           "training and windowed at inference."})
    warmup_ratio: float = field(default=0.1, metadata={"help": "Fraction of steps with linear warm-up."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay."})
    train_embeddings: bool = field(default=False, metadata={"help": "Also update the word embeddings (frozen by "
                                                                    "default: keeps the multilingual alignment "
                                                                    "and saves time)."})
    num_layers: int = field(default=-1, metadata={"help": "Keep only this many evenly spaced encoder layers of "
                                                          "`init` (a smaller, faster student); -1 keeps all."})
    teacher: str | None = field(default=None, metadata={"help": "An eventx model (same labels) whose scores the "
                                                                "model learns as well as the gold labels "
                                                                "(distillation)."})
    distill_weight: float = field(default=0.5, metadata={"help": "With `teacher`: share of the loss that follows "
                                                                 "the teacher's scores (the rest follows the "
                                                                 "gold labels)."})
    distill_temperature: float = field(default=2.0, metadata={"help": "With `teacher`: softmax temperature of "
                                                                      "both models' scores in that loss."})
    distill_hidden_weight: float = field(default=0.0, metadata={"help": "With `teacher`: weight of the mean "
                                                                        "squared distance between both models' "
                                                                        "top hidden states (which both heads "
                                                                        "read), added to the teacher's share."})
    unlabelled_file: str | None = field(default=None, metadata={"help": "With `teacher`: unlabelled text (plain "
                                                                        "text, documents separated by a blank "
                                                                        "line, or JSONL with a 'text' field) "
                                                                        "that the teacher labels once; those "
                                                                        "items train alongside train_file."})
    seed: int = field(default=13, metadata={"help": "Random seed (data order, dropout, new heads)."})
    save_dtype: str = field(default="float16", metadata={"help": "Weight dtype on disk: float16 or float32."})
    max_steps: int = field(default=-1, metadata={"help": "Stop after this many steps (tests, smoke runs)."})
    stop_after_epochs: int = field(default=-1, metadata={"help": "Stop after this many epochs while keeping the "
                                                                 "learning-rate schedule of `epochs` (a first "
                                                                 "stage that a later run continues from)."})
    progress: bool = field(default=True, metadata={"help": "Show progress bars."})


def arguments_from_dict(d: dict) -> TrainingArguments:
    known = {f.name for f in fields(TrainingArguments)}
    unknown = sorted(set(d) - known)
    if unknown:
        raise ValueError(f"unknown training option(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return TrainingArguments(**d)
