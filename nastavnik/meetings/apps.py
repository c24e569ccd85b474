from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "nastavnik.meetings"
    label = "meetings"

    def ready(self) -> None:
        from nastavnik.consents.scrub import register_traces_scrub
        from nastavnik.consents.services import on_withdrawal
        from nastavnik.meetings.lifecycle import cancel_after_end, pass_on_planned
        from nastavnik.meetings.scrub import person_feedback_scrub
        from nastavnik.meetings.withdrawal import suspend_participation
        from nastavnik.mentorships.services import on_end, on_replacement

        on_withdrawal(suspend_participation)
        register_traces_scrub(person_feedback_scrub)
        on_end(cancel_after_end)
        on_replacement(pass_on_planned)
