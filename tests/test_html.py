"""Main-content extraction from guide pages (ingest/html.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingest.html import extract_html
from ingest.types import Document

DATA = Path(__file__).parent / "data" / "html"
NL_URL = "https://www.gidsvoorduurzameaankopen.be/nl/content/kantoorpapier"
FR_URL = "https://www.guidedesachatsdurables.be/fr/content/papier-de-bureau"


def extract(html: str | bytes, url: str = "https://example.be/nl/pagina", source: str = "") -> Document:
    document = extract_html(html, url=url, source=source)
    assert document is not None
    return document


def section(document: Document, *path: str) -> str:
    matches = [s.text for s in document.sections if s.path == path]
    assert matches, f"no section {path}; have {[s.path for s in document.sections]}"
    return "\n\n".join(matches)


@pytest.fixture(scope="module")
def nl() -> Document:
    return extract((DATA / "kantoorpapier_nl.html").read_bytes(), url=NL_URL)


@pytest.fixture(scope="module")
def fr() -> Document:
    return extract((DATA / "papier_de_bureau_fr.html").read_bytes(), url=FR_URL)


# --- the Dutch product-group fiche ------------------------------------------------------------


def test_fiche_metadata(nl: Document) -> None:
    assert nl.title == "Kantoorpapier"
    assert nl.language == "nl"
    assert nl.url == NL_URL
    assert nl.source == NL_URL
    assert nl.modified == "2023-05-12T09:41:00+02:00"
    # the hreflang to itself and x-default are not twins; "fr-BE" is reduced to "fr"
    assert nl.alternates == {"fr": FR_URL}


def test_fiche_sections_follow_the_headings(nl: Document) -> None:
    assert [s.path for s in nl.sections] == [
        (),
        ("Criteria",),
        ("Criteria", "Selectiecriteria"),
        ("Criteria", "Technische specificaties"),
        ("Criteria", "Gunningscriteria"),
        ("Labels",),
        ("Meer weten",),
    ]
    assert section(nl).startswith("Deze fiche behandelt kopieer- en printpapier in A4- en A3-formaat.")
    # paragraphs are separated by a blank line, whitespace inside them collapsed, entities decoded
    assert "andere fiches.\n\nPapier is een van de grootste posten in het kantoorverbruik & de keuze" in (section(nl))
    assert "FSC of PEFC chain of custody" in section(nl, "Criteria", "Selectiecriteria")


def test_fiche_criteria_table_comes_out_as_rows(nl: Document) -> None:
    """Guards against a criteria table flattened into one run-on line (the issue's demand)."""
    assert section(nl, "Criteria", "Technische specificaties").splitlines() == [
        "Minimumeisen voor kantoorpapier",
        "Criterium · Type · Verificatie",
        "Gerecycleerde vezels; Minstens 70 % gerecycleerde vezels · technische specificatie · "
        "EU Ecolabel, Blauer Engel of gelijkwaardig",
        "Bleking · technische specificatie · ECF-verklaring; TCF-verklaring",
        "Energie-efficiëntie · technische specificatie · EPEAT-certificaat",
        "Verpakking · verklaring van de inschrijver",
    ]


def test_fiche_lists_are_dash_lines(nl: Document) -> None:
    assert section(nl, "Criteria", "Gunningscriteria") == (
        "- Hoger aandeel post-consumer vezels (maximaal 10 punten)\n"
        "- Vrij van optische witmakers\n"
        "  - bewijs: technisch dossier"
    )
    assert section(nl, "Labels") == (
        "Volgende labels tonen aan dat aan de criteria is voldaan:\n\n- EU Ecolabel\n- Blauer Engel\n- Nordic Swan"
    )


def test_fiche_text_outside_the_article_is_kept(nl: Document) -> None:
    """Guards against trafilatura's habit of keeping only <article> and dropping the rest of <main>."""
    assert section(nl, "Meer weten") == ("Raadpleeg ook de fiche over enveloppen en de helpdesk duurzame aankopen.")


@pytest.mark.parametrize(
    "chrome",
    [
        "Overslaan en naar de inhoud",  # skip link
        "Hoofdnavigatie",  # menu
        "Productgroepen",  # menu and breadcrumb
        "Contacteer de helpdesk",
        "Zoek",  # search form
        "Kruimelpad",
        "Home",
        "cookies",  # cookie banner
        "Akkoord",
        "Nee, bedankt",
        "Deel deze pagina",  # share widget
        "Facebook",
        "Afdrukken",  # print link
        "FOD Volksgezondheid",  # site footer
        "Privacyverklaring",
        "Statusbericht",  # hidden element
        "Laatst bijgewerkt",  # the article's footer
        "dataLayer",  # scripts
        "Volg ons",
        "position: fixed",  # styles
        "Gids voor duurzame aankopen",  # site name in the header
    ],
)
def test_fiche_has_no_page_chrome(nl: Document, chrome: str) -> None:
    assert chrome not in nl.text
    assert all(chrome not in " ".join(s.path) for s in nl.sections)


def test_fiche_language_switch_text_is_gone(nl: Document) -> None:
    lines = {line.strip() for line in nl.text.splitlines()}
    assert not lines & {"NL", "FR", "- NL", "- FR"}


# --- the French twin: a Drupal 7 theme without <main>, <article> or hreflang links -------------


def test_twin_metadata(fr: Document) -> None:
    assert fr.title == "Papier de bureau"  # the page title, not the site name in the header's <h1>
    assert fr.language == "fr"  # from xml:lang
    assert fr.modified == "2022-11-03"  # dcterms.modified
    # no <link hreflang>: the twin is found through the language switch, the active entry skipped
    assert fr.alternates == {"nl": NL_URL}


def test_twin_content(fr: Document) -> None:
    assert [s.path for s in fr.sections] == [
        (),
        ("Critères", "Critères de sélection"),
        ("Critères", "Spécifications techniques"),
    ]
    assert section(fr, "Critères", "Spécifications techniques").splitlines() == [
        "Critère · Type · Vérification",
        "Fibres recyclées (au moins 70 %) · spécification technique · Ecolabel européen ou équivalent",
        "Blanchiment · spécification technique · déclaration ECF ou TCF",
    ]
    for chrome in [
        "Aller au contenu",
        "Guide des achats durables",
        "Langues",
        "Nederlands",
        "Accueil",
        "Groupes de produits",
        "Vous êtes ici",
        "Dans cette rubrique",
        "Enveloppes",
        "SPF Santé",
        "cookies",
        "basePath",
    ]:
        assert chrome not in fr.text


def test_page_without_any_content_container_falls_back_to_body_without_chrome() -> None:
    html = (DATA / "papier_de_bureau_fr.html").read_text(encoding="cp1252").replace('id="content"', 'id="x"')
    document = extract(html, url=FR_URL)
    assert document.title == "Papier de bureau"
    assert "Blanchiment · spécification technique · déclaration ECF ou TCF" in document.text
    for chrome in ["Accueil", "Dans cette rubrique", "SPF Santé", "cookies", "Nederlands"]:
        assert chrome not in document.text


# --- <main> and <article> ---------------------------------------------------------------------------

MAIN_AROUND_ARTICLE = """<!doctype html><html lang="nl"><head><title>Schoonmaakproducten</title></head>
<body><nav><a href="/">Home</a></nav>
<main>
  <p class="intro">Sinds 2021 gelden nieuwe criteria voor schoonmaakproducten.</p>
  <article><h2>Criteria</h2><p>Gebruik producten met het EU Ecolabel.</p></article>
  <div class="tips"><h2>Tips</h2><p>Doseer met een doseersysteem om verspilling te vermijden.</p></div>
</main>
<footer>Contact</footer></body></html>"""


def test_text_in_main_outside_article_is_kept() -> None:
    """Guards against keeping only <article> (FACTS.md: trafilatura drops the rest of <main>)."""
    document = extract(MAIN_AROUND_ARTICLE)
    assert [(s.path, s.text) for s in document.sections] == [
        ((), "Sinds 2021 gelden nieuwe criteria voor schoonmaakproducten."),
        (("Criteria",), "Gebruik producten met het EU Ecolabel."),
        (("Tips",), "Doseer met een doseersysteem om verspilling te vermijden."),
    ]
    assert document.title == "Schoonmaakproducten"  # no <h1>: the <title>
    assert "Home" not in document.text and "Contact" not in document.text


def test_article_header_with_title_is_content() -> None:
    html = """<html lang="fr"><body><header><a href="/">Guide</a><h1 class="logo">Guide</h1></header>
    <main><article><header><h1>Mobilier de bureau</h1><p>Mise à jour le
    <time datetime="2024-02-01">1 février 2024</time></p></header>
    <h2>Durée de vie</h2><p>Garantie de 5 ans minimum.</p></article></main></body></html>"""
    document = extract(html)
    assert document.title == "Mobilier de bureau"
    assert document.modified == "2024-02-01"
    assert section(document, "Durée de vie") == "Garantie de 5 ans minimum."
    assert all("Guide" not in s.text for s in document.sections)


# --- hostile content --------------------------------------------------------------------------------


def test_scripts_and_event_handlers_never_reach_the_text() -> None:
    html = """<html><head><script>alert("head")</script><style>p{color:red}</style></head><body><main>
    <h1>Veilige pagina</h1>
    <p>Voor <script>alert(1)</script>de tekst.<img src=x onerror=alert(1)></p>
    <p><a href="javascript:alert(2)" onclick="alert(3)">Een link</a> &lt;script&gt; blijft tekst.</p>
    <noscript><img src="https://tracker.example/p.gif">Schakel JavaScript in</noscript>
    <template><p>sjabloon</p></template>
    <svg><text>svgtekst</text><script>alert(4)</script></svg>
    <iframe src="https://evil.example/">frame</iframe>
    </main></body></html>"""
    document = extract(html)
    assert document.text == "Voor de tekst.\n\nEen link <script> blijft tekst."
    for fragment in ["alert", "onerror", "color:red", "JavaScript", "sjabloon", "svgtekst", "frame"]:
        assert fragment not in document.text


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "   \n ",
        "<!-- enkel commentaar -->",
        "<html><head><title>Leeg</title></head><body></body></html>",
        "<html><body><nav>Menu</nav><script>document.write('x')</script><footer>Contact</footer></body></html>",
        b"\x00\x00\x00",
    ],
)
def test_pages_without_readable_text_give_none(data: str | bytes) -> None:
    assert extract_html(data, url="https://example.be/leeg") is None


