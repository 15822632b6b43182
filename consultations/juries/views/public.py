"""Public pages: list of juries, one jury, registration with a letter's code, the public draw."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from .. import selectors, selectors_workspace, services
from ..forms import RegistrationForm
from ..models import Channel, RegistrantStatus, RunStatus
from ..sortition import draw
from ._helpers import form_errors_to_form, get_jury_for_user, get_run_for_user


@require_GET
def jury_index(request: HttpRequest) -> HttpResponse:
    return render(request, "juries/index.html", {"juries": selectors.jury_list_public()})


@require_GET
def jury_detail(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug)
    return render(
        request,
        "juries/detail.html",
        {
            "jury": jury,
            "counts": selectors.jury_counts(jury),
            "registration_open": services.recruitment_open(jury),
            "runs": list(jury.runs.all()),
            **selectors_workspace.public_record(jury, user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug)
    if not services.recruitment_open(jury):
        return render(
            request, "juries/register_closed.html", {"jury": jury}, status=403 if request.method == "POST" else 200
        )
    if request.method == "POST":
        form = RegistrationForm(request.POST, jury=jury)
        limited = is_ratelimited(request, group="juries.register", key="ip", rate="20/h", method="POST", increment=True)
        if limited:
            form.add_error(None, _("Too many registrations from this connection. Please try again in an hour."))
        elif form.is_valid():
            try:
                registrant = services.registrant_register(
                    jury=jury,
                    code=form.cleaned_data["code"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    answers=form.answers(),
                    consent=form.cleaned_data["consent"],
                    channel=Channel.WEB,
                )
            except ValidationError as error:
                form_errors_to_form(form, error)
            else:
                request.session[f"juries.registered.{jury.pk}"] = registrant.pseudonym
                return redirect("juries:registered", slug=jury.slug)
        return render(request, "juries/register.html", {"jury": jury, "form": form}, status=429 if limited else 400)
    form = RegistrationForm(jury=jury, initial={"code": request.GET.get("code", "")[:20]})
    return render(request, "juries/register.html", {"jury": jury, "form": form})


@require_GET
def registered(request: HttpRequest, slug: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug)
    pseudonym = request.session.get(f"juries.registered.{jury.pk}")
    if not pseudonym:
        return redirect("juries:register", slug=jury.slug)
    return render(request, "juries/registered.html", {"jury": jury, "pseudonym": pseudonym})


@require_GET
def run_detail(request: HttpRequest, slug: str, run_id: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug)
    run = get_run_for_user(request, jury, run_id)
    files = services.run_files(run)
    probabilities = selectors.run_probabilities(run)
    context = {
        "jury": jury,
        "run": run,
        "files": [(name, draw.sha256_hex(text)) for name, text in files.items()],
        "probabilities": probabilities,
        # Runs computed without the legacy comparison have no estimate: the column is left out.
        "has_legacy": any(row.legacy is not None for row in probabilities),
        "composition": selectors.run_panel_composition(run) if run.status == RunStatus.DRAWN else [],
        "randomness": selectors.run_randomness(run) if run.status == RunStatus.DRAWN else None,
        "RunStatus": RunStatus,
    }
    if request.GET.get("fragment") == "progress":
        return render(request, "juries/_progress.html", context)
    return render(request, "juries/run.html", context)


@require_GET
def run_file(request: HttpRequest, slug: str, run_id: str, name: str) -> HttpResponse:
    jury = get_jury_for_user(request, slug)
    run = get_run_for_user(request, jury, run_id)
    files = services.run_files(run)
    if name not in files:
        return render(request, "errors/404.html", status=404)
    content_type = "text/csv" if name.endswith(".csv") else "application/json"
    response = HttpResponse(files[name], content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the "you have been drawn" e-mail: confirm or decline the seat."""
    person = services.registrant_for_token(token)
    if person is None:
        return render(request, "juries/confirm_invalid.html", status=404)
    if request.method == "POST":
        choice = {"confirm": RegistrantStatus.CONFIRMED, "decline": RegistrantStatus.DECLINED}.get(
            request.POST.get("answer", "")
        )
        if choice is None:
            return render(request, "juries/confirm.html", {"person": person, "jury": person.jury}, status=400)
        try:
            services.registrant_respond(registrant=person, status=choice)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if choice == RegistrantStatus.CONFIRMED:
                messages.success(request, _("Thank you: your seat on the jury is confirmed."))
            else:
                messages.success(request, _("Thank you for telling us. Another volunteer will be drawn in your place."))
        return redirect(person.jury.get_absolute_url())
    return render(request, "juries/confirm.html", {"person": person, "jury": person.jury})
