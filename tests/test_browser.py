"""The chat in a real browser: a question typed in the chat input gets a cited answer; page payloads stay text."""

from pathlib import Path

import pytest

from bot.settings import load_settings
from ingest.pipeline import run_ingest

from tests.browser import CHROMIUM, ask, browser_page, serve

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make browser)"),
]

HOSTILE = """<html lang="nl"><head><title>Fiche vergaderzalen</title></head><body><main>
<h1>Fiche vergaderzalen</h1>
<p>Duurzame vergaderzalen huren: kies zalen met groene stroom. <script>alert(1)</script></p>
<p>De vergaderzaal test <img src=x onerror=alert(1)> moet toegankelijk zijn met de fiets.</p>
<p>Letterlijke tekst: &lt;script&gt;alert(2)&lt;/script&gt; en &lt;img src=x onerror=alert(3)&gt;.</p>
</main></body></html>"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    for name in ("vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt",):
        (folder / name).write_bytes((corpus / name).read_bytes())
    (folder / "vergaderzalen.html").write_text(HOSTILE, encoding="utf-8")
    (folder / "payload.txt").write_text(
        "Vergaderzalen payload <script>alert(4)</script> en <img src=x onerror=alert(5)> en "
        "![beeld](http://127.0.0.1:9/x.png) in een document over vergaderzalen.", encoding="utf-8")
    root = tmp_path_factory.mktemp("browser") / "index"
    run_ingest(load_settings(environ={}, index=root, embeddings="hashing"), paths=[folder], show_progress=False)
    return root


def test_question_in_the_browser_gets_a_cited_answer(index, tmp_path):
    with serve(index, tmp_path / "app.log") as url, browser_page() as page:
        page.goto(url)
        ask(page, "Wanneer werd de eerste Buyer Meets Supplier gehouden?")
        page.get_by_text("23 mei 2018").first.wait_for(timeout=60_000)
        page.get_by_text("vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt").first.wait_for()
        page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)


def test_script_and_onerror_payloads_open_no_dialog(index, tmp_path):
    dialogs: list[str] = []
    requests: list[str] = []
    with serve(index, tmp_path / "app.log") as url, browser_page() as page:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url)
        ask(page, "Welke vergaderzalen payload en vergaderzaal test?")
        page.get_by_text("vergaderzalen", exact=False).nth(1).wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
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
