# ruff: noqa: E501
"""Held-out prompts where the sensitive values are PII/PHI: HL7/FHIR, X12, SQL and CSV exports, logs, tickets.

Marker language as in bench/data/redaction/make_corpus.py. Written without reading the development templates.
"""

from __future__ import annotations

TEMPLATES: list[tuple[str, str, str]] = [
    (
        "ho-hl7-adt-a04",
        "phi",
        r"""
Our Mirth channel rejects this ADT with "Segment PID field 11 too long". Which field is it really?

MSH|^~\&|EPIC|RIVERSIDE|MIRTH|RIVERSIDE|20250214083012||ADT^A04^ADT_A01|⟦B=MSG00231877|hl7_control_id⟧|P|⟦B=2.5.1|version⟧
EVN|A04|20250214083012
PID|1||⟦P:mrn⟧^^^RIVERSIDE^MR||⟦P:person.last#p⟧^⟦P:person.first#p⟧^^^^^L||⟦P:dob_hl7⟧|F|||⟦P:street_line⟧^^Madison^WI^53703^USA^H||⟦P:phone_us⟧^PRN^PH|||S|||⟦P:ssn⟧
PV1|1|O|CARDIO^^^RIVERSIDE||||⟦P:npi⟧^⟦P:person.last#d⟧^⟦P:person.first#d⟧^^^Dr||||||||||||V⟦N:num12⟧
IN1|1|BCPPO|⟦N:s_upper8⟧|Blue Cross PPO||||||||||||⟦P:person.last#p⟧^⟦P:person.first#p⟧|SEL|||||||||||||||||||⟦P:member_id⟧
""",
    ),
    (
        "ho-hl7-oru-lab",
        "phi",
        r"""
Write a python function that turns the OBX segments of this ORU into rows (code, name, value, unit, flag):

MSH|^~\&|LIS|NORTHWIND-LAB|EHR|NORTHWIND|202502140930||ORU^R01|LAB-88213|P|2.5.1
PID|1||⟦P:mrn⟧^^^NWH^MR||⟦P:person.last#p⟧^⟦P:person.first#p⟧||⟦P:dob_hl7⟧|M
ORC|RE|ORD448812|||CM||||202502131512|||⟦P:npi⟧^⟦P:person.last#d⟧^⟦P:person.first#d⟧
OBR|1|ORD448812||4548-4^Hemoglobin A1c/Hemoglobin.total in Blood^LN
OBX|1|NM|⟦B=4548-4|loinc⟧^Hemoglobin A1c^LN||7.9|%|4.0-5.6|H|||F
OBX|2|NM|⟦B=2345-7|loinc⟧^Glucose^LN||182|mg/dL|70-99|H|||F
OBX|3|NM|⟦B=2160-0|loinc⟧^Creatinine^LN||1.1|mg/dL|0.7-1.3|N|||F
""",
    ),
    (
        "ho-fhir-patient",
        "phi",
        r"""
The FHIR validator says "Patient.telecom[1].system: value must be one of ...". What's wrong with this resource?

{
  "resourceType": "Patient",
  "id": "⟦B:uuid⟧",
  "meta": {"versionId": "3", "lastUpdated": "⟦B:iso_ts⟧"},
  "identifier": [
    {"use": "usual", "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
     "system": "urn:oid:⟦B=1.2.840.114350.1.13.0.1.7.5.737384.14|oid⟧", "value": "⟦P:mrn⟧"}
  ],
  "name": [{"use": "official", "family": "⟦P:person.last#p⟧", "given": ["⟦P:person.first#p⟧"]}],
  "telecom": [
    {"system": "phone", "value": "⟦P:phone_us⟧", "use": "mobile"},
    {"system": "mail", "value": "⟦P:person.email#p⟧"}
  ],
  "gender": "female",
  "birthDate": "⟦P:dob_iso⟧",
  "address": [{"line": ["⟦P:street_line⟧"], "city": "Boise", "state": "ID", "postalCode": "83702"}]
}
""",
    ),
    (
        "ho-fhir-coverage-mbi",
        "phi",
        r"""
Building a Medicare Advantage eligibility check. Is `subscriberId` the right place for the MBI or should it
be an identifier with the us-mbi system?

{
  "resourceType": "Coverage",
  "id": "⟦B:uuid⟧",
  "status": "active",
  "subscriberId": "⟦P:mbi⟧",
  "beneficiary": {"reference": "Patient/⟦B:uuid⟧", "display": "⟦P:person.full⟧"},
  "payor": [{"display": "Centers for Medicare and Medicaid Services"}],
  "class": [{"type": {"text": "plan"}, "value": "⟦B=H1036-077|plan_id⟧"}],
  "period": {"start": "2025-01-01"}
}
""",
    ),
    (
        "ho-fhir-medreq-dea",
        "phi",
        r"""
For a controlled-substance e-Rx we have to send the prescriber's DEA. Is this the correct identifier system?

{
  "resourceType": "MedicationRequest",
  "status": "active",
  "intent": "order",
  "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "⟦B=1049221|rxnorm⟧",
                                             "display": "oxycodone hydrochloride 5 MG Oral Tablet"}]},
  "subject": {"reference": "Patient/⟦B:uuid⟧", "display": "⟦P:person.full⟧"},
  "requester": {
    "display": "Dr. ⟦P:person.full#d⟧",
    "identifier": [
      {"system": "http://hl7.org/fhir/sid/us-npi", "value": "⟦P:npi⟧"},
      {"system": "https://www.deadiversion.usdoj.gov", "value": "⟦P:dea⟧"}
    ]
  },
  "dosageInstruction": [{"text": "1 tab PO q6h PRN pain, max 4/day"}]
}
""",
    ),
    (
        "ho-discharge-summary",
        "phi",
        r"""
Summarize this discharge note into 5 bullet points for the patient portal, plain language:

DISCHARGE SUMMARY
Patient: ⟦P:person.full#p⟧    MRN: ⟦P:mrn⟧    DOB: ⟦P:dob⟧
Address: ⟦P:street_address⟧    Phone: ⟦P:phone_us⟧
Attending: ⟦P:person.full#d⟧, MD (NPI ⟦P:npi⟧)

Admitted with community-acquired pneumonia (⟦B=J18.9|icd10⟧), complicated by AKI on CKD stage 3a (N17.9, N18.31).
Treated with ceftriaxone 1 g IV daily and azithromycin 500 mg, transitioned to amoxicillin-clavulanate
875 mg BID. Creatinine peaked at 2.1, 1.4 at discharge. Follow up with PCP in 7 days; repeat BMP.
⟦P:person.first#p⟧ was counseled on smoking cessation.
""",
    ),
    (
        "ho-sql-dump-patients",
        "phi",
        r"""
Need an anonymization script for this table before we hand the dump to the vendor. Sample from pg_dump:

COPY public.patients (id, mrn, first_name, last_name, date_of_birth, ssn, phone, created_at) FROM stdin;
⟦B=10482|row_id⟧	⟦P:mrn⟧	⟦P:person.first#a⟧	⟦P:person.last#a⟧	⟦P:dob_iso⟧	⟦P:ssn⟧	⟦P:phone_us⟧	⟦B=2023-06-01 14:22:07.118+00|timestamp⟧
10483	⟦P:mrn⟧	⟦P:person.first#b⟧	⟦P:person.last#b⟧	⟦P:dob_iso⟧	⟦P:ssn⟧	⟦P:phone_us⟧	2023-06-01 14:25:51.902+00
10484	⟦P:mrn⟧	⟦P:person.first#c⟧	⟦P:person.last#c⟧	⟦P:dob_iso⟧	⟦P:ssn_plain⟧	⟦P:phone_us⟧	2023-06-02 08:01:13.441+00
\.
""",
    ),
    (
        "ho-csv-payouts",
        "pii",
        r"""
This CSV from finance fails to import into our payouts tool: "row 3: invalid IBAN". Which row is broken?

payout_id,created_at,beneficiary,email,phone,iban,amount_eur
⟦B:ulid⟧,⟦B:iso_ts⟧,⟦P:person.full⟧,⟦P:email⟧,⟦P:phone_intl⟧,⟦P:iban⟧,1250.00
⟦B:ulid⟧,2025-01-31T10:02:44Z,⟦P:person.full⟧,⟦P:email⟧,⟦P:phone_intl⟧,⟦P:iban⟧,980.50
⟦B:ulid⟧,2025-01-31T10:02:45Z,⟦P:person.full⟧,⟦P:email⟧,⟦P:phone_intl⟧,⟦P:iban⟧,312.75
""",
    ),
    (
        "ho-support-ticket-card",
        "pii",
        r"""
Zendesk ticket #88213, can you draft a reply? Also our form should never accept a full card number in the
message field, how do I block that client side?

From: ⟦P:person.full#c⟧ <⟦P:person.email#c⟧>
Subject: charged twice for order ⟦B:order_id⟧

Hi, I was charged twice for my order. The card is ⟦P:credit_card⟧ exp 09/27, please refund the
duplicate. Ship the replacement to ⟦P:street_address⟧ instead of the old address. You can call me at
⟦P:phone_us⟧ after 5pm.
Thanks, ⟦P:person.first#c⟧
""",
    ),
    (
        "ho-slack-oncall-thread",
        "mixed",
        r"""
Pasting the incident thread so you can help me write the postmortem timeline:

[09:12] ⟦P:person.full#a⟧: api p99 is spiking, ⟦B:pod_name⟧ is OOMing
[09:14] ⟦P:person.full#b⟧: looks like one tenant hammering /export. top client ip in the LB logs is ⟦P:public_ip⟧
[09:15] ⟦P:person.first#a⟧: that's the account of ⟦P:person.email⟧, they have a cron every 10s
[09:21] ⟦P:person.first#b⟧: rate limited them at the ingress, traffic back to normal. internal lb ⟦B:private_ip⟧ is fine
[09:40] ⟦P:person.first#a⟧: incident ⟦B=INC-20431|incident_id⟧ resolved, trace ⟦B:trace_id⟧ for the record
""",
    ),
    (
        "ho-pandas-head-output",
        "pii",
        r"""
In [7]: df.head()
Out[7]:
                               user_id           name                      email        dob  zip
0  ⟦B:uuid⟧  ⟦P:person.full⟧  ⟦P:email⟧  ⟦P:dob_iso⟧  97205
1  ⟦B:uuid⟧  ⟦P:person.full⟧  ⟦P:email⟧  ⟦P:dob_iso⟧  78701

why does `pd.to_datetime(df.dob)` give NaT for some rows? the column dtype is object
""",
    ),
    (
        "ho-payroll-csv",
        "pii",
        r"""
Script to validate this payroll export before it goes to the bank; check SSN format and IBAN checksum:

emp_no,name,ssn,home_address,iban,cost_center
⟦B=E-1042|employee_no⟧,⟦P:person.full⟧,⟦P:ssn⟧,"⟦P:street_address⟧",⟦P:iban⟧,CC-410
E-1043,⟦P:person.full⟧,⟦P:ssn_plain⟧,"⟦P:street_address⟧",⟦P:iban⟧,CC-410
E-1051,⟦P:person.full⟧,⟦P:ssn⟧,"⟦P:street_address⟧",⟦P:iban⟧,⟦B=CC-220|cost_center⟧
""",
    ),
    (
        "ho-kyc-response",
        "pii",
        r"""
The KYC vendor response below is marked "review" instead of "approved". Which field mismatch triggers that?

{
  "verification_id": "⟦B:uuid⟧",
  "status": "review",
  "applicant": {
    "full_name": "⟦P:person.full⟧",
    "date_of_birth": "⟦P:dob_us⟧",
    "document": {"type": "passport", "number": "⟦P:passport⟧", "country": "USA", "expires": "2031-04-30"},
    "address": "⟦P:street_address⟧",
    "phone": "⟦P:phone_us⟧"
  },
  "checks": {"document": "clear", "face_match": 0.71, "watchlist": "clear"},
  "created": ⟦B:epoch_ms⟧
}
""",
    ),
    (
        "ho-nginx-access-log",
        "pii",
        r"""
Which of these requests is the one that triggered the 500? access.log around the incident:

⟦P:public_ip⟧ - - [14/Feb/2025:10:02:11 +0000] "GET /api/v1/orders?page=2 HTTP/1.1" 200 5123 "-" "okhttp/4.12.0" rt=0.044
⟦B:private_ip⟧ - - [14/Feb/2025:10:02:11 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29" rt=0.001
⟦P:public_ip⟧ - - [14/Feb/2025:10:02:12 +0000] "GET /api/v1/users/lookup?email=⟦P:email⟧ HTTP/1.1" 500 187 "-" "Mozilla/5.0" rt=1.902
⟦P:public_ipv6⟧ - - [14/Feb/2025:10:02:12 +0000] "POST /api/v1/login HTTP/2.0" 401 61 "-" "Mozilla/5.0" rt=0.120
""",
    ),
    (
        "ho-auth-log-sshd",
        "pii",
        r"""
fail2ban isn't banning these, jail config is default. /var/log/auth.log:

Feb 14 03:11:42 web-1 sshd[48211]: Invalid user admin from ⟦P:public_ip#x⟧ port 51522
Feb 14 03:11:44 web-1 sshd[48211]: Failed password for invalid user admin from ⟦P:public_ip#x⟧ port 51522 ssh2
Feb 14 03:12:02 web-1 sshd[48230]: Failed password for root from ⟦P:public_ip⟧ port 40118 ssh2
Feb 14 08:30:15 web-1 sshd[51002]: Accepted publickey for ⟦P:person.handle⟧ from ⟦P:public_ip⟧ port 60211 ssh2: ED25519 ⟦B:ssh_fingerprint⟧
""",
    ),
    (
        "ho-email-headers-dkim",
        "pii",
        r"""
Why does this mail land in spam? Headers:

Received: from mail-out-7.lumenpay.io (mail-out-7.lumenpay.io [⟦P:public_ip⟧])
        by mx.google.com with ESMTPS id ⟦N:lower_id⟧
From: "⟦P:person.full#s⟧" <⟦P:person.email#s⟧>
To: ⟦P:person.email⟧
Subject: Your invoice for January
Message-ID: ⟦B:message_id⟧
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=lumenpay.io; s=s1;
        bh=⟦B:dkim_bh⟧;
        b=⟦N:b64_secret⟧
Authentication-Results: mx.google.com; dkim=fail (body hash did not verify) header.i=@lumenpay.io; spf=pass
""",
    ),
    (
        "ho-hubspot-contacts",
        "pii",
        r"""
Hubspot search API returns these; I need to map them to our Contact dataclass. Write the mapper please.

{"results": [
  {"id": "⟦B:hubspot_object_id⟧",
   "properties": {"firstname": "⟦P:person.first#a⟧", "lastname": "⟦P:person.last#a⟧", "email": "⟦P:person.email#a⟧",
                  "phone": "⟦P:phone_intl⟧", "address": "⟦P:street_line⟧", "createdate": "⟦B:iso_ts⟧"}},
  {"id": "⟦B:hubspot_object_id⟧",
   "properties": {"firstname": "⟦P:person.first#b⟧", "lastname": "⟦P:person.last#b⟧", "email": "⟦P:person.email#b⟧",
                  "phone": "⟦P:phone_us⟧", "address": null, "createdate": "⟦B:iso_ts⟧"}}
]}
""",
    ),
    (
        "ho-pharmacy-ticket",
        "phi",
        r"""
Jira PHARM-2291: refill rejected by the switch with "prescriber not eligible". Details from the pharmacist:

Patient: ⟦P:person.full⟧, DOB ⟦P:dob_us⟧, plan member ID ⟦P:member_id⟧, phone ⟦P:phone_us⟧
Rx: NDC ⟦B=00093-7212-01|ndc⟧ qty 30, days supply 30
Prescriber: Dr. ⟦P:person.full⟧, NPI ⟦P:npi⟧, DEA ⟦P:dea⟧

Can you check our NCPDP mapping code for where the prescriber ID qualifier is set?
""",
    ),
    (
        "ho-x12-837",
        "phi",
        r"""
Clearinghouse rejects this 837P with "2010BA NM109 invalid". Segments:

ISA*00*          *00*          *ZZ*ACMEBILL       *ZZ*CLEARHOUSE     *250214*0930*^*00501*⟦B=000004211|isa_control⟧*0*P*:~
NM1*85*2*RIVERSIDE CARDIOLOGY*****XX*⟦P:npi⟧~
NM1*IL*1*⟦P:person.last#p⟧*⟦P:person.first#p⟧****MI*⟦P:member_id⟧~
N3*⟦P:street_line⟧~
N4*AUSTIN*TX*78701~
DMG*D8*⟦P:dob_hl7⟧*F~
CLM*⟦B=PCN-77120|claim_id⟧*240***11:B:1*Y*A*Y*Y~
""",
    ),
    (
        "ho-eligibility-271-json",
        "phi",
        r"""
{
  "controlNumber": "⟦B=123456789|control_number⟧",
  "tradingPartnerServiceId": "⟦B=CMSBNF|payer_id⟧",
  "provider": {"organizationName": "Meridian Clinic", "npi": "⟦P:npi⟧"},
  "subscriber": {"memberId": "⟦P:mbi⟧", "firstName": "⟦P:person.first#p⟧", "lastName": "⟦P:person.last#p⟧",
                 "dateOfBirth": "⟦P:dob_hl7⟧", "gender": "M"},
  "planStatus": [{"statusCode": "1", "status": "Active Coverage", "serviceTypeCodes": ["30"]}]
}

The response parser throws KeyError 'planDateInformation'. Make it tolerant of missing keys.
""",
    ),
    (
        "ho-django-shell-users",
        "pii",
        r"""
>>> User.objects.filter(is_staff=True).values("username", "email", "last_login", "profile__last_ip")
<QuerySet [{'username': '⟦P:person.handle#a⟧', 'email': '⟦P:person.email#a⟧', 'last_login': datetime.datetime(2025, 2, 13, 17, 4, 9, tzinfo=datetime.timezone.utc), 'profile__last_ip': '⟦P:public_ip⟧'},
{'username': '⟦P:person.handle#b⟧', 'email': '⟦P:person.email#b⟧', 'last_login': None, 'profile__last_ip': '⟦B:private_ip⟧'}]>

Why is last_login None for the second admin when they logged in this morning through SSO?
""",
    ),
    (
        "ho-stripe-event-payload",
        "pii",
        r"""
Our webhook handler crashes with KeyError on `billing_details.address.line2`. Event payload:

{
  "id": "⟦B:stripe_event_id⟧",
  "type": "charge.succeeded",
  "data": {"object": {
    "id": "⟦B:stripe_charge_id⟧",
    "amount": 4900,
    "billing_details": {
      "name": "⟦P:person.full#c⟧",
      "email": "⟦P:person.email#c⟧",
      "phone": "⟦P:phone_us⟧",
      "address": {"line1": "⟦P:street_line⟧", "city": "Raleigh", "state": "NC", "postal_code": "27601", "country": "US"}
    },
    "payment_method_details": {"card": {"brand": "visa", "last4": "4417", "exp_month": 9, "exp_year": 2027}}
  }}
}
""",
    ),
    (
        "ho-vendor-bank-change",
        "pii",
        r"""
Finance asked for a script to flag vendor bank-detail changes. Example of the email that should be flagged:

"Hello, please update our bank details for all future invoices to IBAN ⟦P:iban⟧. Contact ⟦P:person.full⟧
on ⟦P:phone_intl⟧ or ⟦P:email⟧ with any questions."

It should compare against the IBAN we have on file and open a ticket when it differs.
""",
    ),
    (
        "ho-intake-fixture",
        "phi",
        r"""
# tests/fixtures/intake_form.yaml -- copied from a real intake in staging, test fails on the MBI regex
patient:
  name: ⟦P:person.full⟧
  dob: ⟦P:dob_us⟧
  ssn: ⟦P:ssn⟧
  medicare_mbi: ⟦P:mbi⟧
  address: ⟦P:street_address⟧
emergency_contact:
  name: ⟦P:person.full⟧
  phone: ⟦P:phone_us⟧
form_version: ⟦B=2024.3|version⟧
""",
    ),
    (
        "ho-telehealth-jsonl",
        "phi",
        r"""
Log lines from the video-visit service around the dropped call. Why does the second session never join?

{"ts":"⟦B=2025-02-14T15:01:58Z|timestamp⟧","level":"info","msg":"visit.join","session":"⟦B:uuid⟧","patient_mrn":"⟦P:mrn#m⟧","patient_name":"⟦P:person.full⟧","client_ip":"⟦P:public_ip⟧"}
{"ts":"2025-02-14T15:02:09Z","level":"info","msg":"visit.join","session":"⟦B:uuid⟧","provider_npi":"⟦P:npi⟧","client_ip":"⟦B:private_ip⟧"}
{"ts":"2025-02-14T15:02:40Z","level":"warn","msg":"ice.failed","session":"⟦B:uuid⟧","patient_mrn":"⟦P:mrn#m⟧"}
""",
    ),
    (
        "ho-dsar-ticket",
        "pii",
        r"""
GDPR access request, need a SQL query across users, orders and login_events for everything we hold on this
person:

Requester: ⟦P:person.full#r⟧
Email on account: ⟦P:person.email#r⟧
Phone: ⟦P:phone_intl⟧
Last known IPs: ⟦P:public_ip⟧, ⟦P:public_ipv6⟧
Postal address: ⟦P:street_address⟧
""",
    ),
    (
        "ho-dental-appointment-sms",
        "phi",
        r"""
The reminder SMS template renders the wrong name. Here's the context object it received and the template:

ctx = {"patient": {"first": "⟦P:person.first#p⟧", "last": "⟦P:person.last#p⟧", "mobile": "⟦P:phone_us⟧",
                   "chart_no": "⟦P:mrn⟧", "dob": "⟦P:dob_iso⟧"},
       "appt": {"at": "⟦B:iso_ts⟧", "provider": "Dr. ⟦P:person.last#d⟧"}}

"Hi {{ guardian.first | default(patient.first) }}, reminder: cleaning on {{ appt.at | date }} with {{ appt.provider }}."
""",
    ),
]
