"""An HTML article's translated page in headless Chromium: the article's own page, in English,
with the notice where the notice template puts it.

Skipped, with the reason, where selenium, Chromium or chromedriver is missing (the `browser`
fixture of test_browser.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from test_browser import IMG_ONERROR, browser, screenshot, shots  # noqa: F401 (fixtures)
from typer.testing import CliRunner

from l10n.catalog.po.read import load
from l10n.catalog.po.write import dumps
from l10n.cli import app

GOLDEN = Path(__file__).parent / "golden"
ENGLISH = {
    "Kasachstan distanziert sich von Russlands Krieg | Der Bote":
        "Kazakhstan distances itself from Russia's war | The Messenger",
    "Kasachstan distanziert sich von Russlands Ukrainekrieg":
        "Kazakhstan distances itself from Russia's war in Ukraine",
    "Kasachstan hat ein Ersuchen Russlands abgelehnt, Truppen in die Ukraine zu schicken.":
        IMG_ONERROR,
    "Weitere Details folgen.": "More details to follow.",
}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`l10n build --edition html` on a project whose article is a CMS page, half translated."""
    project = tmp_path_factory.mktemp("html-article")
    (project / "corpus").mkdir()
    shutil.copy(GOLDEN / "html-cms-article.html", project / "corpus" / "artikel.html")
    runner = CliRunner()
    assert runner.invoke(app, ["extract", "--project", str(project)]).exit_code == 0
    po_path = project / "locales" / "en" / "artikel.po"
    po = load(po_path)
    for entry in po:
        entry.msgstr = ENGLISH.get(entry.msgid, "")
    po_path.write_text(dumps(po), encoding="utf-8")
    result = runner.invoke(app, ["build", "--project", str(project), "--edition", "html"])
    assert result.exit_code == 0, result.output
    return project / "editions" / "en" / "artikel.html"


def test_translated_html_article_as_a_reader_sees_it(browser: Any, page: Path,  # noqa: F811
                                                    shots: list[Path]) -> None:  # noqa: F811
    browser.get(page.as_uri())
    assert browser.execute_script("return document.documentElement.lang") == "en"
    assert browser.title == ENGLISH["Kasachstan distanziert sich von Russlands Krieg | Der Bote"]
    # The notice is where notice.html.j2 puts it: the first thing in the body.
    notice = browser.execute_script("return document.body.firstElementChild")
    assert notice.get_attribute("role") == "note" and notice.is_displayed()
    assert "sentences are not translated yet" in notice.text
    h1 = browser.find_element("css selector", "h1")
    assert h1.text == ENGLISH["Kasachstan distanziert sich von Russlands Ukrainekrieg"]
    assert notice.rect["y"] + notice.rect["height"] <= h1.rect["y"]
    # The page is the article's own: its classes and structure are there.
    assert browser.find_elements("css selector", "main > article > h1.headline")
    # Untranslated sentences are German to the browser, translated ones English.
    german = browser.find_elements("css selector", "article [lang=de]")
    assert german and all(el.text for el in german)
    assert any("Tokajew" in el.text for el in german)
    assert browser.execute_script(
        "return arguments[0].closest('[lang]').lang", h1) == "en"
    # A translation with markup its msgid does not hold is text, not an element.
    assert IMG_ONERROR in browser.find_element("css selector", "p.teaser").text
    assert browser.execute_script("return typeof window.l10nPwned") == "undefined"
    screenshot(browser, shots, "edition-html-article")
