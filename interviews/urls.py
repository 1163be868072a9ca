from .urls_people import urlpatterns as people_patterns
from .urls_plans import urlpatterns as plan_patterns

app_name = "interviews"

urlpatterns = people_patterns + plan_patterns
