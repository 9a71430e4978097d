"""Stances in one parsed sentence: each cue of stance_cues.yaml with its holder, target, negation, conditions and
the speaker who reports it, read from the dependency parse."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from analysis.actors import ArticleContext, EntityActor, entity_actors, surface_forms, words
from analysis.entities import catalog
from analysis.lexicon import load_yaml

STANCES = ("leading", "committed", "open", "conditional", "opposed", "undecided")
_POS = {"verb": {"VERB", "AUX"}, "noun": {"NOUN", "PROPN"}, "adj": {"ADJ", "VERB", "ADP", "ADV"}}
_SUBJECTS = {"nsubj", "csubj", "expl"}
_RELATIVE = {"that", "which", "who", "whom"}
_COPULAS = {"be", "remain", "stay"}
_TARGET_PREPS = ("for", "to", "on", "against", "over", "of", "toward", "towards", "with", "in", "from", "about")


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]  # the head word's lemma, then the words that must follow it
    pos: str
    stance: str
    when: str = ""  # "negated": the cue counts only when negated
    target: str = ""  # "against": the stance is about the object of on/against/over
    head: int = 0  # which of words is the token the cue is read at
    negated: str = ""  # the stance when negated, where it is not the usual flip ("no commitment" is undecided)
    about: frozenset[str] = frozenset()  # the only target heads it is a stance on, when given
    modifier: str = ""  # "named": a demonym modifying the noun does not hold it


@dataclass(frozen=True)
class Rules:
    cues: dict[str, tuple[Cue, ...]]  # head lemma -> its cues, longest first
    negated: dict[str, str]
    precedence: tuple[str, ...]
    reporting: frozenset[str]
    light_verbs: frozenset[str]
    open_modals: frozenset[str]
    demand_modals: frozenset[str]
    decision_nouns: frozenset[str]
    always: frozenset[str]
    with_only: frozenset[str]
    clause_conditions: frozenset[str]
    condition_marks: frozenset[str]  # what opens a condition clause, whatever precedes it
    joint_nouns: frozenset[str]
    comitative: frozenset[str]
    attendance: frozenset[str]
    violence: frozenset[str]
    hospitality: frozenset[str]
    documents: frozenset[str]
    deed_verbs: frozenset[str]
    topic_stop: frozenset[str]
    appeal_verbs: frozenset[str]
    generic_targets: frozenset[str]
    punitive: frozenset[str]
    enforcing: frozenset[str]
    purpose_marks: frozenset[str]
    statement_nouns: frozenset[str]
    threat_subjects: frozenset[str]
    holding_verbs: frozenset[str]
    violent_verbs: frozenset[str]
    neutral_objects: frozenset[str]
    joint_stance: str
    participles: dict[str, str]  # "-led", "-brokered", "-backed": the lemma after a hyphen -> the stance it states
    first_words: frozenset[str]  # every cue's first word, lower-case: the cheap test before parsing


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The cue lexicon (stance_cues.yaml) and positions.yaml's rules for negation, modality, conditions, speech."""
    data, listed = load_yaml("positions.yaml"), load_yaml("stance_cues.yaml")["cues"]
    cues: dict[str, list[Cue]] = {}
    for entry in listed:
        # "co-sponsor" is three tokens to spaCy ("co", "-", "sponsor"): the cue is keyed and read at its last part.
        parts = tuple(re.sub(r"(?<=\w)-(?=\w)", " - ", entry["lemma"].lower()).split())
        head = len(parts) - 1 if "-" in parts else 0
        cues.setdefault(parts[head], []).append(Cue(parts, entry["pos"], entry["stance"], entry.get("when", ""),
                                                    entry.get("target", ""), head, entry.get("negated", ""),
                                                    frozenset(entry.get("about", ())), entry.get("modifier", "")))
    conditions = data["conditions"]
    lists = {field: frozenset(data[key]) for field, key in _LISTS.items()}
    return Rules(
        cues={head: tuple(sorted(found, key=lambda c: -len(c.words))) for head, found in cues.items()},
        negated=dict(data["negated"]), precedence=tuple(data["precedence"]),
        always=frozenset(conditions["always"]), with_only=frozenset(conditions["with_only"]),
        clause_conditions=frozenset(conditions["clauses"]),
        condition_marks=frozenset(conditions["always"]) | frozenset(conditions["clauses"]) | {"if"},
        joint_nouns=frozenset(data["joint"]["nouns"]), joint_stance=data["joint"]["stance"],
        participles=dict(data["hyphen_participles"]), first_words=frozenset(cues) | set(data["hyphen_participles"]),
        **lists,
    )


# Rules fields that are one word list of positions.yaml each: field -> its key there.
_LISTS = {
    "reporting": "reporting_verbs", "light_verbs": "light_verbs", "open_modals": "open_modals",
    "demand_modals": "demand_modals", "decision_nouns": "decision_nouns", "comitative": "comitative_verbs",
    "attendance": "attendance", "violence": "violence", "hospitality": "hospitality", "documents": "documents",
    "deed_verbs": "deed_verbs", "topic_stop": "topic_stop_words", "appeal_verbs": "appeal_verbs",
    "generic_targets": "generic_targets", "punitive": "punitive", "enforcing": "enforcing",
    "purpose_marks": "purpose_marks", "statement_nouns": "statement_nouns", "threat_subjects": "threat_subjects",
    "holding_verbs": "holding_verbs", "neutral_objects": "neutral_objects", "violent_verbs": "violent_verbs",
}


@dataclass(frozen=True)
class Stance:
    code: str
    stance: str
    cue: str
    conditions: str
    attributed_to: str
    claimed_by: str = ""
    target: str = ""
    target_head: str = ""  # the target's head lemma, lower-case
    target_terms: str = ""  # the target's modifier lemmas, space-separated
    cue_start: int = 0
    cue_end: int = 0
    target_phrase: str = ""  # a few words naming the target ("sanctions on Russia"): a topic's label


