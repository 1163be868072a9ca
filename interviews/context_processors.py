from accounts.roles import roles_of


def navigation(request):
    """Role labels for the header; the menu itself is driven by the user's permissions."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    labels = [role.label for role in roles_of(user)]
    if user.is_superuser:
        labels.append("Admin")
    return {"role_labels": labels}
