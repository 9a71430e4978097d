"""Cost of the entity layer over a bare nlp.pipe of the same model, on a synthetic corpus from seeds/.

Usage: python bench/entities.py [N_ARTICLES]   (default 2000)
The entity layer is what build_tables runs for entities: senter + EntityRuler + ner through nlp.pipe,
then mentions, corpus-level resolution and the entities / co-occurrence tables. The bare pipe is
spacy.load(model) with its default components, no ruler. Target: layer time <= 1.15 x bare time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import spacy  # noqa: E402

from analysis.clean import clean_text  # noqa: E402
from analysis.entities import cooccurrence_table, entity_table, mentions_frame, mentions_from_doc, resolve  # noqa: E402
from analysis.nlp import MODEL_CANDIDATES, load_pipeline, process, sentence_spans  # noqa: E402
from bench.synthetic import synthetic_texts  # noqa: E402


def entity_layer(bodies: list[str]) -> int:
    nlp = load_pipeline().nlp
    mentions, sentences = [], 0
    for i, doc in enumerate(process(bodies, nlp=nlp)):
        spans = sentence_spans(doc)
        sentences += len(spans)
        mentions.extend(mentions_from_doc(doc, document=f"{i}.txt", sentence_starts=[s[0] for s in spans]))
    frame = mentions_frame(resolve(mentions))
    documents = pd.DataFrame({"document": [f"{i}.txt" for i in range(len(bodies))], "outlet": "", "published": ""})
    entity_table(frame, documents)
    cooccurrence_table(frame, sentences_total=sentences)
    return len(frame)


def bare_pipe(bodies: list[str], model) -> int:
    return sum(len(doc.ents) for doc in model.pipe(bodies, batch_size=32))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    bodies = [clean_text(t).body for t in synthetic_texts(count)]
    words = sum(len(b.split()) for b in bodies)
    load_pipeline()  # load outside the timing, like the dashboard's cached pipeline
    bare_model = None
    for name in MODEL_CANDIDATES:
        try:
            bare_model = spacy.load(name)
            break
        except OSError:
            continue
    start = time.perf_counter()
    mentions = entity_layer(bodies)
    layer = time.perf_counter() - start
    start = time.perf_counter()
    ents = bare_pipe(bodies, bare_model)
    bare = time.perf_counter() - start
    print(f"articles                    {count:>10,}")
    print(f"body words                  {words:>10,}")
    print(f"entity layer                {words / layer:>10,.0f} words/s  ({layer:.1f} s, {mentions:,} mentions)")
    print(f"bare nlp.pipe (all pipes)   {words / bare:>10,.0f} words/s  ({bare:.1f} s, {ents:,} entities)")
    print(f"layer time / bare time      {layer / bare:>10.2f}   (target <= 1.15)")


if __name__ == "__main__":
    main()