# A stance noun inside a name is part of the name: "the Disaster and Emergency Management Presidency", "the UN
# Support Mission", "Security Council Resolution 2231".
_NAME_LABELS = frozenset({"ORG", "FAC", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT"})


@dataclass
class _Sentence:
    """One parsed sentence with what holder rules look at."""

    doc: object
    actors: dict[int, EntityActor]
    context: ArticleContext | None
    index: int
    text: str = ""  # the Doc's text, read once: Doc.text joins every token again on each read
    # Speakers whose holders are being resolved: "he said she had said" must not send each to the other forever.
    asking: set[int] = field(default_factory=set)


def stances_in(doc, context: ArticleContext | None = None, index: int = 0) -> list[Stance]:
    """Stances expressed in one parsed sentence (a spaCy Doc with gazetteer entities and a dependency parse); context
    (the article's people and paragraphs) resolves pronouns and people the gazetteer does not know."""
    sentence = _Sentence(doc, entity_actors(doc), context, index, doc.text)
    found = _joint_authors(sentence) + _led_suffix(sentence)
    by_token: dict[int, list[Stance]] = {}
    for token in doc:
        cue = _cue_at(doc, token)
        if cue is not None and not (cue.pos == "noun" and token.ent_type_ in _NAME_LABELS):
            by_token[token.i] = _read(sentence, token, cue)
    for stances in _wrapped(doc, by_token).values():
        found += stances
    return _merge(found)


def _wrapped(doc, by_token: dict[int, list[Stance]]) -> dict[int, list[Stance]]:
    """Stances with a cue that is what another cue of the same holder is about ("ready to provide help", "refused
    to send troops", "its readiness to join") folded into that one: the outer cue's stance, the inner's target."""
    out = {i: list(stances) for i, stances in by_token.items()}
    for i in sorted(by_token, reverse=True):  # innermost first: "said it was ready to consider sending"
        token = doc[i]
        outer = token.head.i
        nested = token.dep_ == "xcomp" or (token.dep_ == "acl" and token.head.pos_ == "NOUN"
                                           and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children))
        if not nested or outer == i or not out.get(outer) or not out.get(i):
            continue
        wrappers = {s.code: s for s in out[outer]}
        folded = [_folded(s, wrappers[s.code]) for s in out[i] if s.code in wrappers and s.target]
        if folded:
            out[outer] = [s for s in out[outer] if s.code not in {f.code for f in folded}]
            out[i] = folded + [s for s in out[i] if s.code not in wrappers or not s.target]
    return out


def _folded(inner: Stance, outer: Stance) -> Stance:
    """An inner cue's stance under the outer cue that wraps it: the outer's stance and cue, the inner's target."""
    return replace(inner, stance=outer.stance, cue=outer.cue, cue_start=outer.cue_start, cue_end=outer.cue_end,
                   conditions=outer.conditions or inner.conditions,
                   attributed_to=outer.attributed_to or inner.attributed_to,
                   claimed_by=outer.claimed_by or inner.claimed_by)


def _cue_at(doc, token) -> Cue | None:
    """The longest cue of the lexicon read at token, matched on lemmas and part of speech. The words after the head
    follow it, or (one particle or preposition) hang on it: "tied its funding to"."""
    lemma = token.lemma_.lower()
    options = rules().cues.get(lemma, ()) + (rules().cues.get(token.lower_, ()) if token.lower_ != lemma else ())
    for cue in options:
        if token.pos_ not in _POS[cue.pos] or (cue.pos == "adj" and token.pos_ == "VERB" and token.tag_ != "VBN"):
            continue
        if cue.pos == "adj" and token.pos_ == "VERB" and not any(
                c.dep_ in {"auxpass", "nsubjpass"} or (c.dep_ == "aux" and c.lemma_ in _COPULAS)
                for c in token.children):
            continue  # "has committed atrocities" is the verb; "is committed to" the adjective
        before, after = cue.words[: cue.head], cue.words[cue.head + 1 :]
        if before and not _spelled(doc[max(0, token.i - len(before)) : token.i], before):
            continue
        following = doc[token.i + 1 : token.i + 1 + len(after)]
        if not after or _spelled(following, after):
            return cue
        if len(after) == 1 and any(c.lower_ == after[0] and c.dep_ in {"prep", "prt", "dative", "agent"}
                                   for c in token.children):
            return cue
    return None


def _spelled(tokens, words_: tuple[str, ...]) -> bool:
    return len(tokens) == len(words_) and all(w in {t.lower_, t.lemma_.lower()} for w, t in zip(words_, tokens))


def _read(sentence: _Sentence, token, cue: Cue) -> list[Stance]:
    """One cue's stances: one per holder, with the target, negation, modality, conditions and attribution."""
    holders, target, clause = _HOLDERS[cue.pos](sentence, token, cue)
    speaker, reporting = _speaker(clause)
    holders = [code for code in dict.fromkeys(holders) if code]
    if not holders or (speaker is not None and speaker.lemma_.lower() in rules().documents):
        return []  # nobody's, or what a plan's or a draft's text says ("Point 8 said: NATO agrees ...")
    if cue.pos == "verb" and token.lemma_.lower() in rules().reporting and any(
            c.dep_ == "ccomp" and _subject_child(c) is not None and any(_cue_at(c.doc, t) for t in c.subtree)
            for c in token.children):
        return []  # "He reiterated the United States stood ready to help": the clause says whose stance it is
    # A verb cue's own negation only ("did not rule out sending" does not negate "sending"); an adjective's or
    # noun's also through the copula or light verb it hangs on.
    # A stance noun that is the subject ("Germany's support will not waver") takes no negation or modal from the
    # verb it is the subject of: that verb says how the stance holds, not which it is.
    own_verb = not (cue.pos == "noun" and token.dep_ in _SUBJECTS)
    predicate = clause.i == token.head.i and own_verb
    stance, negated = cue.stance, _negated(token, clause if cue.pos != "verb" and predicate else token)
    if own_verb and any(c.dep_ == "aux" and c.lower_ in rules().demand_modals for c in clause.children) and not \
            _first_person_subject(clause):
        return []  # "Iran must cooperate": what someone demands of the holder; "we must support" is the speaker's
    if not _fits(sentence, token, cue, target, clause):
        return []
    if cue.when == "negated":
        if not negated:
            return []
    elif negated:
        stance = cue.negated or rules().negated.get(stance, stance)
        if stance == "none":
            return []  # "will not target food exports": not doing it is no stance of its own
    if stance == "committed" and token.lemma_.lower() in rules().enforcing and target is not None and \
            target.lemma_.lower() in rules().punitive:
        stance = "opposed"  # "will implement sanctions on Russia": opposed to whom they hit
    if stance == "committed" and any(c.dep_ == "aux" and c.lower_ in rules().open_modals for c in clause.children):
        stance = "open"
    conditions = _condition(clause, token if cue.pos == "verb" else None) or (
        _threatened(token) if stance != "conditional" else "")
    if conditions:
        stance = "conditional"
    elif stance == "conditional":
        # "any involvement would require a ceasefire": the condition is the object, the stance is on the subject
        conditions = _phrase(target) if target is not None else ""
        subject = _subject_child(clause)
        if subject is not None and subject.i not in sentence.actors and subject.pos_ == "NOUN":
            target = subject
    attributed, claimed, speaking = _attribution(sentence, speaker, reporting, clause, holders)
    doc = sentence.doc
    end = doc[min(token.i + len(cue.words) - cue.head, len(doc)) - 1]
    token = doc[max(0, token.i - cue.head)]
    head, terms, named = _target_terms(target, sentence)
    if cue.when == "attributive" and not terms:
        terms = head  # what a condemning word describes is the topic itself ("a new aggression")
    # "Macron said France and Germany would send troops": Germany's is his claim, France's is France's own
    return [Stance(code, stance, sentence.text[token.idx : end.idx + len(end.text)], conditions[:200], attributed,
                   claimed if code not in speaking else "", _phrase(target)[:160] if target is not None else "", head,
                   terms, token.idx, end.idx + len(end.text), named[:80]) for code in holders]


def _fits(sentence: _Sentence, token, cue: Cue, target, clause) -> bool:
    """Whether a cue is used as the stance it names: with what its entry asks for, not an event, a condition or a
    purpose."""
    if cue.when == "action" and not _of_action(token, target):
        return False  # "considers it a priority" is a judgement; "considers sending" is openness
    if (cue.when == "object" and target is None) or (cue.when == "thing" and (target is None
                                                                              or _of_action(token, target))):
        return False
    if _an_event(sentence, token, cue, target) or _in_condition(token):
        return False
    if cue.about and (target is None or target.lemma_.lower() not in cue.about):
        return False
    if cue.when == "threat" and not _threatened(token):
        return False  # "the consequences of the war" warn of nothing
    if cue.when == "direct" and not any(c.dep_ in {"dobj", "agent", "auxpass"} for c in token.children) and not (
            token.tag_ == "VBN" and token.dep_ == "acl"):
        return False  # "will lead the mission", "the coalition led by France"; not "leading to casualties"
    # "so it can defend itself": a purpose, not a stance
    return not any(c.dep_ == "mark" and c.lower_ in rules().purpose_marks for c in clause.children)


def _threatened(token) -> str:
    """What a warning is about, when its clause's subject is "any ..." ("any use of such weapons would be met with
    severe consequences", "anyone purchasing oil from Iran faces U.S. sanctions"): the condition of a conditional
    stance, else ""."""
    verb = next((a for a in (token, *token.ancestors) if a.pos_ in {"VERB", "AUX"}), None)
    subject = _subject_child(verb) if verb is not None else None
    if subject is None or not (subject.lower_ in rules().threat_subjects or any(
            c.dep_ == "det" and c.lower_ == "any" for c in subject.children)):
        return ""
    if token.i in {t.i for t in subject.subtree}:
        return ""  # "any sanctions by the EU would hurt": the cue is the subject itself
    future = any(c.lower_ in {"will", "would"} for c in verb.children if c.dep_ in {"aux", "auxpass"})
    return _phrase(subject)[:200] if future or subject.lower_ in rules().threat_subjects else ""


def _in_condition(token) -> bool:
    """Whether a cue is inside a condition clause ("until it restores democracy", "if Iran drops its demands"): what
    a condition says is asked of someone, not their stance."""
    rule = rules()
    for node in [token, *token.ancestors]:
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in rule.condition_marks for c in node.children):
            return True
    return False


def _first_person_subject(clause) -> bool:
    subject = _subject_child(clause)
    return subject is not None and subject.lower_ in words().first_person


def _an_event(sentence: _Sentence, token, cue: Cue, target) -> bool:
    """Whether a cue tells an event, not a stance: "joined the call", "ready to meet", "launched an attack",
    "hosted Putin", or a question ("Why are we interested in ...?")."""
    rule, what = rules(), target.lemma_.lower() if target is not None else ""
    done = {c.lemma_.lower() for c in token.children if c.dep_ in {"xcomp", "ccomp"}} | {what}
    # "joined the call" is attendance; "backed calls for a ceasefire" is not
    asks = target is not None and any(c.dep_ == "prep" and c.lower_ in {"for", "on"} for c in target.children)
    if cue.stance in {"committed", "open"} and done & rule.attendance and not asks and not (
            cue.stance == "open" and _meets_a_state(sentence, token)):
        return True  # "ready to meet the president" is a visit; "openness to meeting the DPRK" is not
    if what in rule.violence and (cue.stance in {"leading", "open"} or token.lemma_.lower() in rule.deed_verbs):
        return True  # "launched an attack", "committed atrocities": an act of war, not a position on it
    guest = target if target is not None or token.dep_ != "amod" else token.head  # "since Trump hosted Putin"
    if token.lemma_.lower() in rule.hospitality and guest is not None and (
            sentence.actors.get(guest.i, None) is not None and sentence.actors[guest.i].kind == "person"
            or sentence.context is not None and guest.text in sentence.context.people
            or guest.lower_ in {"you", "him", "her", "everyone", "everybody"}):
        return True  # "hosted Putin", "I'd like to welcome you all"
    return token.sent.text.rstrip(" ”\"'").endswith("?")


