"""English and Dutch: the browser's language is the default, URLs never change, and every
string a user can read has a Dutch translation."""

import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from organisations.forms import OrganisationForm

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


def test_dutch_catalogue_translates_every_string(tmp_path, settings, monkeypatch):
    msgattrib = shutil.which("msgattrib")
    assert msgattrib, "GNU gettext is needed for translations (apt-get install gettext)"
    # makemessages merges into the catalogue next to the sources, so run it on a copy.
    project = tmp_path / "project"
    shutil.copytree(settings.BASE_DIR, project, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    settings.LOCALE_PATHS = [project / "locale"]
    monkeypatch.chdir(project)

    call_command(
        "makemessages", locale=["nl"], no_location=True, ignore_patterns=NOT_SOURCE, verbosity=0
    )

    catalogue = project / "locale" / "nl" / "LC_MESSAGES" / "django.po"
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
    assert not problems, "Dutch catalogue incomplete; run `make messages` and translate:\n" + (
        "\n".join(f"{what}: {ids!r}" for what, ids in problems.items())
    )


@pytest.mark.django_db
def test_language_defaults_to_the_browsers_language(client):
    response = client.get(reverse("home"), headers={"accept-language": "nl-NL,nl;q=0.9,en;q=0.5"})

    assert response.headers["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()
    assert ">Overzicht</a>" in response.content.decode()


@pytest.mark.django_db
def test_language_falls_back_to_english_for_other_browsers(client):
    response = client.get(reverse("home"), headers={"accept-language": "de-DE,de;q=0.9"})

    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_switching_language_keeps_the_same_url(client):
    directory = reverse("organisations:directory")

    response = client.post(reverse("set_language"), {"language": "nl", "next": directory})

    assert response.status_code == 302
    assert response.url == directory
    dutch = client.get(directory)
    assert '<html lang="nl">' in dutch.content.decode()
    assert "<h1>Overzicht van organisaties" in dutch.content.decode()


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
    dutch = {"accept-language": "nl"}
    login = client.get(reverse("account_login"), headers=dutch).content.decode()
    assert "Hebt u nog geen account?" in login

    mistyped = client.post(
        reverse("account_signup"),
        {"email": "amina@example.org", "password1": "Vr3de-in-Den-Haag", "password2": "x"},
        headers=dutch,
    )
    assert "Vul beide keren hetzelfde wachtwoord in." in mistyped.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        signup = client.post(
            reverse("account_signup"),
            {
                "email": "amina@example.org",
                "password1": "Vr3de-in-Den-Haag",
                "password2": "Vr3de-in-Den-Haag",
            },
            headers=dutch,
            follow=True,
        )

    assert "We hebben u een e-mail gestuurd" in signup.content.decode()
    (confirmation,) = mailoutbox
    assert confirmation.subject == "[PeaceNet] Bevestig uw e-mailadres"
    assert "U ontvangt deze e-mail omdat gebruiker" in confirmation.body
    for informal in (" je ", " jij ", " jouw "):
        assert informal not in f" {confirmation.body} "
