import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const handedOut = new Set<number>();

const tryPort = (port: number): Promise<number | undefined> =>
  new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(undefined));
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => done(bound));
    });
  });

/**
 * A port free right now, below the range the system hands out to outgoing connections (32768 and
 * up on Linux, 49152 and up elsewhere): a port from that range, closed again before a child
 * listens on it, may meanwhile become the local end of any connection made on the machine, and a
 * service started again on its port after a kill would find it taken.
 */
const freePort = async (): Promise<number> => {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    // Free again once closed: never hand the same one out twice.
    if (handedOut.has(candidate)) continue;
    handedOut.add(candidate);
    const port = await tryPort(candidate);
    if (port !== undefined) return port;
  }
  const any = await tryPort(0);
  if (any === undefined) throw new Error("no free port");
  return any;
};

export interface AllInOne {
  readonly site: string;
  readonly catalog: string;
  readonly warehouse: string;
  readonly delivery: string;
  readonly output: () => string;
  /** False once the process has exited, for whatever reason. */
  readonly alive: () => boolean;
  /** Sends the signal and resolves once the process has exited. */
  readonly kill: (signal: NodeJS.Signals) => Promise<void>;
}

export interface Ports {
  readonly site: number;
  readonly catalog: number;
  readonly warehouse: number;
  readonly delivery: number;
}

export const freePorts = async (): Promise<Ports> => {
  const [site, catalog, warehouse, delivery] = (await Promise.all([1, 2, 3, 4].map(freePort))) as [
    number,
    number,
    number,
    number,
  ];
  return { site, catalog, warehouse, delivery };
};

/** The demo accounts' password in tests: given, so that it is known (and never printed). */
export const DEMO_PASSWORD = "test-demo-password-1";

/** `npm start`'s program as a real child process on a data folder, on free ports. */
export const startAllInOne = async (
  dataDir: string,
  env: Readonly<Record<string, string>> = {},
): Promise<AllInOne> =>
  startProcess("all", await freePorts(), {
    MEBEL_DATA_DIR: dataDir,
    MEBEL_DEMO_PASSWORD: DEMO_PASSWORD,
    ...env,
  });

/** One service (or all) as a real child process with the given settings. */
export const startProcess = async (
  service: "all" | "catalog" | "warehouse" | "delivery" | "site",
  ports: Ports,
  env: Readonly<Record<string, string>>,
): Promise<AllInOne> => {
  const { site, catalog, warehouse, delivery } = ports;
  const child: ChildProcess = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(root, "apps/main/src/main.ts"), service],
    {
      cwd: root,
      env: {
        ...process.env,
        SITE_PORT: String(site),
        CATALOG_PORT: String(catalog),
        WAREHOUSE_PORT: String(warehouse),
        DELIVERY_PORT: String(delivery),
        LOG_LEVEL: "warn",
        // The suite runs several multi-process tests at once against one server of 100
        // connections: each service's pool is kept small unless a test says otherwise.
        MEBEL_PG_POOL_MAX: "5",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  let alive = true;
  const exited = new Promise<void>((done) =>
    child.once("exit", () => {
      alive = false;
      done();
    }),
  );
  await new Promise<void>((ready, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Mebel is running")) ready();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      fail(new Error(`exited with ${code} before it was ready:\n${output}`)),
    );
    setTimeout(() => fail(new Error(`not ready after 60 s:\n${output}`)), 60_000).unref();
  });
  const url = (port: number | undefined) => `http://127.0.0.1:${port}`;
  return {
    site: url(site),
    catalog: url(catalog),
    warehouse: url(warehouse),
    delivery: url(delivery),
    output: () => output,
    alive: () => alive,
    kill: async (signal) => {
      child.kill(signal);
      await exited;
    },
  };
};

/** JSON over HTTP, answering status and body. */
export const call = async (
  method: string,
  url: string,
  body?: unknown,
  headers: Readonly<Record<string, string>> = {},
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field in tests
): Promise<{ status: number; body: any; headers: Headers }> => {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text === "" ? undefined : JSON.parse(text),
    headers: res.headers,
  };
};

