# ruff: noqa: E501
"""Held-out prompts mixing credentials, PII/PHI and look-alikes, as in real debugging sessions.

Marker language as in bench/data/redaction/make_corpus.py. Written without reading the development templates.
"""

from __future__ import annotations

TEMPLATES: list[tuple[str, str, str]] = [
    (
        "ho-mix-sentry-charge",
        "mixed",
        r"""
Sentry issue BILLING-4K1, how do I stop this from happening when the customer has no default source?

stripe.error.InvalidRequestError: No such PaymentMethod: 'pm_1Qs8...'
  File "/app/billing/charge.py", line 88, in charge_customer
    intent = stripe.PaymentIntent.create(amount=amount, currency="usd", customer=customer_id, confirm=True)

Local variables (charge_customer):
    amount = 4900
    api_key = '⟦S:stripe_live⟧'
    customer_id = '⟦B:stripe_customer_id⟧'
    customer_email = '⟦P:email⟧'
    self = <billing.charge.Charger object at 0x7f3a1c2e9d90>

event_id: ⟦B:trace_id⟧   release: web@⟦B:git_sha⟧   environment: production
""",
    ),
    (
        "ho-mix-slack-db-url",
        "mixed",
        r"""
#data-eng, exported thread. I want a bot that warns when someone pastes a connection string like this:

⟦P:person.full#a⟧  10:41 AM
  can someone check why the nightly export is empty? I'm running it by hand with
  `psql "postgresql://analytics_ro:⟦S:db_password⟧@⟦P:public_ip⟧:5432/warehouse?sslmode=require"`
⟦P:person.full#b⟧  10:44 AM
  @⟦P:person.first#a⟧ the replica at ⟦B:private_ip⟧ is lagging, use that one from inside the VPN instead
⟦P:person.full#a⟧  10:45 AM
  👍 thanks
""",
    ),
    (
        "ho-mix-pr-review-fixture",
        "mixed",
        r"""
Code review on PR #1207 (tests/fixtures/customers.json). Please rewrite the fixture with fake data:

> {"id": "⟦B:uuid⟧", "name": "⟦P:person.full⟧", "email": "⟦P:email⟧", "card": "⟦P:credit_card⟧"},
> {"id": "⟦B:uuid⟧", "name": "⟦P:person.full⟧", "email": "⟦P:email⟧", "card": "⟦P:credit_card⟧"}

Reviewer: these look like production rows. Also `conftest.py` line 12 has
`SENDGRID_KEY = "⟦S:sendgrid⟧"`, please use `⟦B=monkeypatch.setenv("SENDGRID_KEY", "x")|code⟧`.
""",
    ),
    (
        "ho-mix-notebook-patient-etl",
        "mixed",
        r"""
In [2]: engine = create_engine("mssql+pyodbc://etl_reader:⟦S:db_password⟧@ehr-replica.riverside.local/Clarity?driver=ODBC+Driver+18+for+SQL+Server")
In [3]: pd.read_sql("SELECT TOP 3 PAT_MRN_ID, PAT_NAME, BIRTH_DATE, ZIP FROM PATIENT", engine)
Out[3]:
  PAT_MRN_ID               PAT_NAME  BIRTH_DATE    ZIP
0   ⟦P:mrn⟧  ⟦P:person.last#a⟧,⟦P:person.first#a⟧  ⟦P:dob_iso⟧  53703
1   ⟦P:mrn⟧  ⟦P:person.last#b⟧,⟦P:person.first#b⟧  ⟦P:dob_iso⟧  53711
2   ⟦P:mrn⟧  ⟦P:person.last#c⟧,⟦P:person.first#c⟧  ⟦P:dob_iso⟧  53562

Query takes 40s for 3 rows, is TOP applied after the full scan?
""",
    ),
    (
        "ho-mix-ticket-pasted-key",
        "mixed",
        r"""
Support ticket #5521, draft a reply explaining we rotated the key and how to create a new one:

From: ⟦P:person.full#c⟧ <⟦P:person.email#c⟧>
"Hi, your API keeps saying invalid key. This is the key from the dashboard: ⟦S:openai_project⟧
I'm calling from our office (⟦P:public_ip⟧) if that matters. Phone ⟦P:phone_intl⟧."
Internal note: request ids ⟦B:request_id⟧, ⟦B:request_id⟧
""",
    ),
    (
        "ho-mix-k8s-deployment-env",
        "mixed",
        r"""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: notifier
spec:
  template:
    spec:
      containers:
        - name: notifier
          image: ghcr.io/quillsoft/notifier:⟦B=1.9.4|version⟧
          env:
            - name: TWILIO_AUTH_TOKEN
              value: "⟦S:twilio_auth⟧"
            - name: ONCALL_PHONE
              value: "⟦P:phone_us⟧"
            - name: ADMIN_EMAIL
              value: "⟦P:email⟧"
            - name: SMTP_PASSWORD
              valueFrom: {secretKeyRef: {name: smtp, key: password}}
            - name: OTEL_EXPORTER_OTLP_ENDPOINT
              value: "http://⟦B:private_ip⟧:4317"

kubeval says "spec.selector: Required value". Also is it ok to keep the token in value: like this?
""",
    ),
    (
        "ho-mix-postman-ehr",
        "mixed",
        r"""
Postman pre-request script for the EHR sandbox plus the body of the failing call (400 "invalid patient"):

pm.environment.set("client_id", "⟦B:uuid⟧");
pm.environment.set("client_secret", "⟦S:webhook_secret⟧");
pm.sendRequest({url: pm.environment.get("tokenUrl"), method: "POST",
  body: {mode: "urlencoded", urlencoded: [{key: "grant_type", value: "client_credentials"}]}});

POST ⟦B={{fhirBase}}/Patient/$match|placeholder⟧
{"resourceType": "Parameters", "parameter": [{"name": "resource", "resource": {
  "resourceType": "Patient", "name": [{"family": "⟦P:person.last#p⟧", "given": ["⟦P:person.first#p⟧"]}],
  "birthDate": "⟦P:dob_iso⟧", "identifier": [{"system": "http://hl7.org/fhir/sid/us-ssn", "value": "⟦P:ssn⟧"}]}}]}
""",
    ),
    (
        "ho-mix-compose-crm",
        "mixed",
        r"""
docker compose up: the seed job creates the admin but login fails. docker-compose.yml:

services:
  app:
    image: twentycrm/twenty:⟦B=v0.33.4|version⟧
    environment:
      PG_DATABASE_URL: postgres://twenty:⟦S:db_password#pg⟧@db:5432/default
      APP_SECRET: ⟦S:hex_secret⟧
      STORAGE_S3_ACCESS_KEY_ID: ⟦S:aws_akid⟧
      STORAGE_S3_SECRET_ACCESS_KEY: ⟦S:aws_secret⟧
  seed:
    command: ["yarn", "seed:admin", "--email", "⟦P:person.email#a⟧", "--name", "⟦P:person.full#a⟧", "--phone", "⟦P:phone_us⟧"]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: ⟦S:db_password#pg⟧
""",
    ),
    (
        "ho-mix-airflow-connections",
        "mixed",
        r"""
$ airflow connections export - --file-format env
AIRFLOW_CONN_WAREHOUSE=snowflake://loader:⟦S:password⟧@acme-eu/analytics/RAW?warehouse=LOAD_WH&role=LOADER
AIRFLOW_CONN_SFTP_LAB=sftp://labdrop:⟦S:password⟧@⟦P:public_ip⟧:22

and the task log that failed:
[2025-02-14, 02:10:44 UTC] {lab_results.py:77} ERROR - row rejected: patient_mrn=⟦P:mrn⟧ name=⟦P:person.full⟧ reason=dob_mismatch
[2025-02-14, 02:10:44 UTC] {taskinstance.py:3311} INFO - dag_id=lab_ingest run_id=scheduled__2025-02-13T02:00:00+00:00

why does the sftp hook ignore the key_file in extra?
""",
    ),
    (
        "ho-mix-tf-user-data",
        "mixed",
        r"""
resource "aws_instance" "monitor" {
  ami           = "⟦B:ami_id⟧"
  instance_type = "t3.small"
  subnet_id     = "⟦B:subnet_id⟧"
  user_data = <<-EOF
    #!/bin/bash
    DD_API_KEY=⟦S:datadog_api⟧ DD_SITE="datadoghq.eu" bash -c "$(curl -L https://install.datadoghq.com/scripts/install_script_agent7.sh)"
    echo "alerts to ⟦P:email⟧" >> /etc/motd
  EOF
  tags = { Owner = "⟦P:person.full⟧", CostCenter = "⟦B=CC-410|cost_center⟧" }
}

Why does changing user_data not update the running instance?
""",
    ),
    (
        "ho-mix-json-logs-auth",
        "mixed",
        r"""
Our request logger prints the whole header map, see below. Write a filter for structlog that drops
Authorization and Cookie and masks emails.

{"event":"request","method":"POST","path":"/v1/exports","status":403,"request_id":"⟦B:uuid⟧","user":"⟦P:email⟧","client_ip":"⟦P:public_ip⟧","headers":{"authorization":"Bearer ⟦S:jwt⟧","x-api-key":"⟦S:api_key32⟧","user-agent":"python-httpx/⟦B=0.28.1|version⟧"},"duration_ms":12.4,"ts":"⟦B:iso_ts⟧"}
""",
    ),
    (
        "ho-mix-git-show-coauthor",
        "mixed",
        r"""
$ git show --stat ⟦B:short_sha⟧
commit ⟦B:git_sha⟧
Author: ⟦P:person.full#a⟧ <⟦P:person.email#a⟧>
Date:   Wed Feb 12 18:22:40 2025 +0100

    add geocoding fallback

    Co-authored-by: ⟦P:person.full#b⟧ <⟦P:person.email#b⟧>

diff --git a/geo/config.py b/geo/config.py
+GOOGLE_MAPS_KEY = "⟦S:gcp_api_key⟧"
+MAPBOX_TOKEN = "⟦S:mapbox_secret⟧"

How do I remove this commit from main and everyone's clones?
""",
    ),
    (
        "ho-mix-backup-cron",
        "mixed",
        r"""
#!/usr/bin/env bash
# /etc/cron.daily/pg-backup -- runs at 03:00, the upload step sometimes hangs forever
set -euo pipefail
export PGPASSWORD='⟦S:db_password⟧'
export AWS_ACCESS_KEY_ID=⟦S:aws_akid⟧
export AWS_SECRET_ACCESS_KEY=⟦S:aws_secret⟧
pg_dump -h ⟦B:private_ip⟧ -U backup -Fc orders > /tmp/orders.dump
aws s3 cp /tmp/orders.dump s3://acme-backups/orders/$(date +%F).dump --sse aws:kms
curl -s -X POST https://api.twilio.com/2010-04-01/Accounts/⟦N:twilio_sid#t⟧/Messages.json \
  -u ⟦N:twilio_sid#t⟧:⟦S:twilio_auth⟧ \
  --data-urlencode "To=⟦P:phone_us⟧" --data-urlencode "Body=backup done"
""",
    ),
    (
        "ho-mix-hr-letters",
        "mixed",
        r"""
DM from HR: "the offer letter script crashed on this row, can you fix it today?" The row and the traceback:

row = {'name': '⟦P:person.full⟧', 'ssn': '⟦P:ssn⟧', 'salary': 128000, 'start': '2025-03-03',
       'address': '⟦P:street_address⟧', 'manager': '⟦P:person.full⟧'}

  File "letters.py", line 44, in render
    doc.merge(**row, signature=SIGNATURE_IMAGE)
TypeError: merge() got an unexpected keyword argument 'ssn'

Script uses DocuSign with integration key ⟦B:uuid⟧ and RSA key from /etc/letters/docusign.pem.
""",
    ),
    (
        "ho-mix-graphql-shopify",
        "mixed",
        r"""
POST https://acme-outdoor.myshopify.com/admin/api/2024-10/graphql.json
X-Shopify-Access-Token: ⟦S:shopify_token⟧

mutation customerCreate($input: CustomerInput!) { customerCreate(input: $input) { userErrors { field message } } }
variables:
{"input": {"firstName": "⟦P:person.first#a⟧", "lastName": "⟦P:person.last#a⟧", "email": "⟦P:person.email#a⟧",
           "phone": "⟦P:phone_intl⟧", "addresses": [{"address1": "⟦P:street_line⟧", "city": "Portland", "zip": "97205"}]}}

userErrors: [{"field": ["phone"], "message": "Phone is invalid"}]  -- the number is valid, why?
""",
    ),
    (
        "ho-mix-gha-matrix-debug",
        "mixed",
        r"""
ACTIONS_STEP_DEBUG output from the e2e job, the step that seeds a test user prints more than it should:

##[debug]Evaluating: secrets.E2E_ADMIN_PASSWORD
##[debug]=> '***'
##[debug]Result: '***'
+ curl -s https://staging.acme-crm.com/api/seed -H "Authorization: Bearer ⟦S:github_pat⟧" -d '{"email":"⟦P:email⟧","password":"⟦S:password⟧"}'
{"ok":true,"user_id":"⟦B:uuid⟧"}
##[debug]Finishing: seed user
run ⟦B:gh_run_id⟧, attempt 2

How do I make sure the password never reaches the log?
""",
    ),
    (
        "ho-mix-pgpass-psql",
        "mixed",
        r"""
~/.pgpass
db-prod.acme-internal.net:5432:crm:crm_admin:⟦S:db_password⟧

crm=> SELECT id, full_name, email, phone, signup_ip FROM customers WHERE id IN (4411, 4412);
  id  |     full_name      |              email               |     phone      |   signup_ip
------+--------------------+----------------------------------+----------------+----------------
 4411 | ⟦P:person.full⟧ | ⟦P:email⟧ | ⟦P:phone_us⟧ | ⟦P:public_ip⟧
 4412 | ⟦P:person.full⟧ | ⟦P:email⟧ | ⟦P:phone_us⟧ | ⟦P:public_ip⟧
(2 rows)

signup_ip is a text column. How do I migrate it to inet without a long lock, and keep the index
⟦B=idx_customers_signup_ip|identifier⟧ working during the change?
""",
    ),
]
