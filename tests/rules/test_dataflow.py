"""Real-world shapes of the classic bugs that a rule matching only the textbook form would miss:
a value passed through one local variable, route parameters as sources, module-level constants,
secrets in dict literals or byte strings, calls inside macros, TypeScript generics. And the secure
twins of each, which must stay quiet. These snippets are written apart from the rule examples."""

from __future__ import annotations

import pytest

from proxy.rules.engine import RuleEngine

ENGINE = RuleEngine.default()

FIRES = [
    # -- Python: one hop through a local, route parameters (FastAPI / Flask / Django) ----------------
    ("python", "python.ssrf.request-url", '''
@bp.route("/unfurl")
def unfurl():
    link = request.args.get("link", "")
    page = requests.get(link, timeout=3)
    return {"title": extract_title(page.text)}
'''),
    ("python", "python.path-traversal.request-path", '''
@app.get("/backups/{fname}")
def fetch_backup(fname: str):
    return FileResponse(open(os.path.join("/srv/backups", fname), "rb"))
'''),
    ("python", "python.path-traversal.request-path", '''
def download(request, filename):
    with open(f"/data/exports/{filename}", "rb") as fh:
        return HttpResponse(fh.read())
'''),
    ("python", "python.command-injection.request-to-shell", '''
@router.post("/lint")
async def lint(path: str):
    cmd = f"ruff check {path}"
    return subprocess.run(cmd, shell=True, capture_output=True).stdout
'''),
    ("python", "python.path-traversal.request-path", '''
class ExportView(APIView):
    def get(self, request, name):
        return FileResponse(open(EXPORT_ROOT + "/" + name, "rb"))
'''),
    ("python", "python.crypto.static-iv", '''
STATIC_NONCE = b"\\x00" * 12

def seal(key, data):
    return AES.new(key, AES.MODE_GCM, nonce=STATIC_NONCE).encrypt_and_digest(data)
'''),
    ("python", "python.secrets.hardcoded-password", '''
SETTINGS = dict(DATABASES={"default": {"ENGINE": "postgres", "PASSWORD": "w1nter-Is-Coming"}})
'''),
    ("python", "python.ssti.render-template-string", '''
@app.route("/card")
def card():
    body = "<div>{}</div>".format(request.args.get("text", ""))
    return render_template_string(body)
'''),
    # -- JavaScript / TypeScript -------------------------------------------------------------------------
    ("javascript", "js.xss.response-with-request-data", '''
router.get("/echo", (req, res) => {
  const { msg } = req.query;
  res.send(`<pre>${msg}</pre>`);
});
'''),
    ("javascript", "js.redirect.open-redirect", '''
app.post("/login", (req, res) => {
  const dest = req.body.dest;
  res.redirect(302, dest);
});
'''),
    ("javascript", "js.crypto.static-iv", '''
const ZERO_IV = Buffer.from("00000000000000000000000000000000", "hex");
module.exports.enc = (k, t) => crypto.createCipheriv("aes-128-cbc", k, ZERO_IV).update(t, "utf8", "hex");
'''),
    ("typescript", "js.sql-injection.formatted-query", '''
export const byEmail = (db: PrismaClient, email: string) =>
  db.$queryRawUnsafe<{ id: number }[]>(`SELECT id FROM "User" WHERE email = '${email}'`);
'''),
    ("typescript", "js.xss.angular-bypass-sanitizer", '''
export class BannerComponent {
  @Input() set html(value: string) {
    this.safe = this.domSanitizer.bypassSecurityTrustHtml(value);
  }
}
'''),
    ("tsx", "js.redirect.client-location", '''
export function Continue() {
  const search = new URLSearchParams(location.search);
  useEffect(() => { location.assign(search.get("to")!); }, []);
  return <p>Redirecting...</p>;
}
'''),
    ("tsx", "js.secrets.hardcoded-credential", '''
const SENDGRID_SECRET_KEY = "SG.x8Kd2mQpR4vT7wYz1aB3cD.e5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1h";
export const mailer = new Mailer(SENDGRID_SECRET_KEY);
'''),
    # -- JVM, Go, C#, Ruby, Rust, C --------------------------------------------------------------------------
    ("java", "java.command-injection.request-data", '''
@PostMapping("/convert")
public void convert(@RequestParam String file) throws IOException {
    new ProcessBuilder(List.of("sh", "-c", "convert " + file + " out.pdf")).start();
}
'''),
    ("java", "java.jwt.unsigned-parse", '''
Object body = Jwts.parser().setSigningKey(KEY).parse(header.substring(7)).getBody();
'''),
    ("go", "go.crypto.insecure-random", '''
func GenerateResetCode() string {
	return strconv.Itoa(100000 + rand.Intn(900000))
}
'''),
    ("go", "go.secrets.connection-url-password", '''
db, err := sql.Open("mysql", "mysql://shop:Sh0pPass99@tcp(db:3306)/shop")
'''),
    ("csharp", "csharp.crypto.insecure-random", '''
public int NewInvitationPin() => new Random().Next(1000, 9999);
'''),
    ("ruby", "ruby.weak-hash.password", '''
def password=(new_password)
  @password = new_password
  self.encrypted_password = Digest::SHA256.hexdigest(new_password)
end
'''),
    ("rust", "rust.weak-hash.password", '''
fn digest_pw(pwd: &str) -> String {
    hex::encode(Sha256::digest(pwd.as_bytes()))
}
'''),
    ("rust", "rust.hardcoded-credentials.secret-literal", '''
pub const API_KEY: &'static [u8] = b"4b1f09c2e7d84a6f9c3e21d7a5b8f0e6";
'''),
    ("rust", "rust.cors.mirror-origin-with-credentials", '''
let cors = CorsLayer::new().allow_origin(AllowOrigin::mirror_request()).allow_credentials(true).allow_headers(Any);
'''),
    ("c", "c.buffer-overflow.memcpy-unchecked-length", '''
static int read_record(int fd) {
    char rec[128];
    uint32_t size;
    read(fd, &size, sizeof size);
    memcpy(rec, shared_map + 4, size);
    return process(rec);
}
'''),
    ("hcl", "terraform.network.aws-lb-http-listener", '''
resource "aws_lb_listener" "admin" {
  load_balancer_arn = aws_lb.admin.arn
  port     = 8000
  protocol = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.admin.arn
  }
}
'''),
    ("dockerfile", "dockerfile.secrets.build-arg-used", '''
FROM golang:1.22 AS build
ARG GOPROXY_TOKEN
RUN echo "machine goproxy.internal password ${GOPROXY_TOKEN}" >> ~/.netrc && go mod download
'''),
]

