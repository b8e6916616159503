"""Second held-out set: prompts whose sensitive content is personal or health data (PII/PHI)."""

TEMPLATES = [
    (
        "h2-pii-ehr-csv-export",
        "pii",
        """
Pandas read_csv splits this EHR export wrong, the address column has commas. First rows of the export:

mrn,patient_name,dob,address,pcp_npi,last_visit
⟦P:mrn⟧,"⟦P:person.full#a⟧",⟦P:dob_us⟧,"⟦P:street_address⟧",⟦P:npi⟧,⟦B=2025-02-14|date⟧
⟦P:mrn⟧,"⟦P:person.full#b⟧",⟦P:dob_us⟧,"⟦P:street_address⟧",⟦P:npi⟧,⟦B=2025-02-17|date⟧

I'm calling pd.read_csv(path) with defaults. Should I set quotechar?
""",
    ),
    (
        "h2-pii-pharmacy-fill",
        "pii",
        """
Our pharmacy system rejects refills with "prescriber DEA invalid". Here's the fill record from the queue
(JSON from the message bus):

{
  "rx": "⟦N:rx_number⟧",
  "patient": {"name": "⟦P:person.full#p⟧", "dob": "⟦P:dob_iso⟧", "phone": "⟦P:phone_us⟧"},
  "prescriber": {"name": "Dr. ⟦P:person.full#d⟧", "npi": "⟦P:npi⟧", "dea": "⟦P:dea⟧"},
  "drug": {"ndc": "⟦B:ndc_code⟧", "name": "atorvastatin 20 mg tablet", "qty": 90},
  "plan": {"member_id": "⟦P:member_id⟧", "bin": "610014"}
}

Which check digit rule should the DEA validator use?
""",
    ),
    (
        "h2-pii-837-claim",
        "pii",
        """
Our 837P generator writes a segment the clearinghouse rejects (AAA*N**42). Can you see what's wrong in the
subscriber loop?

NM1*IL*1*⟦P:person.last#s⟧*⟦P:person.first#s⟧****MI*⟦P:mbi⟧~
N3*⟦P:street_line⟧~
N4*Tucson*AZ*85719~
DMG*D8*⟦P:dob_hl7⟧*F~
NM1*82*1*⟦P:person.last#r⟧*⟦P:person.first#r⟧****XX*⟦P:npi⟧~
CLM*⟦N:claim_number⟧*245.00***11:B:1*Y*A*Y*Y~
""",
    ),
    (
        "h2-pii-hr-spreadsheet",
        "pii",
        """
Writing a script to load our HR sheet into Workday, but the SSN column loses leading zeros. Copied rows:

Employee | Email | SSN | Start | Bank IBAN | Home phone
⟦P:person.full#a⟧ | ⟦P:person.email#a⟧ | ⟦P:ssn⟧ | 2024-09-02 | ⟦P:iban⟧ | ⟦P:phone_intl⟧
⟦P:person.full#b⟧ | ⟦P:person.email#b⟧ | ⟦P:ssn⟧ | 2025-01-13 | ⟦P:iban⟧ | ⟦P:phone_us⟧

I'm using openpyxl; do I need to force the column to text?
""",
    ),
    (
        "h2-pii-support-macro",
        "pii",
        """
Help me turn this Zendesk macro into a Liquid template with placeholders — right now the agent pasted a real
customer into it:

Hi ⟦P:person.first#c⟧,

Thanks for reaching out. I've refunded the charge on your card ending in the number below and updated the
shipping address on order ⟦B:order_id⟧ to ⟦P:street_address⟧.

Card on file: ⟦P:credit_card⟧
We'll email a confirmation to ⟦P:person.email#c⟧ within 24 hours.

Best, Support
""",
    ),
    (
        "h2-pii-meeting-notes",
        "pii",
        """
Summarise these meeting notes into action items:

Incident review — billing outage
Attendees: ⟦P:person.full#a⟧, ⟦P:person.full#b⟧, ⟦P:person.full#c⟧
- ⟦P:person.full#a⟧ will call the affected customer (⟦P:person.full#d⟧, ⟦P:phone_us⟧) about the double charge.
- ⟦P:person.full#b⟧ to check why the retry job ran twice (job id ⟦B:uuid⟧).
- Escalation contact on their side: ⟦P:person.email#d⟧.
""",
    ),
    (
        "h2-pii-crash-report",
        "pii",
        """
Sentry sent this crash for the Android app, I can't reproduce it. What's null here?

java.lang.NullPointerException: Attempt to invoke virtual method 'java.lang.String com.harbor.model.Address.getZip()'
    at com.harbor.checkout.ShippingFragment.bind(ShippingFragment.kt:88)
User: id=⟦B:uuid⟧ email=⟦P:email⟧ ip_address=⟦P:public_ip⟧
Device: Pixel 7, Android 14, build ⟦B:build_number⟧
Breadcrumb: address form submitted {"line1":"⟦P:street_line⟧","zip":null}
""",
    ),
    (
        "h2-pii-insurance-eligibility",
        "pii",
        """
The 271 eligibility response parser crashes on this one. I pulled the relevant fields into JSON:

{"subscriber": {"first": "⟦P:person.first#m⟧", "last": "⟦P:person.last#m⟧", "member_id": "⟦P:member_id⟧",
 "dob": "⟦P:dob_hl7⟧", "medicare_mbi": "⟦P:mbi⟧"},
 "payer": "Aetna", "plan_begin": "20250101", "trace": "⟦B:trace_id⟧"}

The dob is parsed with datetime.strptime(v, "%Y-%m-%d").
""",
    ),
    (
        "h2-pii-hl7-adt",
        "pii",
        """
Mirth channel drops this ADT^A04, error "PID-3 repetition invalid". The message:

MSH|^~\\&|EPIC|NORTHWIND|MIRTH|LAB|20250311081500||ADT^A04|⟦B:s_upper16⟧|P|2.5.1
PID|1||⟦P:mrn⟧^^^NW^MR~⟦P:ssn⟧^^^SSA^SS||⟦P:person.last#p⟧^⟦P:person.first#p⟧||⟦P:dob_hl7⟧|M|||⟦P:street_line⟧^^Madison^WI^53703||⟦P:phone_us⟧
PV1|1|O|CLINIC^^^NW||||⟦P:npi⟧^⟦P:person.last#d⟧^⟦P:person.first#d⟧

Is the ~ repetition separator wrong for PID-3?
""",
    ),
    (
        "h2-pii-payroll-sepa",
        "pii",
        """
Our SEPA payroll XML fails schema validation at CdtrAcct. Snippet:

<CdtTrfTxInf>
  <PmtId><EndToEndId>⟦B:ulid⟧</EndToEndId></PmtId>
  <Amt><InstdAmt Ccy="EUR">3120.55</InstdAmt></Amt>
  <Cdtr><Nm>⟦P:person.full#e⟧</Nm></Cdtr>
  <CdtrAcct><Id><IBAN>⟦P:iban⟧</IBAN></Id></CdtrAcct>
</CdtTrfTxInf>

Does IBAN allow spaces there?
""",
    ),
    (
        "h2-pii-user-export-sql",
        "pii",
        """
This INSERT from our user export fails on Postgres with "value too long for type character varying(20)":

INSERT INTO customers (full_name, email, phone, date_of_birth, signup_ip) VALUES
('⟦P:person.full#a⟧', '⟦P:person.email#a⟧', '⟦P:phone_intl⟧', '⟦P:dob_iso⟧', '⟦P:public_ip⟧'),
('⟦P:person.full#b⟧', '⟦P:person.email#b⟧', '⟦P:phone_us⟧', '⟦P:dob_iso⟧', '⟦P:public_ipv6⟧');

Which column is 20 chars? The schema is in migration ⟦B:alembic_rev⟧.
""",
    ),
    (
        "h2-pii-lab-results",
        "pii",
        """
Write a regex to pull the A1c value out of these lab result lines from our LIS export:

⟦P:mrn⟧ | ⟦P:person.full#a⟧ | DOB ⟦P:dob⟧ | HbA1c 7.9 % (H) | ordering ⟦P:npi⟧
⟦P:mrn⟧ | ⟦P:person.full#b⟧ | DOB ⟦P:dob⟧ | HbA1c 5.4 % | ordering ⟦P:npi⟧

The LOINC code is 4548-4 for all of them.
""",
    ),
    (
        "h2-pii-ticket-thread",
        "pii",
        """
Classify the sentiment of this support thread and draft a reply:

From: ⟦P:person.full#c⟧ <⟦P:person.email#c⟧>
"I've called three times (my number is ⟦P:phone_us⟧) and nobody fixed the duplicate charge on
⟦P:credit_card⟧. My account address is ⟦P:street_address⟧. Please cancel."
""",
    ),
    (
        "h2-pii-background-check",
        "pii",
        """
The background-check vendor's webhook payload breaks our pydantic model (extra fields). Payload:

{"candidate": {"name": "⟦P:person.full#k⟧", "ssn": "⟦P:ssn_plain⟧", "dob": "⟦P:dob_iso⟧",
  "passport": "⟦P:passport⟧", "email": "⟦P:person.email#k⟧"},
 "report_id": "⟦B:uuid⟧", "status": "clear", "completed_at": "⟦B:iso_ts⟧"}

Should I use model_config = ConfigDict(extra="ignore")?
""",
    ),
    (
        "h2-pii-prior-auth-fax",
        "pii",
        """
OCR'd a prior-authorization fax; help me write the field extractor. OCR text:

PRIOR AUTHORIZATION REQUEST
Patient: ⟦P:person.full#p⟧    DOB: ⟦P:dob_us⟧    Member ID: ⟦P:member_id⟧
Medicare ID (MBI): ⟦P:mbi⟧
Prescriber: ⟦P:person.full#d⟧, MD   NPI ⟦P:npi⟧   DEA ⟦P:dea⟧
Drug: semaglutide 1 mg/0.74 mL pen, NDC ⟦B:ndc_code⟧
Diagnosis: E11.65
""",
    ),
    (
        "h2-pii-access-log",
        "pii",
        """
Why does our rate limiter count these as one client? nginx access log lines:

⟦P:public_ip⟧ - - [11/Mar/2025:10:02:11 +0000] "POST /api/login HTTP/2.0" 401 62 "-" "okhttp/4.12.0"
⟦P:public_ip⟧ - - [11/Mar/2025:10:02:12 +0000] "POST /api/login HTTP/2.0" 401 62 "-" "okhttp/4.12.0"
⟦B:private_ip⟧ - - [11/Mar/2025:10:02:12 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"

limit_req_zone $http_x_forwarded_for zone=login:10m rate=5r/m;
""",
    ),
    (
        "h2-pii-crm-merge",
        "pii",
        """
Dedup logic question: are these two CRM contacts the same person? Our fuzzy match says 0.71.

A: ⟦P:person.full#x⟧, ⟦P:person.email#x⟧, ⟦P:phone_us⟧, ⟦P:street_address⟧
B: ⟦P:person.first#x⟧ ⟦P:person.last#x⟧, ⟦P:email⟧, ⟦P:phone_intl⟧

HubSpot object ids ⟦B:hubspot_object_id⟧ and ⟦B:hubspot_object_id⟧.
""",
    ),
    (
        "h2-pii-discharge-summary",
        "pii",
        """
Rewrite this discharge summary in plain language for the patient portal:

Patient ⟦P:person.full#p⟧ (MRN ⟦P:mrn⟧, DOB ⟦P:dob⟧) was admitted for community-acquired pneumonia,
treated with ceftriaxone and azithromycin, and discharged home on oral amoxicillin-clavulanate. Follow up
with ⟦P:person.full#d⟧ (NPI ⟦P:npi⟧) in 7 days. Patient lives at ⟦P:street_address⟧; daughter
reachable at ⟦P:phone_us⟧.
""",
    ),
    (
        "h2-pii-expense-report",
        "pii",
        """
Our expense OCR mislabels the merchant. Extracted receipt + the employee block from the report:

Employee: ⟦P:person.full#e⟧ (⟦P:person.email#e⟧)
Corporate card: ⟦P:credit_card⟧
Reimburse to: ⟦P:iban⟧
Merchant: HARBOR DINER 0042   Total: 48.20 EUR   Receipt hash ⟦B:md5⟧
""",
    ),
    (
        "h2-pii-tenant-application",
        "pii",
        """
Property-management app: validation rejects this rental application. Form submission (urlencoded, decoded):

applicant_name=⟦P:person.full#t⟧
applicant_ssn=⟦P:ssn⟧
applicant_dob=⟦P:dob_us⟧
current_address=⟦P:street_address⟧
employer_phone=⟦P:phone_us⟧
csrf=⟦N:oauth_state⟧

Error: "applicant_dob must be YYYY-MM-DD". Should I normalise on the client?
""",
    ),
]
