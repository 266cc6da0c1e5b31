import type pg from "pg";
import PgClient from "pg/lib/client.js";

/** A connection of its own, not pooled, that says when it is gone: for locks and LISTEN. */
export interface WatchedConnection {
  readonly client: pg.Client;
  /** Ends the connection on purpose: `onLost` is not called for it. */
  readonly end: () => Promise<void>;
}

/**
 * Closes the socket at once. `end()` waits for the server to close its side, which a dead or
 * black-holed network never does; a destroyed socket also lets the server, once it notices, end
 * the session and free its locks.
 */
export const destroyConnection = (client: pg.ClientBase): void => {
  (
    client as unknown as { connection?: { stream?: { destroy?: () => void } } }
  ).connection?.stream?.destroy?.();
};

/**
 * Opens a connection and watches it: `onLost` is called once when it errors, ends, or leaves a
 * heartbeat (`SELECT 1` every `heartbeatMs`) unanswered for `heartbeatMs`. A lost connection is
 * destroyed, never used again.
 */
export const openWatchedConnection = async (
  config: pg.ClientConfig,
  heartbeatMs: number,
  onLost: (error: Error) => void,
): Promise<WatchedConnection> => {
  const client = new PgClient(config);
  let state: "connecting" | "open" | "lost" | "ended" = "connecting";
  let timer: NodeJS.Timeout | undefined;
  const lose = (error: Error): void => {
    if (state === "lost" || state === "ended") return;
    const wasOpen = state === "open";
    state = "lost";
    clearTimeout(timer);
    destroyConnection(client);
    if (wasOpen) onLost(error);
  };
  client.on("error", lose);
  client.on("end", () => lose(new Error("Connection terminated")));
  try {
    await client.connect();
  } catch (error) {
    lose(error as Error);
    throw error;
  }
  if ((state as string) === "lost") throw new Error("Connection terminated while connecting");
  state = "open";

  const beat = (): void => {
    timer = setTimeout(() => {
      const deadline = setTimeout(
        () =>
          lose(
            new Error(`Connection stopped answering: no heartbeat reply within ${heartbeatMs} ms`),
          ),
        heartbeatMs,
      );
      client.query("SELECT 1").then(
        () => {
          clearTimeout(deadline);
          if (state === "open") beat();
        },
        (error: Error) => {
          clearTimeout(deadline);
          lose(error);
        },
      );
    }, heartbeatMs);
    timer.unref();
  };
  beat();

  return {
    client,
    end: async () => {
      if (state !== "open") return;
      state = "ended";
      clearTimeout(timer);
      let ended: NodeJS.Timeout | undefined;
      await Promise.race([
        client.end().catch(() => {}),
        new Promise<void>((resolve) => {
          ended = setTimeout(resolve, heartbeatMs);
        }),
      ]);
      clearTimeout(ended);
      destroyConnection(client);
    },
  };
};
