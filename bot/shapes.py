"""What a unit's text shows: a date, a figure, a frequency, an identifier, a contact, a name, a pointer
elsewhere. The choice of units (bot/select.py) weighs these shapes against the kind of answer a question
wants, and the decision (bot/decide.py) asks whether a quoted unit holds the date or figure asked for.
"""

from __future__ import annotations

import re

from gidsbot.text import MONTH

# month names (and their short forms) in Dutch, French and English
_MONTH = rf"(?:{MONTH})\b"  # a whole month name: "marchés 2021" is no date
DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:er)?\s+{_MONTH}\.?\s+\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|{_MONTH}\s+(?:19|20)\d{{2}}"
    r"|(?:in|en|op|le|on|since|sinds|depuis|vanaf|tot|from|until|jusqu'en)\s+(?:19|20)\d{2})\b"
    # a day of a month with no year: a yearly deadline ("vóór 31 maart", "au plus tard le 1er mars", "by March 31")
    rf"|\b\d{{1,2}}(?:er|e|ste|de|st|nd|rd|th)?\s+{_MONTH}|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*(?:\d|%))",
    re.IGNORECASE,
)
NUMBER = re.compile(
    r"\d|\b(?:twee|drie|vier|vijf|zes|zeven|acht|negen|elf|twaalf|miljoen|tal|dozens?|deux|trois|quatre|cinq|six"
    r"|sept|huit|neuf|dix|onze|douze|vingt|trente|quarante|cinquante|soixante|cent|mille|milliers?|million|two"
    r"|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|sixty|hundreds?|thousands?"
    # so many, or about so many: "een veertigtal", "une quarantaine", "dozens of"
    r"|(?:tien|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend)(?:tal)?"
    r"|(?:dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|centaine)s?)\b",
    re.I,
)
# how often something happens, in words: the answer to "hoe vaak / à quelle fréquence / how often"
FREQUENCY = re.compile(
    r"\b(?:(?:half|twee|drie)?jaarlijkse?|driemaandelijkse?|maandelijkse?|wekelijkse?|dagelijkse?"
    r"|(?:elk|ieder)e? (?:jaar|kwartaal|semester|maand|week|dag)|per (?:jaar|kwartaal|semester|maand|week|dag)"
    r"|annuel(?:le)?s?|annuellement|semestriel(?:le)?s?|trimestriel(?:le)?s?|mensuel(?:le)?s?|hebdomadaires?"
    r"|quotidien(?:ne)?s?|chaque (?:année|an|semestre|trimestre|mois|semaine|jour)"
    r"|tous les (?:\w+ )?(?:ans|mois|trimestres|semaines|jours)|par (?:an|année|semestre|trimestre|mois|semaine|jour)"
    r"|om de (?:\w+ )?(?:jaar|maanden|weken|dagen)|annually|yearly|quarterly|monthly|weekly|daily"
    r"|every (?:year|quarter|month|week|day)|every \w+ (?:years|months|weeks|days)"
    r"|per (?:year|quarter|month|week|day)|(?:once|twice) a (?:year|month|week|day))\b",
    re.I,
)
_FIGURE = re.compile(r"\d[\d.,/-]*\d|\d")
_DEFINES = re.compile(r"\b(?:is een|zijn|betekent|verwijst naar|est une?|désigne|signifie|is an?|means|refers to)\b")
_ORGANISATION = re.compile(
    r"(?-i:\b[A-Z]{2,}\b)|\b(?:dienst|agentschap|instituut|commissie|werkgroep|federale|service|institut|commission"
    r"|groupe de travail|agency|institute|committee|working group|helpdesk)\b",
    re.I,
)
# an identifier a "which standard / regulation / article" question asks for: EN 12281, ISO 14001,
# 2012/27/EU, 995/2010, article 52, CPV 30213100-6
_CODE = re.compile(r"\b(?:[A-Z]{2,}[ -]?\d[\d.:-]*|\d{2,4}/\d{1,4}(?:/\w+)?|(?:art(?:ikel|icle)?\.?|§)\s*\d+\w*)", re.I)
# the kinds of answer a unit can be seen to hold or lack: each has a feature of the same name (_fit)
SEEN_KINDS = ("date", "number", "code", "contact", "money")
# a sentence that sends the reader elsewhere: "Raadpleeg ook de fiche Printers.", "Voir la fiche Papier."
_POINTER = re.compile(
    r"^(?:zie|raadpleeg|lees|voir|voyez|consultez|lisez|see|read|consult|refer to)\b|[:;(]\s*(?:zie|voir|see)\b"
    r"|\b(?:zie|raadpleeg) (?:ook )?(?:de|het) (?:fiche|pagina|rubriek)\b"
    r"|\b(?:voir|voyez|consultez) (?:aussi )?la (?:fiche|page)\b|\bsee (?:also )?the (?:sheet|page|fact ?sheet)\b",
    re.I,
)
# a number that names a part of a document ("tabel 2", "annexe 3", "article 15", "punt 4"), or "both": no figure
_REFERENCE = re.compile(
    r"\b(?:tabel|tableau|table|figuur|figure|bijlage|annexe|annex|hoofdstuk|chapitre|chapter|punt|point|artikel"
    r"|article|art\.|paragraaf|paragraphe|section|sectie|deel|partie|part|pagina|page|blz\.|p\.)\s*\d+[a-z]?\b"
    r"|\btou(?:te)?s\s+(?:les\s+)?deux\b|\balle\s+twee\b",  # "toutes deux": both, no count
    re.I,
)
# a street address: "Hertogsstraat 4", "rue Ducale 4", a postcode and a town ("1000 Brussel")
_ADDRESS = (
    r"\b\w+(?:straat|laan|lei|plein|steenweg|kaai|dreef)\s+\d+|\b(?:rue|avenue|boulevard|place|chaussée|quai"
    r"|square)\s+(?:[\w'’-]+\s+){0,4}?\d+\b|\b\d+\s+\w+\s+(?:street|road|avenue|square)\b|\b(?!(?:19|20)\d\d)[1-9]\d{3}\s+[A-Z][a-zé]+"
)
# (a telephone number begins with + or 0: "02 501 62 30", "+32 2 501 62 30"; "2019-2024" is a period)
_CONTACT = re.compile(rf"[\w.+-]+@[\w-]+\.[\w.]+|(?:\+|\b0)\d[\d ./-]{{6,}}\d|https?://|www\.|{_ADDRESS}")
_NAME = re.compile(r"\b(?:[A-Z][\w+&-]*[A-Z+]|[A-Z][a-zà-ÿ]{2,})[\w+&-]*")
# a section of links to other pages is where to read on, never an answer: "Gerelateerde pagina's",
# "Voir aussi", "Related pages" (its list names pages, often by a date: "Koninklijk besluit van 13 juli 2014")
_SEE_ALSO = re.compile(
    r"(?:gerelateerde? (?:pagina's|links|informatie|artikels?)|zie ook|lees ook|meer (?:info|informatie|lezen)"
    r"|nuttige links|interessante links|pages? (?:liées|associées|connexes)|voir aussi|à lire aussi|lire aussi"
    r"|liens utiles|related (?:pages|links|content|articles)|see also|read more|further reading|useful links)\s*:?$",
    re.I,
)
_WHERE = re.compile(r"https?://|www\.|\.be\b|\b(?:website|site|webpagina|page web|platform|plateforme)\b", re.I)
_STREET = re.compile(_ADDRESS)
