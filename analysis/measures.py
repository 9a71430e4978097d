"""What each figure measures, read from the sentence's parse: the counted or measured noun with its modifiers, what
happened to it (the predicate) and whose it is (the referent)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from analysis.lexicon import load_yaml
from analysis.numbers import Figure, lexicon

_NOUNS = ("NOUN", "PROPN")
_MODIFIERS = ("amod", "compound", "nmod", "poss", "npadvmod")
_COUNTRY_LABELS = ("GPE", "NORP")


@dataclass(frozen=True)
class Measure:
    """What a figure measures. key groups figures of one measure across articles; label is how a reader says it."""

    key: str
    label: str
    head: str  # lemma of the counted or measured noun, or of the predicate when there is no noun
    predicate: str  # lemma of what happened to it ("kill", "deploy"), or ""
    referent: str  # the country or holder it belongs to ("France", "Russian"), or ""
    context: str  # the words that govern the number, lower case, for curated definitions to match
    anchors: str = ""  # the names of its sentence ("magnitogorsk; fsb"), lower case: what story it is about


@dataclass(frozen=True)
class Words:
    linking: frozenset[str]  # verbs whose subject is what the figure measures ("the package totals $1bn")
    generic: frozenset[str]  # heads that need their "of" phrase ("price of oil", "number of refugees")
    bases: frozenset[str]  # "of" objects that are a base, not the thing measured ("5% of GDP")
    partitive: frozenset[str]  # heads that stand for what follows "of" ("dozens of", "a total of")
    state_adjectives: frozenset[str]  # adjectives that say what happened to a count ("dead", "missing")
    light: frozenset[str]  # verbs whose object count says nothing more ("we have 20 countries")
    empty_modifiers: frozenset[str]  # modifiers that say nothing of which kind ("the following", "other", "such")
    person_nouns: frozenset[str]  # nouns for people an age may follow ("a man, 45,")
    not_predicates: frozenset[str]  # verb forms that work as prepositions ("according", "including")
    share_heads: frozenset[str]  # heads a percentage is of itself: "unemployment rate", "inflation", "turnout"
    class_measures: dict  # what a measurement of a unit class is when nothing else says: length -> distance
    epistemic: frozenset[str]  # verbs that report a state ("confirmed dead", "feared killed", "reported missing")


@lru_cache(maxsize=1)
def words() -> Words:
    """The measure word lists from analysis/data/figures.yaml."""
    data = load_yaml("figures.yaml")["measure_words"]
    lists = [frozenset(data[name]) for name in ("linking", "generic", "bases", "partitive", "state_adjectives",
                                               "light", "empty_modifiers", "person_nouns", "not_predicates",
                                               "share_heads")]
    return Words(*lists, dict(data["class_measures"]), frozenset(data["epistemic"]))


def with_counted_noun(figure: Figure, doc) -> Figure | None:
    """The figure with what it counts taken from the parse: the noun the number modifies ("30 named storms" counts
    storms, not "named"), or its "of" noun ("33 of the graduates"); a figure the surface read gave no unit or a
    guessed one. None for a count of time ("three days") the surface read did not place."""
    known_units = lexicon().counted_units
    if figure.unit_class not in ("count", "number") or figure.unit in known_units:
        return figure
    number = next((t for t in doc if t.idx <= figure.number_start < t.idx + len(t)), None)
    if number is None:
        return figure
    head = number
    while head.dep_ in ("compound", "quantmod", "nummod") and head.head.like_num and head.head.i != head.i:
        head = head.head  # "800 thousand"
    dependents = ("nummod", "amod") if figure.bound == "vague" else ("nummod",)  # "several nationals"
    noun = head.head if head.dep_ in dependents and head.head.pos_ in _NOUNS and head.head.i > head.i else None
    if noun is None:
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ in _NOUNS), None) if of else None
        if pobj is not None and pobj.i - head.i <= 5:
            noun = pobj
    if noun is None and _is_apposed_age(head, figure):
        return replace(figure, unit="years", unit_class="duration", noun="age")
    if noun is None or noun.i - head.i > 5 or noun.lower_ in _UNIT_TOKENS:
        if figure.unit_class == "count" and figure.unit not in known_units and figure.bound != "vague":
            end = max(head.idx + len(head), figure.number_start + 1)
            return replace(figure, end=end, text=doc.text[figure.start : end], unit="", noun="", unit_class="number")
        return figure
    if noun.lemma_.lower() in lexicon().time_units:
        return None  # "three days", "one day": time the surface read did not take as a duration
    end = max(figure.end, noun.idx + len(noun)) if noun.i - head.i <= 3 else figure.end
    unit = noun.lower_  # as written: "children", "child" (one child)
    return replace(figure, end=end, text=doc.text[figure.start : end], unit=unit, noun=noun.lower_,
                   unit_class="count")


def _is_apposed_age(number, figure: Figure) -> bool:
    """"Zamperoni, 33, ..." and "two girls, both 15,": a whole number set off by commas after a person is an age."""
    if figure.unit or figure.bound != "exact" or not 0 < figure.value < 120 or not float(figure.value).is_integer():
        return False
    doc = number.doc
    before = doc[number.i - 1] if number.i > 0 else None
    after = doc[number.i + 1] if number.i + 1 < len(doc) else None
    if before is None or before.text != "," or after is None or after.text not in (",", ".", ";"):
        return False
    owner = number.head if number.dep_ in ("appos", "npadvmod", "amod", "nummod") else doc[number.i - 2] \
        if number.i > 1 else None
    person = owner is not None and (owner.ent_type_ == "PERSON" or owner.pos_ == "PROPN" and owner.ent_type_ not in
                                    ("GPE", "ORG", "NORP", "LOC", "FAC", "EVENT", "DATE"))
    return person or owner is not None and owner.lemma_.lower() in words().person_nouns


def measure_of(figure: Figure, doc) -> Measure:
    """The measure of a figure whose offsets index doc's text (a parsed sentence)."""
    span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return Measure("", "", "", "", "", "")
    inside = {t.i for t in span}
    root = _span_root(span, inside)
    noun, predicate, holder = _measured(figure, root, inside)
    if figure.noun == "age" or figure.unit_class == "duration" and noun is not None and noun.dep_ in ("nsubj",
                                                                                                    "nsubjpass"):
        noun = None  # an age is an age; "President Biden served for 17 years" is a time served, not Biden
    head_lemma = "age" if figure.noun == "age" else (noun.lemma_.lower() if noun is not None else "")
    if noun is None and predicate is None and figure.noun and figure.noun != "duration":
        head_lemma = figure.noun.lower().rstrip("s") if figure.unit_class != "duration" else figure.noun.lower()
    modifiers, referent = _modifiers(noun, inside) if noun is not None else ([], "")
    if holder is not None and holder.ent_type_ not in ("GPE", "NORP", "ORG", "PERSON"):
        holder = None  # "nations sent several thousand troops": only a named country or body is a referent
    referent = referent or (_name(holder) if holder is not None else "")
    if predicate is not None and (predicate.lemma_.lower() in words().not_predicates
                                  or predicate.lower_ in words().not_predicates):
        predicate = None  # "according to Al Jazeera, $3.6 billion": a preposition in verb's clothing
    pred = predicate.lemma_.lower() if predicate is not None else ""
    if noun is not None and not _usable(noun) and figure.unit_class not in ("count",):
        noun, head_lemma, modifiers = None, "", []
    measured = words().class_measures.get(figure.unit_class, "")
    if measured and noun is None and figure.noun in ("", "duration"):
        head_lemma = measured  # "placed Humberto 785 miles west of Bermuda": a distance
    anchors = _anchors(doc, referent)
    if not head_lemma and not pred:
        return Measure("", "", "", "", referent, _context(root, noun, predicate), anchors)
    key = " ".join([*(m.lemma_.lower() for m in modifiers), head_lemma or "amount"]) + (f"|{pred}" if pred else "")
    if figure.unit_class not in ("count", "number"):
        key += f"#{figure.unit_class}"  # "12 children" and "85% of children" are two measures
    if figure.unit_class == "year":
        key, label = f"year|{pred or head_lemma}", f"target year ({pred or head_lemma})"
    elif figure.unit_class == "duration" and noun is None and head_lemma in ("", "duration"):
        key = f"duration|{pred}" if pred else "duration"
        label = f"time {_participle(predicate)}" if predicate is not None else "duration"
        head_lemma = "duration"
    else:
        label = _label(figure, noun, modifiers, predicate, holder, head_lemma)
    return Measure(key, label, head_lemma or pred, pred, referent, _context(root, noun, predicate), anchors)


