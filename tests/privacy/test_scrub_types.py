"""Each PII type is found and replaced, in each language, and look-alikes stay."""

from __future__ import annotations

import pytest

from consult.privacy.scrub import PII_TYPES, Scrubbed, Span, scrub_pii

# (lang, text, [(type, value), ...]): every value must be fully covered by a span of that
# type, replaced by its placeholder, and gone from the scrubbed text.
FOUND = [
    # PERSON
    ("en", "My name is Halimatou Diop and I chair the widows' forum.", [("PERSON", "Halimatou Diop")]),
    ("en", "I'm Kuol Akech, a teacher in the settlement.", [("PERSON", "Kuol Akech")]),
    ("en", "My niece Adaeze was threatened after the hearing.", [("PERSON", "Adaeze")]),
    ("en", "Mrs. Folake Adeyemi lends us her compound.", [("PERSON", "Folake Adeyemi")]),
    ("en", "The officer, Patrick Ssali, refused to open a file.", [("PERSON", "Patrick Ssali")]),
    ("fr", "Je m'appelle Rokia Sangaré et j'anime une radio communautaire.", [("PERSON", "Rokia Sangaré")]),
    ("fr", "Mon mari, Aboubacar Maïga, est en prison depuis mars.", [("PERSON", "Aboubacar Maïga")]),
    ("fr", "Mme Pélagie Nzeyimana nous prête sa cour.", [("PERSON", "Pélagie Nzeyimana")]),
    ("es", "Me llamo Rosalba Tique y soy vocera de la mesa de víctimas.", [("PERSON", "Rosalba Tique")]),
    ("es", "Mi hermana Yurani desapareció en la vereda.", [("PERSON", "Yurani")]),
    ("es", "La señora Dominga Ipia nos guarda los documentos.", [("PERSON", "Dominga Ipia")]),
    ("pt", "Meu nome é Josilene Tembé e moro na aldeia.", [("PERSON", "Josilene Tembé")]),
    ("pt", "A minha filha Ermelinda foi levada pelos insurgentes.", [("PERSON", "Ermelinda")]),
    ("ar", "اسمي سلمى العبيدي وأعمل مع النساء في المخيم.", [("PERSON", "سلمى العبيدي")]),
    ("ar", "السيدة هدى الفارس تستقبل الناجيات في بيتها.", [("PERSON", "هدى الفارس")]),
    ("sw", "Jina langu ni Mwanaidi Salim na ninafanya kazi na wajane.", [("PERSON", "Mwanaidi Salim")]),
    ("sw", "Dada yangu Nasimiyu alipigwa na polisi.", [("PERSON", "Nasimiyu")]),
    ("sw", "Bi. Rukia Omari anatupa chumba cha mikutano.", [("PERSON", "Rukia Omari")]),
    # EMAIL
    ("en", "Write to me at kuol.akech77@protonmail.com please.", [("EMAIL", "kuol.akech77@protonmail.com")]),
    ("en", "my address is halima dot diop at gmail dot com", [("EMAIL", "halima dot diop at gmail dot com")]),
    ("fr", "Mon adresse : rokia point s arobase yahoo point fr", [("EMAIL", "rokia point s arobase yahoo point fr")]),
    ("es", "Escríbanme a rosalba.t arroba hotmail punto com", [("EMAIL", "rosalba.t arroba hotmail punto com")]),
    ("pt", "E-mail: josi_tembe@bol.com.br.", [("EMAIL", "josi_tembe@bol.com.br")]),
    ("ar", "بريدي هو salma.obeidi@outlook.com للتواصل.", [("EMAIL", "salma.obeidi@outlook.com")]),
    ("sw", "Barua pepe yangu ni mwanaidi.s [at] gmail [dot] com", [("EMAIL", "mwanaidi.s [at] gmail [dot] com")]),
    # PHONE
    ("en", "Call me on +256 772 418 903 after dark.", [("PHONE", "+256 772 418 903")]),
    ("en", "My cell is (613) 555-0192.", [("PHONE", "(613) 555-0192")]),
    ("fr", "Joignez-moi au +223 76 41 28 90 sur WhatsApp.", [("PHONE", "+223 76 41 28 90")]),
    ("fr", "Mon numéro : 06 71 22 48 19.", [("PHONE", "06 71 22 48 19")]),
    ("es", "Mi celular es 311 482 9071 y tiene Signal.", [("PHONE", "311 482 9071")]),
    ("pt", "Liguem para (21) 98841-2210 à noite.", [("PHONE", "(21) 98841-2210")]),
    ("ar", "رقمي ٠٧٩٥٤١٢٣٨٧ على واتساب.", [("PHONE", "٠٧٩٥٤١٢٣٨٧")]),
    ("ar", "هاتفي +963 944 218 307 لكنه مراقب.", [("PHONE", "+963 944 218 307")]),
    ("sw", "Nipigie kwa 0754 318 226 jioni.", [("PHONE", "0754 318 226")]),
    # URL
    ("en", "My blog is https://kuolwrites.wordpress.com/about.", [("URL", "https://kuolwrites.wordpress.com/about")]),
    ("fr", "Ma page : facebook.com/rokia.sangare.radio", [("URL", "facebook.com/rokia.sangare.radio")]),
    ("es", "Vean mi canal www.youtube.com/@rosalbatique", [("URL", "www.youtube.com/@rosalbatique")]),
    ("pt", "Meu portfólio: josilene-tembe.blogspot.com", [("URL", "josilene-tembe.blogspot.com")]),
    ("sw", "Tovuti yangu ni http://sautiyamwanaidi.org/habari", [("URL", "http://sautiyamwanaidi.org/habari")]),
    # IP
    ("en", "The attacker came from 196.201.44.17 twice.", [("IP", "196.201.44.17")]),
    ("fr", "Connexion depuis 2c0f:f248:104:3a::9 détectée.", [("IP", "2c0f:f248:104:3a::9")]),
    ("ar", "الدخول تم من العنوان 41.33.108.250 ليلاً.", [("IP", "41.33.108.250")]),
    # HANDLE
    ("en", "I'm @kuol_speaks on X and on Instagram.", [("HANDLE", "@kuol_speaks")]),
    ("es", "Síganme en TikTok: @rosalba.tique", [("HANDLE", "@rosalba.tique")]),
    ("sw", "Kwenye Instagram mimi ni @mwanaidi_haki.", [("HANDLE", "@mwanaidi_haki")]),
    # ID_NUMBER
    ("en", "My passport number is B4471928 and it expired.", [("ID_NUMBER", "B4471928")]),
    ("en", "My NIN is 48210937165, please keep it private.", [("ID_NUMBER", "48210937165")]),
    ("fr", "Ma CNIB n° B11472390 a été saisie.", [("ID_NUMBER", "B11472390")]),
    ("es", "Mi cédula es 1.087.422.913 y la tiene el grupo armado.", [("ID_NUMBER", "1.087.422.913")]),
    ("pt", "Meu CPF é 529.982.247-25 e vazou.", [("ID_NUMBER", "529.982.247-25")]),
    ("ar", "رقمي الوطني 29801152304517 مطلوب في الاستمارة.", [("ID_NUMBER", "29801152304517")]),
    ("sw", "Namba ya kitambulisho changu ni 27481903.", [("ID_NUMBER", "27481903")]),
    # DATE_OF_BIRTH and ages
    ("en", "I was born on 2 August 1979 in Wau.", [("DATE_OF_BIRTH", "2 August 1979")]),
    ("en", "I am 44 years old and a grandmother.", [("DATE_OF_BIRTH", "44 years old")]),
    ("fr", "Je suis née le 17 juin 1988 à Mopti.", [("DATE_OF_BIRTH", "17 juin 1988")]),
    ("fr", "J'ai 29 ans et je préside le comité.", [("DATE_OF_BIRTH", "29 ans")]),
    ("es", "Nací el 3 de mayo de 1975 en Tumaco.", [("DATE_OF_BIRTH", "3 de mayo de 1975")]),
    ("es", "Tengo 51 años y soy partera.", [("DATE_OF_BIRTH", "51 años")]),
    ("pt", "Nasci em 12/09/1991 no Pará.", [("DATE_OF_BIRTH", "12/09/1991")]),
    ("pt", "Tenho 38 anos e sou quilombola.", [("DATE_OF_BIRTH", "38 anos")]),
    ("ar", "ولدت في 4 آذار 1983 في درعا.", [("DATE_OF_BIRTH", "4 آذار 1983")]),
    ("ar", "عمري ٤٢ سنة وأعمل في الخياطة.", [("DATE_OF_BIRTH", "٤٢ سنة")]),
    ("sw", "Nilizaliwa 9 Oktoba 1990 huko Tabora.", [("DATE_OF_BIRTH", "9 Oktoba 1990")]),
    ("sw", "Nina miaka 36 na watoto watano.", [("DATE_OF_BIRTH", "miaka 36")]),
    # ADDRESS
    ("en", "We meet at 31 Lumumba Road, Block C, in the back room.", [("ADDRESS", "31 Lumumba Road, Block C")]),
    ("en", "Post to P.O. Box 7719, Juba.", [("ADDRESS", "P.O. Box 7719")]),
    (
        "en",
        "I live behind the Nakasero market, the shop with the red door.",
        [("ADDRESS", "behind the Nakasero market, the shop with the red door")],
    ),
    ("fr", "Nous sommes au 8, rue du Commerce, quartier Bozola.", [("ADDRESS", "8, rue du Commerce, quartier Bozola")]),
    ("es", "Vivo en la Carrera 7 # 45-10, barrio San Martín.", [("ADDRESS", "Carrera 7 # 45-10, barrio San Martín")]),
    ("pt", "A sede fica na Rua das Flores, 52, bairro Centro.", [("ADDRESS", "Rua das Flores, 52, bairro Centro")]),
    ("ar", "أسكن في شارع النصر، بناية رقم 7، الطابق الثاني.", [("ADDRESS", "شارع النصر، بناية رقم 7، الطابق الثاني")]),
    ("sw", "Ninaishi Mtaa wa Jamhuri, nyumba namba 14.", [("ADDRESS", "Mtaa wa Jamhuri, nyumba namba 14")]),
    # ORG_PERSONAL
    ("en", "I run Akobo Women for Peace, a group of six widows.", [("ORG_PERSONAL", "Akobo Women for Peace")]),
    (
        "fr",
        "Je suis la présidente de Femmes Solidaires de Bozola, nous sommes huit.",
        [("ORG_PERSONAL", "Femmes Solidaires de Bozola")],
    ),
    (
        "es",
        "Soy la fundadora de Tejedoras de Paz del Naya y somos doce.",
        [("ORG_PERSONAL", "Tejedoras de Paz del Naya")],
    ),
    (
        "pt",
        "Sou coordenadora da Associação Mães de Mocuba, com sete membros.",
        [("ORG_PERSONAL", "Associação Mães de Mocuba")],
    ),
    ("ar", "أنا رئيسة جمعية نساء دوما للسلام وعددنا قليل.", [("ORG_PERSONAL", "جمعية نساء دوما للسلام")]),
    ("sw", "Ninaongoza Kikundi cha Akina Mama Mbeya, tuko kumi.", [("ORG_PERSONAL", "Kikundi cha Akina Mama Mbeya")]),
    # PLATE
    ("en", "They drove a grey Land Cruiser, plate KCD 418M.", [("PLATE", "KCD 418M")]),
    ("fr", "Le pick-up immatriculé AB-417-KT nous suit.", [("PLATE", "AB-417-KT")]),
    ("es", "La camioneta de placas GTX-4412 rondaba la casa.", [("PLATE", "GTX-4412")]),
    ("pt", "O carro de placa RIO2A18 parou na porta.", [("PLATE", "RIO2A18")]),
    ("sw", "Pikipiki namba MC 412 BXT ilinifuata.", [("PLATE", "MC 412 BXT")]),
]

