from django.apps import AppConfig


class MentorsConfig(AppConfig):
    name = "nastavnik.mentors"
    label = "mentors"

    def ready(self) -> None:
        from nastavnik.consents.scrub import register_traces_scrub
        from nastavnik.mentors.indicators import register
        from nastavnik.mentors.scrub import person_files_scrub, person_mentor_text_scrub

        register()
        register_traces_scrub(person_mentor_text_scrub)
        register_traces_scrub(person_files_scrub)