_ANCHOR_LABELS = frozenset({"GPE", "ORG", "PERSON", "NORP", "EVENT", "FAC", "LOC", "LAW", "PRODUCT"})


def _anchors(doc, referent: str) -> str:
    """The names in the sentence other than the referent: two reports of a measure are of one story only when
    their sentences share one."""
    names = {ent.text.lower().removesuffix("’s").removesuffix("'s") for ent in doc.ents if ent.label_ in _ANCHOR_LABELS}
    names.discard(referent.lower())
    return "; ".join(sorted(names))


def _span_root(span, inside: set[int]):
    """The figure's token that attaches it to the rest of the sentence: of those whose head is outside the figure,
    the one nearest the sentence's root."""
    def depth(token) -> int:
        steps = 0
        while token.head.i != token.i and steps < 50:
            token, steps = token.head, steps + 1
        return steps

    outside = [t for t in span if t.head.i not in inside or t.head.i == t.i]
    return min(outside, key=depth) if outside else span[-1]


def _measured(figure: Figure, root, inside: set[int]):
    """(noun, predicate, holder) of the figure: what it counts or measures, what happened to it, whose it is."""
    doc = root.doc
    noun = next((doc[i] for i in sorted(inside, reverse=True) if doc[i].pos_ in _NOUNS
                 and doc[i].lower_ not in _UNIT_TOKENS), None) if figure.unit_class == "count" else None
    if noun is None and figure.unit_class in ("count", "number") and root.dep_ == "nummod" and root.head.pos_ in _NOUNS:
        noun = root.head
    if noun is not None:
        noun = _through_partitive(noun)
        return noun, *_predicate_of(noun)
    return _governor(root, inside)