def _meets_a_state(sentence: _Sentence, token) -> bool:
    """Whether what an open cue is about is meeting a country ("openness to meeting the DPRK"), not a person."""
    for node in token.subtree:
        if node.lemma_.lower() == "meet" and node.i != token.i:
            met = next((c for c in node.children if c.dep_ == "dobj"), None)
            entity = sentence.actors.get(met.i) if met is not None else None
            return entity is not None and entity.kind not in {"person", "demonym"}
    return False


def _of_action(token, target) -> bool:
    """Whether a cue is about doing something ("considers joining") rather than a judgement ("considers it a
    priority", "considers the pipeline to be")."""
    verbs = [c for c in token.children if c.dep_ in {"xcomp", "ccomp", "pcomp"}] + ([target] if target is not None
                                                                                   else [])
    return any(v.pos_ in {"VERB", "AUX"} and v.lemma_ != "be" for v in verbs)


def _verb_cue(sentence: _Sentence, token, cue: Cue):
    """Holders and target of a verb: the subject (the agent of a passive) and the object, complement or
    prepositional object."""
    # "was co-hosted by Spain": a participle the parser hangs on "was" as a complement, with its agent
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in token.children) or (
        token.tag_ == "VBN" and token.dep_ == "acomp" and any(c.dep_ == "agent" for c in token.children))
    if passive:
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        subject = _subject_child(token if token.dep_ != "acomp" else token.head)
        if token.lower_ in _adjective_forms() and subject is not None:  # "is disturbed by", "is committed to"
            return holders_of(sentence, subject), _object(token, cue), token
        agent = agent if agent is not None else _statement_by(token)
        if subject is None and token.dep_ == "acl":
            subject = token.head  # "the atrocities being committed by Russia's forces": what it describes
        if agent is not None:
            pobj = _pobj(agent)
            return (holders_of(sentence, pobj) if pobj is not None else []), subject, token
        return [], subject, token
    subject, clause = _subject(token)
    if subject is None:
        return [], _object(token, cue), clause
    if clause is token and token.dep_ == "acl" and subject.head.dep_ == "agent":
        # "aid provided by Germany", "the atrocities committed by Russia's forces on the territory of Ukraine": what
        # the participle describes is what it is about
        return _subject_holders(sentence, subject, clause, cue), token.head, clause
    if subject.lower_ in _RELATIVE and clause.dep_ == "relcl":
        return holders_of(sentence, clause.head), _object(token, cue), clause
    if token.dep_ == "relcl" and not any(c.dep_ in {"dobj", "ccomp", "xcomp", "prep", "advmod", "npadvmod", "pobj"}
                                         or c.lower_ in _RELATIVE for c in token.children):
        # "the atrocities it is committing against ...", "the sanctions they imposed": what it describes is its object
        return _subject_holders(sentence, subject, clause, cue), token.head, clause
    if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in rules().appeal_verbs and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
        return [], _object(token, cue), clause  # "expects Peru to sign", parsed as a clause: asked of Peru
    holders = _subject_holders(sentence, subject, clause, cue)
    if holders and clause.i != token.i:
        holders += _companions(sentence, clause)
    return holders, _object(token, cue), clause


def _companions(sentence: _Sentence, verb) -> list[str]:
    """Who a comitative verb's subject acts with ("stands with France and Italy to isolate Russia", "joins Iraq in
    condemning"): they hold what is done together too."""
    if verb.lemma_.lower() not in rules().comitative:
        return []
    found = []
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "with":
            found += [c for pobj in child.children if pobj.dep_ == "pobj" for c in holders_of(sentence, pobj)]
        elif child.dep_ == "dobj" and verb.lemma_.lower() == "join":
            found += holders_of(sentence, child)
    return found


def _statement_by(verb):
    """The "by" phrase of the statement a passive verb was done in ("was condemned in a joint statement by Egypt
    and Greece"), standing for the agent."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in {"in", "through", "with"}:
            continue
        for noun in prep.children:
            if noun.dep_ == "pobj" and noun.lemma_.lower() in rules().statement_nouns:
                return next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in {"by", "from"}), None)
    return None


def _subject_holders(sentence: _Sentence, subject, clause, cue: Cue) -> list[str]:
    """The actors of a subject; for a conditional cue or a subject that is itself a stance noun, its possessor's
    when it stands for none ("Peru's participation depends on ...")."""
    found = holders_of(sentence, subject, clause=clause)
    statement = subject.lemma_.lower() in rules().statement_nouns  # "the Turkish statement called for"
    if found or not (statement or cue.stance in {"conditional", "open"} or _cue_at(subject.doc, subject) is not None):
        return found
    owners = [c for c in subject.children if c.dep_ == "poss" or (c.dep_ in {"compound", "amod"}
                                                                    and c.i in sentence.actors)]
    if statement:  # "a joint statement by Egypt and Greece condemned"
        owners += [g for c in subject.children if c.dep_ == "prep" and c.lower_ in {"by", "from"}
                   for g in c.children if g.dep_ == "pobj"]
    found = [code for owner in owners for code in holders_of(sentence, owner, clause=clause, modifier=True)]
    if found or owners or cue.stance not in {"conditional", "open"}:
        return found
    # "Turkey stressed that any involvement would require a ceasefire", "they stressed that a path to dialogue
    # remains open": an unowned deed's condition, or an openness, is the speaker's
    speaker, _ = _speaker(clause)
    return holders_of(sentence, speaker) if speaker is not None else []


def _adj_cue(sentence: _Sentence, token, cue: Cue):
    """Holders and target of an adjective ("Chile is willing to", "Peru is against"): the copula's subject."""
    small = _subject_child(token) if token.dep_ == "ccomp" and token.head.lemma_ in rules().holding_verbs else None
    if cue.when == "complement" and small is None:
        return [], None, token  # "is accountable to parliament", "will be held accountable": no one holds it
    if small is not None:
        # "will hold the regime accountable": the one who holds it, about what it holds accountable
        subject, clause = _subject(token.head)
        return (_subject_holders(sentence, subject, clause, cue) if subject is not None else []), small, clause
    clause = token if any(c.dep_ in _SUBJECTS | {"nsubjpass"} for c in token.children) else token.head
    first = _first_conjunct(token)
    if first.dep_ == "amod":  # "Russia's unprovoked and brutal war"; "open to talks but opposed to sanctions" is not
        return _attributive(sentence, token, cue) if cue.when == "attributive" else ([], None, token)
    if first is not token and first.pos_ in {"VERB", "AUX"} and token.pos_ == "ADJ":
        return [], None, token  # "has killed, raped and committed atrocities": a verb the tagger took for an adjective
    if token.pos_ == "ADP" and token.head.lemma_.lower() not in _COPULAS:
        return [], None, token  # "aid to fight against the virus": a preposition is a stance only after "is"
    copula = any(c.lemma_ in _COPULAS for c in token.children if c.dep_ in {"cop", "aux", "auxpass"})
    if token.dep_ in {"amod", "acl", "appos", "npadvmod", "advmod", "advcl"} and not copula and \
            cue.when != "attributive":
        return [], None, token  # "citizens subject to detention": describes someone, states no stance
    subject, clause = _subject(clause)
    target = _object(token, cue)
    if subject is None or (cue.when == "attributive" and token.dep_ == "oprd" and
                           not any(c.dep_ == "dobj" for c in token.head.children)):
        return [], target, clause  # "the war it started unprovoked" describes the subject's deed; "called it
        # abhorrent" the object
    if target is None and cue.about and subject.i not in sentence.actors and subject.lemma_.lower() in cue.about:
        target = subject  # "the door to talks remains open": what is open is the subject; the speaker holds it
    holders = _subject_holders(sentence, subject, clause, cue)
    if not holders and cue.when == "attributive" and subject.pos_ == "NOUN":
        return _attributive(sentence, token, cue, noun=subject)  # "such steps would be counterproductive"
    return holders, target, clause


