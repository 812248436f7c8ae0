"""What the Touraine demo is made of: its networks, trades, sectors and demo accounts.

Fictional people and companies; the networks are built from those the chamber's
own press describes. Read by :mod:`meute.demo.loader`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from meute.networks.models import AdmissionMode, Kind, MeetingFormat, Purpose, Rhythm

PASSWORD = "touraine-demo-2026"
DEMO_ACCOUNTS = [
    ("cci@meute.example", "Agent de la CCI (administration de la plateforme)"),
    ("president.p20@meute.example", "Président(e) de Puissance 20 (gère son réseau)"),
    ("membre@meute.example", "Membre d'Aceos et de Centre & Tic"),
    ("visiteur@meute.example", "Visiteur, membre d'aucun réseau"),
    ("noveco@meute.example", "Président(e) de Noveco (marchés en groupement)"),
    ("entreprise.noveco@meute.example", "Entreprise membre de Noveco (répond aux marchés)"),
]

# Trades by sector: NAF code, what they offer, what they often seek.
TRADES: dict[str, list[tuple[str, str, str, str]]] = {
    "F": [
        (
            "43.22A",
            "Plombier chauffagiste",
            "Plomberie, chauffage, pompes à chaleur",
            "Un expert-comptable, un site internet",
        ),
        (
            "43.21A",
            "Électricien",
            "Installations électriques, bornes de recharge",
            "Des chantiers de rénovation à partager",
        ),
        (
            "41.20A",
            "Constructeur de maisons",
            "Maisons individuelles clés en main",
            "Des artisans fiables pour nos chantiers",
        ),
        ("43.31Z", "Plâtrier", "Plâtrerie, isolation intérieure", "Des marchés publics en groupement"),
        ("43.32A", "Menuisier", "Menuiseries bois et PVC, agencement", "Un architecte partenaire"),
        ("43.34Z", "Peintre en bâtiment", "Peinture, vitrerie, ravalement", "Des clients professionnels"),
        (
            "43.91A",
            "Charpentier",
            "Charpente, couverture, ossature bois",
            "Des partenaires pour répondre aux appels d'offres",
        ),
        (
            "71.11Z",
            "Architecte",
            "Conception, permis de construire, maîtrise d'œuvre",
            "Des entreprises du bâtiment RGE",
        ),
    ],
    "J": [
        (
            "62.01Z",
            "Développeur",
            "Développement de logiciels et d'applications sur mesure",
            "Des PME à accompagner dans leur numérique",
        ),
        (
            "62.02A",
            "Consultant informatique",
            "Conseil en systèmes d'information, cybersécurité",
            "Des dirigeants qui modernisent leur informatique",
        ),
        ("63.11Z", "Hébergeur", "Hébergement de données en Touraine", "Des éditeurs de logiciels"),
        (
            "58.29C",
            "Éditeur de logiciels",
            "Logiciel de gestion pour artisans",
            "Des artisans testeurs, un financement",
        ),
    ],
    "M": [
        (
            "69.20Z",
            "Expert-comptable",
            "Comptabilité, fiscalité, accompagnement des créateurs",
            "Des dirigeants de TPE",
        ),
        (
            "69.10Z",
            "Avocat d'affaires",
            "Droit des sociétés, contrats commerciaux",
            "Des entreprises en croissance",
        ),
        (
            "70.22Z",
            "Consultant en stratégie",
            "Conseil en stratégie et organisation",
            "Des dirigeants qui veulent se développer",
        ),
        (
            "70.21Z",
            "Chargée de communication",
            "Communication, relations presse, réseaux sociaux",
            "Des entreprises qui veulent se faire connaître",
        ),
        (
            "73.11Z",
            "Directeur d'agence de publicité",
            "Création de sites internet, publicité, identité visuelle",
            "Des clients PME",
        ),
        ("74.10Z", "Designer", "Design graphique, décoration d'intérieur", "Des commerces à rénover"),
        (
            "71.12B",
            "Ingénieur d'études",
            "Bureau d'études techniques, thermique",
            "Des entreprises du bâtiment",
        ),
    ],
    "G": [
        (
            "47.71Z",
            "Gérante de boutique",
            "Prêt-à-porter, conseil en image",
            "Des idées pour attirer les clients en centre-ville",
        ),
        ("47.59B", "Commerçant", "Équipement de la maison, décoration", "Un site de vente en ligne"),
        (
            "47.61Z",
            "Libraire",
            "Librairie indépendante, rencontres d'auteurs",
            "Des partenariats avec les entreprises",
        ),
        (
            "47.11F",
            "Directeur d'hypermarché",
            "Grande distribution, produits locaux",
            "Des producteurs locaux",
        ),
        ("47.78C", "Franchisé", "Commerce spécialisé en franchise", "Des échanges avec d'autres enseignes"),
        (
            "45.20A",
            "Garagiste",
            "Entretien et réparation de véhicules",
            "Des flottes d'entreprise à entretenir",
        ),
    ],
    "H": [
        ("49.41A", "Transporteur", "Transport routier de marchandises", "Des chargeurs réguliers"),
        ("49.41B", "Transporteur local", "Livraisons de proximité", "Des commerces à livrer"),
        (
            "52.29A",
            "Responsable logistique",
            "Messagerie, fret express",
            "Des partenaires pour mutualiser les tournées",
        ),
        ("52.10B", "Logisticien", "Entreposage et stockage", "Des entreprises qui externalisent leur stock"),
    ],
    "I": [
        (
            "56.10A",
            "Restaurateur",
            "Restaurant traditionnel, repas d'affaires",
            "Des entreprises pour nos repas de groupe",
        ),
        ("55.10Z", "Hôtelier", "Hôtel, séminaires", "Des entreprises qui organisent des séminaires"),
    ],
    "K": [
        ("64.19Z", "Conseiller bancaire", "Financement des entreprises", "Des créateurs et repreneurs"),
        ("65.12Z", "Agent d'assurances", "Assurance des professionnels", "Des artisans et commerçants"),
    ],
    "N": [
        ("78.10Z", "Consultante RH", "Recrutement, placement", "Des PME qui recrutent"),
        (
            "81.21Z",
            "Gérant d'entreprise de nettoyage",
            "Nettoyage de locaux professionnels",
            "Des bureaux à entretenir",
        ),
    ],
    "C": [
        ("25.62B", "Dirigeant industriel", "Mécanique de précision, usinage", "Des donneurs d'ordre"),
        ("10.71C", "Boulanger", "Boulangerie-pâtisserie, traiteur", "Des commandes d'entreprises"),
        ("11.02B", "Vigneron", "Vins de Touraine, Vouvray, Chinon", "Des cavistes et restaurateurs"),
        ("18.12Z", "Imprimeur", "Impression, supports de communication", "Des agences de communication"),
    ],
    "P": [
        (
            "85.59A",
            "Formatrice",
            "Formation continue des dirigeants et des équipes",
            "Des entreprises qui forment",
        )
    ],
    "L": [
        (
            "68.31Z",
            "Agent immobilier",
            "Immobilier d'entreprise, locaux commerciaux",
            "Des entreprises qui déménagent",
        )
    ],
}

SECTOR_WEIGHTS = {"F": 18, "J": 10, "M": 16, "G": 14, "H": 8, "I": 6, "K": 5, "N": 5, "C": 10, "P": 4, "L": 4}


@dataclass
class NetworkSpec:
    slug: str
    name: str
    kind: str
    tagline: str
    description: str
    purposes: list[str]
    rhythm: str
    formats: list[str]
    commune: str  # INSEE code
    admission: str
    size: int
    sectors: list[str] = field(default_factory=list)
    cap: int | None = None
    themes: list[str] = field(default_factory=list)
    territory: str = "Indre-et-Loire"
    one_seat: bool = False
    refuses: bool = False
    charter: str = ""
    languages: list[str] = field(default_factory=lambda: ["français"])
    hours: int = 3
    founded: int = 2010
    dues: int | None = None
    waitlist: int = 0


NETWORKS = [
    NetworkSpec(
        "puissance-20",
        "Puissance 20",
        Kind.CLUB,
        "Vingt chefs d'entreprise, un dîner par mois, pour ne pas rester seul.",
        "Un club de dirigeants limité à vingt membres qui se retrouvent chaque mois pour échanger sur la "
        "conjoncture économique, mais aussi pour apprendre à se connaître.",
        [Purpose.EXCHANGE, Purpose.LEARN],
        Rhythm.MONTHLY,
        [MeetingFormat.EVENING],
        "37261",
        AdmissionMode.APPLICATION,
        20,
        cap=20,
        themes=["conjoncture", "dirigeants"],
        territory="Tours Métropole",
        hours=3,
        founded=2012,
        dues=300,
        waitlist=3,
    ),
    NetworkSpec(
        "club-one",
        "Club One",
        Kind.CLUB,
        "Un club d'amitié entre dirigeants, sans aucune sollicitation commerciale.",
        "Club One réunit des dirigeants autour de déjeuners et de visites. Sa charte refuse toute "
        "sollicitation commerciale : on y vient pour partager, pas pour vendre.",
        [Purpose.EXCHANGE, Purpose.LEARN],
        Rhythm.MONTHLY,
        [MeetingFormat.LUNCH, MeetingFormat.VISIT],
        "37261",
        AdmissionMode.COOPTATION,
        35,
        cap=40,
        refuses=True,
        themes=["partage d'expérience"],
        charter="Les membres s'engagent à ne pas se solliciter commercialement pendant et en dehors des rencontres "
        "du club. Ce qui se dit au club reste au club.",
        founded=2008,
        dues=250,
    ),
    NetworkSpec(
        "aceos",
        "Aceos",
        Kind.ASSOCIATION,
        "Rencontrer des décideurs et décrocher des contrats, en rendez-vous express.",
        "Soixante membres en Indre-et-Loire qui organisent des rendez-vous d'affaires express pour rencontrer "
        "directement les décideurs et développer un volet commercial souvent délaissé faute de temps.",
        [Purpose.BUSINESS, Purpose.EXCHANGE],
        Rhythm.MONTHLY,
        [MeetingFormat.SPEED, MeetingFormat.BREAKFAST],
        "37122",
        AdmissionMode.APPLICATION,
        60,
        themes=["prospection", "rendez-vous d'affaires"],
        hours=4,
        founded=2009,
        dues=180,
    ),
    NetworkSpec(
        "noveco",
        "Noveco",
        Kind.CLUSTER,
        "Des petites entreprises du bâtiment qui chassent en meute.",
        "Une grappe de petites entreprises du bâtiment qui mutualisent leurs réponses aux appels d'offres et "
        "leurs achats pour décrocher des marchés qu'aucune ne pourrait prendre seule.",
        [Purpose.BUSINESS, Purpose.UPSKILL],
        Rhythm.FORTNIGHTLY,
        [MeetingFormat.BREAKFAST, MeetingFormat.WORKSHOP],
        "37233",
        AdmissionMode.APPLICATION,
        45,
        sectors=["F"],
        themes=["bâtiment", "marchés publics", "groupement", "rénovation énergétique"],
        hours=5,
        founded=2014,
    ),
    NetworkSpec(
        "france-portugal",
        "Club d'affaires France–Portugal",
        Kind.ASSOCIATION,
        "Le pont d'affaires entre la Touraine et le Portugal.",
        "Entrepreneurs franco-portugais et entreprises tournées vers le Portugal : soirées, missions et mises "
        "en relation de part et d'autre.",
        [Purpose.BUSINESS, Purpose.EXCHANGE],
        Rhythm.QUARTERLY,
        [MeetingFormat.EVENING],
        "37261",
        AdmissionMode.OPEN,
        70,
        themes=["international", "export", "Portugal"],
        languages=["français", "portugais"],
        hours=2,
        founded=2011,
        dues=120,
    ),
    NetworkSpec(
        "centre-et-tic",
        "Centre & Tic",
        Kind.COMMUNITY,
        "La communauté de l'économie numérique en région Centre.",
        "Entreprises du numérique, éditeurs, intégrateurs et agences : veille technologique, ateliers et "
        "projets communs.",
        [Purpose.WATCH, Purpose.UPSKILL, Purpose.EXCHANGE],
        Rhythm.MONTHLY,
        [MeetingFormat.WORKSHOP, MeetingFormat.EVENING],
        "37261",
        AdmissionMode.OPEN,
        140,
        sectors=["J", "M"],
        themes=["numérique", "cybersécurité", "intelligence artificielle"],
        hours=3,
        founded=2004,
        dues=150,
    ),
    NetworkSpec(
        "club-des-enseignes",
        "Club des enseignes de Touraine",
        Kind.COMMUNITY,
        "Directeurs de magasins et franchisés : le commerce en réseau.",
        "Les responsables des enseignes et commerces organisés de l'agglomération partagent leurs chiffres, "
        "leurs idées et leurs combats pour le commerce.",
        [Purpose.EXCHANGE, Purpose.WATCH],
        Rhythm.QUARTERLY,
        [MeetingFormat.BREAKFAST, MeetingFormat.VISIT],
        "37050",
        AdmissionMode.OPEN,
        55,
        sectors=["G"],
        themes=["commerce", "centre-ville", "franchise"],
        hours=2,
        founded=2013,
    ),
    NetworkSpec(
        "directeurs-commerciaux",
        "Club des directeurs commerciaux",
        Kind.CLUB,
        "Les directeurs commerciaux de Touraine se forment et s'entraident.",
        "Ateliers de pratiques commerciales, témoignages et entraide entre responsables des ventes.",
        [Purpose.UPSKILL, Purpose.EXCHANGE],
        Rhythm.MONTHLY,
        [MeetingFormat.WORKSHOP, MeetingFormat.BREAKFAST],
        "37214",
        AdmissionMode.APPLICATION,
        40,
        cap=50,
        themes=["vente", "management commercial"],
        hours=3,
        founded=2007,
        dues=200,
    ),
    NetworkSpec(
        "transporteurs-touraine",
        "Communauté des transporteurs de Touraine",
        Kind.COMMUNITY,
        "Transport et logistique : mutualiser, recruter, anticiper.",
        "Les entreprises de transport routier et de logistique du département échangent sur les tournées, le "
        "recrutement de conducteurs et la transition énergétique des flottes.",
        [Purpose.EXCHANGE, Purpose.WATCH, Purpose.BUSINESS],
        Rhythm.QUARTERLY,
        [MeetingFormat.BREAKFAST],
        "37233",
        AdmissionMode.OPEN,
        45,
        sectors=["H"],
        themes=["transport", "logistique", "mobilité"],
        hours=2,
        founded=2016,
    ),
    NetworkSpec(
        "soirees-cci",
        "Les Soirées réseau de la CCI",
        Kind.PROGRAMME,
        "Les soirées de networking de la CCI Touraine, ouvertes à tous.",
        "Chaque trimestre, la CCI ouvre ses portes pour une soirée de rencontres entre entrepreneurs de tous "
        "secteurs, avec rendez-vous express et conférence.",
        [Purpose.EXCHANGE, Purpose.BUSINESS, Purpose.LEARN],
        Rhythm.IRREGULAR,
        [MeetingFormat.EVENING, MeetingFormat.SPEED],
        "37261",
        AdmissionMode.OPEN,
        320,
        themes=["networking", "création d'entreprise"],
        hours=1,
        founded=2015,
    ),
    NetworkSpec(
        "affaires-en-touraine",
        "Affaires en Touraine – chapitre du Cher",
        Kind.CLUB,
        "Un petit-déjeuner par semaine, un siège par métier, des recommandations d'affaires.",
        "Chaque membre représente seul son métier et apporte des recommandations aux autres. Assiduité "
        "demandée : la force du groupe vient de sa présence.",
        [Purpose.BUSINESS],
        Rhythm.WEEKLY,
        [MeetingFormat.BREAKFAST],
        "37018",
        AdmissionMode.APPLICATION,
        30,
        cap=40,
        one_seat=True,
        themes=["recommandations", "bouche-à-oreille"],
        hours=8,
        founded=2018,
        dues=900,
    ),
    NetworkSpec(
        "dirigeantes-touraine",
        "Dirigeantes de Touraine",
        Kind.ASSOCIATION,
        "Les femmes chefs d'entreprise se soutiennent et se font connaître.",
        "Mentorat, conférences et rencontres pour les femmes qui créent, reprennent ou dirigent une entreprise.",
        [Purpose.EXCHANGE, Purpose.UPSKILL, Purpose.LEARN],
        Rhythm.MONTHLY,
        [MeetingFormat.LUNCH, MeetingFormat.WORKSHOP],
        "37261",
        AdmissionMode.OPEN,
        80,
        themes=["mentorat", "entrepreneuriat féminin"],
        hours=3,
        founded=2010,
        dues=90,
    ),
    NetworkSpec(
        "jeunes-dirigeants",
        "Dirigeants d'avenir Touraine",
        Kind.ASSOCIATION,
        "Se former entre pairs pour diriger autrement.",
        "Des dirigeants qui se forment ensemble au management, à la stratégie et à la responsabilité sociale, "
        "en petits groupes de travail.",
        [Purpose.UPSKILL, Purpose.LEARN],
        Rhythm.FORTNIGHTLY,
        [MeetingFormat.WORKSHOP],
        "37122",
        AdmissionMode.COOPTATION,
        50,
        themes=["management", "RSE", "formation"],
        hours=6,
        founded=2005,
        dues=450,
    ),
    NetworkSpec(
        "entrepreneurs-du-lochois",
        "Entrepreneurs du Lochois",
        Kind.CLUB,
        "Le club des entreprises du sud Touraine.",
        "Artisans, commerçants et industriels du Lochois se retrouvent pour faire vivre l'économie locale.",
        [Purpose.EXCHANGE, Purpose.BUSINESS],
        Rhythm.MONTHLY,
        [MeetingFormat.EVENING, MeetingFormat.VISIT],
        "37132",
        AdmissionMode.OPEN,
        45,
        territory="Sud Touraine",
        themes=["territoire", "commerce local"],
        hours=2,
        founded=2003,
        dues=60,
    ),
    NetworkSpec(
        "chinon-business-club",
        "Chinon Business Club",
        Kind.CLUB,
        "Dirigeants du Chinonais : déjeuners et visites d'entreprises.",
        "Entre vignes et centrale, les entreprises du Chinonais se rencontrent pour se connaître et travailler "
        "ensemble.",
        [Purpose.EXCHANGE, Purpose.BUSINESS],
        Rhythm.MONTHLY,
        [MeetingFormat.LUNCH, MeetingFormat.VISIT],
        "37072",
        AdmissionMode.APPLICATION,
        35,
        territory="Chinonais",
        themes=["territoire", "vin", "tourisme"],
        hours=2,
        founded=2009,
        dues=80,
    ),
]
