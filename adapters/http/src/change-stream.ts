import type { Request, Response } from "express";
import { principalOf } from "./auth/principal.js";
import type { Logger } from "./logger.js";
import { type EventStreamOptions, openEventStream } from "./sse.js";

/** One server-sent event: its name and its data. */
export type StreamEvent = readonly [event: string, data: unknown];

/** Whatever pushes a service's committed changes to listeners (a projection's commit hook). */
export interface Changes<C> {
  /** Returns the function that unsubscribes. */
  readonly subscribe: (listener: (change: C) => void) => () => void;
}

export interface ChangeStreamDeps<C> {
  readonly changes: Changes<C>;
  readonly logger: Logger;
  readonly stream?: EventStreamOptions;
}

export interface ChangeStreamSpec<C> {
  /** What a committed change becomes on this stream: none, one or several events. */
  readonly select: (change: C) => ReadonlyArray<StreamEvent>;
  /** Runs once subscribed, before the stream says it is live: what is known already. */
  readonly prepare?: () => Promise<void>;
  /** Runs once the stream has ended, whoever ended it. */
  readonly onClose?: () => void;
  /** What the log says about a stream that could not start. */
  readonly about?: Record<string, unknown>;
}

/**
 * A service's views pushed as server-sent events, the same way for every feed: subscribed first and
 * read second (what commits in between is sent, never lost), then a `: ready` comment; nothing is
 * replayed, so a client that reconnects reads the views again. A stream opened with a token ends
 * when that token expires, and a client too slow to take its events is cut off (its buffer is
 * bounded): either way it comes back with a fresh ticket and reads again.
 */
export const streamChanges = <C>(
  req: Request,
  res: Response,
  deps: ChangeStreamDeps<C>,
  spec: ChangeStreamSpec<C>,
): void => {
  const stream = openEventStream(req, res, deps.stream);
  const unsubscribe = deps.changes.subscribe((change) => {
    for (const [event, data] of spec.select(change)) {
      if (!stream.send(event, data)) return;
    }
  });
  const expiresAt = principalOf(res)?.expiresAt;
  const expiry =
    expiresAt === undefined
      ? undefined
      : setTimeout(
          () => {
            stream.comment("expired");
            stream.end();
          },
          Math.max(0, expiresAt * 1000 - Date.now()),
        );
  void stream.closed.then(() => {
    clearTimeout(expiry);
    unsubscribe();
    spec.onClose?.();
  });
  void (async () => {
    try {
      await spec.prepare?.();
      stream.comment("ready");
    } catch (error) {
      deps.logger.error({ ...spec.about, error: String(error) }, "event stream could not start");
      stream.end();
    }
  })();
};
