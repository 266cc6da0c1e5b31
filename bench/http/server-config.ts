import type { JSONWebKeySet } from "jose";
import type { ServerStore } from "../harness/databases.js";

/**
 * What a server process runs: bare Express (the baseline), the add-item route's statements with
 * nothing else (its raw limit), or the warehouse on a store.
 */
export type ServerConfig =
  | { readonly kind: "bare" }
  | {
      readonly kind: "raw-add-item";
      readonly store: ServerStore;
      /**
       * "plain": the price read and the two INSERTs as three autocommit statements, a first try's
       * way. "one": the three in one prepared statement, one round trip and one commit per request.
       */
      readonly statements: "plain" | "one";
      /** Priced in a products table of its own. */
      readonly skus: ReadonlyArray<string>;
    }
  | {
      readonly kind: "warehouse";
      readonly store: ServerStore;
      /** Catalog entries add-item prices from; created if missing. */
      readonly skus: ReadonlyArray<string>;
      /**
       * The public keys its tokens are verified with. Without them the server trusts every caller
       * as an admin without looking: the figure of the routes before they needed a token.
       */
      readonly jwks?: JSONWebKeySet;
      /** Metrics on (as every service runs) or off entirely: what they cost. */
      readonly metrics: boolean;
    };

/** What a server process tells its parent once, over IPC. */
export type ServerMessage = { readonly url: string } | { readonly error: string };

/** What a server process answers to "stats": its memory, and its event loop's delay since the last. */
export interface ServerStats {
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  /** Memory held outside the JavaScript heap: C++ objects bound to it, and the Buffers among them. */
  readonly externalMiB: number;
  readonly arrayBuffersMiB: number;
  readonly loopDelayP50Ms: number;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** CPU time the process has used since it started (user + system). */
  readonly cpuMs: number;
  /** Time the main thread's event loop has been busy since the process started. */
  readonly loopBusyMs: number;
  /** Statements its database client has sent since it started (see counting-client.ts). */
  readonly statements: number;
}
