"""The app in a real browser (Debian's Chromium driven by Playwright), served by `gidsbot serve`.

A question typed in the chat gets a cited answer at desktop and phone width; the interface language
follows the browser and the switch; the conversation exports; feedback lands in SQLite, with the mouse
and with the keyboard alone; `/status` shows the counts and the last ingest; workshop mode reads on a
projector; and page payloads stay text. Screenshots go to each test's tmp_path.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gidsbot.settings import load_settings
from ingest.pipeline import run_ingest
from tests.browser import CHROMIUM, ask, browser_page, serve
from tests.fakellm import FakeLLM, Reply

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make browser)"),
]

VLAAMS = "vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt"
BMS = "Wanneer werd de eerste Buyer Meets Supplier gehouden?"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 650}  # a 1366 x 768 screen less the browser's own bars
WAIT = 60_000  # ms: the first answer loads the index

HOSTILE = """<html lang="nl"><head><title>Fiche vergaderzalen</title></head><body><main>
<h1>Fiche vergaderzalen</h1>
<p>Duurzame vergaderzalen huren: kies zalen met groene stroom. <script>alert(1)</script></p>
<p>De vergaderzaal test <img src=x onerror=alert(1)> moet toegankelijk zijn met de fiets.</p>
<p>Letterlijke tekst: &lt;script&gt;alert(2)&lt;/script&gt; en &lt;img src=x onerror=alert(3)&gt;.</p>
</main></body></html>"""


FRENCH = """<html lang="fr"><head><title>Salles de réunion durables</title></head><body><main>
<h1>Salles de réunion durables</h1>
<h2>Choisir une salle accessible</h2>
<p>Préférez une salle que les participants rejoignent à pied, à vélo ou en train, et qui fonctionne à
l'électricité verte. Demandez au gestionnaire comment il trie les déchets après la réunion.</p>
</main></body></html>"""

# Where the latest question sits below the app's header (which is drawn over the scroll box), and how tall
# the visible part of the box is (pixels).
QUESTION_PLACE = """() => {
  const box = document.querySelector('[data-testid="stAppScrollToBottomContainer"]');
  const asked = [...document.querySelectorAll('[data-testid="stChatMessage"]')]
    .filter((m) => m.querySelector('[data-testid="stChatMessageAvatarUser"]'));
  const last = asked[asked.length - 1].getBoundingClientRect();
  const frame = box.getBoundingClientRect();
  const header = document.querySelector('[data-testid="stHeader"]');
  const clear = Math.max(frame.top, header ? header.getBoundingClientRect().bottom : 0);
  return {top: last.top - clear, bottom: last.bottom - clear, height: frame.bottom - clear, scrolled: box.scrollTop};
}"""


def _question_in_view(page: object) -> dict[str, float]:
    """Where the latest question sits once the page has settled (the app places it after the answer)."""
    page.wait_for_timeout(1500)  # type: ignore[attr-defined]
    return page.evaluate(QUESTION_PLACE)  # type: ignore[attr-defined,no-any-return]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    (folder / VLAAMS).write_bytes((corpus / VLAAMS).read_bytes())
    (folder / "vergaderzalen.html").write_text(HOSTILE, encoding="utf-8")
    (folder / "salles-de-reunion.html").write_text(FRENCH, encoding="utf-8")
    (folder / "payload.txt").write_text(
        "Vergaderzalen payload <script>alert(4)</script> en <img src=x onerror=alert(5)> en "
        "![beeld](http://127.0.0.1:9/x.png) in een document over vergaderzalen.",
        encoding="utf-8",
    )
    root = tmp_path_factory.mktemp("browser") / "index"
    run_ingest(load_settings(environ={}, index=root, embeddings="hashing"), paths=[folder], show_progress=False)
    return root


@dataclass(frozen=True)
class App:
    url: str
    feedback: Path


@pytest.fixture(scope="module")
def app(index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """One `gidsbot serve` for the module: starting Streamlit is the slow part."""
    folder = tmp_path_factory.mktemp("served")
    feedback = folder / "feedback.sqlite"
    with serve(index, folder / "app.log", {"GIDSBOT_FEEDBACK_DB": str(feedback)}) as url:
        yield App(url, feedback)


def _rows(path: Path, sql: str, until: int = 1) -> list[sqlite3.Row]:
    """Rows of ``sql`` once there are ``until`` of them: the browser's click reaches the server a moment later."""
    deadline = time.monotonic() + 30
    while True:
        rows: list[sqlite3.Row] = []
        if path.exists():
            with sqlite3.connect(path) as db:
                db.row_factory = sqlite3.Row
                try:
                    rows = db.execute(sql).fetchall()
                except sqlite3.OperationalError:  # the tables are not there yet
                    rows = []
        if len(rows) >= until or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def _answer(page: object, question: str = BMS) -> None:
    ask(page, question)
    page.get_by_text("23 mei 2018").first.wait_for(timeout=WAIT)  # type: ignore[attr-defined]


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_question_in_the_browser_gets_a_cited_answer(app, tmp_path, viewport):
    with browser_page(**viewport) as page:
        page.goto(app.url)
        page.get_by_text("To get started").wait_for(timeout=WAIT)
        page.wait_for_timeout(1000)
        title = page.get_by_role("heading", name="gidsbot").bounding_box()
        assert title is not None and title["y"] >= 0  # the start page opens at its top, not pinned to its end
        _answer(page)
        page.get_by_text(VLAAMS, exact=False).first.wait_for()  # the source card names the document
        page.locator(".stMarkdownColoredBackground").first.wait_for()  # the answering sentence, highlighted
        page.get_by_role("button", name="Copy").first.wait_for()  # the row under the answer came too
        overflow = page.evaluate("""() => Math.max(...['stAppViewContainer', 'stMainBlockContainer'].map(id => {
            const e = document.querySelector(`[data-testid=${id}]`); return e.scrollWidth - e.clientWidth; }))""")
        page.screenshot(path=str(tmp_path / f"answer-{viewport['width']}.png"))
        # a second answer makes the page longer than the screen: the new question stays at the top of the view
        ask(page, BMS)
        page.locator('[data-testid="stChatMessage"]').nth(3).get_by_text("23 mei 2018").first.wait_for(timeout=WAIT)
        place = _question_in_view(page)
        page.screenshot(path=str(tmp_path / f"second-{viewport['width']}.png"))
    assert overflow <= 0  # nothing wider than a phone's screen
    assert place["scrolled"] > 0  # the page was long enough to need it
    assert place["top"] >= 0 and place["bottom"] <= place["height"] / 3, place


