import { join } from "node:path";
import { connectEventStoreDb } from "@mebel/adapter-eventstoredb";
import {
  connectPg,
  createPostgresStores,
  openPglite,
  openPgliteThread,
  type PostgresStores,
  type SqlClient,
} from "@mebel/adapter-postgres";
import type {
  Catalog,
  CheckpointStore,
  EventStore,
  IdempotencyStore,
  Locks,
  ProductRepository,
  ReadModelStore,
  SnapshotStore,
} from "@mebel/core";
import { lockDataDir } from "./data-dir-lock.js";
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
  /** Where things live, for people: "embedded PGlite in .data", ... */
  readonly description: string;
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
}

export const openInfrastructure = async (
  settings: Settings,
  options: InfrastructureOptions = {},
): Promise<Infrastructure> => {
  const state =
    settings.state.kind === "embedded"
      ? await embedded(
          settings.state.dataDir,
          settings.stateSchema,
          options.embeddedOnThread ?? true,
        )
      : await createPostgresStores({
          client: connectPg(settings.state.url),
          schema: settings.stateSchema,
        });
  const stateDescription =
    settings.state.kind === "embedded"
      ? `embedded PGlite in ${settings.state.dataDir}`
      : `PostgreSQL at ${redact(settings.state.url)}`;
  const kept = {
    readModels: state.readModels,
    locks: state.locks,
    snapshots: state.snapshots,
    idempotency: state.idempotency,
    products: state.products,
  };

  const events = settings.events;
  const eventsBesideState =
    events.kind === "embedded" ||
    (events.kind === "postgres" &&
      settings.state.kind === "postgres" &&
      events.url === settings.state.url &&
      settings.schema === settings.stateSchema);
  if (eventsBesideState) {
    return {
      ...kept,
      store: state.eventStore,
      checkpoints: state.checkpoints,
      description: `events, read models and checkpoints in ${stateDescription}`,
      close: state.close,
    };
  }
  if (events.kind === "postgres") {
    const eventStores = await createPostgresStores({
      client: connectPg(events.url),
      schema: settings.schema,
    });
    return {
      ...kept,
      store: eventStores.eventStore,
      checkpoints: state.checkpoints,
      description: `events in PostgreSQL at ${redact(events.url)} (schema ${settings.schema}); read models in ${stateDescription} (schema ${settings.stateSchema})`,
      close: async () => {
        await eventStores.close();
        await state.close();
      },
    };
  }
  const esdb = connectEventStoreDb(events.url);
  return {
    ...kept,
    store: esdb.eventStore,
    checkpoints: esdb.checkpointStore,
    description: `events in EventStoreDB at ${redact(events.url)}; read models in ${stateDescription}`,
    close: async () => {
      await esdb.dispose();
      await state.close();
    },
  };
};
