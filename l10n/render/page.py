"""The frame every page shares: the Jinja2 environment, the stylesheet, the security policy.

Templates are looked up in a project's own folder first (a newsroom's layout), then among
the shipped ones: a house `edition.html.j2` replaces the shipped one, and can still extend it
as `l10n/edition.html.j2` to change only a block. A template that does not parse or fails
while drawing is a ConfigError that names the template file and line.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from l10n.errors import ConfigError
from l10n.langcodes import base_language
from l10n.render.sheet import GLOBALS

# Under this prefix a house template reaches the shipped template it replaces.
SHIPPED_PREFIX = "l10n"

# Scripts, plugins, forms and <base> are never legitimate in these pages; styles are inline and
# images may be the article's own.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src * data: file:; "
    "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)

_RTL_LANGS = frozenset({"ar", "arc", "dv", "fa", "ha", "he", "iw", "ks", "ku", "ps", "sd", "ur",
                        "yi"})


def is_rtl(lang: str) -> bool:
    """Whether `lang` ("ar", "ar-EG", "ar_EG") is written right to left."""
    return base_language(lang) in _RTL_LANGS


@functools.cache
def _css(name: str) -> str:
    return (resources.files("l10n.render") / "static" / name).read_text(encoding="utf-8")


def stylesheet(*names: str) -> Markup:
    """The shipped stylesheets `names` (files in static/), as a page inlines them."""
    return Markup("".join("\n" + _css(name) for name in names))


@functools.cache
def _environment(house: Path | None) -> jinja2.Environment:
    shipped = jinja2.PackageLoader("l10n.render", "templates")
    own: list[jinja2.BaseLoader] = [] if house is None else [jinja2.FileSystemLoader(house)]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([*own, shipped,
                                    jinja2.PrefixLoader({SHIPPED_PREFIX: shipped})]),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(GLOBALS, csp=Markup(CSP), is_rtl=is_rtl, stylesheet=stylesheet)
    return env


def check_templates(house: Path | None) -> None:
    """Every template a page may use parses (the house ones first): a ConfigError, before
    anything is drawn, for one that does not."""
    env = _environment(_house(house))
    for name in env.list_templates(filter_func=lambda n: n.endswith(".j2")):
        if not name.startswith(f"{SHIPPED_PREFIX}/"):
            with _reported(name):
                env.get_template(name)


def draw(template: str, *, house: Path | None = None, **context: Any) -> str:
    """The page `template` drawn with `context`; `house` is a project's own template folder."""
    env = _environment(_house(house))
    with _reported(template):
        return env.get_template(template).render(**context)


def draw_with_settings(template: str, *, house: Path | None = None,
                       **context: Any) -> tuple[str, dict[str, Any]]:
    """The drawn `template` and the variables it sets at its top level (`{% set … %}`), which
    is how a template tells its caller where to put what it drew."""
    env = _environment(_house(house))
    with _reported(template):
        module = env.get_template(template).make_module(context)
        return str(module), {name: getattr(module, name) for name in dir(module)
                             if not name.startswith("_")}


def _house(house: Path | None) -> Path | None:
    if house is not None and not house.is_dir():
        raise ConfigError(f"templates folder {house} does not exist",
                          hint="create it, or remove [tool.l10n.build] templates")
    return house


@contextlib.contextmanager
def _reported(template: str) -> Iterator[None]:
    """Jinja2's errors as ConfigErrors that name the template file and line."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"template {exc.name or template}: {exc.message}",
                          path=exc.filename, line=exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"template {exc.name} not found (used by {template})",
                          hint="a house template can extend or include its own templates "
                          f"and the shipped ones, as {SHIPPED_PREFIX}/<name>") from None
    except jinja2.TemplateError as exc:
        path, line = _template_frame(exc)
        raise ConfigError(f"template {Path(path).name if path else template}: {exc}",
                          path=path, line=line) from None


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line of a drawing error (Jinja2 puts the template's
    lines into the traceback)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