def test_interface_language_follows_the_browser_and_the_switch(app, tmp_path):
    with browser_page(locale="fr-BE") as page:
        page.goto(app.url)
        page.get_by_placeholder("Une question sur les achats durables ?").wait_for(timeout=WAIT)
        page.get_by_text("Pour commencer").wait_for()
        page.screenshot(path=str(tmp_path / "french.png"))
        # the starters are French questions about the French page's headings
        starters = page.locator("[class*='st-key-starter-'] button").all_inner_texts()
        assert starters and all(s.startswith("Que dit le guide sur") for s in starters), starters
        assert any("réunion" in s.lower() for s in starters), starters
        page.get_by_role("radiogroup", name="Taal · Langue · Language").get_by_role("radio", name="NL").click()
        page.get_by_placeholder("Vraag iets over duurzaam aankopen…").wait_for(timeout=WAIT)
        page.get_by_text("Om te beginnen").wait_for()
        assert "lang=nl" in page.url.lower()  # a trainer can share the link with the language in it
        _answer(page)
        page.get_by_text("Volgens de geïndexeerde documenten").first.wait_for()  # the answer follows the question
        page.get_by_text("Bronnen (1)").wait_for()  # the interface stays Dutch
        page.screenshot(path=str(tmp_path / "dutch.png"))
        page.get_by_test_id("stSidebarNav").get_by_text("Status").click()
        page.get_by_text("Status van de index").wait_for(timeout=WAIT)  # and so does the next page


def test_the_conversation_exports_as_html_and_markdown(app, tmp_path):
    with browser_page() as page:
        page.goto(app.url)
        _answer(page)
        files = {}
        for label, name in (("Conversation (HTML page)", "html"), ("Conversation (Markdown)", "md")):
            with page.expect_download(timeout=WAIT) as download:
                page.get_by_role("button", name=label).click()
            target = tmp_path / f"conversation.{name}"
            download.value.save_as(target)
            files[name] = target.read_text(encoding="utf-8")
    assert BMS in files["html"] and "23 mei 2018" in files["html"] and VLAAMS in files["html"]
    assert "Content-Security-Policy" in files["html"] and "<script" not in files["html"]
    assert "23 mei 2018" in files["md"] and VLAAMS in files["md"] and "**Sources**" in files["md"]


