import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const serve = async (
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; close: () => Promise<void> }> => {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/** An address where nothing listens any more: connections are refused. */
export const deadUrl = async (): Promise<string> => {
  const server = await serve(() => {});
  await server.close();
  return server.url;
};

/** Accepts every request and never answers. */
export const startHangingServer = () => serve(() => {});

/** Answers every request 200 with JSON that follows no contract. */
export const startGarbageServer = () =>
  serve((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify([{ sku: "not a sku", price: "free" }]));
  });
