"""Topic and language detection: the right packs for a turn, and nothing for turns not about code."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from proxy.templates.config import TemplateSettings
from proxy.templates.library import load_library
from proxy.templates.select import select_packs
from proxy.templates.topics import analyze

LIB = load_library()
SETTINGS = TemplateSettings()


def ids(prompt: str, lang: str | None = None, settings: TemplateSettings = SETTINGS) -> list[str]:
    return select_packs(LIB, prompt, settings, team="t", lang=lang).ids


@pytest.mark.parametrize(("prompt", "must", "must_not"), [
    ("write a login endpoint in flask", {"base", "auth", "lang-python"}, {"sql", "crypto"}),
    ("write a SQL query to get users by email", {"base", "sql"}, {"auth", "logging"}),
    ("add an endpoint that accepts a file upload and saves it", {"file-upload"}, {"sql"}),
    ("parse this YAML config in python", {"deserialization", "lang-python"}, {"secrets"}),
    ("write a Dockerfile for my flask app", {"iac"}, set()),
    ("run ffmpeg on the uploaded filename with subprocess", {"shell"}, set()),
    ("show the user's comment on the page with innerHTML", {"xss"}, set()),
    ("encrypt this field before saving it to the database", {"crypto"}, {"sql"}),
    ("fetch the URL the user pastes and return a link preview", {"http-client"}, set()),
    ("add GET /orders/{order_id} that returns the order", {"access-control"}, set()),
    ("store the JWT after login and send it with every request", {"sessions"}, set()),
    ("how do I pass the Stripe API key to my app without committing it?", {"secrets"}, set()),
    ("add logging to this signup handler so we can debug failures", {"logging"}, set()),
    ("```python\nimport pickle\ndata = pickle.loads(request.body)\n```\nis this ok?",
     {"base", "deserialization", "lang-python"}, set()),
    ("```go\nrows, err := db.Query(\"SELECT * FROM users WHERE id = \" + id)\n```",
     {"sql", "lang-go"}, set()),
    ("write a C function that copies a user name into a struct", {"base", "lang-c"}, set()),
    # A redacted secret in the turn (placeholder from the redaction stage) pulls in the secrets pack.
    ("use this key: <SECRET_AWS_ACCESS_KEY_1> in the deploy script", {"secrets"}, set()),
])
def test_topic_selection(prompt: str, must: set[str], must_not: set[str]) -> None:
    got = set(ids(prompt))
    assert must <= got, got
    assert not (must_not & got), got


@pytest.mark.parametrize("prompt", [
    "hello",
    "explain this regex",
    "explain this regex: ```regex\n^[a-z0-9_-]{3,16}$\n```",
    "what's the time complexity of quicksort",
    "thanks, that works!",
    "write a haiku about autumn",
    "what is the difference between a process and a thread?",
    "how do I iterate over keys in a hashmap",
    "list the files in a directory",
    "tokenize the text with spacy",
    "what git command undoes a commit",
    "translate to French: the list of users",
    "what is a python decorator?",
])
def test_not_about_security_selects_nothing(prompt: str) -> None:
    assert ids(prompt) == []


@pytest.mark.parametrize("prompt", [
    "write a python function to reverse a string",
    "write unit tests for this function",
    "```js\nconst total = items.reduce((a, b) => a + b, 0);\n```\nwhy is this slow?",
])
def test_code_without_a_topic_gets_only_the_base_pack(prompt: str) -> None:
    assert ids(prompt) == ["base"]


def test_base_setting() -> None:
    assert ids("hello", settings=TemplateSettings(base="always")) == ["base"]
    assert ids("write a login endpoint in flask", settings=TemplateSettings(base="off"))[0] == "auth"


def test_max_topic_packs_keeps_the_best_scoring() -> None:
    prompt = ("write a login endpoint that stores the password hash in postgres with a SQL query, "
              "sets a session cookie and logs failed attempts")
    many = select_packs(LIB, prompt, SETTINGS).detection.topics
    assert len(many) >= 3
    one = select_packs(LIB, prompt, TemplateSettings(max_topic_packs=1)).detection.topics
    assert list(one) == [next(iter(many))]


@pytest.mark.parametrize(("prompt", "lang"), [
    ("write a login endpoint in flask", "python"),
    ("```python\nprint(1)\n```", "python"),
    ("fix the bug in app.py", "python"),
    ("a handler in Go that reads JSON", "go"),
    ("Go ahead and explain closures", None),
    ("write it in C++ please", "cpp"),
    ("merge sort in Java", "java"),
    ("query postgres for a user by email in node", "javascript"),
    ("package main\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n", "go"),
    ("#include <stdio.h>\nint main(void) { printf(\"hi\"); }", "c"),
    ("```ts\nconst x: string = 'a'\n```", "typescript"),
    ("hello", None),
    ("explain this regex", None),
])
def test_language_detection(prompt: str, lang: str | None) -> None:
    assert analyze(prompt).language == lang


def test_explicit_language_wins() -> None:
    assert analyze("write it in python", lang="go").language == "go"
    assert "lang-java" in ids("write a SQL query to get users by email", lang="java")


def test_imports_and_file_names_are_evidence() -> None:
    feats = analyze("```python\nfrom xml.etree import ElementTree\nimport yaml, os\n```\n"
                    "see deploy/Dockerfile")
    assert {"xml.etree", "yaml", "os"} <= feats.evidence.imports
    assert feats.evidence.imports_module("xml")
    assert "deploy/Dockerfile" in feats.evidence.files
    go = analyze('import (\n\t"database/sql"\n\t"net/http"\n)\n')
    assert go.evidence.imports_module("database/sql")


def test_detection_is_deterministic() -> None:
    prompt = "write a login endpoint that queries postgres and sets a cookie, in flask"
    assert len({tuple(ids(prompt)) for _ in range(20)}) == 1


def test_large_paste_is_bounded_and_fast() -> None:
    here = Path(__file__).resolve().parents[2] / "proxy" / "templates"
    source = "".join(p.read_text() for p in sorted(here.glob("*.py")))
    text = "refactor this:\n```python\n" + (source * 4)[:200_000] + "\n```"
    select_packs(LIB, text, SETTINGS)  # warm up
    t0 = time.perf_counter()
    sel = select_packs(LIB, text, SETTINGS)
    elapsed = time.perf_counter() - t0
    assert sel.detection.language == "python"
    assert elapsed < 0.25, elapsed  # ~10 ms idle; generous for a shared CI core