def _attributive(sentence: _Sentence, token, cue: Cue, noun=None):
    """A condemning adjective on a noun ("against Russia's unacceptable war"), or a condemning noun: held by the
    nearest clause subject above it that is an actor other than the one whose deed the noun is, else by the text's
    author."""
    if noun is None:
        noun = token.head
        # "premeditated, unprovoked, and unjustified attack": a participle may lead the adjectives
        while noun.dep_ in {"amod", "conj"} and (noun.pos_ == "ADJ" or noun.tag_ == "VBN"):
            noun = noun.head
    if noun.pos_ not in {"NOUN", "PROPN"}:
        return [], noun, noun.head  # "the war it started unprovoked": no noun it describes
    own = noun is token  # a condemning noun, not an adjective on one
    deed = noun.head.head if own and noun.dep_ == "pobj" and noun.head.lower_ == "of" else noun  # "war of aggression"
    agents = {c for owner in {noun, deed} for child in owner.children
              if child.dep_ in {"poss", "compound", "amod", "nmod"} or (child.dep_ == "prep" and child.lower_ == "by")
              for c in holders_of(sentence, next((g for g in child.children if g.dep_ == "pobj"), child)
                                  if child.dep_ == "prep" else child, modifier=True)}
    # "the atrocities it is committing", "atrocities perpetrated by Russia's forces": the doer a clause on it names
    for clause in (c for owner in {noun, deed} for c in owner.children if c.dep_ in {"relcl", "acl"}
                   and _does_violence(c)):
        doer_ = _subject_child(clause) if clause.dep_ == "relcl" else _agent(clause)
        if doer_ is not None and doer_.lower_ not in _RELATIVE:
            agents |= set(holders_of(sentence, doer_, clause=clause))
    doer = deed.head
    # "killed, raped and committed"; the written form too ("wages" is lemmatised "wag")
    doing = {w for t in (doer, *doer.conjuncts) for w in (t.lemma_.lower(), t.lower_)}
    if deed.dep_ == "dobj" and doing & _deed_forms():
        return [], noun, doer  # "the military committed atrocities": the subject did it
    for verb in noun.ancestors:
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        if deed.dep_ == "pobj" and deed.head.head.i == verb.i and deed.head.lower_ in {"in", "by", "with", "through"} \
                and cue.when != "threat" and _does_violence(verb):
            return [], noun, verb  # "chose to invade Ukraine in an unprovoked war": the means of the subject's deed
        subject, clause = _subject(verb)
        if subject is not None and subject.lower_ not in _RELATIVE:
            found = holders_of(sentence, subject, clause=clause)
            context = sentence.context
            if context is not None and context.author in found and context.author not in agents and \
                    not context.joint:
                # "The Secretary and Foreign Minister Kuleba discussed Russia's brutal war": in a government's
                # readout the condemning word is the government's own, not its guest's
                found = [context.author]
            if found:
                return [code for code in found if code not in agents], noun, clause
    speaker, _ = _speaker(noun.head)
    if sentence.context is None or speaker is not None:
        return [], noun, noun.head
    return [c for c in _group(sentence.context, True, True, sentence.index) if c not in agents], noun, noun.head


def _does_violence(verb) -> bool:
    """Whether a verb is a deed of war ("invade", "commit", "perpetrate"), so its subject or agent is the doer."""
    rule = rules()
    return bool({verb.lemma_.lower(), verb.lower_} & (_deed_forms() | rule.violence | rule.violent_verbs))


def _noun_cue(sentence: _Sentence, token, cue: Cue):
    """Holders and target of a stance noun: its possessor or country modifier, the "of"/"by" phrase, else the
    subject of the light verb it is the object of ("expressed support for")."""
    if cue.when in {"attributive", "threat"}:  # "against Russia's aggression": the clause's subject is opposed
        return _attributive(sentence, token, cue, noun=token)
    if token.dep_ == "pobj" and token.head.lower_ == "for" and token.head.head.lemma_.lower() in rules().appeal_verbs:
        return [], _object(token, cue), token  # "calls for the withdrawal of Russian forces": asked of them
    if token.dep_ == "dobj" and token.head.lemma_.lower() in rules().appeal_verbs and any(
            c.dep_ == "xcomp" for c in token.head.children):
        return [], None, token  # "urge the political leadership of South Sudan to act": whom the appeal addresses
    governing = _governing_cue(token) if token.dep_ in {"dobj", "pobj", "xcomp"} else None
    holders: list[str] = []
    used = None
    for child in token.children:
        if child.dep_ == "poss" and child.pos_ == "PRON" and token.dep_ in {"dobj", "attr"}:
            continue  # "Brazil repeated its call for": the possessive is the verb's subject, read below
        if cue.modifier == "named" and child.i in sentence.actors and sentence.actors[child.i].kind == "demonym":
            continue
        if child.dep_ == "poss" or (child.dep_ in {"compound", "amod", "nmod"} and child.i in sentence.actors):
            holders += holders_of(sentence, child, modifier=True)
        elif child.dep_ == "prep" and child.lower_ in {"of", "by"} and not holders and not (
                child.lower_ == "of" and token.dep_ == "pobj" and token.head.lower_ == "in"):  # "in support of X"
            pobj = _pobj(child)
            if pobj is not None and holders_of(sentence, pobj):
                holders, used = holders_of(sentence, pobj), child
    target = _object(token, cue, skip=used)
    if governing is not None:
        # "did not rule out Turkey's participation": the verb's stance is the one stated; "support Finland's bid
        # to join": the bid is Finland's own stance too
        verb_holders = _verb_cue(sentence, _governing_verb(token), governing)[0]
        return [c for c in holders if c not in verb_holders], target, token
    if holders:
        return holders, target, token.head if token.dep_ in {"dobj", "attr", "nsubj"} else token
    verb = token.head
    if token.dep_ == "pobj" and verb.head.lemma_.lower() in rules().light_verbs:
        verb = verb.head  # "would only decide on a military commitment"
    if token.dep_ in {"dobj", "attr", "pobj"} and verb.lemma_.lower() in rules().light_verbs | {"in", "of"}:
        if verb.pos_ == "ADP":
            verb = verb.head
        if token.dep_ == "pobj" and any(c.dep_ == "dobj" and c.lemma_.lower() in rules().neutral_objects
                                        for c in verb.children):
            return [], target, verb  # "take note of the initiatives": the verb's own object says what is done
        subject, clause = _subject(verb)
        if subject is not None:
            return holders_of(sentence, subject, clause=clause), target, clause
    return [], target, verb


def _governing_verb(token):
    return token.head.head if token.dep_ == "pobj" else token.head


def _governing_cue(token):
    """The cue verb whose object token is, if any (a light verb is no cue of its own here)."""
    verb = _governing_verb(token)
    if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() in rules().light_verbs:
        return None
    cue = _cue_at(verb.doc, verb)
    return None if cue is not None and cue.when == "negated" and not _negated(verb, verb) else cue


_HOLDERS = {"verb": _verb_cue, "adj": _adj_cue, "noun": _noun_cue}


@lru_cache(maxsize=1)
def _adjective_forms() -> frozenset[str]:
    return frozenset(cue.words[0] for cues in rules().cues.values() for cue in cues if cue.pos == "adj")


def _subject(verb):
    """The subject of verb, borrowed from the verb it is coordinated with or is the complement of when it has none;
    with the verb whose subject it is."""
    for _ in range(4):
        subject = _subject_child(verb)
        if subject is not None:
            return subject, verb
        if verb.dep_ == "xcomp" and verb.head.i != verb.i:
            if verb.head.lemma_.lower() in rules().appeal_verbs and any(
                    c.dep_ == "dobj" and _may_act(c) or c.dep_ == "nsubjpass" or _addressed(c)
                    for c in verb.head.children):
                # "urged Libya's leaders to agree", "Kosovo is expected to uphold": what the urger wants of them, not a
                # stance of theirs ("use our authorities to target" is the subject's own)
                return None, verb
            verb = verb.head
        elif verb.dep_ in {"conj", "acomp", "advcl"} and verb.head.i != verb.i:
            if verb.dep_ == "advcl" and _appeal_object(verb.head):
                return None, verb  # "reiterate our call upon Kosovo and Serbia to refrain": asked of them
            verb = verb.head
        elif verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            # "joined Iraq in condemning", "have been leaders in condemning": the one doing the verb above
            above = verb.head.head
            thanked = next((c for c in above.children if c.dep_ == "dobj" and _may_act(c)), None) \
                if verb.head.lower_ == "for" and above.pos_ == "VERB" else None
            if thanked is not None:
                return thanked, verb  # "applauded the EU for convening the conference": the EU convened it
            verb = above.head if above.dep_ in {"attr", "dobj"} and above.pos_ == "NOUN" else above
        elif verb.dep_ == "relcl":
            return next((c for c in verb.children if c.lower_ in _RELATIVE), verb.head), verb
        elif (verb.dep_ == "acl" and any(c.lower_ == "to" for c in verb.children)
              and verb.head.dep_ in {"dobj", "pobj"} and verb.head.lemma_.lower() in rules().decision_nouns):
            # "voted on a resolution to expel ...": the one who acts on the noun wants what it says; "took note of
            # Kosovo's decision to reject ...": the one whose decision it is
            noun = verb.head
            owner = next((c for c in noun.children if c.dep_ == "poss"), None)
            if owner is not None:
                return owner, verb
            verb = noun.head.head if noun.dep_ == "pobj" and noun.head.head.pos_ in {"VERB", "AUX"} else noun.head
        elif verb.dep_ == "acl" and verb.tag_ == "VBN" and (agent := _agent(verb)) is not None:
            # "the actions taken by the UK and Canada to target ...": who did it is the passive's agent
            return agent, verb
        else:
            break
    return None, verb


