from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.feedback_comment import FeedbackComment
  from ..models.session_feedback_summary_distribution import SessionFeedbackSummaryDistribution





T = TypeVar("T", bound="SessionFeedbackSummary")



@_attrs_define
class SessionFeedbackSummary:
    """ 
        Attributes:
            average (float | None): Mean rating, 2 decimals; null without feedback.
            comments (list[FeedbackComment]): The latest 50 non-empty comments, newest first.
            count (int):
            distribution (SessionFeedbackSummaryDistribution): Ratings "1" to "5": how many of each.
            session_id (UUID):
     """

    average: float | None
    comments: list[FeedbackComment]
    count: int
    distribution: SessionFeedbackSummaryDistribution
    session_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.feedback_comment import FeedbackComment # noqa: PLC0415
        from ..models.session_feedback_summary_distribution import SessionFeedbackSummaryDistribution # noqa: PLC0415
        average: float | None
        average = self.average

        comments = []
        for comments_item_data in self.comments:
            comments_item = comments_item_data.to_dict()
            comments.append(comments_item)



        count = self.count

        distribution = self.distribution.to_dict()

        session_id = str(self.session_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "average": average,
            "comments": comments,
            "count": count,
            "distribution": distribution,
            "sessionId": session_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.feedback_comment import FeedbackComment # noqa: PLC0415
        from ..models.session_feedback_summary_distribution import SessionFeedbackSummaryDistribution # noqa: PLC0415
        d = dict(src_dict)
        def _parse_average(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average = _parse_average(d.pop("average"))


        comments = []
        _comments = d.pop("comments")
        for comments_item_data in (_comments):
            comments_item = FeedbackComment.from_dict(comments_item_data)



            comments.append(comments_item)


        count = d.pop("count")

        distribution = SessionFeedbackSummaryDistribution.from_dict(d.pop("distribution"))




        session_id = UUID(d.pop("sessionId"))




        session_feedback_summary = cls(
            average=average,
            comments=comments,
            count=count,
            distribution=distribution,
            session_id=session_id,
        )


        session_feedback_summary.additional_properties = d
        return session_feedback_summary

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
