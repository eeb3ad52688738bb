"""The generated pages as a reader sees them: headless Chromium opens them from a local folder.

Skipped, with the reason, where selenium, Chromium or chromedriver is missing or the browser
cannot start. Screenshots go to the test's temporary folder and, when L10N_SCREENSHOT_DIR is
set, there too (CI can upload them as artifacts).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from l10n.checks import Problem
from l10n.commands.build import DEFAULT_NOTICE
from l10n.document import Block, Document, Segment
from l10n.render.html import edition_html
from l10n.render.index import IndexRow, index_html
from l10n.render.review import ReviewRow, review_html

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

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "data" / "axe" / "axe.min.js"
AXE_VERSION = "4.14.1"  # tests/data/axe/README.md says where it comes from
# Every axe rule of these tags runs: WCAG 2.0, 2.1 and 2.2 levels A and AA, plus Deque's
# best practices (among them `region`, content outside any landmark).
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
DESKTOP, PHONE = 1280, 375

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
              None, None, po_line=20),
    ReviewRow(5, "paragraph", "Kasachstan lehnt ein Ersuchen ab.",
              "Kazakhstan rejects a request.", "draft", 0.83, "machine: argos de→en",
              po_line=25),
    ReviewRow(5, "paragraph", "Stattdessen schickt es Hilfe.", "Instead, it sends aid.",
              "draft", 0.21, "machine: argos de→en", po_line=31),
    ReviewRow(7, "paragraph", "Ein gefährlicher Satz.", PWNED, "fuzzy", None, "memory",
              po_line=37, previous_source="Ein harmloser Satz."),
    ReviewRow(9, "quote", "„Wir begrüßen die Ankündigung“, erklärte der Sicherheitsrat.",
              None, "missing", None, None, po_line=42),
    ReviewRow(11, "paragraph", "Tom und Jerry.", "Tom & Jerry.", "draft", 0.55, None,
              po_line=46),
    ReviewRow(13, "paragraph", "Am 10. Februar kamen 3,5 Millionen.",
              "On February 11, 3.5 million came.", "reviewed", None, None, po_line=50,
              findings=(Problem("numbers", "error", "10 is missing from the translation; 11 "
                                "is not in the source"),
                        Problem("quotes", "warning", f"unbalanced {PWNED}"))),
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
            edition_href="kasachstan.html", catalog="locales/en/kasachstan.po"),
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


@contextmanager
def emulated(driver: Any, width: int, *, dark: bool = False) -> Iterator[None]:
    """A viewport `width` CSS pixels wide (a phone below 600: mobile, with the viewport meta
    honoured) and the light or dark colour scheme, as DevTools' device mode sets them."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})
    try:
        yield
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """Run the vendored axe-core on the loaded page; its violations of the AXE_TAGS rules.

    WebDriver's injected scripts are not subject to the page's CSP (`script-src 'none'`), so
    the pages themselves stay free of scripts.
    """
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    assert driver.execute_script("return axe.version") == AXE_VERSION
    driver.set_script_timeout(60)
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
        " resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)})))))"
        ".catch(e => done(JSON.stringify({error: String(e)})));", list(AXE_TAGS))
    result = json.loads(found)
    assert not isinstance(result, dict), result
    return result  # type: ignore[no-any-return]


def page_width(driver: Any) -> tuple[int, int]:
    """(layout viewport, document) widths: a phone zooms out to fit a wider document, so
    both stay at the screen width only when nothing is wider than the screen."""
    return tuple(driver.execute_script(  # type: ignore[return-value]
        "return [window.innerWidth, document.documentElement.scrollWidth];"))


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
    # The source first; a changed one is followed by its word diff.
    assert [t.splitlines()[0] for t in texts(browser, "td.src")] == [
        r.source for r in REVIEW_ROWS]
    translations = texts(browser, "td.tgt")
    assert translations[3] == PWNED  # shown literally, as the reviewer must see it
    assert translations[4] == "no translation"
    assert browser.find_element(By.CSS_SELECTOR, "td.src").get_attribute("lang") == "de"
    assert browser.find_element(By.CSS_SELECTOR, "td.tgt").get_attribute("lang") == "en"
    assert texts(browser, "td.where a")[1] == "corpus/kasachstan.txt:5"
    assert [t.splitlines()[0] for t in texts(browser, "td.status")] == [
        "reviewed", "machine draft 0.83", "machine draft 0.21", "fuzzy", "missing",
        "machine draft 0.55", "reviewed"]
    summary = browser.find_element(By.CSS_SELECTOR, ".summary").text
    assert "7 segments · 29% reviewed" in summary
    assert "1 QA error" in summary and "1 QA warning" in summary
    assert texts(browser, "td.where .po") == [
        f"locales/en/kasachstan.po:{r.po_line}" for r in REVIEW_ROWS]
    findings = browser.find_elements(By.CSS_SELECTOR, "#row-7 td.status .findings li")
    assert [li.text for li in findings] == [
        "error numbers: 10 is missing from the translation; 11 is not in the source",
        f"warning quotes: unbalanced {PWNED}"]
    assert browser.find_elements(By.CSS_SELECTOR, "tr:not(#row-7) .findings") == []
    diff = browser.find_element(By.CSS_SELECTOR, "#row-4 td.src .changed")
    assert diff.is_displayed()
    # The words, with "removed:" and "added:" for screen readers (visually hidden).
    assert [" ".join(e.text.split()) for e in diff.find_elements(By.TAG_NAME, "del")] == [
        "removed: harmloser"]
    assert [" ".join(e.text.split()) for e in diff.find_elements(By.TAG_NAME, "ins")] == [
        "added: gefährlicher"]
    # Struck through and underlined, not told by colour alone.
    assert "line-through" in diff.find_element(By.TAG_NAME, "del").value_of_css_property(
        "text-decoration-line")

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
    assert browser.find_element(By.ID, "row-7").is_displayed()  # reviewed, but with findings


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


