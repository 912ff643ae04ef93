from django.urls import path

from . import views
from .payments import views as pay

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="order-list"),
    path("incoming/", views.incoming_list, name="incoming"),
    path("quotes/", views.quote_request_list, name="quote-request-list"),
    path("quotes/incoming/", views.quote_request_incoming, name="quote-request-incoming"),
    path("request/<int:service_id>/", views.quote_request_create, name="quote-request-create"),
    path("buy/<int:service_id>/", views.order_create, name="order-create"),
    path("quotes/<str:number>/", views.quote_request_detail, name="quote-request-detail"),
    path("quotes/<str:number>/quote/", views.quote_create, name="quote-create"),
    path("quotes/<str:number>/decline/", views.quote_request_decline, name="quote-request-decline"),
    path("quote/<int:pk>/accept/", views.quote_accept, name="quote-accept"),
    path("quote/<int:pk>/decline/", views.quote_decline, name="quote-decline"),
    path("quote/<int:pk>/pdf/", views.quote_pdf, name="quote-pdf"),
    path("threads/<int:pk>/messages/", views.message_send, name="message-send"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("reviews/<int:pk>/reply/", views.review_reply, name="review-reply"),
    path("reviews/service/<int:pk>/", views.service_reviews, name="service-reviews"),
    path("reviews/provider/<int:pk>/", views.provider_reviews, name="provider-reviews"),
    path("incoming/bank-account/", pay.bank_account_edit, name="bank-account"),
    path("payments/local/payment-method/", pay.local_payment_method, name="local-payment-method"),
    path("<str:number>/", views.order_detail, name="order-detail"),
    path("<str:number>/pay/", pay.checkout, name="checkout"),
    path("<str:number>/pay/card/", pay.card_submit, name="card-submit"),
    path("<str:number>/pay/return/", pay.payment_return, name="payment-return"),
    path("<str:number>/transfer/", pay.confirm_transfer, name="confirm-transfer"),
    path("<str:number>/refund/", pay.refund, name="refund"),
    path("<str:number>/fapiao/", pay.fapiao_request, name="fapiao-request"),
    path("<str:number>/fapiao/issue/", pay.fapiao_issue, name="fapiao-issue"),
    path("<str:number>/fapiao/download/", pay.fapiao_download, name="fapiao-download"),
    path("<str:number>/shipping/", views.order_shipping, name="order-shipping"),
    path("<str:number>/report/", views.order_issue_report, name="order-issue-report"),
    path("<str:number>/report/download/", views.report_download, name="report-download"),
    path("<str:number>/review/", views.review_create, name="review-create"),
    path("<str:number>/<str:verb>/", views.order_transition, name="order-transition"),
]
