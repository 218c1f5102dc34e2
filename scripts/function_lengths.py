#!/usr/bin/env python3
"""Lists the longest C++ functions (from the line their signature starts to their closing brace).

Usage: scripts/function_lengths.py [--most N] [--over LINES] [--tests] [dir ...]
       (default dirs: protocol terminal sync-server net platform cli schema)

The project keeps functions at 80 lines or fewer in its libraries (ARCHITECTURE.md); with --over the
script exits 1 when a function is longer. Test sources (*_test.cc, *_fixture.h) are left out unless
--tests: a table of test cases may be long. It reads the sources as text: comments, strings
and character literals are blanked, then each `{` is classified by the text before it since the last
`;`, `{` or `}`: namespace/class/struct/enum/union/extern bodies are scopes whose contents are read on,
a `{` after a parenthesis at scope level opens a function body (counted as a whole, lambdas inside
included), anything else is skipped to its matching `}`. Good enough for this code base, not a C++
parser: a macro that opens braces would confuse it.
"""
import argparse
import os
import re
import sys

SCOPE_WORDS = re.compile(r"^\s*(template\s*<.*>\s*)?(namespace|class|struct|enum|union|extern)\b", re.S)
SOURCE_SUFFIXES = (".cc", ".h", ".cpp", ".hpp")


def blank_comments_and_strings(text):
    """The text with comments, string and char literals replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = text.find(")" + m.group(1) + '"', i)
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # digit separator: 1'000
                out.append(" ")
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def blank_preprocessor_lines(text):
    """The text with preprocessor directives (continued lines included) replaced by spaces."""
    lines = text.split("\n")
    in_directive = False
    for k, line in enumerate(lines):
        if in_directive or line.lstrip().startswith("#"):
            in_directive = line.rstrip().endswith("\\")
            lines[k] = " " * len(line)
    return "\n".join(lines)


def functions(path):
    """Yields (first_line, last_line, name) of each function body in the file."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = blank_preprocessor_lines(blank_comments_and_strings(f.read()))
    line_of = [0] * (len(text) + 1)
    line = 1
    for i, ch in enumerate(text):
        line_of[i] = line
        if ch == "\n":
            line += 1
    stmt_start = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in ";}":
            stmt_start = i + 1
        elif c == "{":
            head = text[stmt_start:i]
            if SCOPE_WORDS.match(re.sub(r"^\s*(public|private|protected)\s*:", "", head)):
                stmt_start = i + 1
            else:
                end = matching_brace(text, i)
                if ")" in head:
                    first = stmt_start + (len(head) - len(head.lstrip()))
                    name = re.sub(r"\s+", " ", head.split("(")[0]).strip().split(" ")[-1]
                    yield line_of[first], line_of[min(end, n - 1)], name
                i = end
                stmt_start = i + 1
        i += 1


def matching_brace(text, open_at):
    depth = 0
    for j in range(open_at, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(text) - 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*",
                        default=["protocol", "terminal", "sync-server", "net", "platform", "cli", "schema"])
    parser.add_argument("--most", type=int, default=10, help="how many functions to list")
    parser.add_argument("--over", type=int, help="exit 1 if any function is longer than this")
    parser.add_argument("--tests", action="store_true", help="count test sources too")
    args = parser.parse_args()
    found = []
    for top in args.dirs:
        for root, _, files in os.walk(top):
            for name in files:
                is_test = name.endswith(("_test.cc", "_fixture.h"))
                if name.endswith(SOURCE_SUFFIXES) and (args.tests or not is_test):
                    path = os.path.join(root, name)
                    for first, last, fn in functions(path):
                        found.append((last - first + 1, f"{path}:{first}", fn))
    found.sort(reverse=True)
    for length, where, fn in found[: args.most]:
        print(f"{length:5d}  {where}  {fn}")
    if args.over is not None:
        too_long = [f for f in found if f[0] > args.over]
        if too_long:
            for length, where, fn in too_long:
                print(f"function_lengths.py: {fn} at {where} is {length} lines (at most {args.over})",
                      file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
