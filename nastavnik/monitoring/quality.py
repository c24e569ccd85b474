"""Stage 1 of monitoring: the quality of the process (seed 000 §5.1), from the satisfaction
questionnaires of mentors and mentees and the curator's questionnaire on conformity to the
model.

For every closed item: n, the distribution of answers and, for a rated item, the mean. Items
are known by the questionnaire kind and the question code, which stay the same across the
versions of a questionnaire and the organisation's copies of a built-in one, so the answers of
every campaign of the year add up.

Rated items are the 1–10 scale questions and the curator's «да, полностью / частично / нет»
conditions. To put both on one line (the SWOT candidates rank them together) each rated item
also has a `score` from 0 to 1: (mean − lowest point) / (highest − lowest) for a scale, and
(fully + ½ partly) / n for a condition.

Grouping (by form, role model, pair) follows the respondent's pairs of the year
(`monitoring.pairs`). An anonymous answer has no respondent: it counts in the whole, and in a
form only when its campaign was sent to one form; never in a role model or a pair. The curator's
questionnaire is about the programme as a whole and is not grouped.

Bounded in queries: campaigns, questions, answers (one values query each), the pairs (two), and
the rest in Python — the same few queries for 10 answers or 10,000.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q

from nastavnik.core.morphology import lemma
from nastavnik.monitoring.pairs import PairIndex, pair_index
from nastavnik.programmes.models import Programme
from nastavnik.questionnaires import anonymity
from nastavnik.questionnaires.models import (
    Answer,
    Campaign,
    Question,
    QuestionnaireKind,
    QuestionType,
)

SATISFACTION_KINDS: tuple[str, ...] = (
    QuestionnaireKind.MENTOR_SATISFACTION,
    QuestionnaireKind.MENTEE_SATISFACTION,
)
KINDS: tuple[str, ...] = (*SATISFACTION_KINDS, QuestionnaireKind.CURATOR_CONFORMITY)
CONFORMITY_POINTS = {"yes": 1.0, "partly": 0.5, "no": 0.0}
CLOSED_TYPES = frozenset({QuestionType.SCALE, QuestionType.SINGLE, QuestionType.MULTIPLE})
OPEN_TYPES = frozenset({QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT})
WHOLE = "all"
# A word is recurring when this many answers to one question use it.
RECURRING_AT = 2
WORDS_SHOWN = 10


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One answer option (or scale point) and how many chose it."""

    value: str
    label: str
    count: int
    percent: int  # of the item's n


@dataclass(frozen=True)
class ItemStats:
    """One closed question of a questionnaire, over the answers of a group."""

    kind: str
    code: str
    text: str
    type: str
    rated: bool
    n: int
    mean: float | None  # a scale only, on its own points (1–10)
    score: float | None  # a rated item only, 0…1: see the module docstring
    low: int | None
    high: int | None
    # (value, label) of each option or scale point, and how many chose it: `distribution`
    # builds the bars only when asked, so a page of 300 pairs does not make 75,000 of them.
    options: tuple[tuple[str, str], ...]
    counts: tuple[int, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.code)

    @property
    def distribution(self) -> tuple[Bar, ...]:
        n = self.n
        return tuple(
            Bar(value, label, count, round(100 * count / n) if n else 0)
            for (value, label), count in zip(self.options, self.counts, strict=True)
        )


@dataclass(frozen=True)
class QuestionnaireStats:
    """The closed items of one questionnaire kind, and how many responses they come from."""

    kind: str
    title: str
    respondents: int
    items: tuple[ItemStats, ...]

    @property
    def rated_items(self) -> tuple[ItemStats, ...]:
        return tuple(item for item in self.items if item.rated)


@dataclass(frozen=True)
class GroupStats:
    """The questionnaires over one group: a form, a role model or a pair."""

    key: str
    label: str
    questionnaires: tuple[QuestionnaireStats, ...]

    @property
    def respondents(self) -> int:
        return sum(q.respondents for q in self.questionnaires)


@dataclass(frozen=True)
class WordCount:
    word: str  # the form of the word most answers used
    lemma: str
    count: int  # answers using it


