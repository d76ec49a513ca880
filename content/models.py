"""Page types of the public site and the groups that guard each territory."""

from zoneinfo import available_timezones

from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Collection, Page

TIME_ZONE_CHOICES = sorted((zone, zone) for zone in available_timezones())


class HomePage(Page):
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
    subpage_types = ["forms_library.IntakeFormPage"]

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")


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
