from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "licensebuilder.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from licensebuilder.ops.logs import security_event

        def log_lockout(sender, request, username=None, ip_address=None, **kwargs):
            security_event(
                "login_lockout",
                "login locked out after too many failed attempts",
                username=username,
                address=ip_address,
                path=getattr(request, "path", ""),
            )

        user_locked_out.connect(log_lockout, dispatch_uid="licensebuilder.accounts.log_lockout")
