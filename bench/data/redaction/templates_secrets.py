# ruff: noqa: E501  (prompt text is data: pasted lines keep their real length)
"""Prompts that carry secrets in the places developers paste them (see make_corpus.py for the markers)."""

TEMPLATES = [
    # ------------------------------------------------------------------------------------------ cloud: AWS
    (
        "sec-aws-env-01",
        "secret/cloud",
        r"""
My boto3 script works locally but fails in the container with `InvalidClientTokenId`. Here's the .env I mount:

```
AWS_ACCESS_KEY_ID=⟦S:aws_akid⟧
AWS_SECRET_ACCESS_KEY=⟦S:aws_secret⟧
AWS_DEFAULT_REGION=us-east-1
S3_BUCKET=acme-invoices-prod
```

and the compose service uses `env_file: .env`. What am I missing?
""",
    ),
    (
        "sec-aws-python-02",
        "secret/cloud",
        r"""
Why does this upload hang forever on large files?

```python
import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="⟦S:aws_akid⟧",
    aws_secret_access_key="⟦S:aws_secret⟧",
    region_name="eu-west-1",
)

def upload(path: str) -> None:
    s3.upload_file(path, "media-ingest", path.split("/")[-1])
```
""",
    ),
    (
        "sec-aws-credentials-03",
        "secret/cloud",
        r"""
I have two profiles in ~/.aws/credentials and the CLI keeps picking the wrong one:

```ini
[default]
aws_access_key_id = ⟦S:aws_akid⟧
aws_secret_access_key = ⟦S:aws_secret⟧

[staging]
aws_access_key_id = ⟦S:aws_asia⟧
aws_secret_access_key = ⟦S:aws_secret⟧
aws_session_token = ⟦S:aws_session_token⟧
```

`⟦B=aws sts get-caller-identity --profile staging|command⟧` returns the default account. Why?
""",
    ),
    (
        "sec-aws-terraform-04",
        "secret/cloud",
        r"""
terraform plan says "No valid credential sources found" even though I set them in the provider block:

```hcl
provider "aws" {
  region     = "us-west-2"
  access_key = "⟦S:aws_akid⟧"
  secret_key = "⟦S:aws_secret⟧"
}

resource "aws_s3_bucket" "logs" {
  bucket = "platform-logs-⟦B:short_sha⟧"
}
```

I know hardcoding is bad, I'll move it to a profile later. Just want to see why it fails.
""",
    ),
    (
        "sec-aws-ci-05",
        "secret/cloud",
        r"""
GitHub Actions step fails with "The security token included in the request is invalid". Workflow:

```yaml
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      AWS_ACCESS_KEY_ID: ⟦S:aws_akid⟧
      AWS_SECRET_ACCESS_KEY: ⟦S:aws_secret⟧
      AWS_REGION: ap-southeast-2
    steps:
      - uses: actions/checkout@⟦B:git_sha⟧
      - run: aws ecs update-service --cluster web --service api --force-new-deployment
```
""",
    ),
    (
        "sec-aws-java-06",
        "secret/cloud",
        r"""
Spring Boot app, AWS SDK v2. Is there a cleaner way to build the client than this?

```java
@Bean
public S3Client s3Client() {
    AwsBasicCredentials creds = AwsBasicCredentials.create(
        "⟦S:aws_akid⟧",
        "⟦S:aws_secret⟧");
    return S3Client.builder()
        .region(Region.EU_CENTRAL_1)
        .credentialsProvider(StaticCredentialsProvider.create(creds))
        .build();
}
```
""",
    ),
    (
        "sec-aws-go-07",
        "secret/cloud",
        r"""
Go: my Lambda can't read from DynamoDB after I switched to aws-sdk-go-v2. Relevant code:

```go
cfg, err := config.LoadDefaultConfig(ctx,
    config.WithRegion("us-east-2"),
    config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(
        "⟦S:aws_akid⟧", "⟦S:aws_secret⟧", "")),
)
if err != nil {
    log.Fatalf("unable to load SDK config, %v", err)
}
```
""",
    ),
    # ------------------------------------------------------------------------------------------ cloud: GCP
    (
        "sec-gcp-sa-json-08",
        "secret/cloud",
        r"""
The Python client says `google.auth.exceptions.RefreshError: invalid_grant: Invalid JWT Signature` with this service account file:

```json
{
  "type": "service_account",
  "project_id": "orbital-analytics-prod",
  "private_key_id": "⟦S:gcp_key_id⟧",
  "private_key": "⟦S:pem_pkcs8_json⟧",
  "client_email": "etl-runner@orbital-analytics-prod.iam.gserviceaccount.com",
  "client_id": "⟦N:num12#cid⟧",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token"
}
```
""",
    ),
    (
        "sec-gcp-apikey-09",
        "secret/cloud",
        r"""
Maps JS API shows "This page can't load Google Maps correctly". My script tag:

```html
<script async
  src="https://maps.googleapis.com/maps/api/js?key=⟦S:gcp_api_key⟧&callback=initMap&libraries=places">
</script>
<style> #map { height: 400px; background: ⟦B:hex_colour⟧; } </style>
```
""",
    ),
    (
        "sec-gcp-gemini-10",
        "secret/ai",
        r"""
Trying the Gemini SDK, getting 403 PERMISSION_DENIED:

```python
import google.generativeai as genai

genai.configure(api_key="⟦S:gcp_api_key⟧")
model = genai.GenerativeModel("gemini-1.5-flash")
print(model.generate_content("hello").text)
```
""",
    ),
    (
        "sec-gcp-oauth-11",
        "secret/cloud",
        r"""
OAuth flow returns `invalid_client` on the token exchange. client_secret.json:

```json
{"web":{"client_id":"⟦N:num12#c⟧-⟦N:short_sha⟧q2n8v.apps.googleusercontent.com",
 "project_id":"helpdesk-bot","client_secret":"⟦S:gcp_oauth_secret⟧",
 "redirect_uris":["⟦B=http://localhost:8080/oauth2callback|localhost⟧"]}}
```
""",
    ),
    (
        "sec-gcp-token-12",
        "secret/cloud",
        r"""
This curl to the BigQuery API returns 401 even though I just ran `gcloud auth print-access-token`:

```
curl -H "Authorization: Bearer ⟦S:gcp_access_token⟧" \
  "https://bigquery.googleapis.com/bigquery/v2/projects/acme-dw/datasets"
```
Also the refresh token in my app config is `⟦S:gcp_refresh_token⟧`, could that be expired?
""",
    ),
    # ------------------------------------------------------------------------------------------ cloud: Azure
    (
        "sec-azure-storage-13",
        "secret/cloud",
        r"""
C# BlobServiceClient throws `AuthenticationFailed`. appsettings.json:

```json
{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "Storage": {
    "ConnectionString": "DefaultEndpointsProtocol=https;AccountName=contosoreports;AccountKey=⟦S:azure_storage_key⟧;EndpointSuffix=core.windows.net",
    "Container": "exports"
  }
}
```
""",
    ),
    (
        "sec-azure-sp-14",
        "secret/cloud",
        r"""
az login with a service principal works, but Terraform's azurerm provider says AADSTS7000215 invalid client secret:

```bash
export ARM_CLIENT_ID="⟦B:uuid⟧"
export ARM_CLIENT_SECRET="⟦S:azure_client_secret⟧"
export ARM_TENANT_ID="⟦B:uuid⟧"
export ARM_SUBSCRIPTION_ID="⟦B:uuid⟧"
terraform plan
```
""",
    ),
    (
        "sec-azure-sas-15",
        "secret/cloud",
        r"""
The SAS URL I generated works in the browser but `azcopy` says 403:

```
azcopy copy ./dist "https://webassets01.blob.core.windows.net/$web?sv=2022-11-02&ss=b&srt=co&sp=rwdlaciytfx&se=2025-12-31T23:59:59Z&st=2025-01-01T00:00:00Z&spr=https&sig=⟦S:azure_sas_sig⟧" --recursive
```
""",
    ),
    (
        "sec-azure-devops-16",
        "secret/cloud",
        r"""
Cloning from Azure DevOps in a Dockerfile fails at build time:

```dockerfile
FROM node:20-alpine
ARG AZDO_PAT=⟦S:azure_devops_pat⟧
RUN git clone https://build:⟦B=${AZDO_PAT}|placeholder⟧@dev.azure.com/fabrikam/web/_git/frontend /src
WORKDIR /src
RUN npm ci && npm run build
```
""",
    ),
    (
        "sec-azure-openai-17",
        "secret/ai",
        r"""
AzureOpenAI client gives 401 "Access denied due to invalid subscription key":

```python
from openai import AzureOpenAI

client = AzureOpenAI(
    api_key="⟦S:azure_openai_key⟧",
    api_version="2024-06-01",
    azure_endpoint="https://contoso-gpt.openai.azure.com/",
)
```
""",
    ),
    (
        "sec-cloudflare-18",
        "secret/cloud",
        r"""
wrangler deploy in CI can't authenticate:

```yaml
- name: Deploy worker
  run: npx wrangler deploy
  env:
    CLOUDFLARE_API_TOKEN: ⟦S:cloudflare_token⟧
    CLOUDFLARE_ACCOUNT_ID: ⟦N:trace_id⟧
```
""",
    ),
    (
        "sec-alibaba-19",
        "secret/cloud",
        r"""
Aliyun OSS upload in Python returns InvalidAccessKeyId:

```python
import oss2
auth = oss2.Auth('⟦S:alibaba_key_id⟧', '⟦S:alibaba_secret⟧')
bucket = oss2.Bucket(auth, 'https://oss-cn-hangzhou.aliyuncs.com', 'app-static')
bucket.put_object_from_file('logo.png', 'static/logo.png')
```
""",
    ),
    # ------------------------------------------------------------------------------------------ VCS
    (
        "sec-github-remote-20",
        "secret/vcs",
        r"""
git push keeps asking for a password even though I put the token in the remote:

```
$ git remote -v
origin  https://⟦S:github_pat#a⟧@github.com/acme-corp/billing-api.git (fetch)
origin  https://⟦S:github_pat#a⟧@github.com/acme-corp/billing-api.git (push)
$ git log -1 --format=%H
⟦B:git_sha⟧
```
""",
    ),
    (
        "sec-github-actions-21",
        "secret/vcs",
        r"""
This step to comment on PRs fails with 403 "Resource not accessible by integration":

```yaml
- name: Comment
  run: |
    curl -s -X POST \
      -H "Authorization: token ⟦S:github_pat⟧" \
      -H "Accept: application/vnd.github+json" \
      https://api.github.com/repos/⟦B=${{ github.repository }}|placeholder⟧/issues/${{ github.event.number }}/comments \
      -d '{"body":"Preview deployed"}'
```
""",
    ),
    (
        "sec-github-octokit-22",
        "secret/vcs",
        r"""
Octokit rate-limits me at 60 requests/hour, as if the token were ignored:

```ts
import { Octokit } from "@octokit/rest";

const octokit = new Octokit({ auth: "⟦S:github_fine_grained⟧" });
const { data } = await octokit.repos.listForOrg({ org: "acme-corp", per_page: 100 });
```
""",
    ),
    (
        "sec-github-app-23",
        "secret/vcs",
        r"""
My GitHub App installation token stops working after an hour, expected. But this refresh code still uses the old token — see the log line:

```
2024-05-02T10:14:22Z DEBUG using installation token ⟦S:github_app_token⟧ for repo acme-corp/infra
2024-05-02T11:15:03Z ERROR 401 Bad credentials
```
And the app's OAuth settings: client id Iv1.⟦N:short_sha⟧e2a91b3, client secret ⟦S:github_client_secret⟧.
""",
    ),
    (
        "sec-github-gh-cli-24",
        "secret/vcs",
        r"""
`gh auth status` says I'm logged in with an oauth token but `gh pr create` fails. hosts.yml:

```yaml
github.com:
    user: build-bot
    oauth_token: ⟦S:github_oauth⟧
    git_protocol: https
```
""",
    ),
    (
        "sec-gitlab-ci-25",
        "secret/vcs",
        r"""
GitLab CI job can't push tags back to the repo:

```yaml
release:
  stage: release
  image: alpine/git:2.43.0
  script:
    - git remote set-url origin "https://oauth2:⟦S:gitlab_pat⟧@gitlab.com/platform/payments.git"
    - git tag "v⟦B=$CI_PIPELINE_IID|placeholder⟧"
    - git push origin --tags
```
""",
    ),
    (
        "sec-gitlab-runner-26",
        "secret/vcs",
        r"""
Registered a runner with the new authentication-token flow, but it never picks up jobs. config.toml:

```toml
concurrent = 4

[[runners]]
  name = "docker-runner-01"
  url = "https://gitlab.internal.acme.dev/"
  token = "⟦S:gitlab_runner⟧"
  executor = "docker"
  [runners.docker]
    image = "python:3.12-slim"
    privileged = false
```
""",
    ),
    (
        "sec-gitlab-deploy-27",
        "secret/vcs",
        r"""
Using a deploy token to pull a private package in a Dockerfile, pip says 401:

```
RUN pip install --index-url https://gitlab+deploy-token-412:⟦S:gitlab_deploy⟧@gitlab.com/api/v4/projects/5541/packages/pypi/simple internal-utils==⟦B=2.7.1|version⟧
```
Also the pipeline trigger I use from Jenkins: `curl -X POST -F token=⟦S:gitlab_trigger⟧ -F ref=main https://gitlab.com/api/v4/projects/5541/trigger/pipeline`
""",
    ),
    (
        "sec-bitbucket-28",
        "secret/vcs",
        r"""
Bitbucket Pipelines: cloning a second private repo fails.

```yaml
pipelines:
  default:
    - step:
        script:
          - git clone https://ci-user:⟦S:bitbucket_app_password⟧@bitbucket.org/acmeteam/shared-protos.git
          - make build
```
""",
    ),
    (
        "sec-atlassian-29",
        "secret/vcs",
        r"""
Jira REST call from Python returns 401:

```python
import requests
from requests.auth import HTTPBasicAuth

auth = HTTPBasicAuth("⟦P:person.email#a⟧", "⟦S:atlassian_token⟧")
r = requests.get("https://acme.atlassian.net/rest/api/3/search?jql=project=OPS", auth=auth, timeout=10)
print(r.status_code, r.text[:200])
```
""",
    ),
    (
        "sec-circleci-sonar-30",
        "secret/vcs",
        r"""
Our CircleCI config calls SonarQube and the CircleCI API. Sonar says "Not authorized":

```yaml
version: 2.1
jobs:
  scan:
    docker:
      - image: sonarsource/sonar-scanner-cli:⟦B=5.0.1|version⟧
    environment:
      SONAR_TOKEN: ⟦S:sonar_token⟧
      SONAR_HOST_URL: https://sonar.acme.dev
    steps:
      - checkout
      - run: sonar-scanner -Dsonar.projectKey=billing
      - run: curl -H "Circle-Token: ⟦S:circleci_token⟧" https://circleci.com/api/v2/me
```
""",
    ),
    # ------------------------------------------------------------------------------------------ AI providers
    (
        "sec-openai-py-31",
        "secret/ai",
        r"""
Why do I get `openai.RateLimitError: insufficient_quota` right away? Brand new key:

```python
from openai import OpenAI

client = OpenAI(api_key="⟦S:openai_project⟧")
resp = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "ping"}])
print(resp.choices[0].message.content)
```
""",
    ),
    (
        "sec-openai-curl-32",
        "secret/ai",
        r"""
```
curl https://api.openai.com/v1/embeddings \
  -H "Content-Type: application/json" \
  -H "Authorization: Bearer ⟦S:openai_legacy⟧" \
  -d '{"input": "The food was delicious", "model": "text-embedding-3-small"}'
```
returns `{"error": {"message": "Incorrect API key provided"...`. The key is from 2023, did they deprecate those?
""",
    ),
    (
        "sec-openai-env-33",
        "secret/ai",
        r"""
Next.js route handler can't see my env var in production on Vercel. .env.local:

```
OPENAI_API_KEY=⟦S:openai_svcacct⟧
OPENAI_ORG_ID=org-⟦N:s_alnum24⟧
NEXT_PUBLIC_APP_URL=⟦B=http://localhost:3000|localhost⟧
```
and in code: `const key = ⟦B=process.env.OPENAI_API_KEY|env_lookup⟧;` which is undefined in the edge runtime.
""",
    ),
    (
        "sec-openai-admin-34",
        "secret/ai",
        r"""
Script to list org usage with the admin API:

```js
const res = await fetch("https://api.openai.com/v1/organization/usage/completions?start_time=⟦B=1714521600|epoch⟧", {
  headers: { Authorization: `Bearer ⟦S:openai_admin⟧` },
});
console.log(await res.json());
```
Returns 403 "You have insufficient permissions". Which scope do I need?
""",
    ),
    (
        "sec-anthropic-35",
        "secret/ai",
        r"""
Anthropic SDK streaming example, the stream stops after the first event:

```python
import anthropic

client = anthropic.Anthropic(api_key="⟦S:anthropic⟧")
with client.messages.stream(
    model="claude-3-5-sonnet-latest",
    max_tokens=1024,
    messages=[{"role": "user", "content": "Write a haiku about Postgres"}],
) as stream:
    for text in stream.text_stream:
        print(text, end="", flush=True)
```
""",
    ),
    (
        "sec-anthropic-admin-36",
        "secret/ai",
        r"""
How do I rotate workspace keys with the Admin API? I'm calling:

```
curl https://api.anthropic.com/v1/organizations/api_keys \
  --header "anthropic-version: 2023-06-01" \
  --header "x-api-key: ⟦S:anthropic_admin⟧"
```
""",
    ),
    (
        "sec-hf-37",
        "secret/ai",
        r"""
`huggingface-cli login` works but `from_pretrained` on our private model says 401:

```python
from transformers import AutoModelForCausalLM, AutoTokenizer

tok = AutoTokenizer.from_pretrained("acme-ml/support-llama-8b", token="⟦S:hf_token#a⟧")
model = AutoModelForCausalLM.from_pretrained("acme-ml/support-llama-8b", token="⟦S:hf_token#a⟧",
                                             revision="⟦B:git_sha⟧")
```
""",
    ),
    (
        "sec-cohere-mistral-38",
        "secret/ai",
        r"""
Comparing rerankers. Config for the eval harness:

```yaml
providers:
  cohere:
    api_key: ⟦S:cohere_key⟧
    model: rerank-english-v3.0
  mistral:
    api_key: ⟦S:mistral_key⟧
    model: mistral-embed
  voyage:
    api_key: ⟦B=${VOYAGE_API_KEY}|placeholder⟧
```
Cohere works, Mistral returns 401. Same format?
""",
    ),
    (
        "sec-groq-replicate-39",
        "secret/ai",
        r"""
.env for my side project, it's a LangChain app that falls back between providers:

```
GROQ_API_KEY=⟦S:groq_key⟧
REPLICATE_API_TOKEN=⟦S:replicate_token⟧
PERPLEXITY_API_KEY=⟦S:perplexity_key⟧
LOG_LEVEL=debug
PORT=8000
```
Groq is fast but sometimes returns 503. How should I implement the fallback chain?
""",
    ),
    (
        "sec-openrouter-40",
        "secret/ai",
        r"""
OpenRouter through the OpenAI SDK:

```ts
const client = new OpenAI({
  baseURL: "https://openrouter.ai/api/v1",
  apiKey: "⟦S:openrouter_key⟧",
  defaultHeaders: { "HTTP-Referer": "⟦B=http://localhost:5173|localhost⟧", "X-Title": "Chat Playground" },
});
```
Getting "No auth credentials found". Is the header wrong?
""",
    ),
    (
        "sec-xai-deepseek-41",
        "secret/ai",
        r"""
I'm wiring xAI and DeepSeek into litellm's config:

```yaml
model_list:
  - model_name: grok
    litellm_params:
      model: xai/grok-2-latest
      api_key: ⟦S:xai_key⟧
  - model_name: deepseek-chat
    litellm_params:
      model: deepseek/deepseek-chat
      api_key: ⟦S:deepseek_key⟧
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: ⟦B=os.environ/OPENAI_API_KEY|env_lookup⟧
```
""",
    ),
    (
        "sec-langsmith-pinecone-42",
        "secret/ai",
        r"""
RAG app: the tracing shows up in LangSmith but the Pinecone query returns nothing.

```python
os.environ["LANGCHAIN_TRACING_V2"] = "true"
os.environ["LANGCHAIN_API_KEY"] = "⟦S:langsmith_key⟧"

pc = Pinecone(api_key="⟦S:pinecone_key⟧")
index = pc.Index("support-docs")
res = index.query(vector=emb, top_k=5, include_metadata=True, namespace="⟦B:uuid⟧")
```
""",
    ),
    (
        "sec-together-wandb-43",
        "secret/ai",
        r"""
Fine-tuning job on Together with W&B logging, the W&B integration says invalid key:

```bash
export TOGETHER_API_KEY=⟦S:together_key⟧
together fine-tuning create --training-file file-⟦B:uuid⟧ \
  --model meta-llama/Meta-Llama-3.1-8B-Instruct-Reference \
  --wandb-api-key ⟦S:wandb_key⟧
```
""",
    ),
    (
        "sec-elevenlabs-44",
        "secret/ai",
        r"""
ElevenLabs TTS in Node returns a 401 quota error:

```js
const r = await fetch(`https://api.elevenlabs.io/v1/text-to-speech/${voiceId}`, {
  method: "POST",
  headers: { "xi-api-key": "⟦S:elevenlabs_key⟧", "Content-Type": "application/json" },
  body: JSON.stringify({ text, model_id: "eleven_multilingual_v2" }),
});
```
""",
    ),
    # ------------------------------------------------------------------------------------------ payments
    (
        "sec-stripe-node-45",
        "secret/payments",
        r"""
Stripe checkout session creation throws "No such price". Server code:

```js
const stripe = require("stripe")("⟦S:stripe_live⟧");

app.post("/create-checkout-session", async (req, res) => {
  const session = await stripe.checkout.sessions.create({
    line_items: [{ price: "price_1P⟦N:s_alnum24⟧", quantity: 1 }],
    mode: "subscription",
    success_url: "https://app.acme.dev/success?session_id=⟦B={CHECKOUT_SESSION_ID}|placeholder⟧",
  });
  res.redirect(303, session.url);
});
```
""",
    ),
    (
        "sec-stripe-webhook-46",
        "secret/payments",
        r"""
Webhook signature verification always fails in Flask:

```python
endpoint_secret = "⟦S:stripe_webhook⟧"

@app.route("/webhook", methods=["POST"])
def webhook():
    payload = request.get_data()
    sig = request.headers.get("Stripe-Signature")
    event = stripe.Webhook.construct_event(payload, sig, endpoint_secret)
    return "", 200
```
I'm reading `request.get_data()` — is Flask altering the body?
""",
    ),
    (
        "sec-stripe-env-47",
        "secret/payments",
        r"""
Which of these should live in the frontend bundle? Our .env:

```
STRIPE_SECRET_KEY=⟦S:stripe_live_short⟧
STRIPE_RESTRICTED_KEY=⟦S:stripe_restricted⟧
STRIPE_TEST_SECRET_KEY=⟦S:stripe_test⟧
STRIPE_PRICE_ID=price_⟦N:s_alnum24⟧
```
""",
    ),
    (
        "sec-square-48",
        "secret/payments",
        r"""
Square Python SDK: "UNAUTHORIZED" on payments.create.

```python
from square.client import Client

client = Client(access_token="⟦S:square_token⟧", environment="production")
result = client.payments.create_payment(body={
    "source_id": "cnon:card-nonce-ok",
    "idempotency_key": "⟦B:uuid⟧",
    "amount_money": {"amount": 1999, "currency": "USD"},
})
```
And the OAuth app secret for the marketplace flow is `⟦S:square_oauth_secret⟧`.
""",
    ),
    (
        "sec-paypal-49",
        "secret/payments",
        r"""
PayPal REST: getting an access token returns `invalid_client`.

```bash
curl -v https://api-m.paypal.com/v1/oauth2/token \
  -u "⟦N:paypal_client_id⟧:⟦S:paypal_secret⟧" \
  -d "grant_type=client_credentials"
```
Earlier today it returned this token which worked once: ⟦S:paypal_access_token⟧
""",
    ),
    (
        "sec-braintree-adyen-50",
        "secret/payments",
        r"""
We're migrating from Braintree to Adyen; config of the payment service during the transition:

```yaml
braintree:
  access_token: ⟦S:braintree_token⟧
adyen:
  api_key: ⟦S:adyen_key⟧
  merchant_account: AcmeCommerceECOM
  environment: LIVE
```
How do I run both for a week and compare authorisation rates?
""",
    ),
    (
        "sec-razorpay-plaid-51",
        "secret/payments",
        r"""
settings.py snippet for our fintech app:

```python
RAZORPAY_KEY_ID = "rzp_live_⟦N:s_alnum14⟧"
RAZORPAY_KEY_SECRET = "⟦S:razorpay_secret⟧"
PLAID_CLIENT_ID = "⟦N:trace_id⟧"
PLAID_SECRET = "⟦S:plaid_secret⟧"
PLAID_ENV = "production"
```
Plaid link token creation fails with INVALID_API_KEYS. Razorpay works.
""",
    ),
    (
        "sec-mollie-paystack-52",
        "secret/payments",
        r"""
PHP: which header format does Mollie want vs Paystack?

```php
$mollie = new \Mollie\Api\MollieApiClient();
$mollie->setApiKey("⟦S:mollie_key⟧");

$ch = curl_init("https://api.paystack.co/transaction/initialize");
curl_setopt($ch, CURLOPT_HTTPHEADER, ["Authorization: Bearer ⟦S:paystack_key⟧"]);
```
""",
    ),
    # ------------------------------------------------------------------------------------------ messaging
    (
        "sec-slack-bolt-53",
        "secret/messaging",
        r"""
Slack Bolt app in socket mode never receives events:

```python
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

app = App(token="⟦S:slack_bot⟧")

@app.event("app_mention")
def handle(event, say):
    say(f"Hi <@{event['user']}>!")

if __name__ == "__main__":
    SocketModeHandler(app, "⟦S:slack_app⟧").start()
```
""",
    ),
    (
        "sec-slack-webhook-54",
        "secret/messaging",
        r"""
Our alertmanager config posts to Slack, but messages never arrive:

```yaml
receivers:
  - name: oncall-slack
    slack_configs:
      - api_url: ⟦S:slack_webhook⟧
        channel: '#alerts-prod'
        send_resolved: true
        title: '{{ .CommonLabels.alertname }}'
```
""",
    ),
    (
        "sec-slack-user-55",
        "secret/messaging",
        r"""
Why does `conversations.history` return `not_in_channel` with my user token?

```
curl -H "Authorization: Bearer ⟦S:slack_user⟧" \
  "https://slack.com/api/conversations.history?channel=C04⟦N:s_upper8⟧&limit=50"
```
""",
    ),
    (
        "sec-twilio-56",
        "secret/messaging",
        r"""
Twilio SMS from Node, error 20003 Authenticate:

```js
const accountSid = "⟦N:twilio_sid⟧";
const authToken = "⟦S:twilio_auth⟧";
const client = require("twilio")(accountSid, authToken);

client.messages
  .create({ body: "Your code is 482913", from: "+15017122661", to: ⟦B=process.env.TEST_PHONE|env_lookup⟧ })
  .then((m) => console.log(m.sid));
```
""",
    ),
    (
        "sec-twilio-apikey-57",
        "secret/messaging",
        r"""
Switched Twilio to API key auth in Python:

```python
client = Client("⟦S:twilio_api_key⟧", ⟦B=os.environ["TWILIO_API_SECRET"]|env_lookup⟧, "⟦N:twilio_sid⟧")
```
Is the third argument the account SID or the subaccount?
""",
    ),
    (
        "sec-sendgrid-58",
        "secret/messaging",
        r"""
SendGrid returns 403 "The from address does not match a verified Sender Identity":

```python
sg = SendGridAPIClient("⟦S:sendgrid⟧")
message = Mail(
    from_email="no-reply@acme.dev",
    to_emails=user.email,
    subject="Reset your password",
    html_content=render_template("reset.html", link=link),
)
sg.send(message)
```
""",
    ),
    (
        "sec-mailgun-59",
        "secret/messaging",
        r"""
Mailgun curl from the docs, but with our domain:

```
curl -s --user 'api:⟦S:mailgun⟧' \
    https://api.eu.mailgun.net/v3/mg.acme.dev/messages \
    -F from='Acme <mailgun@mg.acme.dev>' \
    -F to=ops@acme.dev \
    -F subject='Hello' \
    -F text='Testing some Mailgun awesomeness!'
```
Also tried the newer key format `⟦S:mailgun_new⟧`. Both 401.
""",
    ),
    (
        "sec-telegram-60",
        "secret/messaging",
        r"""
Telegram bot webhook isn't being called. I set it like this:

```
curl "https://api.telegram.org/bot⟦S:telegram#a⟧/setWebhook?url=https://bot.acme.dev/tg/hook"
```
and in python-telegram-bot: `Application.builder().token("⟦S:telegram#a⟧").build()`
""",
    ),
    (
        "sec-discord-61",
        "secret/messaging",
        r"""
discord.py bot logs in then immediately disconnects with 4014:

```python
intents = discord.Intents.default()
intents.message_content = True
bot = commands.Bot(command_prefix="!", intents=intents)
bot.run("⟦S:discord_bot⟧")
```
Also our deploy notifications go to ⟦S:discord_webhook⟧ — that one works.
""",
    ),
    (
        "sec-mailchimp-teams-62",
        "secret/messaging",
        r"""
Two integrations in our marketing service are failing; Mailchimp and the Teams notifier:

```python
MAILCHIMP_API_KEY = "⟦S:mailchimp⟧"
TEAMS_WEBHOOK_URL = "⟦S:teams_webhook⟧"
```
Mailchimp says "API Key Invalid". Does the datacenter suffix matter?
""",
    ),
    (
        "sec-postmark-resend-63",
        "secret/messaging",
        r"""
Choosing between Postmark and Resend. Here's my test harness, both keys are from trial accounts:

```ts
const postmark = new ServerClient("⟦S:postmark⟧");
const resend = new Resend("⟦S:resend⟧");
```
Which one handles bounces better?
""",
    ),
    # ------------------------------------------------------------------------------------------ registries
    (
        "sec-npmrc-64",
        "secret/registries",
        r"""
npm publish gives E404 for our scoped package. ~/.npmrc:

```
@acme:registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=⟦S:npm_token⟧
always-auth=true
```
package.json has `"name": "@acme/ui-kit", "version": "⟦B=3.4.0|version⟧"`.
""",
    ),
    (
        "sec-pypirc-65",
        "secret/registries",
        r"""
twine upload says 403 "Invalid or non-existent authentication information":

```ini
[distutils]
index-servers = pypi

[pypi]
username = __token__
password = ⟦S:pypi_token⟧
```
""",
    ),
    (
        "sec-rubygems-nuget-66",
        "secret/registries",
        r"""
Release workflow pushes a gem and a NuGet package:

```yaml
- name: Push gem
  run: gem push pkg/acme-client-*.gem
  env:
    GEM_HOST_API_KEY: ⟦S:rubygems⟧
- name: Push nupkg
  run: dotnet nuget push bin/Release/*.nupkg --api-key ⟦S:nuget⟧ --source https://api.nuget.org/v3/index.json
```
The gem push works, NuGet says 403.
""",
    ),
    (
        "sec-docker-67",
        "secret/registries",
        r"""
docker login in CI:

```
echo "⟦S:docker_pat⟧" | docker login -u acmebuild --password-stdin
docker pull acme/api@⟦B:docker_digest⟧
```
Pull works locally but in CI I get "unauthorized: incorrect username or password".
""",
    ),
    (
        "sec-cargo-68",
        "secret/registries",
        r"""
`cargo publish` fails with "the remote server responded with an error: this token lacks the required scopes". ~/.cargo/credentials.toml:

```toml
[registry]
token = "⟦S:crates_token⟧"
```
""",
    ),
    (
        "sec-dockerconfig-69",
        "secret/registries",
        r"""
The kubelet can't pull from our private registry. The imagePullSecret was created from this config.json:

```json
{
  "auths": {
    "registry.acme.dev": {
      "auth": "⟦S:basic_auth⟧"
    }
  }
}
```
""",
    ),
    # ------------------------------------------------------------------------------------------ infra
    (
        "sec-do-70",
        "secret/infra",
        r"""
doctl works on my laptop, but terraform's digitalocean provider says 401:

```hcl
provider "digitalocean" {
  token = "⟦S:digitalocean⟧"
}

resource "digitalocean_droplet" "web" {
  image  = "ubuntu-22-04-x64"
  name   = "web-1"
  region = "fra1"
  size   = "s-1vcpu-1gb"
}
```
""",
    ),
    (
        "sec-databricks-71",
        "secret/infra",
        r"""
databricks-connect throws "Invalid access token":

```
[DEFAULT]
host = https://adb-⟦N:num12#ws⟧.7.azuredatabricks.net
token = ⟦S:databricks⟧
cluster_id = 0412-⟦N:num12#cl⟧-abc123
```
""",
    ),
    (
        "sec-vault-72",
        "secret/infra",
        r"""
Vault agent renders the template but the app reads an empty file. Here is what I tried manually:

```
$ export VAULT_ADDR=⟦B=https://vault.acme.internal:8200|hostname⟧
$ export VAULT_TOKEN=⟦S:vault_token⟧
$ vault kv get -mount=secret payments/db
```
Old clusters still use tokens like `⟦S:vault_legacy⟧`, does the agent care?
""",
    ),
    (
        "sec-heroku-73",
        "secret/infra",
        r"""
Heroku Platform API call from a script:

```python
headers = {
    "Accept": "application/vnd.heroku+json; version=3",
    "Authorization": "Bearer ⟦S:heroku_key⟧",
}
requests.patch("https://api.heroku.com/apps/acme-api/formation/web", json={"quantity": 3}, headers=headers)
```
My old netrc had `HEROKU_API_KEY=⟦S:heroku_uuid⟧` — is that format still accepted?
""",
    ),
    (
        "sec-shopify-74",
        "secret/infra",
        r"""
Shopify Admin GraphQL returns "[API] Invalid API key or access token":

```js
const client = new shopify.clients.Graphql({
  session: { shop: "acme-store.myshopify.com", accessToken: "⟦S:shopify_token⟧" },
});
// app shared secret for webhook HMAC:
const SHOPIFY_API_SECRET = "⟦S:shopify_secret⟧";
```
""",
    ),
    (
        "sec-datadog-75",
        "secret/infra",
        r"""
Datadog agent in docker-compose doesn't report metrics:

```yaml
services:
  datadog:
    image: gcr.io/datadoghq/agent:7
    environment:
      - DD_API_KEY=⟦S:datadog_api⟧
      - DD_APP_KEY=⟦S:datadog_app⟧
      - DD_SITE=datadoghq.eu
      - DD_APM_ENABLED=true
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
```
""",
    ),
    (
        "sec-newrelic-sentry-76",
        "secret/infra",
        r"""
Observability config for the Node service:

```js
// newrelic.js
exports.config = {
  app_name: ["checkout-api"],
  license_key: "⟦S:newrelic_license⟧",
  logging: { level: "info" },
};
// scripts/release.sh uses NEW_RELIC_API_KEY=⟦S:newrelic_user⟧ for deployment markers
// and SENTRY_AUTH_TOKEN=⟦S:sentry_token⟧ to upload source maps
```
""",
    ),
    (
        "sec-grafana-77",
        "secret/infra",
        r"""
Provisioning Grafana dashboards via API fails with 401:

```bash
curl -X POST https://grafana.acme.dev/api/dashboards/db \
  -H "Authorization: Bearer ⟦S:grafana_sa⟧" \
  -H "Content-Type: application/json" \
  -d @dashboard.json
```
""",
    ),
    (
        "sec-terraform-cloud-78",
        "secret/infra",
        r"""
terraform login wrote this file, but runs still say "required token could not be found":

```json
{
  "credentials": {
    "app.terraform.io": {
      "token": "⟦S:terraform_token⟧"
    }
  }
}
```
""",
    ),
    (
        "sec-pulumi-doppler-79",
        "secret/infra",
        r"""
CI env for our Pulumi stack, secrets pulled from Doppler:

```
PULUMI_ACCESS_TOKEN=⟦S:pulumi_token⟧
DOPPLER_TOKEN=⟦S:doppler_token⟧
PULUMI_CONFIG_PASSPHRASE=⟦S:password⟧
```
`pulumi up` says "passphrase must be set". It is set!
""",
    ),
    (
        "sec-supabase-80",
        "secret/infra",
        r"""
Supabase edge function can bypass RLS with the service role key, but I'm not sure I'm doing it right:

```ts
const supabase = createClient(
  "https://qzxkvbnwprtlhjds.supabase.co",
  "⟦S:jwt⟧",
);
```
And for the CLI in CI: `SUPABASE_ACCESS_TOKEN=⟦S:supabase_token⟧ supabase db push`.
""",
    ),
    (
        "sec-vercel-netlify-81",
        "secret/infra",
        r"""
Migrating from Netlify to Vercel; the deploy script has both:

```bash
netlify deploy --prod --auth ⟦S:netlify_token⟧ --site ⟦B:uuid⟧
vercel deploy --prod --token ⟦S:vercel_token⟧
```
""",
    ),
    (
        "sec-ngrok-tailscale-82",
        "secret/infra",
        r"""
Dev box bootstrap script, the tunnel comes up but tailscale doesn't join:

```bash
ngrok config add-authtoken ⟦S:ngrok_token⟧
tailscale up --authkey=⟦S:tailscale_key⟧ --hostname=devbox-⟦B:short_sha⟧
```
""",
    ),
    (
        "sec-saas-83",
        "secret/infra",
        r"""
Internal tool that syncs Linear issues to Notion and Airtable. Config:

```python
LINEAR_API_KEY = "⟦S:linear_key⟧"
NOTION_TOKEN = "⟦S:notion_token⟧"
AIRTABLE_PAT = "⟦S:airtable_pat⟧"
FIGMA_TOKEN = "⟦S:figma_token⟧"
```
The Notion call returns object_not_found for a page I can see. Why?
""",
    ),
    (
        "sec-postman-okta-84",
        "secret/infra",
        r"""
Postman CLI in CI plus an Okta call in the pre-request script:

```
postman login --with-api-key ⟦S:postman_key⟧
postman collection run 12345-⟦B:uuid⟧
```
pre-request: `pm.request.headers.add({key: "Authorization", value: "SSWS ⟦S:okta_token⟧"});`
""",
    ),
    (
        "sec-cloudinary-85",
        "secret/infra",
        r"""
Image uploads fail with "Invalid Signature". .env:

```
CLOUDINARY_URL=cloudinary://⟦N:num12#ck⟧:⟦S:cloudinary_secret⟧@acme-media
```
""",
    ),
    (
        "sec-confluent-mapbox-86",
        "secret/infra",
        r"""
Kafka client config for Confluent Cloud:

```properties
bootstrap.servers=pkc-⟦N:s_lower5⟧.us-east-1.aws.confluent.cloud:9092
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="⟦N:s_upper16⟧" password="⟦S:confluent_secret⟧";
```
Unrelated: our map tiles use the secret Mapbox token ⟦S:mapbox_secret⟧ on the server side.
""",
    ),
    (
        "sec-hubspot-ld-87",
        "secret/infra",
        r"""
Feature flags + CRM sync in one worker:

```go
ldClient, _ := ld.MakeClient("⟦S:launchdarkly⟧", 5*time.Second)
hs := hubspot.NewClient(hubspot.SetPrivateAppToken("⟦S:hubspot_token⟧"))
```
ldClient initialises fine, HubSpot returns 401.
""",
    ),
    (
        "sec-age-1password-88",
        "secret/infra",
        r"""
sops with age works on my machine; in CI I get "no identity matched any of the recipients". I put the key in a file:

```
# created: 2024-03-02T11:20:33+01:00
# public key: age1⟦N:s_lower58⟧
⟦S:age_key⟧
```
and the 1Password service account for fetching it: `OP_SERVICE_ACCOUNT_TOKEN=⟦S:onepassword_sa⟧`
""",
    ),
    # ------------------------------------------------------------------------------------------ structural
    (
        "sec-pem-rsa-89",
        "secret/structural",
        r"""
paramiko says "not a valid RSA private key file". This is the key I'm loading (from our deploy user):

```
⟦S:pem_rsa⟧
```
and the code: `key = paramiko.RSAKey.from_private_key_file("deploy_rsa")`.
""",
    ),
    (
        "sec-pem-openssh-90",
        "secret/structural",
        r"""
ssh -i id_ed25519 fails with "invalid format". cat of the file:

⟦S:pem_openssh⟧

I created it on Windows with PuTTYgen and exported as OpenSSH.
""",
    ),
    (
        "sec-pem-ec-91",
        "secret/structural",
        r"""
Node `crypto.createSign` with our EC key throws "error:1E08010C:DECODER routines::unsupported":

```js
const privateKey = `⟦S:pem_ec⟧`;
const sign = crypto.createSign("SHA256");
sign.update(payload);
const signature = sign.sign(privateKey, "base64");
```
""",
    ),
    (
        "sec-k8s-tls-92",
        "secret/structural",
        r"""
Ingress serves the default fake certificate instead of ours. The secret:

```yaml
apiVersion: v1
kind: Secret
metadata:
  name: api-tls
  namespace: prod
type: kubernetes.io/tls
stringData:
  tls.key: |
    ⟦S:pem_pkcs8⟧
```
(I trimmed tls.crt.)
""",
    ),
    (
        "sec-jwt-debug-93",
        "secret/structural",
        r"""
Can you decode this JWT and tell me why the API says it's expired? It came from our auth service:

⟦S:jwt⟧

The server clock is UTC, the token was issued a minute ago.
""",
    ),
    (
        "sec-jwt-header-94",
        "secret/structural",
        r"""
The gateway logs show the request reached the upstream but got 401:

```
2024-06-11 08:42:17,913 INFO  [gateway] GET /v2/orders?status=open 401 12ms
  headers: {'Host': 'orders.svc.cluster.local', 'Authorization': 'Bearer ⟦S:jwt⟧', 'X-Request-Id': '⟦B:uuid⟧'}
```
""",
    ),
    (
        "sec-postgres-url-95",
        "secret/structural",
        r"""
SQLAlchemy can't connect, "password authentication failed for user app":

```python
engine = create_engine("postgresql+psycopg2://app:⟦S:db_password⟧@db-prod.acme.internal:5432/orders",
                       pool_size=10, pool_pre_ping=True)
```
psql with the same password works.
""",
    ),
    (
        "sec-mongo-url-96",
        "secret/structural",
        r"""
Mongoose connection times out on Atlas:

```js
await mongoose.connect(
  "mongodb+srv://analytics:⟦S:db_password⟧@cluster0.ab1cd.mongodb.net/events?retryWrites=true&w=majority"
);
```
""",
    ),
    (
        "sec-redis-amqp-97",
        "secret/structural",
        r"""
Celery worker config, the broker connects but the result backend doesn't:

```python
CELERY_BROKER_URL = "amqp://celery:⟦S:db_password⟧@rabbitmq.prod.svc:5672/tasks"
CELERY_RESULT_BACKEND = "rediss://:⟦S:password⟧@redis-master.prod.svc:6380/1?ssl_cert_reqs=required"
```
""",
    ),
    (
        "sec-jdbc-98",
        "secret/structural",
        r"""
Spring datasource in application.properties, HikariCP keeps timing out:

```properties
spring.datasource.url=jdbc:mysql://mysql-primary.acme.internal:3306/inventory?useSSL=true&user=inventory_svc&password=⟦S:db_password⟧
spring.datasource.hikari.maximum-pool-size=20
spring.jpa.hibernate.ddl-auto=validate
server.port=8081
```
""",
    ),
    (
        "sec-compose-db-99",
        "secret/structural",
        r"""
docker-compose for local dev, but Postgres says role "postgres" does not exist:

```yaml
services:
  db:
    image: postgres:16.2
    environment:
      POSTGRES_USER: acme
      POSTGRES_PASSWORD: ⟦S:password⟧
      POSTGRES_DB: acme_dev
    ports:
      - "5432:5432"
  pgadmin:
    image: dpage/pgadmin4:8.4
    environment:
      PGADMIN_DEFAULT_EMAIL: admin@acme.dev
      PGADMIN_DEFAULT_PASSWORD: ⟦S:password⟧
```
""",
    ),
    (
        "sec-k8s-secret-100",
        "secret/structural",
        r"""
Pod crashloops with "FATAL: password authentication failed". The secret is base64 as required:

```yaml
apiVersion: v1
kind: Secret
metadata:
  name: orders-db
type: Opaque
data:
  username: b3JkZXJz
  password: ⟦S:k8s_b64_password⟧
```
""",
    ),
    (
        "sec-django-101",
        "secret/structural",
        r"""
Django deploy checklist complains about SECRET_KEY. settings/prod.py:

```python
DEBUG = False
SECRET_KEY = "⟦S:django_secret⟧"
ALLOWED_HOSTS = ["api.acme.dev"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "acme",
        "USER": "acme",
        "PASSWORD": "⟦S:db_password⟧",
        "HOST": "⟦B:private_ip⟧",
        "PORT": "5432",
    }
}
```
""",
    ),
    (
        "sec-rails-flask-102",
        "secret/structural",
        r"""
We share session cookies between a Rails app and a Flask app (don't ask). Rails credentials:

```yaml
secret_key_base: ⟦S:rails_secret⟧
```
Flask: `app.config["SECRET_KEY"] = "⟦S:hex_secret⟧"`. How do I make Flask verify Rails' signed cookie?
""",
    ),
    (
        "sec-basic-auth-103",
        "secret/structural",
        r"""
nginx in front of Kibana with basic auth; the health check from the LB fails with 401:

```
curl -I -H "Authorization: Basic ⟦S:basic_auth⟧" https://kibana.acme.internal/api/status
```
""",
    ),
    (
        "sec-curl-user-104",
        "secret/structural",
        r"""
Jenkins API call to trigger a build:

```
curl -X POST -u deploy-bot:⟦S:password⟧ "https://jenkins.acme.dev/job/api-release/buildWithParameters?TAG=⟦B:semver⟧"
```
Returns 403 "No valid crumb was included in the request".
""",
    ),
    (
        "sec-jwt-secret-105",
        "secret/structural",
        r"""
Express app, JWTs signed by one pod aren't accepted by the other:

```js
const JWT_SECRET = "⟦S:b64_secret⟧";
app.use(expressjwt({ secret: JWT_SECRET, algorithms: ["HS256"] }));
```
Both pods read the same ConfigMap, I think.
""",
    ),
    (
        "sec-internal-key-106",
        "secret/structural",
        r"""
Our internal service-to-service auth uses a static API key in the header. Can you add retries to this client?

```go
const apiKey = "⟦S:api_key32⟧"

func (c *Client) Do(req *http.Request) (*http.Response, error) {
    req.Header.Set("X-Api-Key", apiKey)
    req.Header.Set("X-Request-Id", uuid.NewString())
    return c.http.Do(req)
}
```
""",
    ),
    (
        "sec-stacktrace-107",
        "secret/structural",
        r"""
Got this stack trace in prod, what's wrong?

```
Traceback (most recent call last):
  File "/app/worker/sync.py", line 88, in run
    resp = session.get(url, params={"api_key": "⟦S:sendgrid#a⟧"}, timeout=5)
  File "/usr/local/lib/python3.11/site-packages/requests/sessions.py", line 602, in get
    return self.request("GET", url, **kwargs)
requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.sendgrid.com', port=443): Max retries exceeded with url: /v3/suppression/bounces?api_key=⟦S:sendgrid#a⟧ (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at ⟦B=0x7f3b2c1d9e50|hex_addr⟧>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution'))
```
""",
    ),
    (
        "sec-stacktrace-java-108",
        "secret/structural",
        r"""
Spring Boot fails at startup:

```
2024-09-03T14:22:08.117Z ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed
org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSource':
  Failed to initialize pool: Access denied for user 'billing'@'10.2.3.4' (using password: YES)
  url=jdbc:postgresql://pg.acme.internal:5432/billing?user=billing&password=⟦S:db_password⟧
	at org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1786)
	at com.acme.billing.BillingApplication.main(BillingApplication.java:12)
```
""",
    ),
    (
        "sec-netrc-109",
        "secret/structural",
        r"""
Go modules from our private GitHub org: `go mod download` fails with 410 Gone. ~/.netrc:

```
machine github.com
login build-bot
password ⟦S:github_pat⟧
```
and GOPRIVATE=github.com/acme-corp/*.
""",
    ),
    (
        "sec-env-mixed-110",
        "secret/structural",
        r"""
Can you turn this .env into a typed pydantic Settings class with sensible validation?

```
APP_ENV=production
APP_PORT=8080
DATABASE_URL=postgresql://svc_user:⟦S:db_password⟧@pg-main.internal:5432/app
REDIS_URL=⟦B=redis://localhost:6379/0|localhost⟧
SESSION_SECRET=⟦S:hex_secret⟧
OPENAI_API_KEY=⟦S:openai_project⟧
SLACK_BOT_TOKEN=⟦S:slack_bot⟧
FEATURE_NEW_CHECKOUT=true
MAX_UPLOAD_MB=25
```
""",
    ),
    (
        "sec-helm-values-111",
        "secret/structural",
        r"""
Helm values for our staging release; the chart templates these into a Secret. Is there a way to pull them from Vault instead?

```yaml
replicaCount: 2
image:
  repository: ghcr.io/acme-corp/api
  tag: "⟦B:semver⟧"
env:
  STRIPE_SECRET_KEY: "⟦S:stripe_live_short⟧"
  DATADOG_API_KEY: "⟦S:datadog_api⟧"
  DB_PASSWORD: "⟦S:password⟧"
resources:
  limits: { cpu: 500m, memory: 512Mi }
```
""",
    ),
    (
        "sec-ansible-112",
        "secret/structural",
        r"""
Ansible play to create a MySQL user; it isn't idempotent, fix please:

```yaml
- name: Create app user
  community.mysql.mysql_user:
    name: reporting
    password: "⟦S:password⟧"
    priv: "reports.*:SELECT"
    host: "%"
    login_user: root
    login_password: "⟦S:db_password⟧"
```
""",
    ),
]
