import autocannon from "autocannon";

export interface Call {
  readonly path: string;
  readonly body: unknown;
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  /** Run for this many seconds, or until `amount` requests were answered. */
  readonly seconds?: number;
  readonly amount?: number;
  /** At most this many requests per second over all connections; as fast as it goes when absent. */
  readonly rate?: number;
  /** The next request: a POST of JSON. */
  readonly next: () => Call;
  /** Sent with every request: the caller's `authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Load {
  /** 2xx answers per second. */
  readonly okPerSecond: number;
  /** Every answer, refusals included. */
  readonly answered: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly errors: number;
}

/** autocannon with POSTs made one by one by `next`, so each can name its own SKU or order. */
export const hammer = async (options: LoadOptions): Promise<Load> => {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    // autocannon notices that the last of `amount` requests was answered only at its next sample
    // tick (every second by default), so a run of an amount would last a whole number of seconds.
    ...(options.amount === undefined
      ? { duration: options.seconds ?? 1 }
      : { amount: options.amount, sampleInt: 5 }),
    ...(options.rate === undefined ? {} : { overallRate: options.rate }),
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    requests: [
      {
        setupRequest: (request) => {
          const call = options.next();
          return { ...request, path: call.path, body: JSON.stringify(call.body) };
        },
      },
    ],
  });
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count ?? 0]),
  );
  const answered = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  return {
    okPerSecond: result["2xx"] / result.duration,
    answered,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statuses,
    errors: result.errors,
  };
};

/** For a server started without keys, which trusts any bearer as an admin without looking. */
export const UNVERIFIED = { authorization: "Bearer unverified" } as const;

/** Plain POSTs for setup (stock, orders), a few at a time. */
export const post = async (
  url: string,
  path: string,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<unknown> => {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
};

export const get = async (
  url: string,
  path: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<unknown> => {
  const response = await fetch(`${url}${path}`, { headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
};

/** `count` orders created through the API, a few requests in flight at a time. */
export const createOrders = async (
  url: string,
  count: number,
  headers: Readonly<Record<string, string>> = {},
): Promise<string[]> => {
  const ids: string[] = [];
  const inFlight = 16;
  for (let at = 0; at < count; at += inFlight) {
    const batch = Array.from({ length: Math.min(inFlight, count - at) }, () =>
      post(url, "/orders", { customerId: "bench" }, headers),
    );
    for (const created of await Promise.all(batch)) {
      ids.push((created as { orderId: string }).orderId);
    }
  }
  return ids;
};
