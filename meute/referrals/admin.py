from django.contrib import admin

from meute.referrals.models import Referral


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = (
        "given_on",
        "network",
        "giver",
        "recipient",
        "subject",
        "temperature",
        "business_closed",
        "amount",
    )
    list_filter = ("network", "temperature", "business_closed")
    search_fields = ("subject", "giver__last_name", "recipient__last_name")
    raw_id_fields = ("giver", "recipient")
    date_hierarchy = "given_on"
