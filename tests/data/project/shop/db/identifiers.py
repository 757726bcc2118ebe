"""Identifier helpers: one quotes, the others put its results in quotes."""


def canonicalize(identifier):
    return identifier.replace('"', '""')


def qualified_table(schema, table):
    return f'"{canonicalize(schema)}"."{canonicalize(table)}"'


def schema_dot(schema, table):
    return f'"{canonicalize(schema)}".{table}'
