"""Offline language detection."""

from __future__ import annotations

from pipeline.extract import detect_language


def test_detects_common_wire_languages() -> None:
    assert (
        detect_language("The Syrian army recaptured the neighbourhood of Sakhour on Sunday.")
        == "en"
    )
    assert (
        detect_language("Le gouvernement a annoncé hier une nouvelle loi sur les frontières.")
        == "fr"
    )
    assert (
        detect_language("La policía detuvo ayer a diez manifestantes en el centro de Madrid.")
        == "es"
    )
    assert (
        detect_language("Die Regierung hat gestern ein neues Gesetz zur Einwanderung beschlossen.")
        == "de"
    )
    assert detect_language("الجيش السوري يستعيد السيطرة على حي الصاخور في حلب") == "ar"


def test_short_or_empty_text_is_unknown() -> None:
    assert detect_language("") is None
    assert detect_language("ok then") is None
    assert detect_language("12345 67890 !!!") is None


def test_local_names_do_not_make_an_english_report_foreign() -> None:
    # the language is that of the words between the names, not of the villages and clans named
    assert (
        detect_language(
            "On 3 May, Galmudug militia fought Warsheekh fighters near Ceel Garas village "
            "(Dhuusamarreeb, Galgaduud)."
        )
        == "en"
    )
    assert detect_language("Ciidamada dowladda ayaa weeraray saldhig ku yaal Jowhar.") == "so"
    assert detect_language("Die Soldaten haben gestern das Dorf Ceel Garas verlassen.") == "de"
