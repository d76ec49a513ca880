"""Public views: the intake form wizard hosted by an intake form page."""

import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import Storage, storages
from django.forms import FileField, MultipleChoiceField
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from formtools.wizard.views import SessionWizardView

from content.permissions import territories_granting
from forms_library.attachments import stored_extension
from forms_library.blocks import WRITTEN_CHOICE_BLOCK_TYPES
from forms_library.forms import (
    ReviewForm,
    Step,
    StepForm,
    published_form,
    question_answer_display,
)
from forms_library.models import FormDefinition, IntakeFormPage, SubmissionSource
from forms_library.services import (
    submission_allowed_from,
    submission_create,
    submission_receipt_address,
    submission_send_receipt,
)

REVIEW_STEP = "review"
REVISION_KEY_NAME = "revision"
IDEMPOTENCY_KEY_NAME = "submission_key"
# Posted, clears what was typed: on a shared computer, the next person starts
# from a blank form. (Not a link: a browser prefetching it would clear it.)
START_OVER = "start-over"
# When the person last acted; their answers come back within this time.
TOUCHED_KEY_NAME = "touched"
RESUME_WITHIN = timedelta(minutes=30)


@dataclass
class _StoredSteps:
    """The steps stored so far, each validated once, in order, against the
    answers of the shown steps before it."""

    answers_before: dict[str, dict[str, Any]] = field(default_factory=dict)
    forms: dict[str, StepForm] = field(default_factory=dict)
    validated: int = 0  # how many steps, from the first, are validated
    answers: dict[str, Any] = field(default_factory=dict)  # theirs, if shown

    def forget_from(self, steps: tuple[Step, ...], index: int) -> None:
        """Forget the step at `index` and those after it (its stored answers
        changed); the steps before it are validated against the same answers
        as before, so they still hold."""
        if index >= self.validated:
            return
        self.answers = dict(self.answers_before[steps[index].key])
        for step in steps[index:]:
            self.forms.pop(step.key, None)
            self.answers_before.pop(step.key, None)
        self.answers_before.pop(REVIEW_STEP, None)
        self.validated = index


class _UnderRandomNames:
    """A storage that saves each file under a random name.

    The wizard would save an attachment under the name the person's phone
    gave it, which may be longer than a disk allows (255 bytes: 85 accented
    or Asian letters) and says what the document is. The person's name for
    it stays with their answers, in their session.
    """

    def __init__(self, storage: Storage):
        self._storage = storage

    def save(self, name: str, content, max_length: int | None = None) -> str:
        name = f"{uuid.uuid4().hex}.{stored_extension(name)}"
        return self._storage.save(name, content)

    def __getattr__(self, attribute: str):
        return getattr(self._storage, attribute)


def _reference_session_key(page: IntakeFormPage) -> str:
    return f"intake_{page.pk}_reference"