def test_feedback_given_in_the_browser_lands_in_sqlite(app, tmp_path):
    question = "Op welke datum werd de eerste Buyer Meets Supplier gehouden?"
    with browser_page() as page:
        page.goto(app.url)
        _answer(page, question)
        page.get_by_role("radio", name="Thumbs up").first.click()
        [rated] = _rows(app.feedback, f"SELECT * FROM feedback WHERE question = '{question}' AND rating = 1")
        page.get_by_role("button", name="Comment").first.click()
        page.get_by_label("Your comment (optional)").fill("Precies wat ik zocht")
        page.get_by_role("button", name="Send", exact=True).click()
        [commented] = _rows(app.feedback, f"SELECT * FROM feedback WHERE question = '{question}' AND comment != ''")
        page.screenshot(path=str(tmp_path / "feedback.png"))
    assert rated["message_id"] == commented["message_id"]
    assert commented["comment"] == "Precies wat ik zocht" and commented["rating"] == 1
    assert "23 mei 2018" in commented["answer"] and VLAAMS in commented["sources"]
    assert commented["index_version"]


def test_keyboard_alone_asks_and_rates(app, tmp_path):
    """Regression guard: every step a buyer takes must be reachable with Tab, typing and Enter/Space."""
    question = "Wanneer vond de eerste Buyer Meets Supplier plaats?"

    def tab_to(test: str) -> None:
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate(test):
                return
        raise AssertionError(f"Tab never reached {test}")

    with browser_page() as page:
        page.goto(app.url)
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=WAIT)
        tab_to("() => document.activeElement?.dataset.testid === 'stChatInputTextArea'")
        page.keyboard.type(question)
        page.keyboard.press("Enter")
        page.get_by_text("23 mei 2018").first.wait_for(timeout=WAIT)
        tab_to("() => document.activeElement?.getAttribute('aria-label') === 'Thumbs up'")
        page.keyboard.press("Space")
        rows = _rows(app.feedback, f"SELECT * FROM feedback WHERE question = '{question}' AND rating = 1")
        page.screenshot(path=str(tmp_path / "keyboard.png"))
    assert len(rows) == 1


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 1600}, PHONE], ids=["desktop", "phone"])
def test_status_page_shows_the_document_count_and_the_last_ingest(app, tmp_path, viewport):
    with browser_page(**viewport) as page:
        page.goto(app.url + "/status")
        page.get_by_text("Index status").wait_for(timeout=WAIT)
        documents = page.get_by_test_id("stMetric").filter(has_text="Documents").first
        assert documents.get_by_test_id("stMetricValue").inner_text() == "4"
        page.get_by_text("Last ingest").wait_for()
        added = page.get_by_test_id("stMetric").filter(has_text="Added").first
        assert added.get_by_test_id("stMetricValue").inner_text() == "4"
        page.get_by_text("Versions to roll back to").wait_for()
        page.screenshot(path=str(tmp_path / f"status-{viewport['width']}.png"), full_page=True)
        if viewport["width"] > 800:  # the sidebar is open: opened at /status, it lists the app's two pages
            names = page.get_by_test_id("stSidebarNav").inner_text().split("\n")
            assert {"Ask", "Status"} <= set(names) and not {"app", "chat", "status"} & set(names), names


def test_workshop_mode_reads_on_a_projector(app, tmp_path):
    with browser_page(1920, 1080) as page:
        page.goto(app.url + "/?workshop=true")
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=WAIT)
        page.screenshot(path=str(tmp_path / "workshop-start.png"))
        _answer(page)
        page.wait_for_timeout(500)  # let the page settle before the picture; nothing is measured
        page.screenshot(path=str(tmp_path / "workshop-answer.png"))
        font = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
        folded = page.get_by_test_id("stSidebar").get_attribute("data-collapsed")
    assert font == "20px"
    assert folded == "true"


def test_script_and_onerror_payloads_open_no_dialog(app, tmp_path):
    dialogs: list[str] = []
    requests: list[str] = []
    with browser_page() as page:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(app.url)
        ask(page, "Welke vergaderzalen payload en vergaderzaal test?")
        page.get_by_text("vergaderzalen", exact=False).nth(1).wait_for(timeout=WAIT)
        page.wait_for_timeout(1500)  # give a payload every chance to fire
        page.screenshot(path=str(tmp_path / "payload.png"), full_page=True)
        injected = page.evaluate(
            "() => [document.querySelectorAll('img[onerror]').length,"
            " [...document.scripts].filter(s => s.textContent.includes('alert(')).length]"
        )
        shown = page.get_by_text("<script>alert(4)</script>", exact=False).count()
    assert dialogs == []
    assert injected == [0, 0]
    assert shown >= 1  # the payload is shown as text
    assert not [r for r in requests if "x.png" in r or r.endswith("/x")]


