import type { FieldType } from "./field_type.ts";

const SCALARS = { string: "string", int: "int", double: "double", boolean: "boolean" } as const;

/**
 * The Hive type of one schema type as Athena's DDL wants it. Field names are lower-cased because the
 * OpenX JsonSerDe lower-cases JSON keys before matching them.
 */
export function athenaType(type: FieldType): string {
  if (typeof type === "string") return SCALARS[type];
  if ("array" in type) return `array<${athenaType(type.array)}>`;
  return `struct<${type.struct.map((x) => `${x.name.toLowerCase()}:${athenaType(x.type)}`).join(",")}>`;
}