# Text that looks like PII and must come through untouched.
KEPT = [
    ("en", "UN Women and Global Affairs Canada funded 14 projects in 2021."),
    ("en", "Resolution 2467 (2019) and UNSCR 1325 guide our plan; see Article 4."),
    ("en", "More than 600 complaints reached the RCMP, and 5,000 USD went to transport."),
    ("en", "Call the national hotline 116, or 911, or toll-free 1-800-363-9010."),
    ("en", "The Nunavut shelter is in Iqaluit; North Kivu lost 30% of its clinics."),
    ("en", "Details are on https://www.canada.ca/en/women-gender-equality.html and www.un.org."),
    ("en", "The Maputo Protocol and the Kampala Convention were ratified in 2005 and 2010."),
    ("fr", "La CEDEAO et FemWise-Africa ont formé 45 médiatrices à Niamey en 2022."),
    ("fr", "Le budget atteint 1 500 000 FCFA, soit 12 % de plus qu'en 2020."),
    ("fr", "Appelez le 3919, ligne nationale gratuite, ou consultez www.egalite-femmes-hommes.gouv.fr."),
    ("es", "La Ley Micaela y la Ley 1257 de 2008 protegen a las mujeres."),
    ("es", "En Colombia asesinaron a más de 180 lideresas entre 2019 y 2023."),
    ("pt", "A Lei Maria da Penha completou 18 anos em 2024."),
    ("pt", "Liguem 180; o serviço atendeu 3.500 mulheres no Pará e no Amazonas."),
    ("ar", "صدر القرار 1325 عام 2000 ونسبة النساء في البرلمان 15%."),
    ("ar", "حصلنا على 25,000 دولار من الاتحاد الأوروبي لمدة سنة واحدة."),
    ("sw", "Azimio 1325 lilipitishwa mwaka 2000; piga simu 116 bure."),
    ("sw", "Tuliwafikia wasichana 450 katika kaunti ya Turkana mwaka 2023."),
    ("sw", "Sheria inaruhusu msichana kuolewa akiwa na umri wa miaka 15 kwa idhini ya wazazi."),
    ("pt", "Os centros de deslocados em Cabo Delgado não têm latrinas separadas."),
    ("fr", "La politique étrangère féministe du Canada place les femmes au centre."),
    ("en", "The road between our town and the clinic is mined."),
    ("ar", "نطالب بنسبة في التوظيف في القطاع العام للناجيات."),
    ("ar", "القاضي قال لها إن القانون لا يحميها، والمحامي يطلب أتعاباً لا أملكها."),
    ("es", "Las mujeres de 18 a 35 años representan el 60 % de las víctimas."),
]


