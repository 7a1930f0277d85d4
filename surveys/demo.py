"""The demo consultation `wps-2026`, written by the consult team in four languages.

It exercises every question type the platform has, a consent step, a section
shown only on an earlier answer (skip logic), free-text questions inviting answers
on each of the five NAP goals, and an optional demographic section.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from surveys.models import Consultation

DEMO_SLUG = "wps-2026"
LANGUAGES = ("en", "fr", "es", "ar")


def t(en: str, fr: str, es: str, ar: str) -> dict[str, str]:
    return dict(zip(LANGUAGES, (en, fr, es, ar), strict=True))


def choices(*items: tuple[str, dict[str, str]]) -> list[dict[str, Any]]:
    return [{"key": key, "label": label} for key, label in items]


PRIORITIES = choices(
    ("participation", t("Women's participation in peace and security decisions", "La participation des femmes aux décisions de paix et de sécurité", "La participación de las mujeres en las decisiones de paz y seguridad", "مشاركة النساء في قرارات السلام والأمن")),
    ("sgbv", t("Ending sexual and gender-based violence and impunity", "Mettre fin aux violences sexuelles et basées sur le genre et à l'impunité", "Poner fin a la violencia sexual y de género y a la impunidad", "إنهاء العنف الجنسي والقائم على النوع الاجتماعي والإفلات من العقاب")),
    ("rights", t("Women's and girls' human rights and empowerment", "Les droits humains et l'autonomisation des femmes et des filles", "Los derechos humanos y el empoderamiento de mujeres y niñas", "حقوق الإنسان للنساء والفتيات وتمكينهن")),
    ("humanitarian", t("Humanitarian aid and sexual and reproductive health", "L'aide humanitaire et la santé sexuelle et reproductive", "La ayuda humanitaria y la salud sexual y reproductiva", "المساعدات الإنسانية والصحة الجنسية والإنجابية")),
    ("peace_ops", t("Women in peace operations, armed forces and police", "Les femmes dans les opérations de paix, les forces armées et la police", "Las mujeres en las operaciones de paz, las fuerzas armadas y la policía", "النساء في عمليات السلام والقوات المسلحة والشرطة")),
    ("funding", t("Direct, long-term funding for women's organisations", "Un financement direct et durable des organisations de femmes", "Financiamiento directo y a largo plazo para las organizaciones de mujeres", "تمويل مباشر وطويل الأمد لمنظمات النساء")),
    ("climate", t("Climate change and security", "Les changements climatiques et la sécurité", "El cambio climático y la seguridad", "تغيّر المناخ والأمن")),
)

REGIONS = choices(
    ("canada", t("Canada", "Canada", "Canadá", "كندا")),
    ("latin_america", t("Latin America and the Caribbean", "Amérique latine et Caraïbes", "América Latina y el Caribe", "أمريكا اللاتينية والكاريبي")),
    ("west_africa", t("West Africa and the Sahel", "Afrique de l'Ouest et Sahel", "África Occidental y el Sahel", "غرب أفريقيا والساحل")),
    ("central_africa", t("Central Africa and the Great Lakes", "Afrique centrale et Grands Lacs", "África Central y los Grandes Lagos", "وسط أفريقيا والبحيرات العظمى")),
    ("east_africa", t("East Africa and the Horn of Africa", "Afrique de l'Est et Corne de l'Afrique", "África Oriental y el Cuerno de África", "شرق أفريقيا والقرن الأفريقي")),
    ("southern_africa", t("Southern Africa", "Afrique australe", "África Austral", "الجنوب الأفريقي")),
    ("mena", t("Middle East and North Africa", "Moyen-Orient et Afrique du Nord", "Oriente Medio y Norte de África", "الشرق الأوسط وشمال أفريقيا")),
    ("south_asia", t("South Asia", "Asie du Sud", "Asia del Sur", "جنوب آسيا")),
    ("southeast_asia", t("Southeast Asia and the Pacific", "Asie du Sud-Est et Pacifique", "Sudeste Asiático y el Pacífico", "جنوب شرق آسيا والمحيط الهادئ")),
    ("europe_central_asia", t("Europe and Central Asia", "Europe et Asie centrale", "Europa y Asia Central", "أوروبا وآسيا الوسطى")),
    ("other_region", t("Somewhere else", "Ailleurs", "En otro lugar", "مكان آخر")),
)

ORG_TYPES = choices(
    ("grassroots", t("Grassroots or community women's group", "Groupe de femmes communautaire ou de base", "Grupo comunitario o de base de mujeres", "مجموعة نسائية قاعدية أو مجتمعية")),
    ("national_ngo", t("National civil-society organisation", "Organisation nationale de la société civile", "Organización nacional de la sociedad civil", "منظمة مجتمع مدني وطنية")),
    ("international_ngo", t("International NGO", "ONG internationale", "ONG internacional", "منظمة غير حكومية دولية")),
    ("network", t("Network or coalition", "Réseau ou coalition", "Red o coalición", "شبكة أو تحالف")),
    ("academic", t("University or research institute", "Université ou institut de recherche", "Universidad o centro de investigación", "جامعة أو معهد بحثي")),
    ("government", t("Government", "Gouvernement", "Gobierno", "جهة حكومية")),
    ("multilateral", t("United Nations or another multilateral body", "Nations Unies ou autre organisme multilatéral", "Naciones Unidas u otro organismo multilateral", "الأمم المتحدة أو هيئة متعددة الأطراف أخرى")),
    ("independent", t("No organisation: I answer for myself", "Aucune organisation : je réponds pour moi-même", "Ninguna organización: respondo a título personal", "لا أنتمي إلى منظمة: أجيب بصفتي الشخصية")),
)

IDENTITIES = choices(
    ("indigenous", t("Indigenous", "Autochtone", "Indígena", "من الشعوب الأصلية")),
    ("black", t("Black", "Noire", "Negra o afrodescendiente", "سوداء")),
    ("racialized", t("Racialized or person of colour", "Racisée", "Racializada", "من فئة عرقية مهمّشة")),
    ("lgbtq2i", t("LGBTQ2I+", "LGBTQ2I+", "LGBTQ2I+", "من مجتمع الميم (LGBTQ2I+)")),
    ("disability", t("Living with a disability", "En situation de handicap", "Con discapacidad", "من ذوات الإعاقة")),
    ("youth", t("Youth (under 30)", "Jeune (moins de 30 ans)", "Joven (menos de 30 años)", "شابة (أقل من 30 عامًا)")),
    ("displaced", t("Refugee or displaced", "Réfugiée ou déplacée", "Refugiada o desplazada", "لاجئة أو نازحة")),
    ("rural", t("Living in a rural area", "Vivant en milieu rural", "Vivo en una zona rural", "أعيش في منطقة ريفية")),
)

YES_NO_MAYBE = choices(
    ("often", t("Yes, often", "Oui, souvent", "Sí, a menudo", "نعم، كثيرًا")),
    ("sometimes", t("Yes, sometimes", "Oui, parfois", "Sí, a veces", "نعم، أحيانًا")),
    ("never", t("No", "Non", "No", "لا")),
    ("no_say", t("I prefer not to say", "Je préfère ne pas répondre", "Prefiero no decirlo", "أفضّل عدم الإجابة")),
)

ROLES = choices(
    ("activist", t("Activist or human rights defender", "Militante ou défenseure des droits humains", "Activista o defensora de derechos humanos", "ناشطة أو مدافعة عن حقوق الإنسان")),
    ("peacebuilder", t("Peacebuilder or mediator", "Artisane de paix ou médiatrice", "Constructora de paz o mediadora", "صانعة سلام أو وسيطة")),
    ("service", t("I provide services (health, legal, shelter...)", "Je fournis des services (santé, droit, hébergement...)", "Presto servicios (salud, jurídicos, refugio...)", "أقدّم خدمات (صحية، قانونية، إيواء...)")),
    ("researcher", t("Researcher", "Chercheuse", "Investigadora", "باحثة")),
    ("official", t("Public servant or elected official", "Fonctionnaire ou élue", "Funcionaria o representante electa", "موظفة عامة أو منتخبة")),
    ("other_role", t("Another role", "Un autre rôle", "Otro papel", "دور آخر")),
)


def long_text(key: str, label: dict[str, str], help_: dict[str, str] | None = None) -> dict[str, Any]:
    return {"key": key, "type": "long_text", "label": label, "help": help_ or {}}


DEMO: dict[str, Any] = {
    "slug": DEMO_SLUG,
    "state": "open",
    "default_language": "en",
    "languages": list(LANGUAGES),
    "k_threshold": 10,
    "retention_days": 730,
    "title": t(
        "Women, Peace and Security: your voice in Canada's next action plan",
        "Femmes, paix et sécurité : votre voix dans le prochain plan d'action du Canada",
        "Mujeres, paz y seguridad: su voz en el próximo plan de acción de Canadá",
        "المرأة والسلام والأمن: صوتكِ في خطة العمل القادمة لكندا",
    ),
    "introduction": t(
        "Canada is preparing its next National Action Plan on Women, Peace and Security. "
        "We want to hear from women peacebuilders, activists and civil-society organisations, "
        "in Canada and around the world, about what works, what does not, and what must change.\n\n"
        "The questionnaire takes about 15 minutes. You can answer in the language you prefer "
        "and skip any question you do not want to answer.",
        "Le Canada prépare son prochain Plan d'action national sur les femmes, la paix et la sécurité. "
        "Nous voulons entendre les artisanes de paix, les militantes et les organisations de la société civile, "
        "au Canada et dans le monde, sur ce qui fonctionne, ce qui ne fonctionne pas et ce qui doit changer.\n\n"
        "Le questionnaire prend environ 15 minutes. Vous pouvez répondre dans la langue de votre choix "
        "et passer toute question à laquelle vous ne souhaitez pas répondre.",
        "Canadá está preparando su próximo Plan de Acción Nacional sobre Mujeres, Paz y Seguridad. "
        "Queremos escuchar a constructoras de paz, activistas y organizaciones de la sociedad civil, "
        "en Canadá y en el mundo, sobre lo que funciona, lo que no y lo que debe cambiar.\n\n"
        "El cuestionario toma unos 15 minutos. Puede responder en el idioma que prefiera "
        "y omitir cualquier pregunta que no desee responder.",
        "تُعِدّ كندا خطة عملها الوطنية القادمة بشأن المرأة والسلام والأمن. "
        "نريد أن نسمع من صانعات السلام والناشطات ومنظمات المجتمع المدني، "
        "في كندا وحول العالم، عمّا ينجح وما لا ينجح وما يجب أن يتغيّر.\n\n"
        "يستغرق الاستبيان نحو 15 دقيقة. يمكنكِ الإجابة باللغة التي تفضّلينها "
        "وتخطّي أي سؤال لا ترغبين في الإجابة عنه.",
    ),
    "consent_text": t(
        "This consultation is run by the consult demonstration team. Your answers will be read by "
        "analysts and summarised, by theme and by group, in advice to the Government of Canada. "
        "Short quotes may appear in that advice only after personal details have been removed and an "
        "analyst has checked them. Answers are deleted two years after the consultation closes.",
        "Cette consultation est menée par l'équipe de démonstration de consult. Vos réponses seront lues par "
        "des analystes et résumées, par thème et par groupe, dans des avis au gouvernement du Canada. "
        "De courtes citations pourront y figurer seulement après suppression des détails personnels et "
        "vérification par une analyste. Les réponses sont supprimées deux ans après la fin de la consultation.",
        "Esta consulta la realiza el equipo de demostración de consult. Sus respuestas serán leídas por "
        "analistas y resumidas, por tema y por grupo, en recomendaciones al Gobierno de Canadá. "
        "Podrán aparecer citas breves solo después de eliminar los datos personales y de que una analista "
        "las revise. Las respuestas se eliminan dos años después del cierre de la consulta.",
        "يُجري هذه المشاورة فريق العرض التجريبي لمنصة consult. سيقرأ محلّلون إجاباتكِ ويلخّصونها "
        "حسب المحور والفئة في توصيات تُقدَّم إلى حكومة كندا. قد تظهر فيها اقتباسات قصيرة "
        "فقط بعد حذف التفاصيل الشخصية ومراجعتها من قِبل محلّلة. تُحذف الإجابات بعد عامين من انتهاء المشاورة.",
    ),
    "sections": [
        {
            "title": t("About your work", "À propos de votre travail", "Sobre su trabajo", "عن عملكِ"),
            "questions": [
                {
                    "key": "role",
                    "type": "single_choice",
                    "required": True,
                    "label": t(
                        "What best describes your work on women, peace and security?",
                        "Qu'est-ce qui décrit le mieux votre travail sur les femmes, la paix et la sécurité ?",
                        "¿Qué describe mejor su trabajo sobre mujeres, paz y seguridad?",
                        "ما الذي يصف عملكِ في مجال المرأة والسلام والأمن على أفضل وجه؟",
                    ),
                    "choices": ROLES,
                },
                {
                    "key": "years_active",
                    "type": "number",
                    "options": {"min": 0, "max": 70, "integer": True},
                    "label": t(
                        "For how many years have you worked on these issues?",
                        "Depuis combien d'années travaillez-vous sur ces questions ?",
                        "¿Cuántos años lleva trabajando en estos temas?",
                        "منذ كم سنة تعملين على هذه القضايا؟",
                    ),
                    "help": t("A whole number, for example 5.", "Un nombre entier, par exemple 5.", "Un número entero, por ejemplo 5.", "عدد صحيح، مثلًا 5."),
                },
            ],
        },
        {
            "title": t("Participation and leadership", "Participation et leadership", "Participación y liderazgo", "المشاركة والقيادة"),
            "questions": [
                long_text(
                    "participation_text",
                    t(
                        "What keeps women and women's organisations out of peace processes and security decisions where you work, and what would change that?",
                        "Qu'est-ce qui tient les femmes et les organisations de femmes à l'écart des processus de paix et des décisions de sécurité là où vous travaillez, et qu'est-ce qui changerait cela ?",
                        "¿Qué mantiene a las mujeres y a sus organizaciones fuera de los procesos de paz y de las decisiones de seguridad donde usted trabaja, y qué cambiaría eso?",
                        "ما الذي يُبقي النساء ومنظماتهن خارج عمليات السلام وقرارات الأمن حيث تعملين، وما الذي قد يغيّر ذلك؟",
                    ),
                    t(
                        "Please do not write names or contact details of anyone, including yourself.",
                        "Merci de n'écrire ni nom ni coordonnées de qui que ce soit, y compris les vôtres.",
                        "Por favor, no escriba nombres ni datos de contacto de nadie, tampoco los suyos.",
                        "يُرجى عدم كتابة أسماء أو بيانات اتصال لأي شخص، بما في ذلك أنتِ.",
                    ),
                ),
                {
                    "key": "influence",
                    "type": "rating",
                    "options": {
                        "min": 1,
                        "max": 5,
                        "min_label": t("None", "Aucune", "Ninguna", "لا تأثير"),
                        "max_label": t("A great deal", "Beaucoup", "Mucha", "تأثير كبير"),
                    },
                    "label": t(
                        "How much influence do women's organisations have on peace and security decisions where you work?",
                        "Quelle influence les organisations de femmes ont-elles sur les décisions de paix et de sécurité là où vous travaillez ?",
                        "¿Cuánta influencia tienen las organizaciones de mujeres en las decisiones de paz y seguridad donde usted trabaja?",
                        "ما مدى تأثير منظمات النساء في قرارات السلام والأمن حيث تعملين؟",
                    ),
                },
                {
                    "key": "mediation_involved",
                    "type": "yes_no",
                    "label": t(
                        "Have you taken part in a peace negotiation, mediation or dialogue process?",
                        "Avez-vous participé à une négociation de paix, une médiation ou un processus de dialogue ?",
                        "¿Ha participado en una negociación de paz, una mediación o un proceso de diálogo?",
                        "هل شاركتِ في مفاوضات سلام أو وساطة أو عملية حوار؟",
                    ),
                },
            ],
        },
        {
            "title": t("Your experience of mediation", "Votre expérience de la médiation", "Su experiencia en mediación", "تجربتكِ في الوساطة"),
            "relevance": {"op": "equals", "question": "mediation_involved", "value": "yes"},
            "questions": [
                long_text(
                    "mediation_text",
                    t(
                        "What helped or hindered you in that process?",
                        "Qu'est-ce qui vous a aidée ou freinée dans ce processus ?",
                        "¿Qué le ayudó o le dificultó en ese proceso?",
                        "ما الذي ساعدكِ أو أعاقكِ في تلك العملية؟",
                    ),
                ),
                {
                    "key": "mediation_date",
                    "type": "date",
                    "options": {"min": "1990-01-01"},
                    "label": t(
                        "When did the most recent of these processes begin (approximately)?",
                        "Quand le plus récent de ces processus a-t-il commencé (environ) ?",
                        "¿Cuándo comenzó (aproximadamente) el más reciente de estos procesos?",
                        "متى بدأت آخر هذه العمليات (تقريبًا)؟",
                    ),
                },
            ],
        },
        {
            "title": t("Safety, violence and rights", "Sécurité, violences et droits", "Seguridad, violencia y derechos", "الأمان والعنف والحقوق"),
            "questions": [
                long_text(
                    "sgbv_text",
                    t(
                        "What is most needed to prevent sexual and gender-based violence and to end impunity for it in your community?",
                        "De quoi a-t-on le plus besoin pour prévenir les violences sexuelles et basées sur le genre et mettre fin à leur impunité dans votre communauté ?",
                        "¿Qué se necesita más para prevenir la violencia sexual y de género y acabar con su impunidad en su comunidad?",
                        "ما أكثر ما يلزم لمنع العنف الجنسي والقائم على النوع الاجتماعي وإنهاء الإفلات من العقاب عليه في مجتمعكِ؟",
                    ),
                ),
                long_text(
                    "rights_text",
                    t(
                        "Which rights of women and girls are most at risk where you work, and what would protect them?",
                        "Quels droits des femmes et des filles sont les plus menacés là où vous travaillez, et qu'est-ce qui les protégerait ?",
                        "¿Qué derechos de las mujeres y las niñas corren más riesgo donde usted trabaja y qué los protegería?",
                        "ما حقوق النساء والفتيات الأكثر عرضة للخطر حيث تعملين، وما الذي يحميها؟",
                    ),
                ),
                {
                    "key": "threats",
                    "type": "single_choice",
                    "label": t(
                        "In the past year, have you or your organisation faced threats or backlash because of this work?",
                        "Au cours de l'année écoulée, vous ou votre organisation avez-vous subi des menaces ou des représailles à cause de ce travail ?",
                        "En el último año, ¿usted o su organización han sufrido amenazas o represalias por este trabajo?",
                        "خلال العام الماضي، هل تعرّضتِ أنتِ أو منظمتكِ لتهديدات أو ردود فعل عدائية بسبب هذا العمل؟",
                    ),
                    "choices": YES_NO_MAYBE,
                },
            ],
        },
        {
            "title": t(
                "Humanitarian needs and peace operations",
                "Besoins humanitaires et opérations de paix",
                "Necesidades humanitarias y operaciones de paz",
                "الاحتياجات الإنسانية وعمليات السلام",
            ),
            "questions": [
                long_text(
                    "humanitarian_text",
                    t(
                        "In crises and displacement, which needs of women and girls go unmet, including sexual and reproductive health?",
                        "Dans les crises et les déplacements, quels besoins des femmes et des filles restent sans réponse, y compris en santé sexuelle et reproductive ?",
                        "En las crisis y los desplazamientos, ¿qué necesidades de las mujeres y las niñas quedan sin atender, incluida la salud sexual y reproductiva?",
                        "في الأزمات والنزوح، ما احتياجات النساء والفتيات التي لا تُلبّى، بما فيها الصحة الجنسية والإنجابية؟",
                    ),
                ),
                long_text(
                    "peace_ops_text",
                    t(
                        "How could peacekeepers, armed forces and police better include women and protect the people they serve?",
                        "Comment les Casques bleus, les forces armées et la police pourraient-ils mieux inclure les femmes et protéger les personnes qu'ils servent ?",
                        "¿Cómo podrían el personal de mantenimiento de la paz, las fuerzas armadas y la policía incluir mejor a las mujeres y proteger a la población a la que sirven?",
                        "كيف يمكن لقوات حفظ السلام والقوات المسلحة والشرطة أن تُشرك النساء بشكل أفضل وأن تحمي الناس الذين تخدمهم؟",
                    ),
                ),
                {
                    "key": "services",
                    "type": "matrix",
                    "label": t(
                        "Where you work, can women and girls reach these services safely?",
                        "Là où vous travaillez, les femmes et les filles peuvent-elles accéder à ces services en sécurité ?",
                        "Donde usted trabaja, ¿pueden las mujeres y las niñas acceder a estos servicios con seguridad?",
                        "حيث تعملين، هل تستطيع النساء والفتيات الوصول إلى هذه الخدمات بأمان؟",
                    ),
                    "options": {
                        "rows": [
                            {"key": "health", "label": t("Health clinic", "Centre de santé", "Centro de salud", "مركز صحي")},
                            {"key": "police", "label": t("Police", "Police", "Policía", "الشرطة")},
                            {"key": "legal", "label": t("Legal aid", "Aide juridique", "Asistencia jurídica", "المساعدة القانونية")},
                            {"key": "shelter", "label": t("Shelter", "Refuge", "Refugio", "دار إيواء")},
                        ]
                    },
                    "choices": choices(
                        ("safe", t("Yes, safely", "Oui, en sécurité", "Sí, con seguridad", "نعم، بأمان")),
                        ("unsafe", t("Yes, but it is unsafe", "Oui, mais ce n'est pas sûr", "Sí, pero no es seguro", "نعم، لكن دون أمان")),
                        ("none", t("No such service", "Ce service n'existe pas", "No existe ese servicio", "لا توجد هذه الخدمة")),
                        ("unknown", t("I don't know", "Je ne sais pas", "No lo sé", "لا أعرف")),
                    ),
                },
                {
                    "key": "support_ranking",
                    "type": "ranking",
                    "label": t(
                        "Put these kinds of support for your work in order, 1 being the most useful.",
                        "Classez ces formes de soutien à votre travail, 1 étant la plus utile.",
                        "Ordene estos tipos de apoyo a su trabajo, siendo 1 el más útil.",
                        "رتّبي أشكال الدعم هذه لعملكِ، بحيث يكون 1 الأكثر فائدة.",
                    ),
                    "choices": choices(
                        ("core_funding", t("Long-term core funding", "Un financement de base durable", "Financiamiento básico a largo plazo", "تمويل أساسي طويل الأمد")),
                        ("protection", t("Protection when we are threatened", "Une protection quand nous sommes menacées", "Protección cuando nos amenazan", "الحماية عند تعرّضنا للتهديد")),
                        ("access", t("Access to decision-makers", "L'accès aux décideurs", "Acceso a quienes deciden", "الوصول إلى صانعي القرار")),
                        ("training", t("Training and exchanges", "Des formations et des échanges", "Formación e intercambios", "التدريب وتبادل الخبرات")),
                    ),
                },
                {
                    "key": "priorities",
                    "type": "multiple_choice",
                    "options": {"max_choices": 3},
                    "label": t(
                        "Which areas should Canada put first in its next plan? Choose up to three.",
                        "Quels domaines le Canada devrait-il placer en priorité dans son prochain plan ? Choisissez-en jusqu'à trois.",
                        "¿Qué áreas debería priorizar Canadá en su próximo plan? Elija hasta tres.",
                        "ما المجالات التي ينبغي أن تضعها كندا في المقدمة في خطتها القادمة؟ اختاري ثلاثة كحد أقصى.",
                    ),
                    "choices": PRIORITIES,
                },
                {
                    "key": "message",
                    "type": "short_text",
                    "options": {"max_length": 300},
                    "label": t(
                        "In one sentence: what should decision-makers hear from you?",
                        "En une phrase : que doivent entendre de vous les décideurs ?",
                        "En una frase: ¿qué deberían escuchar de usted quienes toman las decisiones?",
                        "في جملة واحدة: ما الذي يجب أن يسمعه منكِ صانعو القرار؟",
                    ),
                },
            ],
        },
        {
            "title": t("About you (optional)", "À propos de vous (facultatif)", "Sobre usted (opcional)", "عنكِ (اختياري)"),
            "questions": [
                {
                    "key": "about_you_note",
                    "type": "info",
                    "label": t(
                        "A few questions about you help us see whose voices are heard and whose are missing. "
                        "They are all optional. Results are only shown for groups of at least 10 people.",
                        "Quelques questions sur vous nous aident à voir quelles voix sont entendues et lesquelles manquent. "
                        "Elles sont toutes facultatives. Les résultats ne sont montrés que pour des groupes d'au moins 10 personnes.",
                        "Algunas preguntas sobre usted nos ayudan a ver qué voces se escuchan y cuáles faltan. "
                        "Todas son opcionales. Los resultados solo se muestran para grupos de al menos 10 personas.",
                        "تساعدنا بعض الأسئلة عنكِ على معرفة الأصوات المسموعة والأصوات الغائبة. "
                        "جميعها اختيارية. لا تُعرض النتائج إلا لمجموعات من 10 أشخاص على الأقل.",
                    ),
                },
                {
                    "key": "about_you_ok",
                    "type": "consent",
                    "label": t(
                        "Yes, I will answer a few questions about myself (leave unticked to skip them).",
                        "Oui, je veux bien répondre à quelques questions sur moi (ne cochez pas pour les passer).",
                        "Sí, responderé algunas preguntas sobre mí (deje sin marcar para omitirlas).",
                        "نعم، سأجيب عن بعض الأسئلة عني (اتركي المربع فارغًا لتخطّيها).",
                    ),
                },
            ],
        },
        {
            "title": t("About you", "À propos de vous", "Sobre usted", "عنكِ"),
            "relevance": {"op": "answered", "question": "about_you_ok"},
            "questions": [
                {
                    "key": "region",
                    "type": "single_choice",
                    "demographic": True,
                    "options": {"appearance": "list"},
                    "label": t(
                        "Where is most of your work based?",
                        "Où se situe l'essentiel de votre travail ?",
                        "¿Dónde se realiza la mayor parte de su trabajo?",
                        "أين يتركّز معظم عملكِ؟",
                    ),
                    "choices": REGIONS,
                },
                {
                    "key": "org_type",
                    "type": "single_choice",
                    "demographic": True,
                    "label": t(
                        "What kind of organisation do you work with?",
                        "Avec quel type d'organisation travaillez-vous ?",
                        "¿Con qué tipo de organización trabaja?",
                        "مع أي نوع من المنظمات تعملين؟",
                    ),
                    "choices": ORG_TYPES,
                },
                {
                    "key": "identity",
                    "type": "multiple_choice",
                    "demographic": True,
                    "label": t(
                        "Do any of these describe you? Choose all that apply.",
                        "L'une de ces descriptions vous correspond-elle ? Cochez tout ce qui s'applique.",
                        "¿Alguna de estas opciones la describe? Marque todas las que correspondan.",
                        "هل ينطبق عليكِ أيّ مما يلي؟ اختاري كل ما ينطبق.",
                    ),
                    "choices": IDENTITIES,
                },
            ],
        },
    ],
}


def load_demo(db: Session) -> Consultation:
    """Create the demo consultation unless it exists (idempotent)."""
    from surveys.services import create_consultation

    existing = db.exec(select(Consultation).where(Consultation.slug == DEMO_SLUG)).first()
    if existing is not None:
        return existing
    return create_consultation(db, DEMO)
