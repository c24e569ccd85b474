from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "nastavnik.meetings"
    label = "meetings"

    def ready(self) -> None:
        from nastavnik.consents.scrub import register_traces_scrub
        from nastavnik.consents.services import on_withdrawal
        from nastavnik.meetings.scrub import person_feedback_scrub
        from nastavnik.meetings.withdrawal import suspend_participation

        on_withdrawal(suspend_participation)
        register_traces_scrub(person_feedback_scrub)