def test_broken_html_is_read() -> None:
    html = (
        "<html><body><main><h2>Criteria<p>Een <b>open tag<p>Tweede alinea</div></span>"
        "<table><tr><td>Hout<td>FSC<tr><td>Papier<td>PEFC</table><ul><li>een<li>twee"
    )
    document = extract(html)
    text = section(document, "Criteria")
    assert "Een open tag\n\nTweede alinea" in text
    assert "Hout · FSC\nPapier · PEFC" in text
    assert text.endswith("- een\n- twee")


def test_deep_nesting_does_not_hit_the_recursion_limit() -> None:
    html = "<main>" + "<div><span>" * 900 + "diep" + "</span></div>" * 900 + "<ul><li>" * 400 + "x"
    assert "diep" in extract(html).text


def test_huge_page_is_extracted_in_linear_time() -> None:
    def page(n: int) -> str:
        rows = "".join(
            f"<tr><td>Criterium {i}</td><td>type</td><td><ul><li>a</li><li>b</li></ul></td></tr>" for i in range(n)
        )
        body = "".join(f"<h2>Kop {i}</h2><p>Alinea {i} met <b>vet</b> en <a href='#'>link</a>.</p>" for i in range(n))
        menu = "".join(f"<li><a href='/p{i}'>Pagina {i}</a></li>" for i in range(n))
        main = f"<main><h1>T</h1>{body}<table>{rows}</table></main>"
        return f"<html><body><nav><ul>{menu}</ul></nav>{main}</body></html>"

    small, large = page(2_000), page(16_000)  # about 0.4 and 3.4 MB
    start = time.perf_counter()
    extract(small)
    small_seconds = time.perf_counter() - start
    start = time.perf_counter()
    document = extract(large)
    large_seconds = time.perf_counter() - start
    assert len(document.sections) == 16_000
    assert "Criterium 15999 · type · a; b" in document.sections[-1].text
    assert large_seconds < 15
    assert large_seconds < 8 * 4 * max(small_seconds, 0.01)  # 8x the input; quadratic would be 64x


