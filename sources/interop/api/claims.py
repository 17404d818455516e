"""Claims in the API (issue 15): what each published source says about a record or a
document (``/api/v1/claims/``), and every point on which the sources disagree
(``/api/v1/disagreements/``), the same points ``/disagreements/`` shows. Read-only;
drafts never appear (``Claim.objects.public()``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from ...claims import points
from ...models import Claim, ClaimProperty, Document, Entity
from ...search.filters import clean_params
from .serializers import DocumentRefSerializer, RecordRefSerializer
from .views import ERRORS, PAGE_PARAMS, ApiPagination, bad_request


class ClaimSerializer(serializers.ModelSerializer):
    record = RecordRefSerializer(
        allow_null=True, help_text="The record the claim is about (or null)."
    )
    document = DocumentRefSerializer(
        allow_null=True, help_text="The document the claim is about (or null)."
    )
    value_record = RecordRefSerializer(allow_null=True, help_text="The record the value names.")
    source = DocumentRefSerializer(help_text="The published document that makes the claim.")
    point = serializers.SerializerMethodField(help_text="What is claimed: 'Date', 'Author'.")

    class Meta:
        model = Claim
        fields = [
            "record", "document", "property", "aspect", "point", "value_text", "value_edtf",
            "value_record", "value_number", "source", "passage", "attributed_to", "certainty",
            "note", "preferred", "preferred_reason",
        ]  # fmt: skip

    def get_point(self, claim: Claim) -> str:
        return claim.point_label


class DisagreementSerializer(serializers.Serializer):
    """One contested point: its subject, what is claimed, and the competing claims."""

    subject_kind = serializers.SerializerMethodField(help_text="'record' or 'document'.")
    record = serializers.SerializerMethodField()
    document = serializers.SerializerMethodField()
    property = serializers.SerializerMethodField(help_text="date, place, number…")
    aspect = serializers.SerializerMethodField()
    point = serializers.CharField(source="label")
    claims = ClaimSerializer(many=True)

    def get_subject_kind(self, point: points.Point) -> str:
        return point.key[0]

    @extend_schema_field(RecordRefSerializer(allow_null=True))
    def get_record(self, point: points.Point) -> dict | None:
        return RecordRefSerializer(point.subject).data if point.key[0] == "record" else None

    @extend_schema_field(DocumentRefSerializer(allow_null=True))
    def get_document(self, point: points.Point) -> dict | None:
        return DocumentRefSerializer(point.subject).data if point.key[0] == "document" else None

    def get_property(self, point: points.Point) -> str:
        return point.claimed

    def get_aspect(self, point: points.Point) -> str:
        return point.claims[0].aspect if point.claims else ""


class ClaimListView(generics.ListAPIView):
    """Claims made by published documents, by subject and point."""

    serializer_class = ClaimSerializer
    pagination_class = ApiPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("record", str, description="Claims about this record (a slug)."),
            OpenApiParameter(
                "document", str, description="Claims about this published document (a slug)."
            ),
            OpenApiParameter(
                "source", str, description="Claims made by this published document (a slug)."
            ),
            OpenApiParameter("property", str, enum=ClaimProperty.values),
            *PAGE_PARAMS,
        ],
        responses={200: ClaimSerializer, **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = clean_params(self.request.query_params)
        claims = Claim.objects.public().for_display().order_by("record_id", "document_id", "pk")
        problems = []
        if "record" in params:
            found = Entity.objects.filter(slug=params["record"]).values("pk").first()
            if found is None:
                problems.append(f"There is no record “{params['record'][:80]}”.")
            else:
                claims = claims.filter(record_id=found["pk"])
        for name, field in (("document", "document_id"), ("source", "source_id")):
            if name in params:
                found = Document.objects.published().filter(slug=params[name]).values("pk").first()
                if found is None:
                    problems.append(f"There is no published document “{params[name][:80]}”.")
                else:
                    claims = claims.filter(**{field: found["pk"]})
        if "property" in params:
            if params["property"] not in ClaimProperty.values:
                problems.append(
                    f"property must be one of {', '.join(ClaimProperty.values)}, "
                    f"not “{params['property'][:40]}”."
                )
            else:
                claims = claims.filter(property=params["property"])
        if problems:
            raise bad_request(problems)
        return claims


class DisagreementListView(generics.ListAPIView):
    """Every point on which published sources disagree, by subject name."""

    serializer_class = DisagreementSerializer
    pagination_class = ApiPagination

    @extend_schema(parameters=PAGE_PARAMS, responses={200: DisagreementSerializer, **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return points.sort_keys(points.contested_keys())

    def paginate_queryset(self, queryset):
        keys = super().paginate_queryset(queryset)
        return points.contested_points(keys) if keys is not None else None