@dataclass(frozen=True)
class OpenQuestion:
    """The answers to one open question, with the words that recur in them."""

    kind: str
    code: str
    text: str
    answers: tuple[str, ...]
    words: tuple[WordCount, ...]


@dataclass(frozen=True)
class CampaignRef:
    pk: int
    title: str
    kind: str
    form_name: str
    anonymous: bool
    responses: int
    # Anonymous with fewer answers than `anonymity.minimum()`: none of them is counted yet.
    withheld: bool = False


@dataclass(frozen=True)
class QualityResults:
    programme_id: int
    campaigns: tuple[CampaignRef, ...]
    overall: tuple[QuestionnaireStats, ...]
    by_form: tuple[GroupStats, ...]
    by_role_model: tuple[GroupStats, ...]
    by_pair: tuple[GroupStats, ...]
    open_questions: tuple[OpenQuestion, ...]
    mean_satisfaction: float | None

    @property
    def is_empty(self) -> bool:
        return not any(q.respondents for q in self.overall)

    @property
    def rated_items(self) -> tuple[ItemStats, ...]:
        return tuple(item for q in self.overall for item in q.rated_items)

    def item(self, kind: str, code: str) -> ItemStats | None:
        return next((i for q in self.overall for i in q.items if i.key == (kind, code)), None)


# --- Open answers: words ---------------------------------------------------------------------

_STOP_TEXT = """
    а без более бы был была были было быть в вам вас весь во вот все всё всего всех вы где да
    даже для до его ее её ей если есть еще ещё же за здесь и из или им их к как какой когда
    кто ли либо мне мной много может можно мой мы на над надо наш не него нее неё нет ни них
    но ну о об один однако он она они оно от очень по под после потому при про раз с сам
    свой себе себя так также такой там те тем то того тоже той только том ты у уже хотя чего
    чей чем что чтобы чуть эта эти это этот я бы было нам них нему ней всем всегда иногда
    сейчас тогда тут где-то который которая которые которых мне меня мою моя мои моё свою
    своё свои своих нашей наши нашего больше меньше лучше хорошо плохо нужно нужна нужен
    было будет будут будем быть является есть нет да очень просто вообще ничего никто
    чем-то что-то как-то кое что-нибудь
"""
STOP_WORDS = frozenset(_STOP_TEXT.replace("ё", "е").split())
# Words every answer about the programme uses, which tell the curator nothing.
DOMAIN_LEMMAS = frozenset({"программа", "наставник", "наставничество", "наставляемый", "который"})
WORD_RE = re.compile(r"[а-яёa-z]+(?:-[а-яёa-z]+)?")
MIN_WORD = 4


def words_of(text: str) -> set[tuple[str, str]]:
    """(lemma, word) of the meaningful words of one answer, each once: «встречи» and
    «встречах» are both «встреча» (pymorphy3's dictionary form)."""
    found = set()
    for word in WORD_RE.findall(text.lower().replace("ё", "е")):
        if len(word) < MIN_WORD or word in STOP_WORDS:
            continue
        lemmatised = lemma(word)
        if lemmatised in DOMAIN_LEMMAS or lemmatised in STOP_WORDS:
            continue
        found.add((lemmatised, word))
    return found


def recurring_words(answers: Iterable[str], limit: int = WORDS_SHOWN) -> tuple[WordCount, ...]:
    """The words most answers use (counted once per answer), at least `RECURRING_AT` of them."""
    answers_with: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for answer in answers:
        seen = set()
        for lemmatised, word in words_of(answer):
            forms[lemmatised][word] += 1
            if lemmatised not in seen:
                seen.add(lemmatised)
                answers_with[lemmatised] += 1
    ranked = sorted(
        (item for item in answers_with.items() if item[1] >= RECURRING_AT),
        key=lambda item: (-item[1], item[0]),
    )
    return tuple(
        WordCount(word=forms[lemmatised].most_common(1)[0][0], lemma=lemmatised, count=count)
        for lemmatised, count in ranked[:limit]
    )


