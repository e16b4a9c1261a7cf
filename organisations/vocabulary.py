"""The network's starting vocabulary in every interface language: the themes, capacities and
peace network groups the seminar named, by slug. The demo data creates them from here, and
migration 0017 translates those a site already has (only where staff left a language empty).
Staff keep the vocabulary in the admin from then on."""

THEMES = {
    "gender": {"en": "Gender", "nl": "Gender", "fr": "Genre", "ar": "النوع الاجتماعي"},
    "radicalisation": {
        "en": "Radicalisation",
        "nl": "Radicalisering",
        "fr": "Radicalisation",
        "ar": "التطرف",
    },
    "youth": {"en": "Youth", "nl": "Jongeren", "fr": "Jeunesse", "ar": "الشباب"},
    "human-rights": {
        "en": "Human rights",
        "nl": "Mensenrechten",
        "fr": "Droits humains",
        "ar": "حقوق الإنسان",
    },
    "mediation": {"en": "Mediation", "nl": "Bemiddeling", "fr": "Médiation", "ar": "الوساطة"},
    "justice": {"en": "Justice", "nl": "Rechtvaardigheid", "fr": "Justice", "ar": "العدالة"},
    "development": {
        "en": "Development",
        "nl": "Ontwikkeling",
        "fr": "Développement",
        "ar": "التنمية",
    },
    "migration": {"en": "Migration", "nl": "Migratie", "fr": "Migration", "ar": "الهجرة"},
    "media": {"en": "Media", "nl": "Media", "fr": "Médias", "ar": "الإعلام"},
    "research": {"en": "Research", "nl": "Onderzoek", "fr": "Recherche", "ar": "البحث"},
}

CAPACITIES = {
    "funding": {
        "en": "Project funding",
        "nl": "Projectfinanciering",
        "fr": "Financement de projets",
        "ar": "تمويل المشاريع",
    },
    "funding-expertise": {
        "en": "Fundraising and grant writing",
        "nl": "Fondsenwerving en subsidieaanvragen",
        "fr": "Collecte de fonds et demandes de subvention",
        "ar": "جمع التبرعات وكتابة طلبات المنح",
    },
    "training": {
        "en": "Training and capacity building",
        "nl": "Training en capaciteitsopbouw",
        "fr": "Formation et renforcement des capacités",
        "ar": "التدريب وبناء القدرات",
    },
    "research": {
        "en": "Research and analysis",
        "nl": "Onderzoek en analyse",
        "fr": "Recherche et analyse",
        "ar": "البحث والتحليل",
    },
    "policy-access": {
        "en": "Access to policymakers",
        "nl": "Toegang tot beleidsmakers",
        "fr": "Accès aux décideurs politiques",
        "ar": "الوصول إلى صانعي السياسات",
    },
    "community-access": {
        "en": "Access to diaspora communities",
        "nl": "Toegang tot diasporagemeenschappen",
        "fr": "Accès aux communautés de la diaspora",
        "ar": "الوصول إلى مجتمعات الشتات",
    },
    "local-knowledge": {
        "en": "Knowledge of countries of origin",
        "nl": "Kennis van herkomstlanden",
        "fr": "Connaissance des pays d'origine",
        "ar": "المعرفة ببلدان المنشأ",
    },
    "networks": {
        "en": "International networks",
        "nl": "Internationale netwerken",
        "fr": "Réseaux internationaux",
        "ar": "الشبكات الدولية",
    },
    "venue": {
        "en": "Meeting space in The Hague",
        "nl": "Vergaderruimte in Den Haag",
        "fr": "Salle de réunion à La Haye",
        "ar": "مكان للاجتماعات في لاهاي",
    },
    "media": {
        "en": "Media and communication",
        "nl": "Media en communicatie",
        "fr": "Médias et communication",
        "ar": "الإعلام والتواصل",
    },
    "organisational-capacity": {
        "en": "Organisational support",
        "nl": "Organisatorische ondersteuning",
        "fr": "Soutien organisationnel",
        "ar": "الدعم التنظيمي",
    },
}

