"""Benchmark: where a resident's journey spends its time, request by request.

In-process (Django's test client, no server, no network), the same forms as
`bench_forms.py`: each request of Maillage's journey (open, 3 steps, review,
send, confirmation) against Wagtail's (open, send), median time and queries.

Two flags measure what the journey would cost without parts of the stack,
to know how far the goal is from reach; neither is how the site runs:
  --cached-routing   page routing answered from a per-process dictionary
                     (no site lookup, no page queries, no view restrictions)
  --cookie-wizard    the wizard's answers in a signed cookie instead of the
                     database session (no session write per step)

    .venv/bin/python tests/bench/bench_journey.py [--journeys 30] [flags]
"""

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import bench_forms  # noqa: E402

Timings = list[tuple[str, float, int]]


def timed(name: str, request, out: Timings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = request()
    out.append((name, (time.perf_counter() - start) * 1000, len(queries)))
    return response


def maillage_journey(client, url: str) -> Timings:
    out: Timings = []
    page = timed("open", lambda: client.get(url), out)
    prefix = re.search(r'name="(intake_\d+)-current_step"', page.text).group(1)
    for index, data in enumerate(bench_forms.MAILLAGE_STEPS):
        step = {f"{prefix}-current_step": str(index), **data}
        response = timed(
            f"step {index + 1}", lambda step=step: client.post(url, step), out
        )
        assert response.status_code == 200
    sent = timed(
        "send", lambda: client.post(url, {f"{prefix}-current_step": "review"}), out
    )
    confirmation = timed("confirmation", lambda: client.get(sent["Location"]), out)
    assert bench_forms.REFERENCE.search(confirmation.text)
    return out


def wagtail_journey(client, url: str) -> Timings:
    out: Timings = []
    timed("open", lambda: client.get(url), out)
    sent = timed("send", lambda: client.post(url, bench_forms.WAGTAIL_ANSWERS), out)
    assert "Merci" in sent.text
    return out


def cache_routing() -> None:
    from wagtail.models import Page

    route_for_request = Page.route_for_request
    routes = {}

    def cached(request, path):
        if path not in routes:
            routes[path] = route_for_request(request, path)
        request._wagtail_route_for_request = routes[path]
        return routes[path]

    Page.route_for_request = staticmethod(cached)
    # View restrictions are checked per request on the routed page: skip too.
    from wagtail import hooks

    hooks.search_for_hooks()
    hooks._hooks["before_serve_page"] = []


def keep_wizard_in_a_cookie() -> None:
    from forms_library.wizard import IntakeWizardView

    IntakeWizardView.storage_name = "formtools.wizard.storage.cookie.CookieStorage"


def medians(timings: dict[str, list[tuple[float, int]]]) -> dict[str, float]:
    return {
        step: statistics.median(ms for ms, _queries in values)
        for step, values in timings.items()
    }


def report(name: str, timings: dict[str, list[tuple[float, int]]]) -> float:
    print(name)
    for step, median in medians(timings).items():
        print(f"  {step:<13} {median:6.1f} ms  {timings[step][0][1]:3d} queries")
    total = sum(medians(timings).values())
    print(f"  {'journey':<13} {total:6.1f} ms")
    return total


def report_per_request(ours: dict[str, float], theirs: dict[str, float]) -> None:
    """Each of our requests against Wagtail's of the same kind: opening against
    its opening, anything posted (a step, the review, the send) or read after
    sending against its send, which answers with its landing page."""
    print("per request, against Wagtail's request of the same kind")
    for step, median in ours.items():
        kind = "open" if step == "open" else "send"
        print(f"  {step:<13} {median / theirs[kind]:5.2f}x  (Wagtail's {kind})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=30)
    parser.add_argument("--cached-routing", action="store_true")
    parser.add_argument("--cookie-wizard", action="store_true")
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="maillage-bench-")
    try:
        bench_forms.set_up_django(var_dir)
        ours, theirs = bench_forms.build_pages()
        if args.cached_routing:
            cache_routing()
        if args.cookie_wizard:
            keep_wizard_in_a_cookie()
        from django.test import Client

        results = {"maillage": defaultdict(list), "wagtail": defaultdict(list)}
        for round_ in range(args.journeys + 5):
            for name, journey, url in [
                ("maillage", maillage_journey, ours),
                ("wagtail", wagtail_journey, theirs),
            ]:
                timings = journey(Client(HTTP_HOST="localhost"), url)
                if round_ >= 5:  # the first rounds warm the caches up
                    for step, ms, queries in timings:
                        results[name][step].append((ms, queries))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    ours_total = report(
        "Maillage (3 steps, review, send, confirmation)", results["maillage"]
    )
    theirs_total = report("Wagtail FormPage (open, send)", results["wagtail"])
    print(f"journey ratio {ours_total / theirs_total:.2f}x")
    report_per_request(medians(results["maillage"]), medians(results["wagtail"]))


if __name__ == "__main__":
    main()
