import type { Request, Response } from "express";
import { toJson } from "./json.js";

/** Where `createHttpApp` leaves, on `app.locals`, how a stream it opens is counted. */
export const STREAM_OPENED = "mebel.streamOpened";

export interface EventStream {
  readonly send: (event: string, data: unknown, id?: string) => void;
  readonly closed: Promise<void>;
}

/** Server-sent events on a response: a comment every `heartbeatMs` keeps proxies from hanging up. */
export const openEventStream = (req: Request, res: Response, heartbeatMs = 15_000): EventStream => {
  res.status(200).set({
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
    Connection: "keep-alive",
  });
  res.flushHeaders();
  const opened = req.app.locals[STREAM_OPENED] as (() => () => void) | undefined;
  const counted = opened?.();
  const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), heartbeatMs);
  const closed = new Promise<void>((resolve) => {
    req.on("close", () => {
      counted?.();
      clearInterval(heartbeat);
      resolve();
    });
  });
  return {
    send: (event, data, id) => {
      res.write(
        `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${toJson(data)}\n\n`,
      );
    },
    closed,
  };
};
