import type * as t from "io-ts";

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * What a codec the walker cannot see into is, on the wire: a schema, or one made from the schema
 * of the codec it refines (a brand's base type with its rule put in words or a pattern).
 */
export type DeclaredSchema = JsonSchema | ((base: JsonSchema) => JsonSchema);

/**
 * Schemas declared for codecs by identity: every refinement, brand and hand-made `t.Type` must be
 * here, so that a codec the walker does not know fails loudly instead of becoming `{}`.
 */
export type SchemaRegistry = ReadonlyMap<t.Any, DeclaredSchema>;

export class UnknownCodecError extends Error {
  override readonly name = "UnknownCodecError";
}

interface Tagged {
  readonly _tag?: string;
  readonly name: string;
}

/** What `t.type`/`t.partial` keep of their fields. */
interface WithProps {
  readonly props: Readonly<Record<string, t.Any>>;
}

const isUndefinedCodec = (codec: t.Any): boolean =>
  (codec as Tagged)._tag === "UndefinedType" || (codec as Tagged)._tag === "VoidType";

/** A field that may be absent: its codec accepts `undefined`. */
const isOptional = (codec: t.Any): boolean => {
  try {
    return codec.is(undefined);
  } catch {
    return false;
  }
};

const isObjectSchema = (s: JsonSchema): boolean =>
  s.type === "object" && s.properties !== undefined && s.allOf === undefined;

/** `t.intersection` of objects as one object, which reads better than `allOf`. */
const mergeObjects = (schemas: ReadonlyArray<JsonSchema>): JsonSchema => {
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  for (const s of schemas) {
    Object.assign(properties, s.properties as Record<string, unknown>);
    for (const r of (s.required as ReadonlyArray<string> | undefined) ?? []) required.add(r);
  }
  return {
    type: "object",
    properties,
    ...(required.size === 0 ? {} : { required: [...required] }),
  };
};

const unionOf = (members: ReadonlyArray<JsonSchema>): JsonSchema => {
  if (members.length === 1) return members[0] as JsonSchema;
  if (members.every((m) => "const" in m)) return { enum: members.map((m) => m.const) };
  return { anyOf: members };
};

/**
 * The JSON Schema of what an io-ts codec accepts (for decoders) or writes (for encoders whose
 * output is their input, as every codec of this API is). Throws on a codec it cannot describe.
 */
export const toJsonSchema = (codec: t.Any, registry: SchemaRegistry): JsonSchema => {
  const walk = (c: t.Any, where: string): JsonSchema => {
    const declared = registry.get(c);
    const tagged = c as unknown as Tagged & Record<string, unknown>;
    const here = `${where} (${tagged.name})`;
    if (declared !== undefined) {
      // The codec's name as the title: what the event catalogue shows for the field's type.
      if (typeof declared !== "function") return { title: tagged.name, ...declared };
      const base = tagged.type as t.Any | undefined;
      if (base === undefined) throw new UnknownCodecError(`${here}: a derived schema needs a base`);
      return { title: tagged.name, ...declared(walk(base, where)) };
    }
    switch (tagged._tag) {
      case "StringType":
        return { type: "string" };
      case "NumberType":
        return { type: "number" };
      case "BooleanType":
        return { type: "boolean" };
      case "NullType":
        return { type: "null" };
      case "UnknownType":
        return {};
      case "AnyDictionaryType":
        return { type: "object" };
      case "AnyArrayType":
        return { type: "array" };
      case "LiteralType":
        return { const: tagged.value };
      case "KeyofType":
        return { enum: Object.keys(tagged.keys as object) };
      case "ArrayType":
      case "ReadonlyArrayType":
        return { type: "array", items: walk(tagged.type as t.Any, `${where}[]`) };
      case "ReadonlyType":
      case "ExactType":
        // Exact codecs drop fields they do not know rather than refuse them: the schema is the same.
        return walk(tagged.type as t.Any, where);
      case "InterfaceType":
      case "PartialType": {
        const props = (c as unknown as WithProps).props;
        const entries = Object.entries(props);
        const required =
          tagged._tag === "InterfaceType"
            ? entries.filter(([, p]) => !isOptional(p)).map(([k]) => k)
            : [];
        return {
          type: "object",
          properties: Object.fromEntries(entries.map(([k, p]) => [k, walk(p, `${where}.${k}`)])),
          ...(required.length === 0 ? {} : { required }),
        };
      }
      case "IntersectionType": {
        const parts = (tagged.types as ReadonlyArray<t.Any>).map((p) => walk(p, where));
        return parts.every(isObjectSchema) ? mergeObjects(parts) : { allOf: parts };
      }
      case "UnionType": {
        const members = tagged.types as ReadonlyArray<t.Any>;
        // `undefined` in a union makes a field optional (see `isOptional`), not a JSON value.
        return unionOf(members.filter((m) => !isUndefinedCodec(m)).map((m) => walk(m, where)));
      }
      case "DictionaryType":
        return {
          type: "object",
          additionalProperties: walk(tagged.codomain as t.Any, `${where}{}`),
        };
      case "TupleType": {
        const items = (tagged.types as ReadonlyArray<t.Any>).map((p, i) =>
          walk(p, `${where}[${i}]`),
        );
        return {
          type: "array",
          prefixItems: items,
          minItems: items.length,
          maxItems: items.length,
        };
      }
      default:
        throw new UnknownCodecError(
          `${here}: no schema is declared for this ${tagged._tag ?? "hand-made"} codec; add it to the schema registry`,
        );
    }
  };
  return walk(codec, "(root)");
};