def _addressed(prep) -> bool:
    """Whether a child of an appeal verb is the "on/upon" phrase naming whom it addresses ("call on the regime")."""
    return prep.dep_ == "prep" and prep.lower_ in {"on", "upon"} and any(
        g.dep_ == "pobj" and _may_act(g) for g in prep.children)


def _appeal_object(verb) -> bool:
    """Whether a verb's object is an appeal addressed to someone ("our call upon X", "an appeal to Y")."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() in rules().appeal_verbs and any(
        p.dep_ == "prep" and p.lower_ in {"on", "upon", "to"} and any(g.dep_ == "pobj" for g in p.children)
        for p in c.children) for c in verb.children)


def _agent(verb):
    """The object of a passive verb's "by" phrase, or None."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return _pobj(agent) if agent is not None else None


def _pobj(prep):
    """The object of a preposition, or None."""
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def _may_act(token) -> bool:
    """Whether a noun phrase names someone who could act: a name, a pronoun, an actor noun or a person's title."""
    return token.pos_ in {"PROPN", "PRON"} or token.lemma_.lower() in words().actor_nouns or bool(_title(token))


def _subject_child(verb):
    """verb's subject, also when the parser hangs it on the verb's auxiliary ("Hungary is opposed")."""
    for node in [verb] + [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]:
        for child in node.children:
            if child.dep_ in _SUBJECTS or child.dep_ == "nsubjpass":
                return child
    return None


def _object(token, cue: Cue, skip=None):
    """What a cue is about: its direct object, complement, or the object of its preposition."""
    children = [c for c in token.children if skip is None or c.i != skip.i]
    if cue.target == "against":
        for holder in [token] + [c for c in children if c.dep_ == "dobj"]:
            for prep in holder.children:
                if prep.dep_ == "prep" and prep.lower_ in {"on", "against", "over"}:
                    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if pobj is not None:
                        return pobj
    addressed = next((c for c in children if c.dep_ == "dobj" and _may_act(c)), None)
    asked = next((c for c in children if c.dep_ == "xcomp"), None)
    if addressed is not None and asked is not None:
        # "urged all countries to support the people of Burma": what is asked, not who is asked
        inner = next((c for c in asked.children if c.dep_ == "dobj"), None)
        return inner if inner is not None else asked
    for deps in ({"dobj"}, {"xcomp", "ccomp"}, {"prep", "dative"}, {"attr", "oprd", "acl"}):
        for child in children:
            if child.dep_ not in deps:
                continue
            if child.dep_ in {"prep", "dative"}:
                if child.lower_ not in _TARGET_PREPS:
                    continue
                pobj = next((c for c in child.children if c.dep_ in {"pobj", "pcomp"}), None)
                if pobj is not None:
                    return pobj
                continue
            if child.dep_ in {"xcomp", "ccomp", "acl"}:
                inner = next((c for c in child.children if c.dep_ == "dobj"), None)
                return inner if inner is not None else child
            return child
    return None


def holders_of(sentence: _Sentence, token, *, clause=None, modifier: bool = False) -> list[str]:
    """The actors a noun phrase headed by token stands for, one per coordinated member."""
    members = [token] + [t for t in token.conjuncts if t.i > token.i]
    # "The Secretary and Foreign Minister Kuleba", parsed as one name: the first title is a person of its own
    members = [*_titles_before(token), *members]
    found: list[str] = []
    for member in members:
        code = _actor_of(sentence, member, clause, modifier)
        found += [c for c in code if c not in found]
    return found


def _titles_before(name) -> list:
    """The definite title coordinated into a name's modifiers ("[The Secretary and Foreign Minister] Kuleba"): the
    title that stands for a person of its own, not the office the name holds."""
    if name.pos_ != "PROPN":
        return []
    return [child for child in name.children if child.dep_ in {"nmod", "compound"} and child.i < name.i
            and any(c.dep_ == "det" and c.lower_ == "the" for c in child.children)
            and any(c.dep_ == "cc" for c in child.children) and any(c.dep_ == "conj" for c in child.children)]


def _actor_of(sentence: _Sentence, token, clause, modifier: bool) -> list[str]:
    """The actors one noun phrase head stands for: a named country or organisation, a group, a pronoun's or a
    person's country, a readout's other parties, or what a definite description points back to."""
    entity = sentence.actors.get(token.i)
    if entity is not None and (entity.kind != "demonym" or modifier):
        return [entity.code]
    lower = token.lower_
    aw = words()
    if token.ent_id_ in aw.country_groups:
        # "The Troika (United States, United Kingdom, and Norway) urges": the members it is given; "the entire G7 now
        # supports": the countries the article has named acting together, if it has
        found = [c for c in _modifier_actors(sentence, token) if c]
        if len(found) >= 2:
            return found
        found = _group(sentence.context, False, True, sentence.index) if sentence.context is not None else []
        return found if len(found) >= 3 else []
    if lower in _RELATIVE and token.head.dep_ == "relcl":
        return _antecedent(sentence, token.head.head)
    if token.pos_ == "PRON" or lower in aw.first_person:
        # "We, the foreign ministers of Canada and Chile, ...": the apposition says who "we" are
        named = [c for child in token.children if child.dep_ == "appos" for c in holders_of(sentence, child)]
        return named or _pronoun(sentence, token, clause)
    if token.pos_ == "PROPN" and sentence.context is not None:
        code = sentence.context.people.get(token.text)
        if code:
            return [code]
    title = _title(token)
    guests = _guests(sentence, token)
    if guests:
        return guests
    if token.lemma_.lower() in aw.actor_nouns or title or token.pos_ == "PROPN":
        return _modifier_actors(sentence, token) or _described(sentence, token, title)
    return []


def _described(sentence: _Sentence, token, title: str) -> list[str]:
    """The actors a definite description points back to ("the Foreign Minister", "the two countries", "this group
    of countries"): an office the article named, the text's author, its latest group or the latest actor."""
    aw, lower, context = words(), token.lower_, sentence.context
    first = _first_conjunct(token)
    # "The Secretary and Foreign Ministers": a conjunct shares the article of the first
    the = any(c.lower_ in aw.definite_determiners for c in (*token.children, *first.children)
              if c.dep_ in {"det", "predet"})
    if context is None:
        return []
    if lower in aw.collective_nouns and (the or any(c.lower_ == "this" for c in token.children)):
        # "This group of countries agreed ...": the latest group the article named
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None and any(g.lower_ in aw.plural_definites for g in of.children):
            found = _group(context, False, True, sentence.index)
            return found if len(found) >= 2 else []
    if the and lower in aw.plural_definites:
        # "Turkey and Greece ... the leaders of the two countries": the pair the sentence named, when no group
        return _group(context, False, True, sentence.index) or _pair_before(sentence, token)
    if (token.pos_ != "PROPN" or title) and the and (token.lemma_.lower() in aw.definites or title in aw.definites):
        kind = "person" if title or token.lemma_.lower() in aw.person_titles else "state"
        office = _office(sentence, token) if kind == "person" else None
        if office:
            return [office]
        if kind == "person" and context.author:
            return [context.author]  # a government's text calls its own officials "the Secretary"
        code = context.previous(sentence.index, kind)
        return [code] if code else []
    return []


def _guests(sentence: _Sentence, token) -> list[str]:
    """"Her counterparts", "each Ally" in a government's readout of its talks: the other parties it names, when no
    country modifies the noun."""
    context = sentence.context
    if token.lemma_.lower() not in words().guest_nouns or context is None or context.author is None:
        return []
    if any(c.dep_ in {"poss", "compound", "amod", "nmod"} and c.i in sentence.actors for c in token.children):
        return []  # "Ukraine's allies", "his Polish counterpart"
    if token.lemma_.lower() == "ally" and not any(c.lower_ == "each" for c in token.children):
        return []
    others = [c for c in context.participants if c != context.author]
    return others if context.author in context.participants and len(others) >= 2 and not context.joint else []


def _antecedent(sentence: _Sentence, noun) -> list[str]:
    """Who a relative clause is about: its noun's actors, or for "X and Y are among those that ...", X and Y."""
    found = holders_of(sentence, noun)
    if found or noun.head.lower_ != "among" or noun.head.head.lemma_ != "be":
        return found
    subject = _subject_child(noun.head.head)
    return holders_of(sentence, subject) if subject is not None else []


