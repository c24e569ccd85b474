from django.urls import path

from nastavnik.orders import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("<int:order_pk>/", views.order_detail, name="detail"),
    path("<int:order_pk>/edit/", views.order_edit, name="edit"),
    path("<int:order_pk>/regenerate/", views.order_regenerate, name="regenerate"),
    path("<int:order_pk>/delete/", views.order_delete, name="delete"),
    path("<int:order_pk>/sign/", views.order_sign, name="sign"),
    path("<int:order_pk>/document.docx", views.order_document, name="document"),
    path("<int:order_pk>/document.pdf", views.order_pdf, name="pdf"),
    path("<int:order_pk>/scan/", views.order_scan, name="scan"),
]
