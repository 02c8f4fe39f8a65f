from django.urls import path

from status import views

app_name = "status"
urlpatterns = [
    path("", views.status_page, name="page"),
    path("subscription", views.subscription, name="subscription"),
    path("feed.atom", views.StatusFeed(), name="feed-atom"),
    path("feed.rss", views.RssStatusFeed(), name="feed-rss"),
]