SEED = "kasachstan-ukrainekrieg"
SEED_NOTICE = "Machine-translated, not yet reviewed by our editors."


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`l10n build --edition html` on the seed article, its catalog as a review finds it: a
    hostile title, a machine draft, an untranslated sentence, a wrong date (a QA error) and
    a sentence whose source changed after it was translated."""
    from typer.testing import CliRunner

    from l10n.catalog.model import Provenance, fill
    from l10n.catalog.po.read import load
    from l10n.catalog.po.write import dumps
    from l10n.cli import app

    project = tmp_path_factory.mktemp("seed")
    (project / "corpus").mkdir()
    shutil.copy(ROOT / "corpus" / f"{SEED}.txt", project / "corpus")
    runner = CliRunner()
    assert runner.invoke(app, ["extract", "--project", str(project)]).exit_code == 0
    po_path = project / "locales" / "en" / f"{SEED}.po"
    po = load(po_path)
    reference = dict(line.split("\t") for line in (ROOT / "tests" / "data" / "seed_en.tsv")
                     .read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    for entry in po:
        entry.msgstr = reference[entry.msgid]
    po[0].msgstr = "Kazakhstan <script>document.title='pwned'</script> & Russia"
    po[1].msgstr = po[1].msgstr.replace("February 10", "February 11")
    fill(po[2], reference[po[2].msgid], Provenance("argos translate-de_en 1.9", 0.42))
    po[5].msgstr = ""
    po_path.write_text(dumps(po), encoding="utf-8")
    article = project / "corpus" / f"{SEED}.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Leider ist dies nicht geschehen.", "Leider ist dies bisher nicht geschehen."),
        encoding="utf-8")
    assert runner.invoke(app, ["extract", "--project", str(project)]).exit_code == 0
    result = runner.invoke(app, ["build", "--project", str(project), "--edition", "html",
                                 "--include-fuzzy", "--notice", SEED_NOTICE])
    assert result.exit_code == 0, result.output
    out = project / "editions" / "en"
    return {"edition": out / f"{SEED}.html", "review": out / f"{SEED}.review.html",
            "index": out / "index.html", "po": load(po_path), "reference": reference,
            "untranslated": po[5].msgid, "output": result.output}


def test_seed_project_built_with_the_cli(browser: Any, seed_site: dict[str, Any],
                                         shots: list[Path]) -> None:
    po, reference = seed_site["po"], seed_site["reference"]
    browser.get(seed_site["edition"].as_uri())
    assert browser.title == "Kazakhstan <script>document.title='pwned'</script> & Russia"
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == browser.title
    notice = browser.find_element(By.CSS_SELECTOR, "[role=note]")
    assert notice.is_displayed()
    assert notice.text == (f"{SEED_NOTICE} 1 of 28 sentences is not translated yet and shown "
                           "in the original language (de).")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert reference[po[3].msgid] in body
    assert "Subscribe to our newsletters" not in body
    # The one untranslated sentence is German on the page, and nothing else is.
    german = browser.find_elements(By.CSS_SELECTOR, "article [lang=de]")
    assert [el.text for el in german] == [seed_site["untranslated"]]
    assert browser.execute_script(
        "return getComputedStyle(arguments[0]).getPropertyValue('display')", german[0]) == "inline"
    assert "warning: corpus/kasachstan-ukrainekrieg.txt [en]: 1 of 28 sentences (4%)" in \
        " ".join(seed_site["output"].split())
    screenshot(browser, shots, "cli-seed-edition")

    browser.get(seed_site["review"].as_uri())
    body = browser.find_element(By.TAG_NAME, "body").text
    assert po[2].msgid in body and "0.42" in body
    row = browser.find_element(By.ID, "row-2")  # the caption, with the wrong date
    assert row.find_element(By.CSS_SELECTOR, ".po").text == (
        f"locales/en/{SEED}.po:{po[1].linenum}")
    assert [li.text.split()[:2] for li in row.find_elements(By.CSS_SELECTOR, ".findings li")] \
        == [["error", "numbers:"]]
    (changed,) = browser.find_elements(By.CSS_SELECTOR, "td.src .changed")
    assert [" ".join(e.text.split()) for e in changed.find_elements(By.TAG_NAME, "ins")] == [
        "added: bisher"]
    screenshot(browser, shots, "cli-seed-review")

    browser.get(seed_site["index"].as_uri())
    links = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "a")}
    assert any("Review" in text for text in links)
    screenshot(browser, shots, "cli-seed-index")


PAGES = ("kasachstan.html", "kasachstan.review.html", "notizen.html", "index.html",
         "seed:edition", "seed:review", "seed:index")


def _page(name: str, site: dict[str, Path], seed_site: dict[str, Any]) -> Path:
    path = seed_site[name[5:]] if name.startswith("seed:") else site[name]
    assert isinstance(path, Path)
    return path


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(("width", "dark"), [(DESKTOP, False), (PHONE, False), (DESKTOP, True)],
                         ids=["desktop", "phone", "desktop-dark"])
def test_pages_pass_axe_and_fit_the_screen(browser: Any, site: dict[str, Path],
                                           seed_site: dict[str, Any], name: str, width: int,
                                           dark: bool) -> None:
    """axe-core finds nothing, of any impact (serious and critical ones included), among the
    AXE_TAGS rules; and no page is wider than the screen, on a phone either."""
    with emulated(browser, width, dark=dark):
        browser.get(_page(name, site, seed_site).as_uri())
        assert page_width(browser) == (width, width)
        background = browser.execute_script(
            "return getComputedStyle(document.documentElement).backgroundColor")
        assert background == ("rgb(23, 25, 27)" if dark else "rgb(251, 250, 247)")
        violations = axe_violations(browser)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("name", ["kasachstan.review.html", "seed:review"])
def test_review_sheet_on_a_phone(browser: Any, site: dict[str, Path], seed_site: dict[str, Any],
                                 shots: list[Path], name: str) -> None:
    """At 375 px each segment is a card: source and translation at nearly the full width,
    one above the other, labelled; nothing collapses to zero width, nothing is cut off."""
    with emulated(browser, PHONE):
        browser.get(_page(name, site, seed_site).as_uri())
        assert page_width(browser) == (PHONE, PHONE)
        rows = browser.find_elements(By.CSS_SELECTOR, "table.sheet tbody tr")
        assert rows
        for row in rows:
            cells = {cls: row.find_element(By.CSS_SELECTOR, f"td.{cls}")
                     for cls in ("where", "src", "tgt", "status")}
            for cls, cell in cells.items():
                rect = cell.rect
                assert rect["width"] >= 0.85 * PHONE, (row.get_attribute("id"), cls, rect)
                assert rect["height"] > 0 and rect["x"] >= 0
                assert rect["x"] + rect["width"] <= PHONE
            order = [cells[c].rect["y"] for c in ("where", "src", "tgt", "status")]
            assert order == sorted(order)  # stacked, in reading order
            assert cells["src"].text.startswith(cells["src"].text.splitlines()[0])
            where = cells["where"].find_element(By.TAG_NAME, "a")
            assert where.is_displayed() and where.rect["x"] + where.rect["width"] <= PHONE
        label = browser.execute_script(
            "return getComputedStyle(arguments[0], '::before').content", cells["src"])
        assert label == '"Source (de)"'
        findings = browser.find_elements(By.CSS_SELECTOR, ".findings li")
        assert findings and all(li.is_displayed() and li.rect["width"] > 200 for li in findings)
        weakest = browser.find_elements(By.CSS_SELECTOR, "#weakest li")
        assert all(li.rect["x"] + li.rect["width"] <= PHONE for li in weakest)
        screenshot(browser, shots, f"phone-{name.replace(':', '-')}")


def test_review_sheet_on_a_desktop_is_a_table(browser: Any, site: dict[str, Path]) -> None:
    with emulated(browser, DESKTOP):
        browser.get(site["kasachstan.review.html"].as_uri())
        for row in browser.find_elements(By.CSS_SELECTOR, "table.sheet tbody tr"):
            src, tgt = (row.find_element(By.CSS_SELECTOR, f"td.{c}") for c in ("src", "tgt"))
            assert src.value_of_css_property("display") == "table-cell"
            assert src.rect["y"] == tgt.rect["y"] and src.rect["x"] < tgt.rect["x"]
            assert min(src.rect["width"], tgt.rect["width"]) > 300
        assert browser.find_element(By.CSS_SELECTOR, "thead").is_displayed()
