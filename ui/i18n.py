"""The interface's own words in Dutch, French and English.

The interface language is what the buttons and headings speak; the answer's language follows the
question (bot/prompts.py). A Dutch-speaking trainer can run a French interface and still get Dutch
answers to Dutch questions.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "TEXTS", "language_from_locale", "t", "when"]

LANGUAGES = ("nl", "fr", "en")
LANGUAGE_LABELS = {"nl": "NL", "fr": "FR", "en": "EN"}
DEFAULT = "en"

TEXTS: dict[str, dict[str, str]] = {
    "tagline": {
        "nl": "Vraag het de Gids voor Duurzame Aankopen: elk antwoord met zijn bronnen.",
        "fr": "Interrogez le Guide des achats durables : chaque réponse avec ses sources.",
        "en": "Ask the Belgian Guide to Sustainable Procurement: every answer with its sources.",
    },
    "interface_language": {"nl": "Taal van de interface", "fr": "Langue de l'interface", "en": "Interface language"},
    "placeholder": {
        "nl": "Vraag iets over duurzaam aankopen…",
        "fr": "Une question sur les achats durables ?",
        "en": "Ask about sustainable procurement…",
    },
    "chat": {"nl": "Vragen", "fr": "Questions", "en": "Ask"},
    "too_long": {
        "nl": "Deze vraag is {length} tekens lang; stel ze korter, in hoogstens {limit} tekens.",
        "fr": "Cette question compte {length} caractères ; posez-la en {limit} caractères au plus.",
        "en": "This question is {length} characters long; please ask it in at most {limit} characters.",
    },
    "status": {"nl": "Status", "fr": "État", "en": "Status"},
    "sources": {"nl": "Bronnen", "fr": "Sources", "en": "Sources"},
    "closest_pages": {
        "nl": "Pagina's die het dichtst in de buurt komen",
        "fr": "Pages les plus proches",
        "en": "Closest pages",
    },
    "not_found_title": {"nl": "Niet in de gids", "fr": "Pas dans le guide", "en": "Not in the guide"},
    "open_page": {"nl": "Pagina openen", "fr": "Ouvrir la page", "en": "Open the page"},
    "open_pdf_page": {
        "nl": "PDF openen op p. {page}",
        "fr": "Ouvrir le PDF à la p. {page}",
        "en": "Open the PDF at p. {page}",
    },
    "local_file": {"nl": "bestand", "fr": "fichier", "en": "file"},
    "page_short": {"nl": "p.", "fr": "p.", "en": "p."},
    "updated": {"nl": "bijgewerkt", "fr": "mis à jour", "en": "updated"},
    "indexed": {"nl": "geïndexeerd", "fr": "indexé", "en": "indexed"},
    "copy": {"nl": "Kopiëren", "fr": "Copier", "en": "Copy"},
    "copy_help": {
        "nl": "Het kopieerpictogram rechtsboven zet het antwoord met bronnen op het klembord.",
        "fr": "L'icône de copie en haut à droite place la réponse et ses sources dans le presse-papiers.",
        "en": "The copy icon at the top right puts the answer and its sources on the clipboard.",
    },
    "follow_ups": {"nl": "Vervolgvragen", "fr": "Questions de suivi", "en": "Follow-up questions"},
    "starters": {"nl": "Om te beginnen", "fr": "Pour commencer", "en": "To get started"},
    "theme_products": {"nl": "Productgroepen", "fr": "Groupes de produits", "en": "Product groups"},
    "theme_legal": {
        "nl": "Juridisch en beleidskader",
        "fr": "Cadre juridique et politique",
        "en": "Legal and policy background",
    },
    "theme_labels": {"nl": "Labels", "fr": "Labels", "en": "Labels"},
    "theme_other": {"nl": "Meer uit de gids", "fr": "Autres thèmes du guide", "en": "More from the guide"},
    "ask_about": {
        "nl": "Wat zegt de gids over ‘{topic}’?",
        "fr": "Que dit le guide sur « {topic} » ?",
        "en": "What does the guide say about “{topic}”?",
    },
    "workshop": {"nl": "Workshopmodus", "fr": "Mode atelier", "en": "Workshop mode"},
    "workshop_help": {
        "nl": "Grote letters voor een projector; de zijbalk gaat dicht. Ook via ?workshop=true in de URL.",
        "fr": "Grands caractères pour un projecteur ; la barre latérale se ferme. Aussi via ?workshop=true.",
        "en": "Large type for a projector; the sidebar folds away. Also via ?workshop=true in the URL.",
    },
    "start_over": {"nl": "Opnieuw beginnen", "fr": "Recommencer", "en": "Start over"},
    "export_md": {"nl": "Gesprek (Markdown)", "fr": "Conversation (Markdown)", "en": "Conversation (Markdown)"},
    "export_html": {"nl": "Gesprek (HTML-pagina)", "fr": "Conversation (page HTML)", "en": "Conversation (HTML page)"},
    "index_line": {
        "nl": "Antwoorden uit indexversie {version} van {created}",
        "fr": "Réponses tirées de la version d'index {version} du {created}",
        "en": "Answers from index version {version} of {created}",
    },
    "pinned": {"nl": "vastgezet", "fr": "épinglée", "en": "pinned"},
    "newer": {
        "nl": "Er is een nieuwere indexversie; begin opnieuw om ze te gebruiken.",
        "fr": "Une version d'index plus récente existe ; recommencez pour l'utiliser.",
        "en": "A newer index version exists; start over to use it.",
    },
    "documents_passages": {
        "nl": "{documents} documenten · {chunks} passages",
        "fr": "{documents} documents · {chunks} passages",
        "en": "{documents} documents · {chunks} passages",
    },
    "rate": {
        "nl": "Was dit antwoord nuttig?",
        "fr": "Cette réponse était-elle utile ?",
        "en": "Was this answer useful?",
    },
    "comment": {"nl": "Opmerking", "fr": "Commentaire", "en": "Comment"},
    "comment_label": {
        "nl": "Uw opmerking (optioneel)",
        "fr": "Votre commentaire (facultatif)",
        "en": "Your comment (optional)",
    },
    "send": {"nl": "Versturen", "fr": "Envoyer", "en": "Send"},
    "thanks": {
        "nl": "Bedankt, uw feedback is bewaard.",
        "fr": "Merci, votre avis est enregistré.",
        "en": "Thank you, your feedback is saved.",
    },
    "feedback_failed": {
        "nl": "De feedback kon niet worden bewaard.",
        "fr": "L'avis n'a pas pu être enregistré.",
        "en": "The feedback could not be saved.",
    },
    "earlier": {"nl": "Eerdere vragen ({n})", "fr": "Questions précédentes ({n})", "en": "Earlier questions ({n})"},
    "you": {"nl": "U", "fr": "Vous", "en": "You"},
    "no_index_hint": {
        "nl": "Start de app met `gidsbot serve`, die de index opbouwt uit het meegeleverde corpus.",
        "fr": "Lancez l'app avec `gidsbot serve`, qui construit l'index à partir du corpus fourni.",
        "en": "Start the app with `gidsbot serve`, which builds the index from the bundled corpus.",
    },
    "version_gone": {
        "nl": "De indexversie van dit gesprek bestaat niet meer; de huidige versie antwoordt nu.",
        "fr": "La version d'index de cette conversation n'existe plus ; la version actuelle répond désormais.",
        "en": "This conversation's index version is gone; the current version answers from now on.",
    },
    "version_damaged": {
        "nl": "De huidige indexversie is beschadigd; versie {version} antwoordt tot een beheerder het herstelt.",
        "fr": "La version d'index actuelle est endommagée ; la version {version} répond jusqu'à ce qu'un "
        "gestionnaire la répare.",
        "en": "The current index version is damaged; version {version} answers until a maintainer repairs it.",
    },
    "criteria_table": {
        "nl": "Criteria om over te nemen ({n})",
        "fr": "Critères à reprendre ({n})",
        "en": "Criteria to copy ({n})",
    },
    "criteria_help": {
        "nl": "Vink de rijen aan die u wilt overnemen; zonder vinkje worden alle criteria geëxporteerd.",
        "fr": "Cochez les lignes à reprendre ; sans coche, tous les critères sont exportés.",
        "en": "Tick the rows to copy; with none ticked, every criterion is exported.",
    },
    "phase": {"nl": "Fase", "fr": "Phase", "en": "Phase"},
    "criterion": {"nl": "Criterium", "fr": "Critère", "en": "Criterion"},
    "verification": {"nl": "Verificatie", "fr": "Vérification", "en": "Verification"},
    "export_word": {"nl": "Word ({n})", "fr": "Word ({n})", "en": "Word ({n})"},
    "export_markdown": {"nl": "Markdown ({n})", "fr": "Markdown ({n})", "en": "Markdown ({n})"},
    "product_groups": {"nl": "Productgroepen", "fr": "Groupes de produits", "en": "Product groups"},
    "product_group": {"nl": "Productgroep", "fr": "Groupe de produits", "en": "Product group"},
    "fiche_date": {"nl": "Fiche van", "fr": "Fiche du", "en": "Fiche of"},
    "thinking": {"nl": "Zoeken in de gids…", "fr": "Recherche dans le guide…", "en": "Searching the guide…"},
    # The status page
    "status_title": {"nl": "Status van de index", "fr": "État de l'index", "en": "Index status"},
    "version": {"nl": "Versie", "fr": "Version", "en": "Version"},
    "created": {"nl": "Gepubliceerd", "fr": "Publiée", "en": "Published"},
    "crawled": {"nl": "Gecrawld", "fr": "Collectée", "en": "Crawled"},
    "embeddings": {"nl": "Embeddings", "fr": "Plongements", "en": "Embeddings"},
    "documents": {"nl": "Documenten", "fr": "Documents", "en": "Documents"},
    "chunks": {"nl": "Passages", "fr": "Passages", "en": "Passages"},
    "site": {"nl": "Site of map", "fr": "Site ou dossier", "en": "Site or folder"},
    "language": {"nl": "Taal", "fr": "Langue", "en": "Language"},
    "per_site": {"nl": "Per site en taal", "fr": "Par site et langue", "en": "Per site and language"},
    "last_ingest": {"nl": "Laatste ingest", "fr": "Dernière ingestion", "en": "Last ingest"},
    "no_report": {
        "nl": "Deze versie heeft geen ingestrapport.",
        "fr": "Cette version n'a pas de rapport.",
        "en": "This version has no ingest report.",
    },
    "added": {"nl": "Toegevoegd", "fr": "Ajoutés", "en": "Added"},
    "changed": {"nl": "Gewijzigd", "fr": "Modifiés", "en": "Changed"},
    "removed": {"nl": "Verwijderd", "fr": "Supprimés", "en": "Removed"},
    "unchanged": {"nl": "Ongewijzigd", "fr": "Inchangés", "en": "Unchanged"},
    "embedded": {"nl": "Opnieuw ingebed", "fr": "Ré-encodés", "en": "Re-embedded"},
    "failed": {"nl": "Mislukt", "fr": "Échecs", "en": "Failed"},
    "skipped": {"nl": "Overgeslagen", "fr": "Ignorés", "en": "Skipped"},
    "reason": {"nl": "Reden", "fr": "Raison", "en": "Reason"},
    "count": {"nl": "Aantal", "fr": "Nombre", "en": "Count"},
    "error": {"nl": "Fout", "fr": "Erreur", "en": "Error"},
    "stopped": {"nl": "Vroeg gestopt: {why}", "fr": "Arrêt anticipé : {why}", "en": "Stopped early: {why}"},
    "seconds": {"nl": "{seconds} s", "fr": "{seconds} s", "en": "{seconds} s"},
    "versions": {
        "nl": "Versies om naar terug te gaan",
        "fr": "Versions de retour arrière",
        "en": "Versions to roll back to",
    },
    "current": {"nl": "huidig", "fr": "actuelle", "en": "current"},
    "answering": {"nl": "antwoordt hier", "fr": "répond ici", "en": "answering here"},
    "rollback_hint": {
        "nl": "Terug naar een versie (of een workshop vastzetten) met:",
        "fr": "Revenir à une version (ou épingler un atelier) avec :",
        "en": "Roll back to a version (or pin one for a workshop) with:",
    },
    "feedback": {"nl": "Feedback", "fr": "Avis", "en": "Feedback"},
    "gate": {"nl": "Evaluatiepoort", "fr": "Contrôle d'évaluation", "en": "Evaluation gate"},
    "gate_passed": {
        "nl": "Versie {version} beantwoordde de {n} gouden vragen minstens zo goed als de vorige en werd gepubliceerd.",
        "fr": "La version {version} a répondu aux {n} questions de référence au moins aussi bien que la précédente "
        "et a été publiée.",
        "en": "Version {version} answered the {n} gold questions at least as well as the previous one and was "
        "published.",
    },
    "gate_refused": {
        "nl": "De laatste ingest werd niet gepubliceerd: versie {version} deed het slechter op {fell}. "
        "Versie {against} blijft antwoorden.",
        "fr": "La dernière ingestion n'a pas été publiée : la version {version} faisait moins bien sur {fell}. "
        "La version {against} continue de répondre.",
        "en": "The last ingest was not published: version {version} did worse on {fell}. Version {against} keeps "
        "answering.",
    },
    "no_gate": {
        "nl": "Geen evaluatiepoort: stel GIDSBOT_GATE in op een bestand met gouden vragen, of gebruik --gate.",
        "fr": "Pas de contrôle d'évaluation : donnez à GIDSBOT_GATE un fichier de questions de référence, ou "
        "utilisez --gate.",
        "en": "No evaluation gate: set GIDSBOT_GATE to a file of gold questions, or use --gate.",
    },
    "figure": {"nl": "Maat", "fr": "Mesure", "en": "Figure"},
    "before": {"nl": "Vorige versie", "fr": "Version précédente", "en": "Previous version"},
    "after": {"nl": "Nieuwe versie", "fr": "Nouvelle version", "en": "New version"},
    "changed_questions": {
        "nl": "Vragen die veranderden",
        "fr": "Questions qui ont changé",
        "en": "Questions that changed",
    },
    "worse": {"nl": "slechter", "fr": "moins bien", "en": "worse"},
    "better": {"nl": "beter", "fr": "mieux", "en": "better"},
    "add_to_gate": {
        "nl": "Een vraag zonder antwoord aan de poort toevoegen",
        "fr": "Ajouter une question sans réponse au contrôle",
        "en": "Add an unanswered question to the gate",
    },
    "gate_outcome": {"nl": "Wat moet de bot doen?", "fr": "Que doit faire le bot ?", "en": "What should the bot do?"},
    "gate_refuse": {
        "nl": "Weigeren: de gids behandelt dit niet",
        "fr": "Refuser : le guide ne traite pas ce point",
        "en": "Refuse: the guide does not cover it",
    },
    "gate_answer": {
        "nl": "Antwoorden uit deze bron",
        "fr": "Répondre à partir de cette source",
        "en": "Answer from this source",
    },
    "gate_fact": {
        "nl": "Woorden die in het antwoord moeten staan (optioneel)",
        "fr": "Mots que la réponse doit contenir (facultatif)",
        "en": "Words the answer must hold (optional)",
    },
    "add": {"nl": "Toevoegen", "fr": "Ajouter", "en": "Add"},
    "gate_added": {"nl": "Toegevoegd aan {path}.", "fr": "Ajoutée à {path}.", "en": "Added to {path}."},
    "gate_known": {
        "nl": "Deze vraag staat al in {path}.",
        "fr": "Cette question figure déjà dans {path}.",
        "en": "This question is in {path} already.",
    },
    "unanswered": {"nl": "Vragen zonder antwoord", "fr": "Questions sans réponse", "en": "Unanswered questions"},
    "unanswered_help": {
        "nl": "Waar de gids aankopers zonder antwoord laat: precies wat de redactie moet weten.",
        "fr": "Là où le guide laisse les acheteurs sans réponse : ce que la rédaction doit savoir.",
        "en": "Where the guide leaves buyers without an answer: what its editors need to know.",
    },
    "none_yet": {"nl": "Nog niets.", "fr": "Rien pour l'instant.", "en": "Nothing yet."},
    "download_csv": {"nl": "CSV downloaden", "fr": "Télécharger en CSV", "en": "Download CSV"},
    "times": {"nl": "Keer", "fr": "Fois", "en": "Times"},
    "last_asked": {"nl": "Laatst gesteld", "fr": "Dernière fois", "en": "Last asked"},
    "question": {"nl": "Vraag", "fr": "Question", "en": "Question"},
    "answer": {"nl": "Antwoord", "fr": "Réponse", "en": "Answer"},
    "rating": {"nl": "Oordeel", "fr": "Avis", "en": "Rating"},
    "when": {"nl": "Wanneer", "fr": "Quand", "en": "When"},
    "feedback_store": {
        "nl": "Feedback bewaard in: {path}",
        "fr": "Avis enregistrés dans : {path}",
        "en": "Feedback stored in: {path}",
    },
    # The exported conversation
    "export_title": {"nl": "Gesprek met gidsbot", "fr": "Conversation avec gidsbot", "en": "Conversation with gidsbot"},
    "exported": {
        "nl": "Geëxporteerd op {when}, indexversie {version}.",
        "fr": "Exportée le {when}, version d'index {version}.",
        "en": "Exported on {when}, index version {version}.",
    },
}


def when(iso: str) -> str:
    """An ISO 8601 time as people read it: "2026-11-24T03:19:22Z" becomes "2026-11-24 03:19 UTC"."""
    if len(iso) >= 16 and iso[10] == "T":
        return f"{iso[:10]} {iso[11:16]}" + (" UTC" if iso.endswith("Z") else "")
    return iso


def t(key: str, lang: str, **values: object) -> str:
    texts = TEXTS[key]
    text = texts.get(lang) or texts[DEFAULT]
    return text.format(**values) if values else text


def language_from_locale(locale: str | None, default: str = DEFAULT) -> str:
    """nl, fr or en from a browser locale such as "fr-BE"; other languages get ``default``."""
    code = (locale or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else default
