"""Benchmark: exporting 100,000 submissions of a 20-field form, CSV and XLSX.

Maillage's export (built in chunks, as the Huey task does) against Wagtail's
built-in form-submission export of the same data, and against pandas writing
the same frame already in memory. Each measurement runs in its own process,
so its peak memory (maximum resident set size) is its own.

    .venv/bin/python tests/bench/bench_exports.py [--rows 100000]

Goals: CSV at least as fast as Wagtail's; XLSX within 2x of pandas' in-memory
write; peak memory under 300 MB at any row count.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEASUREMENTS = [
    "maillage-csv",
    "wagtail-csv",
    "maillage-xlsx",
    "wagtail-xlsx",
    "pandas-xlsx-in-memory",
]


def set_up_django(var_dir: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.bench", MAILLAGE_VAR_DIR=var_dir
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def answers(index: int) -> dict:
    return {
        "prenom": f"Prénom {index}",
        "nom": f"Nom {index}",
        "commune": "Brest",
        "courriel": f"personne{index}@example.org",
        "telephone": "0612345678",
        "enfants": "yes",
        "combien": "2",
        "logement": "A",
        "besoins": ["x", "y"],
        "date": "2026-01-15",
        "code_postal": "29200",
        "adresse": "1 rue de Brest",
        "precisions": "Rien de plus à signaler pour le moment.",
        "adultes": "1",
        "structure": "CCAS",
        "referent": "Mme L.",
        "urgent": "no",
        "pourquoi": "",
        "remarques": "—",
        "accord": True,
    }


def load_data(rows: int) -> None:
    """The same rows in a Maillage form and in a Wagtail form page."""
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from wagtail.contrib.forms.models import FormSubmission

    from content.demo import ensure_home_page
    from content.models import TerritoryKind, TerritoryPage
    from forms_library.models import FormDefinition, Submission
    from tests.bench.baseline.models import BaselineFormField, BaselineFormPage
    from tests.bench.bench_forms import WAGTAIL_FIELDS, maillage_fields

    get_user_model().objects.create_superuser("bench", "bench@example.org", "bench")
    home = ensure_home_page()
    territory = home.add_child(
        instance=TerritoryPage(
            title="Banc d'essai", slug="banc", code="BNC", kind=TerritoryKind.MRC
        )
    )
    definition = FormDefinition(
        title="Demande", territory=territory, purpose="Banc d'essai", live=False
    )
    definition.fields = maillage_fields()
    definition.save()
    revision = definition.save_revision()
    revision.publish()
    baseline = home.add_child(
        instance=BaselineFormPage(title="Wagtail", slug="wagtail")
    )
    for order, (label, field_type) in enumerate(WAGTAIL_FIELDS):
        BaselineFormField.objects.create(
            page=baseline,
            sort_order=order,
            label=label,
            field_type=field_type,
            required=False,
            choices="A,B,C"
            if field_type in ("dropdown", "checkboxes", "radio")
            else "",
        )
    names = [f.clean_name for f in baseline.get_form_fields()]
    now = timezone.now()
    batch = 5000
    for start in range(0, rows, batch):
        count = min(batch, rows - start)
        Submission.objects.bulk_create(
            Submission(
                form_definition=definition,
                revision=revision,
                territory=territory,
                reference=f"BNC-2026-{start + i:06d}",
                answers=answers(start + i),
                idempotency_key=f"bench-{start + i}",
                created_at=now,
            )
            for i in range(count)
        )
        FormSubmission.objects.bulk_create(
            FormSubmission(
                page=baseline,
                form_data=dict(
                    zip(names, list(answers(start + i).values()), strict=False)
                ),
            )
            for i in range(count)
        )


def measure(name: str, output: Path) -> dict:
    """Run one export in this process; time it and read its peak memory."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from forms_library.exports import export_build
    from forms_library.models import DataExport, FormDefinition
    from tests.bench.baseline.models import BaselineFormPage

    user = get_user_model().objects.get(username="bench")
    started = time.perf_counter()
    if name.startswith("maillage"):
        export = DataExport.objects.create(
            requested_by=user,
            kind="submissions",
            form_definition=FormDefinition.objects.get(),
            file_format=name.split("-")[1],
        )
        export_build(export_id=export.pk)
        export.refresh_from_db()
        size = export.file.size
    elif name.startswith("wagtail"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        page = BaselineFormPage.objects.get()
        response = client.get(
            f"/admin/forms/submissions/{page.pk}/", {"export": name.split("-")[1]}
        )
        with output.open("wb") as file:
            if response.streaming:
                for part in response.streaming_content:
                    file.write(part)
            else:
                file.write(response.content)
        size = output.stat().st_size
    else:
        frame = _whole_frame()
        started = time.perf_counter()  # the frame is already in memory
        frame.to_excel(output, index=False, engine="openpyxl")
        size = output.stat().st_size
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 2), "peak_mb": round(peak_mb), "bytes": size}


def _whole_frame():
    import pandas as pd

    from forms_library.forms import answer_display
    from forms_library.models import Submission

    records = [
        {"reference": reference, **values}
        for reference, values in Submission.objects.values_list("reference", "answers")
    ]
    return pd.DataFrame.from_records(records).map(answer_display)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--only", choices=MEASUREMENTS)
    parser.add_argument("--var-dir")
    arguments = parser.parse_args()
    if arguments.only:
        set_up_django(arguments.var_dir)
        result = measure(arguments.only, Path(arguments.var_dir) / "baseline.out")
        print(json.dumps(result))
        return
    var_dir = tempfile.mkdtemp(prefix="maillage-bench-")
    try:
        set_up_django(var_dir)
        started = time.perf_counter()
        load_data(arguments.rows)
        print(f"{arguments.rows} rows loaded in {time.perf_counter() - started:.0f} s")
        results = {}
        for name in MEASUREMENTS:
            run = subprocess.run(
                [sys.executable, __file__, "--only", name, "--var-dir", var_dir],
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                sys.exit(f"{name} failed:\n{run.stderr}")
            results[name] = json.loads(run.stdout.strip().splitlines()[-1])
            print(name, results[name], flush=True)
        report(results)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def report(results: dict) -> None:
    csv_ratio = results["maillage-csv"]["seconds"] / results["wagtail-csv"]["seconds"]
    xlsx_ratio = (
        results["maillage-xlsx"]["seconds"]
        / results["pandas-xlsx-in-memory"]["seconds"]
    )
    peak = max(results["maillage-csv"]["peak_mb"], results["maillage-xlsx"]["peak_mb"])
    print(f"CSV: Maillage / Wagtail time = {csv_ratio:.2f} (goal <= 1)")
    print(f"XLSX: Maillage / pandas in memory = {xlsx_ratio:.2f} (goal <= 2)")
    print(f"Peak memory of Maillage's exports: {peak} MB (goal < 300)")


if __name__ == "__main__":
    main()