NETWORK_GROUPS = {
    "gender": {
        "name": {"en": "Gender", "nl": "Gender", "fr": "Genre", "ar": "النوع الاجتماعي"},
        "tagline": {
            "en": "Women, peace and security, and the Dutch National Action Plan 1325",
            "nl": "Vrouwen, vrede en veiligheid, en het Nederlandse Nationaal Actieplan 1325",
            "fr": "Femmes, paix et sécurité, et le Plan d'action national néerlandais 1325",
            "ar": "المرأة والسلام والأمن، وخطة العمل الوطنية الهولندية 1325",
        },
        "description": {
            "en": (
                "Organisations working on the role of women in preventing conflict and "
                "building peace, following UN Security Council Resolution 1325. Many of them "
                "sign and carry out the Dutch National Action Plan 1325, in which government "
                "and civil society work together."
            ),
            "nl": (
                "Organisaties die werken aan de rol van vrouwen bij het voorkomen van "
                "conflicten en het opbouwen van vrede, in navolging van VN-"
                "Veiligheidsraadresolutie 1325. Veel van hen ondertekenen en voeren het "
                "Nederlandse Nationaal Actieplan 1325 uit, waarin overheid en maatschappelijk "
                "middenveld samenwerken."
            ),
            "fr": (
                "Des organisations qui travaillent sur le rôle des femmes dans la prévention "
                "des conflits et la construction de la paix, dans le sillage de la résolution "
                "1325 du Conseil de sécurité des Nations unies. Beaucoup d'entre elles signent "
                "et mettent en œuvre le Plan d'action national néerlandais 1325, où "
                "gouvernement et société civile travaillent ensemble."
            ),
            "ar": (
                "منظمات تعمل على دور المرأة في منع النزاعات وبناء السلام، تماشيًا مع قرار "
                "مجلس الأمن التابع للأمم المتحدة رقم 1325. يوقّع كثير منها على خطة العمل "
                "الوطنية الهولندية 1325 وينفذها، وفيها تعمل الحكومة والمجتمع المدني معًا."
            ),
        },
    },
    "radicalisation": {
        "name": {
            "en": "Radicalisation",
            "nl": "Radicalisering",
            "fr": "Radicalisation",
            "ar": "التطرف",
        },
        "tagline": {
            "en": "Preventing and countering violent extremism",
            "nl": "Gewelddadig extremisme voorkomen en tegengaan",
            "fr": "Prévenir et combattre l'extrémisme violent",
            "ar": "منع التطرف العنيف ومكافحته",
        },
        "description": {
            "en": (
                "Organisations that work to prevent radicalisation and violent extremism, "
                "through research, community work and dialogue between communities and "
                "government."
            ),
            "nl": (
                "Organisaties die radicalisering en gewelddadig extremisme helpen voorkomen, "
                "met onderzoek, werk in de gemeenschap en dialoog tussen gemeenschappen en "
                "overheid."
            ),
            "fr": (
                "Des organisations qui œuvrent à prévenir la radicalisation et l'extrémisme "
                "violent, par la recherche, le travail de proximité et le dialogue entre les "
                "communautés et les pouvoirs publics."
            ),
            "ar": (
                "منظمات تعمل على منع التطرف والتطرف العنيف، من خلال البحث والعمل المجتمعي "
                "والحوار بين المجتمعات والحكومة."
            ),
        },
    },
    "youth": {
        "name": {"en": "Youth", "nl": "Jongeren", "fr": "Jeunesse", "ar": "الشباب"},
        "tagline": {
            "en": "Youth, peace and security",
            "nl": "Jongeren, vrede en veiligheid",
            "fr": "Jeunesse, paix et sécurité",
            "ar": "الشباب والسلام والأمن",
        },
        "description": {
            "en": (
                "Organisations that involve young people in peacebuilding: as participants, "
                "as leaders and as bridges between diaspora communities and their countries "
                "of origin."
            ),
            "nl": (
                "Organisaties die jongeren betrekken bij vredesopbouw: als deelnemers, als "
                "leiders en als bruggen tussen diasporagemeenschappen en hun herkomstlanden."
            ),
            "fr": (
                "Des organisations qui associent les jeunes à la construction de la paix : "
                "comme participants, comme responsables et comme passerelles entre les "
                "communautés de la diaspora et leurs pays d'origine."
            ),
            "ar": (
                "منظمات تشرك الشباب في بناء السلام: مشاركين وقادة وجسورًا بين مجتمعات الشتات "
                "وبلدانها الأصلية."
            ),
        },
    },
}


def names(vocabulary):
    """A vocabulary of names (``{slug: {language: name}}``) in the form ``translate`` takes."""
    return {slug: {"name": languages} for slug, languages in vocabulary.items()}


def translate(rows, translations):
    """Fill each row's empty translations from ``translations`` (``{slug: {field:
    {language: text}}}``), saving the rows it changed. Returns how many it changed."""
    changed = 0
    for row in rows:
        updated = []
        for field, languages in translations.get(row.slug, {}).items():
            for code, text in languages.items():
                column = f"{field}_{code}"
                if not getattr(row, column, None):
                    setattr(row, column, text)
                    updated.append(column)
        if updated:
            row.save(update_fields=updated)
            changed += 1
    return changed
