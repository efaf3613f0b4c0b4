from django.urls import path

from publishing import views

app_name = "publishing"

urlpatterns = [
    path("accounts/", views.AccountListView.as_view(), name="account_list"),
    path("accounts/new/", views.AccountCreateView.as_view(), name="account_create"),
    path("accounts/<int:pk>/", views.AccountDetailView.as_view(), name="account_detail"),
    path("accounts/<int:pk>/contributors/new/", views.ContributorAddView.as_view(), name="contributor_add"),
    path(
        "accounts/<int:pk>/contributors/<int:cpk>/training/",
        views.TrainingRecordView.as_view(),
        name="training_record",
    ),
    path("posts/", views.PostListView.as_view(), name="post_list"),
    path("posts/new/", views.PostCreateView.as_view(), name="post_create"),
    path("posts/<int:pk>/", views.PostDetailView.as_view(), name="post_detail"),
    path("posts/<int:pk>/edit/", views.PostUpdateView.as_view(), name="post_update"),
    path("posts/<int:pk>/media/", views.PostMediaAddView.as_view(), name="post_media_add"),
    path("posts/<int:pk>/submit/", views.PostSubmitView.as_view(), name="post_submit"),
    path("posts/<int:pk>/check/", views.PostCheckView.as_view(), name="post_check"),
    path("posts/<int:pk>/published/", views.PostPublishView.as_view(), name="post_publish"),
    path(
        "posts/<int:pk>/take-out-of-campaign/",
        views.PostTakeOutOfCampaignView.as_view(),
        name="post_take_out_of_campaign",
    ),
    path("posts/<int:pk>/advice/", views.AdviceAskView.as_view(), name="advice_ask"),
    path("advice/<int:pk>/reply/", views.AdviceReplyView.as_view(), name="advice_reply"),
    path("media/<int:pk>/", views.MediaDownloadView.as_view(), name="media_download"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/submit/", views.CampaignSubmitView.as_view(), name="campaign_submit"),
    path("campaigns/<int:pk>/endorse/", views.CampaignEndorseView.as_view(), name="campaign_endorse"),
    path("campaigns/<int:pk>/decide/", views.CampaignDecideView.as_view(), name="campaign_decide"),
    path("campaigns/<int:pk>/end/", views.CampaignEndView.as_view(), name="campaign_end"),
]
