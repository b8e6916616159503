"""Table structure as context (recognizers/columns.py): which header names each value, and what the PII
detector makes of it. Pattern-only: no spaCy model is loaded here. All values are invented."""

from __future__ import annotations

import pytest

from proxy.redaction.config import RedactionSettings
from proxy.redaction.pii import PiiDetector, get_pii_detector
from proxy.redaction.recognizers.columns import normalise_header, table_cells


def headers(text: str) -> dict[str, str]:
    return {text[c.start : c.end]: c.header for c in table_cells(text)}


@pytest.fixture(scope="module")
def pii() -> PiiDetector:
    return get_pii_detector(RedactionSettings(ner=False))


def found(detector: PiiDetector, text: str) -> set[tuple[str, str]]:
    return {(d.entity_type, text[d.start : d.end]) for d in detector.detect(text)}


@pytest.mark.parametrize(
    ("raw", "header"),
    [
        ("patient_mrn", "patient mrn"),
        ("patientMRN", "patient mrn"),
        ("First-Name", "first name"),
        ('"dob"', "dob"),
    ],
)
def test_headers_are_normalised(raw: str, header: str) -> None:
    assert normalise_header(raw) == header


def test_csv_rows_get_their_column_header_and_quotes_are_respected() -> None:
    text = 'id,name,note\n1,"Lund, Agnete","a, b"\n2,Per Olsen,x\n\nafter,the,table'
    assert headers(text) == {
        "1": "id",
        "Lund, Agnete": "name",
        "a, b": "note",
        "2": "id",
        "Per Olsen": "name",
        "x": "note",
    }


def test_markdown_and_psql_tables_skip_their_separator_line() -> None:
    md = "| mrn | ward |\n|-----|------|\n| 7712034 | 4W |"
    psql = " mrn     | ward\n---------+------\n 7712034 | 4W"
    assert headers(md) == {"7712034": "mrn", "4W": "ward"}
    assert headers(psql) == {"7712034": "mrn", "4W": "ward"}


def test_a_row_with_another_field_count_ends_the_table() -> None:
    text = "a,b\n1,2\nthree,4,5"
    assert headers(text) == {"1": "a", "2": "b"}


def test_prose_with_commas_is_not_a_header() -> None:
    assert headers("Well, this is odd, right?\nYes, it is, indeed.") == {}


def test_sql_insert_maps_every_tuple_to_the_column_list() -> None:
    text = "INSERT INTO p (mrn, full_name) VALUES\n  ('7712034', 'Ida Lund'),\n  ('7712035', f('x, y'));"
    assert headers(text) == {
        "7712034": "mrn",
        "Ida Lund": "full name",
        "7712035": "mrn",
        "f('x, y')": "full name",
    }


def test_sql_insert_without_columns_reads_the_create_table() -> None:
    text = (
        "CREATE TABLE patients (\n  id SERIAL PRIMARY KEY,\n  given_name TEXT,\n  dob DATE,\n"
        "  CONSTRAINT u UNIQUE (id)\n);\nINSERT INTO patients VALUES (1, 'Ida', '1961-02-03');"
    )
    assert headers(text) == {"1": "id", "Ida": "given name", "1961-02-03": "dob"}


def test_select_result_row_maps_to_the_select_list() -> None:
    text = "SELECT p.mrn, p.full_name AS who FROM p;\n-- returns: 7712034 | Ida Lund"
    assert headers(text) == {"7712034": "mrn", "Ida Lund": "who"}


def test_hl7_fields_and_components_are_named_by_position() -> None:
    text = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\nPID|1||7712034^^^H^MR||Lund^Ida^K||19610203|F"
    assert headers(text) == {
        "7712034": "patient id",
        "Lund": "last name",
        "Ida": "first name",
        "K": "middle name",
        "19610203": "date of birth",
    }


def test_header_at_finds_the_cell_holding_a_span() -> None:
    text = "id,mrn\n1,7712034"
    cells = table_cells(text)
    start = text.index("7712034")
    assert cells.header_at(start, start + 7) == "mrn"
    assert cells.header_at(0, 2) is None


def test_every_value_of_an_hl7_message_is_found(pii: PiiDetector) -> None:
    text = (
        "PID|1||7712034^^^H^MR||Lund^Idunn||19610203|F|||12 Oak Street^^Salem^OR^97301||(503) 555-2142\n"
        "PV1|1|I|W^1^1|||||1794472658^Brekke^Halvor"
    )
    assert found(pii, text) >= {
        ("MEDICAL_RECORD_NUMBER", "7712034"),
        ("PERSON", "Lund"),
        ("PERSON", "Idunn"),
        ("DATE_OF_BIRTH", "19610203"),
        ("US_NPI", "1794472658"),
        ("PERSON", "Brekke"),
        ("PERSON", "Halvor"),
    }