# --- encodings ----------------------------------------------------------------------------------------

CP1252_PAGE = "<html><body><main><h1>Critères</h1><p>Coût : 25 € – « durable » d’abord.</p></main></body></html>"


def test_cp1252_bytes_without_a_declared_charset() -> None:
    document = extract(CP1252_PAGE.encode("cp1252"))
    assert document.title == "Critères"
    assert document.text == "Coût : 25 € – « durable » d’abord."


def test_declared_charset_is_used_and_latin1_means_cp1252() -> None:
    page = CP1252_PAGE.replace("<html>", '<html><head><meta charset="iso-8859-1"></head>')
    assert extract(page.encode("cp1252")).text == "Coût : 25 € – « durable » d’abord."
    page = CP1252_PAGE.replace(
        "<html>",
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>',
    )
    assert extract(page.encode("cp1252")).title == "Critères"


def test_utf8_bytes_win_over_a_wrong_declaration() -> None:
    page = CP1252_PAGE.replace(
        "<html>", '<?xml version="1.0" encoding="iso-8859-1"?><html><head><meta charset="iso-8859-1"></head>'
    )
    assert extract(page.encode("utf-8")).text == "Coût : 25 € – « durable » d’abord."


def test_utf16_with_bom_and_str_with_declaration() -> None:
    assert extract(CP1252_PAGE.encode("utf-16")).title == "Critères"
    page = '<?xml version="1.0" encoding="utf-8"?>' + CP1252_PAGE.replace(
        "<html>", '<html><head><meta charset="cp1252"></head>'
    )
    assert extract(page).title == "Critères"


