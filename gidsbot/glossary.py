"""Words of sustainable public procurement in Dutch, French and English, for questions across languages.

The guide's pages are in Dutch and French and buyers ask in three languages. The multilingual
word vectors pair many translations poorly ("flamand" / "Vlaamse", "vêtements" / "kledij", "GDP" /
"bnp"), and a stemmer cannot see that "leverancier" and "fournisseur" are one word. This glossary
names the domain's everyday words in the three languages, so that a question's word also searches
for (and is held by) its translations. Only single words: a French phrase matches word by word.

Each line is one concept: Dutch | French | English, forms separated by spaces. Written for this
project from general knowledge of the vocabulary; extend it when a translation is missed. The lines
below were written as questions missed their words; glossary_general.txt (next to this module, same
format, "#" starts a comment) is the domain's wider vocabulary, written at once by theme without
looking at any question.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["lines", "translations"]

_GLOSSARY = """
vlaams vlaamse vlaanderen | flamand flamande flamands flamandes flandre | flemish flanders
waals waalse wallonie | wallon wallonne wallons wallonnes wallonie | walloon wallonia
brussel brusselse | bruxelles bruxellois bruxelloise | brussels
belgisch belgische belgie | belge belges belgique | belgian belgium
federaal federale | federal federale federaux federales | federal
europees europese europa | europeen europeenne europeens europeennes europe | european europe
gewest gewesten gewestelijk gewestelijke | region regions regional regionale regionaux | region regions regional
gemeente gemeenten gemeentelijk | commune communal communaux | municipality municipalities municipal
overheid overheden | autorite autorites pouvoirs administration | authority authorities government
regering | gouvernement | government
minister ministers | ministre ministres | minister ministers
ministerraad | conseil | council
staatsblad | moniteur | gazette
omzendbrief omzendbrieven | circulaire circulaires | circular circulars
wet wetten | loi lois | law laws act
besluit besluiten | arrete arretes | decree decrees
richtlijn richtlijnen | directive directives | directive directives
verordening | reglement | regulation
aankoop aankopen aankoper aankopers | achat achats acheteur acheteurs | purchase purchases purchasing buyer buyers
aanbesteding aanbestedingen | adjudication | tender tendering
opdracht opdrachten overheidsopdracht overheidsopdrachten | marche marches | contract contracts procurement
aanbestedende | adjudicateur adjudicatrice | contracting
leverancier leveranciers | fournisseur fournisseurs | supplier suppliers
inschrijver inschrijvers | soumissionnaire soumissionnaires | tenderer tenderers bidder bidders
offerte offertes | offre offres | offer offers bid bids
bestek bestekken | cahier | specifications
selectiecriteria selectiecriterium | selection | selection
gunningscriteria gunningscriterium gunning | attribution | award
technische | techniques technique | technical
specificatie specificaties | specification specifications | specification specifications
minimumeisen minimumeis | exigences exigence minimales | requirements requirement minimum
uitvoeringsvoorwaarden uitvoeringsvoorwaarde uitvoering | execution | performance execution
clausule clausules | clause clauses | clause clauses
criterium criteria | critere criteres | criterion criteria
drempel drempels | seuil seuils | threshold thresholds
raamovereenkomst raamovereenkomsten | | framework
aankoopcentrale aankoopcentrales | centrale centrales | central purchasing
marktconsultatie marktconsultaties marktverkenning | consultation sourcing | consultation
levenscyclus levenscycluskost | cycle | lifecycle cycle
kost kosten | cout couts | cost costs
prijs prijzen | prix | price prices
bedrag bedragen | montant montants | amount amounts
waarborg borgtocht | cautionnement | deposit
garantie | garantie | warranty guarantee
duurzaam duurzame duurzaamheid | durable durables durabilite | sustainable sustainability
milieu milieuvriendelijk | environnement environnemental environnementaux | environment environmental
sociaal sociale | social sociale sociaux sociales | social
circulair circulaire | circulaire circulaires | circular
economie | economie | economy
energie energetisch energetische | energie energetique energetiques | energy
efficientie energiezuinig energiezuinige | efficacite | efficiency efficient
klimaat | climat | climate
uitstoot emissies | emissions | emissions
afval | dechets dechet | waste
recyclage gerecycleerd gerecycleerde recycleren | recyclage recycle recycles recyclee recyclees | recycling recycled
hergebruik hergebruikt hergebruiken | reutilisation reemploi reutilise | reuse reused
herstelbaarheid herstellen herstelling | reparabilite reparation reparer | repairability repair
levensduur | duree vie | lifetime lifespan
label labels keurmerk keurmerken | label labels | label labels ecolabel
bewijs bewijsmiddel bewijsmiddelen | preuve preuves | proof evidence
certificaat certificaten certificering | certificat certificats certification | certificate certificates certification
gelijkwaardig gelijkwaardige | equivalent equivalente | equivalent
verificatie | verification | verification
fase fasen fases | phase phases | phase phases
behoefteanalyse behoefte behoeften | besoins besoin | needs need
werkgroep werkgroepen | groupe | group
verslag verslagen rapport | rapport rapports | report reports
jaarverslag activiteitenverslag | rapport | report
gids | guide | guide
fiche fiches productfiche | fiche fiches | factsheet
productgroep productgroepen | groupe produits | product group
papier kopieerpapier kantoorpapier | papier | paper
drukwerk | imprimes imprime impression | printing printed
printer printers | imprimante imprimantes | printer printers
kantoorbenodigdheden kantoormateriaal schrijfwaren | fournitures | supplies stationery
computer computers laptop laptops | ordinateur ordinateurs portable portables | computer computers laptop laptops
ict | tic | ict
meubilair meubels | mobilier meubles | furniture
stoel stoelen bureaustoel bureaustoelen | chaise chaises siege sieges | chair chairs
schoonmaak schoonmaakproducten reiniging | nettoyage | cleaning
schoonmaakdiensten | nettoyage | cleaning services
catering voeding maaltijden | restauration alimentation repas | catering food meals
voedsel | nourriture aliments | food
bio biologisch biologische | biologique biologiques bio | organic
fairtrade | equitable | fairtrade
voertuig voertuigen wagen wagens auto autos | vehicule vehicules voiture voitures | vehicle vehicles car cars
bestelwagen bestelwagens | camionnette camionnettes | van vans
elektrisch elektrische | electrique electriques | electric
laadpunt laadpunten laadpaal laadpalen laadinfrastructuur | borne bornes recharge | charging charger chargers
verlichting | eclairage | lighting
openbare | public publique publics publiques | public
lamp lampen armatuur armaturen | lampe lampes luminaire luminaires | lamp lamps luminaire luminaires
elektriciteit stroom groene | electricite | electricity power
textiel kledij kleding werkkledij werkkleding | textile vetement | textile clothing clothes workwear
hout houten | bois | wood timber
bouw bouwwerken gebouw gebouwen | construction batiment batiments | construction building buildings
renovatie | renovation | renovation
isolatie | isolation | insulation
dak daken | toit toiture | roof
sloop | demolition | demolition
water | eau | water
chemische stoffen | chimiques substances | chemicals substances
gevaarlijke | dangereuses dangereux | hazardous dangerous
verpakking verpakkingen | emballage emballages | packaging
plastic kunststof | plastique | plastic
arbeidsvoorwaarden arbeidsrechten | travail | labour labor working
kinderarbeid | enfants | child
mensenrechten | droits | rights
kmo kmos | pme pmes | sme smes
beschutte maatwerkbedrijven | protege proteges adapte adaptes | sheltered
opleiding opleidingen vorming vormingen | formation formations | training trainings
stagiair stagiairs | stagiaire stagiaires | intern interns trainee trainees
werkloze werklozen | chomeurs demandeurs | unemployed
bnp | pib | gdp
btw | tva | vat
procent percent | pourcent pourcentage | percent percentage
aandeel | part proportion | share proportion
jaar jaren jaarlijks jaarlijkse | annee annees an ans annuel annuelle | year years annual yearly
maand maanden | mois | month months
dag dagen | jour jours | day days
datum | date | date
wanneer | quand | when
termijn | delai | deadline period term
vergadering vergaderingen bijeenkomst | reunion reunions | meeting meetings
deelnemers deelnemer | participants participant | participants participant
organisatie organisaties | organisation organisations organisme organismes | organisation organisations organization
bedrijf bedrijven onderneming ondernemingen | entreprise entreprises societe | company companies business
dienst diensten | service services | service services
ambtenaar ambtenaren personeel | fonctionnaire fonctionnaires personnel | civil servant staff
website site | site | website
helpdesk | helpdesk | helpdesk
telefoon telefoonnummer | telephone | phone telephone
adres | adresse | address
verplicht verplichte verplichting | obligatoire obligation | mandatory compulsory obligation
aanbevolen aanbeveling | recommande recommandation | recommended recommendation
doelstelling doelstellingen doel | objectif objectifs | objective objectives target goal
actieplan | plan | plan
ontwerp | projet | draft
goedgekeurd goedkeuring | approuve approuvee approbation | approved approval
ondertekend ondertekende ondertekening | signe signee signature | signed signature
evaluatie | evaluation | evaluation
monitoring opvolging | suivi | monitoring
januari | janvier | january
februari | fevrier | february
maart | mars | march
april | avril | april
mei | mai |
juni | juin | june
juli | juillet | july
augustus | aout | august
september | septembre | september
oktober | octobre | october
november | novembre | november
december | decembre | december
inwerkingtreding werking | vigueur | force
steekproef steekproeven | echantillon echantillons echantillonnage | sample samples sampling
controle controles controleren gecontroleerd | controle controles controler | check checks inspection control
voorbereiden voorbereiding voorbereid | preparer preparation prepare | prepare preparation prepared
gemeenschappelijk gemeenschappelijke gezamenlijk gezamenlijke | commun communs conjoint conjoints | joint common shared
voorafgaand voorafgaande | prealable prealables | prior preliminary
deelname deelnemen | participation participer | participation participate
kandidaat kandidaten | candidat candidats | candidate candidates
levering leveringen leveren geleverd geleverde | livraison livraisons livrer livrees livre | delivery deliver delivered
referentie referenties | reference references | reference references
norm normen | norme normes | standard standards
ergonomie ergonomisch ergonomische | ergonomie ergonomique ergonomiques | ergonomics ergonomic
temperatuur kleurtemperatuur | temperature | temperature
straat straten woonstraat woonstraten | rue rues | street streets
residentieel residentiele woonwijk woonwijken | residentiel residentielle residentielles | residential
beschikbaarheid beschikbaar | disponibilite disponible | availability available
beheerder beheerders | gestionnaire gestionnaires exploitant | operator manager
afstand | distance | distance
sector sectoren | secteur secteurs | sector sectors
speciale bijzondere | speciaux speciales special | special
klassieke | classiques classique | classic classical
uur uren werkuren | heure heures | hour hours
contract contracten | contrat contrats | contract contracts
bijlage bijlagen | annexe annexes | annex annexes appendix
handleiding | manuel | manual handbook
voorwaarde voorwaarden | condition conditions | condition conditions
sanctie sancties boete boetes | sanction sanctions penalite penalites amende amendes | penalty penalties sanction
opdrachtnemer opdrachtnemers | adjudicataire adjudicataires titulaire | contractor contractors
werkgelegenheid | emploi | employment jobs
onderhoud | entretien maintenance | maintenance
batterij batterijen | batterie batteries | battery batteries
scherm schermen beeldscherm beeldschermen | ecran ecrans | screen screens monitor monitors
wisselstukken onderdelen reserveonderdelen | pieces rechange | parts spare
terugname terugnemen | reprise | takeback
verbruik verbruiken | consommation consommer | consumption consume
brandstof brandstoffen | carburant carburants | fuel fuels
geluid lawaai | bruit | noise
gezondheid | sante | health
veiligheid | securite | safety security
kwaliteit | qualite | quality
innovatie innovatief innovatieve | innovation innovant innovante | innovation innovative
studie studies onderzoek | etude etudes | study studies research
bos bossen bosbeheer | foret forets | forest forests
beheer beheerd beheerde | gestion gere geres geree gerees | management managed
keten handelsketen | chaine | chain
herkomst oorsprong | origine provenance | origin
vlees | viande | meat
groenten | legumes | vegetables
seizoen seizoensgebonden | saison saisonnier saisonniers | season seasonal
eieren ei | oeufs oeuf | eggs egg
vis | poisson poissons | fish
koffie | cafe | coffee
banden | pneus pneu | tyres tires tyre
krimp | retrait | shrinkage
wassen wasbeurt wasbeurten | lavage lavages | washing wash
verf verven | peinture peintures | paint paints
vernis | vernis | varnish
isolatiemateriaal | isolant isolants | insulating
markt markten | | market markets
punt punten | point points | point points
weging gewicht | ponderation | weighting weight
gereviseerd gereviseerde | reconditionne reconditionnes reconditionnee reconditionnees | refurbished reconditioned
notulen | | minutes
""".strip()


def _folded(word: str) -> str:
    from gidsbot.text import fold

    return fold(word)


GENERAL = Path(__file__).with_name("glossary_general.txt")


def lines() -> list[str]:
    """Every concept line of both parts of the glossary."""
    general = GENERAL.read_text(encoding="utf-8").splitlines()
    return _GLOSSARY.splitlines() + [line for line in general if line.strip() and not line.lstrip().startswith("#")]


@functools.cache
def _table() -> dict[str, tuple[str, ...]]:
    """Folded word -> every word of its concept (all three languages)."""
    table: dict[str, tuple[str, ...]] = {}
    for line in lines():
        forms = tuple(dict.fromkeys(_folded(w) for column in line.split("|") for w in column.split()))
        for form in forms:
            table[form] = tuple(dict.fromkeys(table.get(form, ()) + forms))
    return table


def translations(word: str) -> tuple[str, ...]:
    """The words of ``word``'s concept in Dutch, French and English (``word`` folded); () when unknown.
    A plural or inflected form not listed is looked up by its plain form ("leveranciers", "durables")."""
    table = _table()
    for form in (
        word,
        word[:-1] if word.endswith(("s", "e", "d")) else "",
        word[:-2] if word.endswith(("en", "ed")) else "",
        word[:-3] if word.endswith("ing") else "",
    ):
        if len(form) > 2 and form in table:
            return table[form]
    return ()