def test_claims_csv_row_is_fully_redacted(pii: PiiDetector) -> None:
    text = "claim_id,beneficiary,mbi,dob,provider_npi\nCLM-1,Idunn Brekke,1EG4TE5MK73,03/02/1961,1234567893"
    assert found(pii, text) == {
        ("PERSON", "Idunn Brekke"),
        ("US_MBI", "1EG4TE5MK73"),
        ("DATE_OF_BIRTH", "03/02/1961"),
        ("US_NPI", "1234567893"),
    }


def test_fhir_human_name_gives_family_and_every_given_name(pii: PiiDetector) -> None:
    text = '{"name": [{"use": "official", "family": "Brekke", "given": ["Idunn", "Solvei"]}]}'
    assert found(pii, text) == {("PERSON", "Brekke"), ("PERSON", "Idunn"), ("PERSON", "Solvei")}


def test_vcard_structured_name_components(pii: PiiDetector) -> None:
    text = "BEGIN:VCARD\nN:Brekke;Idunn;;;\nEND:VCARD"
    assert found(pii, text) == {("PERSON", "Brekke"), ("PERSON", "Idunn")}


def test_mail_display_names_and_names_spelled_by_the_address(pii: PiiDetector) -> None:
    text = 'From: "Brekke, Halvor" <hb@brekke.no>\nCc: idunn.lund@brekke.no\n\nIdunn Lund will review.'
    assert {("PERSON", "Brekke, Halvor"), ("PERSON", "Idunn Lund")} <= found(pii, text)


def test_product_and_config_tables_stay_quiet(pii: PiiDetector) -> None:
    text = (
        "sku,name,price,created\nA1,Widget Pro,9.99,2024-01-02\n\n"
        "| setting | value |\n|---|---|\n| timeout | 30 |\n\n"
        "INSERT INTO products (id, name) VALUES (1, 'Coffee Mug');"
    )
    assert found(pii, text) == set()


PG_DUMP = (
    "COPY public.patients (id, mrn, first_name, last_name, date_of_birth, ssn, phone) FROM stdin;\n"
    "7\t8812034\tIdunn\tBrekke\t1961-02-03\t219099999\t+14155552132\n"
    "8\t\\N\tPer\tOlsen\t1970-05-06\t219-09-9998\t+1 206 555 2143\n"
    "\\.\n"
    "id\tnote\n"
)


def test_pg_dump_copy_rows_are_named_by_the_column_list(pii: PiiDetector) -> None:
    cells = headers(PG_DUMP)
    assert cells["8812034"] == "mrn" and cells["219099999"] == "ssn" and cells["+1 206 555 2143"] == "phone"
    assert "\\N" not in cells and "\\." not in cells
    hits = found(pii, PG_DUMP)
    for value in ("8812034", "Idunn", "Brekke", "1961-02-03", "219099999", "+14155552132", "+1 206 555 2143"):
        assert any(v == value for _, v in hits), value


FRAME = (
    "In [3]: pd.read_sql(query, engine)\nOut[3]:\n"
    "  PAT_MRN_ID           PAT_NAME  BIRTH_DATE    ZIP\n"
    "0   9809739648  Lindqvist,Greta  1954-01-14  53703\n"
    "1   9793714283  Brekke,Idunn  1979-12-28  53711\n"
)


def test_printed_data_frame_cells_are_named_by_the_header_over_them(pii: PiiDetector) -> None:
    cells = headers(FRAME)
    assert cells["9809739648"] == "pat mrn id" and cells["Brekke,Idunn"] == "pat name"
    assert cells["1979-12-28"] == "birth date" and "0" not in cells  # the index column is not a value
    assert {("PERSON", "Lindqvist,Greta"), ("DATE_OF_BIRTH", "1954-01-14")} <= found(pii, FRAME)
    assert ("MEDICAL_RECORD_NUMBER", "9793714283") in found(pii, FRAME)


X12 = (
    "NM1*85*2*RIVERSIDE CARDIOLOGY*****XX*2729570095~\n"
    "NM1*IL*1*Volkov*Dmitri****MI*W058217398~\n"
    "DMG*D8*19900426*F~\n"
)


def test_x12_segments_name_their_elements_by_position(pii: PiiDetector) -> None:
    assert found(pii, X12) == {
        ("US_NPI", "2729570095"),
        ("PERSON", "Volkov"),
        ("PERSON", "Dmitri"),
        ("HEALTH_PLAN_ID", "W058217398"),
        ("DATE_OF_BIRTH", "19900426"),
    }  # the billing provider, an organisation (NM1-02 = 2), is not a person
