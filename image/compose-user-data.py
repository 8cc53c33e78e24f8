#!/usr/bin/python3
"""Joins cloud-init/ examples into one user-data and fills their placeholders with real material.

    compose-user-data.py OUT EXAMPLE.yaml... [--file PATH=LOCAL_FILE]...

The boot test uses it to boot the examples as an operator would after pasting their own key and certificate:
each --file replaces the content of the write_files entry with that path (e.g. the placeholder PEM blocks of
60-tls.yaml). Lists (write_files, bootcmd, runcmd) are concatenated in the order given; any other key must not
appear twice. Fails if a "(paste ...)" placeholder is left, so an example that gains a placeholder cannot pass
the boot test by accident.
"""
import argparse
import sys

import yaml


def literal_blocks(dumper, value):
    # multi-line contents stay readable as "|" blocks, as in the examples
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


def main():
    yaml.SafeDumper.add_representer(str, literal_blocks)
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("examples", nargs="+")
    p.add_argument("--file", action="append", default=[], metavar="PATH=LOCAL_FILE")
    a = p.parse_args()
    merged = {}
    for name in a.examples:
        with open(name, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        for key, value in doc.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif key in merged:
                sys.exit(f"compose-user-data: {key} appears in more than one example")
            else:
                merged[key] = value
    replacements = dict(item.split("=", 1) for item in a.file)
    for entry in merged.get("write_files", []):
        local = replacements.pop(entry["path"], None)
        if local is not None:
            with open(local, encoding="utf-8") as f:
                entry["content"] = f.read()
    if replacements:
        sys.exit(f"compose-user-data: no write_files entry for {sorted(replacements)}")
    text = "#cloud-config\n" + yaml.safe_dump(merged, sort_keys=False, default_flow_style=False)
    if "(paste" in text:
        sys.exit("compose-user-data: a placeholder is left: " + text[text.index("(paste"):].splitlines()[0])
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
