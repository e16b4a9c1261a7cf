from allauth.account.forms import SignupForm as AllauthSignupForm
from django.conf import settings


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, with its honeypot hidden by our stylesheet.

    allauth hides the honeypot with an inline style, which our Content-Security-Policy blocks;
    the ``honeypot`` class makes ``peacenet/includes/form_field.html`` hide it instead.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        honeypot = self.fields.get(settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD)
        if honeypot is not None:
            honeypot.widget.attrs.pop("style", None)
            honeypot.widget.attrs.update({"class": "honeypot", "autocomplete": "off"})
