"""The interface languages: a page's language is in its address (English plain, the others
under /nl/, /fr/, /ar/), a first visit follows the browser's language, the switch keeps the
page, and every string a user can read is translated in each language's catalogue."""

import re
import shutil
import subprocess
from gettext import GNUTranslations

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from organisations.forms import OrganisationForm
from tests.factories import OrganisationFactory
from tests.languages import in_language

# What makemessages must not read: installed packages, build output, uploads.
NOT_SOURCE = [
    ".*",
    "build",
    "media",
    "node_modules",
    "staticfiles",
    "test-results",
    "__pycache__",
    "*.egg-info",
    "db.sqlite3*",
]


def msgids(po_text):
    """The message ids in gettext output, skipping the header entry."""
    ids, current = [], None
    for line in po_text.splitlines():
        if line.startswith("msgid "):
            current = line[len("msgid ") :].strip('"')
        elif current is not None and line.startswith('"'):
            current += line.strip('"')
        elif current is not None:
            if current:
                ids.append(current)
            current = None
    if current:
        ids.append(current)
    return ids


def missing_plural_forms(po_text):
    """The message ids of plural entries that lack one of the forms the header names: gettext
    counts such an entry as translated when its first form is filled."""
    forms_needed = int(re.search(r"nplurals=(\d+);", po_text).group(1))
    missing = []
    for entry in po_text.split("\n\n"):
        if "\nmsgid_plural " not in entry or entry.startswith("#~"):
            continue
        forms = {}
        for line in entry.splitlines():
            if match := re.match(r'msgstr\[(\d+)\] "(.*)"$', line):
                current = int(match.group(1))
                forms[current] = match.group(2)
            elif line.startswith('"') and forms:
                forms[current] += line.strip('"')
        if any(not forms.get(index) for index in range(forms_needed)):
            missing.extend(msgids(entry)[:1])
    return missing


# The languages whose catalogue must translate every string (English is the source).
CATALOGUES = ["nl", "fr", "ar"]