def covered_by(result: Scrubbed, start: int, end: int, pii_type: str) -> bool:
    """True when every character of text[start:end] is inside a span of `pii_type`."""
    return all(any(s.start <= i < s.end and s.type == pii_type for s in result.spans) for i in range(start, end))


@pytest.mark.parametrize(("lang", "text", "expected"), FOUND, ids=lambda x: str(x)[:30])
def test_pii_is_replaced_by_a_typed_placeholder(lang, text, expected):
    result = scrub_pii(text, lang)
    for pii_type, value in expected:
        start = text.index(value)
        assert covered_by(result, start, start + len(value), pii_type), (result.spans, value)
        assert value not in result.text
        assert f"[{pii_type}]" in result.text


@pytest.mark.parametrize(("lang", "text", "expected"), FOUND[::4], ids=lambda x: str(x)[:30])
def test_pii_is_found_when_the_language_is_unknown(lang, text, expected):
    result = scrub_pii(text)
    for _pii_type, value in expected:
        assert value not in result.text


@pytest.mark.parametrize(("lang", "text"), KEPT, ids=lambda x: str(x)[:30])
def test_look_alikes_stay(lang, text):
    result = scrub_pii(text, lang)
    assert result.spans == []
    assert result.text == text


def test_spans_index_the_original_text_and_the_rest_is_kept_exactly():
    text = "Moi, c'est Awa Konaté ; écrivez à awa.k@riseup.net (merci !)."
    result = scrub_pii(text, "fr")
    assert [text[s.start : s.end] for s in result.spans] == ["Awa Konaté", "awa.k@riseup.net"]
    assert result.text == "Moi, c'est [PERSON] ; écrivez à [EMAIL] (merci !)."
    assert all(isinstance(s, Span) for s in result.spans)


