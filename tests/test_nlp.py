import pytest

from analysis import nlp as nlp_module
from analysis.nlp import load_pipeline, split_sentences


def test_model_package_loads():
    pipeline = load_pipeline()
    assert pipeline.warning is None
    assert "ner" in pipeline.nlp.pipe_names and "senter" in pipeline.nlp.pipe_names


def test_blank_fallback_warns_when_no_model(monkeypatch):
    monkeypatch.setattr(nlp_module, "MODEL_CANDIDATES", ("no_such_model_a", "no_such_model_b"))
    monkeypatch.setattr(nlp_module, "_loaded", {})
    pipeline = load_pipeline("no_such_model_c")
    assert pipeline.model == "blank:en + sentencizer"
    assert "No English spaCy model" in pipeline.warning
    spans = next(split_sentences(["One sentence here. Another one there."], nlp=pipeline.nlp))
    assert [s[2] for s in spans] == ["One sentence here.", "Another one there."]


def test_abbreviations_do_not_split_sentences():
    text = "The U.S. and the U.K. agreed on Nov. 25 to cap the army. Macron said so."
    spans = next(split_sentences([text], nlp=load_pipeline().nlp))
    assert [s[2] for s in spans] == ["The U.S. and the U.K. agreed on Nov. 25 to cap the army.", "Macron said so."]


def test_the_stance_parse_tag_map_gives_the_attribute_rulers_parts_of_speech():
    """The dictionary twin of the attribute ruler (the stance parse runs it) agrees with the ruler token for token,
    but for the ruler's few rules over several tokens."""
    from pathlib import Path

    nlp = load_pipeline().nlp
    if "briefing_tag_map" not in nlp.pipe_names:
        pytest.skip("no statistical English model: no attribute ruler to mirror")
    texts = [line for path in sorted((Path(__file__).parents[1] / "seeds").glob("*.txt"))
             for line in path.read_text("utf-8").splitlines() if len(line) > 40]
    common = ["tok2vec", "tagger", "lemmatizer", "parser"]
    with nlp.select_pipes(enable=common + ["attribute_ruler"]):
        ruled = list(nlp.pipe(texts))
    with nlp.select_pipes(enable=common + ["briefing_tag_map"]):
        mapped = list(nlp.pipe(texts))
    pairs = [(a, b) for x, y in zip(ruled, mapped, strict=True) for a, b in zip(x, y, strict=True)]
    same = sum(a.pos_ == b.pos_ and a.lemma_ == b.lemma_ and str(a.morph) == str(b.morph) for a, b in pairs)
    print(f"\ntag map: {same} of {len(pairs)} tokens with the ruler's part of speech, lemma and morphology")
    assert len(pairs) > 2000 and same / len(pairs) >= 0.995


def test_model_identity_names_the_model_load_pipeline_would_load_without_loading_it(monkeypatch):
    for requested in (None, "no_such_model_c"):
        pipeline = load_pipeline(requested)
        monkeypatch.setattr(nlp_module, "_loaded", {})  # not answered from the loaded pipelines
        assert nlp_module.model_identity(requested) == (pipeline.model, pipeline.warning)
        assert nlp_module._loaded == {}
        monkeypatch.undo()
    monkeypatch.setattr(nlp_module, "MODEL_CANDIDATES", ("no_such_model_a",))
    monkeypatch.setattr(nlp_module, "_loaded", {})
    assert nlp_module.model_identity("no_such_model_b")[0] == "blank:en + sentencizer"


def test_a_sentence_copied_from_its_article_parses_as_the_sentence_alone():
    """The stance parse reads copies of the article pass's sentences (tokens and gazetteer entities kept): the same
    parts of speech, lemmas, dependencies and entities as parsing each sentence's text afresh."""
    from pathlib import Path

    from analysis.positions import parse_candidates

    nlp = load_pipeline().nlp
    if "parser" not in nlp.pipe_names:
        pytest.skip("no statistical English model: nothing to parse")
    texts = [path.read_text("utf-8") for path in sorted((Path(__file__).parents[1] / "seeds").glob("*.txt"))]
    copies, alone = [], []
    for processed in nlp_module.process(texts, nlp=nlp):
        spans = nlp_module.sentence_spans(processed)
        found = nlp_module.sentence_copies(processed, [s[:2] for s in spans])
        for copy, (_, _, text) in zip(found, spans, strict=True):
            assert copy.text.strip() == text
            copies.append(("a", len(copies), copy))
            alone.append(("a", len(alone), text))
    copied = [doc for _, _, doc in parse_candidates(copies, nlp=nlp)]
    fresh = [doc for _, _, doc in parse_candidates(alone, nlp=nlp)]
    pairs = [(x, y) for a, b in zip(copied, fresh, strict=True) for x, y in zip(a, b, strict=True)]
    same = sum((x.text, x.pos_, x.lemma_, x.dep_, x.head.i) == (y.text, y.pos_, y.lemma_, y.dep_, y.head.i)
               for x, y in pairs)
    print(f"\n{same} of {len(pairs)} tokens parse alike")
    assert len(pairs) > 2000 and same / len(pairs) >= 0.99
    def gazetteer(docs):
        return [[(e.start, e.end, e.ent_id_) for e in doc.ents if e.ent_id_] for doc in docs]

    assert gazetteer(copied) == gazetteer(fresh)


def test_the_cue_prefilter_knows_inflected_forms_when_first_used_inside_select_pipes():
    from analysis import stances

    nlp = load_pipeline().nlp
    if "lemmatizer" not in nlp.component_names:
        pytest.skip("no statistical English model: no lemmatizer tables")
    stances._first_words.cache_clear()
    with nlp.select_pipes(enable=["senter"]):
        assert stances.may_state_a_stance("The French- and British-led coalition was created this year.")
    stances._first_words.cache_clear()
