"""The frame every list table shares, so that a template writes only its own cells.

`{% table caption=_("Mentors of the programme") class="small" %}<thead>…</tbody>{% endtable %}`
wraps the table in the focusable scrolling box (`table-wrap`, reachable by keyboard when the table
is wider than the screen) with its caption for screen readers; `{% columns _("Name") _("Status") %}`
writes the header cells (`<th scope="col">`, which name a cell by its column). Writing that out in
each template was the shape most repeated across the tree.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token, token_kwargs
from django.template.context import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def columns(*labels: object) -> SafeString:
    """`<th scope="col">` for each label, escaped.

    A column with a class or markup of its own (a number, a hidden "Actions") is written out.
    """
    return format_html_join("", '<th scope="col">{}</th>', ((label,) for label in labels))


class TableNode(template.Node):
    def __init__(self, nodelist: NodeList, options: dict[str, FilterExpression]) -> None:
        self.nodelist = nodelist
        self.options = options

    def render(self, context: Context) -> str:
        values = {name: value.resolve(context) for name, value in self.options.items()}
        extra = f" {values['class']}" if values.get("class") else ""
        caption = (
            format_html('<caption class="visually-hidden">{}</caption>', values["caption"])
            if values.get("caption")
            else ""
        )
        return format_html(
            '<div class="table-wrap" tabindex="0">\n<table class="table{}">{}{}</table>\n</div>',
            extra,
            caption,
            self.nodelist.render(context),  # safe: the engine escaped it while rendering
        )


@register.tag("table")
def table(parser: Parser, token: Token) -> TableNode:
    """`{% table [caption=…] [class=…] %}…{% endtable %}`: the box, the table, its caption."""
    bits = token.split_contents()[1:]
    options = token_kwargs(bits, parser)
    if bits or not set(options) <= {"caption", "class"}:
        raise template.TemplateSyntaxError("{% table %} takes only caption= and class=")
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(nodelist, options)
