import { listen } from "@mebel/adapter-http";
import { connectPg, openPgliteThread, type SqlClient } from "@mebel/adapter-postgres";
import express from "express";
import type { ServerStore } from "../harness/databases.js";
import { countingClient } from "./counting-client.js";
import type { ServerConfig } from "./server-config.js";

/**
 * Add-item's I/O and nothing else, on Express and the same driver: the line's price read, the
 * reservation's row and the line's row, written into a table shaped like `events`. "plain" sends
 * them as three autocommit statements, as a first try would; "one" as one prepared statement, one
 * round trip and one commit per request. No decoding past the body's two fields, no decider, no
 * revision check against the stream, no idempotency, no token, no telemetry: what the route's
 * writes cost on this machine when nothing else is done.
 */
const schemaOf = async (client: SqlClient, store: ServerStore, skus: ReadonlyArray<string>) => {
  const schema = `"${store.schema}"`;
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.products (sku text PRIMARY KEY, price integer NOT NULL)`,
  );
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.raw_events (
       position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       stream_name text NOT NULL, revision bigint NOT NULL, event_id uuid NOT NULL UNIQUE,
       type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
       UNIQUE (stream_name, revision))`,
  );
  for (const sku of skus) {
    await client.query(
      `INSERT INTO ${schema}.products (sku, price) VALUES ($1, 9900) ON CONFLICT DO NOTHING`,
      [sku],
    );
  }
  return schema;
};

const columns = "(stream_name, revision, event_id, type, data, metadata)";

interface Line {
  readonly sku: string;
  readonly stockStream: string;
  readonly stockRevision: number;
  readonly reservation: string;
  readonly orderStream: string;
  readonly orderRevision: number;
  readonly line: string;
  readonly metadata: string;
}

/** Three statements: each its own round trip and its own commit. */
const plain = (client: SqlClient, schema: string) => {
  const insert = `INSERT INTO ${schema}.raw_events ${columns}
                  VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`;
  return async (row: Line): Promise<number | undefined> => {
    const [product] = await client.query<{ price: number }>(
      `SELECT price FROM ${schema}.products WHERE sku = $1`,
      [row.sku],
    );
    if (product === undefined) return undefined;
    await client.query(insert, [
      row.stockStream,
      row.stockRevision,
      crypto.randomUUID(),
      "StockReserved",
      row.reservation,
      row.metadata,
    ]);
    await client.query(insert, [
      row.orderStream,
      row.orderRevision,
      crypto.randomUUID(),
      "OrderLineAdded",
      // The same row as the one statement writes: the line with its price.
      JSON.stringify({ ...JSON.parse(row.line), unitPrice: product.price }),
      row.metadata,
    ]);
    return product.price;
  };
};

/** One prepared statement: the least a request that writes on its own can send. */
const oneStatement = (client: SqlClient, schema: string) => {
  const text = `WITH product AS (SELECT price FROM ${schema}.products WHERE sku = $1),
     reserved AS (INSERT INTO ${schema}.raw_events ${columns}
       SELECT $2, $3, $4, 'StockReserved', $5::jsonb, $10::jsonb FROM product),
     line AS (INSERT INTO ${schema}.raw_events ${columns}
       SELECT $6, $7, $8, 'OrderLineAdded',
              jsonb_set($9::jsonb, '{unitPrice}', to_jsonb(product.price)), $10::jsonb
         FROM product)
     SELECT price FROM product`;
  return async (row: Line): Promise<number | undefined> => {
    const [product] = await client.query<{ price: number }>(
      text,
      [
        row.sku,
        row.stockStream,
        row.stockRevision,
        crypto.randomUUID(),
        row.reservation,
        row.orderStream,
        row.orderRevision,
        crypto.randomUUID(),
        row.line,
        row.metadata,
      ],
      { prepare: true },
    );
    return product?.price;
  };
};

export const rawAddItem = async (config: Extract<ServerConfig, { kind: "raw-add-item" }>) => {
  const { store } = config;
  const { client, sent } = countingClient(
    store.kind === "pglite" ? await openPgliteThread(store.dataDir) : connectPg(store.url),
  );
  const schema = await schemaOf(client, store, config.skus);
  const write = (config.statements === "one" ? oneStatement : plain)(client, schema);
  // One process owns these streams: a counter per stream is its next revision.
  const revisions = new Map<string, number>();
  const nextRevision = (stream: string) => {
    const next = revisions.get(stream) ?? 0;
    revisions.set(stream, next + 1);
    return next;
  };
  const metadata = JSON.stringify({ correlationId: "raw", causationId: "raw" });
  const app = express();
  app.use(express.json());
  app.post("/orders/:id/items", async (req, res) => {
    const { sku, quantity } = req.body as { sku?: unknown; quantity?: unknown };
    if (typeof sku !== "string" || typeof quantity !== "number") {
      res.status(400).json({ error: "sku and quantity" });
      return;
    }
    const lineId = crypto.randomUUID();
    const orderId = req.params.id;
    const stockStream = `StockItem-${sku}`;
    const orderStream = `Order-${orderId}`;
    const price = await write({
      sku,
      stockStream,
      stockRevision: nextRevision(stockStream),
      reservation: JSON.stringify({ sku, orderId, lineId, quantity }),
      orderStream,
      orderRevision: nextRevision(orderStream),
      line: JSON.stringify({ orderId, lineId, sku, quantity }),
      metadata,
    });
    if (price === undefined) {
      res.status(404).json({ error: "no such product" });
      return;
    }
    res.status(201).json({ orderId, lineId, sku, quantity, unitPrice: price });
  });
  const server = await listen(app, 0);
  return {
    url: server.url,
    statements: sent,
    close: async () => {
      await server.close();
      await client.close();
    },
  };
};
