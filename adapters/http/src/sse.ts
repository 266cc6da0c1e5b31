import type { Request, Response } from "express";
import { toJson } from "./json.js";

/** Where `createHttpApp` leaves, on `app.locals`, how a stream it opens is counted. */
export const STREAM_OPENED = "mebel.streamOpened";

export interface EventStream {
  /** Writes one event; `false` when the client was too slow and the stream was ended instead. */
  readonly send: (event: string, data: unknown, id?: string) => boolean;
  /** Writes a comment line (`: text`), which clients ignore. */
  readonly comment: (text: string) => void;
  readonly end: () => void;
  readonly closed: Promise<void>;
}

export interface EventStreamOptions {
  /** A comment this often keeps proxies from hanging up. */
  readonly heartbeatMs?: number;
  /**
   * What may wait unsent for a slow client. Past it the stream is ended rather than buffered
   * without bound: the client reconnects and reads again, which is what it does after any drop.
   */
  readonly maxBufferedBytes?: number;
}

export const SSE_HEARTBEAT_MS = 15_000;
export const SSE_MAX_BUFFERED_BYTES = 256 * 1024;

/** Server-sent events on a response, with heartbeats and a bounded buffer per client. */
export const openEventStream = (
  req: Request,
  res: Response,
  options: EventStreamOptions = {},
): EventStream => {
  const maxBuffered = options.maxBufferedBytes ?? SSE_MAX_BUFFERED_BYTES;
  res.status(200).set({
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
    Connection: "keep-alive",
  });
  res.flushHeaders();
  const opened = req.app.locals[STREAM_OPENED] as (() => () => void) | undefined;
  const counted = opened?.();
  const open = () => !res.writableEnded && !res.destroyed;
  const write = (chunk: string): boolean => {
    if (!open()) return false;
    if (res.writableLength > maxBuffered) {
      res.end();
      return false;
    }
    res.write(chunk);
    return true;
  };
  const heartbeat = setInterval(
    () => write(": heartbeat\n\n"),
    options.heartbeatMs ?? SSE_HEARTBEAT_MS,
  );
  let ended = false;
  const closed = new Promise<void>((resolve) => {
    const done = () => {
      if (ended) return;
      ended = true;
      counted?.();
      clearInterval(heartbeat);
      resolve();
    };
    req.on("close", done);
    res.on("close", done);
  });
  return {
    send: (event, data, id) =>
      write(`${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${toJson(data)}\n\n`),
    comment: (text) => {
      write(`: ${text}\n\n`);
    },
    end: () => {
      if (open()) res.end();
    },
    closed,
  };
};

/**
 * How many streams may be open at once, in all and per key (an address, an account): a public stream costs a
 * socket and a subscription for as long as the client likes, so it must not be free without end.
 */
export interface StreamSlots {
  /** A slot for `key` (an address, an account), released by the function it returns; `undefined` when none is free. */
  readonly take: (key: string) => (() => void) | undefined;
  readonly open: () => number;
}

export const streamSlots = (limits: {
  readonly total: number;
  readonly perKey: number;
}): StreamSlots => {
  let open = 0;
  const byKey = new Map<string, number>();
  return {
    take: (key) => {
      const mine = byKey.get(key) ?? 0;
      if (open >= limits.total || mine >= limits.perKey) return undefined;
      open += 1;
      byKey.set(key, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        open -= 1;
        const left = (byKey.get(key) ?? 1) - 1;
        if (left === 0) byKey.delete(key);
        else byKey.set(key, left);
      };
    },
    open: () => open,
  };
};
