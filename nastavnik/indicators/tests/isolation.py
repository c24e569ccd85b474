"""Rows behind the indicators' URLs, for the project-wide isolation test: the only row kwarg is
`programme_pk`, whose maker the programmes app declares."""

ROW_MAKERS: dict = {}
