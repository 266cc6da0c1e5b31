/** A schema name the stores can splice into SQL: plain lower-case, short enough for its channel. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

export interface SchemaNames {
  readonly schema: string;
  /** The schema as a quoted identifier, ready to prefix table names. */
  readonly quoted: string;
  /** The NOTIFY channel appends announce themselves on. */
  readonly channel: string;
}

export const schemaNames = (schema: string): SchemaNames => {
  if (!SCHEMA_NAME.test(schema)) {
    throw new RangeError(
      `Schema name ${JSON.stringify(schema)} must be lower-case letters, digits and underscores (at most 48).`,
    );
  }
  return { schema, quoted: `"${schema}"`, channel: `${schema}_appended` };
};
