export interface ServerSentEvent {
  readonly event: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  readonly data: any;
}

/**
 * A server-sent event stream read with fetch: every event is kept, and `waitFor` resolves on the
 * first that matches or rejects after a time limit, so a test never hangs on a silent stream.
 */
export const readEventStream = async (url: string, headers: Record<string, string> = {}) => {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers });
  const events: ServerSentEvent[] = [];
  const comments: string[] = [];
  let changed = (): void => {};

  const parse = (block: string): void => {
    const lines = block.split("\n");
    const field = (name: string) =>
      lines.filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2));
    for (const l of lines) if (l.startsWith(": ")) comments.push(l.slice(2));
    const [event] = field("event");
    const data = field("data");
    if (event !== undefined) events.push({ event, data: JSON.parse(data.join("\n")) });
  };

  const pump = async (): Promise<void> => {
    if (response.body === null) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
      changed();
    }
  };
  const pumping = pump().catch(() => undefined);

  const until = <A>(found: () => A | undefined, what: string, timeoutMs: number): Promise<A> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${what} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const check = (): void => {
        const value = found();
        if (value === undefined) return;
        clearTimeout(timer);
        changed = () => {};
        resolve(value);
      };
      changed = check;
      check();
    });

  return {
    response,
    events,
    /** Resolves once the server says the stream is live. */
    ready: (timeoutMs = 2_000) =>
      until(() => (comments.includes("ready") ? true : undefined), "ready comment", timeoutMs),
    waitFor: (match: (e: ServerSentEvent) => boolean, timeoutMs = 2_000) =>
      until(() => events.find(match), "matching event", timeoutMs),
    /** Resolves once the server has ended the stream, with the comments it sent. */
    ended: async (timeoutMs = 10_000) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([pumping, late]);
        return comments;
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => {
      controller.abort();
      await pumping;
    },
  };
};
