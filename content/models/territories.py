"""Page types of the public site and the groups that guard each territory."""

from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Collection, Page
from wagtail.search import index

from content.routing import DescendantRoutingMixin

TIME_ZONE_CHOICES = sorted((zone, zone) for zone in available_timezones())


class HomePage(DescendantRoutingMixin, Page):
    """The root of the public site: introduces Maillage and lists territories."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.TerritoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["territories"] = (
            TerritoryPage.objects.child_of(self).live().public().order_by("title")
        )
        return context


class TerritoryKind(models.TextChoices):
    """How a territory is organised administratively."""

    MRC = "mrc", _("Regional county municipality (MRC)")
    COMMUNAUTE_DE_COMMUNES = "communaute_de_communes", _("Communauté de communes")
    OTHER = "other", _("Other")


class Country(models.TextChoices):
    """Countries the programmes run in."""

    FRANCE = "FR", _("France")
    CANADA = "CA", _("Canada")


territory_code_validator = RegexValidator(
    r"^[A-Z0-9]{2,8}$",
    _("Use 2 to 8 capital letters or digits, for example BRO or MRC1."),
)


class TerritoryCodeField(models.CharField):
    """A short code, stored in capitals whatever case the coordinator typed."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip().upper() if isinstance(value, str) else value


class TerritoryPage(Page):
    """One territory; everything else (forms, workflows, cases…) belongs to one.

    The page title is the territory's name. Creating a territory creates its
    groups (see `content.services.territory_set_up_groups`).
    """

    kind = models.CharField(_("kind"), max_length=32, choices=TerritoryKind.choices)
    region = models.CharField(_("region"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.FRANCE
    )
    code = TerritoryCodeField(
        _("short code"),
        max_length=8,
        unique=True,
        validators=[territory_code_validator],
        help_text=_("Appears in case and submission references, e.g. BRO-2026-0042."),
    )
    description = RichTextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="Europe/Paris",
    )
    collection = models.ForeignKey(
        Collection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("media collection"),
    )

    content_panels = [
        FieldPanel("title", heading=_("Name of the territory")),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("code"),
                FieldPanel("region"),
                FieldPanel("country"),
                FieldPanel("time_zone"),
            ],
            heading=_("Identity"),
        ),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            heading=_("Contact"),
        ),
    ]

    parent_page_types = ["content.HomePage"]
    subpage_types = [
        "forms_library.IntakeFormPage",
        "content.ActionPlanPage",
        "content.PartnerDirectoryPage",
    ]

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    @classmethod
    def containing(cls, page: Page | None) -> "TerritoryPage | None":
        """The territory a page belongs to: itself, or its nearest one above."""
        if page is None:
            return None
        return cls.objects.ancestor_of(page, inclusive=True).first()

    def get_context(self, request, *args, **kwargs):
        from content.models import ActionPlanPage, PartnerDirectoryPage
        from content.selectors import territory_unit_totals
        from forms_library.models import IntakeFormPage

        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live().public()
        context["forms"] = children.type(IntakeFormPage)
        context["plans"] = (
            ActionPlanPage.objects.child_of(self)
            .live()
            .public()
            .order_by("-period_start")
        )
        context["directory"] = children.type(PartnerDirectoryPage).first()
        context["unit_totals"] = territory_unit_totals(territory=self)
        return context


class TerritoryRole(models.TextChoices):
    """The roles a person can hold in a territory, each backed by one group."""

    COORDINATION = "coordination", _("Coordination")
    INTERVENTION = "intervention", _("Social workers")
    PARTNERS = "partners", _("Partners")
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")


class TerritoryGroup(models.Model):
    """Links a territory to the Django group that holds one of its roles."""

    territory = models.ForeignKey(
        TerritoryPage,
        on_delete=models.CASCADE,
        related_name="territory_groups",
        verbose_name=_("territory"),
    )
    role = models.CharField(_("role"), max_length=32, choices=TerritoryRole.choices)
    group = models.OneToOneField(
        Group,
        on_delete=models.CASCADE,
        related_name="territory_group",
        verbose_name=_("group"),
    )

    class Meta:
        verbose_name = _("territory group")
        verbose_name_plural = _("territory groups")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "role"], name="unique_territory_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory.title} — {self.get_role_display()}"


class PartnerKind(models.TextChoices):
    """The kinds of organisations a territory works with."""

    CCAS = "ccas", _("Social action centre (CCAS, CIAS)")
    SHELTER = "shelter", _("Shelter or housing service (CHRS, CADA, MECS)")
    FOOD_BANK = "food_bank", _("Food bank or food aid")
    GROCERY = "grocery", _("Social grocery")
    KITCHEN = "kitchen", _("Community kitchen")
    COMMUNITY = "community", _("Community organisation")
    PUBLIC = "public", _("Public service")
    OTHER = "other", _("Other")


class PartnerOrganisation(index.Indexed, models.Model):
    """An organisation of a territory's directory, which cases can be referred to.

    Its members are the accounts of its staff: they see and act on the cases
    referred to it.
    """

    territory = models.ForeignKey(
        TerritoryPage,
        on_delete=models.PROTECT,
        related_name="partners",
        verbose_name=_("territory"),
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(
        _("kind"), max_length=16, choices=PartnerKind.choices, default=PartnerKind.OTHER
    )
    services = models.TextField(_("services offered"), blank=True)
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Referrals are announced at this address.")
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.TextField(_("address"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="partner_organisations",
        verbose_name=_("members"),
        help_text=_("Their accounts see the cases referred to this organisation."),
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("territory"),
    ]

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "name"], name="unique_partner_name_per_territory"
            )
        ]

    def __str__(self) -> str:
        return self.name
