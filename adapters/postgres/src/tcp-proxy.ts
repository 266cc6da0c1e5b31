import { createServer, type Socket, connect as tcpConnect } from "node:net";

/**
 * A TCP proxy between clients and a server, for fault tests: it passes bytes on until told to
 * cut, drop (black-hole) or delay them.
 */
export interface TcpProxy {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  readonly through: (url: string) => string;
  /** Resets every connection; with `refuse`, also every new one until `heal`. */
  readonly cut: (options?: { readonly refuse?: boolean }) => void;
  /**
   * Drops every byte both ways without closing anything, as a dead network does: clients see
   * nothing until their own timeouts. New connections are accepted and then hear nothing.
   */
  readonly blackhole: () => void;
  /**
   * Ends a cut or black hole. Connections that lived through a black hole have lost bytes, so
   * they are reset, as their TCP retransmissions would eventually give up.
   */
  readonly heal: () => void;
  /** Delays every chunk by `ms` each way (0: none). */
  readonly delay: (ms: number) => void;
  /** Connections open through the proxy now. */
  readonly connections: () => number;
  readonly close: () => Promise<void>;
}

export const startTcpProxy = async (target: { host: string; port: number }): Promise<TcpProxy> => {
  const pairs = new Set<{ client: Socket; server?: Socket; tainted: boolean }>();
  let mode: "pass" | "refuse" | "blackhole" = "pass";
  let delayMs = 0;

  const reset = (pair: { client: Socket; server?: Socket }): void => {
    pair.client.resetAndDestroy();
    pair.server?.resetAndDestroy();
  };

  const server = createServer((client) => {
    if (mode === "refuse") {
      client.resetAndDestroy();
      return;
    }
    const pair: { client: Socket; server?: Socket; tainted: boolean } = {
      client,
      tainted: mode === "blackhole",
    };
    pairs.add(pair);
    const forget = (): void => {
      pairs.delete(pair);
    };
    client.on("error", () => reset(pair));
    client.on("close", forget);
    const pipe = (from: Socket, to: () => Socket | undefined): void => {
      from.on("data", (chunk) => {
        if (mode === "blackhole") {
          pair.tainted = true;
          return;
        }
        const send = (): void => {
          const destination = to();
          if (destination !== undefined && !destination.destroyed) destination.write(chunk);
        };
        if (delayMs === 0) send();
        else setTimeout(send, delayMs);
      });
      // A close is passed on unless the network is playing dead.
      from.on("end", () => {
        if (mode === "blackhole") pair.tainted = true;
        else to()?.end();
      });
    };
    if (pair.tainted) {
      pipe(client, () => undefined);
      return;
    }
    const upstream = tcpConnect(target.port, target.host);
    pair.server = upstream;
    upstream.on("error", () => reset(pair));
    upstream.on("close", () => {
      if (mode === "blackhole") pair.tainted = true;
      else client.destroy();
    });
    pipe(client, () => upstream);
    pipe(upstream, () => client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  return {
    port,
    through: (url) => {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    cut: (options = {}) => {
      mode = options.refuse === true ? "refuse" : "pass";
      for (const pair of [...pairs]) reset(pair);
    },
    blackhole: () => {
      mode = "blackhole";
    },
    heal: () => {
      mode = "pass";
      for (const pair of [...pairs]) if (pair.tainted) reset(pair);
    },
    delay: (ms) => {
      delayMs = ms;
    },
    connections: () => pairs.size,
    close: async () => {
      for (const pair of [...pairs]) reset(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
