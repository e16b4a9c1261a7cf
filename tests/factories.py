import factory
from django.contrib.auth import get_user_model

from organisations.models import Announcement, Facilitator, Membership, NetworkGroup, Organisation

PASSWORD = "a-long-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)


class NetworkGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkGroup

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    tagline = "A peace network group"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Peace Organisation {n}")
    slug = factory.Sequence(lambda n: f"peace-organisation-{n}")
    kind = Organisation.Kind.NGO
    summary = "Works for peace in The Hague."
    description = "A longer description of the organisation's work."
    city = "The Hague"
    status = Organisation.Status.PUBLISHED

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.OWNER


class FacilitatorFactory(factory.django.DjangoModelFactory):
    """A person appointed to facilitate a group, a member of the facilitating organisation."""

    class Meta:
        model = Facilitator

    group = factory.SubFactory(NetworkGroupFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        Membership.objects.get_or_create(
            user=kwargs["user"],
            organisation=kwargs["organisation"],
            defaults={"role": Membership.Role.EDITOR},
        )
        return super()._create(model_class, *args, **kwargs)


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    group = factory.SubFactory(NetworkGroupFactory)
    title = factory.Sequence(lambda n: f"Announcement {n}")
    text = "The group meets again next month."
    organisation = factory.SubFactory(OrganisationFactory)
