"""French text normalisation for relevance scoring.

Lower case, elisions cut (``l'agence`` -> ``agence``), stop words dropped, words
stemmed with the Snowball French stemmer (``snowballstemmer``) and accents
folded *after* stemming (the stemmer's rules expect the accents), so that
"comptable", "comptables" and "comptabilité" all give ``comptabl``.

On top of the stems, a small concept map of business vocabulary turns phrases
into concept tokens: "site web", "site internet" and "création de sites" all
give ``#web``. Concepts carry a French label for the reasons shown to people.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

__all__ = [
    "CONCEPTS",
    "STOP_WORDS",
    "Concept",
    "analyze",
    "clear_caches",
    "concept",
    "concept_mentions",
    "concepts",
    "fold",
    "stem",
    "stems",
    "strip_audience",
    "words",
]

_STEMMER = snowballstemmer.stemmer("french")

# Words too common to tell two profiles apart. Folded (no accents).
# fmt: off
STOP_WORDS = frozenset(
    ["a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "en", "et", "etre", "eux", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "meme", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y", "c", "d", "j", "l", "m", "n", "s", "t", "est", "sont", "ont", "avons", "avez", "plus", "tres", "tout", "tous", "toute", "toutes", "aussi", "afin", "chez", "comme", "dont", "sans", "sous", "vers", "entre", "deja", "encore", "ainsi", "etc", "ici", "cherche", "cherchons", "recherche", "recherchons", "besoin", "souhaite", "souhaitons", "trouver", "propose", "proposons", "offre", "offrons", "faire", "fait", "notamment", "nouveau", "nouveaux", "nouvelle", "nouvelles", "quelqu", "quelque", "bon", "bonne"]
)
# fmt: on

_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|c|m|t|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_LETTER_PREFIX = re.compile(r"\b([^\W\d_])-(?=[^\W\d_])")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents or ligatures: ``"Œuvre Électrique"`` -> ``"oeuvre electrique"``."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# Where Snowball merges words a business reader keeps apart ("communication"
# would stem to "commun", the stem of "en commun"; "agencement" to "agenc", the
# stem of "agence") or splits one word's forms ("crédit" / "crédits").
_STEM_OVERRIDES = {
    "communication": "communic",
    "communications": "communic",
    "agencement": "agencement",
    "agencements": "agencement",
    "crédits": "cred",
    "logos": "logo",
    "transmissions": "transmiss",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball French stem of one lower-case word, accents folded afterwards."""
    return _STEM_OVERRIDES.get(word) or fold(_STEMMER.stemWord(word))


def words(text: str) -> list[tuple[str, str]]:
    """The meaningful words of ``text`` as (stem, surface form) pairs, in order.

    Examples
    --------
    >>> [s for s, _ in words("L'expert-comptable de l'entreprise")]
    ['expert', 'comptabl', 'entrepris']
    """
    return list(_words(text))


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[tuple[str, str], ...]:
    # Cached: scoring reads each profile's text several times (features, concepts, reasons).
    text = _ELISION.sub(" ", text.lower().replace("œ", "oe").replace("æ", "ae"))
    # "e-commerce", "e-mail": one word, not a dropped "e" and a misleading "commerce".
    text = _LETTER_PREFIX.sub(r"\1", text)
    out = []
    for w in _WORD.findall(text):
        if _is_stop(w):
            continue
        out.append((stem(w), w))
    return tuple(out)


@lru_cache(maxsize=65536)
def _is_stop(word: str) -> bool:
    return fold(word) in STOP_WORDS or (len(word) < 2 and not word.isdigit())


def clear_caches() -> None:
    """Forget cached stems and texts (for benchmarks that must start cold)."""
    for cached in (stem, _words, _is_stop):
        cached.cache_clear()


_AUDIENCE = re.compile(
    r"\b(?:pour|auprès)\s+(?:les|des|la|le|l['’]|d['’]|de|du|nos|vos)?\s*[^.;:!?()\n]*", re.IGNORECASE
)


def strip_audience(text: str) -> str:
    """An offer without who it is for: "comptabilité pour les artisans" -> "comptabilité ".

    In an offer, "pour les artisans" names the clients, not the trade; left in, it
    would make an accountant look like an artisan to someone who seeks one. The
    audience runs to the end of the sentence, since it is often a list
    ("pour les TPE, artisans et commerçants").

    Examples
    --------
    >>> strip_audience("Bilans et paie pour les TPE, artisans et commerçants. Conseil fiscal")
    'Bilans et paie . Conseil fiscal'
    """
    return _AUDIENCE.sub("", text)


def stems(text: str) -> list[str]:
    """Stems of the meaningful words of ``text``."""
    return [s for s, _ in words(text)]


@dataclass(frozen=True)
class Concept:
    """A business need or trade: how to say it in a reason, and the phrases that name it.

    ``seek`` completes "X cherche …", ``offer`` completes "Y …".
    """

    name: str
    seek: str
    offer: str
    triggers: tuple[str, ...]


