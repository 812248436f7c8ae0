"""French normalisation: folding, stemming, stop words, business concepts."""

from __future__ import annotations

from meute.engine.text import analyze, concepts, fold, stem, stems, strip_audience, words


def test_fold_drops_case_accents_and_ligatures():
    assert fold("Œuvre Électrique À Tours") == "oeuvre electrique a tours"


def test_word_forms_share_a_stem():
    assert stem("comptable") == stem("comptabilité") == stem("comptables")
    assert stem("sites") == stem("site")
    assert stem("architectes") == stem("architecte")


def test_stop_words_and_elisions_are_dropped():
    assert stems("Je cherche l'expert-comptable de l'entreprise") == ["expert", "comptabl", "entrepris"]


def test_words_keep_their_surface_form_for_reasons():
    assert words("Les Plombiers") == [(stem("plombiers"), "plombiers")]


def test_site_web_and_site_internet_and_creation_de_sites_are_one_concept():
    assert concepts("un site web") == ["web"]
    assert concepts("un site internet") == ["web"]
    assert concepts("Création de sites internet") == ["web"]


def test_comptable_and_comptabilite_are_one_concept():
    assert concepts("un comptable") == concepts("tenue de la comptabilité") == ["compta"]


def test_e_commerce_is_web_not_a_shop():
    assert set(concepts("boutiques e-commerce")) == {"web", "commerce"}
    assert "commerce" not in concepts("sites e-commerce")


def test_communication_is_not_something_in_common():
    assert "communication" not in concepts("des chantiers communs")
    assert concepts("agence de communication") == ["communication"]


def test_an_agency_is_not_a_fitting():
    assert "decoration" not in concepts("une agence web")
    assert concepts("agencement sur mesure") == ["decoration"]


def test_an_offer_loses_its_audience():
    assert concepts(strip_audience("Bilans et paie pour les artisans et commerçants.")) == ["compta"]


def test_analyze_gives_stems_bigrams_and_weighted_concepts():
    feats = analyze("site internet")
    assert "sit" in feats and "sit_internet" in feats
    assert feats.count("#web") == 2
