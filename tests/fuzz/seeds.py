#!/usr/bin/env python3
"""Seeds the fuzz corpora from the site's real content (content/ and tests/fixtures/).

Writes corpus/<target>/seed-* for the four targets; run it from anywhere before the
first `cargo fuzz run` (docs/FUZZING.md). Standard library only (Python 3.11+ for tomllib).
"""
import pathlib
import re
import struct
import tomllib

FUZZ = pathlib.Path(__file__).resolve().parent
REPO = FUZZ.parent.parent
SOURCES = [REPO / "content", REPO / "tests" / "fixtures"]


def write(target, name, data):
    folder = FUZZ / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"seed-{name}").write_bytes(data)


def split(text):
    """Front matter and body of a content file, as remiss splits them."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "+++":
        return None, text
    for i, line in enumerate(lines[1:], 1):
        if line.rstrip() == "+++":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:])
    return None, text


files = sorted(p for source in SOURCES for p in source.rglob("*.md"))
count = {"front_matter": 0, "quotes": 0, "markdown": 0, "site": 0}
for n, path in enumerate(files):
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    name = f"{n:03}-{path.stem}"
    write("front_matter", name, raw)
    count["front_matter"] += 1
    front, body = split(text)
    if body.strip():
        # markdown: two bytes choosing the marked passages, then the text.
        write("markdown", name, bytes([n % 7, n % 3]) + body.encode())
        count["markdown"] += 1
    if "/statements/" not in path.as_posix() or front is None:
        continue
    meta = tomllib.loads(front)
    # site: the statement as it is (its proposals are unknown there), and with every
    # position moved to the one proposal the fuzzed site has, `forslag`.
    write("site", name, raw)
    positions = meta.get("positions", [])
    if positions:
        before, after = text.split("[[positions]]", 1)
        first = after.split("[[positions]]", 1)[0].split("\n+++", 1)[0]
        first = re.sub(r'(?m)^proposal = .*$', 'proposal = "forslag"', first)
        write("site", name + "-forslag", (before + "[[positions]]" + first + "\n+++\n" + body).encode())
        count["site"] += 1
    count["site"] += 1
    # quotes: mode 0 (the quote as written), a = b = 0, body, NUL, quote.
    for i, position in enumerate(positions):
        quote = position["quote"]
        write("quotes", f"{name}-{i}", bytes([0]) + struct.pack("<HH", 0, 0) + body.encode() + b"\0" + quote.encode())
        count["quotes"] += 1
    # and mode 1 (a slice of the passages) over the same body.
    write("quotes", f"{name}-slice", bytes([1]) + struct.pack("<HH", 40, 120) + body.encode())
    count["quotes"] += 1

for target, seeds in count.items():
    print(f"{target}: {seeds} seeds in corpus/{target}/")
