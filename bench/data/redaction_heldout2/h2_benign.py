"""Second held-out set: prompts with no secret and no personal data, only values that look like them.

Every labelled value here must survive redaction verbatim: hashes, digests, public certificates, ids that
are public by design, documentation addresses, fictional 555-01xx phone numbers and placeholders.
"""
# ruff: noqa: E501  (pasted config lines are kept whole: a wrap would change what the detectors see)

TEMPLATES = [
    (
        "h2-ben-saml-metadata",
        "benign",
        """
Our SP rejects the IdP metadata with "no signing certificate found". The IdP metadata (public):

<md:EntityDescriptor entityID="https://idp.acmelogistics.io/saml" ID="⟦B:saml_request_id⟧">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="encryption">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>⟦B:x509_cert_b64⟧</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location="https://idp.acmelogistics.io/saml/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>

Is it because the KeyDescriptor says use="encryption" instead of "signing"?
""",
    ),
    (
        "h2-ben-helm-lock",
        "benign",
        """
helm dependency build says the lock is out of sync. Chart.lock:

dependencies:
- name: postgresql
  repository: oci://registry-1.docker.io/bitnamicharts
  version: ⟦B:semver⟧
- name: redis
  repository: oci://registry-1.docker.io/bitnamicharts
  version: ⟦B:semver⟧
digest: ⟦B:docker_digest⟧
generated: "⟦B:iso_ts⟧"

and values.yaml has `auth.existingSecret: ⟦B=payments-db-credentials|k8s_secret_name⟧`. Which one is stale?
""",
    ),
    (
        "h2-ben-ansible-vault-ref",
        "benign",
        """
How do I make this ansible task not log the password? It references the vault variable only:

- name: Create app DB user
  community.postgresql.postgresql_user:
    name: app
    password: "⟦B={{ vault_app_db_password }}|template_var⟧"
    login_host: ⟦B:private_ip⟧
  no_log: false

Host key fingerprint for the DB box is ⟦B:ssh_fingerprint⟧, and the vault file's header is
⟦B=$ANSIBLE_VAULT;1.1;AES256|vault_header⟧.
""",
    ),
    (
        "h2-ben-lockfile-integrity",
        "benign",
        """
npm ci fails with EINTEGRITY on one package. The package-lock entries:

"node_modules/ws": {
  "version": "⟦B:semver⟧",
  "resolved": "https://registry.npmjs.org/ws/-/ws-8.18.0.tgz",
  "integrity": "⟦B:sri512⟧"
},
"node_modules/zod": {
  "version": "⟦B:semver⟧",
  "integrity": "⟦B:sri512⟧"
}

The cache dir has content-v2/sha512/⟦B:sha512⟧. Clear the cache or regenerate the lock?
""",
    ),
    (
        "h2-ben-aws-describe",
        "benign",
        """
Why can't the Lambda in this VPC reach RDS? Output of describe calls:

Lambda VpcConfig: SubnetIds [⟦B:subnet_id⟧, ⟦B:subnet_id⟧], SecurityGroupIds [⟦B:sg_id⟧]
RDS instance: VpcId ⟦B:vpc_id⟧, VpcSecurityGroups [⟦B:sg_id⟧], Endpoint db-prod.cluster-c9xkq.eu-west-1.rds.amazonaws.com
Bastion: ⟦B:instance_id⟧ from ⟦B:ami_id⟧, private IP ⟦B:private_ip⟧
Execution role: ⟦B:aws_role_id⟧
""",
    ),
    (
        "h2-ben-git-bisect",
        "benign",
        """
git bisect landed on a merge commit, which parent broke it?

commit ⟦B:git_sha⟧
Merge: ⟦B:short_sha⟧ ⟦B:short_sha⟧
Date:   Tue Mar 11 09:41:07 2025 +0000

    Merge pull request #4412 from acme/feature/retry-backoff

The failing CI run is ⟦B:gh_run_id⟧ (job ⟦B:gh_job_id⟧).
""",
    ),
    (
        "h2-ben-k8s-events",
        "benign",
        """
kubectl get events shows this loop, what is killing the pod?

LAST SEEN   TYPE      REASON      OBJECT                         MESSAGE
2m          Warning   BackOff     pod/⟦B:pod_name⟧   Back-off restarting failed container
2m          Normal    Pulled      pod/⟦B:pod_name⟧   Container image "ghcr.io/acme/ingest@⟦B:docker_digest⟧" already present
1m          Warning   OOMKilled   pod/⟦B:pod_name⟧   Container ⟦B:container_id⟧ exceeded memory limit

resourceVersion ⟦B:k8s_resource_version⟧, node IP ⟦B:private_ip⟧.
""",
    ),
    (
        "h2-ben-env-template",
        "benign",
        """
Review our .env.example for the new-hire onboarding doc — nothing real in it, it's committed:

DATABASE_URL=⟦B=postgresql://app:app@localhost:5432/app_dev|local_dsn⟧
REDIS_URL=⟦B=redis://localhost:6379/0|local_dsn⟧
STRIPE_SECRET_KEY=⟦B=sk_test_your_key_here|placeholder⟧
OPENAI_API_KEY=⟦B=<your-openai-key>|placeholder⟧
SUPPORT_PHONE="⟦B:fictional_phone⟧"
PUBLIC_STRIPE_KEY_NAME=⟦B=NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY|env_name⟧

Anything misleading for a newcomer?
""",
    ),
    (
        "h2-ben-firewall-docs",
        "benign",
        """
Proofread the firewall section of our runbook (it uses RFC 5737 documentation addresses on purpose):

- Allow 443/tcp from the office egress ⟦B:doc_ip⟧ and the VPN ⟦B:doc_ip⟧.
- Deny everything else inbound; internal services live on ⟦B:private_ip⟧ and ⟦B:ipv6_ula⟧.
- The status page webhook comes from ⟦B:doc_ip⟧.
""",
    ),
    (
        "h2-ben-otel-trace",
        "benign",
        """
Why is this span orphaned in Jaeger? Exported OTLP JSON (trimmed):

{"traceId": "⟦B:trace_id⟧", "spanId": "⟦B:otel_span⟧", "parentSpanId": "⟦B:otel_span⟧",
 "name": "POST /v1/charge", "startTimeUnixNano": "⟦B:epoch_ns⟧",
 "attributes": [{"key": "http.request_id", "value": {"stringValue": "⟦B:request_id⟧"}}]}
""",
    ),
    (
        "h2-ben-stripe-event",
        "benign",
        """
Our webhook handler double-processes this event. The event body (ids only, no keys):

{"id": "⟦B:stripe_event_id⟧", "type": "charge.succeeded",
 "data": {"object": {"id": "⟦B:stripe_charge_id⟧", "customer": "⟦B:stripe_customer_id⟧", "amount": 4200}},
 "request": {"idempotency_key": "⟦B:uuid⟧"}}

We dedupe on data.object.id — should it be the event id?
""",
    ),
    (
        "h2-ben-mongo-shell",
        "benign",
        """
This aggregation returns nothing, but the document exists:

db.orders.aggregate([{ $match: { _id: ObjectId("⟦B:mongo_object_id⟧") } }, { $lookup: { from: "users",
  localField: "userId", foreignField: "_id", as: "user" } }])

The userId stored is "⟦B:mongo_object_id⟧" as a string. ETag of the API response was ⟦B:etag⟧.
""",
    ),
    (
        "h2-ben-csp-header",
        "benign",
        """
Chrome blocks our inline script even though the hash is in the CSP:

Content-Security-Policy: script-src 'self' '⟦B:csp_hash⟧' '⟦B:csp_hash⟧'; object-src 'none'

The script tag has integrity="⟦B:sri384⟧". Build id ⟦B:ulid⟧.
""",
    ),
    (
        "h2-ben-go-sum",
        "benign",
        """
go mod verify reports a mismatch for one module:

github.com/segmentio/kafka-go v0.4.47 ⟦B:gosum⟧
github.com/segmentio/kafka-go v0.4.47/go.mod ⟦B:gosum⟧

downloaded: ⟦B:gosum⟧. Is GOPROXY caching a different zip?
""",
    ),
    (
        "h2-ben-pem-public",
        "benign",
        """
Our JWT verifier says "key is not RSA". This is the public key we load from JWKS conversion:

⟦B:pem_public⟧

and the deploy key on the repo is ssh-ed25519 ⟦B:ssh_pub⟧ ci@acme. Is the PEM header wrong?
""",
    ),
    (
        "h2-ben-crash-symbols",
        "benign",
        """
Symbolicate help: iOS crash report header, no user info attached:

Incident Identifier: ⟦B:uuid⟧
Hardware Model:      iPhone15,3
Version:             4.2.1 (⟦B:build_number⟧)
Binary Images:
0x104a3c000 - 0x104f2bfff Notes arm64  <⟦B:trace_id⟧> /private/var/containers/Bundle/Application/⟦B:uuid⟧/Notes.app/Notes

Which dSYM UUID do I need?
""",
    ),
    (
        "h2-ben-drug-catalog",
        "benign",
        """
Normalize these formulary rows to the 11-digit NDC format (5-4-2):

⟦B:ndc_code⟧  metformin 500 mg tablet    tier 1
⟦B:ndc_code⟧  lisinopril 10 mg tablet    tier 1
⟦B:ndc_code⟧  insulin glargine 100 u/mL  tier 2
Formulary version ⟦B:semver⟧, file checksum ⟦B:sha1⟧.
""",
    ),
]