# --- Collecting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Question:
    kind: str
    code: str
    type: str
    text: str
    low: int | None
    high: int | None
    choices: tuple[tuple[str, str], ...]
    order: tuple[int, int, int]
    # (value, label) of every answer option or scale point.
    options: tuple[tuple[str, str], ...] = ()

    @property
    def rated(self) -> bool:
        if self.type == QuestionType.SCALE:
            return True
        return (
            self.kind == QuestionnaireKind.CURATOR_CONFORMITY
            and self.type == QuestionType.SINGLE
            and {value for value, _label in self.choices} <= set(CONFORMITY_POINTS)
        )


def _campaigns(programme: Programme) -> list[dict[str, Any]]:
    return list(
        Campaign.objects.filter(programme=programme, questionnaire__kind__in=KINDS)
        .annotate(
            answered=Count("responses"),
            typed=Count("responses", filter=Q(responses__entered_by__isnull=False)),
        )
        .order_by("created_at", "pk")
        .values(
            "pk",
            "title",
            "questionnaire_id",
            "questionnaire__kind",
            "form_id",
            "form__name",
            "anonymous",
            "created_at",
            "answered",
            "typed",
        )
    )


def _withheld(campaign: Mapping[str, Any]) -> bool:
    """An anonymous campaign answered by too few: its answers would be someone's answers."""
    if not campaign["anonymous"]:
        return False
    online = campaign["answered"] - campaign["typed"]
    return anonymity.judged(campaign["answered"], online) is not None


def _questions(questionnaire_ids: Iterable[int]) -> tuple[dict[int, _Question], list[_Question]]:
    """Questions by pk, and one per (kind, code) in the order of the newest version."""
    by_pk: dict[int, _Question] = {}
    items: dict[tuple[str, str], _Question] = {}
    rows = Question.objects.filter(questionnaire_id__in=list(questionnaire_ids)).values_list(
        "pk",
        "questionnaire_id",
        "questionnaire__kind",
        "code",
        "type",
        "text",
        "min_value",
        "max_value",
        "choices",
        "section__position",
        "position",
    )
    # The newest version last, so that its wording and order win.
    for pk, _qid, kind, code, type_, text, low, high, choices, section, position in sorted(
        rows, key=lambda r: r[1]
    ):
        scale = type_ == QuestionType.SCALE
        low_point = (int(low) if low is not None else 1) if scale else None
        high_point = (int(high) if high is not None else 10) if scale else None
        pairs_of_choices = tuple((str(v), str(label)) for v, label in (choices or []))
        question = _Question(
            kind=kind,
            code=code,
            type=type_,
            text=text,
            low=low_point,
            high=high_point,
            choices=pairs_of_choices,
            order=(KINDS.index(kind), section, position),
            options=(
                tuple((str(p), str(p)) for p in range(low_point or 1, (high_point or 10) + 1))
                if scale
                else pairs_of_choices
            ),
        )
        by_pk[pk] = question
        items[(kind, code)] = question
    return by_pk, sorted(items.values(), key=lambda q: q.order)


def _item(question: _Question, values: list[Any]) -> ItemStats:
    n = len(values)
    if question.type == QuestionType.MULTIPLE:
        counts: Counter[str] = Counter(
            str(one) for value in values for one in (value if isinstance(value, list) else [value])
        )
    else:
        counts = Counter(map(str, values))
    mean = score = None
    if n and question.type == QuestionType.SCALE:
        assert question.low is not None and question.high is not None
        mean = sum(float(v) for v in values) / n
        score = (mean - question.low) / (question.high - question.low)
    elif n and question.rated:
        score = sum(CONFORMITY_POINTS.get(str(v), 0.0) for v in values) / n
    return ItemStats(
        kind=question.kind,
        code=question.code,
        text=question.text,
        type=question.type,
        rated=question.rated,
        n=n,
        mean=mean,
        score=score,
        low=question.low,
        high=question.high,
        options=question.options,
        counts=tuple(counts[value] for value, _label in question.options),
    )


@dataclass
class _Bucket:
    """The answers of one group, per item, and the responses they came from, per kind."""

    values: dict[tuple[str, str], list[Any]]
    responses: dict[str, set[int]]

    @classmethod
    def empty(cls) -> _Bucket:
        return cls(defaultdict(list), defaultdict(set))


