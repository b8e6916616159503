"""Second held-out set: prompts whose sensitive content is mostly credentials, in config files people paste."""
# ruff: noqa: E501  (pasted config lines are kept whole: a wrap would change what the detectors see)

TEMPLATES = [
    (
        "h2-sec-helm-values",
        "secrets",
        """
Our chart won't render after the 3.x upgrade, helm template says "nil pointer evaluating .Values.externalDb".
Here's the values-prod.yaml we pass with -f:

```yaml
image:
  repository: registry.internal/payments/api
  tag: "⟦B:semver⟧"
  digest: ⟦B:docker_digest⟧
replicaCount: 3
externalDb:
  host: pg-payments.prod.svc
  user: payments_rw
  password: "⟦S:db_password⟧"
redis:
  auth:
    password: ⟦S:password⟧
stripe:
  secretKey: ⟦S:stripe_live⟧
  webhookSecret: ⟦S:stripe_webhook⟧
podAnnotations:
  checksum/config: ⟦B:sha256⟧
```
What's the right way to guard the nil?
""",
    ),
    (
        "h2-sec-ansible-inventory",
        "secrets",
        """
ansible-playbook keeps prompting for the become password even though I set it in the inventory. inventory/prod.ini:

[web]
web01 ansible_host=⟦B:private_ip⟧
web02 ansible_host=⟦B:private_ip⟧

[web:vars]
ansible_user=deploy
ansible_become_pass=⟦S:password⟧
newrelic_license_key=⟦S:newrelic_license⟧
datadog_api_key=⟦S:datadog_api⟧

Is [web:vars] not applied when I run with --limit web01?
""",
    ),
    (
        "h2-sec-ansible-vault-decrypted",
        "secrets",
        """
I ran `ansible-vault view group_vars/all/vault.yml` and this is what's inside. The role still says
"vault_smtp_password is undefined". Am I referencing it wrong?

vault_smtp_user: notifications
vault_smtp_password: ⟦S:password⟧
vault_sendgrid_key: ⟦S:sendgrid⟧
vault_github_deploy_token: ⟦S:github_pat⟧
vault_ssh_host_key_fp: ⟦B:ssh_fingerprint⟧

and in roles/mail/tasks/main.yml I use "{{ smtp_password }}".
""",
    ),
    (
        "h2-sec-airflow-connections",
        "secrets",
        """
Airflow 2.9 can't parse one of my connections from the env. These are exported in the scheduler container:

AIRFLOW_CONN_WAREHOUSE='postgresql://etl_user:⟦S:db_password⟧@warehouse.internal:5432/analytics'
AIRFLOW_CONN_AWS_DEFAULT='aws://⟦S:aws_akid⟧:⟦S:aws_secret⟧@/?region_name=eu-west-1'
AIRFLOW_CONN_SLACK_ALERTS='slackwebhook://:⟦S:slack_webhook⟧@'
AIRFLOW__CORE__FERNET_KEY=⟦S:b64_secret⟧

The aws one fails with "ValueError: invalid literal" — I think the slash in the secret breaks URL parsing?
""",
    ),
    (
        "h2-sec-dbt-profiles",
        "secrets",
        """
dbt debug fails with "250001: Could not connect to Snowflake backend". profiles.yml:

analytics:
  target: prod
  outputs:
    prod:
      type: snowflake
      account: xy12345.eu-central-1
      user: DBT_SVC
      password: "⟦S:db_password⟧"
      role: TRANSFORMER
      warehouse: TRANSFORM_WH
      database: ANALYTICS
      schema: marts
      threads: 8
    bq:
      type: bigquery
      method: service-account-json
      project: acme-analytics
      keyfile_json:
        private_key_id: ⟦S:gcp_key_id⟧
        private_key: "⟦S:pem_pkcs8_json⟧"
        client_email: dbt-runner@acme-analytics.iam.gserviceaccount.com

Is the account locator format wrong?
""",
    ),
    (
        "h2-sec-kafka-client",
        "secrets",
        """
Our consumer gets SaslAuthenticationException against Confluent Cloud. client.properties:

bootstrap.servers=pkc-4r297.europe-west1.gcp.confluent.cloud:9092
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="⟦N:s_upper16⟧" password="⟦S:confluent_secret⟧";
schema.registry.basic.auth.user.info=⟦N:s_upper16⟧:⟦S:confluent_secret⟧
group.id=orders-enricher
# cluster ⟦B:kafka_cluster_id⟧

Same key works from my laptop with the CLI.
""",
    ),
    (
        "h2-sec-spark-defaults",
        "secrets",
        """
spark-submit on EMR can't read from s3a, "403 Forbidden". spark-defaults.conf on the driver:

spark.hadoop.fs.s3a.access.key          ⟦S:aws_akid⟧
spark.hadoop.fs.s3a.secret.key          ⟦S:aws_secret⟧
spark.hadoop.fs.s3a.endpoint            s3.eu-west-1.amazonaws.com
spark.executor.memory                   8g
spark.eventLog.dir                      s3a://acme-spark-logs/history/
spark.databricks.token                  ⟦S:databricks⟧

The instance profile role is ⟦B:aws_role_id⟧ if that matters. Should I drop the static keys?
""",
    ),
    (
        "h2-sec-firebase-web",
        "secrets",
        """
Firebase Admin works locally but the web client throws auth/invalid-api-key in prod. Our firebase.ts and the
admin env:

const firebaseConfig = {
  apiKey: "⟦S:gcp_api_key⟧",
  authDomain: "tidewater-app.firebaseapp.com",
  projectId: "tidewater-app",
  messagingSenderId: "⟦B:gcp_project_number⟧",
  appId: "⟦B:firebase_app_id⟧",
};

FIREBASE_DATABASE_SECRET=⟦S:firebase_db_secret⟧
FCM_SERVER_KEY=⟦S:fcm_server_key⟧
""",
    ),
    (
        "h2-sec-supabase-env",
        "secrets",
        """
Next.js + Supabase: the server action gets "JWSError JWSInvalidSignature". Here's .env.local:

NEXT_PUBLIC_SUPABASE_URL=https://qzrkmhvtwpdlxbnefgya.supabase.co
NEXT_PUBLIC_SUPABASE_ANON_KEY=⟦S:jwt⟧
SUPABASE_SERVICE_ROLE_KEY=⟦S:jwt⟧
SUPABASE_ACCESS_TOKEN=⟦S:supabase_token⟧
DATABASE_URL="postgresql://postgres.qzrkmhvtwpdlxbnefgya:⟦S:db_password⟧@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?pgbouncer=true"

Do I need the service role key on the client at all?
""",
    ),
    (
        "h2-sec-prisma-env",
        "secrets",
        """
prisma migrate deploy hangs on "Datasource db: PostgreSQL database" forever in CI. The .env:

DATABASE_URL="postgresql://app:⟦S:db_password⟧@db.tidewater-labs.com:5432/app?schema=public&connection_limit=5"
SHADOW_DATABASE_URL="postgresql://app:⟦S:db_password⟧@localhost:5433/shadow"
NEXTAUTH_SECRET=⟦S:b64_secret⟧
RESEND_API_KEY=⟦S:resend⟧

Last migration is ⟦B:alembic_rev⟧_add_invoices (we copied the naming from an old project, ignore).
""",
    ),
    (
        "h2-sec-google-services",
        "secrets",
        """
Android build fails with "No matching client found for package name". google-services.json:

{
  "project_info": {
    "project_number": "⟦B:gcp_project_number⟧",
    "project_id": "harbor-mobile-prod",
    "storage_bucket": "harbor-mobile-prod.appspot.com"
  },
  "client": [{
    "client_info": {
      "mobilesdk_app_id": "⟦B:firebase_app_id⟧",
      "android_client_info": { "package_name": "com.harbor.mobile" }
    },
    "oauth_client": [{ "client_id": "⟦N:gcp_client_num⟧-⟦N:lower_id⟧.apps.googleusercontent.com", "client_type": 3 }],
    "api_key": [{ "current_key": "⟦S:gcp_api_key⟧" }]
  }]
}

My applicationId in build.gradle is com.harbor.mobile.debug.
""",
    ),
    (
        "h2-sec-info-plist",
        "secrets",
        """
iOS app crashes on launch only in TestFlight builds. Relevant part of Info.plist:

<key>CFBundleIdentifier</key>
<string>com.quillsoft.notes</string>
<key>CFBundleVersion</key>
<string>⟦B:build_number⟧</string>
<key>SegmentWriteKey</key>
<string>⟦S:segment_write_key⟧</string>
<key>RevenueCatSecret</key>
<string>⟦S:api_key32⟧</string>
<key>MapboxDownloadsToken</key>
<string>⟦S:mapbox_secret⟧</string>

Team ID is ⟦B:apple_team_id⟧. Could the plist keys be stripped in release?
""",
    ),
    (
        "h2-sec-jenkinsfile",
        "secrets",
        """
Jenkins pipeline: the docker login step prints "unauthorized: incorrect username or password". Jenkinsfile:

pipeline {
  agent { label 'linux-docker' }
  environment {
    DOCKERHUB_TOKEN = '⟦S:docker_pat⟧'
    SONAR_TOKEN     = '⟦S:sonar_token⟧'
    NPM_TOKEN       = '⟦S:npm_token⟧'
    CREDS_ID        = '⟦B:jenkins_cred_id⟧'
  }
  stages {
    stage('Push') {
      steps { sh 'echo $DOCKERHUB_TOKEN | docker login -u acmebuild --password-stdin' }
    }
  }
}

I know hardcoding is bad, I'll move them to credentials() after it works.
""",
    ),
    (
        "h2-sec-gitlab-ci-vars",
        "secrets",
        """
I exported our project's CI/CD variables via the API to debug a masked-variable problem:

[
  {"key": "AWS_ACCESS_KEY_ID", "value": "⟦S:aws_akid⟧", "masked": true, "protected": true},
  {"key": "AWS_SECRET_ACCESS_KEY", "value": "⟦S:aws_secret⟧", "masked": false, "protected": true},
  {"key": "GITLAB_DEPLOY_TOKEN", "value": "⟦S:gitlab_deploy⟧", "masked": true},
  {"key": "TRIGGER_TOKEN", "value": "⟦S:gitlab_trigger⟧", "masked": true},
  {"key": "CI_IMAGE_DIGEST", "value": "⟦B:docker_digest⟧", "masked": false}
]

Why does GitLab refuse to mask the AWS secret ("value doesn't meet masking requirements")?
""",
    ),
    (
        "h2-sec-vercel-env-pull",
        "secrets",
        """
`vercel env pull` gave me this .env.production.local, but builds on Vercel still miss OPENAI_API_KEY:

# Created by Vercel CLI
VERCEL="1"
VERCEL_ENV="production"
VERCEL_GIT_COMMIT_SHA="⟦B:git_sha⟧"
VERCEL_DEPLOYMENT_ID="⟦B:vercel_deploy_id⟧"
OPENAI_API_KEY="⟦S:openai_project⟧"
ANTHROPIC_API_KEY="⟦S:anthropic⟧"
VERCEL_OIDC_TOKEN="⟦S:jwt⟧"

The key is set for "Production" scope in the dashboard.
""",
    ),
    (
        "h2-sec-netlify-env",
        "secrets",
        """
netlify env:list --json output, our functions can't reach Contentful:

{
  "NETLIFY_SITE_ID": "⟦B:netlify_site_id⟧",
  "NETLIFY_AUTH_TOKEN": "⟦S:netlify_token⟧",
  "CONTENTFUL_MANAGEMENT_TOKEN": "⟦S:contentful_pat⟧",
  "CONTENTFUL_SPACE_ID": "⟦N:lower_id⟧",
  "ALGOLIA_ADMIN_KEY": "⟦S:algolia_admin⟧"
}

The functions log "AccessTokenInvalid". Does the management token need a different scope?
""",
    ),
    (
        "h2-sec-redis-mongo-uris",
        "secrets",
        """
Both connections time out from the new worker pool, can you spot something off in the URIs?

REDIS_URL=rediss://default:⟦S:db_password⟧@redis-13514.c1.eu-west-1-2.ec2.cloud.redislabs.com:13514/0
MONGODB_URI=mongodb+srv://orders_svc:⟦S:db_password⟧@cluster0.x7kqp.mongodb.net/orders?retryWrites=true&w=majority
CELERY_RESULT_BACKEND=redis://:⟦S:password⟧@⟦B:private_ip⟧:6379/2

The worker runs in ⟦B:subnet_id⟧.
""",
    ),
    (
        "h2-sec-ldap-config",
        "secrets",
        """
Keycloak LDAP federation: "Error when trying to connect to LDAP: AuthenticationFailure". The sssd.conf we
used before worked with the same bind user:

[domain/corp.acmelogistics.io]
id_provider = ldap
ldap_uri = ldaps://dc01.corp.acmelogistics.io:636
ldap_search_base = dc=corp,dc=acmelogistics,dc=io
ldap_default_bind_dn = cn=svc-keycloak,ou=Service Accounts,dc=corp,dc=acmelogistics,dc=io
ldap_default_authtok = ⟦S:password⟧
ldap_tls_cacert = /etc/pki/tls/certs/corp-ca.pem

In Keycloak I put the same DN and password under "Bind credential". Is it the ldaps vs StartTLS setting?
""",
    ),
    (
        "h2-sec-oauth-callback-log",
        "secrets",
        """
Our Google login loops back to /login. The callback handler logs (debug level, I know):

2025-03-11T09:14:02.117Z INFO  GET /auth/callback?state=⟦N:oauth_state⟧&code=⟦S:oauth_code⟧&scope=email%20profile
2025-03-11T09:14:02.390Z DEBUG token exchange client_id=⟦N:gcp_client_num⟧-⟦N:lower_id⟧.apps.googleusercontent.com client_secret=⟦S:gcp_oauth_secret⟧
2025-03-11T09:14:02.611Z DEBUG got access_token=⟦S:gcp_access_token⟧ refresh_token=⟦S:gcp_refresh_token⟧
2025-03-11T09:14:02.612Z WARN  session cookie not set: SameSite=None requires Secure

So the exchange works, it's the cookie?
""",
    ),
    (
        "h2-sec-auth0-tenant",
        "secrets",
        """
Auth0 Management API returns 401 for our backend. The tenant config from our terraform.tfvars:

auth0_domain        = "tidewater.eu.auth0.com"
auth0_client_id     = "⟦N:s_alnum24⟧"
auth0_client_secret = "⟦S:auth0_client_secret⟧"
cloudflare_api_token = "⟦S:cloudflare_token⟧"
cloudflare_account_id = "⟦B:cf_account_id⟧"

Do I need to authorize the M2M app for the Management API audience?
""",
    ),
    (
        "h2-sec-ml-notebook-env",
        "secrets",
        """
The eval notebook fails on the first cell after I rotated keys. Cell 1:

import os
os.environ["HF_TOKEN"] = "⟦S:hf_token⟧"
os.environ["WANDB_API_KEY"] = "⟦S:wandb_key⟧"
os.environ["GROQ_API_KEY"] = "⟦S:groq_key⟧"
os.environ["PINECONE_API_KEY"] = "⟦S:pinecone_key⟧"
RUN_ID = "⟦B:s_hex12⟧"

Error: "401 Client Error: Unauthorized for url: https://huggingface.co/api/whoami-v2".
""",
    ),
    (
        "h2-sec-terraform-backend",
        "secrets",
        """
terraform init -reconfigure fails: "Error: Failed to get existing workspaces: 401". ~/.terraformrc and backend:

credentials "app.terraform.io" {
  token = "⟦S:terraform_token⟧"
}

provider "digitalocean" {
  token = "⟦S:digitalocean⟧"
}

provider "tailscale" {
  api_key = "⟦S:tailscale_key⟧"
}

Workspace id is ws-⟦N:s_alnum14⟧. Lock file hash for the DO provider is ⟦B:gosum⟧.
""",
    ),
    (
        "h2-sec-k8s-dockerconfig",
        "secrets",
        """
Pods stuck in ImagePullBackOff. I decoded the pull secret to check it:

$ kubectl get secret regcred -o jsonpath='{.data.\\.dockerconfigjson}' | base64 -d
{"auths":{"ghcr.io":{"username":"acme-bot","password":"⟦S:github_pat⟧","auth":"⟦S:basic_auth⟧"}}}

$ kubectl describe pod ⟦B:pod_name⟧
  Failed to pull image "ghcr.io/acme/api@⟦B:docker_digest⟧": denied

Does a classic PAT need read:packages for ghcr?
""",
    ),
    (
        "h2-sec-twilio-crash",
        "secrets",
        """
SMS sending crashes our worker at import time. Traceback plus the settings module it loads:

  File "/app/notify/settings.py", line 12, in <module>
    TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="⟦S:twilio_auth⟧")
  File "/app/notify/sms.py", line 4
    client = Client("⟦N:twilio_sid⟧", TWILIO_AUTH_TOKEN)
TypeError: __init__() got an unexpected keyword argument 'region'

TELEGRAM_BOT_TOKEN=⟦S:telegram⟧ is also in there for the ops alerts. twilio==9.0.0.
""",
    ),
]
