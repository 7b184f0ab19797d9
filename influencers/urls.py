"""The directory's URLs; each screen's module declares its own patterns."""

from influencers.views import directory, imports, profiles, tables

urlpatterns = [
    *directory.urlpatterns,
    *profiles.urlpatterns,
    *imports.urlpatterns,
    *tables.urlpatterns,
]