_UNIT_TOKENS = frozenset({"%", "percent", "cent", "$", "€", "£", "¥"})


def _through_partitive(noun):
    """'dozens of protesters', 'a total of 39 people', 'the number of refugees': the noun after "of"."""
    if noun.lemma_.lower() in words().partitive or noun.lemma_.lower() in words().generic:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in _NOUNS]
                if objects and noun.lemma_.lower() in words().partitive:
                    return objects[0]
    return noun


def _predicate_of(noun):
    """(predicate, holder) of a counted noun: the verb it is the object or passive subject of, a participle or
    state adjective on it ("people killed", "12 dead"), and that verb's subject or agent."""
    verb = noun.head if noun.dep_ in ("dobj", "nsubjpass", "nsubj", "attr") and noun.head.pos_ in ("VERB", "AUX") \
        else None
    if verb is not None and noun.dep_ == "dobj" and verb.lemma_ in words().light:
        verb = None  # "we have 20 countries that said ...": what is said of them, if anything, is the predicate
    if verb is not None and noun.dep_ in ("nsubj", "attr") and verb.lemma_ in words().linking:
        state = next((c for c in verb.children if c.dep_ in ("acomp", "oprd") or
                      (c.dep_ == "xcomp" and c.pos_ in ("ADJ", "VERB"))), None)
        return (state, None) if state is not None else (None, None)
    if verb is None:
        participle = next((c for c in noun.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"
                           or c.dep_ == "amod" and c.lemma_.lower() in words().state_adjectives), None)
        return participle, _agent(participle) if participle is not None else None
    if verb.lemma_ in words().epistemic:  # "20 people were confirmed killed": what is confirmed is the measure
        state = next((c for c in verb.children if c.dep_ in ("xcomp", "oprd", "acomp", "ccomp")
                      and c.pos_ in ("VERB", "ADJ")), None)
        if state is not None:
            return state, None
    return verb, (_subject(verb) if noun.dep_ == "dobj" else _agent(verb))


def _subject(verb, passive: bool = False):
    """The subject of a verb; of "gusts were forecast to reach 60 mph", reach's is forecast's."""
    wanted = ("nsubj", "csubj", "nsubjpass") if passive else ("nsubj", "csubj")
    found = next((c for c in verb.children if c.dep_ in wanted), None)
    if found is None and verb.dep_ == "xcomp" and verb.head.i != verb.i:
        return _subject(verb.head, passive=True)
    return found


def _agent(verb):
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _usable(noun) -> bool:
    """A noun that can say what is measured: not a date, a time or a unit ("February", "EDT", "Celsius")."""
    return (noun is not None and noun.pos_ in _NOUNS and noun.ent_type_ not in ("DATE", "TIME", "CARDINAL")
            and noun.lower_ not in _UNIT_TOKENS
            and noun.lower_ not in lexicon().measurement and noun.lemma_.lower() not in lexicon().measurement)


