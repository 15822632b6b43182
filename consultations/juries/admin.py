from __future__ import annotations

from django.contrib import admin

from .models import Feature, FeatureValue, Jury, JuryPhase


class JuryPhaseInline(admin.TabularInline):
    model = JuryPhase
    extra = 0


class FeatureInline(admin.TabularInline):
    model = Feature
    extra = 0
    show_change_link = True


@admin.register(Jury)
class JuryAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "panel_size", "published"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [JuryPhaseInline, FeatureInline]


class FeatureValueInline(admin.TabularInline):
    model = FeatureValue
    extra = 0


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "jury"]
    inlines = [FeatureValueInline]
