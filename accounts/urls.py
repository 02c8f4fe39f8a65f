from rest_framework.routers import SimpleRouter

from accounts import views

router = SimpleRouter(trailing_slash=False)
router.register("users", views.UserViewSet, basename="user")
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("audit-log", views.AuditLogViewSet, basename="audit-entry")
router.register("api-keys", views.ApiKeyViewSet, basename="api-key")

urlpatterns = router.urls
