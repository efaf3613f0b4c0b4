"""Covert surveillance (7.2). Mounted under /cases/ beside the cases app, so the addresses stay as they were."""

from django.urls import path

from surveillance import views

app_name = "surveillance"

urlpatterns = [
    path("surveillance/", views.RegisterView.as_view(), name="list"),
    path("surveillance/oversight/", views.OversightView.as_view(), name="oversight"),
    path("<int:pk>/surveillance/new/", views.RequestCreateView.as_view(), name="create"),
    path("surveillance/<int:pk>/", views.RequestDetailView.as_view(), name="detail"),
    path("surveillance/<int:pk>/edit/", views.RequestEditView.as_view(), name="edit"),
    path("surveillance/<int:pk>/decide/", views.DecideView.as_view(), name="decide"),
    path("surveillance/<int:pk>/observe/", views.ObserveView.as_view(), name="observe"),
    path("surveillance/<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("surveillance/observations/<int:pk>/", views.ObservationDetailView.as_view(), name="observation"),
    path("surveillance/observations/<int:pk>/screenshot/", views.screenshot_download, name="screenshot"),
]