def _office(sentence: _Sentence, token) -> str | None:
    """The country of an office the article named before ("Chilean Foreign Minister X ... the Foreign Minister")."""
    titles = sentence.context.titles if sentence.context is not None else {}
    words_ = [t.lower_ for t in token.doc[token.left_edge.i : token.i + 1] if t.dep_ != "det"]
    phrase = " ".join(words_)
    if phrase in titles:
        return titles[phrase]
    codes = {code for office, code in titles.items() if office.endswith(phrase) or office.split()[-1] == phrase}
    return next(iter(codes)) if len(codes) == 1 else None


def _title(token) -> str:
    """The person title a head noun spells with the words before it ("prime minister", "foreign minister")."""
    aw = words()
    lemma = token.lemma_.lower()
    before = token.doc[token.i - 1].lower_ if token.i > 0 else ""
    for candidate in (f"{before} {lemma}", lemma):
        if candidate in aw.person_titles:
            return candidate
    return ""


def _modifier_actors(sentence: _Sentence, token) -> list[str]:
    """Countries modifying an actor noun or a person's name: 'Russia's', 'the Polish', 'of Iraq', 'US', appositions;
    none for a noun that names others by their tie to a country ("Ukraine's allies", "his counterpart")."""
    if token.lemma_.lower() in words().relational or token.lower_ in words().relational:
        return []
    found: list[str] = []
    for child in token.children:
        if child.dep_ in {"poss", "compound", "amod", "nmod", "appos"}:
            found += [c for c in holders_of(sentence, child, modifier=True) if c not in found]
        elif child.dep_ == "prep" and (child.lower_ in {"of", "for"} or (
                child.lower_ == "from" and token.lemma_.lower() in words().actor_nouns)):  # "leaders from Canada"
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                found += [c for c in holders_of(sentence, pobj, modifier=True) if c not in found]
    return found


def _pronoun(sentence: _Sentence, token, clause) -> list[str]:
    """A pronoun holder: the speaker of the reporting verb above it, else the article's latest compatible actor;
    "we" outside anyone's speech is the article's author when a government publishes it."""
    aw = words()
    lower = token.lower_
    speaker, _ = _speaker(clause if clause is not None else token.head)
    if lower in aw.first_person | aw.group_pronouns or lower in aw.third_person:
        if speaker is not None and speaker.i != token.i and speaker.i not in sentence.asking:
            sentence.asking.add(speaker.i)
            try:
                found = holders_of(sentence, speaker)
            finally:
                sentence.asking.discard(speaker.i)
            if found:
                return found
        context = sentence.context
        if lower in aw.third_person and (token.dep_ == "poss" or token.head.dep_ != "ROOT"):
            # "the Cuban government's ... its", "welcomed Japan's announcement that it will": the actor just named
            code = _nearest_before(sentence, token, aw.third_person[lower])
            if code:
                return [code]
        if lower in aw.group_pronouns:
            named = _pair_before(sentence, token)
            if named:
                return named  # "the partnership with Canada and Germany and their solidarity"
        if context is None:
            return []
        if lower in aw.first_person | aw.group_pronouns:
            return _group(context, lower in aw.first_person, speaker is None, sentence.index)
        code = context.previous(sentence.index, aw.third_person[lower])
        return [code] if code else []
    return []


def _first_conjunct(token):
    """The first member of the coordination token is in ("Germany" for "France" in "Germany and France"), else token."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def _pair_before(sentence: _Sentence, token) -> list[str]:
    """The coordinated countries named last before a plural pronoun in its sentence ("Canada and Germany ... their"),
    if the nearest country before it is one of several joined by "and"."""
    for i in range(token.i - 1, -1, -1):
        entity = sentence.actors.get(i)
        if entity is None or entity.kind in {"person", "demonym"}:
            continue
        first = _first_conjunct(sentence.doc[i])
        members = [first, *first.conjuncts]
        codes = [sentence.actors[m.i].code for m in members if m.i in sentence.actors]
        return list(dict.fromkeys(codes)) if len(set(codes)) >= 2 else []
    return []


def _nearest_before(sentence: _Sentence, token, kind: str) -> str | None:
    """The nearest actor of this kind ("person" or "state") named before a pronoun in its sentence."""
    people = sentence.context.people if sentence.context is not None else {}
    found = []
    for i in range(token.i - 1, -1, -1):
        entity = sentence.actors.get(i)
        if kind == "person" and entity is None and sentence.doc[i].text in people:
            found.append((i, people[sentence.doc[i].text]))
            continue
        if entity is None or (entity.kind == "person") != (kind == "person"):
            continue
        modifies_actor = sentence.doc[i].head.lemma_.lower() in words().actor_nouns
        if entity.kind != "demonym" or modifies_actor:
            found.append((i, entity.code))
    # "Spain's provision of aid to Ukraine and its support": a country that is only a preposition's object is the
    # antecedent only when no other is near
    own = [code for i, code in found if sentence.doc[i].dep_ != "pobj"]
    return own[0] if own else (found[0][1] if found else None)


def _group(context: ArticleContext, first_person: bool, unreported: bool, index: int) -> list[str]:
    """"we" or "they" outside anyone's speech: the latest group of actors that held a stance together (for "we",
    only a group its publisher is part of), else the parties of a government's readout or joint statement, else for
    "we" the publisher."""
    if first_person and context.joint and len(context.participants) >= 2 and unreported:
        return list(context.participants)  # a joint statement's "we" is all its parties, whoever spoke last
    if context.group and (not first_person or context.author is None or context.author in context.group):
        return list(context.group)
    if first_person and context.unlisted_voice:
        return []  # "we, the G7": a group the text does not list, not its publisher
    if first_person:
        return [context.author] if context.author and unreported else []
    return list(context.participants) if len(context.participants) >= 2 else []


def _speaker(clause):
    """The subject of the reporting verb that governs clause ('X said it would...', '"...", X told RTL'), and that
    verb; 'according to X' counts."""
    token = clause
    for _ in range(6):
        if token.lemma_.lower() in rules().reporting and token.i != clause.i:
            subject = next((c for c in token.children if c.dep_ in _SUBJECTS), None)
            if subject is None and token.dep_ == "conj":  # "has signalled ... but stressed that"
                subject = next((c for c in token.head.children if c.dep_ in _SUBJECTS), None)
            if subject is not None:
                return subject, token
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "according":
                pobj = next((c for t in child.children for c in [t, *t.children] if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj, child
        if token.head.i == token.i:
            break
        if token.dep_ not in {"ccomp", "xcomp", "conj", "advcl", "parataxis", "acomp", "dobj", "attr", "pobj",
                              "prep", "relcl"}:
            break
        token = token.head
    # A quote followed by "X said": the reporting verb is a child of the quoted clause's root.
    root = clause if clause.dep_ == "ROOT" else None
    if root is not None:
        for child in root.children:
            if child.dep_ in {"parataxis", "ccomp"} and child.lemma_.lower() in rules().reporting:
                subject = next((c for c in child.children if c.dep_ in _SUBJECTS), None)
                if subject is not None:
                    return subject, child
    return None, None


def _negated(token, clause) -> bool:
    """Whether the cue or its clause is negated: "not", "never", "no" before a stance noun, "yet to"."""
    nodes = {token, clause} if not (token.pos_ == "NOUN" and token.dep_ == "pobj") else {token}
    for node in nodes:
        for child in node.children:
            if child.dep_ == "neg" or child.lower_ in {"never", "no"} and child.dep_ in {"det", "advmod", "neg"}:
                return True
            if child.lower_ == "yet" and child.dep_ == "advmod":
                return True
    return False


def _condition(clause, token=None) -> str:
    """The condition a clause states ("unless ...", "provided ...", "only if ..."), as text, else ''; token, the
    cue verb, when its clause is the verb it shares a subject with ("can only conclude talks and sign it if ...")."""
    rule = rules()
    nodes = [clause] + ([token] if token is not None and token.i != clause.i and token.head.i == clause.i else [])
    # "does not seek to exclude anyone provided they ...": a condition on the verb it governs is on it too
    nodes += [c for node in list(nodes) for c in node.children if c.dep_ == "xcomp"]
    # "will only join if", "only if": an "only" on the verb or on the clause itself, not "not only" elsewhere
    only = any(c.lower_ == "only" and c.dep_ == "advmod" for node in [clause, clause.head] if node is clause or
               clause.dep_ == "conj" for c in node.children)
    children = [c for node in nodes for c in node.children] + (list(clause.head.children)
                                                             if clause.dep_ == "conj" else [])
    for child in children:
        # "provided they respect the law" is sometimes left unattached ("dep"): its own first word says what it is
        if child.dep_ not in {"advcl", "prep"} and not (child.dep_ == "dep" and child.lower_ in rule.always):
            continue
        # a preposition is its own mark ("absent a deal"); a clause's word is not ("..., providing air defence")
        marks = [c.lower_ for c in child.children if c.dep_ in {"mark", "advmod"}] + (
            [child.lower_] if child.dep_ == "prep" or _opens_condition(child, clause) else [])
        advcl_only = any(c.lower_ == "only" and c.dep_ == "advmod" for c in child.children)
        if any(m in rule.always for m in marks) or ((only or advcl_only) and any(m in rule.with_only for m in marks)):
            return _phrase(child)
        if child.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in rule.clause_conditions
                                         for c in child.children):
            return _phrase(child)
        first = child.left_edge
        if child.dep_ == "advcl" and first.lower_ in {"should", "were", "had"} and first.head.i == child.i:
            return _phrase(child)  # "Should Russia attempt to use energy as a weapon, Germany will take action"
    return ""


def _opens_condition(clause_word, main) -> bool:
    """Whether an adverbial clause's own first word is its condition word: "Absent a change of course, we will ...",
    "... provided they respect the law" (before the main verb, or with a clause of its own), not "..., providing air
    defence"."""
    if clause_word.i != clause_word.left_edge.i:
        return False
    own_clause = any(c.dep_ in {"ccomp", "advcl"} and any(g.dep_ in _SUBJECTS for g in c.children)
                     for c in clause_word.children)
    return clause_word.i < main.i or own_clause


