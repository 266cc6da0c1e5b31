import { apiPrefix } from "../paths.js";
import { refresh, session } from "./session.js";

const MAX_BACKOFF_MS = 10_000;

/** Whether one block of a server-sent event stream is the feed's `changed` event. */
export const isChange = (block: string): boolean => /^event: changed$/m.test(block);

/**
 * The delivery service's live feed (`GET /deliveries/live`): `onChange` runs when it opens and
 * whenever a delivery changes, for the screen to read again. Read with `fetch`, not EventSource,
 * so the access token goes in its header as for every other call (it never enters a URL); the
 * feed ends when the token expires and is opened again with the renewed one.
 */
export const followDeliveries = (onChange: () => void): (() => void) => {
  let stopped = false;
  let backoff = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let abort: AbortController | undefined;

  const retry = () => {
    if (stopped) return;
    timer = setTimeout(() => void connect(), backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  const connect = async () => {
    const current = session.get();
    if (stopped || current.kind !== "signed-in") return retry();
    abort = new AbortController();
    try {
      const res = await fetch(`${apiPrefix("delivery")}/deliveries/live`, {
        headers: { accept: "text/event-stream", authorization: `Bearer ${current.token}` },
        credentials: "omit",
        signal: abort.signal,
      });
      if (res.status === 401) await refresh();
      if (!res.ok || res.body === null) return retry();
      backoff = 500;
      // Nothing is replayed: what changed before it opened is read now.
      onChange();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          if (isChange(buffer.slice(0, end))) onChange();
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // Dropped, or stopped: retry() knows which.
    }
    retry();
  };

  void connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    abort?.abort();
  };
};
