"""The one Jinja2 environment that renders the product's HTML (the pack, the validation report).

Templates and their stylesheets live in ``include/annexa/templates/`` (they ship in the wheel).
Python prepares the values (formatting, suppression, sorting); templates hold all the markup.

* **Autoescaping is on** for every template: a CMS value (a team, a worker, a rule's wording)
  is always text, never markup. Values are escaped as ``html.escape(quote=True)`` does (``'``
  as ``&#x27;``, ``"`` as ``&quot;``: the entities these pages have always used) and ``None``
  prints as nothing. Markup a template builds (a macro's output) is not escaped twice.
* **StrictUndefined**: a name the template expects but the context lacks is an error, never a
  silently blank cell.
* **Scripts** (the offline explorer only) are inlined the same way (``inline_script``) and
  allowed by their hash in the page's Content-Security-Policy (``script_hash``); data reaches
  them as JSON in a ``<script type="application/json">`` element (``json_for_script`` escapes
  ``<``, ``>``, ``&``, so a value can never close the element or open a comment).
* **Stylesheets are inlined** (``inline_css("pack.css")``), so each page stays one file with no
  outside load: it is opened from shared drives and mail attachments, and its
  Content-Security-Policy allows inline style only.
"""

from __future__ import annotations

import functools
import html
from typing import Any

import jinja2
from markupsafe import Markup

from annexa.core.paths import PACKAGE_DIR

TEMPLATES_DIR = PACKAGE_DIR / "templates"


def escape(value: Any) -> Markup:
    """The environment's ``finalize``: every ``{{ value }}`` passes through here before output."""
    if hasattr(value, "__html__"):  # markup a template (or a macro) built: already safe
        return Markup(value.__html__())
    return Markup(html.escape("" if value is None else str(value), quote=True))


@functools.cache
def inline_css(name: str) -> Markup:
    """A stylesheet from the templates folder, as the text of a ``<style>`` element."""
    text = (TEMPLATES_DIR / name).read_text(encoding="utf-8")
    if "</" in text:  # cannot happen with our own files; would end the <style> element early
        raise ValueError(f"{name}: a stylesheet must not contain '</'")
    return Markup(text)


@functools.cache
def inline_script(name: str) -> Markup:
    """A script from the templates folder, as the text of a ``<script>`` element (the offline
    explorer's code). Our own files only; data goes in through ``json_for_script``."""
    text = (TEMPLATES_DIR / name).read_text(encoding="utf-8")
    if "</" in text or "<!--" in text:  # would end the <script> element early
        raise ValueError(f"{name}: a script must not contain '</' or '<!--'")
    return Markup(text)


def script_hash(name: str) -> str:
    """The CSP source (``'sha256-...'``) allowing exactly that inline script to run."""
    import base64
    import hashlib

    digest = hashlib.sha256(str(inline_script(name)).encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def json_for_script(value: Any) -> Markup:
    """``value`` as JSON safe inside ``<script type="application/json">``: every ``<``, ``>``
    and ``&`` (so no ``</script>`` or ``<!--`` can appear) and the JavaScript line separators
    are written as ``\\uXXXX`` escapes, which JSON.parse reads back as the same characters."""
    import json

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return Markup(text)


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template here is HTML (or SVG inside HTML)
        undefined=jinja2.StrictUndefined,
        finalize=escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["inline_css"] = inline_css
    env.globals["inline_script"] = inline_script
    return env


def render(template: str, **context: Any) -> str:
    """Render one template of the templates folder with ``context``."""
    return environment().get_template(template).render(**context)


def macro(template: str, name: str) -> Any:
    """A macro of a template, callable from Python (returns markup)."""
    return getattr(environment().get_template(template).module, name)
