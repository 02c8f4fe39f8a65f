from api.casing import Camelized, camel_path, camelize, underscoreize


def test_camelize_converts_nested_keys_but_keeps_client_owned_maps():
    data = {"starts_at": 1, "venue": {"postal_code": "x"}, "answers": {"t_shirt": "L"}, "items": [{"ticket_type": 2}]}
    assert camelize(data) == {
        "startsAt": 1,
        "venue": {"postalCode": "x"},
        "answers": {"t_shirt": "L"},
        "items": [{"ticketType": 2}],
    }
    assert underscoreize({"startsAt": 1, "answers": {"tShirt": "L"}}) == {"starts_at": 1, "answers": {"tShirt": "L"}}


def test_data_already_in_wire_form_passes_through_untouched():
    wire = Camelized(checkIn={"created_at_would_be_converted": 1})
    assert camelize({"results": [wire]})["results"][0] is wire


def test_error_targets_use_wire_names_with_indexes():
    assert camel_path("sessions.0.starts_at") == "sessions[0].startsAt"