@pytest.fixture(scope="module")
def refreshed_catalogues(tmp_path_factory, django_test_environment):
    """A copy of the project whose catalogues `makemessages` has just brought up to date
    (it merges into the catalogues next to the sources, so it must not run on the real ones)."""
    project = tmp_path_factory.mktemp("catalogues") / "project"
    shutil.copytree(settings.BASE_DIR, project, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    with override_settings(LOCALE_PATHS=[project / "locale"]), pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        call_command(
            "makemessages",
            locale=CATALOGUES,
            no_location=True,
            ignore_patterns=NOT_SOURCE,
            verbosity=0,
        )
    return project / "locale"


@pytest.mark.parametrize("language", CATALOGUES)
def test_catalogue_translates_every_string(refreshed_catalogues, language):
    msgattrib = shutil.which("msgattrib")
    assert msgattrib, "GNU gettext is needed for translations (apt-get install gettext)"
    catalogue = refreshed_catalogues / language / "LC_MESSAGES" / "django.po"

    problems = {}
    for option, what in [("--untranslated", "without a translation"), ("--only-fuzzy", "fuzzy")]:
        output = subprocess.run(
            [msgattrib, option, "--no-obsolete", str(catalogue)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        if found := msgids(output):
            problems[what] = found
    if found := missing_plural_forms(catalogue.read_text()):
        problems["missing a plural form"] = found
    assert not problems, (
        f"{language} catalogue incomplete; run `make messages` and translate:\n"
        + ("\n".join(f"{what}: {ids!r}" for what, ids in problems.items()))
    )


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 منظمة"),
        (1, "1 منظمة"),
        (2, "2 منظمتان"),
        (7, "7 منظمات"),
        (11, "11 منظمةً"),
        (103, "103 منظمات"),
        (100, "100 منظمة"),
    ],
)
def test_arabic_counts_take_the_form_arabic_grammar_needs(count, expected):
    """Arabic has six plural forms: zero, one, two, 3 to 10, 11 to 99 and the rest (by the
    last two digits, so 103 is like 3)."""
    with translation.override("ar"):
        text = ngettext("%(count)d organisation", "%(count)d organisations", count)

    assert text % {"count": count} == expected


@pytest.mark.django_db
def test_account_pages_in_arabic_address_people_formally(client):
    """allauth's own Arabic says "هل نسيت" (to one man); PeaceNet's uses the plural of respect."""
    login = client.get(
        reverse("account_login"), headers={"accept-language": "ar"}, follow=True
    ).content.decode()

    assert "هل نسيتم كلمة المرور؟" in login
    assert "هل نسيت كلمة المرور؟" not in login
    with translation.override("ar"):
        assert gettext("Are you sure you want to sign out?") == (
            "هل أنتم متأكدون من أنكم تريدون تسجيل الخروج؟"
        )
        assert gettext("Generate") == "إنشاء"


@pytest.mark.django_db
def test_a_first_visit_follows_the_browsers_language(client):
    response = client.get(
        reverse("organisations:directory") + "?kind=ngo",
        headers={"accept-language": "nl-NL,nl;q=0.9,en;q=0.5"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/nl/organisations/?kind=ngo"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    dutch = client.get(response["Location"])
    assert dutch.headers["Content-Language"] == "nl"
    assert '<html lang="nl" dir="ltr">' in dutch.content.decode()
    assert ">Overzicht</a>" in dutch.content.decode()


@pytest.mark.django_db
def test_every_existing_address_stays_english(client):
    for headers in ({}, {"accept-language": "de-DE,de;q=0.9"}, {"accept-language": "en,nl"}):
        response = client.get(reverse("home"), headers=headers)

        assert response.status_code == 200
        assert '<html lang="en" dir="ltr">' in response.content.decode()


@pytest.mark.django_db
def test_a_chosen_language_wins_over_the_browsers(client):
    client.cookies["django_language"] = "en"
    english = client.get(reverse("events:list"), headers={"accept-language": "ar"})
    client.cookies["django_language"] = "fr"
    french = client.get(reverse("events:list"), headers={"accept-language": "nl"})

    assert english.status_code == 200
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    assert (french.status_code, french["Location"]) == (302, "/fr/events/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "html"),
    [
        ("nl", '<html lang="nl" dir="ltr">'),
        ("fr", '<html lang="fr" dir="ltr">'),
        ("ar", '<html lang="ar" dir="rtl">'),
    ],
)
def test_a_prefixed_address_carries_its_language_whatever_the_browser(client, language, html):
    client.cookies["django_language"] = "en"
    response = client.get(f"/{language}/organisations/", headers={"accept-language": "de"})

    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    assert html in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/healthz", "/robots.txt", "/sitemap.xml", "/favicon.ico"])
def test_addresses_for_machines_are_never_redirected(client, address):
    response = client.get(address, headers={"accept-language": "ar"})

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_post_to_a_plain_address_is_not_redirected(client):
    response = client.post(
        reverse("account_login"),
        {"login": "nobody@example.org", "password": "wrong"},
        headers={"accept-language": "fr"},
    )

    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "page", "switched"),
    [
        ("nl", "/organisations/?kind=ngo", "/nl/organisations/?kind=ngo"),
        ("ar", "/fr/events/", "/ar/events/"),
        ("en", "/ar/partnerships/", "/partnerships/"),
    ],
)
def test_switching_language_keeps_the_page(client, language, page, switched):
    response = client.post(reverse("set_language"), {"language": language, "next": page})

    assert (response.status_code, response.url) == (302, switched)
    assert response.cookies["django_language"].value == language
    html = client.get(switched).content.decode()
    assert f'<html lang="{language}"' in html


@pytest.mark.django_db
def test_switching_to_dutch_on_a_profile_shows_the_dutch_profile(client):
    organisation = OrganisationFactory(name="Amani Diaspora", slug="amani")
    switched = client.post(
        reverse("set_language"), {"language": "nl", "next": organisation.get_absolute_url()}
    )

    assert switched.url == "/nl/organisations/amani/"
    dutch = client.get(switched.url).content.decode()
    assert "Amani Diaspora" in dutch
    assert '<html lang="nl" dir="ltr">' in dutch


@pytest.mark.django_db
def test_empty_choice_label_is_dutch_too():
    with translation.override("nl"):
        rendered = str(OrganisationForm()["kind"])

    assert '<option value="" selected>- Kies een optie -</option>' in rendered


@pytest.mark.django_db
def test_account_pages_messages_and_emails_address_people_formally(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """allauth's own Dutch says "je"; PeaceNet's catalogue gives its texts in formal Dutch."""
    login = client.get(in_language(reverse("account_login"), "nl")).content.decode()
    assert "Hebt u nog geen account?" in login

    signup_page = in_language(reverse("account_signup"), "nl")
    mistyped = client.post(
        signup_page,
        {"email": "amina@example.org", "password1": "Vr3de-in-Den-Haag", "password2": "x"},
    )
    assert "Vul beide keren hetzelfde wachtwoord in." in mistyped.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        signup = client.post(
            signup_page,
            {
                "email": "amina@example.org",
                "password1": "Vr3de-in-Den-Haag",
                "password2": "Vr3de-in-Den-Haag",
            },
            follow=True,
        )

    assert "We hebben u een e-mail gestuurd" in signup.content.decode()
    (confirmation,) = mailoutbox
    assert confirmation.subject == "[PeaceNet] Bevestig uw e-mailadres"
    assert "U ontvangt deze e-mail omdat gebruiker" in confirmation.body
    for informal in (" je ", " jij ", " jouw "):
        assert informal not in f" {confirmation.body} "


@pytest.mark.django_db
def test_french_account_pages_messages_and_emails_use_peacenets_wording(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """allauth's own French greets with "Bonjour, c'est …" and says "email" and "e-mail" by
    turns; PeaceNet's catalogue gives its texts in its own formal French."""
    french = {"accept-language": "fr"}
    signup_url = in_language(reverse("account_signup"), "fr")
    signup_page = client.get(signup_url, headers=french).content.decode()
    assert "Vous avez déjà un compte\u00a0? Veuillez alors" in signup_page

    mistyped = client.post(
        signup_url,
        {"email": "amina@example.org", "password1": "Paix-a-La-Haye-7", "password2": "x"},
        headers=french,
    )
    assert "Veuillez saisir deux fois le même mot de passe." in mistyped.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        signup = client.post(
            signup_url,
            {
                "email": "amina@example.org",
                "password1": "Paix-a-La-Haye-7",
                "password2": "Paix-a-La-Haye-7",
            },
            headers=french,
            follow=True,
        )

    assert "Nous vous avons envoyé un e-mail de vérification." in signup.content.decode()
    (confirmation,) = mailoutbox
    assert confirmation.subject == "[PeaceNet] Veuillez confirmer votre adresse e-mail"
    assert confirmation.body.startswith("Bonjour de la part de ")
    assert "Vous recevez cet e-mail parce que l\u2019utilisateur" in confirmation.body
    for informal in (" tu ", " ton ", " ta ", " tes ", " toi "):
        assert informal not in f" {confirmation.body} "


@pytest.mark.django_db
def test_french_email_page_spaces_the_colons_allauth_adds(client, user):
    """allauth's email page puts a colon straight after its labels; French wants a space."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)

    page = client.get(in_language(reverse("account_email"), "fr")).content.decode()

    assert "Adresse e-mail actuelle\u00a0:" in page
    assert "Nouvelle adresse e-mail\u00a0:" in page


def test_french_plurals_follow_french_rules():
    """Nought and one take the singular in French; the catalogue's plural forms say so."""
    with translation.override("fr"):
        shown = {
            n: ngettext("%(total)s organisation", "%(total)s organisations", n) % {"total": n}
            for n in (0, 1, 2, 1_000_000)
        }

    assert shown == {
        0: "0 organisation",
        1: "1 organisation",
        2: "2 organisations",
        1_000_000: "1000000 organisations",
    }


def french_texts():
    """Every French translation in the compiled catalogue, without placeholders and tags."""
    catalogue = settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
    with open(catalogue, "rb") as compiled:
        translations = GNUTranslations(compiled)
    for key, text in translations._catalog.items():
        source = key[0] if isinstance(key, tuple) else key
        if source:  # not the header
            yield source, re.sub(r"<[^>]+>|%\(\w+\)[sd]|%[sd]", "", text)


def test_french_catalogue_keeps_its_register_and_typography():
    """The rules in the French catalogue's header: "vous", "e-mail", French punctuation."""
    problems = []
    for source, text in french_texts():
        if re.search(r"\b(tu|toi|ton|ta|tes|te)\b", text, re.IGNORECASE):
            problems.append(("informal", source))
        if re.search(r"\bemail\b|courriel|sûr\(e\)", text, re.IGNORECASE):
            problems.append(("not PeaceNet's word", source))
        if "'" in text:
            problems.append(("straight apostrophe", source))
        # Quoted names keep their own language's punctuation ("Partnerships for Peace: …").
        unquoted = re.sub(r"«\s[^»]*\s»", "« »", text)
        if re.search(r"[^\s][:;?!»](?!//)|«[^\s]", unquoted):
            problems.append(("no space at double punctuation", source))
        if re.search(r" [:;?!»]|« ", text):
            problems.append(("breakable space at punctuation", source))

    assert not problems, problems


@pytest.mark.django_db
def test_every_page_links_its_versions_in_every_language(client, settings):
    settings.SITE_URL = "https://peacenet.example"
    OrganisationFactory(slug="amani")

    html = client.get("/fr/organisations/amani/").content.decode()

    for language, address in [
        ("en", "/organisations/amani/"),
        ("nl", "/nl/organisations/amani/"),
        ("fr", "/fr/organisations/amani/"),
        ("ar", "/ar/organisations/amani/"),
        ("x-default", "/organisations/amani/"),
    ]:
        link = f'<link rel="alternate" hreflang="{language}" href="https://peacenet.example{address}">'
        assert link in html


@pytest.mark.django_db
def test_a_page_with_filters_links_the_same_filters_in_every_language(client, settings):
    settings.SITE_URL = "https://peacenet.example"

    html = client.get("/organisations/?kind=ngo").content.decode()

    assert 'hreflang="ar" href="https://peacenet.example/ar/organisations/?kind=ngo"' in html


@pytest.mark.django_db
def test_a_missing_page_has_no_language_versions(client):
    response = client.get("/nl/organisations/no-such-organisation/")

    assert response.status_code == 404
    assert "hreflang" not in response.content.decode()
