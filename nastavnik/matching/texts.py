"""Every word the curator reads about matching, in one place: the engine's error codes, the
reasons a mentee is left without a mentor, the criteria of a score, and the notes about a
run's inputs. The engine speaks in stable codes (`nastavnik.matching_engine`); this module
turns them into sentences with names, and a test checks that no code is left untranslated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nastavnik.matching_engine.errors import EngineInputError
from nastavnik.matching_engine.model import Criterion, Impossible, Missing, UnmatchedReason

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: How the ids on an error are to be read: people (Person pks), (mentee, mentor) pairs, the
#: criteria of the weights, or plain words.
PEOPLE, PAIRS, CRITERIA, WORDS, NOTHING = "people", "pairs", "criteria", "words", "nothing"

ENGINE_ERRORS: Mapping[str, tuple[Promise, str]] = {
    "duplicate_mentee": (_("These mentees appear twice in the run: %(names)s."), PEOPLE),
    "duplicate_mentor": (_("These mentors appear twice in the run: %(names)s."), PEOPLE),
    "mentee_without_form": (
        _(
            "These mentees of the base have no mentoring form: %(names)s. Choose a form for each "
            "of them in the mentee base, then start the run again."
        ),
        PEOPLE,
    ),
    "mentor_without_form": (
        _(
            "These mentors have no mentoring form: %(names)s. Choose the forms they take in the "
            "mentor base, then start the run again."
        ),
        PEOPLE,
    ),
    "meeting_format_unknown": (
        _("These people have a meeting format other than in person, remote or both: %(names)s."),
        PEOPLE,
    ),
    "group_size_not_positive": (
        _("These group forms have a group size below one: %(names)s."),
        WORDS,
    ),
    "mentor_capacity_not_positive": (
        _(
            "These mentors have no free place (capacity below one): %(names)s. Leave them out "
            "of the run or give them a place in the mentor base."
        ),
        PEOPLE,
    ),
    "mentor_capacity_above_limit": (
        _(
            "These mentors would take more than two mentees at once, which only a group "
            "mentor may: %(names)s."
        ),
        PEOPLE,
    ),
    "weights_negative": (
        _("Weights must be zero or positive numbers; these are not: %(names)s."),
        CRITERIA,
    ),
    "weights_all_zero": (
        _("All weights are zero: give at least one criterion a weight above zero."),
        NOTHING,
    ),
    "preference_outside_run": (
        _("These preferences name people who are not in this run: %(names)s."),
        PAIRS,
    ),
    "preference_repeated": (
        _("These people name the same person twice in their preferences: %(names)s."),
        PEOPLE,
    ),
    "lock_outside_run": (
        _(
            "These locked pairs name people who are no longer in this run: %(names)s. Unlock "
            "them in the earlier run and run again."
        ),
        PAIRS,
    ),
    "exclusion_outside_run": (
        _("These excluded pairs name people who are not in this run: %(names)s."),
        PAIRS,
    ),
    "lock_mentee_twice": (
        _("These mentees are locked to more than one mentor: %(names)s."),
        PEOPLE,
    ),
    "lock_excluded": (
        _("These pairs are both locked and excluded: %(names)s."),
        PAIRS,
    ),
    "lock_breaks_form": (
        _("These locked pairs are of different mentoring forms: %(names)s."),
        PAIRS,
    ),
    "lock_breaks_consent": (
        _(
            "In these locked pairs a consent to participation is missing or expired: "
            "%(names)s. Record the consent or unlock the pair."
        ),
        PAIRS,
    ),
    "lock_breaks_documents": (
        _(
            "In these locked pairs the mentor's certificate of no criminal record or medical "
            "documents are missing or expired: %(names)s."
        ),
        PAIRS,
    ),
    "lock_breaks_eligibility": (
        _(
            "In these locked pairs someone cannot take part now (a mentor not in the registry, "
            "a mentee who is not eligible): %(names)s."
        ),
        PAIRS,
    ),
    "lock_over_capacity": (
        _("These mentors have more locked mentees than free places: %(names)s."),
        PEOPLE,
    ),
    "lock_breaks_family": (
        _("These pairs are of one family, and nobody mentors a relative: %(names)s."),
        PAIRS,
    ),
    "lock_breaks_role_model": (
        _(
            "In these pairs the mentor is not older, not in a higher grade or without higher "
            "results, as the form or the role model requires: %(names)s."
        ),
        PAIRS,
    ),
    "options_invalid": (_("These run options are out of range: %(names)s."), WORDS),
}

UNKNOWN_ERROR = _("The matching engine refused the data: %(detail)s")

REASONS: Mapping[str, Promise] = {
    UnmatchedReason.CONSENT_MISSING: _(
        "No valid consent to participation in the programme (for a minor, the legal "
        "guardian's): record the consent first."
    ),
    UnmatchedReason.DOCUMENTS_MISSING: _("Documents required for participation are missing."),
    UnmatchedReason.NOT_ELIGIBLE: _(
        "Cannot be a mentee now: students from the age of 10, newly hired teachers and "
        "teachers who asked for a mentor."
    ),
    UnmatchedReason.NO_MENTOR_OF_FORM: _("There is no mentor of this form in the base."),
    UnmatchedReason.NO_ELIGIBLE_MENTOR: _(
        "Mentors of this form exist, but none can take part yet: not in the signed registry, "
        "or without a valid consent or documents."
    ),
    UnmatchedReason.NO_SHARED_REQUEST: _(
        "No mentor within reach shares a subject or a request with the mentee."
    ),
    UnmatchedReason.RULES_EXCLUDE_ALL: _(
        "The rules exclude every mentor of the form: a relative, or a mentor who is not older, "
        "not in a higher grade or without higher results as the role model requires."
    ),
    UnmatchedReason.NO_COMMON_TIME: _(
        "No mentor has a weekly time slot in common with the mentee."
    ),
    UnmatchedReason.NO_TIME_GIVEN: _(
        "Time not given: the run requires a common weekly time slot and the mentee has none "
        "recorded. Record the mentee's free time, then run again."
    ),
    UnmatchedReason.EXCLUDED_BY_CURATOR: _("The curator excluded the remaining mentors."),
    UnmatchedReason.ALL_MENTORS_FULL: _(
        "Suitable mentors exist, but their places went to mentees they suit better."
    ),
    # Not the engine's: the curator ruled out the pair the run proposed (services.PAIR_EXCLUDED).
    "pair_excluded": _(
        "The curator ruled out the proposed mentor; another one is to be found (run again or "
        "choose a mentor)."
    ),
}

CRITERION_LABELS: Mapping[str, StrOrPromise] = {
    Criterion.REQUESTS: _("Requests and competencies"),
    Criterion.SUBJECTS: _("Subjects"),
    Criterion.TIME: _("Time to meet"),
    Criterion.FORMAT: _("Meeting format"),
    Criterion.PREFERENCES: _("Preferences after the group meeting"),
    Criterion.ROLE_MODEL: _("Role model"),
    Criterion.EXPERIENCE: _("Mentor's experience"),
}

CRITERION_HELP: Mapping[str, StrOrPromise] = {
    Criterion.REQUESTS: _("What the mentee asks for against what the mentor offers."),
    Criterion.SUBJECTS: _("School subjects both name."),
    Criterion.TIME: _("Weekly time slots in common."),
    Criterion.FORMAT: _("In person, remotely, or either."),
    Criterion.PREFERENCES: _("How high each named the other after the group meeting."),
    Criterion.ROLE_MODEL: _("The mentor takes on the role model the mentee needs."),
    Criterion.EXPERIENCE: _("Years of experience, ten and more count fully."),
}

#: What a pair's score could not know: that criterion scored nothing.
MISSING_LABELS: Mapping[str, Promise] = {
    Missing.MENTEE_TIME: _("mentee's time not given"),
    Missing.MENTOR_TIME: _("mentor's time not given"),
    Missing.ROLE_MODEL: _("mentee's role model not given"),
    Missing.MENTEE_REQUEST: _("mentee's request not given"),
    Missing.MENTOR_OFFER: _("mentor's competencies not given"),
    Missing.MENTEE_SUBJECTS: _("mentee's subjects not given"),
}


#: Why a mentor the mentee named could not be proposed.
IMPOSSIBLE_REASONS: Mapping[str, Promise] = {
    Impossible.OTHER_FORM: _("the mentor is of another form"),
    Impossible.MENTOR_UNAVAILABLE: _("the mentor cannot take part or has no free place"),
    Impossible.FAMILY: _("they are of one family"),
    Impossible.ROLE_MODEL_RULE: _(
        "the mentor is not older, not in a higher grade or without higher results, as the "
        "role model requires"
    ),
    Impossible.TIME_NOT_GIVEN: _("time not given, and a common time slot is required"),
    Impossible.NO_COMMON_TIME: _("no common weekly time slot"),
    Impossible.FORMAT: _("«in person only» meets «remote only»"),
    Impossible.EXCLUDED_BY_CURATOR: _("the curator excluded the pair"),
}

IMPOSSIBLE_CHOICE = _("Named choice %(rank)s, %(name)s, was impossible: %(reason)s.")


def impossible_text(rank: int, name: str, code: str) -> str:
    reason = IMPOSSIBLE_REASONS.get(code)
    return str(IMPOSSIBLE_CHOICE) % {
        "rank": rank,
        "name": name,
        "reason": str(reason) if reason is not None else code,
    }


def missing_label(code: str) -> str:
    label = MISSING_LABELS.get(code)
    return str(label) if label is not None else code


#: Words for the funnel of a mentee left without a mentor: mentors left after each step.
FUNNEL_LABELS: Mapping[str, Promise] = {
    "mentors_of_form": _("mentors of the form"),
    "taking_part": _("who can take part"),
    "considered": _("sharing a request or subject"),
    "pass_rules": _("allowed by the rules"),
    "can_meet": _("with a common time"),
    "not_excluded": _("not excluded"),
    "candidates": _("candidates"),
}

NOTES: Mapping[str, tuple[Promise, str]] = {
    "mentee_preferences_outside": (
        _(
            "Some mentees named mentors who are not in this run (left, full, of another form or "
            "without consent); those preferences were set aside: %(names)s."
        ),
        PAIRS,
    ),
    "mentor_preferences_outside": (
        _(
            "Some mentors named mentees who are not in this run; those preferences were set "
            "aside: %(names)s."
        ),
        PAIRS,
    ),
    "locks_dropped": (
        _(
            "These locked pairs of the earlier run were left out, as the people are no longer "
            "waiting in this form (paired meanwhile, left, or the mentor is full): %(names)s."
        ),
        PAIRS,
    ),
    "mentors_full": (
        _("These mentors have no free place left with their active pairs: %(names)s."),
        PEOPLE,
    ),
    "results_rule_unchecked": (
        _(
            "No mentor of this form has a recorded mean mark, so the rule «the mentor's results "
            "are higher» of the role model %(names)s is not checked: check it when reading the "
            "proposals."
        ),
        WORDS,
    ),
}

NameOf = Callable[[Any], str]


def _pair(pair: Any, name_of: NameOf) -> str:
    mentee, mentor = pair
    return f"{name_of(mentee)} — {name_of(mentor)}"


def _names(ids: Sequence[Any], kind: str, name_of: NameOf) -> str:
    if kind == PEOPLE:
        return ", ".join(name_of(i) for i in ids)
    if kind == PAIRS:
        return "; ".join(_pair(pair, name_of) for pair in ids)
    if kind == CRITERIA:
        return ", ".join(f"«{criterion_label(i)}»" for i in ids)
    return ", ".join(f"«{i}»" for i in ids)


def engine_error_message(error: EngineInputError, name_of: NameOf) -> str:
    """The engine's refusal as a sentence naming the people at fault."""
    known = ENGINE_ERRORS.get(error.code)
    if known is None:
        return gettext(str(UNKNOWN_ERROR)) % {"detail": str(error)}
    message, kind = known
    return str(message) % {"names": _names(error.ids, kind, name_of)}


