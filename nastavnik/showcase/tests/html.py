"""A strict check of the public pages' markup with the standard library's parser: a doctype,
every non-void element closed in order, no void element closed, a single <html>, <head> and
<body>, and no script anywhere."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class StrictParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.doctype = False
        self.seen: dict[str, int] = {}
        self.ids: set[str] = set()

    def handle_decl(self, decl: str) -> None:
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen[tag] = self.seen.get(tag, 0) + 1
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.errors.append(f"duplicate id {value!r}")
                self.ids.add(value or "")
            if name.startswith("on"):
                self.errors.append(f"event handler {name} on <{tag}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.errors.append(f"self-closed <{tag}/>")
        self.seen[tag] = self.seen.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.errors.append(f"end tag of void <{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def html_problems(markup: str) -> list[str]:
    parser = StrictParser()
    parser.feed(markup)
    parser.close()
    problems = list(parser.errors)
    if not parser.doctype:
        problems.append("no <!doctype html>")
    if parser.stack:
        problems.append(f"unclosed: {parser.stack}")
    for tag in ("html", "head", "body", "title", "h1"):
        if parser.seen.get(tag) != 1:
            problems.append(f"<{tag}> {parser.seen.get(tag, 0)} times")
    if parser.seen.get("script"):
        problems.append("a <script>")
    return problems
