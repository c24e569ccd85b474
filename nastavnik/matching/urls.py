from django.urls import path

from nastavnik.matching import selfmatch_views, shared_views, views

app_name = "matching"

urlpatterns = [
    path("", views.index, name="index"),
    path("synonyms/", views.synonyms, name="synonyms"),
    path("forms/<int:programme_form_pk>/new/", views.run_new, name="run_new"),
    path("forms/<int:programme_form_pk>/compare/", views.compare, name="compare"),
    path("runs/<int:matching_run_pk>/", views.run_detail, name="run"),
    path("runs/<int:matching_run_pk>/confirm/", views.run_confirm, name="confirm"),
    path("runs/<int:matching_run_pk>/order/", views.run_order, name="order"),
    path("proposals/<int:proposal_pk>/lock/", views.proposal_lock, name="lock"),
    path("proposals/<int:proposal_pk>/exclude/", views.proposal_exclude, name="exclude"),
    path("proposals/<int:proposal_pk>/swap/", views.proposal_swap, name="swap"),
    path("unmatched/<int:unmatched_pk>/assign/", views.unmatched_assign, name="assign"),
    # The shared mentor base: other organisations' mentors, offers between two organisations
    path("shared/", shared_views.shared_list, name="shared"),
    path("shared/mentors/<int:shared_mentor_pk>/", shared_views.shared_card, name="shared_card"),
    path("shared/offers/<int:shared_offer_pk>/", shared_views.shared_offer, name="shared_offer"),
    path(
        "shared/offers/<int:shared_offer_pk>/answer/",
        shared_views.shared_answer,
        name="shared_answer",
    ),
    path(
        "shared/offers/<int:shared_offer_pk>/withdraw/",
        shared_views.shared_withdraw,
        name="shared_withdraw",
    ),
    path("shared/offers/<int:shared_offer_pk>/pair/", shared_views.shared_pair, name="shared_pair"),
    path("my-offers/", shared_views.my_offers, name="my_offers"),
    path(
        "my-offers/<int:shared_offer_pk>/answer/",
        shared_views.my_offer_answer,
        name="my_offer_answer",
    ),
    path("forms/<int:programme_form_pk>/selfmatch/", selfmatch_views.window, name="selfmatch"),
    path(
        "selfmatch/<int:selfmatch_request_pk>/approve/",
        selfmatch_views.approve,
        name="selfmatch_approve",
    ),
    path(
        "selfmatch/<int:selfmatch_request_pk>/decline/",
        selfmatch_views.decline,
        name="selfmatch_decline",
    ),
]