def reason_text(code: str) -> str:
    text = REASONS.get(code)
    return str(text) if text is not None else code


def criterion_label(code: str) -> str:
    label = CRITERION_LABELS.get(code)
    return str(label) if label is not None else code


def note_text(note: Mapping[str, Any], name_of: NameOf) -> str:
    message, kind = NOTES[note["code"]]
    if kind == PAIRS:
        ids: Sequence[Any] = [tuple(pair) for pair in note.get("pairs", ())]
    elif kind == WORDS:
        ids = note.get("words", ())
    else:
        ids = note.get("people", ())
    return str(message) % {"names": _names(ids, kind, name_of)}


# --- Comparing two runs ---------------------------------------------------------------------

MODES_EXPLAINED = _(
    "Best total score pairs as many mentees as the rules allow and, among those assignments, "
    "reaches the highest sum of scores; a mentee and a mentor may still both prefer each other "
    "to the partners they got. Stable leaves no such pair: nobody has a reason to swap, which "
    "keeps the pairs settled, and it may pay for that in total score. The mean rank tells how "
    "high people placed the partner they got (1 = first choice)."
)


def tradeoff(a: Any, b: Any) -> list[str]:
    """What two runs trade against each other, in sentences: total score, stability, ranks."""
    first, second = a.summary, b.summary
    lines: list[str] = []
    gain = int(first.get("total_points", 0)) - int(second.get("total_points", 0))
    if gain:
        higher, lower = (a, b) if gain > 0 else (b, a)
        lines.append(
            gettext("Run %(higher)s scores %(points)s points more in total than run %(lower)s.")
            % {"higher": higher.number, "lower": lower.number, "points": abs(gain)}
        )
    for run in (a, b):
        blocking = run.summary.get("blocking_pairs")
        if run.mode == "stable" and blocking == 0:
            lines.append(
                gettext(
                    "Run %(number)s is stable: no mentee and mentor would both rather be "
                    "together than with the partners they got."
                )
                % {"number": run.number}
            )
        elif run.mode == "optimal":
            lines.append(
                gettext(
                    "Run %(number)s puts the total score first: some mentee and mentor may "
                    "both prefer each other to their partners."
                )
                % {"number": run.number}
            )
    ranks = [(run, run.summary.get("mean_mentee_rank")) for run in (a, b)]
    if all(rank is not None for _, rank in ranks) and ranks[0][1] != ranks[1][1]:
        better = min(ranks, key=lambda item: item[1])[0]
        lines.append(
            gettext(
                "Mentees placed their mentor higher on average in run %(number)s "
                "(%(a)s against %(b)s; 1 = first choice)."
            )
            % {
                "number": better.number,
                "a": min(r for _, r in ranks),
                "b": max(r for _, r in ranks),
            }
        )
    return lines
