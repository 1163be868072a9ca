"""Interview plans and the plan builder."""

urlpatterns = []
