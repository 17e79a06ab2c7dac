#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The options one text names, for tests/tui/manpage.sh.

  options.py help|man|bash|zsh FILE   one option a line, sorted

help: the usage text (`socktop --help`): every --long and the -X of the
option column. man: the roff source's MODES and OPTIONS sections (\\-\\-long,
\\-X at .TP/.B/.BR/.BI lines). bash: the words of `opts=`. zsh: the
_arguments specs.
"""
import re
import sys

LONG = r"--[a-z][a-z0-9-]*"


def from_help(text):
    out = set(re.findall(LONG, text))
    for line in text.splitlines():
        if line.startswith("  -"):
            # the option column: up to two spaces before the description
            col = re.split(r"\S  +(?=\S)", line.strip(), maxsplit=1)[0]
            out |= set(re.findall(r"(?:^|[ ,/;])(-[A-Za-z0-9])\b", " " + col))
            # "-U, --print-uid  UID column;  -E, --errors ..." holds two
            for part in line.split(";")[1:]:
                out |= set(re.findall(r"(?:^|[ ,])(-[A-Za-z0-9])\b", part))
    return out


def from_man(text):
    out = set()
    section = ""
    for line in text.splitlines():
        if line.startswith(".SH"):
            section = line[3:].strip().strip('"')
            continue
        if section not in ("MODES", "OPTIONS") or not line.startswith("."):
            continue
        plain = line.replace("\\-", "-").replace('"', " ")
        out |= set(re.findall(LONG, plain))
        out |= set(re.findall(r"(?:^|[ ,])(-[A-Za-z0-9])(?=[ ,]|$)", plain))
    return out


def from_bash(text):
    m = re.search(r'opts="([^"]*)"', text)
    return set(m.group(1).split()) if m else set()


def from_zsh(text):
    out = set(re.findall(r"(?<![\w-])" + LONG, text))
    out |= set(re.findall(r"[{,'(]\s*(-[A-Za-z0-9])\b", text))
    return out


kind, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
opts = {"help": from_help, "man": from_man, "bash": from_bash, "zsh": from_zsh}[kind](text)
for o in sorted(opts):
    print(o)
