"""/api/v1/connections/?from=…&to=…: the shortest chains between two records or
sources, as the page /connections/ shows them (``sources.graph``), for programs.

In its own module so the API's other views and serializers stay as they are; the
values are the page's (``person/vyacheslav-molotov``, ``document/<slug>``, or a name
that names one thing), and what the page would answer with a message is a 400 that
says why, with the candidates when a name matched several.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ...graph import connect, resolve
from ...graph.nodes import DOCUMENT, Node
from ...graph.paths import MAX_LENGTH, MAX_PATHS
from .serializers import absolute, api_url
from .views import ERRORS, ErrorSerializer


class NodeSerializer(serializers.Serializer):
    """A document or record on a chain."""

    id = serializers.CharField(
        source="identifier", help_text="Stable identifier: 'person/<slug>', 'document/<slug>'."
    )
    kind = serializers.CharField(help_text="document, person, place, organization or event.")
    label = serializers.CharField(help_text="How a step names it.")
    title = serializers.CharField(help_text="Its full title or name.")
    url = serializers.SerializerMethodField(help_text="Its page.")
    api_url = serializers.SerializerMethodField(help_text="Its address in this API.")

    def get_url(self, node: Node) -> str:
        return absolute(node.url)

    def get_api_url(self, node: Node) -> str:
        return api_url(DOCUMENT if node.is_document else node.kind, node.slug)


class LinkSerializer(serializers.Serializer):
    """One piece of evidence for a step, read in the step's direction."""

    kind = serializers.ChoiceField(
        choices=["mention", "agent", "event", "participant", "place", "contains", "parent"]
    )
    phrase = serializers.CharField(help_text="'received', 'names', 'place of'…")
    certainty = serializers.ChoiceField(choices=["certain", "probable", "uncertain"])
    detail = serializers.CharField(help_text="A participant's role, else empty.")
    words = serializers.ListField(
        child=serializers.CharField(), help_text="A mention's words, as in the text."
    )


class StepSerializer(serializers.Serializer):
    source = serializers.CharField(source="source.identifier")
    target = serializers.CharField(source="target.identifier")
    label = serializers.CharField(help_text="The step in words, doubt stated: '[probably] wrote'.")
    certainty = serializers.ChoiceField(choices=["certain", "probable", "uncertain"])
    links = LinkSerializer(many=True)


class PathSerializer(serializers.Serializer):
    length = serializers.IntegerField()
    certainty = serializers.ChoiceField(
        choices=["certain", "probable", "uncertain"],
        help_text="That of its least certain step.",
    )
    sentence = serializers.CharField()
    nodes = NodeSerializer(many=True)
    steps = StepSerializer(many=True)


class ConnectionSerializer(serializers.Serializer):
    origin = NodeSerializer(help_text="The 'from' end.")
    target = NodeSerializer(help_text="The 'to' end.")
    max_length = serializers.IntegerField()
    found = serializers.BooleanField()
    bounded = serializers.BooleanField(
        help_text="Whether the search's bound on very widely named records cut it short."
    )
    paths = PathSerializer(many=True, help_text=f"At most {MAX_PATHS}, shortest first.")


class ConnectionView(APIView):
    """Up to five shortest chains of at most four steps between two nodes."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from",
                str,
                required=True,
                description="'person/<slug>', 'place/…', 'organization/…', 'event/…', "
                "'document/<slug>' (a published one), or a name naming one record.",
            ),
            OpenApiParameter("to", str, required=True, description="As 'from'."),
        ],
        responses={
            200: ConnectionSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A value naming nothing."),
            429: ERRORS[429],
        },
        description=f"The shortest chains (at most {MAX_PATHS}, of at most {MAX_LENGTH} "
        "steps) joining two records or published documents, each step with its evidence.",
    )
    def get(self, request):
        problems = []
        ends = []
        for name in ("from", "to"):
            value = request.query_params.get(name, "")
            resolution = resolve(value)
            if resolution.node is None:
                problem = resolution.message or f"Give '{name}': a record or a published source."
                if resolution.candidates:
                    choices = ", ".join(c.identifier for c in resolution.candidates)
                    problem += f" Candidates: {choices}."
                problems.append(f"{name}: {problem}")
            ends.append(resolution.node)
        if not problems and ends[0].key == ends[1].key:
            problems.append("from and to are the same: give two different ends.")
        if problems:
            raise ValidationError({"detail": " ".join(problems), "problems": problems})
        connection = connect(ends[0], ends[1])
        return Response(ConnectionSerializer(connection).data)
