"""Synthetic responses for trying the analysis (`consult demo --responses N`).

Answers are drawn for the demo consultation and go through the same reading,
validation and submission service as a respondent's. The free text is assembled
from sentences the consult team wrote per NAP goal and language; a few answers
carry invented personal details, which the scrubber must remove on the way in.
The mix is deliberately uneven (many answers from Canada, few from some regions
and groups), so the analysis has under-represented voices to bring forward.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from surveys.models import Consultation

SENTENCES: dict[str, dict[str, list[str]]] = {
    "participation": {
        "en": [
            "Women are invited to the table only after the real decisions are made.",
            "Our network was never consulted during the ceasefire talks, although we organised the first local dialogues.",
            "Quotas for women in the negotiating teams would change who speaks for our communities.",
            "Grassroots women's groups need core funding, not short projects, to take part in peace processes.",
            "Local mediators are mostly women, yet the official delegations are all men.",
            "Young women leaders are ignored by the political parties that sign the agreements.",
        ],
        "fr": [
            "Les femmes sont invitées à la table seulement une fois les vraies décisions prises.",
            "Notre réseau n'a jamais été consulté lors des pourparlers de cessez-le-feu.",
            "Des quotas de femmes dans les délégations changeraient qui parle au nom de nos communautés.",
            "Les associations de femmes ont besoin d'un financement de base pour participer aux processus de paix.",
            "Les médiatrices locales sont nombreuses, mais les délégations officielles ne comptent que des hommes.",
            "Les jeunes femmes leaders sont ignorées par les partis qui signent les accords.",
        ],
        "es": [
            "A las mujeres nos invitan a la mesa solo cuando las decisiones ya están tomadas.",
            "Nuestra red nunca fue consultada durante las negociaciones del alto el fuego.",
            "Las cuotas de mujeres en los equipos negociadores cambiarían quién habla por nuestras comunidades.",
            "Las organizaciones de base de mujeres necesitan financiamiento estable para participar en la paz.",
            "Las mediadoras locales son mujeres, pero las delegaciones oficiales son solo de hombres.",
            "Los partidos que firman los acuerdos ignoran a las jóvenes lideresas.",
        ],
        "ar": [
            "تُدعى النساء إلى الطاولة فقط بعد اتخاذ القرارات الحقيقية.",
            "لم تُستشر شبكتنا أبدًا خلال محادثات وقف إطلاق النار.",
            "إن تخصيص حصص للنساء في وفود التفاوض سيغيّر من يتحدث باسم مجتمعاتنا.",
            "تحتاج المنظمات النسائية القاعدية إلى تمويل أساسي مستدام للمشاركة في عمليات السلام.",
            "معظم الوسيطات المحليات نساء، لكن الوفود الرسمية كلها من الرجال.",
            "تتجاهل الأحزاب التي توقّع الاتفاقات القياداتِ الشابةَ من النساء.",
        ],
    },
    "sgbv": {
        "en": [
            "Survivors of sexual violence wait years for a trial and most cases are dropped.",
            "Armed groups use rape to punish communities, and nobody is held accountable.",
            "We need safe shelters and free legal aid for women who report violence.",
            "Police officers often send survivors back home to their abusers.",
            "Girls are trafficked across the border and forced into marriage.",
            "Specialised courts for gender-based violence would end the impunity we see every day.",
        ],
        "fr": [
            "Les survivantes de violences sexuelles attendent des années un procès qui n'arrive jamais.",
            "Les groupes armés utilisent le viol pour punir les villages, en toute impunité.",
            "Il faut des refuges sûrs et une aide juridique gratuite pour les femmes qui portent plainte.",
            "La police renvoie souvent les victimes chez leur agresseur.",
            "Des filles sont victimes de traite et de mariages forcés de l'autre côté de la frontière.",
            "Des tribunaux spécialisés pour les violences basées sur le genre mettraient fin à l'impunité.",
        ],
        "es": [
            "Las sobrevivientes de violencia sexual esperan años un juicio que casi nunca llega.",
            "Los grupos armados usan la violación para castigar a las comunidades y nadie responde por ello.",
            "Necesitamos casas de acogida seguras y asesoría legal gratuita para las mujeres que denuncian.",
            "La policía a menudo devuelve a las víctimas a la casa de su agresor.",
            "Hay niñas víctimas de trata y de matrimonio forzado en la frontera.",
            "Los tribunales especializados en violencia de género acabarían con la impunidad.",
        ],
        "ar": [
            "تنتظر الناجيات من العنف الجنسي سنوات لمحاكمة لا تأتي غالبًا.",
            "تستخدم الجماعات المسلحة الاغتصاب لمعاقبة القرى دون أي محاسبة.",
            "نحتاج إلى دور إيواء آمنة ومساعدة قانونية مجانية للنساء اللواتي يبلّغن عن العنف.",
            "كثيرًا ما تعيد الشرطة الناجيات إلى بيوت المعتدين عليهن.",
            "تتعرض فتيات للاتجار والزواج القسري عبر الحدود.",
            "المحاكم المتخصصة في العنف القائم على النوع الاجتماعي ستنهي الإفلات من العقاب.",
        ],
    },
    "rights": {
        "en": [
            "Girls leave school early because families fear for their safety on the road.",
            "Women cannot inherit land under customary law, which leaves widows with nothing.",
            "Women human rights defenders are watched, threatened and sometimes arrested.",
            "Discriminatory family laws must be repealed before any real equality is possible.",
            "Economic independence would give women the power to refuse violence and to lead.",
            "Our right to organise and to speak publicly is shrinking every year.",
        ],
        "fr": [
            "Les filles quittent l'école tôt parce que la route n'est pas sûre.",
            "Le droit coutumier empêche les femmes d'hériter de la terre et laisse les veuves sans rien.",
            "Les défenseures des droits des femmes sont surveillées, menacées et parfois arrêtées.",
            "Les lois discriminatoires sur la famille doivent être abrogées pour une égalité réelle.",
            "L'autonomie économique donnerait aux femmes le pouvoir de refuser la violence.",
            "Notre droit de nous organiser et de nous exprimer recule chaque année.",
        ],
        "es": [
            "Las niñas dejan la escuela temprano porque el camino no es seguro.",
            "El derecho consuetudinario impide a las mujeres heredar la tierra y deja a las viudas sin nada.",
            "Las defensoras de derechos humanos son vigiladas, amenazadas y a veces detenidas.",
            "Hay que derogar las leyes de familia discriminatorias para lograr una igualdad real.",
            "La autonomía económica daría a las mujeres el poder de rechazar la violencia.",
            "Nuestro derecho a organizarnos y a hablar en público se reduce cada año.",
        ],
        "ar": [
            "تترك الفتيات المدرسة مبكرًا لأن الطريق إليها غير آمن.",
            "يحرم العرف النساء من وراثة الأرض ويترك الأرامل بلا شيء.",
            "تتعرض المدافعات عن حقوق الإنسان للمراقبة والتهديد وأحيانًا للاعتقال.",
            "يجب إلغاء قوانين الأسرة التمييزية لتحقيق مساواة حقيقية.",
            "الاستقلال الاقتصادي يمنح النساء القدرة على رفض العنف وعلى القيادة.",
            "حقنا في التنظيم والتعبير العلني يتقلص كل عام.",
        ],
    },
    "humanitarian": {
        "en": [
            "In the camps there are no private latrines and no lighting, so women are afraid at night.",
            "Displaced women give birth without a midwife because the clinic closed.",
            "Contraception and menstrual products disappear first when aid is cut.",
            "Food distributions go to male heads of household, and widows are left out.",
            "Refugee women need mental health care after what they lived through.",
            "Clinical care after rape is not available in most of the settlements.",
        ],
        "fr": [
            "Dans les camps, il n'y a ni latrines séparées ni éclairage, et les femmes ont peur la nuit.",
            "Les femmes déplacées accouchent sans sage-femme depuis la fermeture du centre de santé.",
            "La contraception et les protections hygiéniques disparaissent en premier quand l'aide baisse.",
            "Les distributions de vivres passent par les chefs de ménage et les veuves sont oubliées.",
            "Les femmes réfugiées ont besoin de soins en santé mentale.",
            "La prise en charge médicale après un viol n'existe pas dans la plupart des sites.",
        ],
        "es": [
            "En los campamentos no hay letrinas separadas ni iluminación, y las mujeres tienen miedo de noche.",
            "Las mujeres desplazadas dan a luz sin partera desde que cerró el centro de salud.",
            "Los anticonceptivos y los productos menstruales son lo primero que falta cuando se recorta la ayuda.",
            "La comida se reparte a los jefes de hogar y las viudas quedan fuera.",
            "Las mujeres refugiadas necesitan atención en salud mental.",
            "La atención médica tras una violación no existe en la mayoría de los asentamientos.",
        ],
        "ar": [
            "لا توجد في المخيمات مراحيض منفصلة ولا إنارة، فتخاف النساء ليلًا.",
            "تلد النساء النازحات دون قابلة منذ إغلاق المركز الصحي.",
            "وسائل منع الحمل ومستلزمات الدورة الشهرية أول ما يختفي عند خفض المساعدات.",
            "تُوزَّع المساعدات الغذائية على أرباب الأسر وتُستثنى الأرامل.",
            "تحتاج اللاجئات إلى رعاية للصحة النفسية.",
            "لا تتوفر الرعاية الطبية بعد الاغتصاب في معظم المخيمات.",
        ],
    },
    "peace_ops": {
        "en": [
            "More women in the peacekeeping patrols would make it easier for women to report abuse.",
            "Soldiers deployed here were never trained on gender or on how to talk to survivors.",
            "Peacekeepers who exploit women must be prosecuted, not quietly sent home.",
            "Female police officers in the mission are rare and kept in office jobs.",
            "The mission should have a gender adviser who meets women's groups every month.",
            "Armed forces need clear rules against sexual exploitation and a safe way to report it.",
        ],
        "fr": [
            "Plus de femmes dans les patrouilles des Casques bleus faciliterait les signalements.",
            "Les soldats déployés ici n'ont jamais été formés au genre ni à l'écoute des survivantes.",
            "Les Casques bleus qui exploitent des femmes doivent être poursuivis, pas rapatriés discrètement.",
            "Les policières de la mission sont rares et cantonnées aux bureaux.",
            "La mission devrait avoir une conseillère en genre qui rencontre chaque mois les associations de femmes.",
            "Les forces armées ont besoin de règles claires contre l'exploitation sexuelle.",
        ],
        "es": [
            "Más mujeres en las patrullas de cascos azules facilitarían las denuncias.",
            "Los soldados desplegados aquí nunca recibieron formación en género.",
            "Los cascos azules que explotan a mujeres deben ser juzgados, no repatriados en silencio.",
            "Las policías de la misión son pocas y las dejan en tareas de oficina.",
            "La misión debería tener una asesora de género que se reúna cada mes con las organizaciones de mujeres.",
            "Las fuerzas armadas necesitan reglas claras contra la explotación sexual.",
        ],
        "ar": [
            "وجود مزيد من النساء في دوريات حفظ السلام سيسهّل على النساء الإبلاغ عن الانتهاكات.",
            "لم يتلقَّ الجنود المنتشرون هنا أي تدريب على قضايا النوع الاجتماعي.",
            "يجب محاكمة أفراد حفظ السلام الذين يستغلون النساء بدلًا من إعادتهم بصمت.",
            "الشرطيات في البعثة قليلات ويُحصرن في الأعمال المكتبية.",
            "ينبغي أن يكون للبعثة مستشارة في الشؤون الجنسانية تلتقي المنظمات النسائية شهريًا.",
            "تحتاج القوات المسلحة إلى قواعد واضحة ضد الاستغلال الجنسي.",
        ],
    },
}

#: Invented details that must never be stored: the scrubber removes them.
PERSONAL_DETAILS = {
    "en": ["You can call me on +1 613 555 0142.", "My name is Grace Achieng and I lead the group."],
    "fr": ["Vous pouvez m'écrire à aminata.k@example.org.", "Je m'appelle Mariam Diallo."],
    "es": ["Mi número es +57 310 555 0199.", "Me llamo Lucía Fernández."],
    "ar": ["رقمي هو ‎+962 79 555 0123‎.", "اسمي سلمى حداد."],
}

TEXT_GOALS = {
    "participation_text": "participation",
    "mediation_text": "participation",
    "sgbv_text": "sgbv",
    "rights_text": "rights",
    "humanitarian_text": "humanitarian",
    "peace_ops_text": "peace_ops",
}

LANGUAGE_WEIGHTS = {"en": 40, "fr": 25, "es": 20, "ar": 15}
REGION_WEIGHTS = {
    "canada": 34,
    "latin_america": 14,
    "west_africa": 10,
    "central_africa": 6,
    "east_africa": 8,
    "southern_africa": 3,
    "mena": 9,
    "south_asia": 4,
    "southeast_asia": 4,
    "europe_central_asia": 5,
    "other_region": 3,
}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _text(rng: random.Random, goal: str, language: str) -> str:
    sentences = rng.sample(SENTENCES[goal][language], k=rng.randint(1, 3))
    if rng.random() < 0.25:  # a second goal, as real answers often have
        other = rng.choice([g for g in SENTENCES if g != goal])
        sentences.append(rng.choice(SENTENCES[other][language]))
    if rng.random() < 0.04:
        sentences.append(rng.choice(PERSONAL_DETAILS[language]))
    return " ".join(sentences)


def synthetic_form(consultation: Consultation, rng: random.Random) -> tuple[str, MultiDict]:
    """One respondent's language and form fields, as a browser would post them."""
    language = _pick(rng, {k: v for k, v in LANGUAGE_WEIGHTS.items() if k in consultation.languages})
    form: MultiDict = MultiDict()
    for question in consultation.questions:
        name, kind = question.field_name, question.type
        if not question.required and rng.random() < 0.15:
            continue  # skipped
        if question.key in TEXT_GOALS:
            form[name] = _text(rng, TEXT_GOALS[question.key], language)
        elif question.key == "message":
            form[name] = _text(rng, rng.choice(list(SENTENCES)), language).split(". ")[0]
        elif question.key == "region":
            form[name] = _pick(rng, REGION_WEIGHTS)
        elif kind == "single_choice":
            form[name] = rng.choice(question.choices).key
        elif kind == "multiple_choice":
            keys = [c.key for c in question.choices]
            limit = question.options.get("max_choices") or len(keys)
            for key in rng.sample(keys, k=rng.randint(1, min(limit, 3))):
                form.add(name, key)
        elif kind == "yes_no":
            form[name] = rng.choice(["yes", "no", "no"])
        elif kind == "rating":
            form[name] = str(rng.randint(question.options.get("min", 1), question.options.get("max", 5)))
        elif kind == "number":
            form[name] = str(rng.randint(0, 30))
        elif kind == "date":
            form[name] = f"{rng.randint(2005, 2025)}-{rng.randint(1, 12):02d}-01"
        elif kind in ("short_text", "long_text"):
            form[name] = _text(rng, rng.choice(list(SENTENCES)), language)
        elif kind == "consent":
            form[name] = "yes"
        elif kind == "matrix":
            for row in question.options.get("rows", []):
                form[f"{name}-{row['key']}"] = rng.choice(question.choices).key
        elif kind == "ranking":
            keys = [c.key for c in question.choices]
            for position, key in enumerate(rng.sample(keys, k=len(keys)), start=1):
                form[f"{name}-{key}"] = str(position)
    return language, form


def add_synthetic_responses(
    db: Session, consultation: Consultation, count: int, secret_key: str, seed: int | None = None
) -> Iterator[str]:
    """Submit `count` synthetic responses through the submission service; yields receipts.

    :raises ValueError: if a generated form does not validate (a bug in the generator).
    """
    from surveys.services import new_form_token, read_form, submit_response

    rng = random.Random(seed)
    for _ in range(count):
        language, form = synthetic_form(consultation, rng)
        reading = read_form(consultation, form)
        if reading.errors:
            raise ValueError(f"synthetic answers did not validate: {sorted(reading.errors)}")
        yield submit_response(db, consultation, language, reading.answers, new_form_token(), secret_key)
