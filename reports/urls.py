from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("<slug:slug>/", views.ReportDetailView.as_view(), name="detail"),
    path("<slug:slug>/download.csv", views.report_download, {"fmt": "csv"}, name="download_csv"),
    path("<slug:slug>/download.xlsx", views.report_download, {"fmt": "xlsx"}, name="download_xlsx"),
]