def _questionnaires(
    bucket: _Bucket, items: list[_Question], titles: dict[str, str], kinds: Iterable[str]
) -> tuple[QuestionnaireStats, ...]:
    result = []
    for kind in kinds:
        closed = [q for q in items if q.kind == kind and q.type in CLOSED_TYPES]
        if not closed:
            continue
        result.append(
            QuestionnaireStats(
                kind=kind,
                title=titles[kind],
                respondents=len(bucket.responses.get(kind, ())),
                items=tuple(_item(q, bucket.values.get((q.kind, q.code), [])) for q in closed),
            )
        )
    return tuple(result)


def _groups(
    buckets: dict[str, _Bucket],
    labels: dict[str, str],
    items: list[_Question],
    titles: dict[str, str],
) -> tuple[GroupStats, ...]:
    return tuple(
        GroupStats(
            key,
            labels[key],
            tuple(
                q
                for q in _questionnaires(buckets[key], items, titles, SATISFACTION_KINDS)
                if q.respondents
            ),
        )
        for key in sorted(buckets, key=lambda k: labels[k])
    )


def _route(
    pairs: PairIndex,
    person_id: int | None,
    campaign: dict[str, Any],
    labels: dict[str, str],
    forms: dict[str, _Bucket],
    role_models: dict[str, _Bucket],
    pair_buckets: dict[str, _Bucket],
) -> list[_Bucket]:
    """The groups a respondent's answers go to (worked out once per respondent and campaign).
    Keyed, so that a person in two pairs of one form counts once in that form."""
    targets: dict[str, _Bucket] = {}
    mine = pairs.of(person_id)
    for p in mine:
        labels[f"form:{p.form_id}"] = p.form_name
        targets[f"form:{p.form_id}"] = forms[f"form:{p.form_id}"]
        if p.role_model_id is not None:
            role_key = f"role:{p.role_model_id}"
            labels[role_key] = f"{p.role_model_name} ({p.form_name})"
            targets[role_key] = role_models[role_key]
        labels[f"pair:{p.pk}"] = p.label
        targets[f"pair:{p.pk}"] = pair_buckets[f"pair:{p.pk}"]
    if not mine and campaign["form_id"]:
        form_key = f"form:{campaign['form_id']}"
        labels[form_key] = campaign["form__name"]
        targets[form_key] = forms[form_key]
    return list(targets.values())


