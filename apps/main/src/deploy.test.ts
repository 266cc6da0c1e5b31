import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createTestDatabase,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
} from "@mebel/adapter-postgres";
import { readAuthSettings, readSettings } from "@mebel/runtime";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { request } from "./fault-workload.js";
import { eventually, freePorts, withTestKeys } from "./test-process.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const read = (file: string) => readFileSync(join(root, file), "utf8");

/** A JSON-array (exec form) instruction of the Dockerfile, e.g. ENTRYPOINT or HEALTHCHECK's CMD. */
const execForm = (dockerfile: string, instruction: RegExp): string[] => {
  const joined = dockerfile.replaceAll("\\\n", " ");
  const match = joined.match(instruction);
  if (match?.[1] === undefined) throw new Error(`no ${instruction} in the Dockerfile`);
  return JSON.parse(match[1]) as string[];
};

interface ComposeService {
  readonly image?: string;
  readonly command?: ReadonlyArray<string>;
  readonly environment?: Readonly<Record<string, string>>;
  readonly deploy?: { readonly replicas?: number };
}

const SERVICES = ["catalog", "warehouse", "delivery", "site"] as const;

/** Compose's `${NAME:?message}` and `${NAME}` with the given values. */
const interpolate = (value: string, vars: Readonly<Record<string, string>>): string =>
  value.replace(/\$\{(\w+)(?::\?[^}]*)?\}/g, (_, name: string) => vars[name] ?? "");

describe("the deployment to copy", () => {
  const dockerfile = read("Dockerfile");
  const compose = parse(read("compose.yaml"), { merge: true }) as {
    services: Record<string, ComposeService>;
  };

  it("composes PostgreSQL and two instances of each service, each with settings that decode", () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(["postgres", ...SERVICES]),
    );
    const schemas = new Set<string>();
    for (const name of SERVICES) {
      const service = compose.services[name] as ComposeService;
      expect(service.deploy?.replicas, name).toBe(2);
      expect(service.command, name).toEqual([name]);
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [
          k,
          interpolate(String(v), { POSTGRES_PASSWORD: "secret" }),
        ]),
      );
      const settings = readSettings(env);
      expect(E.isRight(settings), `${name}: ${E.isLeft(settings) && settings.left}`).toBe(true);
      if (E.isRight(settings)) schemas.add(settings.right.stateSchema);
      expect(env.MEBEL_SERVICE).toBe(name);
      // Every service finds the site's public keys at the site, by its name on the network.
      if (E.isRight(settings)) {
        const auth = readAuthSettings(env, { ...settings.right, dataDir: ".data" });
        expect(E.isRight(auth) && auth.right.source).toMatchObject({
          kind: "embedded",
          jwksUrl: "http://site:3000/.well-known/jwks.json",
          ...(name === "site" ? { keyFile: "/keys/signing-key.json" } : {}),
        });
      }
    }
    // Each service's read models in a schema of its own.
    expect(schemas.size).toBe(SERVICES.length);
  });

  it("builds a production image: dependencies without dev ones, a user that is not root, a health check", () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).not.toMatch(/COPY \. /);
  });

  describe("the image's commands, run the same way outside a container", () => {
    let database: TestDatabase;
    let proxy: TcpProxy;
    beforeAll(async () => {
      database = await createTestDatabase();
      const server = new URL(database.url);
      proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    });
    afterAll(async () => {
      await proxy?.close();
      await database?.drop();
    });

    it("starts the warehouse with the compose settings, passes its health check, and on SIGTERM answers the request in flight and exits 0", async () => {
      const entrypoint = execForm(dockerfile, /^ENTRYPOINT (\[.*\])$/m);
      const healthcheck = execForm(dockerfile, /^HEALTHCHECK .*CMD (\[.*\])$/m);
      const warehouse = compose.services.warehouse as ComposeService;
      const ports = await freePorts();
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        ...Object.fromEntries(
          Object.entries(warehouse.environment ?? {}).map(([k, v]) => [k, String(v)]),
        ),
        // What differs outside the container: this machine's database (through a proxy that can
        // slow it down), loopback, free ports.
        EVENTSTORE_URL: proxy.through(database.url),
        HOST: "127.0.0.1",
        WAREHOUSE_PORT: String(ports.warehouse),
        CATALOG_URL: `http://127.0.0.1:${ports.catalog}`,
        LOG_LEVEL: "warn",
        // The site's public keys as a file: no site runs here to fetch them from.
        ...(await withTestKeys({})),
      };
      const run = (argv: ReadonlyArray<string>) => {
        const [program, ...args] = argv;
        expect(program).toBe("node");
        return spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
      };
      const child = run([...entrypoint, ...(warehouse.command ?? [])]);
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      const exited = new Promise<number | null>((done) => child.once("exit", done));
      try {
        await eventually(
          () =>
            new Promise<number | null>((done) => {
              const probe = run(healthcheck);
              probe.once("exit", done);
            }),
          (code) => code === 0,
          "the health check passing",
          60_000,
        );
        // A request that takes a while (every round trip to the database slowed down), then SIGTERM
        // while it is in flight: it is answered, not cut, before the process exits.
        proxy.delay(200);
        const inFlight = request(
          "POST",
          `http://127.0.0.1:${ports.warehouse}/stock/DEPLOY-1/receive`,
          {
            quantity: 1,
          },
        );
        await new Promise((r) => setTimeout(r, 100));
        child.kill("SIGTERM");
        expect((await inFlight).status).toBe(200);
        expect(await exited, output).toBe(0);
      } finally {
        child.kill("SIGKILL");
      }
    }, 90_000);
  });
});
