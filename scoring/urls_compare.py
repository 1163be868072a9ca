"""The comparison of a position's candidates."""

urlpatterns = []