# Business vocabulary of a chamber of commerce's networks. Triggers are plain
# French; they go through the same stemming as profiles, so plurals and word
# forms need no listing. Keep phrases specific: "site" alone would also match
# "site industriel".
# fmt: off
CONCEPTS: tuple[Concept, ...] = (
    Concept("web", "un site internet", "crée des sites internet", (
        "site web", "site internet", "création de sites", "site vitrine", "e-commerce", "boutique en ligne",
        "référencement", "SEO", "développement web", "développeur web", "WordPress", "agence web",
        "présence en ligne", "webdesign", "sites multilingues", "inscription en ligne")),
    Concept("compta", "un expert-comptable", "tient des comptabilités", (
        "comptable", "expertise comptable", "bilans", "liasse fiscale", "déclarations fiscales",
        "conseil fiscal", "fiscalité", "commissaire aux comptes", "cabinet comptable")),
    Concept("juridique", "un conseil juridique", "est avocat ou juriste", (
        "avocat", "juriste", "juridique", "droit des affaires", "rédaction de contrats", "statuts",
        "contentieux", "notaire", "conformité RGPD")),
    Concept("droit_travail", "du droit du travail", "conseille en droit du travail", (
        "droit du travail", "droit social", "prud'hommes")),
    Concept("rh", "des ressources humaines", "accompagne en ressources humaines", (
        "ressources humaines", "RH", "DRH", "recrutement", "recruter", "recrutent", "embauche",
        "consultant RH", "qualité de vie au travail", "entretiens professionnels", "management")),
    Concept("formation", "de la formation", "forme les équipes", (
        "formation professionnelle", "organisme de formation", "plans de formation", "formateur",
        "formations", "Qualiopi")),
    Concept("communication", "de la communication", "fait de la communication", (
        "communication", "agence de communication", "marketing", "publicité", "publicitaires",
        "réseaux sociaux", "community management", "relations presse", "stratégie de communication")),
    Concept("graphisme", "une identité visuelle", "crée des identités visuelles", (
        "identité visuelle", "logo", "charte graphique", "graphisme", "graphiste", "mise en page",
        "illustrations", "visuels")),
    Concept("impression", "un imprimeur", "imprime", (
        "imprimeur", "imprimerie", "impression", "impressions", "flyers", "cartes de visite", "plaquettes",
        "brochures", "catalogues", "signalétique", "print", "PLV", "kakemono")),
    Concept("photo", "un photographe", "photographie et filme", (
        "photographe", "photographie", "photos", "vidéo", "vidéaste", "drone", "reportages")),
    Concept("traiteur", "un traiteur", "est traiteur", (
        "traiteur", "buffets", "cocktails", "plateaux-repas", "repas", "petits-déjeuners", "restauration")),
    Concept("evenement", "des événements ou séminaires", "accueille ou organise des événements", (
        "séminaires", "séminaire", "événements", "événementiel", "lieu de réception", "salles de réception",
        "inaugurations", "salons", "organisateurs d'événements", "salles de séminaire")),
    Concept("vin", "des vins", "produit ou vend des vins", (
        "vins", "vin", "vigneron", "caviste", "dégustations", "Vouvray", "Chinon", "domaine viticole")),
    Concept("cadeaux", "des cadeaux d'affaires", "propose des cadeaux d'affaires", (
        "cadeaux d'affaires", "coffrets cadeaux", "cadeaux de fin d'année", "objets publicitaires")),
    Concept("transport", "un transporteur", "transporte et livre", (
        "transport", "transporteur", "transporteurs", "livraison", "livrer", "messagerie", "fret",
        "logistique", "expédier", "expédition", "poids lourds", "chauffeurs")),
    Concept("demenagement", "un déménageur", "déménage les entreprises", (
        "déménagement", "déménageurs", "déménagent", "transfert de bureaux", "garde-meubles")),
    Concept("vehicules", "des véhicules", "loue des véhicules", (
        "location de véhicules", "utilitaires", "flotte", "location longue durée", "camions")),
    Concept("informatique", "un prestataire informatique", "gère des systèmes informatiques", (
        "informatique", "infogérance", "maintenance informatique", "réseaux informatiques", "serveurs",
        "sauvegardes", "sauvegarde", "parc informatique", "matériel informatique", "logiciel",
        "prestataire informatique", "postes de travail", "cloud")),
    Concept("cyber", "de la cybersécurité", "sécurise les systèmes informatiques", (
        "cybersécurité", "cyber", "tests d'intrusion", "sécuriser nos sauvegardes", "RGPD")),
    Concept("telephonie", "de la téléphonie", "installe la téléphonie", (
        "téléphonie", "standard téléphonique", "fibre optique", "forfaits mobiles", "télécom")),
    Concept("banque", "un financement", "finance les entreprises", (
        "banque", "banques", "bancaire", "financement", "financer", "prêt", "prêts", "crédit",
        "crédit-bail", "trésorerie", "affacturage", "investissement", "emprunt", "compte professionnel")),
    Concept("assurance", "une assurance", "assure les entreprises", (
        "assurance", "assurances", "assureur", "assureurs", "courtier", "courtage", "garantie décennale",
        "décennale", "responsabilité civile", "multirisque", "prévoyance", "mutuelle")),
    Concept("architecture", "un architecte", "conçoit des bâtiments", (
        "architecte", "architectes", "architecture", "maître d'œuvre", "maîtres d'œuvre", "maîtrise d'œuvre",
        "permis de construire", "promoteurs", "conception de maisons")),
    Concept("batiment", "des artisans du bâtiment", "est artisan du bâtiment", (
        "artisans du bâtiment", "artisan", "artisans", "bâtiment", "BTP", "chantier", "chantiers",
        "plombier", "plomberie", "électricien", "électriciens", "maçon", "maçonnerie", "menuiserie",
        "couvreur", "couvreurs", "couverture", "peintre en bâtiment", "gros œuvre", "constructeurs")),
    Concept("plomberie", "un plombier chauffagiste", "installe plomberie et chauffage", (
        "plombier", "plomberie", "chauffage", "chauffagiste", "sanitaire", "chaudières", "pompes à chaleur")),
    Concept("electricite", "un électricien", "fait l'électricité", (
        "électricien", "électriciens", "électricité", "installation électrique", "mise aux normes",
        "bornes de recharge", "éclairage", "domotique")),
    Concept("energie", "des économies d'énergie", "réduit les factures d'énergie", (
        "photovoltaïque", "panneaux solaires", "panneaux photovoltaïques", "audit énergétique",
        "rénovation énergétique", "facture d'énergie", "économies d'énergie")),
    Concept("decoration", "un décorateur", "décore et aménage les intérieurs", (
        "décorateur", "décoration", "aménagement intérieur", "home staging", "conseil couleurs",
        "architecture intérieure", "agencement", "finitions")),
    Concept("peinture", "un peintre", "peint et rénove les murs", (
        "peintre", "peinture", "ravalement", "revêtements")),
    Concept("immobilier", "des locaux ou de l'immobilier", "vend et loue des locaux", (
        "agence immobilière", "agences immobilières", "immobilier", "locaux commerciaux", "bureaux à louer",
        "gestion locative", "gestionnaires de bureaux", "annonces immobilières", "bail commercial")),
    Concept("nettoyage", "un prestataire de nettoyage", "nettoie les locaux", (
        "nettoyage", "entretien des locaux", "propreté", "ménage", "vitrerie")),
    Concept("espaces_verts", "un paysagiste", "entretient les espaces verts", (
        "espaces verts", "paysagiste", "paysage", "élagage", "jardin")),
    Concept("securite", "de la sécurité", "protège les locaux", (
        "alarmes", "alarme", "vidéosurveillance", "contrôle d'accès", "gardiennage")),
    Concept("traduction", "un traducteur", "traduit", (
        "traduction", "traducteur", "interprétariat", "multilingues", "anglais")),
    Concept("export", "de l'export", "travaille à l'export", ("export", "exportent", "international")),
    Concept("conseil", "du conseil aux dirigeants", "conseille les dirigeants", (
        "business plan", "stratégie d'entreprise", "accompagnement des dirigeants", "conseil en stratégie",
        "transmission", "transmissions", "reprise d'entreprise", "repreneurs", "création d'entreprise",
        "créateurs")),
    Concept("commerce", "des commerçants", "tient un commerce", (
        "commerçants", "commerce", "commerces", "boutique", "magasin", "restaurants")),
)
# fmt: on

