from django.urls import path
from django.views.generic import TemplateView

from accounts.tenancy import member_required

urlpatterns = [
    path(
        "",
        member_required(TemplateView.as_view(template_name="influencers/index.html")),
        name="influencers-index",
    ),
]
