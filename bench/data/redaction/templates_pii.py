# ruff: noqa: E501  (prompt text is data: pasted lines keep their real length)
"""Prompts that carry PII/PHI: prose, fixtures, logs, SQL, health records (markers: see make_corpus.py)."""

TEMPLATES = [
    # ------------------------------------------------------------------------------------------ names in prose
    (
        "pii-prose-01",
        "pii/prose",
        r"""
My manager ⟦P:person.full#a⟧ asked me to write a script that reminds the team about stand-up. Can you write
a small Python cron job that posts to our channel at 9:30 every weekday?
""",
    ),
    (
        "pii-prose-02",
        "pii/prose",
        r"""
I'm writing a performance review for ⟦P:person.full#a⟧, a backend engineer on my team. She led the migration
from Celery to Temporal this quarter and mentored two juniors. Can you help me phrase the "areas to grow"
section so it sounds constructive?
""",
    ),
    (
        "pii-prose-03",
        "pii/prose",
        r"""
Customer complaint forwarded by support: "Hi, this is ⟦P:person.full#a⟧. I was charged twice for order
⟦B:order_id⟧ on ⟦B=March 3|date⟧ and nobody answers my emails at ⟦P:person.email#a⟧." Write a SQL query that finds
duplicate charges for the same order within 5 minutes.
""",
    ),
    (
        "pii-prose-04",
        "pii/prose",
        r"""
Draft a polite email to ⟦P:person.full#a⟧ from the vendor side explaining that the API migration to v3 is
delayed by two weeks because of the rate-limiter bug. Sign it from ⟦P:person.full#b⟧, engineering lead.
""",
    ),
    (
        "pii-prose-05",
        "pii/prose",
        r"""
Debugging session notes: ⟦P:person.full#a⟧ reproduced the race in the payment worker yesterday, and
⟦P:person.full#b⟧ thinks it's the missing `SELECT ... FOR UPDATE`. Can you explain how row locks
interact with `READ COMMITTED` in Postgres?
""",
    ),
    (
        "pii-prose-06",
        "pii/prose",
        r"""
Summarise this incident timeline for the postmortem:

- 02:14 UTC pager fired, ⟦P:person.full#a⟧ acknowledged
- 02:31 ⟦P:person.full#b⟧ rolled back deploy ⟦B:short_sha⟧
- 02:45 error rate back to baseline, ⟦P:person.full#a⟧ closed the incident
""",
    ),
    (
        "pii-prose-07",
        "pii/prose",
        r"""
We need an onboarding checklist generator. New hire this Monday is ⟦P:person.full#a⟧ (personal email
⟦P:person.email#a⟧, phone ⟦P:phone_us⟧); their buddy is ⟦P:person.full#b⟧. Write a Jinja2 template
for the welcome message that takes these as variables.
""",
    ),
    (
        "pii-prose-08",
        "pii/prose",
        r"""
Can you make this Slack message sound less passive-aggressive? "@⟦N:person.handle#a⟧ as I mentioned three
times already, ⟦P:person.full#b⟧ cannot approve PRs to main, please stop asking them."
""",
    ),
    (
        "pii-prose-09",
        "pii/prose",
        r"""
Our landlord ⟦P:person.full#a⟧ wants the office Wi-Fi logs. I exported them from the router: the only
external address is ⟦P:public_ip⟧. What tools can I use to anonymise the MAC addresses before sending?
""",
    ),
    (
        "pii-prose-10",
        "pii/prose",
        r"""
Write a unit test for `format_greeting(user)`. Real example from prod that broke it: the user's display
name was "⟦P:person.full#a⟧" and the function produced "Hello, ⟦P:person.first#a⟧ ⟦P:person.first#a⟧!".
""",
    ),
    (
        "pii-prose-11",
        "pii/prose",
        r"""
Dr. ⟦P:person.last#a⟧ from the cardiology department asked for a dashboard of average wait times per
clinic. What's a good way to compute rolling 7-day medians in pandas?
""",
    ),
    (
        "pii-prose-12",
        "pii/prose",
        r"""
I'm building a CRM import. One row in the CSV fails validation; the contact is ⟦P:person.full#a⟧ at
⟦P:street_address⟧, mobile ⟦P:phone_intl⟧. What's wrong with this regex for phone numbers?
`^\+?[0-9 ]{7,15}$`
""",
    ),
    # ------------------------------------------------------------------------------------------ fixtures
    (
        "pii-fixture-json-13",
        "pii/fixture",
        r"""
This fixture makes the serializer test fail with "unexpected key". Which field is it?

```json
[
  {"id": 1, "name": "⟦P:person.full#a⟧", "email": "⟦P:person.email#a⟧", "phone": "⟦P:phone_us⟧", "created_at": "⟦B:iso_ts⟧"},
  {"id": 2, "name": "⟦P:person.full#b⟧", "email": "⟦P:person.email#b⟧", "phone": "⟦P:phone_intl⟧", "created_at": "⟦B:iso_ts⟧", "nickname": null}
]
```
""",
    ),
    (
        "pii-fixture-sql-14",
        "pii/fixture",
        r"""
Seed script for staging; Postgres rejects the second insert with "value too long for type character varying(12)":

```sql
INSERT INTO customers (full_name, email, phone, ssn) VALUES
  ('⟦P:person.full#a⟧', '⟦P:person.email#a⟧', '⟦P:phone_us⟧', '⟦P:ssn⟧'),
  ('⟦P:person.full#b⟧', '⟦P:person.email#b⟧', '⟦P:phone_intl⟧', '⟦P:ssn⟧');
```
""",
    ),
    (
        "pii-fixture-py-15",
        "pii/fixture",
        r"""
Refactor this pytest fixture into a factory_boy factory:

```python
@pytest.fixture
def customer():
    return Customer(
        first_name="⟦P:person.first#a⟧",
        last_name="⟦P:person.last#a⟧",
        email="⟦P:person.email#a⟧",
        date_of_birth=date.fromisoformat("⟦P:dob_iso⟧"),
        address="⟦P:street_address⟧",
    )
```
""",
    ),
    (
        "pii-fixture-csv-16",
        "pii/fixture",
        r"""
pandas reads this CSV with the wrong dtypes (phone becomes float). Sample rows:

```
customer_id,name,email,phone,signup_date
10442,⟦P:person.full#a⟧,⟦P:person.email#a⟧,⟦P:phone_us⟧,⟦B=2023-04-11|date⟧
10443,⟦P:person.full#b⟧,⟦P:person.email#b⟧,⟦P:phone_us⟧,2023-04-12
10444,⟦P:person.full#c⟧,⟦P:person.email#c⟧,⟦P:phone_intl⟧,2023-04-12
```
""",
    ),
    (
        "pii-fixture-yaml-17",
        "pii/fixture",
        r"""
Rails fixtures, `rails test` fails with "ActiveRecord::Fixture::FixtureError: table users has no columns named phone_e164":

```yaml
jane:
  name: ⟦P:person.full#a⟧
  email: ⟦P:person.email#a⟧
  phone_e164: "⟦P:phone_intl⟧"
  role: admin
bob:
  name: ⟦P:person.full#b⟧
  email: ⟦P:person.email#b⟧
  role: member
```
""",
    ),
    (
        "pii-fixture-ts-18",
        "pii/fixture",
        r"""
Storybook story for the ContactCard component renders blank. The mock:

```tsx
export const Default: Story = {
  args: {
    contact: {
      id: "⟦B:uuid⟧",
      displayName: "⟦P:person.full#a⟧",
      email: "⟦P:person.email#a⟧",
      avatarColor: "⟦B:hex_colour⟧",
    },
  },
};
```
""",
    ),
    (
        "pii-fixture-go-19",
        "pii/fixture",
        r"""
Table-driven test in Go; the second case fails and I can't see why:

```go
tests := []struct {
    name  string
    input User
    want  string
}{
    {"plain", User{Name: "⟦P:person.full#a⟧", Email: "⟦P:person.email#a⟧"}, "⟦N:person.handle#a⟧"},
    {"hyphenated", User{Name: "⟦P:person.full#b⟧", Email: "⟦P:person.email#b⟧"}, "⟦N:person.handle#b⟧"},
}
```
""",
    ),
    (
        "pii-fixture-java-20",
        "pii/fixture",
        r"""
JUnit test builder, can you make it use a builder pattern?

```java
Employee e = new Employee();
e.setFullName("⟦P:person.full#a⟧");
e.setWorkEmail("⟦P:person.email#a⟧");
e.setMobile("⟦P:phone_us⟧");
e.setHomeAddress("⟦P:street_address⟧");
e.setSsn("⟦P:ssn⟧");
```
""",
    ),
    # ------------------------------------------------------------------------------------------ comments, git, logs
    (
        "pii-comment-21",
        "pii/comment",
        r"""
Explain what this function does; the comment is outdated:

```python
# Author: ⟦P:person.full#a⟧ <⟦P:person.email#a⟧>
# Reviewed by ⟦P:person.full#b⟧, 2019
def normalise(s):
    return unicodedata.normalize("NFKC", s).casefold().strip()
```
""",
    ),
    (
        "pii-gitlog-22",
        "pii/comment",
        r"""
Which of these commits introduced the regression?

```
commit ⟦B:git_sha⟧
Author: ⟦P:person.full#a⟧ <⟦P:person.email#a⟧>
Date:   ⟦B=Tue Mar 12 16:04:11 2024 +0100|timestamp⟧

    Cache tokenizer per worker

commit ⟦B:git_sha⟧
Author: ⟦P:person.full#b⟧ <⟦P:person.email#b⟧>
Date:   Mon Mar 11 09:51:37 2024 +0100

    Bump pydantic to 2.6.4
```
""",
    ),
    (
        "pii-log-23",
        "pii/log",
        r"""
Our auth service logs look like this; failed logins from the same address keep coming. How do I write a
fail2ban filter for it?

```
2024-07-01T03:12:55Z WARN login failed user=⟦P:person.email#a⟧ ip=⟦P:public_ip#x⟧ reason=bad_password
2024-07-01T03:12:58Z WARN login failed user=⟦P:person.email#b⟧ ip=⟦P:public_ip#x⟧ reason=bad_password
2024-07-01T03:13:02Z WARN login failed user=admin ip=⟦P:public_ip#x⟧ reason=unknown_user
2024-07-01T03:13:09Z INFO login ok user=⟦P:person.email#c⟧ ip=⟦B:private_ip⟧
```
""",
    ),
    (
        "pii-log-nginx-24",
        "pii/log",
        r"""
Parse these nginx access log lines with a regex that captures IP, time, method, path and status:

```
⟦P:public_ip⟧ - - [12/May/2024:10:01:22 +0000] "GET /api/v1/orders?page=2 HTTP/1.1" 200 5123 "-" "Mozilla/5.0"
⟦P:public_ip⟧ - - [12/May/2024:10:01:23 +0000] "POST /api/v1/login HTTP/1.1" 401 87 "-" "⟦B=python-requests/2.31.0|version⟧"
⟦B=127.0.0.1|localhost⟧ - - [12/May/2024:10:01:25 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"
```
""",
    ),
    (
        "pii-log-ipv6-25",
        "pii/log",
        r"""
Our rate limiter keys on client IP. Is it correct to truncate IPv6 to /64? Example client addresses from
yesterday: ⟦P:public_ipv6⟧ and ⟦P:public_ip⟧.
""",
    ),
    (
        "pii-email-thread-26",
        "pii/contact",
        r"""
Write a regex-free parser that extracts name and address from a "From:" header. Examples:

From: ⟦P:person.full#a⟧ <⟦P:person.email#a⟧>
From: "⟦P:person.last#b⟧, ⟦P:person.first#b⟧" <⟦P:person.email#b⟧>
From: ⟦P:person.email#c⟧
""",
    ),
    (
        "pii-contact-27",
        "pii/contact",
        r"""
Convert this vCard to JSON:

```
BEGIN:VCARD
VERSION:3.0
FN:⟦P:person.full#a⟧
TEL;TYPE=CELL:⟦P:phone_us⟧
TEL;TYPE=WORK:⟦P:phone_intl⟧
EMAIL:⟦P:person.email#a⟧
ADR;TYPE=HOME:;;⟦P:street_line⟧;Portland;OR;97214;USA
END:VCARD
```
""",
    ),
    (
        "pii-contact-28",
        "pii/contact",
        r"""
The phone normaliser in our signup form turns these into garbage. Inputs from real users:
⟦P:phone_us⟧, ⟦P:phone_us⟧, ⟦P:phone_intl⟧, ⟦P:phone_intl⟧. Write a function using the `phonenumbers`
library that returns E.164.
""",
    ),
    (
        "pii-contact-29",
        "pii/contact",
        r"""
Shipping label generator prints the address on one line. Should wrap after the street. Example order:

Ship to: ⟦P:person.full#a⟧
⟦P:street_address⟧
Phone: ⟦P:phone_us⟧
""",
    ),
    (
        "pii-contact-30",
        "pii/contact",
        r"""
Zendesk ticket export, I need to dedupe requesters by email (case-insensitive):

| ticket | requester | email | phone |
|---|---|---|---|
| 88121 | ⟦P:person.full#a⟧ | ⟦P:person.email#a⟧ | ⟦P:phone_us⟧ |
| 88122 | ⟦P:person.full#b⟧ | ⟦P:person.email#b⟧ | ⟦P:phone_intl⟧ |
""",
    ),
    # ------------------------------------------------------------------------------------------ financial / government ids
    (
        "pii-ssn-31",
        "pii/government",
        r"""
Our HR export has SSNs in two formats and the import job chokes on one. Lines:

```
⟦B=emp_id,name,ssn|csv_header⟧
4410,⟦P:person.full#a⟧,⟦P:ssn⟧
4411,⟦P:person.full#b⟧,⟦P:ssn_plain⟧
```
Write a validator that accepts both and rejects 000/666/9xx areas.
""",
    ),
    (
        "pii-ssn-32",
        "pii/government",
        r"""
Why does this mask function show the whole SSN in the logs?

```python
def mask_ssn(ssn: str) -> str:
    return "***-**-" + ssn[-4:]

log.info("verifying applicant ssn=%s", "⟦P:ssn⟧")  # TODO use mask_ssn
```
""",
    ),
    (
        "pii-card-33",
        "pii/financial",
        r"""
The Luhn check in our checkout fails for this customer's card, but the bank says it's valid:
⟦P:credit_card⟧. Here's the code:

```js
function luhn(num) {
  let sum = 0;
  for (let i = 0; i < num.length; i++) {
    let d = parseInt(num[i], 10);
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}
```
""",
    ),
    (
        "pii-card-34",
        "pii/financial",
        r"""
A payment webhook payload leaked card data into our logs (PCI incident, I know). Help me write a log
filter that masks PANs. Example line:

```
⟦B=2024-08-19 12:00:41|timestamp⟧ DEBUG payload={"amount": 4200, "card": "⟦P:credit_card⟧", "exp": "11/27", "holder": "⟦P:person.full#a⟧"}
```
""",
    ),
    (
        "pii-card-35",
        "pii/financial",
        r"""
Test the card-type detection with these numbers from last week's failed transactions:
⟦P:credit_card⟧ (should be Visa or MC), ⟦P:credit_card⟧, and ⟦P:credit_card⟧ (Amex?).
""",
    ),
    (
        "pii-iban-36",
        "pii/financial",
        r"""
SEPA payout fails with "invalid creditor account" for this IBAN: ⟦P:iban⟧ (account holder
⟦P:person.full#a⟧). Our validator:

```python
def iban_ok(iban: str) -> bool:
    s = iban.replace(" ", "")
    s = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97 == 1
```
""",
    ),
    (
        "pii-iban-37",
        "pii/financial",
        r"""
Payroll CSV for the EU entity; the bank portal rejects the file. Can you spot the format issue?

```
employee;iban;amount;currency
⟦P:person.full#a⟧;⟦P:iban⟧;3120.50;EUR
⟦P:person.full#b⟧;⟦P:iban⟧;2890.00;EUR
```
""",
    ),
    (
        "pii-passport-38",
        "pii/government",
        r"""
KYC form validation: the passport field should accept US passport numbers. Applicant ⟦P:person.full#a⟧
entered passport number ⟦P:passport⟧ and DOB ⟦P:dob_us⟧ and got "invalid". What regex should I use?
""",
    ),
    # ------------------------------------------------------------------------------------------ health (PHI)
    (
        "phi-note-39",
        "phi/clinical",
        r"""
Summarise this discharge note for the patient portal in plain language:

Patient: ⟦P:person.full#a⟧, DOB ⟦P:dob⟧, MRN ⟦P:mrn⟧
Admitted for community-acquired pneumonia, treated with ceftriaxone and azithromycin, afebrile for 48h.
Follow up with Dr. ⟦P:person.full#b⟧ (NPI ⟦P:npi⟧) in one week.
""",
    ),
    (
        "phi-hl7-40",
        "phi/clinical",
        r"""
Our HL7 parser crashes on this ADT^A01 message, I think the PID segment is malformed:

```
MSH|^~\&|EPIC|RIVERSIDE|LABSYS|RIVERSIDE|⟦B=20240611083000|timestamp⟧||ADT^A01|⟦B=MSG00412|message_id⟧|P|2.5.1
PID|1||⟦P:mrn⟧^^^RIVERSIDE^MR||⟦P:person.last#a⟧^⟦P:person.first#a⟧||⟦P:dob_hl7⟧|F|||⟦P:street_line⟧^^Madison^WI^53703||⟦P:phone_us⟧
PV1|1|I|4W^412^1|||||⟦P:npi⟧^⟦P:person.last#b⟧^⟦P:person.first#b⟧
```
""",
    ),
    (
        "phi-fhir-41",
        "phi/clinical",
        r"""
Validate this FHIR Patient resource, the server returns 422:

```json
{
  "resourceType": "Patient",
  "id": "⟦B:uuid⟧",
  "identifier": [{"system": "⟦B=http://hospital.example.org/mrn|example_url⟧", "value": "⟦P:mrn⟧"}],
  "name": [{"family": "⟦P:person.last#a⟧", "given": ["⟦P:person.first#a⟧"]}],
  "birthDate": "⟦P:dob_iso⟧",
  "telecom": [{"system": "phone", "value": "⟦P:phone_us⟧"}],
  "address": [{"line": ["⟦P:street_line⟧"], "city": "Austin", "state": "TX"}]
}
```
""",
    ),
    (
        "phi-claims-42",
        "phi/insurance",
        r"""
Claims batch job rejects rows where the Medicare ID has dashes. Example rows:

```
claim_id,beneficiary,mbi,dob,provider_npi
⟦B=CLM-88213|claim_id⟧,⟦P:person.full#a⟧,⟦P:mbi⟧,⟦P:dob_us⟧,⟦P:npi⟧
CLM-88214,⟦P:person.full#b⟧,⟦P:mbi⟧,⟦P:dob_us⟧,⟦P:npi⟧
```
Write a normaliser that strips dashes and validates the MBI format.
""",
    ),
    (
        "phi-member-43",
        "phi/insurance",
        r"""
Eligibility check (270/271) returns "subscriber not found". We send member ID ⟦P:member_id⟧ for
⟦P:person.full#a⟧, date of birth ⟦P:dob⟧. Is the DOB format the problem?
""",
    ),
    (
        "phi-dea-44",
        "phi/pharmacy",
        r"""
E-prescribing: validate prescriber DEA numbers with the checksum. Test data from the pharmacy system:
Dr. ⟦P:person.full#a⟧ DEA ⟦P:dea⟧, Dr. ⟦P:person.full#b⟧ DEA ⟦P:dea⟧. Write the checksum function in TypeScript.
""",
    ),
    (
        "phi-sql-45",
        "phi/clinical",
        r"""
This query is slow (12 s). EXPLAIN below. The row it was debugging:

```sql
SELECT p.mrn, p.full_name, p.dob, v.diagnosis_code
FROM patients p JOIN visits v ON v.patient_id = p.id
WHERE p.mrn = '⟦P:mrn#m⟧';
-- returns: ⟦P:mrn#m⟧ | ⟦P:person.full#a⟧ | ⟦P:dob_iso⟧ | ⟦B=E11.9|icd10⟧
```
""",
    ),
    (
        "phi-lab-46",
        "phi/clinical",
        r"""
Generate a PDF lab report template. Data for the preview:

Patient name: ⟦P:person.full#a⟧
Medical record number: ⟦P:mrn⟧
Date of birth: ⟦P:dob⟧
Ordering physician: Dr. ⟦P:person.full#b⟧, NPI ⟦P:npi⟧
HbA1c: 7.2 % (ref 4.0-5.6)
""",
    ),
    (
        "phi-appointment-47",
        "phi/clinical",
        r"""
Appointment reminder SMS is too long (over 160 chars). Shorten the template, keep the variables. Example
render: "Hi ⟦P:person.first#a⟧, reminder: your appointment with Dr. ⟦P:person.last#b⟧ is on Tue 14 May at 10:30 at
⟦P:street_address⟧. Reply C to confirm or call ⟦P:phone_us⟧."
""",
    ),
    (
        "phi-insurance-card-48",
        "phi/insurance",
        r"""
OCR of an insurance card came back like this; write a parser that extracts the fields:

```
BlueShield PPO
Member: ⟦P:person.full#a⟧
Member ID: ⟦P:member_id⟧
Group: 00412A
Medicare Beneficiary Identifier ⟦P:mbi⟧
RxBIN 610014
```
""",
    ),
    (
        "phi-audit-49",
        "phi/clinical",
        r"""
HIPAA audit log rows; write a query that finds users who viewed more than 50 charts in an hour.

```
ts,user,patient_mrn,action
⟦B=2024-02-01T10:00:03Z|timestamp⟧,⟦P:person.email#a⟧,⟦P:mrn⟧,VIEW
2024-02-01T10:00:09Z,⟦P:person.email#a⟧,⟦P:mrn⟧,VIEW
```
""",
    ),
    (
        "phi-prose-50",
        "phi/clinical",
        r"""
My mother ⟦P:person.full#a⟧ (born ⟦P:dob⟧) uses our clinic's app and can't see her lab results. Her chart
number is ⟦P:mrn⟧. Which API endpoint would return them so I can check if the issue is on the backend?
""",
    ),
    (
        "phi-npi-51",
        "phi/pharmacy",
        r"""
The NPI registry lookup returns nothing for ⟦P:npi⟧ (Dr. ⟦P:person.full#a⟧). Here is my call:

```python
r = requests.get("https://npiregistry.cms.hhs.gov/api/", params={"version": "2.1", "number": npi})
```
""",
    ),
    # ------------------------------------------------------------------------------------------ mixed PII
    (
        "pii-mixed-52",
        "pii/mixed",
        r"""
GDPR deletion request came in. Data subject: ⟦P:person.full#a⟧, ⟦P:person.email#a⟧, ⟦P:phone_intl⟧, last seen
from ⟦P:public_ip⟧. Write a script that finds all rows in `users`, `orders` and `support_tickets` that
reference any of these identifiers.
""",
    ),
    (
        "pii-mixed-53",
        "pii/mixed",
        r"""
Write a Python dataclass for this loan application payload and validate it with pydantic:

```json
{
  "applicant": {"name": "⟦P:person.full#a⟧", "ssn": "⟦P:ssn⟧", "dob": "⟦P:dob_iso⟧"},
  "contact": {"email": "⟦P:person.email#a⟧", "phone": "⟦P:phone_us⟧"},
  "address": "⟦P:street_address⟧",
  "bank": {"iban": "⟦P:iban⟧"},
  "requested_amount": 25000
}
```
""",
    ),
    (
        "pii-mixed-54",
        "pii/mixed",
        r"""
We log the whole request body on 500s; this one leaked. Help me write a middleware that redacts PII
keys before logging:

```
ERROR 500 POST /api/checkout body={"email":"⟦P:person.email#a⟧","name":"⟦P:person.full#a⟧","card":"⟦P:credit_card⟧","ip":"⟦P:public_ip⟧"}
```
""",
    ),
    (
        "pii-mixed-55",
        "pii/mixed",
        r"""
Support asked why ⟦P:person.full#a⟧'s account is locked. From the admin panel: email ⟦P:person.email#a⟧,
phone ⟦P:phone_us⟧, last login IP ⟦P:public_ip⟧, 7 failed attempts. What's our lockout policy in this code?

```python
MAX_ATTEMPTS = 5
LOCKOUT_MINUTES = 30
```
""",
    ),
    (
        "pii-name-json-56",
        "pii/fixture",
        r"""
Our API returns users like this; the frontend shows "undefined undefined". What's wrong with
`${user.firstName} ${user.lastName}`?

```json
{"data": [{"first_name": "⟦P:person.first#a⟧", "last_name": "⟦P:person.last#a⟧", "id": 331},
          {"first_name": "⟦P:person.first#b⟧", "last_name": "⟦P:person.last#b⟧", "id": 332}]}
```
""",
    ),
    (
        "pii-name-comment-57",
        "pii/comment",
        r"""
Please review this TODO list in our codebase and group by owner:

```ts
// TODO(⟦N:person.handle#a⟧): remove after the v2 rollout
// FIXME ⟦P:person.full#b⟧: this breaks when the locale is tr-TR
// HACK: per ⟦P:person.full#c⟧, keep the retry at 3 until the vendor fixes their 502s
```
""",
    ),
    (
        "pii-ticket-58",
        "pii/prose",
        r"""
Turn this bug report into a Gherkin scenario:

"Reported by ⟦P:person.full#a⟧ (⟦P:person.email#a⟧): when I change my shipping address to
⟦P:street_address⟧ the checkout page reloads and forgets the coupon code."
""",
    ),
    (
        "pii-resume-59",
        "pii/prose",
        r"""
I'm building a resume parser. Test input:

⟦P:person.full#a⟧
⟦P:street_address⟧ · ⟦P:phone_us⟧ · ⟦P:person.email#a⟧
Senior Software Engineer, 8 years of Python and Go. Led the payments platform at a fintech startup.

Which fields should the parser output?
""",
    ),
    (
        "pii-interview-60",
        "pii/prose",
        r"""
Schedule these interviews with a greedy algorithm that avoids overlaps: ⟦P:person.full#a⟧ (available
Tue/Wed afternoons), ⟦P:person.full#b⟧ (Mon morning only), ⟦P:person.full#c⟧ (any day after 3pm).
Interviewers are in UTC+1.
""",
    ),
    (
        "pii-dob-61",
        "pii/government",
        r"""
Age calculation bug: a user born ⟦P:dob⟧ is shown as 1 year younger on their birthday. Our code:

```python
age = (date.today() - dob).days // 365
```
""",
    ),
    (
        "phi-mbi-62",
        "phi/insurance",
        r"""
The Medicare eligibility API returns "MBI not found" for beneficiary ⟦P:person.full#a⟧, MBI
⟦P:mbi⟧, DOB ⟦P:dob_us⟧. Is there a check digit I'm getting wrong?
""",
    ),
    (
        "phi-fixture-63",
        "phi/clinical",
        r"""
Convert these test patients into a pytest parametrize list:

```python
PATIENTS = [
    ("⟦P:person.full#a⟧", "⟦P:mrn⟧", "⟦P:dob_iso⟧", "⟦P:member_id⟧"),
    ("⟦P:person.full#b⟧", "⟦P:mrn⟧", "⟦P:dob_iso⟧", "⟦P:member_id⟧"),
]
```
""",
    ),
    (
        "pii-address-64",
        "pii/contact",
        r"""
Geocoding returns the wrong city for these. Addresses from our delivery table:

1. ⟦P:street_address⟧
2. ⟦P:street_address⟧
3. ⟦P:street_address⟧

Which geocoder handles unit numbers ("Apt 4B") best?
""",
    ),
]
