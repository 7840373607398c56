"""Sign-up confirmed by email, the account page, and deleting an account with its drafts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.http import require_http_methods, require_safe

from licensebuilder.ops.logs import security_event

from .forms import DeleteAccountForm, SignupForm


def _mail(request: HttpRequest, to: str, template: str, context: dict) -> None:
    body = render_to_string(template, {**context, "site": request.build_absolute_uri("/")})
    subject, _, text = body.partition("\n")
    send_mail(subject.strip(), text.lstrip(), None, [to])


def _register(request: HttpRequest, form: SignupForm) -> None:
    """Create an inactive account and mail its confirmation link, or, when the name or the address
    is already in use, mail that instead. The page shown next is the same either way, and so is
    the work done (one password hash), so the answer tells nobody which names exist."""
    User = get_user_model()
    username, email = form.cleaned_data["username"], form.cleaned_data["email"]
    taken = User.objects.filter(username__iexact=username).exists() or User.objects.filter(email__iexact=email).exists()
    if not taken:
        user = form.save(commit=False)
        user.is_active = False
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # signed up a moment ago by someone else
            taken = True
        else:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            link = request.build_absolute_uri(reverse("accounts:activate", args=[uid, token]))
            _mail(request, email, "registration/signup_activate_email.txt", {"username": username, "link": link})
            return
    make_password(form.cleaned_data["password1"])
    _mail(request, email, "registration/signup_taken_email.txt", {"username": username})


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("drafts:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _register(request, form)
        return render(request, "registration/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200)


def _pending_user(uidb64: str, token: str):
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=False)
    except (ValueError, OverflowError, User.DoesNotExist):
        raise Http404("This confirmation link is not valid.") from None
    if not default_token_generator.check_token(user, token):
        raise Http404("This confirmation link is not valid or has expired.")
    return user


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link from the sign-up email. Opening it asks for a click, so that a mail scanner
    fetching the link does not activate the account."""
    user = _pending_user(uidb64, token)
    if request.method == "GET":
        return render(request, "registration/activate.html", {"username": user.get_username()})
    user.is_active = True
    user.save(update_fields=["is_active"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "Welcome! Start your first draft below.")
    return redirect("drafts:new")


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/account.html")


def _signed_in(request: HttpRequest) -> User:
    """The signed-in user of a view behind ``login_required``."""
    user = request.user
    if not isinstance(user, User):
        raise Http404("Sign in first")
    return user


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _signed_in(request)
        drafts = user.drafts.count()
        security_event("account_deleted", "account deleted by its owner", user_id=user.pk, username=user.get_username())
        logout(request)
        user.delete()  # the drafts, their revisions, share links and comments go with it
        messages.success(request, f"Your account and its {drafts} draft{'s' if drafts != 1 else ''} are deleted.")
        return redirect("home")
    drafts = _signed_in(request).drafts.count()
    status = 400 if form.errors else 200
    return render(request, "registration/delete_account.html", {"form": form, "drafts": drafts}, status=status)
