from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.email_template_type_enum import EmailTemplateTypeEnum
from typing import cast

if TYPE_CHECKING:
  from ..models.email_template import EmailTemplate
  from ..models.email_variable import EmailVariable





T = TypeVar("T", bound="EmailType")



@_attrs_define
class EmailType:
    """ 
        Attributes:
            default_html (str):
            default_subject (str):
            default_text (str):
            templates (list[EmailTemplate]): The organization's own, per language.
            type_ (EmailTemplateTypeEnum): * `registration_confirmation` - registration_confirmation
                * `payment_receipt` - payment_receipt
                * `reminder` - reminder
                * `event_update` - event_update
                * `checkin_instructions` - checkin_instructions
                * `survey` - survey
                * `certificate` - certificate
            variables (list[EmailVariable]):
     """

    default_html: str
    default_subject: str
    default_text: str
    templates: list[EmailTemplate]
    type_: EmailTemplateTypeEnum
    variables: list[EmailVariable]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.email_template import EmailTemplate # noqa: PLC0415
        from ..models.email_variable import EmailVariable # noqa: PLC0415
        default_html = self.default_html

        default_subject = self.default_subject

        default_text = self.default_text

        templates = []
        for templates_item_data in self.templates:
            templates_item = templates_item_data.to_dict()
            templates.append(templates_item)



        type_ = self.type_.value

        variables = []
        for variables_item_data in self.variables:
            variables_item = variables_item_data.to_dict()
            variables.append(variables_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "defaultHtml": default_html,
            "defaultSubject": default_subject,
            "defaultText": default_text,
            "templates": templates,
            "type": type_,
            "variables": variables,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.email_template import EmailTemplate # noqa: PLC0415
        from ..models.email_variable import EmailVariable # noqa: PLC0415
        d = dict(src_dict)
        default_html = d.pop("defaultHtml")

        default_subject = d.pop("defaultSubject")

        default_text = d.pop("defaultText")

        templates = []
        _templates = d.pop("templates")
        for templates_item_data in (_templates):
            templates_item = EmailTemplate.from_dict(templates_item_data)



            templates.append(templates_item)


        type_ = EmailTemplateTypeEnum(d.pop("type"))




        variables = []
        _variables = d.pop("variables")
        for variables_item_data in (_variables):
            variables_item = EmailVariable.from_dict(variables_item_data)



            variables.append(variables_item)


        email_type = cls(
            default_html=default_html,
            default_subject=default_subject,
            default_text=default_text,
            templates=templates,
            type_=type_,
            variables=variables,
        )


        email_type.additional_properties = d
        return email_type

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
