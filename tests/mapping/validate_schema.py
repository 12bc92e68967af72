#!/usr/bin/env python3
"""Validates a JSON document against a JSON Schema, for the mapping tests.

Usage: validate_schema.py SCHEMA INSTANCE [--stix-objects]

Every *.json file under the schema's directory tree is registered by its
`$id`, so relative `$ref`s between files (the STIX 2.1 schemas) resolve
without network access. OSCAL's schemas use the ECMAScript classes \\p{L}
and \\p{N}, which Python's `re` lacks; they are rewritten to the equivalent
Python classes before validation. With --stix-objects every object of a
bundle is also validated against its own SDO/SRO schema, which gives
clearer errors than the bundle's anyOf.

Exit status: 0 valid, 1 invalid (errors on stdout), 2 jsonschema missing.
"""

import json
import pathlib
import sys

try:
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError:
    print("python3 jsonschema (with referencing) is not installed")
    sys.exit(2)


def rewrite_unicode_classes(node):
    if isinstance(node, dict):
        return {k: rewrite_unicode_classes(v) for k, v in node.items()}
    if isinstance(node, list):
        return [rewrite_unicode_classes(v) for v in node]
    if isinstance(node, str):
        return node.replace(r"\p{L}", r"[^\W\d_]").replace(r"\p{N}", r"\d")
    return node


def load_registry(root):
    registry = Registry()
    for path in sorted(root.rglob("*.json")):
        try:
            contents = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if not isinstance(contents, dict) or "$id" not in contents:
            continue
        contents = rewrite_unicode_classes(contents)
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        registry = registry.with_resource(contents["$id"], resource)
    return registry


def validator_for(schema, registry):
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, registry=registry)


def report(errors, label):
    lines = []
    for error in sorted(errors, key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        lines.append(f"{label}: {where}: {error.message[:400]}")
    return lines


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    schema_path = pathlib.Path(sys.argv[1]).resolve()
    instance = json.loads(pathlib.Path(sys.argv[2]).read_text(encoding="utf-8"))
    stix_objects = "--stix-objects" in sys.argv[3:]

    # The STIX schemas live in schemas/{common,sdos,sros,observables}: register
    # the whole tree above the schema's own folder.
    root = schema_path.parent.parent if stix_objects else schema_path.parent
    registry = load_registry(root)
    schema = rewrite_unicode_classes(json.loads(schema_path.read_text(encoding="utf-8")))

    problems = report(validator_for(schema, registry).iter_errors(instance), schema_path.name)
    if stix_objects:
        for index, obj in enumerate(instance.get("objects", [])):
            kind = obj.get("type", "")
            for folder in ("sdos", "sros", "common"):
                own = root / folder / f"{kind}.json"
                if own.exists():
                    own_schema = rewrite_unicode_classes(json.loads(own.read_text(encoding="utf-8")))
                    problems += report(validator_for(own_schema, registry).iter_errors(obj),
                                       f"objects/{index} ({kind})")
                    break
            else:
                problems.append(f"objects/{index}: no schema for type {kind!r}")
    if problems:
        print("\n".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