_CONCEPT_BY_NAME = {c.name: c for c in CONCEPTS}


def concept(name: str) -> Concept:
    """The concept called ``name``."""
    return _CONCEPT_BY_NAME[name]


def _build_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First stem of each trigger -> [(stems of the trigger, concept name)], longest first."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for c in CONCEPTS:
        for trigger in c.triggers:
            key = tuple(stems(trigger))
            if key:
                index.setdefault(key[0], []).append((key, c.name))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


_INDEX = _build_index()


def concepts(text: str) -> list[str]:
    """Names of the concepts ``text`` mentions, in order of first mention, each once.

    Examples
    --------
    >>> concepts("Création de sites internet et d'une charte graphique")
    ['web', 'graphisme']
    """
    return [name for name, _ in concept_mentions(text)]


def concept_mentions(text: str) -> list[tuple[str, str]]:
    """(concept name, words of the text that named it) for each concept mentioned, once each."""
    ws = words(text)
    st = [s for s, _ in ws]
    found: dict[str, str] = {}
    i = 0
    while i < len(st):
        step = 1
        for key, name in _INDEX.get(st[i], ()):
            if tuple(st[i : i + len(key)]) == key:
                found.setdefault(name, " ".join(w for _, w in ws[i : i + len(key)]))
                step = max(step, len(key))
        i += step
    return list(found.items())


def analyze(text: str) -> list[str]:
    """Features of a text for TF-IDF: stems, stem bigrams, and concept tokens (``#web``).

    Concept tokens are counted twice: two profiles that name the same need in
    different words should weigh at least as much as two that share a word.
    """
    st = stems(text)
    feats = list(st)
    feats += [f"{a}_{b}" for a, b in itertools.pairwise(st)]
    for name in concepts(text):
        feats += [f"#{name}", f"#{name}"]
    return feats
