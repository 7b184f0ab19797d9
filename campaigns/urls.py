from django.urls import path

from campaigns import views

urlpatterns = [
    path("", views.campaign_list, name="campaigns-index"),
    path("new/", views.campaign_create, name="campaigns-create"),
    # The campaign's overview and one page per playbook step, its rail leading between them.
    *(
        path(route, views.campaign_page, {"page": name}, name=name)
        for route, name in [
            ("<uuid:code>/", "campaigns-detail"),
            ("<uuid:code>/goals/", "campaigns-goals"),
            ("<uuid:code>/ideas/", "campaigns-ideas"),
            ("<uuid:code>/shortlist/", "campaigns-shortlist"),
            ("<uuid:code>/terms/", "campaigns-terms"),
        ]
    ),
    path("<uuid:code>/edit/", views.campaign_edit, name="campaigns-edit"),
    path("<uuid:code>/goals/new/", views.goal_create, name="campaigns-goal-create"),
    path("goals/<uuid:code>/edit/", views.goal_edit, name="campaigns-goal-edit"),
    path("goals/<uuid:code>/delete/", views.goal_delete, name="campaigns-goal-delete"),
    path(
        "goals/<uuid:code>/measurements/",
        views.measurement_record,
        name="campaigns-measurement-record",
    ),
    path(
        "measurements/<uuid:code>/delete/",
        views.measurement_delete,
        name="campaigns-measurement-delete",
    ),
    path("<uuid:code>/ideas/new/", views.idea_create, name="campaigns-idea-create"),
    path("ideas/<uuid:code>/edit/", views.idea_edit, name="campaigns-idea-edit"),
    path("ideas/<uuid:code>/delete/", views.idea_delete, name="campaigns-idea-delete"),
    path("ideas/<uuid:code>/vote/", views.idea_vote, name="campaigns-idea-vote"),
    path("ideas/<uuid:code>/comments/", views.idea_comment, name="campaigns-idea-comment"),
    path("ideas/<uuid:code>/choose/", views.idea_choose, name="campaigns-idea-choose"),
    path(
        "<uuid:code>/shortlist/search/",
        views.shortlist_search,
        name="campaigns-shortlist-search",
    ),
    path("<uuid:code>/shortlist/add/", views.shortlist_add, name="campaigns-shortlist-add"),
    path(
        "shortlist/<uuid:code>/decide/", views.shortlist_decide, name="campaigns-shortlist-decide"
    ),
    path(
        "shortlist/<uuid:code>/checklist/",
        views.shortlist_checklist,
        name="campaigns-shortlist-checklist",
    ),
    path(
        "shortlist/<uuid:code>/remove/", views.shortlist_remove, name="campaigns-shortlist-remove"
    ),
    path("<uuid:code>/terms/new/", views.term_sheet_create, name="campaigns-terms-create"),
    path("terms/<uuid:code>/edit/", views.term_sheet_edit, name="campaigns-terms-edit"),
    path("terms/<uuid:code>/delete/", views.term_sheet_delete, name="campaigns-terms-delete"),
]