def test_types_are_the_contract_strings():
    assert set(PII_TYPES) == {
        "PERSON",
        "EMAIL",
        "PHONE",
        "ADDRESS",
        "ID_NUMBER",
        "HANDLE",
        "URL",
        "IP",
        "DATE_OF_BIRTH",
        "ORG_PERSONAL",
        "PLATE",
    }


def test_a_language_tag_or_an_unknown_language_still_scrubs():
    text = "Je m'appelle Rokia Sangaré, mon numéro est le +223 76 41 28 90."
    for lang in ("fr-CA", "FR", "de", None):
        assert "Rokia" not in scrub_pii(text, lang).text
        assert "76 41" not in scrub_pii(text, lang).text


def test_empty_text_and_text_without_pii():
    assert scrub_pii("") == Scrubbed("", [])
    assert scrub_pii("Nothing to see here.", "en").spans == []


def test_a_non_string_is_refused():
    with pytest.raises(TypeError):
        scrub_pii(None)  # type: ignore[arg-type]


def test_public_institution_urls_stay_and_personal_ones_go():
    text = "See https://www.unwomen.org/en/news and my page https://amina-voice.org/contact."
    result = scrub_pii(text, "en")
    assert "https://www.unwomen.org/en/news" in result.text
    assert "amina-voice.org" not in result.text


def test_a_toll_free_hotline_stays_but_a_personal_number_goes():
    text = "The hotline 0800 777 5000 is free; my own number is 0917 382 6610."
    result = scrub_pii(text, "en")
    assert "0800 777 5000" in result.text
    assert "0917 382 6610" not in result.text
