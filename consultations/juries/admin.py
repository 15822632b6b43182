from __future__ import annotations

from django.contrib import admin

from .models import BriefingMaterial, ExpertHearing, Feature, FeatureValue, Jury, JuryPhase, JurySession


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


# The seated jury's workspace: staff plan sessions (agenda, hearings) and give materials here;
# questions to experts are answered in the workspace (the asker is notified there).
class ExpertHearingInline(admin.StackedInline):
    model = ExpertHearing
    extra = 0


@admin.register(JurySession)
class JurySessionAdmin(admin.ModelAdmin):
    list_display = ["title", "jury", "starts_at", "place"]
    list_filter = ["jury"]
    inlines = [ExpertHearingInline]


@admin.register(BriefingMaterial)
class BriefingMaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "jury", "session", "is_public", "order"]
    list_filter = ["jury", "is_public"]
