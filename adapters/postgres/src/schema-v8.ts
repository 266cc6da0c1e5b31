import type { SchemaNames } from "./schema-name.js";

/**
 * Read models' index entries as real columns: a page of a group (a customer's orders, the open
 * work, a courier's deliveries) is a walk of the primary key, whatever the projection holds.
 */
export const schemaV8 = ({ quoted: s }: SchemaNames): ReadonlyArray<string> => [
  `CREATE TABLE ${s}.read_model_index (
    -- The collation of read_model_docs.projection, so the join to the documents walks their key.
    projection text NOT NULL,
    index_name text COLLATE "C" NOT NULL,
    grp text COLLATE "C" NOT NULL,
    sort text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    PRIMARY KEY (projection, index_name, grp, sort, key)
  )`,
  // A changed document's entries are found by its key.
  `CREATE INDEX read_model_index_key ON ${s}.read_model_index (projection, key)`,
];