class IntakeWizardView(SessionWizardView):
    """The steps of one published form revision, then a review, then done."""

    template_name = "forms_library/intake_form_page.html"
    page: IntakeFormPage | None = None
    revision = None
    definition = None  # the revision's form definition, deserialised once
    steps_spec: tuple[Step, ...] = ()
    today: date | None = None  # where the residents live: date periods count from it

    @property
    def file_storage(self):
        # Attachments wait here, privately, until the form is sent.
        return _UnderRandomNames(storages["private_in_progress"])

    def setup(self, request, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self._stored = _StoredSteps()

    def get_prefix(self, request, *args, **kwargs) -> str:
        return f"intake_{self.page.pk}"

    def get(self, request, *args, **kwargs):
        if self._resumable():
            if self._stale():
                return self._carry_over(posted_step=None)
            return self._resume()
        response = super().get(request, *args, **kwargs)
        self._start()
        return response

    def _resumable(self) -> bool:
        """Whether this person was part-way through, a moment ago.

        Not for long: on a shared computer, the next resident must not find
        the last one's answers; nor for staff entering requests for several
        people one after another.
        """
        extra = self.storage.extra_data or {}
        touched = extra.get(TOUCHED_KEY_NAME)
        return (
            touched is not None
            and time.time() - touched < RESUME_WITHIN.total_seconds()
            and self.storage.current_step != self.steps.first
            and (self._stale() or self.storage.current_step in self.get_form_list())
            and self._staff_of(self.page.territory) is None
        )

    def _stale(self) -> bool:
        extra = self.storage.extra_data or {}
        return extra.get(REVISION_KEY_NAME) not in (None, self.revision.pk)

    def _resume(self):
        # Opening the page again (a dropped connection, a tab closed, the
        # other language) takes the person back to where they were.
        messages.info(
            self.request,
            _("You are back where you left off; your answers are kept."),
        )
        return self.render(self._as_left(self.storage.current_step))

    def _as_left(self, step: str):
        """The step with what the person typed, without errors: they have not
        sent it yet (what is missing is said when they do)."""
        form = self.get_form(step=step)
        data = self.storage.get_step_data(step)
        if data is None or step == REVIEW_STEP:
            return form
        for name, form_field in form.fields.items():
            key = form.add_prefix(name)
            if key in data:
                form.initial[name] = (
                    data.getlist(key)
                    if isinstance(form_field, MultipleChoiceField)
                    else data.get(key)
                )
        return form

    def _start(self) -> None:
        self.storage.extra_data = {
            IDEMPOTENCY_KEY_NAME: uuid.uuid4().hex,
            REVISION_KEY_NAME: self.revision.pk,
            TOUCHED_KEY_NAME: time.time(),
        }

    def _touch(self) -> None:
        extra = self.storage.extra_data
        if extra:
            self.storage.extra_data = {**extra, TOUCHED_KEY_NAME: time.time()}

    def post(self, *args, **kwargs):
        if START_OVER in self.request.POST:
            self.storage.reset()
            return HttpResponseRedirect(self.request.path)
        posted_step = self.request.POST.get(f"{self.prefix}-current_step")
        extra = self.storage.extra_data or {}
        if posted_step == REVIEW_STEP and not extra:
            # Sent already (a second click, a resent page): show the receipt.
            reference_key = _reference_session_key(self.page)
            if reference_key in self.request.session:
                return HttpResponseRedirect(self._confirmation_url())
        if self._stale():
            return self._carry_over(posted_step)
        unknown = posted_step is not None and posted_step not in self.get_form_list()
        if unknown or not extra:
            # The step does not exist (or is hidden by a condition), or the
            # session expired: start over.
            return self._restart()
        self._touch()
        return super().post(*args, **kwargs)

    def _carry_over(self, posted_step: str | None):
        """The form was published again while this person filled it: keep
        their answers and files, by machine name, in the new version's steps,
        and take them to the first step that needs them.

        Consents are asked again: the purpose shown may have changed.
        """
        data_key, files_key = self.storage.step_data_key, self.storage.step_files_key
        typed: dict[str, list] = {}
        posted = {posted_step: self.request.POST} if posted_step else {}
        for step_key, data in {**self.storage.data[data_key], **posted}.items():
            values = data.lists() if hasattr(data, "lists") else data.items()
            for key, value in values:
                if key.startswith(f"{step_key}-"):
                    typed[key.removeprefix(f"{step_key}-")] = value
        uploaded = {
            key.removeprefix(f"{step_key}-"): stored_file
            for step_key, step_files in self.storage.data[files_key].items()
            for key, stored_file in step_files.items()
        }
        # A file sent with the very page that met the new version is kept
        # too: the person must not have to choose it again.
        just_sent = {
            key.removeprefix(f"{posted_step}-"): upload
            for key, upload in self.request.FILES.items()
            if posted_step and key.startswith(f"{posted_step}-")
        }
        new_data: dict[str, dict] = {}
        new_files: dict[str, dict] = {}
        to_store: dict[str, dict] = {}
        for step in self.steps_spec:
            for block in step.answerable():
                name, key = block.value["name"], f"{step.key}-{block.value['name']}"
                if block.block_type == "consent":
                    continue
                if name in typed:
                    new_data.setdefault(step.key, {})[key] = typed[name]
                if block.block_type == "file" and name in just_sent:
                    new_data.setdefault(step.key, {})
                    to_store.setdefault(step.key, {})[key] = just_sent[name]
                elif block.block_type == "file" and name in uploaded:
                    new_data.setdefault(step.key, {})
                    new_files.setdefault(step.key, {})[key] = uploaded[name]
        self.storage.data[data_key] = new_data
        self.storage.data[files_key] = new_files
        for step_key, files in to_store.items():
            self.storage.set_step_files(step_key, files)
        self._start()
        self._stored = _StoredSteps()
        forms = self._stored_steps().forms
        step = next(
            (
                key
                for key in self.get_form_list()
                if key != REVIEW_STEP and not (key in forms and forms[key].is_valid())
            ),
            REVIEW_STEP,
        )
        self.storage.current_step = step
        messages.info(
            self.request,
            _(
                "The form was updated while you filled it: your answers are kept. "
                "Answer what is new or asked again, then check everything on the "
                "review before sending."
            ),
        )
        return self.render(self._as_left(step))

    def _restart(self):
        self.storage.reset()
        self._stored = _StoredSteps()
        self.storage.current_step = self.steps.first
        self._start()
        messages.info(
            self.request,
            _("The form has changed or your session expired: please start again."),
        )
        return self.render(self.get_form())

    def _confirmation_url(self) -> str:
        return self.page.url + self.page.reverse_subpage("intake_confirmation")

    def _step(self, key: str) -> Step:
        return next(step for step in self.steps_spec if step.key == key)

    def answers_before(self, key: str) -> dict[str, Any]:
        """The valid answers of the shown steps before `key` (all, for review)."""
        return dict(self._stored_steps().answers_before[key])

    def _stored_steps(self) -> _StoredSteps:
        if self._stored.validated < len(self.steps_spec):
            self._validate_stored_steps(self._stored)
        return self._stored

    def _validate_stored_steps(self, stored: _StoredSteps) -> None:
        """Validate the stored steps not validated yet, in order."""
        for step in self.steps_spec[stored.validated :]:
            stored.answers_before[step.key] = dict(stored.answers)
            stored.validated += 1
            data = self.storage.get_step_data(step.key)
            if data is None or not step.is_shown(stored.answers):
                continue
            form = StepForm(
                data=data,
                files=self.storage.get_step_files(step.key),
                prefix=self.get_form_prefix(step.key, StepForm),
                step=step,
                earlier_answers=dict(stored.answers),
                today=self.today,
            )
            stored.forms[step.key] = form
            if form.is_valid():
                stored.answers.update(form.visible_answers())
        stored.answers_before[REVIEW_STEP] = dict(stored.answers)

    def process_step(self, form):
        # This step's answers are about to be stored: it and the steps after
        # it (their conditions, their limits) are validated again when read.
        # The review stores no answer: the steps' validation still holds.
        if self.steps.current != REVIEW_STEP:
            index = [step.key for step in self.steps_spec].index(self.steps.current)
            self._stored.forget_from(self.steps_spec, index)
        return super().process_step(form)

    def get_form_kwargs(self, step=None):
        if step == REVIEW_STEP:
            return {}
        return {
            "step": self._step(step),
            "earlier_answers": self.answers_before(step),
            "today": self.today,
        }

    def get_form_initial(self, step):
        # A file already received for this step stands until the person
        # chooses another: coming back to the step (Back, the review's Back)
        # must not ask for it again.
        if step == REVIEW_STEP:
            return {}
        prefix = f"{self.get_form_prefix(step, StepForm)}-"
        return {
            key.removeprefix(prefix): upload
            for key, upload in (self.storage.get_step_files(step) or {}).items()
        }

    def get_form(self, step=None, data=None, files=None):
        form = super().get_form(step=step, data=data, files=files)
        if isinstance(form, StepForm):
            for name, value in form.initial.items():
                if isinstance(form.fields.get(name), FileField) and value:
                    form.note_kept_file(name, value.name)
        return form

    def process_step_files(self, form):
        # Only the files chosen with this page are stored; those they
        # replace, and those the person removed, are deleted.
        uploads = super().process_step_files(form)
        removed = [
            form.add_prefix(name)
            for name, form_field in form.fields.items()
            if isinstance(form_field, FileField) and form.cleaned_data.get(name) is None
        ]
        self._forget_files(self.steps.current, [*(uploads or {}), *removed])
        return uploads

    def render(self, form=None, **kwargs):
        if isinstance(form, StepForm) and form.is_bound and self.request.FILES:
            self._keep_valid_uploads(form)
        return super().render(form, **kwargs)

    def _keep_valid_uploads(self, form: StepForm) -> None:
        """A file received with a step that has errors elsewhere is kept: the
        person must not have to choose it (or take its photo) again."""
        uploads = {}
        for name, form_field in form.fields.items():
            key = form.add_prefix(name)
            if (
                isinstance(form_field, FileField)
                and key in self.request.FILES
                and name not in form.errors
            ):
                uploads[key] = self.request.FILES[key]
        if not uploads:
            return
        self._forget_files(self.steps.current, uploads)
        self.storage.set_step_files(self.steps.current, uploads)
        for key, upload in uploads.items():
            form.note_kept_file(key.removeprefix(f"{form.prefix}-"), upload.name)

    def _forget_files(self, step: str, keys) -> None:
        """Delete the stored files of `step` under these keys (about to be
        replaced), and the storage's open copy of them."""
        stored = self.storage.data[self.storage.step_files_key].get(step, {})
        for key in keys:
            if key in stored:
                self.file_storage.delete(stored.pop(key)["tmp_name"])
            # formtools keeps the files it opened for the whole request.
            self.storage._files.pop((step, key), None)

    def render_goto_step(self, goto_step, **kwargs):
        # Going back keeps what was typed on this step, even incomplete: it
        # comes back when the person returns, with what is missing said.
        # (Files already sent stay stored; none is taken from this post.)
        # An older page (another tab, the browser's history) may post another
        # step than the one the person is on: it must not overwrite it.
        posted_step = self.request.POST.get(f"{self.prefix}-current_step")
        if posted_step == self.steps.current:
            form = self.get_form(data=self.request.POST, files=self.request.FILES)
            self.storage.set_step_data(self.steps.current, self.process_step(form))
        return super().render_goto_step(goto_step, **kwargs)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(
            page=self.page,
            definition=self.definition,
            step_title=(
                self._step(self.steps.current).title
                if self.steps.current != REVIEW_STEP
                else None
            ),
            is_review=self.steps.current == REVIEW_STEP,
            start_over=START_OVER,
        )
        if context["is_review"]:
            context["review"] = self._review_sections()
        return context

    def _review_sections(self) -> list[dict[str, Any]]:
        """The answers step by step, each step with its number among those
        shown, so the person can go back to the one to change."""
        answers = self.answers_before(REVIEW_STEP)
        shown = self.get_form_list()
        sections = []
        shown_steps = (step for step in self.steps_spec if step.key in shown)
        for number, step in enumerate(shown_steps, start=1):
            rows = [
                {
                    "label": block.value["label"],
                    "display": question_answer_display(block, answers[name]),
                    # A choice is the coordinator's words; other answers, the
                    # person's.
                    "is_choice": block.block_type in WRITTEN_CHOICE_BLOCK_TYPES,
                }
                for block in step.answerable()
                if (name := block.value["name"]) in answers
            ]
            sections.append(
                {
                    "step": step.key,
                    "title": step.title,
                    "name": step.title or _("Step %(number)s") % {"number": number},
                    "rows": rows,
                }
            )
        return sections

    def _staff_of(self, territory):
        """The signed-in member of the territory entering this on someone's behalf."""
        user = self.request.user
        if (
            user.is_authenticated
            and territories_granting(user, "view").filter(pk=territory.pk).exists()
        ):
            return user
        return None

    def render_done(self, form, **kwargs):
        # Checked before the wizard forgets the answers, so a person who is
        # told to wait loses nothing and can send again later.
        address = self.request.META.get(settings.MAILLAGE_CLIENT_ADDRESS_HEADER, "")
        if not submission_allowed_from(address=address):
            return TemplateResponse(
                self.request,
                "forms_library/intake_form_rate_limited.html",
                {"page": self.page},
                status=429,
            )
        # Every shown step is checked again before sending (formtools' rule
        # against tampering), reusing this request's single validation pass.
        stored = self._stored_steps()
        for key in self.get_form_list():
            if key == REVIEW_STEP:
                continue
            step_form = stored.forms.get(key) or self.get_form(step=key)
            if not step_form.is_valid():
                return self.render_revalidation_failure(key, step_form, **kwargs)
        response = self.done(list(stored.forms.values()), **kwargs)
        self.storage.reset()
        return response

    def done(self, form_list, **kwargs):
        answers = self.answers_before(REVIEW_STEP)
        token = (self.storage.extra_data or {}).get(IDEMPOTENCY_KEY_NAME)
        territory = self.page.territory
        staff = self._staff_of(territory)
        submission, created = submission_create(
            revision=self.revision,
            territory=territory,
            answers=answers,
            source=SubmissionSource.ADMIN if staff else SubmissionSource.WEB,
            entered_by=staff,
            intake_page=self.page,
            idempotency_key=token,
        )
        email = submission_receipt_address(submission=submission)
        if created and email:
            submission_send_receipt(
                submission=submission, language=self.request.LANGUAGE_CODE
            )
        self.request.session[_reference_session_key(self.page)] = submission.reference
        return HttpResponseRedirect(self._confirmation_url())


def intake_form_view(request: HttpRequest, page: IntakeFormPage) -> HttpResponse:
    """Serve the form, or say politely that it is not open."""
    # The form and the revision it shows, in one query for every step.
    definition = FormDefinition.objects.select_related(
        "live_revision", "territory"
    ).get(pk=page.form_definition_id)
    if not page.is_open() or not definition.live or definition.live_revision is None:
        return TemplateResponse(
            request,
            "forms_library/intake_form_closed.html",
            # Dates read in the territory's own time, as its residents live it.
            {"page": page, "now": timezone.now(), "territory": page.territory},
        )
    revision = definition.live_revision
    published, steps = published_form(revision)
    form_list = [(step.key, StepForm) for step in steps] + [(REVIEW_STEP, ReviewForm)]
    condition_dict = {
        step.key: _step_condition(step) for step in steps if step.may_be_hidden
    }
    view = IntakeWizardView.as_view(
        form_list=form_list,
        condition_dict=condition_dict,
        page=page,
        revision=revision,
        definition=published,
        steps_spec=steps,
        today=definition.local_today(),
    )
    return view(request)


def _step_condition(step: Step):
    def condition(wizard: IntakeWizardView) -> bool:
        return step.is_shown(wizard.answers_before(step.key))

    return condition


def intake_confirmation_view(
    request: HttpRequest, page: IntakeFormPage
) -> HttpResponse:
    """The thank-you page with the reference of what was just sent."""
    reference = request.session.get(_reference_session_key(page))
    if reference is None:
        return HttpResponseRedirect(page.url)
    return TemplateResponse(
        request,
        "forms_library/intake_form_confirmation.html",
        {"page": page, "reference": reference},
    )
