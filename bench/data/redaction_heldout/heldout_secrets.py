# ruff: noqa: E501
"""Held-out prompts where the sensitive values are mostly credentials: CI logs, IaC, app configs, CLI output.

Marker language as in bench/data/redaction/make_corpus.py. Written without reading the development templates.
"""

from __future__ import annotations

TEMPLATES: list[tuple[str, str, str]] = [
    (
        "ho-gha-checkout-log",
        "secrets",
        r"""
our release workflow started failing at the "clone deploy config" step, raw log from the run below. why does
git say repository not found when the token obviously works for checkout?

2025-02-11T09:14:22.4471023Z ##[group]Run actions/checkout@⟦B:git_sha⟧
2025-02-11T09:14:22.4472109Z with:
2025-02-11T09:14:22.4472601Z   repository: quillsoft/billing-api
2025-02-11T09:14:22.4473015Z   token: ***
2025-02-11T09:14:22.4473392Z   fetch-depth: 1
2025-02-11T09:14:23.1190442Z ##[endgroup]
2025-02-11T09:14:26.8801107Z ##[group]Run set -x; git clone "https://x-access-token:${GH_APP_TOKEN}@github.com/quillsoft/deploy-config.git"
2025-02-11T09:14:26.8812331Z + git clone https://x-access-token:⟦S:github_app_token⟧@github.com/quillsoft/deploy-config.git
2025-02-11T09:14:26.9015520Z Cloning into 'deploy-config'...
2025-02-11T09:14:27.2201190Z remote: Repository not found.
2025-02-11T09:14:27.2209934Z fatal: repository 'https://github.com/quillsoft/deploy-config.git/' not found
2025-02-11T09:14:27.3310012Z ##[error]Process completed with exit code 128.

https://github.com/quillsoft/billing-api/actions/runs/⟦B:gh_run_id⟧/job/⟦B:gh_job_id⟧
""",
    ),
    (
        "ho-tfstate-iam-user",
        "secrets",
        r"""
I'm migrating state to a new backend and `terraform state pull` shows this for the CI user. Is it normal that
the secret is in plain text in state? How do I rotate it without recreating the user?

{
  "mode": "managed",
  "type": "aws_iam_access_key",
  "name": "ci",
  "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
  "instances": [
    {
      "schema_version": 0,
      "attributes": {
        "create_date": "⟦B:iso_ts⟧",
        "encrypted_secret": null,
        "id": "⟦S:aws_akid#ci⟧",
        "key_fingerprint": null,
        "pgp_key": null,
        "secret": "⟦S:aws_secret⟧",
        "ses_smtp_password_v4": "⟦S:b64_secret⟧",
        "status": "Active",
        "user": "ci-deployer"
      },
      "sensitive_attributes": [],
      "private": "bnVsbA=="
    }
  ]
}
""",
    ),
    (
        "ho-aws-sts-assume-role",
        "secrets",
        r"""
Output of assume-role from my laptop. The SDK in the container still says ExpiredToken a few minutes after I
export these. What's the max duration I can request here?

$ aws sts assume-role --role-arn arn:aws:iam::⟦N:num12#acct⟧:role/data-eng-admin --role-session-name laptop --duration-seconds 3600
{
    "Credentials": {
        "AccessKeyId": "⟦S:aws_asia⟧",
        "SecretAccessKey": "⟦S:aws_secret⟧",
        "SessionToken": "⟦S:aws_session_token⟧",
        "Expiration": "⟦B:iso_ts⟧"
    },
    "AssumedRoleUser": {
        "AssumedRoleId": "⟦B:aws_role_id⟧:laptop",
        "Arn": "arn:aws:sts::⟦N:num12#acct⟧:assumed-role/data-eng-admin/laptop"
    }
}
""",
    ),
    (
        "ho-aws-configure-list",
        "secrets",
        r"""
`aws configure list` picks up the wrong key. Here is what it prints and my credentials file (the staging
profile is the one I want as default):

      Name                    Value             Type    Location
      ----                    -----             ----    --------
   profile                <not set>             None    None
access_key     ⟦B=****************4QJD|masked⟧ shared-credentials-file
secret_key     ⟦B=****************k9Zw|masked⟧ shared-credentials-file
    region                eu-west-1      config-file    ~/.aws/config

~/.aws/credentials
[default]
aws_access_key_id = ⟦S:aws_akid⟧
aws_secret_access_key = ⟦S:aws_secret⟧

[staging]
aws_access_key_id = ⟦S:aws_akid⟧
aws_secret_access_key = ⟦S:aws_secret⟧
region = eu-west-1
""",
    ),
    (
        "ho-k8s-secret-opaque",
        "secrets",
        r"""
ArgoCD keeps showing this Secret as OutOfSync even right after a sync. Diff shows only stringData. Why?

apiVersion: v1
kind: Secret
metadata:
  name: payments-api
  namespace: prod
  uid: ⟦B:uuid⟧
  resourceVersion: "⟦B:k8s_resource_version⟧"
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
type: Opaque
data:
  DB_PASSWORD: ⟦S:k8s_b64_password⟧
  SMTP_PASSWORD: ⟦S:k8s_b64_password⟧
stringData:
  STRIPE_RESTRICTED_KEY: ⟦S:stripe_restricted⟧
  LOG_LEVEL: info
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: payments-api-tuning
binaryData:
  tuning.conf: ⟦B:b64_config⟧
""",
    ),
    (
        "ho-docker-config-json",
        "secrets",
        r"""
Kaniko in our GitLab job fails with UNAUTHORIZED pushing to the second registry. This is the
/kaniko/.docker/config.json the job writes (I cat'ed it for debugging):

{
  "auths": {
    "registry.gitlab.com": {
      "auth": "⟦S:basic_auth⟧"
    },
    "https://index.docker.io/v1/": {
      "username": "acmebuild",
      "password": "⟦S:docker_pat⟧"
    }
  },
  "credsStore": "",
  "HttpHeaders": {"User-Agent": "kaniko/⟦B=v1.23.2|version⟧"}
}
""",
    ),
    (
        "ho-spring-application-yml",
        "secrets",
        r"""
Spring Boot 3.2 app won't start in prod profile: "Failed to bind properties under 'spring.mail'". Here is the
application-prod.yml:

spring:
  datasource:
    url: jdbc:postgresql://⟦B:private_ip⟧:5432/orders
    username: orders_app
    password: ⟦S:db_password⟧
    hikari:
      maximum-pool-size: 20
  data:
    redis:
      host: ${REDIS_HOST:localhost}
      password: ⟦B=${REDIS_PASSWORD:}|placeholder⟧
  mail:
    host: smtp.sendgrid.net
    port: 587
    username: apikey
    password: ⟦S:sendgrid⟧
  security:
    oauth2:
      client:
        registration:
          google:
            client-id: ⟦N:num12⟧-⟦N:lower_id⟧.apps.googleusercontent.com
            client-secret: ⟦S:gcp_oauth_secret⟧
app:
  jwt:
    secret: ⟦S:b64_secret⟧
    ttl: PT15M
management:
  server:
    port: 8081
""",
    ),
    (
        "ho-rails-credentials-show",
        "secrets",
        r"""
After `EDITOR=vim bin/rails credentials:edit --environment production` my deploy says
ActiveSupport::MessageEncryptor::InvalidMessage. Contents of the decrypted file and the key:

$ bin/rails credentials:show --environment production
secret_key_base: ⟦S:rails_secret⟧
aws:
  access_key_id: ⟦S:aws_akid⟧
  secret_access_key: ⟦S:aws_secret⟧
stripe:
  secret_key: ⟦S:stripe_live⟧
  publishable_key: ⟦N:stripe_pk⟧
active_record_encryption:
  primary_key: ⟦S:api_key32⟧
  key_derivation_salt: ⟦S:api_key32⟧

$ cat config/credentials/production.key
⟦S:rails_master_key⟧
""",
    ),
    (
        "ho-npmrc-401",
        "secrets",
        r"""
npm install gets 401 for @acme scoped packages on CI but works locally. Project .npmrc and my user ~/.npmrc:

# project .npmrc
@acme:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=⟦B=${NODE_AUTH_TOKEN}|placeholder⟧
engine-strict=true

# ~/.npmrc
//registry.npmjs.org/:_authToken=⟦S:npm_token⟧
//npm.pkg.github.com/:_authToken=⟦S:github_pat⟧
//artifactory.acme.internal/api/npm/npm-virtual/:_authToken=⟦S:npm_legacy⟧
always-auth=true
""",
    ),
    (
        "ho-pypirc-pipconf",
        "secrets",
        r"""
twine upload says "403 Invalid or non-existent authentication information" for testpypi only.

~/.pypirc
[distutils]
index-servers =
    pypi
    testpypi

[pypi]
username = __token__
password = ⟦S:pypi_token⟧

[testpypi]
repository = https://test.pypi.org/legacy/
username = __token__
password = ⟦S:pypi_token⟧

and ~/.config/pip/pip.conf for the internal mirror:
[global]
index-url = https://ci-deploy:⟦S:artifactory_key⟧@acme.jfrog.io/artifactory/api/pypi/pypi-virtual/simple
""",
    ),
    (
        "ho-ssh-config-bastion",
        "secrets",
        r"""
ssh through the bastion hangs after "debug1: Local version string". My ~/.ssh/config and the key I generated
(ssh-keygen said it saved it but ssh-add says invalid format):

Host bastion
    HostName ⟦P:public_ip⟧
    User ec2-user
    IdentityFile ~/.ssh/bastion_ed25519
    ServerAliveInterval 30

Host db-*.internal
    ProxyJump bastion
    User ubuntu
    IdentityFile ~/.ssh/bastion_ed25519

Host db-primary.internal
    HostName ⟦B:private_ip⟧

$ cat ~/.ssh/bastion_ed25519
⟦S:pem_openssh⟧

$ ssh-keygen -lf ~/.ssh/bastion_ed25519.pub
256 ⟦B:ssh_fingerprint⟧ deploy@laptop (ED25519)
""",
    ),
    (
        "ho-postman-shopify",
        "secrets",
        r"""
Exported Postman collection, the "create product" call returns 401 but "list products" works. What's off?

{
  "info": {"name": "Shopify Admin", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
           "_postman_id": "⟦B:uuid⟧"},
  "item": [
    {"name": "list products",
     "request": {"method": "GET",
                 "header": [{"key": "X-Shopify-Access-Token", "value": "{{shopify_token}}"}],
                 "url": "⟦B={{baseUrl}}/admin/api/2024-10/products.json|placeholder⟧"}},
    {"name": "create product",
     "request": {"method": "POST",
                 "header": [{"key": "X-Shopify-Access-Token", "value": "⟦S:shopify_token⟧"},
                            {"key": "Content-Type", "value": "application/json"}],
                 "url": "{{baseUrl}}/admin/api/2024-10/products.json"}}
  ],
  "variable": [
    {"key": "baseUrl", "value": "https://acme-outdoor.myshopify.com"},
    {"key": "shopify_token", "value": "⟦S:shopify_token⟧"},
    {"key": "postman_api_key", "value": "⟦S:postman_key⟧"}
  ]
}
""",
    ),
    (
        "ho-docker-inspect-env",
        "secrets",
        r"""
the worker container restarts every ~40s. `docker inspect` (trimmed):

[
    {
        "Id": "⟦B:container_id⟧",
        "Created": "⟦B:iso_ts⟧",
        "Image": "⟦B:docker_digest⟧",
        "State": {"Status": "restarting", "ExitCode": 137, "OOMKilled": true},
        "Config": {
            "Env": [
                "DATABASE_URL=postgres://worker:⟦S:db_password⟧@⟦B:private_ip⟧:5432/jobs",
                "NEW_RELIC_LICENSE_KEY=⟦S:newrelic_license⟧",
                "DD_API_KEY=⟦S:datadog_api⟧",
                "CELERY_CONCURRENCY=8",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            ],
            "Image": "ghcr.io/quillsoft/worker:⟦B=2.18.0-slim|version⟧"
        },
        "NetworkSettings": {
            "IPAddress": "⟦B=172.17.0.4|private_ip⟧",
            "MacAddress": "⟦B=02:42:ac:11:00:04|mac⟧"
        }
    }
]
""",
    ),
    (
        "ho-ipynb-rag-cell",
        "secrets",
        r"""
This notebook cell worked yesterday, today the Pinecone upsert raises 401. Raw JSON of the cell:

{
 "cell_type": "code",
 "execution_count": 14,
 "id": "⟦B:nb_cell_id⟧",
 "metadata": {},
 "outputs": [],
 "source": [
  "import os\n",
  "from openai import OpenAI\n",
  "from anthropic import Anthropic\n",
  "from pinecone import Pinecone\n",
  "os.environ[\"OPENAI_API_KEY\"] = \"⟦S:openai_project⟧\"\n",
  "claude = Anthropic(api_key=\"⟦S:anthropic⟧\")\n",
  "pc = Pinecone(api_key=\"⟦S:pinecone_key⟧\")\n",
  "index = pc.Index(\"docs-⟦B=text-embedding-3-small|model_name⟧\")\n"
 ]
}
""",
    ),
    (
        "ho-ipynb-finetune-setup",
        "secrets",
        r"""
In [3]:
!huggingface-cli login --token ⟦S:hf_token⟧
import wandb
wandb.login(key="⟦S:wandb_key⟧")
os.environ["LANGCHAIN_API_KEY"] = "⟦S:langsmith_key⟧"
os.environ["GROQ_API_KEY"] = "⟦S:groq_key⟧"
together_client = Together(api_key="⟦S:together_key⟧")

Out[3]:
Token is valid (permission: write).
wandb: Currently logged in as: ml-platform. Use `wandb login --relogin` to force relogin
Your token has been saved to /root/.cache/huggingface/token

why does the Trainer still say "You are not authorized to access model ⟦B=meta-llama/Llama-3.1-8B-Instruct|model_name⟧"?
""",
    ),
    (
        "ho-gha-workflow-review",
        "secrets",
        r"""
Review comment on PR #418 (.github/workflows/quality.yml):

> +      - uses: SonarSource/sonarqube-scan-action@⟦B:git_sha⟧
> +        env:
> +          SONAR_TOKEN: ⟦S:sonar_token⟧
> +          SONAR_HOST_URL: https://sonar.quillsoft.dev
> +      - name: notify
> +        run: curl -X POST -d '{"text":"scan done"}' ⟦S:slack_webhook⟧

Please don't inline these. Move both into repo secrets and reference them as
`⟦B=${{ secrets.SONAR_TOKEN }}|placeholder⟧`. Also pin the curl step to the `slackapi/slack-github-action` action.

Can you write the corrected workflow for me?
""",
    ),
    (
        "ho-gitlab-runner-config",
        "secrets",
        r"""
Our self-hosted runner shows as "never contacted". /etc/gitlab-runner/config.toml:

concurrent = 4
check_interval = 0

[[runners]]
  name = "k8s-runner-eu"
  url = "https://gitlab.acme-internal.net/"
  id = 212
  token = "⟦S:gitlab_runner⟧"
  executor = "kubernetes"
  [runners.kubernetes]
    namespace = "gitlab-ci"
    image = "alpine:⟦B=3.20|version⟧"

and in .gitlab-ci.yml someone did
  script:
    - git clone https://gitlab+deploy-token-31:⟦S:gitlab_deploy⟧@gitlab.acme-internal.net/platform/charts.git
    - echo "using ⟦B=$CI_JOB_TOKEN|placeholder⟧ for the registry"
""",
    ),
    (
        "ho-dotnet-appsettings",
        "secrets",
        r"""
.NET 8 API can't reach blob storage in Azure but works from my machine. appsettings.Production.json:

{
  "ConnectionStrings": {
    "Blobs": "DefaultEndpointsProtocol=https;AccountName=acmeexports;AccountKey=⟦S:azure_storage_key⟧;EndpointSuffix=core.windows.net",
    "Sql": "Server=tcp:acme-sql.database.windows.net,1433;Database=orders;User ID=orders_api;Password=⟦S:db_password⟧;Encrypt=True;"
  },
  "AzureAd": {
    "Instance": "https://login.microsoftonline.com/",
    "TenantId": "⟦B:uuid⟧",
    "ClientId": "⟦B:uuid⟧",
    "ClientSecret": "⟦S:azure_client_secret⟧"
  },
  "ApplicationInsights": {"ConnectionString": "InstrumentationKey=⟦N:uuid⟧;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/"}
}
""",
    ),
    (
        "ho-azure-sas-traceback",
        "secrets",
        r"""
Traceback (most recent call last):
  File "/srv/etl/export.py", line 61, in upload_report
    client.upload_blob(data, overwrite=True)
  File "/usr/local/lib/python3.12/site-packages/azure/storage/blob/_blob_client.py", line 765, in upload_blob
    return upload_block_blob(**options)
azure.core.exceptions.ClientAuthenticationError: Server failed to authenticate the request.
RequestId:⟦B:uuid⟧
Time:⟦B:iso_ts⟧
URL: https://acmeexports.blob.core.windows.net/reports/daily.csv?sv=⟦B=2022-11-02|api_version⟧&ss=b&srt=o&sp=rwc&se=2025-03-01T00:00:00Z&spr=https&sig=⟦S:azure_sas_sig⟧

the SAS was generated an hour ago with `az storage account generate-sas`, what's wrong?
""",
    ),
    (
        "ho-azure-devops-remote",
        "secrets",
        r"""
git push to Azure Repos fails with "TF401019". `git remote -v`:
origin  https://build-agent:⟦S:azure_devops_pat⟧@dev.azure.com/acme/Platform/_git/infra (fetch)
origin  https://build-agent:⟦S:azure_devops_pat⟧@dev.azure.com/acme/Platform/_git/infra (push)
$ git log -1 --format=%H
⟦B:git_sha⟧
""",
    ),
    (
        "ho-gcp-sa-json",
        "secrets",
        r"""
google.auth says "No key could be detected" when loading this service account file. I copied it from the
console download. Is the newline escaping broken?

{
  "type": "service_account",
  "project_id": "acme-analytics-prod",
  "private_key_id": "⟦S:gcp_key_id⟧",
  "private_key": "⟦S:pem_pkcs8_json⟧",
  "client_email": "⟦B=etl-loader@acme-analytics-prod.iam.gserviceaccount.com|service_account⟧",
  "client_id": "⟦B:gcp_client_num⟧",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "⟦B=https://oauth2.googleapis.com/token|url⟧"
}
""",
    ),
    (
        "ho-firebase-fcm-legacy",
        "secrets",
        r"""
Push notifications stopped in June. Web config and the Node sender:

// web/src/firebase.ts
const firebaseConfig = {
  apiKey: "⟦S:gcp_api_key⟧",
  authDomain: "acme-mobile.firebaseapp.com",
  projectId: "acme-mobile",
  messagingSenderId: "⟦B=418920337105|numeric_id⟧",
  appId: "⟦B=1:418920337105:web:9c1e2f0ab4d7e6a3|firebase_app_id⟧",
};

// server/push.js
const FCM_SERVER_KEY = "⟦S:fcm_server_key⟧";
await fetch("https://fcm.googleapis.com/fcm/send", {
  method: "POST",
  headers: { Authorization: `key=${FCM_SERVER_KEY}`, "Content-Type": "application/json" },
  body: JSON.stringify({ to: deviceToken, notification }),
});

Do I need to move to the HTTP v1 API?
""",
    ),
    (
        "ho-wrangler-dev-vars",
        "secrets",
        r"""
`wrangler deploy` says "Authentication error [code: 10000]". wrangler.toml and .dev.vars:

name = "edge-auth"
main = "src/index.ts"
compatibility_date = "⟦B=2024-09-23|date⟧"
account_id = "⟦B:cf_account_id⟧"

[[kv_namespaces]]
binding = "SESSIONS"
id = "⟦B:cf_account_id⟧"

# .dev.vars
CLOUDFLARE_API_TOKEN=⟦S:cloudflare_token⟧
ALGOLIA_APP_ID=⟦N:s_upper8⟧
ALGOLIA_ADMIN_KEY=⟦S:algolia_admin⟧
""",
    ),
    (
        "ho-vault-login-table",
        "secrets",
        r"""
$ export VAULT_ADDR=https://vault.acme-internal.net:8200
$ vault login -method=oidc role=platform
Success! You are now authenticated.

Key                  Value
---                  -----
token                ⟦S:vault_token⟧
token_accessor       ⟦N:vault_accessor⟧
token_duration       768h
token_renewable      true
token_policies       ["default" "platform-admin"]

then `vault kv get secret/platform/ci` says permission denied. what policy path do I need for kv v2?
""",
    ),
    (
        "ho-slack-bolt-socket",
        "secrets",
        r"""
Bolt for Python in socket mode never receives events. app.py:

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

app = App(
    token="⟦S:slack_bot⟧",
    signing_secret="⟦S:slack_signing_secret⟧",
)

@app.event("app_mention")
def on_mention(event, say):
    say(f"hi <@{event['user']}>")

if __name__ == "__main__":
    SocketModeHandler(app, "⟦S:slack_app⟧").start()

Logs: `⟦B=INFO:slack_bolt.App:⚡️ Bolt app is running!|log_line⟧` and nothing after that.
""",
    ),
    (
        "ho-bots-env",
        "secrets",
        r"""
# bots/.env  (community bot, runs on a Hetzner box)
DISCORD_TOKEN=⟦S:discord_bot⟧
DISCORD_ALERTS_WEBHOOK=⟦S:discord_webhook⟧
TELEGRAM_BOT_TOKEN=⟦S:telegram⟧
TEAMS_WEBHOOK_URL=⟦S:teams_webhook⟧
POLL_INTERVAL=30

the telegram part works but discord.py raises LoginFailure: Improper token has been passed. Any idea?
""",
    ),
    (
        "ho-payments-env-eu",
        "secrets",
        r"""
We're consolidating payment providers. Can you write a pydantic Settings class for these and tell me which of
them are safe to expose to the frontend?

STRIPE_WEBHOOK_SECRET=⟦S:stripe_webhook⟧
STRIPE_PUBLISHABLE_KEY=⟦N:stripe_pk⟧
PAYPAL_CLIENT_ID=⟦N:paypal_client_id⟧
PAYPAL_CLIENT_SECRET=⟦S:paypal_secret⟧
BRAINTREE_ACCESS_TOKEN=⟦S:braintree_token⟧
ADYEN_API_KEY=⟦S:adyen_key⟧
ADYEN_MERCHANT_ACCOUNT=AcmeOutdoorECOM
MOLLIE_API_KEY=⟦S:mollie_key⟧
""",
    ),
    (
        "ho-payments-node-global",
        "secrets",
        r"""
// config/gateways.ts -- refactor request: split per country, keep the same exported shape
export const gateways = {
  IN: { provider: "razorpay", keyId: "⟦N:razorpay_key_id⟧", keySecret: "⟦S:razorpay_secret⟧" },
  NG: { provider: "paystack", secretKey: "⟦S:paystack_key⟧" },
  KE: { provider: "flutterwave", secretKey: "⟦S:flutterwave_secret⟧" },
  US: { provider: "plaid", clientId: "⟦N:plaid_client_id⟧", secret: "⟦S:plaid_secret⟧", env: "production" },
  POS: { provider: "square", accessToken: "⟦S:square_token⟧", oauthSecret: "⟦S:square_oauth_secret⟧" },
};
export const SHIPPO_TOKEN = "⟦S:shippo_live⟧";
""",
    ),
    (
        "ho-heroku-config-get",
        "secrets",
        r"""
$ heroku config -a acme-crm-prod
=== acme-crm-prod Config Vars
DATABASE_URL:           postgres://u8f2kd9:⟦S:db_password⟧@ec2-⟦N:s_lower5⟧.eu-west-1.compute.amazonaws.com:5432/d4f1v
MAILCHIMP_API_KEY:      ⟦S:mailchimp⟧
MAILGUN_API_KEY:        ⟦S:mailgun⟧
HEROKU_API_KEY:         ⟦S:heroku_key⟧
RAILS_MAX_THREADS:      5
WEB_CONCURRENCY:        2

We're moving to Render. Which of these do I need to recreate and which come from add-ons?
""",
    ),
    (
        "ho-circleci-snyk",
        "secrets",
        r"""
version: 2.1
jobs:
  security:
    docker:
      - image: cimg/node:⟦B=20.11.1|version⟧
    steps:
      - checkout
      - run: npx snyk auth ⟦S:snyk_token⟧
      - run: npx snyk test --severity-threshold=high
      - run: |
          curl -s -H "Circle-Token: ⟦S:circleci_token⟧" \
            https://circleci.com/api/v2/project/gh/quillsoft/web/pipeline

snyk test exits 2 with "Authentication failed" even though auth succeeded one step before. why?
""",
    ),
    (
        "ho-grafana-provisioning",
        "secrets",
        r"""
Grafana provisioned datasource shows "401 Unauthorized" against Loki. provisioning/datasources/loki.yaml:

apiVersion: 1
datasources:
  - name: Loki
    type: loki
    url: https://logs-prod-eu-west-0.grafana.net
    basicAuth: true
    basicAuthUser: "⟦N:num12⟧"
    secureJsonData:
      basicAuthPassword: ⟦S:grafana_sa⟧
  - name: Datadog
    type: grafana-datadog-datasource
    jsonData: {site: datadoghq.eu}
    secureJsonData:
      apiKey: ⟦S:datadog_api⟧
      appKey: ⟦S:datadog_app⟧

and ~/.sentryclirc on the build box:
[auth]
token=⟦S:sentry_token⟧
""",
    ),
    (
        "ho-deploy-cli-history",
        "secrets",
        r"""
my shell history from yesterday's deploy, the supabase migration step hangs forever. what did I do wrong?

  501  vercel pull --yes --environment=production --token ⟦S:vercel_token⟧
  502  netlify deploy --prod --auth ⟦S:netlify_token⟧ --dir dist
  503  export SUPABASE_ACCESS_TOKEN=⟦S:supabase_token⟧
  504  supabase link --project-ref ⟦N:lower_id⟧
  505  supabase db push
  506  doppler secrets download --no-file --token ⟦S:doppler_token⟧
  507  ngrok config add-authtoken ⟦S:ngrok_token⟧
""",
    ),
    (
        "ho-saas-sync-script",
        "secrets",
        r"""
Nightly sync script, it times out on the Notion step. Can you make the three calls concurrent with asyncio?

NOTION_TOKEN = "⟦S:notion_token⟧"
LINEAR_API_KEY = "⟦S:linear_key⟧"
AIRTABLE_PAT = "⟦S:airtable_pat⟧"
FIGMA_TOKEN = "⟦S:figma_token⟧"
HUBSPOT_TOKEN = "⟦S:hubspot_token⟧"
JIRA = ("⟦P:person.email⟧", "⟦S:atlassian_token⟧")
OKTA_API_TOKEN = "⟦S:okta_token⟧"
DROPBOX_TOKEN = "⟦S:dropbox_token⟧"
""",
    ),
    (
        "ho-homelab-ansible-vars",
        "secrets",
        r"""
group_vars/all/vault.yml (I forgot to run ansible-vault encrypt before pushing, how do I purge it from history?)

tailscale_authkey: ⟦S:tailscale_key⟧
sops_age_key: ⟦S:age_key⟧
op_service_account_token: ⟦S:onepassword_sa⟧
launchdarkly_sdk_key: ⟦S:launchdarkly⟧
grafana_admin_password: ⟦S:password⟧
""",
    ),
    (
        "ho-litellm-config",
        "secrets",
        r"""
LiteLLM proxy returns 401 only for the Mistral and Perplexity routes. config.yaml:

model_list:
  - model_name: mistral-large
    litellm_params: {model: mistral/mistral-large-latest, api_key: ⟦S:mistral_key⟧}
  - model_name: command-r
    litellm_params: {model: cohere/command-r-plus, api_key: ⟦S:cohere_key⟧}
  - model_name: sonar
    litellm_params: {model: perplexity/sonar-pro, api_key: ⟦S:perplexity_key⟧}
  - model_name: router
    litellm_params: {model: openrouter/auto, api_key: ⟦S:openrouter_key⟧}
  - model_name: grok
    litellm_params: {model: xai/grok-2, api_key: ⟦S:xai_key⟧}
  - model_name: deepseek
    litellm_params: {model: deepseek/deepseek-chat, api_key: ⟦S:deepseek_key⟧}
  - model_name: gpt-4o-eu
    litellm_params:
      model: azure/gpt-4o
      api_base: https://acme-eu.openai.azure.com
      api_key: ⟦S:azure_openai_key⟧
      api_version: "⟦B=2024-08-01-preview|api_version⟧"
  - model_name: gpt-4o
    litellm_params: {model: openai/gpt-4o, api_key: ⟦B=os.environ/OPENAI_API_KEY|env_ref⟧}
""",
    ),
    (
        "ho-media-ai-keys",
        "secrets",
        r"""
const replicate = new Replicate({ auth: "⟦S:replicate_token⟧" });
const eleven = new ElevenLabsClient({ apiKey: "⟦S:elevenlabs_key⟧" });
const openai = new OpenAI({ apiKey: "⟦S:openai_svcacct⟧", organization: "⟦N:openai_org⟧" });

the TTS call returns 401 "invalid_api_key" but replicate works fine. what's the header elevenlabs expects?
""",
    ),
    (
        "ho-iac-tokens",
        "secrets",
        r"""
Moving our infra tooling into a devcontainer. These are the files I currently have on my laptop; which should
become devcontainer secrets and which can go in the image?

~/.databrickscfg
[DEFAULT]
host  = https://adb-⟦N:num12⟧.11.azuredatabricks.net
token = ⟦S:databricks⟧

~/.terraform.d/credentials.tfrc.json
{"credentials": {"app.terraform.io": {"token": "⟦S:terraform_token⟧"}}}

~/.config/doctl/config.yaml
access-token: ⟦S:digitalocean⟧
context: default

~/.pulumi/credentials.json -> PULUMI_ACCESS_TOKEN=⟦S:pulumi_token⟧
""",
    ),
    (
        "ho-registry-creds",
        "secrets",
        r"""
Publishing the same library to crates.io, RubyGems and NuGet from one GitHub Actions job. Current local files:

~/.cargo/credentials.toml
[registry]
token = "⟦S:crates_token⟧"

~/.gem/credentials
---
:rubygems_api_key: ⟦S:rubygems⟧

NuGet.Config
<packageSourceCredentials>
  <nuget.org>
    <add key="ClearTextApiKey" value="⟦S:nuget⟧" />
  </nuget.org>
</packageSourceCredentials>

How do I turn these into `secrets.*` inputs?
""",
    ),
    (
        "ho-python-urls",
        "secrets",
        r"""
# settings/prod.py -- celery can't connect to the broker, mongo works
MONGO_URI = "mongodb+srv://reporting:⟦S:db_password⟧@cluster0.⟦N:s_lower5⟧.mongodb.net/reports?retryWrites=true&w=majority"
CELERY_BROKER_URL = "amqps://svc_jobs:⟦S:password⟧@rabbit.acme-internal.net:5671/jobs"
CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache",
                      "LOCATION": "rediss://default:⟦S:db_password⟧@redis-prod.acme-internal.net:6380/1"}}
TEST_DB = "⟦B=postgres://postgres:postgres@localhost:5432/app_ci|local_url⟧"
""",
    ),
    (
        "ho-openai-admin-curl",
        "secrets",
        r"""
Trying to list API keys of our org to audit them. Both calls return 403:

curl https://api.openai.com/v1/organization/admin_api_keys \
  -H "Authorization: Bearer ⟦S:openai_admin⟧" -H "Content-Type: application/json"

curl https://api.anthropic.com/v1/organizations/api_keys \
  -H "x-api-key: ⟦S:anthropic_admin⟧" -H "anthropic-version: ⟦B=2023-06-01|api_version⟧"
""",
    ),
    (
        "ho-har-session",
        "secrets",
        r"""
Copied "as cURL" from Chrome devtools, the request works in the browser but returns 419 from the script:

curl 'https://app.acme-crm.com/api/v2/reports/export' \
  -H 'accept: application/json' \
  -H 'authorization: Bearer ⟦S:jwt⟧' \
  -H 'cookie: connect.sid=⟦S:session_cookie⟧; theme=dark' \
  -H 'x-request-id: ⟦B:uuid⟧' \
  --data-raw '{"range":"last_30_days","format":"csv"}'
""",
    ),
    (
        "ho-kafka-cloudinary-mapbox",
        "secrets",
        r"""
The ingest service has three integrations and only Kafka fails (SASL authentication failed). client.properties
and the other two for comparison:

bootstrap.servers=pkc-⟦N:s_lower5⟧.westeurope.azure.confluent.cloud:9092
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="⟦N:s_upper16⟧" password="⟦S:confluent_secret⟧";

CLOUDINARY_URL=cloudinary://⟦N:num12⟧:⟦S:cloudinary_secret⟧@acme-media
MAPBOX_SECRET_TOKEN=⟦S:mapbox_secret⟧
""",
    ),
    (
        "ho-aliyun-config",
        "secrets",
        r"""
aliyun cli: "InvalidAccessKeyId.NotFound". ~/.aliyun/config.json:
{
  "current": "prod",
  "profiles": [
    {"name": "prod", "mode": "AK", "access_key_id": "⟦S:alibaba_key_id⟧",
     "access_key_secret": "⟦S:alibaba_secret⟧", "region_id": "cn-shanghai", "output_format": "json"}
  ]
}
""",
    ),
    (
        "ho-twilio-notify-js",
        "secrets",
        r"""
const twilio = require("twilio")("⟦N:twilio_sid#t⟧", "⟦S:twilio_auth⟧");
const apiKeyClient = require("twilio")("⟦S:twilio_api_key⟧", "⟦S:api_key32⟧", { accountSid: "⟦N:twilio_sid#t⟧" });
const postmark = new postmark.ServerClient("⟦S:postmark⟧");
const resend = new Resend("⟦S:resend⟧");

// sends to on-call when a job fails; postmark returns 10 "Bad or missing Server API token"
""",
    ),
    (
        "ho-nextauth-github",
        "secrets",
        r"""
NextAuth GitHub provider: "OAuthCallbackError: bad_verification_code". .env.local:

GITHUB_ID=⟦N:github_app_client_id⟧
GITHUB_SECRET=⟦S:github_client_secret⟧
NEXTAUTH_SECRET=⟦S:b64_secret⟧
NEXTAUTH_URL=⟦B=http://localhost:3000|local_url⟧
GH_RELEASES_TOKEN=⟦S:github_fine_grained⟧
GITHUB_WEBHOOK_SECRET=⟦S:webhook_secret⟧

$ gh auth status --show-token
github.com
  ✓ Logged in to github.com account octo-dev (keyring)
  - Token: ⟦S:github_oauth⟧
  - Token scopes: 'gist', 'read:org', 'repo', 'workflow'
""",
    ),
    (
        "ho-bitbucket-pipelines",
        "secrets",
        r"""
bitbucket-pipelines.yml step that posts the release notes to Confluence fails with 401:

- step:
    name: publish notes
    script:
      - git clone https://acme-ci:⟦S:bitbucket_app_password⟧@bitbucket.org/acme/release-notes.git
      - >
        curl -u "⟦P:person.email⟧:⟦S:atlassian_token⟧"
        -X POST https://acme.atlassian.net/wiki/rest/api/content
        -H 'Content-Type: application/json' --data @notes.json
""",
    ),
    (
        "ho-nginx-tls-ec",
        "secrets",
        r"""
nginx -t: "SSL_CTX_use_PrivateKey failed (SSL: error:05800074:x509 certificate routines::key values mismatch)".
Here is the key and the public key of the cert (from `openssl x509 -pubkey -noout`):

/etc/nginx/tls/api.key
⟦S:pem_ec⟧

public key from the cert:
⟦B:pem_public⟧
""",
    ),
    (
        "ho-java-jwt-signer",
        "secrets",
        r'''
public final class TokenSigner {
    // TODO move to KMS
    private static final String PRIVATE_KEY_PEM = """
⟦S:pem_rsa⟧
""";

    private static final String KID = "⟦B:s_hex16⟧";
}

Java 17 text block; `KeyFactory.getInstance("RSA")` throws InvalidKeySpecException. Do I need PKCS#8?
''',
    ),
]