# --- metadata --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "site_name", "expected"),
    [
        ("Kantoorpapier | Gids voor duurzame aankopen", "", "Kantoorpapier"),
        ("Kantoorpapier | Productgroepen | Gids voor duurzame aankopen", "", "Kantoorpapier"),
        ("Papier de bureau - Guide des achats durables", "Guide des achats durables", "Papier de bureau"),
        ("Gids voor duurzame aankopen – Kantoorpapier", "Gids voor duurzame aankopen", "Kantoorpapier"),
        ("Ringmap, ordner - hangmappen", "Gids voor duurzame aankopen", "Ringmap, ordner - hangmappen"),
        ("Duurzame ICT - Example", "", "Duurzame ICT"),  # the host names the site
    ],
)
def test_title_without_site_name(title: str, site_name: str, expected: str) -> None:
    meta = f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    html = f"<html><head><title>{title}</title>{meta}</head><body><main><p>Tekst.</p></main></body></html>"
    assert extract(html, url="https://www.example.be/nl/x").title == expected


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [('lang="nl-BE"', "nl"), ('lang="FR_be"', "fr"), ('xml:lang="en"', "en"), ("", ""), ('lang="nld"', "nl")],
)
def test_language_from_html_lang(attributes: str, expected: str) -> None:
    assert extract(f"<html {attributes}><body><p>Tekst.</p></body></html>").language == expected


def test_alternates_are_absolute_and_exclude_the_page_itself() -> None:
    html = """<html lang="nl"><head><base href="https://www.example.be/nl/">
    <link rel="alternate" hreflang="nl" href="/nl/papier">
    <link rel="alternate" hreflang="fr" href="../fr/papier#top">
    <link rel="alternate" hreflang="en-GB" href="https://www.example.be/en/paper">
    <link rel="alternate" hreflang="x-default" href="/nl/papier">
    <link rel="alternate" type="application/rss+xml" href="/rss.xml">
    <link rel="alternate" hreflang="de" href="javascript:alert(1)">
    </head><body><p>Tekst.</p>
    <div class="lang-switcher"><a href="/de/papier" lang="de">Deutsch</a><a href="/fr">FR</a></div>
    </body></html>"""
    document = extract(html, url="https://www.example.be/nl/papier")
    assert document.alternates == {
        "fr": "https://www.example.be/fr/papier",
        "en": "https://www.example.be/en/paper",
        "de": "https://www.example.be/de/papier",  # from the switch; "/fr" is a home page, not a twin
    }


@pytest.mark.parametrize("home", ["/fr/index.html", "/fr/", "/fr/accueil", "/index.php", "/"])
def test_a_language_switch_to_a_home_page_is_no_twin(home: str) -> None:
    """Defect: a Dutch-only page whose switch fell back to /fr/index.html got the French home page as
    its twin, and French questions about it were answered from the home page."""
    html = f"""<html lang="nl"><body><p>Alleen in het Nederlands.</p>
    <div class="lang-switcher"><a href="{home}" lang="fr">FR</a></div></body></html>"""
    assert extract(html, url="https://www.example.be/nl/labels/hout").alternates == {}


