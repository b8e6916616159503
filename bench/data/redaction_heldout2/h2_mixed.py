"""Second held-out set: prompts mixing credentials, personal/health data and benign look-alikes."""
# ruff: noqa: E501  (pasted config lines are kept whole: a wrap would change what the detectors see)

TEMPLATES = [
    (
        "h2-mix-clinic-app-env",
        "mixed",
        """
Our clinic scheduling app sends reminders to the wrong patient. Config and one failing job payload:

TWILIO_ACCOUNT_SID=⟦N:twilio_sid⟧
TWILIO_AUTH_TOKEN=⟦S:twilio_auth⟧
SENDGRID_API_KEY=⟦S:sendgrid⟧

job ⟦B:uuid⟧: {"patient": "⟦P:person.full#p⟧", "mrn": "⟦P:mrn⟧", "to": "⟦P:phone_us⟧",
 "appt": "2025-03-14T15:30:00", "provider_npi": "⟦P:npi⟧"}

The job picks the patient by index after sorting — could that be it?
""",
    ),
    (
        "h2-mix-billing-webhook-log",
        "mixed",
        """
Stripe webhook signature fails only for some events. Log lines + our config:

STRIPE_WEBHOOK_SECRET=⟦S:stripe_webhook⟧
STRIPE_API_KEY=⟦S:stripe_restricted⟧

[webhook] evt=⟦B:stripe_event_id⟧ customer=⟦B:stripe_customer_id⟧ email=⟦P:email⟧ card=⟦P:credit_card⟧ sig=FAIL
[webhook] evt=⟦B:stripe_event_id⟧ customer=⟦B:stripe_customer_id⟧ sig=OK

We log the raw card from the charge metadata, which I know is wrong — separate issue.
""",
    ),
    (
        "h2-mix-hr-onboarding-script",
        "mixed",
        """
This onboarding script creates the Google Workspace user and Slack invite; the Slack part 403s.

SLACK_ADMIN_TOKEN = "⟦S:slack_user⟧"
GOOGLE_SA_KEY_ID = "⟦S:gcp_key_id⟧"

new_hire = {
    "name": "⟦P:person.full#n⟧",
    "personal_email": "⟦P:person.email#n⟧",
    "phone": "⟦P:phone_intl⟧",
    "ssn": "⟦P:ssn⟧",
    "start_date": "2025-04-01",
}

Does admin.users.invite need an Enterprise Grid token?
""",
    ),
    (
        "h2-mix-ehr-integration",
        "mixed",
        """
FHIR client gets 401 from the EHR sandbox... wait, this is prod. Our settings and the Patient we fetched:

FHIR_BASE=https://fhir.meridianclinic.org/r4
FHIR_CLIENT_SECRET=⟦S:auth0_client_secret⟧
FHIR_JWT_PRIVATE_KEY=⟦S:pem_ec⟧

{"resourceType": "Patient", "id": "⟦B:ulid⟧",
 "identifier": [{"system": "urn:oid:2.16.840.1.113883.4.1", "value": "⟦P:ssn⟧"},
                {"system": "https://meridianclinic.org/mrn", "value": "⟦P:mrn⟧"}],
 "name": [{"family": "⟦P:person.last#p⟧", "given": ["⟦P:person.first#p⟧"]}],
 "birthDate": "⟦P:dob_iso⟧"}
""",
    ),
    (
        "h2-mix-support-bot-prompt",
        "mixed",
        """
Improve the system prompt of our support bot. The template as deployed (I filled in a test customer... well,
a real one from yesterday):

You are HarborBot. Use the Zendesk API with token ⟦S:api_key32⟧ (user agent@harbor.io/token).
Customer: ⟦P:person.full#c⟧, ⟦P:person.email#c⟧, last order ⟦B:order_id⟧, ships to ⟦P:street_address⟧.
Escalate to a human if the customer mentions a chargeback. Today's release: ⟦B:semver⟧.
""",
    ),
    (
        "h2-mix-airflow-dag-pharmacy",
        "mixed",
        """
This Airflow DAG task that uploads the pharmacy claims file to the PBM's SFTP fails on paramiko auth:

sftp_hook = SFTPHook(ssh_conn_id="pbm_sftp")
# conn extra: {"private_key": "⟦S:pem_openssh⟧", "host_key": "⟦B:ssh_pub⟧"}

First line of the file it uploads:
⟦P:member_id⟧|⟦P:person.last#m⟧|⟦P:person.first#m⟧|⟦P:dob_hl7⟧|⟦B:ndc_code⟧|⟦P:dea⟧|30|2025-03-10
""",
    ),
    (
        "h2-mix-insurance-claims-api",
        "mixed",
        """
Our claims microservice returns 500 for this request. curl I used and the body:

curl -X POST https://claims.kestrelbank.com/v2/claims \\
  -H "Authorization: Bearer ⟦S:jwt⟧" \\
  -H "X-Api-Key: ⟦S:api_key32⟧" \\
  -d '{"memberId": "⟦P:member_id⟧", "mbi": "⟦P:mbi⟧", "patientDob": "⟦P:dob_iso⟧",
       "renderingNpi": "⟦P:npi⟧", "icd10": ["M54.50"], "traceId": "⟦B:trace_id⟧"}'

Stack trace says NumberFormatException on "mbi".
""",
    ),
    (
        "h2-mix-gitlab-ci-deploy-notify",
        "mixed",
        """
.gitlab-ci.yml deploy job: the Teams notification step never fires.

deploy:prod:
  image: alpine:3.20
  variables:
    HEROKU_API_KEY: "⟦S:heroku_key⟧"
    TEAMS_WEBHOOK: "⟦S:teams_webhook⟧"
    ONCALL_EMAIL: "⟦P:email⟧"
  script:
    - ./deploy.sh $CI_COMMIT_SHA
    - 'curl -H "Content-Type: application/json" -d "{\\"text\\":\\"deployed ⟦B:short_sha⟧\\"}" "$TEAMS_WEBHOOK"'
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
""",
    ),
    (
        "h2-mix-mobile-crash-breadcrumbs",
        "mixed",
        """
Crashlytics issue with breadcrumbs — why is the token refresh racing?

Fatal Exception: java.lang.IllegalStateException: refresh in progress
breadcrumbs:
  10:01:02 login ok user=⟦P:person.email#u⟧
  10:01:03 GET /me Authorization: Bearer ⟦S:jwt⟧
  10:01:03 store refresh_token=⟦S:gcp_refresh_token⟧
  10:01:04 device=⟦B:uuid⟧ ip=⟦P:public_ip⟧ app=⟦B:firebase_app_id⟧
""",
    ),
    (
        "h2-mix-ldap-hr-sync",
        "mixed",
        """
Our HR->LDAP sync writes the wrong manager DN. Sync config + a record it processed:

LDAP_BIND_DN=cn=hr-sync,ou=svc,dc=acmelogistics,dc=io
LDAP_BIND_PASSWORD=⟦S:password⟧
BAMBOOHR_API_KEY=⟦S:hex_secret⟧

record: employeeNumber=⟦N:build_number⟧ cn="⟦P:person.full#e⟧" mail=⟦P:person.email#e⟧
        manager="⟦P:person.full#m⟧" mobile=⟦P:phone_us⟧ homePostalAddress="⟦P:street_address⟧"
""",
    ),
    (
        "h2-mix-support-macro-refund",
        "mixed",
        """
The refund macro calls our internal API and the call fails with 422. Macro body (Liquid) after rendering:

POST https://internal.lumenpay.io/refunds
Authorization: Basic ⟦S:basic_auth⟧
{"customer": "⟦P:person.full#c⟧", "iban": "⟦P:iban⟧", "amount": 129.99, "ticket": "⟦B:request_id⟧"}

The API expects the IBAN without spaces — is that the 422?
""",
    ),
    (
        "h2-mix-dbt-seed-patients",
        "mixed",
        """
dbt seed fails on patients.csv with "Could not convert string to date". Also, here's the profile in case:

password: "⟦S:db_password⟧"

seeds/patients.csv:
patient_id,name,dob,medicare_id,zip
⟦P:mrn⟧,⟦P:person.full#a⟧,⟦P:dob⟧,⟦P:mbi⟧,53703
⟦P:mrn⟧,⟦P:person.full#b⟧,⟦P:dob⟧,⟦P:mbi⟧,83702

column_types: {dob: date}
""",
    ),
    (
        "h2-mix-netlify-form-export",
        "mixed",
        """
Netlify Forms export to our CRM breaks on line 2. The function and the export:

const HUBSPOT_TOKEN = "⟦S:hubspot_token⟧";
const SITE = "⟦B:netlify_site_id⟧";

name,email,phone,message
"⟦P:person.full#f⟧",⟦P:person.email#f⟧,⟦P:phone_us⟧,"Interested in the ""pro"" plan, call me"

Is the doubled quote the problem for csv-parse?
""",
    ),
    (
        "h2-mix-kafka-consumer-pii",
        "mixed",
        """
Our Kafka consumer dead-letters this record with a deserialization error. Config and the record:

sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="orders" password="⟦S:password⟧";
schema.registry.url=https://psrc-8kz20.us-east-2.aws.confluent.cloud

key=⟦B:uuid⟧ value={"customer":"⟦P:person.full#k⟧","ssn_last4":"4821","email":"⟦P:person.email#k⟧",
 "ip":"⟦P:public_ip⟧","cluster":"⟦B:kafka_cluster_id⟧"}
""",
    ),
    (
        "h2-mix-vercel-preview-logs",
        "mixed",
        """
The preview deployment logs show the Contentful sync failing. Relevant lines:

[⟦B:vercel_deploy_id⟧] CONTENTFUL_PREVIEW_TOKEN=⟦S:contentful_pat⟧ (from env)
[⟦B:vercel_deploy_id⟧] POST /api/newsletter {"email":"⟦P:email⟧","ip":"⟦P:public_ipv6⟧"}
[⟦B:vercel_deploy_id⟧] Error: 429 from api.linear.app using ⟦S:linear_key⟧

Why would a Contentful sync hit Linear at all?
""",
    ),
    (
        "h2-mix-meeting-notes-credentials",
        "mixed",
        """
Turn these meeting notes into a Jira ticket list:

Infra sync 2025-03-11 — ⟦P:person.full#a⟧, ⟦P:person.full#b⟧
- Rotate the Datadog key, it was pasted in #general: ⟦S:datadog_api⟧ (app key ⟦S:datadog_app⟧).
- ⟦P:person.full#b⟧ shares the new PagerDuty schedule; call ⟦P:phone_us⟧ if it pages twice.
- Grafana dashboards keyed by ⟦B:uuid⟧ stay as they are.
""",
    ),
    (
        "h2-mix-ehr-export-job",
        "mixed",
        """
The nightly EHR export to the data lake uploads empty files. The job's config and a sample of the output:

AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=ehrlake;AccountKey=⟦S:azure_storage_key⟧;EndpointSuffix=core.windows.net"
EXPORT_SIGNING_KEY=⟦S:hex_secret⟧

{"mrn":"⟦P:mrn⟧","name":"⟦P:person.full#p⟧","dob":"⟦P:dob_iso⟧","pcp_npi":"⟦P:npi⟧","file_md5":"⟦B:md5⟧"}
""",
    ),
    (
        "h2-mix-oauth-saml-debug",
        "mixed",
        """
SSO debugging: the SAML assertion comes back fine but our app maps the wrong user.

NameID: ⟦P:person.email#s⟧
Attribute displayName: ⟦P:person.full#s⟧
InResponseTo: ⟦B:saml_request_id⟧
IdP cert (public, from metadata): ⟦B:x509_cert_b64⟧

Our SP config: OKTA_API_TOKEN=⟦S:okta_token⟧, SESSION_SECRET=⟦S:b64_secret⟧
""",
    ),
    (
        "h2-mix-payroll-provider",
        "mixed",
        """
The payroll provider's API returns "invalid bank account" for one employee. Request we send:

PLAID_SECRET=⟦S:plaid_secret⟧
{"employee": "⟦P:person.full#w⟧", "ssn": "⟦P:ssn_plain⟧", "dob": "⟦P:dob_us⟧",
 "bank": {"iban": "⟦P:iban⟧"}, "address": "⟦P:street_address⟧", "request_id": "⟦B:request_id⟧"}
""",
    ),
]
