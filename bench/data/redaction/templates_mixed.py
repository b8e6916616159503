# ruff: noqa: E501  (prompt text is data: pasted lines keep their real length)
"""Longer prompts mixing secrets, personal data and look-alikes, as real debugging sessions do (markers: make_corpus.py)."""

TEMPLATES = [
    (
        "mix-support-bot-01",
        "mixed",
        r"""
I'm building a support bot. Here's the whole config and one conversation from the logs that broke it:

```python
SETTINGS = {
    "anthropic_api_key": "⟦S:anthropic⟧",
    "zendesk_subdomain": "acme",
    "slack_webhook": "⟦S:slack_webhook⟧",
    "model": "claude-3-5-haiku-latest",
    "max_tokens": 1024,
    "request_timeout_s": 30,
}
```

Log:
```
⟦B:iso_ts⟧ conv=⟦B:uuid⟧ user=⟦P:person.email#a⟧ msg="Hi, I'm ⟦P:person.full#a⟧, my order never arrived, call me at ⟦P:phone_us⟧"
⟦B:iso_ts⟧ conv=⟦B:uuid⟧ error="tool_use block missing id"
```
Why does the tool call lose its id?
""",
    ),
    (
        "mix-migration-02",
        "mixed",
        r"""
Data migration script from our old CRM to the new one. Please add batching and a dry-run flag.

```python
OLD_DB = "mysql://crm_ro:⟦S:db_password⟧@legacy-crm.internal:3306/crm"
NEW_API = "https://api.newcrm.io/v2"
NEW_API_TOKEN = "⟦S:hubspot_token⟧"

SAMPLE = {"contact_id": "⟦B:uuid⟧", "name": "⟦P:person.full#a⟧", "email": "⟦P:person.email#a⟧",
          "phone": "⟦P:phone_intl⟧", "updated": "⟦B:iso_ts⟧"}
```
""",
    ),
    (
        "mix-incident-03",
        "mixed",
        r"""
Write the customer-facing summary of this incident; keep internal details out.

Internal notes:
- Deploy ⟦B:git_sha⟧ at 14:02 rotated the Stripe key to ⟦S:stripe_live⟧ but the worker kept the old one.
- ⟦P:person.full#a⟧ noticed failed charges at 14:20; affected card holders included ⟦P:person.full#b⟧
  (card ⟦P:credit_card⟧) — refund manually.
- Root cause: config cached in ⟦B=/etc/payments/config.json|path⟧ for 24h.
""",
    ),
    (
        "mix-healthcare-etl-04",
        "mixed",
        r"""
ETL job from the EHR export to our warehouse fails on some rows. Config and a failing row:

```yaml
source:
  sftp: sftp://ehr-export:⟦S:password⟧@sftp.riversidehospital.net:22/outbound
warehouse:
  snowflake_account: acme-xy12345
  user: ETL_SVC
  private_key_path: /run/secrets/snowflake_rsa
```

Row:
```
⟦P:mrn⟧|⟦P:person.last#a⟧, ⟦P:person.first#a⟧|⟦P:dob_us⟧|⟦P:mbi#m⟧|⟦P:npi⟧|I10|⟦B=2024-06-01|date⟧
```
Error: "Numeric value '⟦P:mbi#m⟧' is not recognized". Which column mapping is off?
""",
    ),
    (
        "mix-devcontainer-05",
        "mixed",
        r"""
My devcontainer.json leaks env vars into the image history. Review it:

```json
{
  "name": "api",
  "image": "mcr.microsoft.com/devcontainers/python:3.12",
  "containerEnv": {
    "GITHUB_TOKEN": "⟦S:github_pat⟧",
    "HF_TOKEN": "⟦S:hf_token⟧",
    "PIP_INDEX_URL": "https://__token__:⟦S:pypi_token⟧@upload.pypi.org/simple/",
    "TZ": "Europe/Berlin"
  },
  "forwardPorts": [⟦B=8000, 5432|ports⟧],
  "postCreateCommand": "pip install -r requirements.txt"
}
```
Also the git config inside has `user.email = ⟦P:person.email#a⟧`.
""",
    ),
    (
        "mix-webhook-06",
        "mixed",
        r"""
Shopify order webhook handler drops some orders. Secret and one payload:

```ts
const SHOPIFY_WEBHOOK_SECRET = "⟦S:shopify_secret⟧";
// payload
{
  "id": ⟦B=5123456789012|order_number⟧,
  "email": "⟦P:person.email#a⟧",
  "created_at": "⟦B:iso_ts⟧",
  "shipping_address": { "name": "⟦P:person.full#a⟧", "address1": "⟦P:street_line⟧", "city": "Raleigh", "phone": "⟦P:phone_us⟧" },
  "browser_ip": "⟦P:public_ip⟧",
  "checkout_token": "⟦N:etag⟧"
}
```
""",
    ),
    (
        "mix-terraform-07",
        "mixed",
        r"""
terraform.tfvars for the new environment; can you convert it to use variables from a secrets manager?

```hcl
project_id          = "acme-staging-⟦B:s_hex12⟧"
region              = "europe-west3"
db_admin_password   = "⟦S:password⟧"
datadog_api_key     = "⟦S:datadog_api⟧"
cloudflare_token    = "⟦S:cloudflare_token⟧"
oncall_email        = "⟦P:person.email#a⟧"
allowed_cidrs       = ["⟦B=10.20.0.0/16|cidr⟧", "⟦P:public_ip⟧/32"]
```
""",
    ),
    (
        "mix-crash-report-08",
        "mixed",
        r"""
A user sent this crash report from the desktop app. What caused it?

```
App version: ⟦B:semver⟧ (build ⟦B:short_sha⟧)
OS: macOS 14.5
User: ⟦P:person.full#a⟧ <⟦P:person.email#a⟧>
Exception: KeyError('refresh_token')
  at auth/session.py:118 in refresh
  config dump: {"client_id": "desktop-app", "access_token": "⟦S:gcp_access_token⟧", "expires_in": 3599}
```
""",
    ),
    (
        "mix-cicd-09",
        "mixed",
        r"""
Convert this Jenkinsfile to GitHub Actions:

```groovy
pipeline {
  agent any
  environment {
    DOCKERHUB_TOKEN = '⟦S:docker_pat⟧'
    SONAR_TOKEN = '⟦S:sonar_token⟧'
    NOTIFY = '⟦P:person.email#a⟧'
  }
  stages {
    stage('Build') { steps { sh 'docker build -t acme/web:${GIT_COMMIT} .' } }
    stage('Scan') { steps { sh 'sonar-scanner -Dsonar.login=$SONAR_TOKEN' } }
  }
  post { failure { mail to: "${NOTIFY}", subject: "Build failed", body: "${env.BUILD_URL}" } }
}
```
""",
    ),
    (
        "mix-notebook-10",
        "mixed",
        r"""
Jupyter notebook cell, the Snowflake query works but the OpenAI call at the end 401s:

```python
conn = snowflake.connector.connect(user="ANALYST_1", password="⟦S:password⟧", account="⟦B=acme-xy12345|account_locator⟧")
df = pd.read_sql("SELECT customer_name, email, ltv FROM marts.customers LIMIT 5", conn)
# df.head():
#   customer_name      email                         ltv
# 0 ⟦P:person.full#a⟧  ⟦P:person.email#a⟧  1820.50
# 1 ⟦P:person.full#b⟧  ⟦P:person.email#b⟧   944.10
client = OpenAI(api_key="⟦S:openai_project⟧")
```
""",
    ),
    (
        "mix-k8s-debug-11",
        "mixed",
        r"""
`kubectl describe pod` output, the container can't start. What's wrong?

```
Name:         ⟦B=payments-6b7f9c-2kxqz|k8s_name⟧
Namespace:    prod
Node:         ip-⟦B=10-0-12-34|node_name⟧.ec2.internal/⟦B=10.0.12.34|private_ip⟧
Containers:
  payments:
    Image:      ⟦B=123456789012.dkr.ecr.us-east-1.amazonaws.com/payments:1.42.0|image_ref⟧
    Environment:
      STRIPE_SECRET_KEY:   ⟦S:stripe_live_short⟧
      DATABASE_URL:        postgres://payments:⟦S:db_password⟧@payments-db:5432/payments
      LOG_LEVEL:           info
    State:          Waiting
      Reason:       CrashLoopBackOff
```
""",
    ),
    (
        "mix-email-template-12",
        "mixed",
        r"""
Our transactional email renders `{{ name }}` literally for some users. Template and context:

```python
html = render("welcome.html", {"name": "⟦P:person.full#a⟧", "unsubscribe": "https://acme.dev/u/⟦B:uuid⟧"})
sg = SendGridAPIClient("⟦S:sendgrid⟧")
```
Template: `<p>Hi {{ name }},</p>` — we use Jinja2 with `autoescape=True`.
""",
    ),
    (
        "mix-bank-13",
        "mixed",
        r"""
Open-banking integration test fails. Here is the test and the sandbox credentials (they're prod, oops):

```python
PLAID_SECRET = "⟦S:plaid_secret⟧"
def test_payout():
    payout = create_payout(iban="⟦P:iban⟧", name="⟦P:person.full#a⟧", amount_cents=125000,
                           reference="⟦B:order_id⟧")
    assert payout.status == "pending"
```
""",
    ),
    (
        "mix-azure-func-14",
        "mixed",
        r"""
Azure Function local.settings.json; the queue trigger never fires:

```json
{
  "IsEncrypted": false,
  "Values": {
    "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=⟦B=funcstore01|resource_name⟧;AccountKey=⟦S:azure_storage_key⟧;EndpointSuffix=core.windows.net",
    "FUNCTIONS_WORKER_RUNTIME": "python",
    "ALERT_PHONE": "⟦P:phone_intl⟧",
    "TWILIO_AUTH_TOKEN": "⟦S:twilio_auth⟧"
  }
}
```
""",
    ),
    (
        "mix-prompt-eval-15",
        "mixed",
        r"""
We evaluate prompts with this harness; can you add a CSV report?

```python
os.environ["OPENAI_API_KEY"] = "⟦S:openai_legacy⟧"
os.environ["COHERE_API_KEY"] = "⟦S:cohere_key⟧"
CASES = [
    {"input": "Summarise the note for patient ⟦P:person.full#a⟧ (MRN ⟦P:mrn⟧)", "expected": "summary"},
    {"input": "Reply to ⟦P:person.email#b⟧ about invoice ⟦B:order_id⟧", "expected": "email"},
]
run_id = "⟦B:uuid⟧"
```
""",
    ),
    (
        "mix-ssh-config-16",
        "mixed",
        r"""
SSH jump host config doesn't work through the bastion:

```
Host bastion
  HostName ⟦P:public_ip⟧
  User ⟦N:person.handle#a⟧
  IdentityFile ~/.ssh/id_ed25519

Host db-*
  ProxyJump bastion
  HostName ⟦B:private_ip⟧
```
And this is the key I'm using:
```
⟦S:pem_openssh⟧
```
""",
    ),
    (
        "mix-frontend-17",
        "mixed",
        r"""
React app: the map loads but the analytics don't. .env.production:

```
VITE_API_URL=https://api.acme.dev
VITE_MAPBOX_TOKEN=pk.⟦N:s_alnum24⟧
VITE_SENTRY_DSN=https://⟦N:trace_id⟧@o⟦N:num12⟧.ingest.sentry.io/⟦N:num12⟧
VITE_BUILD_SHA=⟦B:git_sha⟧
ALGOLIA_ADMIN_KEY=⟦S:api_key32⟧
```
Wait, should the Algolia admin key even be in here?
""",
    ),
    (
        "mix-gdpr-export-18",
        "mixed",
        r"""
Build the GDPR data export for a user. Here's what we hold for a test account (a real user's, sorry):

```json
{
  "user": {"id": "⟦B:uuid⟧", "name": "⟦P:person.full#a⟧", "email": "⟦P:person.email#a⟧", "dob": "⟦P:dob_iso⟧"},
  "addresses": ["⟦P:street_address⟧"],
  "payment_methods": [{"type": "card", "last4": "4242", "fingerprint": "⟦B:s_hex16⟧"}],
  "sessions": [{"ip": "⟦P:public_ip⟧", "ua": "Mozilla/5.0", "at": "⟦B:iso_ts⟧"}],
  "api_keys": [{"prefix": "ak_live", "value": "⟦S:api_key32⟧"}]
}
```
""",
    ),
]