def test_modified_from_time_in_content() -> None:
    html = """<html><body><main><p>Gepubliceerd op <time datetime="2020-01-01">1/1/2020</time>.</p>
    <p class="changed">Laatst gewijzigd: <time datetime="2023-09-30">30/9/2023</time></p></main>
    <footer><time datetime="2025-01-01">vandaag</time></footer></body></html>"""
    assert extract(html).modified == "2023-09-30"
    assert extract("<html><body><p>Geen datum.</p></body></html>").modified == ""


def test_source_defaults_to_url() -> None:
    html = "<p>Tekst.</p>"
    assert extract(html, url="https://a.be/x").source == "https://a.be/x"
    assert extract(html, url="https://a.be/x", source="gids/x.html").source == "gids/x.html"
    assert extract(html, url="", source="x.html").url == ""


# --- chrome and content that looks like chrome ---------------------------------------------------


def test_hidden_elements_go_but_collapsed_panels_stay() -> None:
    html = """<html><body><main><h1>Voedingsmiddelen</h1>
    <p style="display: none">Verborgen tekst</p>
    <p hidden>Ook verborgen</p>
    <span class="sr-only">Enkel voor schermlezers</span>
    <div aria-hidden="true">Decoratief</div>
    <h3><button aria-expanded="false" aria-controls="p1">Biologische producten</button></h3>
    <div id="p1" class="accordion__panel" hidden>Minstens 20 % biologisch.</div>
    <div role="tabpanel" aria-labelledby="t2" style="display:none">Seizoensgebonden groenten.</div>
    <button type="button">Toon meer</button>
    </main></body></html>"""
    document = extract(html)
    assert section(document, "Biologische producten") == "Minstens 20 % biologisch.\n\nSeizoensgebonden groenten."
    for hidden in ["Verborgen", "Ook verborgen", "schermlezers", "Decoratief", "Toon meer"]:
        assert hidden not in document.text


def test_cookie_banners_are_recognised_by_name_and_label() -> None:
    html = """<html lang="nl"><body>
    <div id="CybotCookiebotDialog"><h2>Deze website gebruikt cookies</h2><p>Cookiebot tekst</p></div>
    <div id="onetrust-consent-sdk"><p>OneTrust tekst</p></div>
    <div class="gdpr-notice"><p>GDPR tekst</p></div>
    <section aria-label="Cookie-instellingen"><p>Label tekst</p></section>
    <div class="site-header"><a href="/">Logo</a></div>
    <div class="page-banner"><h1>Textiel</h1></div>
    <div class="field field--name-field-sociale-criteria">
      <h2>Sociale criteria</h2><p>IAO-conventies.</p></div>
    <div class="blueprint"><p>Bouwplan.</p></div>
    <div id="footer-wrapper"><p>Voettekst</p></div>
    </body></html>"""
    document = extract(html)
    assert document.title == "Textiel"  # a "banner" around the page title is not chrome
    assert section(document, "Sociale criteria") == "IAO-conventies.\n\nBouwplan."
    for chrome in ["cookies", "Cookiebot", "OneTrust", "GDPR", "Label tekst", "Logo", "Voettekst"]:
        assert chrome not in document.text


def test_page_wrapped_in_one_form_is_not_dropped() -> None:
    """Guards against losing ASP.NET pages, whose whole body sits in one <form>."""
    html = """<html><body><form id="aspnetForm" method="post">
    <input type="hidden" name="__VIEWSTATE" value="x">
    <div id="nav"><a href="/">Home</a></div>
    <div class="inhoud"><h1>Omzendbrief</h1><h2>Toepassingsgebied</h2><p>Alle federale diensten.</p></div>
    <form class="search"><input name="q"><button>Zoeken</button></form>
    </form></body></html>"""
    document = extract(html)
    assert document.title == "Omzendbrief"
    assert [(s.path, s.text) for s in document.sections] == [(("Toepassingsgebied",), "Alle federale diensten.")]


def test_layout_table_is_read_as_blocks() -> None:
    html = """<html><body><table width="100%"><tr><td class="menu"><a href="/">Home</a></td><td>
    <h1>Drukwerk</h1><h2>Criteria</h2><p>Gebruik gerecycleerd papier.</p>
    <table><tr><th>Criterium</th><th>Bewijs</th></tr><tr><td>Inkt</td><td>Nordic Swan</td></tr></table>
    </td></tr></table></body></html>"""
    document = extract(html)
    assert document.title == "Drukwerk"
    assert section(document, "Criteria") == "Gebruik gerecycleerd papier.\n\nCriterium · Bewijs\nInkt · Nordic Swan"