def _attribution(sentence: _Sentence, speaker, reporting, clause, holders: list[str]) -> tuple[str, str, list]:
    """Who reports a stance (when someone other than its holder does), the claim's author when the speaker is of
    another country or an unknown named person, and the speaker's own countries (whose stances are no claim)."""
    if speaker is None or reporting is None or reporting.i == clause.i:
        return "", "", []
    name = _speaker_name(speaker, sentence)
    speaking = holders_of(sentence, speaker)
    if speaking and set(holders) <= set(speaking):
        return ("" if name == _phrase(speaker) and speaker.i in sentence.actors else name), "", speaking
    claims = bool(speaking) or speaker.pos_ == "PROPN"
    return name, (name if claims else ""), speaking


def _speaker_name(speaker, sentence: _Sentence) -> str:
    """A known person's name when the speaker phrase names one or their office ("the French president" is the one
    person of the gazetteer with that country and role), else the phrase."""
    known = catalog()
    phrase = _phrase(speaker)
    countries = []
    for ent in sentence.doc.ents:
        if ent.start >= speaker.left_edge.i and ent.end <= speaker.right_edge.i + 1:
            info = known.get(ent.ent_id_)
            if info and info["kind"] == "person":
                return info["name"]
            if info and info.get("iso3"):
                countries.append(info["iso3"])
    title = speaker.lemma_.lower() if speaker.pos_ in {"NOUN", "PROPN"} else ""
    if countries and title:
        holders = [info["name"] for info in known.values() if info["kind"] == "person"
                   and info.get("iso3") == countries[0] and (info.get("role") or "").lower().startswith(title)]
        if len(holders) == 1:
            return f"{holders[0]} ({phrase})"
    return phrase


def _phrase(token) -> str:
    """A noun phrase as the sentence writes it, clauses on it included ("the agreement that ends the war"): they
    often name what it is about."""
    subtree = list(token.subtree)
    return token.doc[subtree[0].i : subtree[-1].i + 1].text.strip(" ,“”\"'")


def _target_terms(target, sentence: _Sentence) -> tuple[str, str, str]:
    """A target's head lemma, its content modifiers (lemmas, countries included: "sanctions on Russia" and "sanctions
    on Iran" are two topics) and a short phrase naming it ("sanctions on Russia"), evaluative words left out."""
    if target is None or target.pos_ == "PRON":
        return "", "", ""
    node = target
    if node.pos_ in {"VERB", "AUX"}:  # "pledged to send troops": what is sent names the topic
        node = next((c for c in node.children if c.dep_ == "dobj"), None) or _prep_object(node)[1] or node
        if node.pos_ in {"VERB", "AUX"} and node.lemma_.lower() in rules().generic_targets:
            # "working with allies to keep pressure on Russia": a generic verb's purpose names the topic
            purpose = next((c for c in node.children if c.dep_ in {"xcomp", "advcl"} and c.pos_ == "VERB"), None)
            found = None if purpose is None else next((c for c in purpose.children if c.dep_ == "dobj"), None) \
                or _prep_object(purpose)[1]
            node = found if found is not None else node
        if node.pos_ in {"VERB", "AUX"}:  # "welcomed that the talks resumed": what the clause is about
            subject = _subject_child(node)
            if subject is not None and subject.pos_ == "NOUN" and subject.i not in sentence.actors:
                node = subject
        if node.pos_ in {"VERB", "AUX"}:
            return node.lemma_.lower(), "", node.lemma_.lower()
    for _ in range(2):  # "condemnation of the war", "the importance of the talks": what they are about
        amount = node.like_num or node.pos_ == "NUM"  # "$75 million in humanitarian assistance"
        if not amount and node.lemma_.lower() not in rules().generic_targets and not (
                node.pos_ == "NOUN" and any(c.pos == "noun" for c in rules().cues.get(node.lemma_.lower(), ()))):
            break
        # "our call on the military to cease ...": who a call or appeal is addressed to is not what it is about
        addressed = {"on", "upon", "to"} if node.lemma_.lower() in rules().appeal_verbs else set()
        inner = _inner(node, addressed)
        node = inner if inner is not None else node
    if node.pos_ == "PRON" or not node.is_alpha:
        return "", "", ""
    modifiers = [c for c in node.children if c.dep_ in {"compound", "amod", "nmod", "poss"} and c.is_alpha
                 and c.pos_ in {"NOUN", "PROPN", "ADJ"} and c.lower_ not in rules().topic_stop
                 and _cue_at(c.doc, c) is None and not _hyphen_tail(c)]
    prep, pobj = _prep_object(node)
    # The country a target is about ("sanctions on Russia", "support for Ukraine") is a term marked "@": it keeps
    # "sanctions on Russia" and "sanctions on Iran" apart, but joins no other heads into one topic.
    # Only noun modifiers join heads into one topic ("peace plan", "peace proposal"); an adjective would join too much
    # ("economic sanctions", "economic mission").
    terms = [c.lemma_.lower() for c in modifiers if c.i not in sentence.actors and c.pos_ in {"NOUN", "PROPN"}]
    if pobj is not None:
        terms.append("@" + sentence.actors[pobj.i].code if pobj.i in sentence.actors else pobj.lemma_.lower())
        # "the voices of the Cuban people", "of all Syrians": the country a demonym names is what it is about too
        named = [sentence.actors[c.i].code for c in pobj.children if c.dep_ == "amod" and c.i in sentence.actors
                 and sentence.actors[c.i].kind == "demonym"]
        people = surface_forms(frozenset({"demonym"})).get(pobj.text[:-1]) if pobj.text.endswith("s") else None
        terms += ["@" + (named or [people])[0]] if (named or people) and pobj.i not in sentence.actors else []
    words_ = _label_words(_named_span(node, [c for c in modifiers if c.dep_ != "poss"]))
    if pobj is not None:
        words_ += [prep.lower_] + [c.text if c.dep_ == "amod" else _word(c) for c in pobj.children
                                   if c.dep_ == "compound" or (c.dep_ == "amod" and c.i in sentence.actors)] + [
            _word(pobj)]
    return node.lemma_.lower(), " ".join(terms), " ".join(words_)


def _named_span(node, modifiers) -> list:
    """The words that name a target: its modifiers and head, or the words between them as written when they are
    one short run of the phrase ("sovereignty and territorial integrity", not "sovereignty integrity")."""
    if not modifiers or any(m.i > node.i for m in modifiers):
        return [*modifiers, node] if modifiers else [node]
    span = node.doc[min(m.i for m in modifiers) : node.i + 1]
    inside = {t.i for t in node.subtree}
    if len(span) <= 6 and all(t.i in inside and (t.is_alpha or t.text == "-") and t.dep_ not in {"poss", "det"}
                              and (t.is_alpha is False or t.lower_ not in rules().topic_stop) for t in span):
        return list(span)
    return [*modifiers, node]


def _inner(node, skip: set[str]):
    """What a generic or stance noun is about: its prepositional object, else the object of an infinitive or
    participle on it ("efforts to achieve a settlement", "the progress made in the talks")."""
    inner = _prep_object(node, skip)[1]
    if inner is not None:
        return inner
    for verb in (c for c in node.children if c.dep_ == "acl" and c.pos_ == "VERB"):
        found = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in {"NOUN", "PROPN"}), None)
        found = found if found is not None else _prep_object(verb)[1]
        if found is not None:
            return found
    return None


def _prep_object(node, skip: set[str] = frozenset()):
    """The first "on/of/for/against/to/in/over" phrase of a noun or verb: (preposition, its object) or (None, None)."""
    for child in node.children:
        if child.dep_ == "prep" and child.lower_ in {"on", "of", "for", "against", "to", "in", "over"} - set(skip):
            pobj = next((c for c in child.children if c.dep_ == "pobj" and c.pos_ in {"NOUN", "PROPN"}), None)
            if pobj is not None:
                return child, pobj
    return None, None


