"""Benchmark: a Maillage intake form against Wagtail's built-in form page.

Both serve the same 20 fields from one gunicorn server (2 workers, loopback)
in the same run. Maillage's form has 3 steps and 2 conditions; a full
submission is its whole journey (open, 3 steps, review, send) against
Wagtail's (open, send). Prints requests per second and p95 for rendering and
for a full submission, and the ratios (goal: at most 1.5x Wagtail's).

    .venv/bin/python tests/bench/bench_forms.py [--seconds 10] [--clients 4]
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"BNC-\d{4}-\d+")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def set_up_django(var_dir: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.bench", MAILLAGE_VAR_DIR=var_dir
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def maillage_fields() -> list[dict]:
    from forms_library.library import field, step, when

    return [
        step("Vous"),
        field("short_text", "Prénom", "prenom"),
        field("short_text", "Nom", "nom"),
        field("short_text", "Commune", "commune"),
        field("email", "Courriel", "courriel"),
        field("phone", "Téléphone", "telephone"),
        field("yes_no", "Enfants ?", "enfants"),
        field(
            "number", "Combien ?", "combien", show_if=when("enfants", "equals", "yes")
        ),
        step("Situation"),
        field("single_choice", "Logement", "logement", choices=["A", "B", "C"]),
        field("multiple_choice", "Besoins", "besoins", choices=["x", "y", "z"]),
        field("date", "Date", "date"),
        field("postal_code", "Code postal", "code_postal", country="FR"),
        field("address", "Adresse", "adresse"),
        field("long_text", "Précisions", "precisions"),
        field("number", "Adultes", "adultes"),
        step("Fin"),
        field("short_text", "Structure", "structure"),
        field("short_text", "Référent", "referent"),
        field("yes_no", "Urgent ?", "urgent"),
        field(
            "short_text",
            "Pourquoi ?",
            "pourquoi",
            show_if=when("urgent", "equals", "yes"),
        ),
        field("long_text", "Remarques", "remarques"),
        field("consent", "Accord", "accord", purpose="Étude de la demande."),
    ]


MAILLAGE_STEPS = [
    {
        "0-prenom": "Awa",
        "0-nom": "Diallo",
        "0-commune": "Brest",
        "0-courriel": "awa@example.org",
        "0-telephone": "0612345678",
        "0-enfants": "yes",
        "0-combien": "2",
    },
    {
        "1-logement": "A",
        "1-besoins": ["x", "y"],
        "1-date": "2026-01-15",
        "1-code_postal": "29200",
        "1-adresse": "1 rue de Brest",
        "1-precisions": "Rien",
        "1-adultes": "1",
    },
    {
        "2-structure": "CCAS",
        "2-referent": "Mme L.",
        "2-urgent": "yes",
        "2-pourquoi": "Plus de ressources",
        "2-remarques": "—",
        "2-accord": "on",
    },
]

WAGTAIL_FIELDS = [
    ("Prénom", "singleline"),
    ("Nom", "singleline"),
    ("Commune", "singleline"),
    ("Courriel", "email"),
    ("Téléphone", "singleline"),
    ("Enfants", "radio"),
    ("Combien", "number"),
    ("Logement", "dropdown"),
    ("Besoins", "checkboxes"),
    ("Date", "date"),
    ("Code postal", "singleline"),
    ("Adresse", "multiline"),
    ("Précisions", "multiline"),
    ("Adultes", "number"),
    ("Structure", "singleline"),
    ("Référent", "singleline"),
    ("Urgent", "radio"),
    ("Pourquoi", "singleline"),
    ("Remarques", "multiline"),
    ("Accord", "checkbox"),
]
WAGTAIL_ANSWERS = {
    "prenom": "Awa",
    "nom": "Diallo",
    "commune": "Brest",
    "courriel": "awa@example.org",
    "telephone": "0612345678",
    "enfants": "oui",
    "combien": "2",
    "logement": "A",
    "besoins": ["x", "y"],
    "date": "2026-01-15",
    "code_postal": "29200",
    "adresse": "1 rue de Brest",
    "precisions": "Rien",
    "adultes": "1",
    "structure": "CCAS",
    "referent": "Mme L.",
    "urgent": "oui",
    "pourquoi": "Plus de ressources",
    "remarques": "—",
    "accord": "on",
}


def build_pages() -> tuple[str, str]:
    from content.demo import ensure_home_page
    from content.models import TerritoryPage
    from forms_library.models import FormDefinition, IntakeFormPage
    from tests.bench.baseline.models import BaselineFormField, BaselineFormPage

    home = ensure_home_page()
    territory = home.add_child(
        instance=TerritoryPage(
            title="Banc d'essai", slug="banc", code="BNC", kind="other"
        )
    )
    definition = FormDefinition(
        title="Banc",
        territory=territory,
        purpose="Banc d'essai.",
        fields=maillage_fields(),
        live=False,
    )
    definition.save()
    definition.save_revision().publish()
    definition.refresh_from_db()
    ours = territory.add_child(
        instance=IntakeFormPage(
            title="Banc", slug="maillage", form_definition=definition
        )
    )
    baseline = home.add_child(
        instance=BaselineFormPage(title="Wagtail", slug="wagtail")
    )
    choices = {"radio": "oui,non", "dropdown": "A,B,C", "checkboxes": "x,y,z"}
    for order, (label, field_type) in enumerate(WAGTAIL_FIELDS):
        BaselineFormField.objects.create(
            page=baseline,
            sort_order=order,
            label=label,
            field_type=field_type,
            required=field_type != "checkboxes",
            choices=choices.get(field_type, ""),
        )
    return ours.url, baseline.url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
    )
    # The first request loads the whole site: it may take a few seconds.
    for _ in range(60):
        try:
            requests.get(f"http://127.0.0.1:{port}/fr/", timeout=10)
            return server
        except requests.RequestException:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def _csrf(response) -> str:
    return CSRF.search(response.text).group(1)


def render(session, url: str) -> None:
    assert session.get(url, timeout=10).status_code == 200


def submit_maillage(session, url: str) -> None:
    page = session.get(url, timeout=10)
    token = _csrf(page)
    prefix = re.search(r'name="(intake_\d+)-current_step"', page.text).group(1)
    for index, data in enumerate(MAILLAGE_STEPS):
        response = session.post(
            url,
            {
                "csrfmiddlewaretoken": token,
                f"{prefix}-current_step": str(index),
                **data,
            },
            timeout=10,
        )
        assert response.status_code == 200, response.status_code
    # Sending redirects to the confirmation, which the person then reads:
    # both requests are part of the journey.
    response = session.post(
        url,
        {"csrfmiddlewaretoken": token, f"{prefix}-current_step": "review"},
        timeout=10,
    )
    assert response.status_code == 200 and REFERENCE.search(response.text)


def submit_wagtail(session, url: str) -> None:
    token = _csrf(session.get(url, timeout=10))
    response = session.post(
        url, {"csrfmiddlewaretoken": token, **WAGTAIL_ANSWERS}, timeout=10
    )
    assert response.status_code == 200 and "Merci" in response.text


def measure(action, url: str, seconds: float, clients: int) -> dict:
    """Run `action` from several clients for a while; latency per action."""
    deadline = time.perf_counter() + seconds

    def client_loop():
        session, latencies = requests.Session(), []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            action(session, url)
            latencies.append(time.perf_counter() - start)
        return latencies

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = [
            t
            for result in pool.map(lambda _: client_loop(), range(clients))
            for t in result
        ]
    elapsed = time.perf_counter() - started
    return {
        "per_second": len(latencies) / elapsed,
        "p95_ms": statistics.quantiles(latencies, n=20)[18] * 1000,
        "count": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="maillage-bench-")
    try:
        set_up_django(var_dir)
        ours, theirs = build_pages()
        port = free_port()
        server = start_server(port)
        base = f"http://127.0.0.1:{port}"
        try:
            results = {}
            for name, action, url in [
                ("render maillage", render, ours),
                ("render wagtail", render, theirs),
                ("submit maillage", submit_maillage, ours),
                ("submit wagtail", submit_wagtail, theirs),
            ]:
                measure(action, base + url, 1, 1)  # warm up
                results[name] = measure(action, base + url, args.seconds, args.clients)
        finally:
            server.terminate()
            server.wait(10)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    for name, result in results.items():
        print(
            f"{name:<16} {result['per_second']:8.1f}/s  p95 {result['p95_ms']:7.1f} ms"
            f"  ({result['count']})"
        )
    for kind in ("render", "submit"):
        ours_r, theirs_r = results[f"{kind} maillage"], results[f"{kind} wagtail"]
        print(
            f"{kind}: throughput ratio (wagtail/maillage) "
            f"{theirs_r['per_second'] / ours_r['per_second']:.2f}x, "
            f"p95 ratio (maillage/wagtail) {ours_r['p95_ms'] / theirs_r['p95_ms']:.2f}x"
        )


if __name__ == "__main__":
    main()
