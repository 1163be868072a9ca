from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts.roles import Role, assign_role

# Demo logins, printed by `make run`. Never use these outside a developer's machine.
DEMO_USERS = [
    ("hannah", "Hannah", "Hiring-Manager", Role.HIRING_MANAGER),
    ("ivan", "Ivan", "Interviewer", Role.INTERVIEWER),
    ("iris", "Iris", "Interviewer", Role.INTERVIEWER),
    ("rita", "Rita", "Recruiter", Role.RECRUITER),
]
DEMO_PASSWORD = "panelist-demo"
ADMIN = ("admin", "panelist-admin")


class Command(BaseCommand):
    help = "Create one demo account per role (and an admin) and print their logins. Idempotent."

    def handle(self, *args, **options):
        User = get_user_model()
        for username, first, last, role in DEMO_USERS:
            # An address at example.com (reserved: nothing is ever delivered there), so the outbox
            # shows what each of them would get.
            user, created = User.objects.get_or_create(username=username, defaults={
                "first_name": first, "last_name": last, "email": f"{username}@example.com"})
            if not user.email:  # created by an earlier release, before demo accounts had one
                User.objects.filter(pk=user.pk).update(email=f"{username}@example.com")
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            assign_role(user, role)
        admin, created = User.objects.get_or_create(username=ADMIN[0], defaults={
            "is_staff": True, "is_superuser": True, "email": "admin@example.com"})
        if created:
            admin.set_password(ADMIN[1])
            admin.save()
        self.stdout.write("\nDemo accounts (password for each in brackets):")
        for username, first, last, role in DEMO_USERS:
            self.stdout.write(f"  {role.label:<15} {username:<8} ({DEMO_PASSWORD})")
        self.stdout.write(f"  {'Interviewer':<15} {'omar':<8} ({DEMO_PASSWORD})  (and nadia; created with the demo interviews)")
        self.stdout.write(f"  {'Admin':<15} {ADMIN[0]:<8} ({ADMIN[1]})\n")