def _in_phrase(token, inside: set[int]):
    """The noun of token's "in"/"of"/"for" phrase: "$10 billion in military aid", "provided $55m in assistance"."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "of", "for", "on") and child.i not in inside:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if _usable(pobj) and pobj.lemma_.lower() not in words().bases:
                return pobj
    return None


def _governor(root, inside: set[int]):
    """(noun, predicate, holder) for money, shares and measurements: the noun the figure qualifies, the noun its
    "in"/"of" phrase names, or the subject of the verb it completes."""
    found = _in_phrase(root, inside)
    if found is not None:
        return found, None, None
    if root.dep_ in ("compound", "amod", "nmod", "nummod", "npadvmod", "quantmod") and root.head.pos_ in _NOUNS:
        return root.head, *_predicate_of(root.head)
    if root.dep_ == "pobj":
        prep = root.head
        if prep.head.pos_ in _NOUNS:
            if prep.lower_ == "of" and prep.head.lemma_.lower() in words().partitive:
                return _governor(prep.head, inside | {prep.head.i})  # "a total of $2 billion in assistance"
            return prep.head, None, None
        if prep.head.pos_ in ("VERB", "AUX", "ADJ"):
            verb = prep.head
            if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in _NOUNS:
                return verb.head, verb, None  # "assistance committed to Ukraine to $1 billion"
            moved = next((c for c in verb.children if c.dep_ == "dobj" and _usable(c)), None)
            if prep.lower_ in ("to", "by", "from") and moved is not None:
                return moved, None, None  # "bring total military assistance to $7.3 billion"
            subject = _subject(verb)
            if prep.lower_ in ("to", "by", "at", "from", "of") and subject is not None and subject.pos_ in _NOUNS:
                return subject, None, None
            if verb.lemma_ in words().linking:
                return None, None, None  # "has been at 50%" with no subject noun says nothing of what is measured
            return None, verb, subject
    if root.dep_ in ("dobj", "attr", "oprd", "nsubj", "nsubjpass", "appos", "acomp"):
        verb = root.head
        subject = _subject(verb)
        if verb.lemma_ in words().linking and subject is not None and subject.pos_ in _NOUNS and root.dep_ != "nsubj":
            return subject, None, None
        if verb.pos_ in ("VERB", "AUX") and verb.lemma_ not in words().linking:
            found = _in_phrase(verb, inside)  # "provided $55 million in humanitarian assistance"
            if found is not None:
                return found, verb, subject if root.dep_ == "dobj" else _agent(verb)
            return None, verb, subject if root.dep_ == "dobj" else _agent(verb)
    if root.dep_ == "conj" and root.head.i != root.i:
        return _governor(root.head, inside | {root.head.i})
    return _clause_subject(root)


def _clause_subject(root):
    """The subject of the first verb above the figure, when nothing nearer says what it measures ("homicides were
    up 30 percent")."""
    node = root
    for _ in range(4):
        if node.head.i == node.i:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            # a common noun only: a name ("EDT", "Biden") is who acts, not what is measured
            subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"), None)
            return (subject, None, None) if subject is not None else (None, None, None)
    return None, None, None


def _modifiers(noun, inside: set[int]):
    """The words that say which kind of the noun ("military aid", "frozen Russian assets") and the country among
    them, which is the referent."""
    kept, referent = [], ""
    for child in noun.children:
        if child.dep_ not in _MODIFIERS or child.i in inside or child.like_num or child.pos_ in ("DET", "NUM", "PRON"):
            continue
        if child.ent_type_ in _COUNTRY_LABELS or child.dep_ == "poss" and child.pos_ == "PROPN":
            referent = referent or _name(child)
            continue
        if child.pos_ in ("ADJ", "NOUN", "PROPN", "VERB") and child.is_alpha and \
                child.lemma_.lower() not in words().empty_modifiers:
            kept.append(child)
    return sorted(kept, key=lambda t: t.i)[-3:], referent


def _name(token) -> str:
    """The country or body a token names, by its canonical name where the gazetteer knows it ("Kyiv's" and
    "Ukrainian" are Ukraine), else the whole name it is part of ("European Commission"), else its text."""
    from analysis.actors import actor_name, entity_actors

    actor = entity_actors(token.doc).get(token.i)
    if actor is not None and actor.kind != "person":
        return actor_name(actor.code)
    if token.ent_type_:
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end:
                return re.sub(r"[’']s$", "", ent.text)
    return re.sub(r"[’']s$", "", token.text)


def _label(figure: Figure, noun, modifiers, predicate, holder, head_lemma: str) -> str:
    """'people killed', 'US military aid', 'unemployment', 'amount pledged by Germany', 'age'."""
    if head_lemma == "age":
        return "age"
    parts = [m.text for m in modifiers]
    if noun is not None:
        parts.append(noun.text if figure.unit_class == "count" else noun.text.lower() if noun.pos_ != "PROPN"
                     else noun.text)
        of = _of_phrase(noun) if noun.lemma_.lower() in words().generic else ""
        if of:
            parts.append(of)
    elif predicate is None or head_lemma in words().class_measures.values():
        parts.append(head_lemma)
    else:
        parts.append("amount" if figure.unit_class in ("money", "percent") else "number")
    if predicate is not None and (noun is None or predicate.i != noun.i):
        parts.append(predicate.text.lower() if predicate.tag_ in ("VBN", "JJ", "VBG") else _participle(predicate))
    if holder is not None and holder.pos_ in ("PROPN",) and holder.ent_type_:
        parts.append(f"by {_name(holder)}")
    if figure.unit_class == "duration" and head_lemma not in ("age", "duration"):
        parts.append("(duration)")
    label = " ".join(parts).strip()
    if figure.unit_class == "percent" and noun is not None and noun.lemma_.lower() not in words().generic \
            and noun.lemma_.lower() not in words().share_heads:
        label = f"share of {label}"  # "85% of children"
    return label


def _of_phrase(noun) -> str:
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                mods = [c.text for c in pobj.children if c.dep_ in ("amod", "compound")]
                return "of " + " ".join([*mods, pobj.text])
    return ""


def _participle(verb) -> str:
    """The verb as a reader labels a count with it: "killed", "deployed", "taken" (lemminflect's past
    participle: irregular verbs are many)."""
    from lemminflect import getInflection

    lemma = verb.lemma_.lower()
    forms = getInflection(lemma, tag="VBN") if verb.pos_ in ("VERB", "AUX") else ()
    return forms[0] if forms else verb.lower_


_GOVERNING = ("amod", "compound", "nmod", "poss", "npadvmod", "dobj", "nsubj", "nsubjpass", "prep", "pobj", "acomp",
              "attr", "neg", "aux", "auxpass", "agent", "prt", "advmod", "oprd")
_CLAUSES = ("xcomp", "acl", "relcl", "ccomp", "advcl")


def _context(root, noun, predicate) -> str:
    """The words that govern the number, nearest first: "inner | outer". Inner is the number's own phrase (the noun
    it counts or qualifies, that noun's modifiers); outer is the path up to the second predicate above it, those
    predicates' arguments and the short clauses on them. A named measure's cue words must be among them."""
    inner = {root, root.head}
    for anchor in (root, root.head, noun):
        if anchor is not None:
            inner.update(c for c in anchor.children if c.dep_ in ("amod", "compound", "nmod", "poss", "nummod"))
    if noun is not None:
        inner.add(noun)
    outer: set = set()
    node, predicates = root, 0
    for _ in range(6):
        if node.head.i == node.i or predicates == 2:
            break
        node = node.head
        outer.add(node)
        if node.pos_ in ("VERB", "AUX", "ADJ"):
            predicates += 1
            if predicates == 1:  # the second predicate up ("ready to repel ... by 2030") gives its word only
                _arguments(node, outer)
    for anchor in (noun, predicate):
        if anchor is not None:
            outer.add(anchor)
            _arguments(anchor, outer)
    return f"{_words(inner)} | {_words(outer - inner)}"


def _arguments(anchor, into: set) -> None:
    """A predicate's or noun's arguments, with the words of its short clauses ("prepared to contribute")."""
    for child in anchor.children:
        if child.dep_ in _GOVERNING:
            into.add(child)
            into.update(c for c in child.children if c.dep_ in ("pobj", "compound", "amod", "poss"))
        elif child.dep_ in _CLAUSES:
            clause = list(child.subtree)
            # a long clause gives its verb and the few words after it ("said what they are prepared ...")
            into.update(clause if len(clause) <= 10 else [t for t in clause if child.i <= t.i <= child.i + 4]
                        + [c for c in child.children if c.dep_ == "aux"])


def _words(tokens) -> str:
    return " ".join(t.lower_ for t in sorted(tokens, key=lambda t: t.i))