def test_table_header_kept_once_and_empty_rows_dropped() -> None:
    html = """<main><table>
    <tr><th>Criterium</th><th>Type</th><th>Verificatie</th></tr>
    <tr><td>Energie-efficiëntie</td><td><span>technische</span> <em>specificatie</em></td>
      <td><p>EPEAT-certificaat</p></td></tr>
    <tr><td></td><td> </td><td>&nbsp;</td></tr>
    <tr><th>Criterium</th><th>Type</th><th>Verificatie</th></tr>
    <tr><td colspan="3"><strong>Gunningscriteria</strong></td></tr>
    <tr><td>Modulair ontwerp</td><td>gunningscriterium</td><td>technisch dossier<br>en<br>Verklaring</td></tr>
    </table></main>"""
    assert extract(html).text.splitlines() == [
        "Criterium · Type · Verificatie",
        "Energie-efficiëntie · technische specificatie · EPEAT-certificaat",
        "Gunningscriteria",
        "Modulair ontwerp · gunningscriterium · technisch dossier en; Verklaring",
    ]


def test_headings_nest_and_ordered_lists_are_numbered() -> None:
    html = """<main><h1>ICT</h1><p>Inleiding.</p><h2>Laptops</h2><h3>Criteria</h3>
    <ol start="2"><li>Batterij</li>
    <li>Herstelbaarheid</li></ol><h4>Bewijs</h4><p>TCO Certified.</p><h5>Noot</h5><p>Detail.</p>
    <h2>Servers</h2><p>Zie fiche.</p><h1>Tweede titel</h1><p>Slot.</p></main>"""
    document = extract(html)
    assert document.title == "ICT"
    assert [(s.path, s.text) for s in document.sections] == [
        ((), "Inleiding."),
        (("Laptops", "Criteria"), "2. Batterij\n3. Herstelbaarheid"),
        (("Laptops", "Criteria", "Bewijs"), "TCO Certified.\n\nNoot\n\nDetail."),
        (("Servers",), "Zie fiche."),
        (("Tweede titel",), "Slot."),
    ]


def test_definition_lists_and_preformatted_text() -> None:
    html = """<main><h2>Begrippen</h2><dl><dt>GPP</dt><dd>Green Public Procurement</dd>
    <dt>LCC</dt><dd>levenscycluskost</dd></dl><p>Na de lijst.</p><pre>regel 1
regel 2</pre></main>"""
    assert section(extract(html), "Begrippen") == (
        "GPP\nGreen Public Procurement\nLCC\nlevenscycluskost\n\nNa de lijst.\n\nregel 1\nregel 2"
    )


def test_long_lists_of_bare_links_are_navigation_not_content():
    """Guards against the link bomb's second cost: a calendar or ?page= listing of thousands of links
    was stored and embedded line by line (2.7 GB of chunks at 300 pages). A fiche's short list of
    linked labels is content and stays."""
    calendar = "".join(f'<li><a href="/agenda?dag={d}">2026-01-{d:02d}</a></li>' for d in range(1, 400))
    listing = " ".join(f'<a href="/nieuws?page={p}">{p}</a>' for p in range(1, 200))
    labels = "".join(f'<li><a href="/labels/{n}">{n}</a></li>' for n in ("EU Ecolabel", "Nordic Swan", "Blauer Engel"))
    document = extract(
        f"<html><head><title>Agenda</title></head><body><main><h1>Agenda</h1>"
        f"<p>De gids organiseert elk jaar infosessies over duurzame aankopen.</p><ul>{calendar}</ul>"
        f"<div>{listing}</div><p>Deze labels zijn aanvaard:</p><ul>{labels}</ul></main></body></html>"
    )
    text = " ".join(s.text for s in document.sections)
    assert "infosessies" in text and "Nordic Swan" in text
    assert "2026-01-05" not in text and "page=" not in text and " 150 " not in f" {text} "


def test_a_paragraph_under_thousands_of_nested_divs_is_kept():
    """Guards against a 5 MB page of nested <div>s losing its one paragraph without a word: libxml2
    drops what lies deeper than 2,048 elements, so such a page is read again without the wrappers."""
    depth = 100_000
    html = f"<html><body><main>{'<div>' * depth}<p>De enige alinea over groene stroom.</p>{'</div>' * depth}</main>"
    document = extract(html + "</body></html>")
    assert "De enige alinea over groene stroom." in " ".join(s.text for s in document.sections)
