# ruff: noqa: E501  (prompt text is data: pasted lines keep their real length)
"""Prompts with no secret and no personal data, full of strings that look like them (markers: make_corpus.py).

Everything labelled here must reach the model unchanged: redacting a digest, a UUID or an env-var lookup
breaks the developer's question.
"""

TEMPLATES = [
    (
        "ben-lockfile-01",
        "benign/hashes",
        r"""
npm ci fails with EINTEGRITY on this entry of package-lock.json. Is the hash wrong or is the cache corrupt?

```json
"node_modules/lodash": {
  "version": "4.17.21",
  "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
  "integrity": "⟦B:sri512⟧"
},
"node_modules/ms": {
  "version": "2.1.3",
  "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",
  "integrity": "⟦B:sri512⟧"
}
```
""",
    ),
    (
        "ben-pip-hashes-02",
        "benign/hashes",
        r"""
pip install --require-hashes fails with "THESE PACKAGES DO NOT MATCH THE HASHES". requirements.lock:

```
requests==2.32.3 \
    --hash=sha256:⟦B:sha256⟧ \
    --hash=sha256:⟦B:sha256⟧
urllib3==2.2.2 \
    --hash=sha256:⟦B:sha256⟧
```
""",
    ),
    (
        "ben-gosum-03",
        "benign/hashes",
        r"""
`go mod verify` reports a mismatch. go.sum lines:

```
github.com/google/uuid v1.6.0 ⟦B:gosum⟧
github.com/google/uuid v1.6.0/go.mod ⟦B:gosum⟧
golang.org/x/sync v0.7.0 ⟦B:gosum⟧
```
""",
    ),
    (
        "ben-git-04",
        "benign/hashes",
        r"""
I did an interactive rebase and lost a commit. `git reflog` output:

```
⟦B:short_sha⟧ HEAD@{0}: rebase (finish): returning to refs/heads/feature/search
⟦B:short_sha⟧ HEAD@{1}: rebase (pick): Add fuzzy matching
⟦B:short_sha⟧ HEAD@{2}: rebase (start): checkout main
```
The lost one was ⟦B:git_sha⟧. How do I get it back?
""",
    ),
    (
        "ben-docker-digest-05",
        "benign/hashes",
        r"""
Should I pin images by digest in our Kubernetes manifests? Current deployment:

```yaml
containers:
  - name: api
    image: ghcr.io/acme-corp/api@⟦B:docker_digest⟧
  - name: envoy
    image: envoyproxy/envoy:v1.30.1@⟦B:docker_digest⟧
```
""",
    ),
    (
        "ben-sri-06",
        "benign/hashes",
        r"""
Is this the right way to load Bootstrap from a CDN with SRI?

```html
<link href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css" rel="stylesheet"
      integrity="⟦B:sri384⟧" crossorigin="anonymous">
<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js"
        integrity="⟦B:sri384⟧" crossorigin="anonymous"></script>
```
""",
    ),
    (
        "ben-checksum-07",
        "benign/hashes",
        r"""
The download step verifies a checksum; it fails on ARM runners. What's wrong?

```bash
curl -fsSLO https://github.com/mikefarah/yq/releases/download/v4.44.1/yq_linux_arm64
echo "⟦B:sha256⟧  yq_linux_arm64" | sha256sum -c -
```
Expected sha512 from the release page: ⟦B:sha512⟧
""",
    ),
    (
        "ben-hash-test-08",
        "benign/hashes",
        r"""
My test for the hashing helper fails only on Windows:

```python
def test_file_digest(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("hello\n")
    assert file_digest(p, "md5") == "⟦B:md5⟧"
    assert file_digest(p, "sha1") == "⟦B:sha1⟧"
    assert file_digest(p, "sha256") == "⟦B:sha256⟧"
```
""",
    ),
    (
        "ben-uuid-09",
        "benign/ids",
        r"""
Postgres: should I use uuid v4 or v7 for primary keys? Current rows look like:

```
                  id                  |        tenant_id                     |  created_at
--------------------------------------+--------------------------------------+---------------------
 ⟦B:uuid⟧ | ⟦B:uuid⟧ | 2024-05-01 10:22:31
 ⟦B:uuid⟧ | ⟦B:uuid⟧ | 2024-05-01 10:22:35
```
""",
    ),
    (
        "ben-trace-10",
        "benign/ids",
        r"""
OpenTelemetry spans don't link across services. Exported span:

```json
{"traceId": "⟦B:trace_id⟧", "spanId": "⟦B:s_hex16⟧", "parentSpanId": "⟦B:s_hex16⟧",
 "name": "GET /orders", "startTimeUnixNano": "⟦B:epoch_ns⟧", "kind": 2}
```
""",
    ),
    (
        "ben-base64-11",
        "benign/encoding",
        r"""
Decoding this base64 gives garbage in Node but works in Python:

```js
const raw = "⟦B:b64_fixture⟧";
console.log(Buffer.from(raw, "base64").toString("utf8"));
```
Python: `base64.b64decode("⟦B:b64_fixture⟧")` works fine.
""",
    ),
    (
        "ben-base64-test-12",
        "benign/encoding",
        r"""
Unit test for our image upload handler:

```python
PNG_1PX = "⟦B=iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==|base64_png⟧"

def test_upload_png(client):
    r = client.post("/upload", json={"filename": "a.png", "data": PNG_1PX})
    assert r.status_code == 201
```
It returns 415. The handler checks the magic bytes.
""",
    ),
    (
        "ben-colours-13",
        "benign/css",
        r"""
Make this Tailwind config dark-mode friendly:

```js
module.exports = {
  theme: {
    extend: {
      colors: {
        brand: { 50: "⟦B:hex_colour⟧", 500: "⟦B:hex_colour⟧", 900: "⟦B:hex_colour⟧" },
        danger: "⟦B:hex_colour⟧",
      },
    },
  },
};
```
""",
    ),
    (
        "ben-versions-14",
        "benign/versions",
        r"""
Dependency conflict, which pin should I relax?

```
fastapi==⟦B=0.111.0|version⟧
pydantic==⟦B=2.7.4|version⟧
starlette==⟦B=0.37.2|version⟧
uvicorn[standard]==⟦B=0.30.1|version⟧
sqlalchemy>=2.0.30,<2.1
```
ERROR: fastapi 0.111.0 depends on starlette<0.38.0 and >=0.37.2
""",
    ),
    (
        "ben-versions-js-15",
        "benign/versions",
        r"""
Upgrade plan for our package.json, which of these have breaking changes?

```json
"dependencies": {
  "react": "^18.3.1",
  "next": "14.2.4",
  "zod": "~3.23.8",
  "@tanstack/react-query": "5.45.1"
}
```
""",
    ),
    (
        "ben-env-lookup-16",
        "benign/env",
        r"""
Refactor these env lookups into one settings object:

```python
import os

OPENAI_API_KEY = ⟦B=os.environ["OPENAI_API_KEY"]|env_lookup⟧
STRIPE_KEY = ⟦B=os.getenv("STRIPE_SECRET_KEY")|env_lookup⟧
DB_PASSWORD = ⟦B=os.environ.get("DB_PASSWORD", "")|env_lookup⟧
AWS_SECRET = ⟦B=os.environ["AWS_SECRET_ACCESS_KEY"]|env_lookup⟧
```
""",
    ),
    (
        "ben-env-js-17",
        "benign/env",
        r"""
In Next.js, why is this undefined on the client?

```ts
const githubToken = ⟦B=process.env.GITHUB_TOKEN|env_lookup⟧;
const anthropicKey = ⟦B=process.env.ANTHROPIC_API_KEY!|env_lookup⟧;
const publicUrl = process.env.NEXT_PUBLIC_SITE_URL ?? "http://localhost:3000";
```
""",
    ),
    (
        "ben-env-go-18",
        "benign/env",
        r"""
Go: is there a difference between these two?

```go
token := ⟦B=os.Getenv("SLACK_BOT_TOKEN")|env_lookup⟧
secret, ok := ⟦B=os.LookupEnv("JWT_SIGNING_SECRET")|env_lookup⟧
```
""",
    ),
    (
        "ben-placeholders-19",
        "benign/placeholder",
        r"""
Write a README section explaining setup. Users should copy .env.example to .env and fill in:

```
OPENAI_API_KEY=⟦B=your-api-key-here|placeholder⟧
STRIPE_SECRET_KEY=⟦B=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx|placeholder⟧
DATABASE_URL=⟦B=postgresql://user:password@localhost:5432/mydb|placeholder⟧
SLACK_WEBHOOK_URL=⟦B=<your-slack-webhook-url>|placeholder⟧
GITHUB_TOKEN=⟦B=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX|placeholder⟧
```
""",
    ),
    (
        "ben-placeholders-20",
        "benign/placeholder",
        r"""
Document this curl example for our public API docs:

```
curl https://api.acme.dev/v1/widgets \
  -H "Authorization: Bearer ⟦B=<token>|placeholder⟧" \
  -H "X-Api-Key: ⟦B=${ACME_API_KEY}|placeholder⟧"
```
Mention that `<token>` comes from the OAuth flow.
""",
    ),
    (
        "ben-templated-21",
        "benign/placeholder",
        r"""
GitHub Actions: is it safe to echo these?

```yaml
env:
  NPM_TOKEN: ⟦B=${{ secrets.NPM_TOKEN }}|placeholder⟧
  AWS_SECRET_ACCESS_KEY: ⟦B=${{ secrets.AWS_SECRET_ACCESS_KEY }}|placeholder⟧
steps:
  - run: echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc
```
""",
    ),
    (
        "ben-templated-22",
        "benign/placeholder",
        r"""
Helm template renders an empty password; what's wrong?

```yaml
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "app.fullname" . }}-db
stringData:
  password: ⟦B={{ .Values.db.password | quote }}|placeholder⟧
  url: ⟦B=postgres://{{ .Values.db.user }}:{{ .Values.db.password }}@{{ .Values.db.host }}:5432/app|placeholder⟧
```
""",
    ),
    (
        "ben-aws-doc-23",
        "benign/placeholder",
        r"""
The AWS docs use these example credentials — can I use them with LocalStack?

```
aws configure set aws_access_key_id ⟦B=AKIAIOSFODNN7EXAMPLE|doc_example⟧
aws configure set aws_secret_access_key ⟦B=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY|doc_example⟧
aws --endpoint-url=⟦B=http://localhost:4566|localhost⟧ s3 ls
```
""",
    ),
    (
        "ben-local-ips-24",
        "benign/network",
        r"""
Docker container can't reach the host's Postgres. Setup:

- Postgres listens on ⟦B=0.0.0.0:5432|local_addr⟧
- container IP ⟦B:private_ip⟧, host bridge ⟦B=172.17.0.1|private_ip⟧
- from the container `psql -h ⟦B=host.docker.internal|hostname⟧` times out, `curl ⟦B=http://127.0.0.1:8080/health|localhost⟧` works
- pg_hba.conf has `host all all ⟦B=192.168.0.0/16|cidr⟧ md5`
""",
    ),
    (
        "ben-k8s-net-25",
        "benign/network",
        r"""
NetworkPolicy blocks DNS. Our cluster CIDRs: pods ⟦B=10.244.0.0/16|cidr⟧, services ⟦B=10.96.0.0/12|cidr⟧,
CoreDNS at ⟦B=10.96.0.10|private_ip⟧:53. Write a policy that allows egress to DNS only.
""",
    ),
    (
        "ben-regex-26",
        "benign/regex",
        r"""
Review these secret-scanning regexes for our pre-commit hook:

```python
PATTERNS = {
    "aws": re.compile(r"⟦B=AKIA[0-9A-Z]{16}|regex⟧"),
    "github": re.compile(r"⟦B=ghp_[A-Za-z0-9]{36}|regex⟧"),
    "slack": re.compile(r"⟦B=xox[baprs]-[0-9A-Za-z-]{10,48}|regex⟧"),
    "ssn": re.compile(r"⟦B=\b\d{3}-\d{2}-\d{4}\b|regex⟧"),
}
```
""",
    ),
    (
        "ben-sql-27",
        "benign/sql",
        r"""
Is this vulnerable to SQL injection?

```python
cur.execute(⟦B="SELECT id, email FROM users WHERE email = %s AND tenant_id = %s"|sql⟧, (email, tenant))
db.execute(⟦B="UPDATE accounts SET password_hash = ? WHERE id = ?"|sql⟧, (pw_hash, user_id))
```
""",
    ),
    (
        "ben-example-domains-28",
        "benign/domains",
        r"""
Write an httpx client with retries for our partner API. Base URL in dev is ⟦B=https://api.example.com/v2|example_url⟧,
staging is ⟦B=https://staging.example.org|example_url⟧ and the OAuth issuer is ⟦B=https://auth.example.net/oauth2/token|example_url⟧.
""",
    ),
    (
        "ben-timestamps-29",
        "benign/time",
        r"""
Parse these log timestamps into UTC datetimes; some have offsets, some are epoch millis:

```
⟦B:iso_ts⟧ job started
⟦B=2024-03-14T09:26:53.123+05:30|timestamp⟧ job running
⟦B:epoch_ms⟧ job finished
```
""",
    ),
    (
        "ben-ports-30",
        "benign/network",
        r"""
Which of these ports should be exposed publicly? docker-compose:

```yaml
ports:
  - "⟦B=8080:80|ports⟧"
  - "⟦B=127.0.0.1:5432:5432|ports⟧"
  - "⟦B=9090:9090|ports⟧"
  - "⟦B=6379:6379|ports⟧"
```
""",
    ),
    (
        "ben-classnames-31",
        "benign/code",
        r"""
Design review: is this class hierarchy OK for our EHR integration?

```python
class ⟦B=PatientRecord|class_name⟧(BaseModel):
    mrn: str
    date_of_birth: date

class ⟦B=CreditCardValidator|class_name⟧:
    def validate(self, pan: str) -> bool: ...

class ⟦B=SsnMaskingFilter|class_name⟧(logging.Filter):
    ...
```
""",
    ),
    (
        "ben-code-names-32",
        "benign/code",
        r"""
Explain the difference between these Jest matchers and when Jenkins would show them as failures:
`toEqual`, `toStrictEqual`, `toMatchObject`. We run tests with ⟦B=jest --ci --reporters=default --reporters=jest-junit|command⟧.
""",
    ),
    (
        "ben-python-33",
        "benign/code",
        r"""
Speed up this function, it's called 10M times:

```python
def token_bucket(rate: float, capacity: int):
    tokens = capacity
    last = time.monotonic()
    def take(n: int = 1) -> bool:
        nonlocal tokens, last
        now = time.monotonic()
        tokens = min(capacity, tokens + (now - last) * rate)
        last = now
        if tokens >= n:
            tokens -= n
            return True
        return False
    return take
```
The variable name ⟦B=api_key_hash|identifier⟧ in the caller is computed by ⟦B=hashlib.sha256(api_key.encode()).hexdigest()|code⟧.
""",
    ),
    (
        "ben-secretsmanager-34",
        "benign/env",
        r"""
Is this the right way to fetch secrets at runtime instead of hardcoding?

```python
client = boto3.client("secretsmanager", region_name="us-east-1")
secret = json.loads(client.get_secret_value(SecretId=⟦B="prod/payments/stripe"|secret_ref⟧)["SecretString"])
stripe.api_key = ⟦B=secret["STRIPE_SECRET_KEY"]|secret_ref⟧
```
""",
    ),
    (
        "ben-vault-ref-35",
        "benign/env",
        r"""
Our k8s manifests reference secrets like this. Is the ExternalSecret syntax right?

```yaml
env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: ⟦B=orders-db-credentials|k8s_name⟧
        key: password
  - name: OPENAI_API_KEY
    valueFrom:
      secretKeyRef: { name: llm-keys, key: openai }
```
""",
    ),
    (
        "ben-fake-cards-36",
        "benign/code",
        r"""
Write a property-based test with hypothesis for our Luhn function. It should reject ⟦B=1234 5678 9012 3456|not_luhn⟧
and accept numbers generated by a Luhn-completing strategy.
""",
    ),
    (
        "ben-lorem-37",
        "benign/text",
        r"""
Generate 3 product descriptions for a test catalog, in the style of: "⟦B=Lorem ipsum dolor sit amet, consectetur adipiscing elit|lorem⟧".
Each description should mention a ⟦B:hex_colour⟧ colour code and the SKU ⟦B=SKU-88412-BLK|sku⟧.
""",
    ),
    (
        "ben-migration-38",
        "benign/code",
        r"""
Alembic migration is out of order:

```python
revision = "⟦B:s_hex12⟧"
down_revision = "⟦B:s_hex12⟧"
branch_labels = None

def upgrade() -> None:
    op.add_column("patients", sa.Column("mrn", sa.String(length=20), nullable=True))
```
""",
    ),
    (
        "ben-js-hash-39",
        "benign/code",
        r"""
Why does this webhook signature check fail? Signature header from the request was
`sha256=⟦B:sha256⟧`:

```js
const expected = crypto.createHmac("sha256", process.env.WEBHOOK_SECRET).update(rawBody).digest("hex");
if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(sig.slice(7)))) throw new Error("bad sig");
```
""",
    ),
    (
        "ben-etag-40",
        "benign/ids",
        r"""
S3 multipart upload: the ETag doesn't match the md5 of the file. Response header:
`ETag: "⟦B:etag⟧-12"`. File md5: ⟦B:md5⟧. Why the -12 suffix?
""",
    ),
    (
        "ben-stripe-ids-41",
        "benign/ids",
        r"""
Stripe support asked for the request IDs of the failed calls: ⟦B:request_id⟧ and ⟦B:request_id⟧.
How do I log them automatically with the Python SDK?
""",
    ),
    (
        "ben-cargo-lock-42",
        "benign/hashes",
        r"""
Cargo.lock conflict after a merge. Which one do I keep?

```toml
[[package]]
name = "serde"
version = "1.0.203"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "⟦B:sha256⟧"
```
""",
    ),
    (
        "ben-yarn-43",
        "benign/hashes",
        r"""
yarn.lock entry after upgrading; does the `#` hash in `resolved` matter?

```
ansi-regex@^5.0.1:
  version "5.0.1"
  resolved "https://registry.yarnpkg.com/ansi-regex/-/ansi-regex-5.0.1.tgz#⟦B:sha1⟧"
  integrity ⟦B:sri512⟧
```
""",
    ),
    (
        "ben-terraform-44",
        "benign/iac",
        r"""
Terraform: how do I make this ID an input variable?

```hcl
resource "aws_instance" "web" {
  ami           = "⟦B=ami-0c55b159cbfafe1f0|aws_id⟧"
  instance_type = "t3.micro"
  subnet_id     = "⟦B=subnet-0bb1c79de3EXAMPLE|aws_id⟧"
  tags = { Name = "web-${var.env}" }
}
```
""",
    ),
    (
        "ben-huggingface-45",
        "benign/ml",
        r"""
Loading a model pinned by revision; is the revision a commit hash or a tag?

```python
model = AutoModel.from_pretrained("sentence-transformers/all-MiniLM-L6-v2", revision="⟦B:git_sha⟧")
tok = AutoTokenizer.from_pretrained("bert-base-uncased", token=⟦B=os.environ["HF_TOKEN"]|env_lookup⟧)
```
""",
    ),
    (
        "ben-kube-46",
        "benign/iac",
        r"""
kubectl shows the pod stuck in ContainerCreating:

```
NAME                        READY   STATUS              RESTARTS   AGE
api-7d9c6b8f5-x2kqp         0/1     ContainerCreating   0          4m
Events:
  Warning  FailedMount  2m  kubelet  MountVolume.SetUp failed for volume "tls" : secret "⟦B=api-tls|k8s_name⟧" not found
  Normal   Pulled       4m  kubelet  Container image "ghcr.io/acme/api@⟦B:docker_digest⟧" already present
```
""",
    ),
    (
        "ben-jwt-code-47",
        "benign/code",
        r"""
Review this JWT verification code (PyJWT):

```python
def verify(token: str) -> dict:
    return jwt.decode(
        token,
        key=⟦B=settings.JWT_PUBLIC_KEY|config_ref⟧,
        algorithms=["RS256"],
        audience="api.acme.dev",
        options={"require": ["exp", "iat", "sub"]},
    )
```
Header example: `Authorization: Bearer ⟦B=<jwt>|placeholder⟧`.
""",
    ),
    (
        "ben-pem-public-48",
        "benign/keys",
        r"""
Is it OK to commit this? It's the public half:

```
⟦B:pem_public⟧
```
and `ssh-ed25519 ⟦B:ssh_pub⟧ ci@build`.
""",
    ),
    (
        "ben-masked-49",
        "benign/placeholder",
        r"""
Our logs already mask tokens like this; does the masking look sufficient?

```
INFO using OpenAI key ⟦B=sk-proj-****************************a9Qf|masked⟧
INFO Stripe key ⟦B=sk_live_…4242|masked⟧ loaded
INFO DB url postgres://app:⟦B=********|masked⟧@db:5432/app
```
""",
    ),
    (
        "ben-makefile-50",
        "benign/code",
        r"""
Simplify this Makefile target:

```make
release:
	@test -n "$(VERSION)" || (echo "VERSION is required"; exit 1)
	git tag -s v$(VERSION) -m "Release v$(VERSION)"
	docker build --build-arg GIT_SHA=$(shell git rev-parse HEAD) -t ⟦B=ghcr.io/acme/api:$(VERSION)|image_ref⟧ .
	docker push ⟦B=ghcr.io/acme/api:$(VERSION)|image_ref⟧
```
""",
    ),
    (
        "ben-numbers-51",
        "benign/numbers",
        r"""
Our invoice numbers look like ⟦B:order_id⟧ and shipments like ⟦B=1Z999AA10123456784|tracking⟧. Write a regex that
validates invoice numbers but not shipment IDs. Build number ⟦B=20240611.3|build⟧ should not match either.
""",
    ),
    (
        "ben-phoneish-52",
        "benign/numbers",
        r"""
Why does `phonenumbers.parse` think these are phone numbers? They're our internal part numbers:
⟦B=PN-4471-0093|part_number⟧ and ⟦B=REV-2024-0611|part_number⟧. And the Windows build ⟦B=10.0.19045.4412|version⟧.
""",
    ),
    (
        "ben-names-53",
        "benign/names",
        r"""
Compare Flask, Django and FastAPI for a small internal tool. We already use Celery with Redis, Sentry
for errors, and ⟦B=Jenkins|tool_name⟧ for CI. Also should we use ⟦B=Pydantic|tool_name⟧ v2 or attrs?
""",
    ),
    (
        "ben-cron-54",
        "benign/code",
        r"""
Explain this cron expression and convert it to a systemd timer: `⟦B=*/15 9-17 * * 1-5|cron⟧`. The job runs
`/usr/local/bin/sync --since ⟦B=2024-01-01|date⟧ --batch-size 500`.
""",
    ),
    (
        "ben-openapi-55",
        "benign/code",
        r"""
Fix this OpenAPI snippet, the security scheme isn't applied:

```yaml
components:
  securitySchemes:
    ApiKeyAuth:
      type: apiKey
      in: header
      name: ⟦B=X-API-Key|header_name⟧
    BearerAuth:
      type: http
      scheme: bearer
      bearerFormat: JWT
paths:
  /v1/patients/{patientId}:
    get:
      parameters:
        - { name: patientId, in: path, required: true, schema: { type: string, format: uuid } }
```
""",
    ),
    (
        "ben-actions-pinned-56",
        "benign/ci",
        r"""
Our security team wants every action pinned by commit SHA. Is this right, and how do I keep them updated?

```yaml
steps:
  - uses: actions/checkout@⟦B:git_sha⟧ # v4.1.7
  - uses: actions/setup-python@⟦B:git_sha⟧ # v5.1.0
    with:
      python-version: "3.12"
  - uses: docker/login-action@⟦B:git_sha⟧ # v3.2.0
    with:
      username: ${{ github.actor }}
      password: ⟦B=${{ secrets.GITHUB_TOKEN }}|placeholder⟧
```
""",
    ),
    (
        "ben-dockerfile-57",
        "benign/ci",
        r"""
Make this Dockerfile smaller and reproducible:

```dockerfile
FROM python:3.12-slim@⟦B:docker_digest⟧ AS build
ARG POETRY_VERSION=⟦B=1.8.3|version⟧
ENV PIP_NO_CACHE_DIR=1 APP_ENV=${APP_ENV:-production}
RUN pip install "poetry==${POETRY_VERSION}"
COPY pyproject.toml poetry.lock ./
RUN poetry export --with-credentials -o requirements.txt && pip install -r requirements.txt
ENV DATABASE_URL=⟦B=${DATABASE_URL}|placeholder⟧
EXPOSE 8000
```
""",
    ),
    (
        "ben-env-example-58",
        "benign/placeholder",
        r"""
Generate a validation script that refuses to start if any of these are still placeholders:

```
# .env.example
SECRET_KEY=⟦B=changeme|placeholder⟧
POSTGRES_PASSWORD=⟦B=<set-me>|placeholder⟧
SENDGRID_API_KEY=⟦B=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx|placeholder⟧
AWS_SECRET_ACCESS_KEY=⟦B=****************************************|placeholder⟧
ANTHROPIC_API_KEY=⟦B=sk-ant-...|placeholder⟧
REDIS_URL=⟦B=redis://localhost:6379/0|localhost⟧
```
""",
    ),
    (
        "ben-poetry-lock-59",
        "benign/hashes",
        r"""
poetry.lock keeps changing its content-hash on every machine. Why?

```toml
[[package]]
name = "httpx"
version = "0.27.0"
files = [
    {file = "httpx-0.27.0-py3-none-any.whl", hash = "sha256:⟦B:sha256⟧"},
    {file = "httpx-0.27.0.tar.gz", hash = "sha256:⟦B:sha256⟧"},
]

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "⟦B:sha256⟧"
```
""",
    ),
    (
        "ben-configmap-60",
        "benign/iac",
        r"""
Split this ConfigMap into per-environment overlays with kustomize:

```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: search-config
  uid: ⟦B:uuid⟧
data:
  ELASTIC_URL: ⟦B=http://elasticsearch.search.svc.cluster.local:9200|hostname⟧
  CACHE_HOST: ⟦B:private_ip⟧
  INDEX_PREFIX: prod-v3
  TENANT_ID: ⟦B:uuid⟧
```
""",
    ),
    (
        "ben-app-log-61",
        "benign/logs",
        r"""
Group these log lines by trace and compute the p95 latency per route:

```
⟦B:iso_ts⟧ INFO trace=⟦B:trace_id⟧ route=/v1/search status=200 dur_ms=41 req=⟦B:request_id⟧
⟦B:iso_ts⟧ INFO trace=⟦B:trace_id⟧ route=/v1/search status=200 dur_ms=57 host=⟦B=127.0.0.1:8000|localhost⟧
⟦B:iso_ts⟧ WARN trace=⟦B:trace_id⟧ route=/v1/items/⟦B:uuid⟧ status=404 dur_ms=8
```
""",
    ),
    (
        "ben-hmac-vector-62",
        "benign/hashes",
        r"""
My HMAC implementation fails RFC 4231 test case 2. Key is "Jefe", data "what do ya want for nothing?".
Expected HMAC-SHA-256: ⟦B=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843|test_vector⟧, I get
⟦B:sha256⟧. Code:

```python
def hmac_sha256(key: bytes, msg: bytes) -> str:
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    o = bytes(b ^ 0x5C for b in key)
    i = bytes(b ^ 0x36 for b in key)
    return hashlib.sha256(o + hashlib.sha256(i + msg).digest()).hexdigest()
```
""",
    ),
    (
        "ben-svg-63",
        "benign/css",
        r"""
Convert this SVG icon to a React component with a `color` prop:

```svg
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="⟦B:hex_colour⟧">
  <path d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm1 15h-2v-6h2v6zm0-8h-2V7h2v2z"/>
  <circle cx="12" cy="12" r="3" stroke="⟦B:hex_colour⟧"/>
</svg>
```
""",
    ),
    (
        "ben-sql-constraints-64",
        "benign/sql",
        r"""
Add these constraints in a migration; is the CHECK regex right for Postgres?

```sql
ALTER TABLE patients
  ADD COLUMN id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ADD CONSTRAINT ssn_format CHECK (ssn ~ ⟦B='^\d{3}-\d{2}-\d{4}$'|regex⟧),
  ADD CONSTRAINT npi_format CHECK (npi ~ ⟦B='^[12]\d{9}$'|regex⟧);
SELECT * FROM patients WHERE mrn = $1 AND created_at > $2;
```
""",
    ),
    (
        "ben-java-trace-65",
        "benign/logs",
        r"""
What causes this NPE? No secrets in it, just the trace:

```
Exception in thread "pool-3-thread-7" java.lang.NullPointerException: Cannot invoke "com.acme.search.QueryPlan.cost()" because "plan" is null
	at com.acme.search.Planner.choose(Planner.java:214)
	at com.acme.search.SearchService.lambda$search$3(SearchService.java:88)
	at java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)
```
Heap dump id: ⟦B:uuid⟧, build ⟦B:git_sha⟧.
""",
    ),
    (
        "ben-go-panic-66",
        "benign/logs",
        r"""
Go panic in production, which goroutine is at fault?

```
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=⟦B=0x4a7c3e|hex_addr⟧]

goroutine 118 [running]:
main.(*Cache).Get(0x0, {⟦B=0xc0001a4120|hex_addr⟧, 0x24})
        /src/cache.go:42 +0x1e
main.handler({0x7f2c80, ⟦B=0xc000226000|hex_addr⟧}, ⟦B=0xc00021e100|hex_addr⟧)
        /src/main.go:77 +0x1a5
```
""",
    ),
    (
        "ben-aws-ids-67",
        "benign/iac",
        r"""
The security group rule isn't applied to the instance. Resources from `terraform state list`:

- vpc: ⟦B=vpc-0a1b2c3d4e5f67890|aws_id⟧
- subnet: ⟦B=subnet-0f9e8d7c6b5a43210|aws_id⟧
- sg: ⟦B=sg-0123abcd4567ef890|aws_id⟧
- instance: ⟦B=i-0d4c3b2a1f0e98765|aws_id⟧
- region us-east-1, AZ us-east-1b
""",
    ),
    (
        "ben-git-diff-68",
        "benign/hashes",
        r"""
Review this patch (from Gerrit):

```diff
diff --git a/src/retry.py b/src/retry.py
index ⟦B:short_sha⟧..⟦B:short_sha⟧ 100644
--- a/src/retry.py
+++ b/src/retry.py
@@ -12,7 +12,7 @@ def backoff(attempt: int) -> float:
-    return min(30, 2 ** attempt)
+    return min(30.0, 0.5 * 2 ** attempt + random.random())
```
Change-Id: I⟦B:sha1⟧
""",
    ),
    (
        "ben-csp-69",
        "benign/web",
        r"""
Our CSP blocks the inline script even though I added its hash:

```
Content-Security-Policy: default-src 'self'; script-src 'self' '⟦B:csp_hash⟧' 'nonce-⟦B:b64_fixture⟧'; img-src 'self' data:
```
The script is `<script>window.__CONFIG__ = {"env": "prod"}</script>`.
""",
    ),
    (
        "ben-android-70",
        "benign/code",
        r"""
Android theme colours don't apply in dark mode. colors.xml:

```xml
<resources>
    <color name="purple_500">#FF6200EE</color>
    <color name="teal_200">#FF03DAC5</color>
    <color name="brand_primary">⟦B:hex_colour⟧</color>
</resources>
```
applicationId "com.acme.patientportal", versionCode 4102, versionName "⟦B:semver⟧".
""",
    ),
    (
        "ben-windows-guid-71",
        "benign/ids",
        r"""
PowerShell script to find devices in the network adapter class. The class GUID is
⟦B={4d36e972-e325-11ce-bfc1-08002be10318}|guid⟧; the driver package is oem42.inf with
InstanceId ⟦B=PCI\VEN_8086&DEV_15F3&SUBSYS_00008086&REV_03|device_id⟧.
""",
    ),
    (
        "ben-pkce-72",
        "benign/rfc",
        r"""
Implement PKCE in Python. RFC 7636 gives the example verifier ⟦B=dBjftJeZ4CVP-mJ92K9qXwGhoWB1Q0Ew4f3j8nLQr-0|rfc_example⟧
and challenge ⟦B=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM|rfc_example⟧. Write a test that checks my function
reproduces them.
""",
    ),
    (
        "ben-ulid-73",
        "benign/ids",
        r"""
Should I switch our IDs from UUIDv4 (like ⟦B:uuid⟧) to ULIDs (like ⟦B:ulid⟧)? We sort by id a lot,
and the table has 400M rows.
""",
    ),
    (
        "ben-hexdump-74",
        "benign/encoding",
        r"""
This file fails to parse as a PNG; here's the start of `xxd`:

```
00000000: ⟦B=8950 4e47 0d0a 1a0a 0000 000d 4948 4452|hexdump⟧  .PNG........IHDR
00000010: ⟦B=0000 0320 0000 0258 0806 0000 009a 768b|hexdump⟧  ... ...X......v.
```
""",
    ),
    (
        "ben-proto-75",
        "benign/code",
        r"""
Is it safe to rename this protobuf field?

```proto
message ApiKey {
  string key_id = 1;       // e.g. "⟦B:uuid⟧"
  string key_hash = 2;     // sha256 of the key, hex, e.g. "⟦B:sha256⟧"
  google.protobuf.Timestamp created_at = 3;
  repeated string scopes = 4;
}
```
""",
    ),
    (
        "ben-oauth-config-76",
        "benign/env",
        r"""
next-auth config; are the env names right for the GitHub provider?

```ts
export const authOptions = {
  providers: [
    GithubProvider({
      clientId: ⟦B=process.env.GITHUB_ID!|env_lookup⟧,
      clientSecret: ⟦B=process.env.GITHUB_SECRET!|env_lookup⟧,
    }),
  ],
  secret: ⟦B=process.env.NEXTAUTH_SECRET|env_lookup⟧,
};
```
""",
    ),
    (
        "ben-rust-77",
        "benign/code",
        r"""
Rust: why does this not compile?

```rust
const API_KEY_ENV: &str = "STRIPE_SECRET_KEY";
let key = ⟦B=std::env::var(API_KEY_ENV)|env_lookup⟧.expect("set STRIPE_SECRET_KEY");
let digest = Sha256::digest(key.as_bytes());
assert_eq!(format!("{:x}", digest).len(), 64);
```
""",
    ),
    (
        "ben-java-config-78",
        "benign/env",
        r"""
Spring: which of these property sources wins?

```properties
spring.datasource.password=⟦B=${DB_PASSWORD}|placeholder⟧
spring.security.oauth2.client.registration.github.client-secret=⟦B=${GITHUB_CLIENT_SECRET:}|placeholder⟧
management.server.port=⟦B=9091|port⟧
server.address=⟦B=0.0.0.0|local_addr⟧
```
""",
    ),
    (
        "ben-benchmark-79",
        "benign/numbers",
        r"""
Interpret these benchmark numbers. Run id ⟦B:uuid⟧ on commit ⟦B:short_sha⟧:

| case | p50 ms | p99 ms | allocs |
|---|---|---|---|
| parse_4kb | 0.412 | 1.087 | 1203 |
| parse_64kb | 6.981 | 14.220 | 18441 |

Machine: ⟦B=c6i.2xlarge|instance_type⟧, kernel ⟦B=6.1.0-21-amd64|version⟧.
""",
    ),
    (
        "ben-redis-80",
        "benign/code",
        r"""
Redis keys in our cache look like these. Write a SCAN-based cleanup for the stale session ones:

```
session:⟦B:uuid⟧
ratelimit:⟦B:sha1⟧:⟦B=1718000000|epoch⟧
cache:v2:⟦B:md5⟧
```
""",
    ),
    (
        "ben-ci-cache-81",
        "benign/ci",
        r"""
The cache never hits on the second run. Workflow snippet and the key it printed:

```yaml
- uses: actions/cache@⟦B:git_sha⟧
  with:
    path: ~/.cache/pypoetry
    key: ⟦B=${{ runner.os }}-poetry-${{ hashFiles('**/poetry.lock') }}|placeholder⟧
```
Log: `Cache not found for input keys: ⟦B=Linux-poetry-|literal⟧⟦B:sha256⟧`
""",
    ),
    (
        "ben-sentry-event-82",
        "benign/ids",
        r"""
Sentry groups these two errors separately; why? Event ids ⟦B:trace_id⟧ and ⟦B:trace_id⟧, both on release
⟦B=api@1.14.2+build.771|version⟧, fingerprint `{{ default }}`, environment production.
""",
    ),
    (
        "ben-oci-manifest-83",
        "benign/hashes",
        r"""
Explain this manifest list; which digest does an arm64 node pull?

```json
{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {"digest": "⟦B:docker_digest⟧", "size": 1613, "platform": {"architecture": "amd64", "os": "linux"}},
    {"digest": "⟦B:docker_digest⟧", "size": 1613, "platform": {"architecture": "arm64", "os": "linux"}}
  ]
}
```
""",
    ),
    (
        "ben-notebook-84",
        "benign/ml",
        r"""
nbformat says this notebook is invalid. Cell metadata:

```json
{"cell_type": "code", "execution_count": 7, "id": "⟦B:s_hex12⟧",
 "metadata": {"tags": ["parameters"]}, "outputs": [],
 "source": ["model_path = \"s3://ml-artifacts/runs/⟦B:uuid⟧/model.pt\"\n", "seed = 1337"]}
```
""",
    ),
]
