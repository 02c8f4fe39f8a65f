from django.urls import path

from communications import views

urlpatterns = [path("unsubscribe/<str:token>", views.unsubscribe, name="email-unsubscribe")]
