"""Build the trimmed base encoder used by the shipped model, and prove the trim changes no tokenisation.

The XLM-R vocabulary has 250k pieces, most for scripts our users' text never contains. We keep the pieces
that the most frequent Ukrainian, Russian and English words use (in lower, Capitalised and UPPER case,
alone and followed by common punctuation), every piece without letters (numbers, punctuation, symbols),
the pieces of the training texts (train and dev), every single-character piece and the special tokens.

    python training/trim_vocab.py --out build/e5-small-trimmed --words 60000

Writes ``trim_report.json`` next to the encoder: piece counts, the training texts whose tokenisation
changed (zero by construction) and, as the honest figure, how many held-out texts (test splits and
articles, whose pieces were not used to choose the vocabulary) tokenise differently.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from eventx.data import read_jsonl  # noqa: E402
from eventx.encoder import base_encoder_path, tokenisation_changes, trim_vocabulary  # noqa: E402


def texts_of(paths) -> list[str]:
    return [item["text"] for path in paths for _, item, _ in read_jsonl(path) if item]


def word_forms(n_words: int) -> list[str]:
    from wordfreq import top_n_list

    forms = []
    for lang in ("uk", "ru", "en"):
        for w in top_n_list(lang, n_words):
            for v in {w, w.capitalize(), w.upper()}:
                forms += [v, v + ",", v + ".", "(" + v + ")", "«" + v + "»", '"' + v + '"']
    return forms


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=HERE.parent / "build" / "e5-small-trimmed")
    ap.add_argument("--words", type=int, default=60000, help="most frequent words per language")
    data = HERE / "data"
    ap.add_argument("--keep", nargs="*", type=Path, default=[data / "train.jsonl", data / "dev.jsonl"],
                    help="labelled files whose texts must tokenise exactly as before")
    ap.add_argument("--held-out", nargs="*", type=Path,
                    default=[data / "test.jsonl", data / "test_hard.jsonl", data / "articles.jsonl"],
                    help="labelled files only measured, not used to choose pieces")
    args = ap.parse_args(argv)
    full = base_encoder_path()
    keep = texts_of(args.keep)
    sizes = trim_vocabulary(full, args.out, word_forms(args.words) + keep)
    held = texts_of(args.held_out)
    changed_keep = tokenisation_changes(full, args.out, keep)
    changed_held = tokenisation_changes(full, args.out, held)
    report = {**sizes, "words_per_language": args.words,
              "training_texts_checked": len(keep), "training_texts_changed": len(changed_keep),
              "held_out_texts_checked": len(held), "held_out_texts_changed": len(changed_held)}
    (args.out / "trim_report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), "utf-8")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if not changed_keep else 1


if __name__ == "__main__":
    sys.exit(main())