/** Asks until the answer satisfies `done`: for views that settle asynchronously, by design. */
export const eventually = async <T>(
  ask: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await ask();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

export type AuthHeaders = Readonly<Record<string, string>>;

/** Signs in on the site: the `authorization` header to send with that account's requests. */
export const signIn = async (
  site: string,
  email: string,
  password = DEMO_PASSWORD,
): Promise<AuthHeaders> => {
  const answer = await call("POST", `${site}/auth/login`, { email, password });
  if (answer.status !== 200) throw new Error(`sign-in of ${email}: ${answer.status}`);
  return { authorization: `Bearer ${answer.body.accessToken}` };
};

/** A new customer, signed up on the site: their id (the customerId of their paths) and header. */
export const signUp = async (
  site: string,
  name = "Test Customer",
): Promise<{ readonly id: string; readonly headers: AuthHeaders }> => {
  const email = `c-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const registered = await call("POST", `${site}/auth/register`, {
    email,
    password: DEMO_PASSWORD,
    name,
  });
  if (registered.status !== 201) throw new Error(`sign-up: ${registered.status}`);
  const headers = { authorization: `Bearer ${registered.body.accessToken}` };
  const me = await call("GET", `${site}/auth/me`, undefined, headers);
  return { id: me.body.id, headers };
};

/** The demo's staff, signed in. */
export const signInStaff = async (site: string) => {
  const [warehouse, dispatcher, courier, catalog, admin] = await Promise.all(
    ["warehouse", "dispatcher", "courier", "catalog", "admin"].map((who) =>
      signIn(site, `${who}@example.com`),
    ),
  );
  return { warehouse, dispatcher, courier, catalog, admin } as Record<
    "warehouse" | "dispatcher" | "courier" | "catalog" | "admin",
    AuthHeaders
  >;
};

interface TestKeys {
  readonly env: Readonly<Record<string, string>>;
  readonly staff: AuthHeaders;
}

let testKeys: Promise<TestKeys> | undefined;

/**
 * One key pair for every process a test file starts apart: the site signs with it, the others
 * verify with its public half from a JWKS file (MEBEL_AUTH_JWKS_FILE), so a service runs without a
 * site to fetch keys from. `staff` is an admin's token of that key, for the test's own requests.
 */
const keysForTests = (): Promise<TestKeys> => {
  testKeys ??= (async () => {
    const { loadOrCreateSigningKey, EMBEDDED_ISSUER, DEFAULT_AUDIENCE } = await import(
      "@mebel/runtime"
    );
    const { createTokenSigner } = await import("@mebel/adapter-http");
    const dir = mkdtempSync(join(tmpdir(), "mebel-test-keys-"));
    const keyFile = join(dir, "signing-key.json");
    const jwksFile = join(dir, "jwks.json");
    const key = await loadOrCreateSigningKey(keyFile);
    writeFileSync(jwksFile, JSON.stringify(key.jwks));
    const sign = createTokenSigner({
      privateKey: key.privateKey,
      kid: key.kid,
      issuer: EMBEDDED_ISSUER,
      audience: DEFAULT_AUDIENCE,
      ttlSeconds: 3_600,
    });
    const token = await sign({ sub: "test-admin" as never, roles: ["admin"] });
    return {
      env: { MEBEL_AUTH_KEY_FILE: keyFile, MEBEL_AUTH_JWKS_FILE: jwksFile },
      staff: { authorization: `Bearer ${token}` },
    };
  })();
  return testKeys;
};

/** The settings that make a process sign or verify with the test key pair. */
export const withTestKeys = async (
  env: Readonly<Record<string, string>>,
): Promise<Record<string, string>> => ({ ...(await keysForTests()).env, ...env });

/** `authorization` of an admin, valid in every process started `withTestKeys`. */
export const testStaff = async (): Promise<AuthHeaders> => (await keysForTests()).staff;
