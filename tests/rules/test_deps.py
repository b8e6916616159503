"""Hallucinated / typosquatted dependency detection against the shipped offline package lists."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from proxy.pipeline.context import CodeFinding
from proxy.rules.deps import check_dependencies

DATA = Path(__file__).resolve().parents[2] / "proxy" / "rules" / "data"


def rules(code: str, language: str) -> list[tuple[str, int]]:
    return [(f.rule_id, f.line) for f in check_dependencies(code, language)]


def ids(code: str, language: str) -> set[str]:
    return {f.rule_id for f in check_dependencies(code, language)}


# --- data files -------------------------------------------------------------------------------------------


def test_data_files_are_small_and_clean() -> None:
    for name in ("pypi_top.txt", "npm_top.txt"):
        path = DATA / name
        assert 50_000 < path.stat().st_size < 600_000
        names = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
        assert len(names) > 10_000 and len(set(names)) == len(names)
    pypi = set((DATA / "pypi_top.txt").read_text(encoding="utf-8").splitlines())
    # Unranked registry rows (squatted names, "slopsquatting research" packages) must not count as popular.
    assert "alembic-aioredis-db-requirements" not in pypi
    assert {"requests", "numpy", "flask", "python-dateutil", "pyyaml"} <= pypi


# --- quiet on real, popular and standard names ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("import requests\nimport numpy as np\nfrom flask import Flask, request\n", "python"),
        (
            "import os, sys, json\nfrom collections import abc\nimport tomllib, asyncio\nimport distutils\n",
            "python",
        ),
        ("import yaml\nimport cv2\nfrom sklearn.linear_model import LinearRegression\n", "python"),
        (
            "from PIL import Image\nfrom bs4 import BeautifulSoup\nimport dateutil.parser\nimport jwt\n",
            "python",
        ),
        (
            "from google.cloud import storage\nimport flask_login\nfrom rest_framework import viewsets\n",
            "python",
        ),
        ("from . import views\nfrom .models import User\nfrom ..core import settings\n", "python"),
        (
            "pip install requests numpy 'flask>=3.0' pandas==2.2.2 python-dateutil PyYAML scikit-learn\n",
            "bash",
        ),
        ("pip install -r requirements.txt -e . --index-url https://pypi.org/simple\n", "bash"),
        ("pip install git+https://github.com/example/lib.git ./vendor/pkg.whl\n", "bash"),
        ("npm install express lodash react @types/node\nyarn add -D typescript jest\npnpm add zod\n", "bash"),
        ("npm i ./local-pkg github-user/repo file:../shared @mycorp/internal-lib\n", "bash"),
        (
            "const fs = require('fs');\nconst path = require('node:path');\n"
            "const express = require('express');\n",
            "javascript",
        ),
        (
            "import React from 'react';\nimport _ from 'lodash/fp';\n"
            "import x from './x';\nimport y from '@/lib/y';\n",
            "typescript",
        ),
        ("import type { Request } from 'express';\nimport { readFile } from 'fs/promises';\n", "typescript"),
    ],
)
def test_popular_and_standard_names_are_quiet(code: str, language: str) -> None:
    assert check_dependencies(code, language) == []


def test_unknown_imports_are_quiet() -> None:
    """Imports of modules we do not know are usually the project's own modules: never reported."""
    code = "import mymodule\nfrom schemas import UserSchema\nfrom crawler import crawl\nimport slices\n"
    assert check_dependencies(code, "python") == []
    js = "import store from 'store';\nconst helpers = require('helpers');\nimport x from 'my-local-thing';\n"
    assert check_dependencies(js, "javascript") == []


# --- typosquats -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["reqeusts", "nunpy", "flaskk", "python-dateutils", "dateutil-python", "colourama", "djanga"]
)
def test_pypi_typosquats_in_install_commands(name: str) -> None:
    findings = check_dependencies(f"pip install {name}\n", "bash")
    assert [f.rule_id for f in findings] == ["deps.typosquat"]
    f = findings[0]
    assert (f.severity, f.cwe, f.owasp) == ("high", "CWE-829", "A06:2021-Vulnerable and Outdated Components")


@pytest.mark.parametrize("name", ["expresss", "lodahs", "raect", "axois", "mongose", "crossenv"])
def test_npm_typosquats_in_install_commands(name: str) -> None:
    assert ids(f"npm install --save {name}\n", "bash") == {"deps.typosquat"}


def test_typosquat_names_the_real_package_in_the_fix() -> None:
    (finding,) = check_dependencies("pip install python-dateutils\n", "bash")
    assert "python-dateutil" in finding.fix and "pip install python-dateutil" in finding.fix
    (finding,) = check_dependencies("npm i lodahs\n", "bash")
    assert "npm install lodash" in finding.fix


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("import reqeusts\n", "python"),
        ("import nunpy as np\n", "python"),
        ("from flaskk import Flask\n", "python"),
        ("from skleran.svm import SVC\n", "python"),
        ("const _ = require('lodahs');\n", "javascript"),
        ("import express from 'expresss';\n", "typescript"),
    ],
)
def test_typosquats_in_imports(code: str, language: str) -> None:
    assert rules(code, language) == [("deps.typosquat", 1)]


