from django.urls import path

from recruitment import views

app_name = "recruitment"

urlpatterns = [
    path("vacancies/", views.VacancyListView.as_view(), name="vacancy_list"),
    path("vacancies/new/", views.VacancyCreateView.as_view(), name="vacancy_create"),
    path("vacancies/<int:pk>/", views.VacancyDetailView.as_view(), name="vacancy_detail"),
    path("vacancies/<int:pk>/status/", views.vacancy_status, name="vacancy_status"),
    path("applicants/<int:pk>/status/", views.applicant_status, name="applicant_status"),
    path("searches/", views.SearchListView.as_view(), name="search_list"),
    path("searches/new/", views.SearchCreateView.as_view(), name="search_create"),
]
