import { join } from "node:path";
import { connectEventStoreDb, type EventStoreDbConnection } from "@mebel/adapter-eventstoredb";
import {
  type ConnectionBudget,
  connectPg,
  createPostgresStores,
  openPglite,
  openPgliteThread,
  type PostgresStores,
  type SqlClient,
} from "@mebel/adapter-postgres";
import type {
  AccountStore,
  Catalog,
  CheckpointStore,
  EventStore,
  IdempotencyStore,
  Locks,
  Outbox,
  ProductRepository,
  ReadModelStore,
  SnapshotStore,
} from "@mebel/core";
import { lockDataDir } from "./data-dir-lock.js";
import { pgOptions } from "./postgres-settings.js";
import type { Settings } from "./settings.js";

/** Every store a service needs, opened as the settings say. */
export interface Infrastructure {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly checkpoints: CheckpointStore;
  readonly locks: Locks;
  readonly snapshots: SnapshotStore;
  readonly idempotency: IdempotencyStore;
  readonly products: ProductRepository & Catalog;
  /** Accounts of the embedded issuer, in the same store as the rest. */
  readonly accounts: AccountStore;
  /** Mail decided and not yet delivered, beside the read models (always PostgreSQL or PGlite). */
  readonly outbox: Outbox;
  /** Where things live, for people: "embedded PGlite in .data", ... */
  readonly description: string;
  /** Connections to PostgreSQL (and PGlite threads) this instance may hold open at most. */
  readonly connections: () => ConnectionBudget;
  readonly close: () => Promise<void>;
}

const embedded = async (
  dataDir: string,
  schema: string,
  thread: boolean,
): Promise<PostgresStores> => {
  const release = lockDataDir(dataDir);
  const folder = join(dataDir, "pglite");
  let client: SqlClient | undefined;
  try {
    client = await (thread ? openPgliteThread(folder) : openPglite(folder));
    const stores = await createPostgresStores({ client, schema });
    return {
      ...stores,
      close: async () => {
        try {
          await stores.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    // The folder is only given up once nothing has it open any more.
    await client?.close().catch(() => undefined);
    release();
    throw error;
  }
};

const redact = (url: string): string => {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "***";
  return parsed.toString();
};

export interface InfrastructureOptions {
  /**
   * Run embedded PGlite on a worker thread (the default), so its statements do not stall the HTTP
   * servers of the same process; one-shot commands, which serve nothing, open it in-process and
   * start a second faster.
   */
  readonly embeddedOnThread?: boolean;
  /** How to reach EventStoreDB at a URL: tests put the adapter's stand-in client here. */
  readonly connectEventStoreDb?: (url: string) => EventStoreDbConnection;
}

export const openInfrastructure = async (
  settings: Settings,
  options: InfrastructureOptions = {},
): Promise<Infrastructure> => {
  const { events } = settings;
  const stateDescription =
    settings.state.kind === "embedded"
      ? `embedded PGlite in ${settings.state.dataDir}`
      : `PostgreSQL at ${redact(settings.state.url)}`;

  if (settings.state.kind === "embedded") {
    const state = await embedded(
      settings.state.dataDir,
      settings.stateSchema,
      options.embeddedOnThread ?? true,
    );
    return everythingIn(state, `events, read models and checkpoints in ${stateDescription}`);
  }

  const stateUrl = settings.state.url;
  if (events.kind === "postgres" && events.url === stateUrl) {
    // One database: one client for both schemas, and since the state schema can read the event
    // table, a cold load still reads a snapshot and the events after it in one statement.
    const client = connectPg(stateUrl, pgOptions(settings.postgres, stateUrl));
    if (settings.schema === settings.stateSchema) {
      const stores = await createPostgresStores({ client, schema: settings.schema });
      return everythingIn(stores, `events, read models and checkpoints in ${stateDescription}`);
    }
    const eventStores = await createPostgresStores({
      client,
      schema: settings.schema,
      closeClient: false,
    }).catch(async (error: unknown) => {
      await client.close();
      throw error;
    });
    const state = await createPostgresStores({
      client,
      schema: settings.stateSchema,
      snapshotEvents: { schema: settings.schema, store: eventStores.eventStore },
    }).catch(async (error: unknown) => {
      await eventStores.close();
      await client.close();
      throw error;
    });
    return {
      ...stateStores(state),
      store: eventStores.eventStore,
      checkpoints: state.checkpoints,
      description: `events in ${stateDescription} (schema ${settings.schema}); read models in schema ${settings.stateSchema}`,
      connections: budgetOf(state, eventStores),
      close: async () => {
        await eventStores.close();
        await state.close();
      },
    };
  }

  // Events in another database, or in EventStoreDB: a snapshot is read alone and the events after
  // it come from their own store.
  const state = await createPostgresStores({
    client: connectPg(stateUrl, pgOptions(settings.postgres, stateUrl)),
    schema: settings.stateSchema,
    snapshotEvents: "elsewhere",
  });
  if (events.kind === "postgres") {
    const eventStores = await createPostgresStores({
      client: connectPg(events.url, pgOptions(settings.postgres, events.url)),
      schema: settings.schema,
    }).catch(async (error: unknown) => {
      await state.close();
      throw error;
    });
    return {
      ...stateStores(state),
      store: eventStores.eventStore,
      checkpoints: state.checkpoints,
      description: `events in PostgreSQL at ${redact(events.url)} (schema ${settings.schema}); read models in ${stateDescription} (schema ${settings.stateSchema})`,
      connections: budgetOf(state, eventStores),
      close: async () => {
        await eventStores.close();
        await state.close();
      },
    };
  }
  if (events.kind === "embedded") {
    throw new Error("Embedded events keep their state beside them; the settings refuse this.");
  }
  const esdb = (options.connectEventStoreDb ?? connectEventStoreDb)(events.url);
  return {
    ...stateStores(state),
    store: esdb.eventStore,
    checkpoints: esdb.checkpointStore,
    description: `events in EventStoreDB at ${redact(events.url)}; read models in ${stateDescription}`,
    connections: budgetOf(state),
    close: async () => {
      await esdb.dispose();
      await state.close();
    },
  };
};

const stateStores = (state: PostgresStores) => ({
  readModels: state.readModels,
  locks: state.locks,
  snapshots: state.snapshots,
  idempotency: state.idempotency,
  products: state.products,
  accounts: state.accounts,
  outbox: state.outbox,
});

const everythingIn = (stores: PostgresStores, description: string): Infrastructure => ({
  ...stateStores(stores),
  store: stores.eventStore,
  checkpoints: stores.checkpoints,
  description,
  connections: budgetOf(stores),
  close: stores.close,
});

/** What the clients under these stores may hold open, each client counted once. */
const budgetOf =
  (...stores: ReadonlyArray<PostgresStores>) =>
  (): ConnectionBudget =>
    [...new Set(stores.map((s) => s.client))]
      .map((client) => client.budget())
      .reduce(
        (sum, b) => ({
          pool: sum.pool + b.pool,
          listener: sum.listener + b.listener,
          session: sum.session + b.session,
          thread: sum.thread + b.thread,
        }),
        { pool: 0, listener: 0, session: 0, thread: 0 },
      );
