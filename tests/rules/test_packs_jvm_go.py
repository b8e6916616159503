"""Checks the java, kotlin, csharp and go rule packs exactly as the engine evaluates them.

Why a separate file: the packs must be proven before the engine exists. Each rule is evaluated as
docs/dev/RULE_SCHEMA.md describes (keywords prefilter, ast-grep `find_all`, regex with MULTILINE,
`unless` veto), and must fire on every `bad` snippet and stay quiet on every `good` one. Good snippets
must also be quiet under every other rule of their language, so a secure twin is secure overall.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from proxy.rules.engine import RuleEngine
from proxy.rules.loader import SEVERITIES

PACKS = Path(__file__).resolve().parents[2] / "proxy" / "rules" / "packs"
LANGUAGES = ("java", "kotlin", "csharp", "go")
MIN_RULES_PER_LANGUAGE = 14
CWE_RE = re.compile(r"^CWE-\d+$")
OWASP_RE = re.compile(r"^A(0[1-9]|10):2021-[A-Z][A-Za-z ,-]+$")
ID_RE = re.compile(r"^[a-z]+\.[a-z0-9-]+\.[a-z0-9-]+$")
REQUIRED = ("id", "languages", "severity", "cwe", "owasp", "message", "fix", "examples")
ALLOWED = set(REQUIRED) | {"keywords", "ast_grep", "regex", "unless"}


def _load() -> list[tuple[str, Path, dict[str, Any]]]:
    rules: list[tuple[str, Path, dict[str, Any]]] = []
    for lang in LANGUAGES:
        for path in sorted(p for p in (PACKS / lang).glob("*.yaml") if not p.name.startswith("_")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for rule in data["rules"]:
                rules.append((lang, path, rule))
    return rules


RULES = _load()


ENGINE = RuleEngine.default()


def evaluate(rule: dict[str, Any], code: str) -> list[int]:
    """Return finding lines for one rule on one code block, through the engine as the proxy runs it."""
    compiled = ENGINE.by_id[rule["id"]]
    return [line for lang in compiled.languages for line in ENGINE.scan_rule(compiled, code, lang)]


def _groups(keywords: list[Any]) -> list[list[str]]:
    """`keywords` is one any-of list, or a list of such lists that must all have a hit."""
    return keywords if keywords and all(isinstance(g, list) for g in keywords) else [keywords]


def _cases(kind: str) -> list[Any]:
    out = []
    for lang, _path, rule in RULES:
        for i, code in enumerate(rule["examples"][kind]):
            out.append(pytest.param(lang, rule, code, id=f"{rule['id']}[{kind}{i}]"))
    return out


@pytest.mark.parametrize(("lang", "rule", "code"), _cases("bad"))
def test_rule_fires_on_bad(lang: str, rule: dict[str, Any], code: str) -> None:
    assert evaluate(rule, code), f"{rule['id']} did not fire on a bad example"


@pytest.mark.parametrize(("lang", "rule", "code"), _cases("good"))
def test_rule_quiet_on_good(lang: str, rule: dict[str, Any], code: str) -> None:
    assert not evaluate(rule, code), f"{rule['id']} fired on its own good example"


@pytest.mark.parametrize(("lang", "rule", "code"), _cases("good"))
def test_good_example_quiet_under_whole_language_pack(lang: str, rule: dict[str, Any], code: str) -> None:
    noisy = [other["id"] for ol, _p, other in RULES if ol == lang and evaluate(other, code)]
    assert not noisy, f"good example of {rule['id']} flagged by {noisy}"


@pytest.mark.parametrize(("lang", "path", "rule"), [pytest.param(*r, id=r[2].get("id", "?")) for r in RULES])
def test_rule_schema(lang: str, path: Path, rule: dict[str, Any]) -> None:
    missing = [k for k in REQUIRED if k not in rule]
    assert not missing, f"missing keys {missing}"
    assert set(rule) <= ALLOWED, f"unknown keys {set(rule) - ALLOWED}"
    assert ID_RE.match(rule["id"]) and rule["id"].startswith(f"{lang}."), rule["id"]
    assert rule["languages"] == [lang]
    assert rule["severity"] in SEVERITIES
    assert CWE_RE.match(rule["cwe"]), rule["cwe"]
    assert OWASP_RE.match(rule["owasp"]), rule["owasp"]
    assert isinstance(rule["message"], str) and rule["message"].strip()
    assert isinstance(rule["fix"], str) and rule["fix"].strip()
    assert ("ast_grep" in rule) != ("regex" in rule), "exactly one of ast_grep / regex"
    if "ast_grep" in rule:
        assert isinstance(rule["ast_grep"], dict) and "rule" in rule["ast_grep"]
    else:
        re.compile(rule["regex"])
    if "unless" in rule:
        re.compile(rule["unless"])
    if "keywords" in rule:
        kws = rule["keywords"]
        assert isinstance(kws, list) and kws
        assert all(g and all(isinstance(k, str) and k for k in g) for g in _groups(kws))
    examples = rule["examples"]
    assert examples.get("bad") and examples.get("good"), "needs >= 1 bad and >= 1 good example"
    assert all(isinstance(c, str) for c in examples["bad"] + examples["good"])


def test_rule_ids_unique() -> None:
    dupes = [i for i, n in Counter(r["id"] for _l, _p, r in RULES).items() if n > 1]
    assert not dupes, dupes


@pytest.mark.parametrize("lang", LANGUAGES)
def test_enough_rules_per_language(lang: str) -> None:
    count = sum(1 for ol, _p, _r in RULES if ol == lang)
    assert count >= MIN_RULES_PER_LANGUAGE, f"{lang}: {count} rules"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keywords_appear_in_every_bad_example(lang: str) -> None:
    """A keyword that never occurs in a bad example is a typo that silently disables the rule."""
    for ol, _p, rule in RULES:
        if ol != lang or "keywords" not in rule:
            continue
        for code in rule["examples"]["bad"]:
            assert all(any(k in code for k in g) for g in _groups(rule["keywords"])), rule["id"]


# Whole files (package, imports, classes) as an LLM often returns them: the packs must behave the same
# on complete sources as on the fragments in the rule examples.
JAVA_VULNERABLE = '''package com.example.web;

import java.io.*;
import java.net.*;
import java.security.MessageDigest;
import java.sql.*;
import javax.servlet.http.*;

public class LegacyServlet extends HttpServlet {
    private static final String DB_PASSWORD = "Pr0dPassw0rd!";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String user = req.getParameter("user");
        try (Connection c = DriverManager.getConnection(URL, "app", DB_PASSWORD);
             Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT * FROM accounts WHERE owner = '" + user + "'");
        } catch (SQLException e) {
            throw new IOException(e);
        }
        String target = req.getParameter("feed");
        InputStream in = new URL(target).openStream();
        resp.getWriter().println("<h2>Feed for " + user + "</h2>");
    }

    static String hash(String password) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        return new java.math.BigInteger(1, md.digest(password.getBytes())).toString(16);
    }
}
'''

JAVA_SECURE = '''package com.example.web;

import java.nio.file.*;
import java.security.SecureRandom;
import java.sql.*;
import java.util.*;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api")
public class ReportController {
    private static final Path BASE = Paths.get("/srv/reports").toAbsolutePath().normalize();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DataSource ds;

    public ReportController(DataSource ds) { this.ds = ds; }

    @GetMapping("/reports")
    public List<Report> search(@RequestParam String owner) throws SQLException {
        List<Report> out = new ArrayList<>();
        String sql = "SELECT id, title FROM reports WHERE owner = ? ORDER BY id";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Report(rs.getLong(1), rs.getString(2)));
            }
        }
        return out;
    }

    @GetMapping("/reports/file")
    public byte[] file(@RequestParam String name) throws Exception {
        Path target = BASE.resolve(name).normalize();
        if (!target.startsWith(BASE)) throw new IllegalArgumentException("bad path");
        return Files.readAllBytes(target);
    }

    @PostMapping("/share")
    public String share() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
'''

KOTLIN_VULNERABLE = '''package com.example

import android.webkit.WebView
import java.security.MessageDigest
import javax.crypto.Cipher

class Vault(private val db: SQLiteDatabase) {
    private val apiKey = "maps-prod-5f2c9e71b0a4"

    fun find(name: String) = db.rawQuery("SELECT * FROM secrets WHERE name = '$name'", null)

    fun encrypt(data: ByteArray, key: SecretKey): ByteArray {
        val cipher = Cipher.getInstance("AES/ECB/PKCS5Padding")
        cipher.init(Cipher.ENCRYPT_MODE, key)
        return cipher.doFinal(data)
    }

    fun setup(web: WebView) {
        web.settings.javaScriptEnabled = true
        web.addJavascriptInterface(VaultBridge(this), "vault")
    }

    fun newPin(): String = (1..6).map { ('0'..'9').random() }.joinToString("").also { otpCache.put(it) }
}
'''

KOTLIN_SECURE = '''package com.example

import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.spec.GCMParameterSpec

class Vault(private val db: SQLiteDatabase, private val key: SecretKey) {
    private val random = SecureRandom()

    fun find(name: String) = db.rawQuery("SELECT * FROM secrets WHERE name = ?", arrayOf(name))

    fun encrypt(data: ByteArray): ByteArray {
        val nonce = ByteArray(12).also { random.nextBytes(it) }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(128, nonce))
        return nonce + cipher.doFinal(data)
    }

    fun newToken(): String {
        val bytes = ByteArray(32).also { random.nextBytes(it) }
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
    }
}
'''

CSHARP_VULNERABLE = '''using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Controllers;

[ApiController]
[Route("api/[controller]")]
public class AdminController : ControllerBase
{
    [HttpGet("orders")]
    public IActionResult Orders(string customer)
    {
        using var cmd = new SqlCommand($"SELECT * FROM Orders WHERE Customer = '{customer}'", _conn);
        return Ok(cmd.ExecuteScalar());
    }

    [HttpPost("backup")]
    public IActionResult Backup(string target)
    {
        Process.Start("cmd.exe", "/c robocopy C:\\\\data " + target);
        return Ok();
    }

    [HttpGet("export")]
    public IActionResult Export(string file)
    {
        return PhysicalFile(Path.Combine(_exportDir, file), "text/csv");
    }

    private static byte[] Legacy(byte[] data)
    {
        using var des = DES.Create();
        return des.CreateEncryptor().TransformFinalBlock(data, 0, data.Length);
    }
}
'''

CSHARP_SECURE = '''using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Controllers;

[ApiController]
[Route("api/[controller]")]
public class OrdersController : ControllerBase
{
    [HttpGet]
    public async Task<IActionResult> Orders(string customer, CancellationToken cancellationToken)
    {
        var orders = await _db.Orders
            .FromSql($"SELECT * FROM Orders WHERE Customer = {customer}")
            .ToListAsync(cancellationToken);
        return Ok(orders);
    }

    [HttpGet("export/{id:int}")]
    public IActionResult Export(int id)
    {
        var path = Path.Combine(_exportDir, $"orders-{id}.csv");
        return PhysicalFile(path, "text/csv");
    }

    [HttpPost("token")]
    public IActionResult Token() => Ok(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
}
'''

GO_VULNERABLE = '''package main

import (
	"crypto/tls"
	"database/sql"
	"fmt"
	"net/http"
	"os/exec"
)

func search(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		rows, err := db.Query(fmt.Sprintf("SELECT id FROM items WHERE name LIKE '%%%s%%'", q))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer rows.Close()
		fmt.Fprintf(w, "<h1>Results for %s</h1>", q)
	}
}

func convert(w http.ResponseWriter, r *http.Request) {
	out, _ := exec.Command("sh", "-c", "convert "+r.FormValue("file")+" out.png").CombinedOutput()
	w.Write(out)
}

var client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
'''

GO_SECURE = '''package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"html/template"
	"net/http"
	"os"
	"path/filepath"
)

var page = template.Must(template.New("r").Parse(`<h1>Results for {{.}}</h1>`))

func search(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		rows, err := db.QueryContext(r.Context(), "SELECT id FROM items WHERE name LIKE $1", "%"+q+"%")
		if err != nil {
			http.Error(w, "query failed", http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		page.Execute(w, q)
	}
}

func avatar(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("name"))
	http.ServeFile(w, r, filepath.Join("/srv/avatars", name))
}

func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func main() {
	if err := os.MkdirAll("/var/lib/app", 0o750); err != nil {
		panic(err)
	}
}
'''

FULL_FILES = [
    ("java", JAVA_VULNERABLE, {
        "java.sql-injection.concat-in-query", "java.ssrf.request-url", "java.xss.servlet-writer",
        "java.crypto.weak-hash", "java.crypto.password-fast-hash", "java.secrets.hardcoded-credential",
    }),
    ("java", JAVA_SECURE, set()),
    ("kotlin", KOTLIN_VULNERABLE, {
        "kotlin.sql-injection.template-in-query", "kotlin.crypto.ecb-mode",
        "kotlin.android.webview-js-interface", "kotlin.secrets.hardcoded-credential",
        "kotlin.crypto.insecure-random",
    }),
    ("kotlin", KOTLIN_SECURE, set()),
    ("csharp", CSHARP_VULNERABLE, {
        "csharp.sql-injection.concat-in-command", "csharp.command-injection.request-data",
        "csharp.path-traversal.request-path", "csharp.crypto.weak-cipher",
    }),
    ("csharp", CSHARP_SECURE, set()),
    ("go", GO_VULNERABLE, {
        "go.sql-injection.concat-or-sprintf", "go.xss.response-writer", "go.command-injection.request-data",
        "go.tls.insecure-skip-verify",
    }),
    ("go", GO_SECURE, set()),
]


@pytest.mark.parametrize(
    ("lang", "code", "expected"), FULL_FILES, ids=[f"{f[0]}-{i}" for i, f in enumerate(FULL_FILES)]
)
def test_whole_files(lang: str, code: str, expected: set[str]) -> None:
    fired = {r["id"] for ol, _p, r in RULES if ol == lang and evaluate(r, code)}
    if expected:
        assert expected <= fired, f"missing {expected - fired}"
        assert fired <= expected, f"unexpected {fired - expected}"
    else:
        assert not fired, f"secure file flagged by {fired}"