def test_look_alike_npm_scope() -> None:
    assert ids("npm install @typs/node\n", "bash") == {"deps.typosquat"}
    # Names inside a real scope can only be published by its owner; unknown scopes are private registries.
    assert check_dependencies("npm install @types/some-rare-lib @acme/tools\n", "bash") == []


def test_version_variants_are_not_typosquats() -> None:
    assert "deps.typosquat" not in ids("pip install requests2\n", "bash")


# --- unknown installs -------------------------------------------------------------------------------------


def test_unknown_install_is_flagged_medium() -> None:
    findings = check_dependencies(
        "pip install flask-jwt-auth-helperz\nnpm install react-super-auth-kitz\n", "bash"
    )
    assert [(f.rule_id, f.severity, f.line) for f in findings] == [
        ("deps.unknown-package", "medium", 1),
        ("deps.unknown-package", "medium", 2),
    ]


def test_install_commands_inside_other_languages() -> None:
    py = (
        "import subprocess, sys\n# pip install pandsa\n"
        'subprocess.check_call([sys.executable, "-m", "pip", "install", "nunpy"])\n'
    )
    assert rules(py, "python") == [("deps.typosquat", 2), ("deps.typosquat", 3)]
    assert rules("!pip install zzqq-agent-tools\n", "python") == [("deps.unknown-package", 1)]
    docker = "FROM python:3.12-slim\nRUN pip install --no-cache-dir \\\n    requests \\\n    reqeusts\n"
    assert rules(docker, "dockerfile") == [("deps.typosquat", 2)]


def test_requirements_file() -> None:
    code = (
        "# app deps\n"
        "requests==2.32.3\n"
        "numpy>=1.26 ; python_version >= '3.10'\n"
        "reqeusts==1.0  # typo\n"
        "-r base.txt\n"
        "-e ./libs/core\n"
        "mylib @ https://example.com/mylib-1.0.whl\n"
        "uvicorn[standard]==0.30.1 \\\n"
        "    --hash=sha256:abc\n"
        "totally-made-up-pkgzz\n"
    )
    assert rules(code, "requirements") == [("deps.typosquat", 4), ("deps.unknown-package", 10)]


def test_package_json() -> None:
    code = """{
  "name": "app",
  "dependencies": {"express": "^4.19.2", "expresss": "1.0.0", "shared": "file:../shared",
                   "lib": "github:user/lib", "utilz-made-up-thing": "^1.0.0"},
  "devDependencies": {"@types/node": "^20.0.0", "typescript": "^5.5.0"}
}"""
    assert rules(code, "json") == [("deps.typosquat", 3), ("deps.unknown-package", 4)]
    fragment = '"dependencies": {\n  "react": "^18.3.1",\n  "raect": "^18.3.1"\n}'
    assert rules(fragment, "json") == [("deps.typosquat", 3)]


def test_pyproject_toml() -> None:
    code = '[project]\nname = "x"\ndependencies = [\n  "requests>=2",\n  "reqeusts",\n]\n'
    assert rules(code, "toml") == [("deps.typosquat", 5)]


def test_findings_are_code_findings_deduplicated() -> None:
    findings = check_dependencies("pip install reqeusts\npip install reqeusts\n", "sh")
    assert len(findings) == 1 and isinstance(findings[0], CodeFinding)
    assert findings[0].language == "sh" and findings[0].action == "annotate"


def test_garbage_input_does_not_raise() -> None:
    for code in ["pip install 'unterminated", 'npm install "@"', "{not json", "[project\n", "\x00" * 10]:
        for lang in ("bash", "python", "javascript", "requirements", "json", "toml", "unknown"):
            check_dependencies(code, lang)


# --- speed ------------------------------------------------------------------------------------------------


def test_typical_block_is_fast() -> None:
    check_dependencies("pip install requests\nnpm i react\n", "bash")  # load the lists once
    py = (
        "import os\nimport requests\nimport numpy as np\nfrom flask import Flask\nimport reqeusts\n"
        "from sklearn.model_selection import train_test_split\nfrom .models import User\n"
        "# pip install requests flask numpy\n" + "x = 1\n" * 40
    )
    js = "const express = require('express');\nimport _ from 'lodash';\nimport x from './x';\n" * 3
    sh = "pip install requests flask-cors python-dateutils\nnpm install express lodahs @types/node\n"
    n = 200
    start = time.perf_counter()
    for _ in range(n):
        check_dependencies(py, "python")
        check_dependencies(js, "javascript")
        check_dependencies(sh, "bash")
    per_block_ms = (time.perf_counter() - start) / (3 * n) * 1000
    assert per_block_ms < 1.0, per_block_ms
