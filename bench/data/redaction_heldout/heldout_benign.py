# ruff: noqa: E501
"""Held-out prompts with no sensitive value at all: only look-alikes that redaction must leave verbatim.

Marker language as in bench/data/redaction/make_corpus.py. Written without reading the development templates.
"""

from __future__ import annotations

TEMPLATES: list[tuple[str, str, str]] = [
    (
        "ho-benign-package-lock",
        "benign",
        r"""
npm ci fails with EINTEGRITY on this entry after I bumped it, what should I do, delete the lockfile?

    "node_modules/fast-xml-parser": {
      "version": "⟦B=4.5.1|version⟧",
      "resolved": "https://registry.npmjs.org/fast-xml-parser/-/fast-xml-parser-4.5.1.tgz",
      "integrity": "⟦B:sri512⟧",
      "funding": [{"type": "github", "url": "https://github.com/sponsors/NaturalIntelligence"}],
      "dependencies": {"strnum": "^1.0.5"},
      "bin": {"fxparser": "src/cli/cli.js"}
    },

npm ERR! code EINTEGRITY
npm ERR! sha512-... integrity checksum failed when using sha512: wanted ⟦B:sri512⟧ but got ⟦B:sri512⟧.
""",
    ),
    (
        "ho-benign-go-sum",
        "benign",
        r"""
`go mod verify` reports a mismatch for x/net. go.sum lines:

golang.org/x/net v0.33.0 ⟦B:gosum⟧
golang.org/x/net v0.33.0/go.mod ⟦B:gosum⟧
github.com/jackc/pgx/v5 v5.7.2 ⟦B:gosum⟧
google.golang.org/protobuf ⟦B=v1.36.1|version⟧ ⟦B:gosum⟧

verifying golang.org/x/net@v0.33.0: checksum mismatch
        downloaded: ⟦B:gosum⟧
        go.sum:     h1:... (see above)
""",
    ),
    (
        "ho-benign-buildx-log",
        "benign",
        r"""
#12 [builder 4/7] RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
#12 DONE 41.3s
#15 exporting to image
#15 exporting layers 3.1s done
#15 exporting manifest ⟦B:docker_digest⟧ done
#15 exporting config ⟦B:docker_digest⟧ done
#15 pushing layers
#15 pushing manifest for ⟦N:num12⟧.dkr.ecr.eu-west-1.amazonaws.com/ingest:⟦B:short_sha⟧@⟦B:docker_digest⟧
#15 ERROR: failed to push: unexpected status from HEAD request: 403 Forbidden

The role has ecr:PutImage. Is it the `ecr:BatchCheckLayerAvailability` permission?
""",
    ),
    (
        "ho-benign-describe-pod",
        "benign",
        r"""
$ kubectl describe pod ⟦B:pod_name#p⟧ -n prod
Name:             ⟦B:pod_name#p⟧
Namespace:        prod
Node:             ip-10-42-7-19.eu-west-1.compute.internal/⟦B=10.42.7.19|private_ip⟧
Start Time:       Fri, 14 Feb 2025 09:02:11 +0000
IP:               ⟦B:private_ip⟧
Controlled By:    ReplicaSet/api-7c9f6d8b4
Containers:
  api:
    Container ID:   containerd://⟦B:container_id⟧
    Image:          ghcr.io/quillsoft/api@⟦B:docker_digest⟧
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
Events:
  Warning  BackOff  2m (x41 over 12m)  kubelet  Back-off restarting failed container api in pod ⟦B:pod_name#p⟧_prod(⟦B:uuid⟧)
""",
    ),
    (
        "ho-benign-validators",
        "benign",
        r"""
Please add unit tests for these validators, including the edge cases in the docstring:

EMAIL_RE = re.compile(⟦B=r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$"|regex⟧)
SSN_RE = re.compile(⟦B=r"^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$"|regex⟧)
CARD_RE = re.compile(r"^\d{13,19}$")

def is_valid_ssn(s: str) -> bool:
    '''Rejects obvious placeholders: ⟦B=000-00-0000|placeholder⟧, ⟦B=123-45-6789|placeholder⟧, ⟦B=XXX-XX-XXXX|placeholder⟧.'''

def luhn_ok(number: str) -> bool:
    '''Stripe's public test card ⟦B=4242 4242 4242 4242|test_card⟧ passes; 4242 4242 4242 4241 fails.'''

def is_valid_email(s: str) -> bool:
    '''⟦B=jane.doe@example.com|example_email⟧ ok, "jane@localhost" rejected.'''
""",
    ),
    (
        "ho-benign-env-example",
        "benign",
        r"""
Reviewing our .env.example, is it clear enough for new devs? Suggest better comments.

# Copy to .env and fill in. Never commit .env.
OPENAI_API_KEY=⟦B=sk-...your-key-here...|placeholder⟧
ANTHROPIC_API_KEY=⟦B=<your-anthropic-key>|placeholder⟧
AWS_ACCESS_KEY_ID=⟦B=AKIAIOSFODNN7EXAMPLE|aws_doc_example⟧
AWS_SECRET_ACCESS_KEY=⟦B=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY|aws_doc_example⟧
DATABASE_URL=⟦B=postgresql://app:app@localhost:5432/app_dev|local_url⟧
STRIPE_SECRET_KEY=⟦B=${STRIPE_SECRET_KEY}|placeholder⟧
SENTRY_DSN=
FEATURE_FLAGS=new_checkout,⟦B=beta-search|flag⟧
""",
    ),
    (
        "ho-benign-sentry-cli",
        "benign",
        r"""
$ sentry-cli releases new -p web ⟦B:git_sha⟧
Created release ⟦B:git_sha⟧
$ sentry-cli sourcemaps upload --release ⟦B:git_sha⟧ ./dist
> Found 41 files
> Bundled 41 files for upload
> Bundle ID: ⟦B:uuid⟧
> Uploaded files to Sentry
  Event ⟦B:trace_id⟧ still shows minified frames. Why?
""",
    ),
    (
        "ho-benign-hmac-test-vectors",
        "benign",
        r"""
import hashlib, hmac, base64

def test_sha256_empty():
    assert hashlib.sha256(b"").hexdigest() == "⟦B=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855|sha256⟧"

def test_md5_fixture():
    assert hashlib.md5(FIXTURE).hexdigest() == "⟦B:md5⟧"

def test_sha1_fixture():
    assert hashlib.sha1(FIXTURE).hexdigest() == "⟦B:sha1⟧"

def test_b64_roundtrip():
    assert base64.b64decode("⟦B:b64_fixture⟧").split()[0].isalpha()

This test file fails on CI only (md5 raises "unsupported hash type" on the FIPS runner). Fix?
""",
    ),
    (
        "ho-benign-alembic-migration",
        "benign",
        r"""
alembic upgrade head says "Multiple head revisions are present". Two migration headers:

revision = "⟦B:alembic_rev⟧"
down_revision = "⟦B:alembic_rev#base⟧"
branch_labels = None
Create Date: 2025-02-10 11:42:07.332196

revision = "⟦B:alembic_rev⟧"
down_revision = "⟦B:alembic_rev#base⟧"
Create Date: 2025-02-11 09:03:55.101244

def upgrade():
    op.add_column("patients", sa.Column("ssn_encrypted", sa.LargeBinary(), nullable=True))
    op.add_column("patients", sa.Column("date_of_birth", sa.Date(), nullable=True))

How do I write the merge revision?
""",
    ),
    (
        "ho-benign-describe-instances",
        "benign",
        r"""
aws ec2 describe-instances --filters Name=tag:role,Values=ingest --query 'Reservations[].Instances[]'
[
    {
        "InstanceId": "⟦B:instance_id⟧",
        "ImageId": "⟦B:ami_id⟧",
        "InstanceType": "m6i.large",
        "LaunchTime": "⟦B=2025-02-14T07:55:21+00:00|timestamp⟧",
        "PrivateDnsName": "ip-10-20-3-41.eu-west-1.compute.internal",
        "PrivateIpAddress": "⟦B=10.20.3.41|private_ip⟧",
        "SubnetId": "⟦B:subnet_id⟧",
        "VpcId": "⟦B:vpc_id⟧",
        "SecurityGroups": [{"GroupName": "ingest-sg", "GroupId": "⟦B:sg_id⟧"}],
        "OwnerId": "⟦N:num12⟧"
    }
]
The instance can't reach S3 through the gateway endpoint. What should I check in the route tables?
""",
    ),
    (
        "ho-benign-java-trace",
        "benign",
        r"""
Spring Boot fails on startup:

org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'routePlanner' defined in class path resource [com/acme/routing/RoutingConfig.class]
	at org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1804)
	at com.acme.routing.⟦B=DijkstraRoutePlanner|class_name⟧.<init>(DijkstraRoutePlanner.java:58)
	at com.acme.routing.graph.⟦B=BellmanFordRelaxation|class_name⟧.apply(BellmanFordRelaxation.java:112)
	at com.fasterxml.jackson.databind.⟦B=ObjectMapper|class_name⟧.readValue(ObjectMapper.java:3604)
Caused by: java.lang.IllegalStateException: graph not loaded (cache=com.github.benmanes.caffeine.cache.BoundedLocalCache@⟦B:java_hash⟧)
	at com.zaxxer.hikari.pool.HikariPool.checkFailFast(HikariPool.java:599)
	... 42 common frames omitted
[main] ERROR ⟦B=o.s.boot.SpringApplication|logger⟧ - Application run failed
""",
    ),
    (
        "ho-benign-tf-plan",
        "benign",
        r"""
Terraform wants to replace the DB. Why does a password change force replacement? Plan excerpt:

  # aws_db_instance.orders must be replaced
-/+ resource "aws_db_instance" "orders" {
      ~ arn                    = "arn:aws:rds:eu-west-1:⟦N:num12⟧:db:orders" -> (known after apply)
      ~ engine_version         = "⟦B=15.7|version⟧" -> "16.3" # forces replacement
      ~ password               = ⟦B=(sensitive value)|masked⟧
      ~ resource_id            = "db-⟦B:s_upper16⟧" -> (known after apply)
        vpc_security_group_ids = ["⟦B:sg_id⟧"]
        # (31 unchanged attributes hidden)
    }

  password = ⟦B=random_password.orders_db.result|reference⟧
Plan: 1 to add, 0 to change, 1 to destroy.
""",
    ),
    (
        "ho-benign-css-csp",
        "benign",
        r"""
The inline script is blocked by CSP even though I added its hash. Header and styles:

Content-Security-Policy: default-src 'self'; script-src 'self' '⟦B:csp_hash⟧'; style-src 'self' 'unsafe-inline'

:root { --brand: ⟦B:hex_colour⟧; --brand-dark: ⟦B:hex_colour⟧; --focus: #ffbf47; }
.badge { background: url("data:image/svg+xml;base64,⟦B:b64_fixture⟧"); }
<script integrity="⟦B:sri384⟧" src="/static/app.js"></script>
""",
    ),
    (
        "ho-benign-git-log-bots",
        "benign",
        r"""
Squash these into one commit message for the changelog:

commit ⟦B:git_sha⟧
Author: dependabot[bot] <⟦B=49699333+dependabot[bot]@users.noreply.github.com|bot_email⟧>
Date:   Thu Feb 13 04:12:55 2025 +0000
    build(deps): bump cryptography from 43.0.3 to ⟦B=44.0.1|version⟧

commit ⟦B:git_sha⟧
Author: github-actions[bot] <⟦B=41898282+github-actions[bot]@users.noreply.github.com|bot_email⟧>
Date:   Thu Feb 13 05:00:12 2025 +0000
    chore: regenerate openapi client (⟦B:short_sha⟧)
""",
    ),
    (
        "ho-benign-prom-metrics",
        "benign",
        r"""
Why does this histogram give NaN in my p95 query? /metrics output:

http_server_duration_seconds_bucket{route="/v1/charge",pod="⟦B:pod_name⟧",instance="⟦B:private_ip⟧:9102",le="0.05"} 10321
http_server_duration_seconds_bucket{route="/v1/charge",pod="⟦B:pod_name⟧",instance="⟦B:private_ip⟧:9102",le="+Inf"} 10877
http_server_duration_seconds_count{route="/v1/charge"} 10877
process_start_time_seconds ⟦B=1739523731.54|epoch⟧

query: histogram_quantile(0.95, sum by (le) (rate(http_server_duration_seconds_bucket[5m])))
""",
    ),
    (
        "ho-benign-openapi-examples",
        "benign",
        r"""
Generate pydantic models for this OpenAPI fragment; keep the examples in Field(examples=...):

components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}
  schemas:
    Customer:
      type: object
      properties:
        id: {type: string, format: uuid, example: ⟦B=3fa85f64-5717-4562-b3fc-2c963f66afa6|uuid⟧}
        email: {type: string, format: email, example: ⟦B=customer@example.com|example_email⟧}
        phone: {type: string, example: "⟦B:fictional_phone⟧"}
        created: {type: string, format: date-time, example: "⟦B=2024-01-01T00:00:00Z|timestamp⟧"}
        api_key: {type: string, example: ⟦B=YOUR_API_KEY|placeholder⟧}
""",
    ),
    (
        "ho-benign-poetry-lock",
        "benign",
        r"""
[[package]]
name = "pydantic-core"
version = "⟦B=2.27.2|version⟧"
files = [
    {file = "pydantic_core-2.27.2-cp312-cp312-manylinux_2_17_x86_64.whl", hash = "sha256:⟦B:sha256⟧"},
    {file = "pydantic_core-2.27.2.tar.gz", hash = "sha256:⟦B:sha256⟧"},
]

poetry install: "Hash for pydantic-core (2.27.2) from archive ... not found in known hashes". Proxy cache issue?
""",
    ),
    (
        "ho-benign-netplan-v6",
        "benign",
        r"""
netplan apply drops the IPv6 route. /etc/netplan/50-cloud-init.yaml:

network:
  version: 2
  ethernets:
    ens5:
      addresses:
        - ⟦B:private_ip⟧/24
        - ⟦B:ipv6_ula⟧/64
        - ⟦B=2001:db8:4a1::10|doc_ipv6⟧/64
      routes:
        - to: default
          via: ⟦B=fe80::1|link_local⟧
        - to: ⟦B=198.51.100.0/24|doc_ip⟧
          via: ⟦B:doc_ip⟧
      nameservers:
        addresses: [⟦B=10.0.0.2|private_ip⟧]
""",
    ),
    (
        "ho-benign-job-queue-log",
        "benign",
        r"""
Jobs are picked twice by two workers. Worker log:

⟦B:epoch_ns⟧ worker=w1 job=⟦B:ulid⟧ state=claimed lease_ms=30000 req=⟦B:request_id⟧
1739523731540012345 worker=w2 job=⟦B:ulid#j⟧ state=claimed lease_ms=30000 req=req_mZ81c0Hq2XkLwe
1739523731541998877 worker=w1 job=⟦B:ulid#j⟧ state=done span=⟦B:otel_span⟧ etag="⟦B:etag⟧"

Claim query: UPDATE jobs SET worker=$1, leased_until=now()+interval '30 s' WHERE id=(SELECT id FROM jobs WHERE state='queued' LIMIT 1) RETURNING id;
""",
    ),
    (
        "ho-benign-jwt-header-question",
        "benign",
        r"""
Our docs say every token starts with `⟦B=eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9|jwt_header⟧`. Is it safe to check that
prefix in the gateway to reject non-JWT bearer values early, or can the header order differ? The JWKS `kid` is
`⟦B:s_hex12⟧` and our issuer is ⟦B=https://auth.example.com/|example_url⟧.
""",
    ),
]