def collect(
    programme: Programme,
    campaign_ids: Iterable[int] | None = None,
    *,
    grouped: bool = True,
    pairs: PairIndex | None = None,
) -> QualityResults:
    """The results of the given campaigns of the programme (by default every satisfaction and
    conformity campaign of its year)."""
    campaigns = _campaigns(programme)
    if campaign_ids is not None:
        wanted = set(campaign_ids)
        campaigns = [c for c in campaigns if c["pk"] in wanted]
    by_campaign = {c["pk"]: c for c in campaigns if not _withheld(c)}
    by_pk, items = _questions({c["questionnaire_id"] for c in campaigns})
    titles = {kind: str(QuestionnaireKind(kind).label) for kind in KINDS}
    pairs = pairs if pairs is not None or not grouped else pair_index(programme)

    whole = _Bucket.empty()
    forms: dict[str, _Bucket] = defaultdict(_Bucket.empty)
    role_models: dict[str, _Bucket] = defaultdict(_Bucket.empty)
    pair_buckets: dict[str, _Bucket] = defaultdict(_Bucket.empty)
    labels: dict[str, str] = {}
    texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    # Anonymous answers in words go after the others, in an order their arrival cannot steer.
    unnamed_texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    response_counts: Counter[int] = Counter()
    seen_responses: set[int] = set()
    routes: dict[tuple[int | None, int], list[_Bucket]] = {}

    answers = Answer.objects.filter(response__campaign_id__in=list(by_campaign)).values_list(
        "question_id", "response_id", "response__person_id", "response__campaign_id", "value"
    )
    for question_id, response_id, person_id, campaign_id, value in answers.order_by(
        "response_id", "question_id"
    ):
        question = by_pk.get(question_id)
        if question is None or value in (None, "", []):
            continue
        if response_id not in seen_responses:
            seen_responses.add(response_id)
            response_counts[campaign_id] += 1
        key = (question.kind, question.code)
        if question.type in OPEN_TYPES:
            anonymous = by_campaign[campaign_id]["anonymous"]
            (unnamed_texts if anonymous else texts)[key].append(str(value).strip())
            continue
        if question.type not in CLOSED_TYPES:
            continue
        whole.values[key].append(value)
        whole.responses[question.kind].add(response_id)
        if not grouped or question.kind not in SATISFACTION_KINDS or pairs is None:
            continue
        targets = routes.get((person_id, campaign_id))
        if targets is None:
            targets = routes[(person_id, campaign_id)] = _route(
                pairs, person_id, by_campaign[campaign_id], labels, forms, role_models, pair_buckets
            )
        for bucket in targets:
            bucket.values[key].append(value)
            bucket.responses[question.kind].add(response_id)

    for key, unnamed in unnamed_texts.items():
        texts[key].extend(anonymity.unlinked(unnamed))
    open_questions = tuple(
        OpenQuestion(
            q.kind,
            q.code,
            q.text,
            tuple(texts[(q.kind, q.code)]),
            recurring_words(texts[(q.kind, q.code)]),
        )
        for q in items
        if q.type in OPEN_TYPES and texts.get((q.kind, q.code))
    )
    return QualityResults(
        programme_id=programme.pk,
        campaigns=tuple(
            CampaignRef(
                pk=c["pk"],
                title=c["title"],
                kind=c["questionnaire__kind"],
                form_name=c["form__name"] or "",
                anonymous=c["anonymous"],
                responses=c["answered"] if _withheld(c) else response_counts[c["pk"]],
                withheld=_withheld(c),
            )
            for c in campaigns
        ),
        overall=_questionnaires(whole, items, titles, KINDS),
        by_form=_groups(forms, labels, items, titles),
        by_role_model=_groups(role_models, labels, items, titles),
        by_pair=_groups(pair_buckets, labels, items, titles),
        open_questions=open_questions,
        mean_satisfaction=_mean_of_scales(whole, items),
    )


def _mean_of_scales(bucket: _Bucket, items: list[_Question]) -> float | None:
    values = [
        float(v)
        for q in items
        if q.kind in SATISFACTION_KINDS and q.type == QuestionType.SCALE
        for v in bucket.values.get((q.kind, q.code), [])
    ]
    return sum(values) / len(values) if values else None


# --- The API ---------------------------------------------------------------------------------


def quality_results(programme: Programme, pairs: PairIndex | None = None) -> QualityResults:
    """Stage 1 of the programme's year: every satisfaction and conformity campaign of it, in
    the whole and by form, role model and pair, with the open answers and their recurring
    words. A fixed handful of queries, whatever the number of answers."""
    return collect(programme, pairs=pairs)


def mean_satisfaction(programme: Programme, *, as_of: date | None = None) -> float | None:
    """The mean of every 1–10 rating the year's satisfaction questionnaires (mentors' and
    mentees') received (by `as_of`, when given); None without any. Two queries."""
    by_then = Q() if as_of is None else Q(responses__submitted_on__lte=as_of)
    too_few = [
        campaign["pk"]
        for campaign in Campaign.objects.filter(programme=programme, anonymous=True)
        .annotate(
            answered=Count("responses", filter=by_then),
            typed=Count("responses", filter=by_then & Q(responses__entered_by__isnull=False)),
        )
        .values("pk", "anonymous", "answered", "typed")
        if _withheld(campaign)
    ]
    found = (
        Answer.objects.exclude(response__campaign__in=too_few)
        .filter(
            response__campaign__programme=programme,
            response__campaign__questionnaire__kind__in=SATISFACTION_KINDS,
            question__type=QuestionType.SCALE,
            number__isnull=False,
        )
        .filter(Q() if as_of is None else Q(response__submitted_on__lte=as_of))
        .aggregate(mean=Avg("number"))["mean"]
    )
    return float(found) if isinstance(found, (Decimal, float, int)) else None
