/** The small type language the signIn schema is written in; both engines' types derive from it. */
export type FieldType =
  | "string"
  | "int"
  | "double"
  | "boolean"
  | { array: FieldType }
  | { struct: readonly Field[] };

export interface Field {
  /** The property name exactly as Graph's JSON spells it (camelCase). */
  readonly name: string;
  readonly type: FieldType;
  /** "v1.0" when the property is in the v1.0 API; "beta" when only beta returns it. */
  readonly api: "v1.0" | "beta";
}

export const str = "string" as const;
export const int = "int" as const;
export const dbl = "double" as const;
export const bool = "boolean" as const;
export const arrayOf = (type: FieldType): FieldType => ({ array: type });
export const struct = (...fields: Field[]): FieldType => ({ struct: fields });
export const f = (name: string, type: FieldType, api: "v1.0" | "beta" = "v1.0"): Field => ({
  name,
  type,
  api,
});
