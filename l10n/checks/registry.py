"""The checks' registry: names, severities, the context they run in, and `run_checks`."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from l10n.errors import ConfigError
from l10n.glossary import Glossary
from l10n.langcodes import base_language

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class Problem:
    check: str
    severity: str  # "error" | "warning"
    message: str


@dataclass(frozen=True)
class CheckContext:
    source_lang: str = "de"
    target_lang: str = "en"
    glossary: Glossary | None = None
    min_length_ratio: float = 0.5
    max_length_ratio: float = 1.7
    length_ratio_min_chars: int = 20  # shorter sources vary too much to judge
    # Below this langdetect guesses: with 4 words, "blankets are being delivered" read as German.
    detect_min_words: int = 5
    detect_min_letters: int = 20
    identical_min_words: int = 3
    # The inline markup of the article's sentences ("markdown", "html"; None: plain text or
    # unknown). In HTML an asterisk, a backtick or "[a](b)" is text, not markup.
    markup: str | None = None

    def __post_init__(self) -> None:
        # Checks know languages, not locales: a PO "Language: en_GB" gets English rules.
        object.__setattr__(self, "source_lang", base_language(self.source_lang))
        object.__setattr__(self, "target_lang", base_language(self.target_lang))


CheckFunc = Callable[[str, str, CheckContext], "str | None"]


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    func: CheckFunc
    summary: str


CHECKS: dict[str, Check] = {}


def register(name: str, severity: str) -> Callable[[CheckFunc], CheckFunc]:
    def decorate(func: CheckFunc) -> CheckFunc:
        summary = (func.__doc__ or "").strip().partition("\n")[0]
        CHECKS[name] = Check(name=name, severity=severity, func=func, summary=summary)
        return func

    return decorate


def check_names() -> tuple[str, ...]:
    return tuple(CHECKS)


def validate_selection(names: Iterable[str] = (), severities: Mapping[str, str] | None = None,
                       ) -> None:
    """Raise `ConfigError` for unknown check names or severities (for config validation)."""
    known = ", ".join(CHECKS)
    for name in [*names, *(severities or {})]:
        if name not in CHECKS and name != "all":
            raise ConfigError(f"unknown QA check {name!r}", hint=f"known checks: {known}")
    for name, severity in (severities or {}).items():
        if severity not in SEVERITIES:
            raise ConfigError(f"severity of {name!r} must be 'error' or 'warning', not "
                              f"{severity!r}")


def run_checks(source: str, target: str, *, context: CheckContext,
               disabled: Collection[str] = (),
               severities: Mapping[str, str] | None = None) -> list[Problem]:
    """Run every enabled check on one entry. An empty target (untranslated) is not checked."""
    if not target or "all" in disabled:
        return []
    problems = []
    for check in CHECKS.values():
        if check.name in disabled:
            continue
        message = check.func(source, target, context)
        if message is not None:
            severity = (severities or {}).get(check.name, check.severity)
            problems.append(Problem(check=check.name, severity=severity, message=message))
    return problems


# Names are a comma-separated list; anything after it on the line is the translator's reason.
_QA_COMMENT = re.compile(r"^\s*#?\s*l10n-qa\s*:\s*ignore\s*=\s*([\w-]+(?:\s*,\s*[\w-]+)*)",
                         re.MULTILINE)


def disabled_by_comment(comments: str) -> set[str]:
    """Checks switched off by ``l10n-qa: ignore=a,b`` lines in a translator comment.

    ``all`` expands to every check. Unknown names are kept so the caller can report them
    (`validate_selection`).
    """
    names: set[str] = set()
    for match in _QA_COMMENT.finditer(comments or ""):
        names.update(n.strip() for n in match.group(1).split(","))
    if "all" in names:
        names.discard("all")
        names.update(CHECKS)
    return names
