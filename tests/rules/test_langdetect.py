"""Language detection for untagged blocks and completions: tag, prompt hints, then heuristics."""

from __future__ import annotations

import pytest

from proxy.rules.langdetect import detect_language, heuristic_scores, hints_from_text, languages_from_hints

SAMPLES = {
    "python": "import os\n\ndef handler(event):\n    if event is None:\n        return None\n"
              "    return os.getcwd()\n",
    "javascript": "const express = require('express');\nconst app = express();\n"
                  "app.get('/', (req, res) => {\n"
                  "  res.send('ok');\n});\n",
    "typescript": "interface User {\n  id: number;\n  name: string;\n}\n"
                  "export function greet(u: User): string {\n"
                  "  return `hi ${u.name}`;\n}\n",
    "tsx": "type Props = { name: string };\nexport function Hello({ name }: Props) {\n"
           "  return <div className=\"x\">{name}</div>;\n}\n",
    "go": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tx := 1\n\tfmt.Println(x)\n}\n",
    "java": "import java.util.List;\n\npublic class App {\n    public static void main(String[] args) {\n"
            "        System.out.println(\"hi\");\n    }\n}\n",
    "csharp": "using System;\nnamespace Demo {\n"
              "  class P { static void Main() { Console.WriteLine(\"x\"); } }\n}\n",
    "ruby": "require 'json'\nclass User < ApplicationRecord\n  def admin?\n    role == 'admin'\n  end\nend\n",
    "rust": "use std::io;\nfn main() {\n    let mut s = String::new();\n    println!(\"{}\", s);\n}\n",
    "php": "<?php\n$name = $_GET['name'];\necho $name;\n",
    "bash": "#!/bin/bash\nset -e\nfor f in *.log; do\n  echo \"$f\"\ndone\n",
    "dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
    "hcl": "resource \"aws_s3_bucket\" \"b\" {\n  bucket = var.name\n}\n",
    "yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n",
    "cpp": "#include <iostream>\nint main() {\n  std::cout << \"hi\" << std::endl;\n}\n",
    "c": "#include <stdio.h>\nint main(void) {\n  char buf[16];\n  printf(\"%s\", buf);\n}\n",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_heuristics_recognise_typical_code(lang: str) -> None:
    assert detect_language(SAMPLES[lang]) == lang


def test_tag_wins_over_everything() -> None:
    assert detect_language(SAMPLES["python"], tag="js", hints=["main.go"]) == "javascript"
    assert detect_language(SAMPLES["python"], tag="json") is None  # explicit non-code tag: no guessing
    assert detect_language(SAMPLES["python"], tag="text") == "python"  # generic tag: detect


def test_prose_and_tiny_fragments_are_unsure() -> None:
    assert detect_language("Remember to restart the service after changing the settings.") is None
    assert detect_language("x = 1") is None
    assert detect_language("") is None


def test_hints_from_prompt() -> None:
    prompt = "Fix the bug in src/app.py and update main.go, also the Dockerfile. Use TypeScript."
    hints = hints_from_text(prompt)
    assert hints[:3] == ["src/app.py", "main.go", "Dockerfile"] and "typescript" in hints
    assert languages_from_hints(hints) == ["python", "go", "dockerfile", "typescript"]
    assert hints_from_text("Let's go to the park") == []
    assert "go" in hints_from_text("Write it in Go please")


def test_hint_decides_an_ambiguous_fragment() -> None:
    fragment = "    return x\n"
    assert detect_language(fragment) is None
    assert detect_language(fragment, hints=["utils.py"]) == "python"
    assert detect_language(fragment, hints=["index.ts", "app.py"]) is None  # two hints, no evidence


def test_hint_picks_among_languages_the_code_resembles() -> None:
    js = "const x = require('fs');\nconsole.log(x);\n"
    assert detect_language(js, hints=["app.py", "server.js"]) == "javascript"
    assert detect_language(SAMPLES["typescript"], hints=["server.js"]) == "typescript"


def test_strong_evidence_beats_a_single_wrong_hint() -> None:
    assert detect_language(SAMPLES["go"], hints=["app.py"]) == "go"


def test_scores_are_cheap_and_bounded() -> None:
    scores = heuristic_scores(SAMPLES["python"] * 200)
    assert max(scores, key=lambda k: scores[k]) == "python"