QUIET = [
    ("python", '''
@mock.patch("app.storage.open")
def test_reads_report(mock_open, report_name):
    with open(os.path.join(FIXTURES, report_name)) as fh:
        assert fh.read()
'''),
    ("python", '''
@app.get("/items/{item_id}")
def read_item(item_id: int, q: str | None = None):
    return {"item": db.get(item_id), "q": q}
'''),
    ("python", '''
@bp.route("/unfurl")
def unfurl():
    link = request.args.get("link", "")
    if urlparse(link).hostname not in PREVIEW_HOSTS:
        abort(400)
    return {"title": extract_title(requests.get(link, timeout=3).text)}
'''),
    ("python", '''
DEFAULTS = {"password_min_length": 12, "password": "", "api_key": None}
'''),
    ("javascript", '''
router.get("/echo", (req, res) => {
  const msg = escapeHtml(String(req.query.msg ?? ""));
  res.send(`<pre>${msg}</pre>`);
});
'''),
    ("javascript", '''
app.get("/file/:name", (req, res) => {
  const file = path.resolve(PUBLIC_DIR, req.params.name);
  if (!file.startsWith(PUBLIC_DIR + path.sep)) return res.sendStatus(400);
  res.sendFile(file);
});
'''),
    ("typescript", '''
export const byEmail = (db: PrismaClient, email: string) =>
  db.$queryRaw<{ id: number }[]>`SELECT id FROM "User" WHERE email = ${email}`;
'''),
    ("java", '''
@PostMapping("/convert")
public void convert(@RequestParam String file) throws IOException {
    new ProcessBuilder("convert", "--", file, "out.pdf").start();
}
'''),
    ("java", '''
String direction = "desc".equalsIgnoreCase(dir) ? "DESC" : "ASC";
String column = ALLOWED_SORT.contains(sort) ? sort : "created_at";
List<Row> rows = jdbc.query("SELECT * FROM events WHERE owner = ? ORDER BY " + column + " " + direction, mapper, owner);
'''),
    ("ruby", '''
ACTIONS = %w[archive restore].freeze

def perform
  action = ACTIONS.include?(params[:do]) ? params[:do] : "archive"
  @record.public_send(action)
end
'''),
    ("c", '''
static int read_record(int fd) {
    char rec[128];
    uint32_t size;
    if (read(fd, &size, sizeof size) != sizeof size || size > sizeof rec) return -1;
    memcpy(rec, shared_map + 4, size);
    return process(rec);
}
'''),
    ("go", '''
func shuffleDeck(cards []Card) {
	rand.Shuffle(len(cards), func(i, j int) { cards[i], cards[j] = cards[j], cards[i] })
}
'''),
]


@pytest.mark.parametrize(("lang", "rule_id", "code"), FIRES, ids=[f"{r}-{i}" for i, (_, r, _) in enumerate(FIRES)])
def test_variant_is_caught(lang: str, rule_id: str, code: str) -> None:
    found = {f.rule_id for f in ENGINE.scan(code, lang)}
    assert rule_id in found, f"{rule_id} missed; found {sorted(found)}"


@pytest.mark.parametrize(("lang", "code"), QUIET, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(QUIET)])
def test_secure_variant_is_quiet(lang: str, code: str) -> None:
    assert [f"{f.rule_id}@{f.line}" for f in ENGINE.scan(code, lang)] == []
