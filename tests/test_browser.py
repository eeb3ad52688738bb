"""The generated pages as a reader sees them: headless Chromium opens them from a local folder.

Skipped, with the reason, where selenium, Chromium or chromedriver is missing or the browser
cannot start. Screenshots go to the test's temporary folder and, when L10N_SCREENSHOT_DIR is
set, there too (CI can upload them as artifacts).
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from l10n.document import Block, Document, Segment
from l10n.html import DEFAULT_NOTICE, IndexRow, ReviewRow, edition_html, index_html, review_html

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
    "--lang=en-US",
)

PWNED = "<script>document.title='pwned'</script>"
IMG_ONERROR = "<img src=x onerror=\"window.l10nPwned=1\">"


def _find(env: str, *candidates: str) -> str | None:
    if os.environ.get(env):
        candidates = (os.environ[env],)  # an explicit choice is not second-guessed
    for name in candidates:
        path = Path(name)
        if path.is_absolute() and path.exists():
            return name
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium = _find("L10N_CHROMIUM", "/usr/bin/chromium", "chromium", "chromium-browser",
                     "google-chrome")
    driver_path = _find("L10N_CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver")
    if chromium is None:
        pytest.skip("Chromium not found (install chromium, or set L10N_CHROMIUM to its path)")
    if driver_path is None:
        pytest.skip("chromedriver not found (install chromium-driver, or set L10N_CHROMEDRIVER)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    # With both paths given Selenium Manager has nothing to resolve; offline mode makes sure it
    # never tries to download a browser or driver.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SE_OFFLINE", "true")
        try:
            driver = webdriver.Chrome(service=Service(driver_path), options=options)
        except (WebDriverException, OSError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            pytest.skip(f"Chromium could not start headless: {first}")
    driver.set_page_load_timeout(30)
    driver.set_window_size(1200, 900)
    try:
        yield driver
    finally:
        driver.quit()


# -- the site: a text article with a notice, a Markdown article without, sheets, an index --------


def _text_doc() -> Document:
    blocks: list[Block] = []
    spec: list[tuple[str, list[str] | str]] = [
        ("title", ["Kasachstan distanziert sich von Russlands Ukrainekrieg"]),
        ("caption", "Tokajew war am 10. Februar zu Besuch in Moskau. [Kremlin pool/EPA/EFE]"),
        ("paragraph", ["Kasachstan lehnt ein Ersuchen ab.", "Stattdessen schickt es Hilfe."]),
        ("paragraph", ["Ein gefährlicher Satz.", "Ein Bild."]),
        ("quote", ["„Wir begrüßen die Ankündigung“, erklärte der Sicherheitsrat."]),
        ("paragraph", ["Tom und Jerry."]),
        ("credit", ["[Bearbeitet von Alice Taylor]"]),
        ("boilerplate", "Subscribe to our newsletters"),
    ]
    line = 1
    for kind, content in spec:
        parts: list[str | Segment] = []
        if isinstance(content, str):
            parts.append(content)
        else:
            for i, sentence in enumerate(content):
                parts.extend([" "] if i else [])
                parts.append(Segment(sentence, sentence, line))
        blocks.append(Block(kind, line, (*parts, "\n")))
        blocks.append(Block("blank", line + 1, ("\n",)))
        line += 2
    return Document(Path("corpus/kasachstan.txt"), "text", tuple(blocks))


TEXT_EN = {
    "Kasachstan distanziert sich von Russlands Ukrainekrieg":
        "Kazakhstan distances itself from Russia's war in Ukraine",
    "Kasachstan lehnt ein Ersuchen ab.": "Kazakhstan rejects a request.",
    "Stattdessen schickt es Hilfe.": "Instead, it sends aid.",
    "Ein gefährlicher Satz.": PWNED,
    "Ein Bild.": IMG_ONERROR,
    "„Wir begrüßen die Ankündigung“, erklärte der Sicherheitsrat.":
        "“We welcome the announcement,” the Security Council said.",
    "Tom und Jerry.": "Tom & Jerry.",
    "[Bearbeitet von Alice Taylor]": "[Edited by Alice Taylor]",
}


def _md_doc() -> Document:
    def seg(text: str, line: int) -> Segment:
        return Segment(text, text, line)

    blocks = (
        Block("front matter", 1, ("---\ntitle: Notizen\n---\n",)),
        Block("blank", 4, ("\n",)),
        Block("heading", 5, ("# ", seg("Notizen zur *Lage*", 5), "\n")),
        Block("blank", 6, ("\n",)),
        Block("paragraph", 7, (seg("Ein **fetter** Satz mit [Quelle](https://example.org/q).", 7),
                               " ", seg("Gefährlicher Link.", 7), "\n")),
        Block("blank", 8, ("\n",)),
        Block("heading", 9, ("## ", seg("Punkte", 9), "\n")),
        Block("blank", 10, ("\n",)),
        Block("list item", 11, ("- ", seg("Erster Punkt", 11), "\n")),
        Block("list item", 12, ("- ", seg("Zweiter Punkt", 12), "\n")),
        Block("blank", 13, ("\n",)),
        Block("quote", 14, ("> ", seg("Ein Zitat.", 14), "\n")),
        Block("blank", 15, ("\n",)),
        Block("paragraph", 16, (seg("Roher Satz.", 16), "\n")),
    )
    return Document(Path("corpus/notizen.md"), "markdown", blocks)


MD_EN = {
    "Notizen zur *Lage*": "Notes on the *situation*",
    "Ein **fetter** Satz mit [Quelle](https://example.org/q).":
        "A **bold** sentence with a [source](https://example.org/q).",
    "Gefährlicher Link.": "[Click me](javascript:document.title='pwned')",
    "Punkte": "Points",
    "Erster Punkt": "First point",
    "Zweiter Punkt": "Second point",
    "Ein Zitat.": "A quotation.",
    "Roher Satz.": f"Raw HTML {PWNED} stays text.",
}

REVIEW_ROWS = [
    ReviewRow(1, "title", "Kasachstan distanziert sich von Russlands Ukrainekrieg",
              TEXT_EN["Kasachstan distanziert sich von Russlands Ukrainekrieg"], "reviewed",
              None, None),
    ReviewRow(5, "paragraph", "Kasachstan lehnt ein Ersuchen ab.",
              "Kazakhstan rejects a request.", "draft", 0.83, "machine: argos de→en"),
    ReviewRow(5, "paragraph", "Stattdessen schickt es Hilfe.", "Instead, it sends aid.",
              "draft", 0.21, "machine: argos de→en"),
    ReviewRow(7, "paragraph", "Ein gefährlicher Satz.", PWNED, "fuzzy", None, "memory"),
    ReviewRow(9, "quote", "„Wir begrüßen die Ankündigung“, erklärte der Sicherheitsrat.",
              None, "missing", None, None),
    ReviewRow(11, "paragraph", "Tom und Jerry.", "Tom & Jerry.", "draft", 0.55, None),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("site") / "en"
    root.mkdir()
    pages = {
        "kasachstan.html": edition_html(_text_doc(), TEXT_EN.get, lang="en",
                                        notice=DEFAULT_NOTICE),
        "kasachstan.review.html": review_html(
            title=TEXT_EN["Kasachstan distanziert sich von Russlands Ukrainekrieg"],
            article="corpus/kasachstan.txt", rows=REVIEW_ROWS, source_lang="de", lang="en",
            edition_href="kasachstan.html"),
        "notizen.html": edition_html(_md_doc(), MD_EN.get, lang="en"),
        "index.html": index_html(lang="en", rows=[
            IndexRow("kasachstan", TEXT_EN["Kasachstan distanziert sich von Russlands "
                                           "Ukrainekrieg"],
                     6, 1, 3, 1, 1, "kasachstan.html", "kasachstan.review.html", None),
            IndexRow("notizen", "Notes on the situation", 8, 8, 0, 0, 0, "notizen.html", None,
                     None),
            IndexRow("kaputt", "kaputt", 3, 0, 0, 0, 3, None, None,
                     "skipped: no translations yet"),
        ]),
    }
    for name, page in pages.items():
        (root / name).write_text(page, encoding="utf-8")
    return {name: root / name for name in pages}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    dirs = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("L10N_SCREENSHOT_DIR"):
        extra = Path(os.environ["L10N_SCREENSHOT_DIR"])
        extra.mkdir(parents=True, exist_ok=True)
        dirs.append(extra)
    return dirs


def screenshot(driver: Any, dirs: list[Path], name: str) -> None:
    """Save the whole page (not just the viewport) as `name`.png in every screenshot folder."""
    width, height = driver.execute_script(
        "const e = document.documentElement; return [e.scrollWidth, e.scrollHeight];")
    # DevTools can capture beyond the viewport; plain WebDriver screenshots stop at the fold.
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 8000), "scale": 1},
    })
    png = base64.b64decode(shot["data"])
    assert png.startswith(b"\x89PNG") and len(png) > 1000
    for folder in dirs:
        (folder / f"{name}.png").write_bytes(png)


def texts(driver: Any, css: str) -> list[str]:
    return [el.text for el in driver.find_elements(By.CSS_SELECTOR, css)]


# -- tests ---------------------------------------------------------------------------------------


def test_text_edition_as_a_reader_sees_it(browser: Any, site: dict[str, Path],
                                          shots: list[Path]) -> None:
    browser.get(site["kasachstan.html"].as_uri())
    title = "Kazakhstan distances itself from Russia's war in Ukraine"
    assert browser.title == title
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    assert texts(browser, "article > p") == [
        "Kazakhstan rejects a request. Instead, it sends aid.",
        f"{PWNED} {IMG_ONERROR}",
        "Tom & Jerry.",
        "[Edited by Alice Taylor]",
    ]
    assert texts(browser, "blockquote") == [
        "“We welcome the announcement,” the Security Council said."]
    assert texts(browser, "figcaption") == [
        "Tokajew war am 10. Februar zu Besuch in Moskau. [Kremlin pool/EPA/EFE]"]
    assert "Subscribe" not in browser.find_element(By.TAG_NAME, "body").text

    notice = browser.find_element(By.CSS_SELECTOR, '[role="note"]')
    assert notice.is_displayed()
    assert notice.text == DEFAULT_NOTICE
    h1 = browser.find_element(By.TAG_NAME, "h1")
    assert notice.rect["y"] + notice.rect["height"] <= h1.rect["y"]  # a banner above the title
    assert notice.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)",
                                                                     "transparent")

    # The hostile translations are text on the page, not markup: nothing ran, nothing loaded.
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert browser.execute_script("return typeof window.l10nPwned") == "undefined"
    assert browser.title != "pwned"
    screenshot(browser, shots, "edition-text")


def test_markdown_edition_as_a_reader_sees_it(browser: Any, site: dict[str, Path],
                                              shots: list[Path]) -> None:
    browser.get(site["notizen.html"].as_uri())
    assert browser.title == "Notes on the situation"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Notes on the situation"
    assert browser.find_element(By.CSS_SELECTOR, "h1 em").text == "situation"
    assert texts(browser, "h2") == ["Points"]
    assert texts(browser, "ul > li") == ["First point", "Second point"]
    assert texts(browser, "blockquote") == ["A quotation."]
    assert browser.find_element(By.CSS_SELECTOR, "article strong").text == "bold"
    links = browser.find_elements(By.CSS_SELECTOR, "article a")
    assert [(a.text, a.get_attribute("href")) for a in links] == [
        ("source", "https://example.org/q")]
    paragraphs = texts(browser, "article > p")
    assert "[Click me](javascript:document.title='pwned')" in paragraphs[0]
    assert paragraphs[1] == f"Raw HTML {PWNED} stays text."
    assert "Notizen" not in browser.find_element(By.TAG_NAME, "body").text  # front matter
    assert browser.find_elements(By.CSS_SELECTOR, '[role="note"]') == []
    assert browser.find_elements(By.TAG_NAME, "script") == []
    screenshot(browser, shots, "edition-markdown")


def test_review_sheet(browser: Any, site: dict[str, Path], shots: list[Path]) -> None:
    browser.get(site["kasachstan.review.html"].as_uri())
    assert browser.title.startswith("Review: Kazakhstan distances itself")
    assert texts(browser, "td.src") == [r.source for r in REVIEW_ROWS]
    translations = texts(browser, "td.tgt")
    assert translations[3] == PWNED  # shown literally, as the reviewer must see it
    assert translations[4] == "no translation"
    assert browser.find_element(By.CSS_SELECTOR, "td.src").get_attribute("lang") == "de"
    assert browser.find_element(By.CSS_SELECTOR, "td.tgt").get_attribute("lang") == "en"
    assert texts(browser, "td.where a")[1] == "corpus/kasachstan.txt:5"
    assert [t.splitlines()[0] for t in texts(browser, "td.status")] == [
        "reviewed", "machine draft 0.83", "machine draft 0.21", "fuzzy", "missing",
        "machine draft 0.55"]
    summary = browser.find_element(By.CSS_SELECTOR, ".summary").text
    assert "6 segments · 17% reviewed" in summary

    weakest = browser.find_elements(By.CSS_SELECTOR, "#weakest li a")
    assert [a.find_element(By.CLASS_NAME, "badge").text for a in weakest] == [
        "machine draft 0.21", "machine draft 0.55", "machine draft 0.83"]
    weakest[0].click()
    assert browser.current_url.endswith("#row-3")
    target = browser.execute_script("return document.querySelector(':target').id")
    assert target == "row-3"
    assert browser.find_element(By.ID, "row-3").is_displayed()

    screenshot(browser, shots, "review-sheet")
    # "Hide reviewed rows" is pure CSS: the reviewed row disappears, the rest stay.
    browser.find_element(By.CSS_SELECTOR, "label[for='only-open']").click()
    assert not browser.find_element(By.ID, "row-1").is_displayed()
    assert browser.find_element(By.ID, "row-2").is_displayed()


def test_index_links_to_editions_and_sheets(browser: Any, site: dict[str, Path],
                                            shots: list[Path]) -> None:
    browser.get(site["index.html"].as_uri())
    assert browser.title == "Translations: en"
    rows = browser.find_elements(By.CSS_SELECTOR, "table.index tbody tr")
    assert len(rows) == 3
    assert "needs review" not in rows[1].text and "complete" in rows[1].text
    assert "skipped" in rows[2].text and "skipped: no translations yet" in rows[2].text
    assert rows[2].find_elements(By.CSS_SELECTOR, "a.edition") == []
    screenshot(browser, shots, "index")

    rows[0].find_element(By.CSS_SELECTOR, "a.review").click()
    assert browser.title.startswith("Review: Kazakhstan")
    browser.find_element(By.CSS_SELECTOR, "a.edition").click()
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Kazakhstan distances")


def test_seed_project_built_with_the_cli(browser: Any, tmp_path: Path, shots: list[Path]) -> None:
    """`l10n build --edition html` on the seed article: edition, review sheet and index."""
    import shutil

    from typer.testing import CliRunner

    from l10n.catalog.poformat import dumps, load
    from l10n.cli import app

    root = Path(__file__).resolve().parent.parent
    (tmp_path / "corpus").mkdir()
    shutil.copy(root / "corpus" / "kasachstan-ukrainekrieg.txt", tmp_path / "corpus")
    runner = CliRunner()
    assert runner.invoke(app, ["extract", "--project", str(tmp_path)]).exit_code == 0
    po_path = tmp_path / "locales" / "en" / "kasachstan-ukrainekrieg.po"
    po = load(po_path)
    reference = dict(line.split("\t") for line in (root / "tests" / "data" / "seed_en.tsv")
                     .read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    for entry in po:
        entry.msgstr = reference[entry.msgid]
    po[0].msgstr = "Kazakhstan <script>document.title='pwned'</script> & Russia"
    po[2].flags = ["fuzzy"]
    po[2].tcomment = "l10n-mt: argos translate-de_en 1.9; score 0.420"
    po_path.write_text(dumps(po), encoding="utf-8")
    result = runner.invoke(app, ["build", "--project", str(tmp_path), "--edition", "html",
                                 "--include-fuzzy", "--notice", "Machine-translated, not yet "
                                 "reviewed by our editors."])
    assert result.exit_code == 0, result.output
    out = tmp_path / "editions" / "en"

    browser.get((out / "kasachstan-ukrainekrieg.html").as_uri())
    assert browser.title == "Kazakhstan <script>document.title='pwned'</script> & Russia"
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == browser.title
    notice = browser.find_element(By.CSS_SELECTOR, "[role=note]")
    assert notice.is_displayed() and "not yet reviewed by our editors" in notice.text
    body = browser.find_element(By.TAG_NAME, "body").text
    assert reference[po[3].msgid] in body
    assert "Subscribe to our newsletters" not in body
    screenshot(browser, shots, "cli-seed-edition")

    browser.get((out / "kasachstan-ukrainekrieg.review.html").as_uri())
    body = browser.find_element(By.TAG_NAME, "body").text
    assert po[2].msgid in body and "0.42" in body
    screenshot(browser, shots, "cli-seed-review")

    browser.get((out / "index.html").as_uri())
    links = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "a")}
    assert any("Review" in text for text in links)
    screenshot(browser, shots, "cli-seed-index")
