from django.urls import path

from nastavnik.notifications import views

app_name = "notifications_public"

urlpatterns = [path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe")]