def _word(token) -> str:
    return token.text if token.pos_ == "PROPN" or token.text.isupper() else token.lower_


def _hyphen_tail(token) -> bool:
    """Whether a word ends a hyphenated one ("long-term"): a part, not a modifier of its own."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    return before is not None and before.text == "-" and not before.whitespace_


def _label_words(tokens) -> list[str]:
    """Words of a topic's label: a name of several words once and whole ("United States", not "States")."""
    words_, names = [], set()
    for token in tokens:
        name = next((e for e in token.doc.ents if e.start <= token.i < e.end), None) \
            if token.ent_iob_ in {"B", "I"} else None
        if name is None or len(name) == 1:
            words_.append(_word(token))
        elif name.start not in names:
            names.add(name.start)
            words_.append(name.text.removeprefix("the ").removesuffix("’").removesuffix("'"))
    return words_


def _joint_authors(sentence: _Sentence) -> list[Stance]:
    """'The Franco-German initiative': countries hyphen-joined in front of a joint noun (positions.yaml) lead it."""
    doc, actors, rule = sentence.doc, sentence.actors, rules()
    found: list[Stance] = []
    if "-" not in sentence.text:
        return found
    i = 0
    while i < len(doc):
        if i not in actors:
            i += 1
            continue
        chain, j = [actors[i].code], i + 1
        while j + 1 < len(doc) and doc[j].text == "-" and j + 1 in actors:
            chain.append(actors[j + 1].code)
            j += 2
        if len(set(chain)) >= 2 and j < len(doc) and doc[j].lower_ in rule.joint_nouns:
            start, end = doc[i].idx, doc[j].idx + len(doc[j].text)
            found += [_named_in_front(sentence, code, rule.joint_stance, start, end, doc[j])
                      for code in dict.fromkeys(chain)]
        i = j
    return found


def _led_suffix(sentence: _Sentence) -> list[Stance]:
    """'The French- and British-led coalition', 'a Qatar-brokered truce', 'Iran-backed militias': the countries
    written just before the hyphen hold the participle's stance on what it modifies."""
    doc, actors, participles = sentence.doc, sentence.actors, rules().participles
    found: list[Stance] = _unhyphenated_led(sentence)
    if "-" not in sentence.text:
        return found
    for token in doc:
        stance = participles.get(token.lemma_.lower()) if token.lower_.endswith(("ed", "led")) else None
        if stance is None or token.i == 0 or not doc[token.i - 1].text.endswith("-"):
            continue
        j, codes = token.i - 1, []
        while j >= 0 and (j in actors or doc[j].text in {"-", "and", ",", "&"} or doc[j].text.endswith("-")):
            # only a country written just before a hyphen ("French- and U.K.-led"), not "Russia and US-led"
            hyphened = doc[j].text.endswith("-") or (j + 1 < len(doc) and doc[j + 1].text.startswith("-"))
            if j in actors and hyphened and actors[j].code not in codes:
                codes.insert(0, actors[j].code)
            j -= 1
        # what is led: the noun the participle modifies ("the French- and U.K.-led coalition")
        led = next((t for t in doc[token.i + 1 : token.i + 4] if t.pos_ in {"NOUN", "PROPN"}),
                   token.head if token.head.i != token.i else token)
        found += [_named_in_front(sentence, code, stance, doc[j + 1].idx, token.idx + len(token.text), led)
                  for code in codes]
    return found


def _unhyphenated_led(sentence: _Sentence) -> list[Stance]:
    """'the EU hosted conference', 'a Qatar brokered truce': a participle the tagger reads as modifying a noun,
    right after a country written without the hyphen."""
    doc, actors, participles = sentence.doc, sentence.actors, rules().participles
    found = []
    for token in doc:
        if token.i == 0 or token.tag_ != "VBN" or token.dep_ != "amod" or token.i - 1 not in actors:
            continue
        if actors[token.i - 1].kind == "person":
            continue  # "since Trump hosted Putin": a person before a participle is its subject, misparsed
        stance = participles.get(token.lemma_.lower())
        if stance is None or token.head.pos_ not in {"NOUN", "PROPN"}:
            continue
        led, start, end = token.head, doc[token.i - 1].idx, token.idx + len(token.text)
        while led.dep_ in {"nmod", "compound"} and led.head.pos_ in {"NOUN", "PROPN"}:
            led = led.head  # "the EU hosted Brussels Conference": what is hosted is the conference
        found.append(_named_in_front(sentence, actors[token.i - 1].code, stance, start, end, led))
    return found


def _named_in_front(sentence: _Sentence, code: str, stance: str, start: int, end: int, target) -> Stance:
    """The stance of a country written in front of what it is about ("the Franco-German plan", "a Qatar-brokered
    truce"): the words from start to end are its cue, target the noun."""
    return Stance(code, stance, sentence.text[start:end], "", "", target=target.text,
                  target_head=target.lemma_.lower(), cue_start=start, cue_end=end, target_phrase=target.lower_)


def _merge(stances: list[Stance]) -> list[Stance]:
    """One stance per holder and target in a sentence: the first in `precedence` wins, keeping any condition and
    attribution. Stances with no named target go with the holder's first one ("did not rule out taking part, but
    any mission would be contingent on a ceasefire" is one conditional stance)."""
    order = rules().precedence
    best: dict[tuple[str, str], Stance] = {}
    for item in stances:
        key = (item.code, item.target_head)
        if not item.target_head:  # an untargeted stance joins the holder's first one
            key = next((k for k in best if k[0] == item.code), key)
        elif key not in best and (item.code, "") in best:  # a target for the holder's untargeted one
            best[key] = best.pop((item.code, ""))
        current = best.get(key)
        if current is None or order.index(item.stance) < order.index(current.stance):
            keep = current or item
            best[key] = replace(item, conditions=item.conditions or keep.conditions,
                                attributed_to=item.attributed_to or keep.attributed_to,
                                claimed_by=item.claimed_by or keep.claimed_by)
        elif item.conditions and item.conditions not in current.conditions:
            # "contingent on a ceasefire and require a clear mandate": both conditions
            joined = f"{current.conditions}; {item.conditions}" if current.conditions else item.conditions
            best[key] = replace(current, conditions=joined)
    return list(best.values())


def may_state_a_stance(text: str) -> bool:
    """Whether a sentence has a cue's first word at all, in any of its forms (cheap test before parsing it)."""
    forms, stems = _first_words()
    if stems is not None:
        return bool(stems.search(text))
    return not forms.isdisjoint(_WORD.findall(text.lower()))


_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def _first_words() -> tuple[frozenset[str], re.Pattern | None]:
    """Every written form of every cue's first word ("lead", "leads", "led", "leading"), from the English model's own
    lemmatizer tables read backwards; without them, a pattern of the words' first letters."""
    forms = _written_forms(rules().first_words)
    if forms is None:
        stems = sorted({w[: max(4, len(w) - 2)] for w in rules().first_words}, key=len, reverse=True)
        return frozenset(), re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")", re.I)
    return forms, None


@lru_cache(maxsize=1)
def _deed_forms() -> frozenset[str]:
    """The deed verbs of positions.yaml in every written form (as listed, where the model has no lemma tables)."""
    forms = _written_forms(rules().deed_verbs)
    return frozenset(rules().deed_verbs) if forms is None else forms


def _written_forms(lemmas) -> frozenset[str] | None:
    """Every written form of these lemmas, or None when the model has no lemmatizer tables."""
    inflected = _inflections()
    return None if inflected is None else frozenset(form for lemma in lemmas for form in inflected(lemma))


def _inflections():
    """A function giving a lemma's forms (a superset: some are not words, none is missed), or None when the model
    has no lemmatizer tables."""
    from analysis.nlp import load_pipeline

    nlp = load_pipeline().nlp
    if "lemmatizer" not in nlp.component_names:  # disabled ones too: this may first run inside select_pipes
        return None
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_rules") or not lookups.has_table("lemma_exc"):
        return None
    rules_, exceptions = lookups.get_table("lemma_rules"), lookups.get_table("lemma_exc")
    pos_rules = [rules_.get(pos, []) for pos in ("verb", "noun", "adj")]
    irregular: dict[str, set[str]] = {}
    for pos in ("verb", "noun", "adj"):
        for form, lemmas in (exceptions.get(pos) or {}).items():
            for lemma in lemmas:
                irregular.setdefault(lemma, set()).add(form)

    def forms(lemma: str) -> set[str]:
        found = {lemma} | irregular.get(lemma, set())
        for table in pos_rules:
            for old, new in table:
                if lemma.endswith(new):
                    found.add(lemma[: len(lemma) - len(new)] + old)
        if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):  # "commit": "committed", "committing"
            found |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
        return found

    return forms