def test_a_language_model_answer_streams_into_the_page(index, tmp_path):
    """With a model configured the answer is written piece by piece (Bot.stream); the page ends with the
    verified answer and its source card."""
    with FakeLLM() as llm:
        llm.script = [Reply("Op 23 mei 2018 vond de eerste Buyer Meets Supplier plaats [1].", pieces=8)]
        env = {
            "GIDSBOT_LLM_BASE_URL": llm.base_url,
            "GIDSBOT_LLM_MODEL": "fake-model",
            "GIDSBOT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite"),
        }
        with serve(index, tmp_path / "app.log", env) as url, browser_page() as page:
            page.goto(url)
            ask(page, BMS)
            page.get_by_text("Op 23 mei 2018 vond de eerste Buyer Meets Supplier plaats [1].").wait_for(timeout=WAIT)
            page.get_by_text("Sources (1)").wait_for()
            page.screenshot(path=str(tmp_path / "model-answer.png"))
        assert llm.requests and llm.requests[-1]["stream"] is True


FICHE = """<html lang="nl"><head><title>Schoonmaakproducten</title></head><body><main>
<h1>Schoonmaakproducten</h1><h2>Criteria per fase</h2>
<table><thead><tr><th>Criterium</th><th>Fase</th><th>Verificatie</th></tr></thead><tbody>
<tr><td>Milieubeheer bij de inschrijver volgens een erkend systeem</td><td>Selectie</td><td>ISO 14001 of EMAS</td></tr>
<tr><td>Allesreinigers dragen een type I-milieulabel</td><td>Technische specificatie</td><td>EU Ecolabel</td></tr>
<tr><td>Geen parfum in sanitaire reinigers</td><td>Technische specificatie</td><td>Productfiche</td></tr>
<tr><td>Geconcentreerde producten met een doseersysteem</td><td>Gunning</td><td>Technisch dossier</td></tr>
</tbody></table></main></body></html>"""


def _tick(page, grid, row: int, then: str) -> None:
    """Tick ``row`` of the grid's row-marker column until the button named ``then`` shows: on a busy
    machine a click that lands while the app still reruns from the tick before is lost, so it is
    clicked again (at most three times) once the app is idle and the button still has not come."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    button = page.get_by_role("button", name=then)
    for _ in range(3):
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + 35 * row + 35 + 17)
        try:
            button.wait_for(timeout=WAIT // 3)
            return
        except PlaywrightTimeout:
            page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=WAIT)
            if button.is_visible():
                return
    button.wait_for(timeout=WAIT)


def test_ticked_criteria_export_as_a_word_document(tmp_path):
    """Issue "criteria ready for a tender": a buyer ticks two rows of the criteria table and gets them in Word."""
    import docx

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "schoonmaakproducten.html").write_text(FICHE, encoding="utf-8")
    root = tmp_path / "index"
    run_ingest(load_settings(environ={}, index=root, embeddings="hashing"), paths=[folder], show_progress=False)
    env = {"GIDSBOT_FEEDBACK_DB": str(tmp_path / "f.sqlite")}
    with serve(root, tmp_path / "app.log", env) as url, browser_page() as page:
        page.goto(url)
        ask(page, "Welke criteria gelden voor schoonmaakproducten?")
        page.get_by_role("button", name="Word (4)").wait_for(timeout=WAIT)  # nothing ticked: all four
        grid = page.get_by_test_id("stDataFrame").first
        grid.scroll_into_view_if_needed()
        # tick the second and the fourth criterion in the row-marker column, one at a time: each tick reruns
        # the app, and a click during that rerun would be lost on a busy machine
        for ticked, row in enumerate((1, 3), start=1):
            _tick(page, grid, row, f"Word ({ticked})")
        page.screenshot(path=str(tmp_path / "criteria.png"))
        with page.expect_download(timeout=WAIT) as download:
            page.get_by_role("button", name="Word (2)").click()
        target = tmp_path / "criteria.docx"
        download.value.save_as(target)
    rows = [[cell.text for cell in row.cells] for row in docx.Document(str(target)).tables[0].rows]
    assert [r[1] for r in rows[1:]] == [
        "Allesreinigers dragen een type I-milieulabel",
        "Geconcentreerde producten met een doseersysteem",
    ]
    assert "schoonmaakproducten.html" in " ".join(p.text for p in docx.Document(str(target)).paragraphs)
