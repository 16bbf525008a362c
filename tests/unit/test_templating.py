"""The one Jinja2 environment (annexa.core.templating): escaping, strictness, inlined styles."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from annexa.core import templating


def test_every_value_is_escaped_as_html_escape_does():
    assert templating.escape(None) == ""
    assert templating.escape(12) == "12"
    assert templating.escape("""<a href='x'>"&""") == "&lt;a href=&#x27;x&#x27;&gt;&quot;&amp;"
    assert templating.escape(Markup("<b>ok</b>")) == "<b>ok</b>"  # markup a macro built


def test_autoescape_is_on_for_every_template():
    env = templating.environment()
    template = env.from_string("<p title='{{ v }}'>{{ v }}</p>")
    assert template.render(v="'><script>") == (
        "<p title='&#x27;&gt;&lt;script&gt;'>&#x27;&gt;&lt;script&gt;</p>"
    )
    assert env.autoescape is True


def test_a_missing_value_is_an_error_not_a_blank():
    with pytest.raises(jinja2.UndefinedError):
        templating.render("report.html.j2")
    with pytest.raises(jinja2.UndefinedError):
        templating.environment().from_string("{{ row.nope }}").render(row={})


def test_stylesheets_are_inlined_and_cannot_close_the_style_element(tmp_path, monkeypatch):
    css = templating.inline_css("pack.css")
    assert isinstance(css, Markup) and "@media print" in css
    (tmp_path / "bad.css").write_text("p { color: red; } </style><script>x</script>")
    monkeypatch.setattr(templating, "TEMPLATES_DIR", tmp_path)
    with pytest.raises(ValueError, match="must not contain"):
        templating.inline_css("bad.css")
