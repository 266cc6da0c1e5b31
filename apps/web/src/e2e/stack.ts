import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("../../../..", import.meta.url)));

export const E2E_PASSWORD = "e2e-demo-password";
/**
 * The demo courier's account is Anna's, whom auto-assignment picks while she carries no more than
 * Boris (ties go to the smaller id); Boris is there for the dispatcher to re-assign to.
 */
const COURIERS = JSON.stringify([
  { id: "anna", name: "Anna Petrova", capacity: 20 },
  { id: "boris", name: "Boris Orlov", capacity: 20 },
]);

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

export interface Stack {
  readonly site: string;
  readonly stop: () => Promise<void>;
}

/**
 * What `npm start` runs, as a child process on free ports and a fresh data folder; `env` adds
 * settings (the journeys' own SMTP server, where the mail they check arrives).
 */
export const startStack = async (env: Readonly<Record<string, string>> = {}): Promise<Stack> => {
  const dataDir = await mkdtemp(join(tmpdir(), "mebel-e2e-"));
  const ports = [];
  for (let i = 0; i < 4; i += 1) ports.push(await freePort());
  const [site, catalog, warehouse, delivery] = ports as [number, number, number, number];
  const child: ChildProcess = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(root, "apps/main/src/main.ts"), "all"],
    {
      cwd: root,
      env: {
        ...process.env,
        SITE_PORT: String(site),
        CATALOG_PORT: String(catalog),
        WAREHOUSE_PORT: String(warehouse),
        DELIVERY_PORT: String(delivery),
        MEBEL_DATA_DIR: dataDir,
        MEBEL_DEMO_PASSWORD: E2E_PASSWORD,
        MEBEL_COURIERS: COURIERS,
        MEBEL_SIGN_INS_PER_MINUTE: "1000",
        LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  let output = "";
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`not ready after 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Mebel is running")) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    site: `http://127.0.0.1:${site}`,
    stop: async () => {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
