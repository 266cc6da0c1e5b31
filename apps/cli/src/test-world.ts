import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock, uuids } from "@mebel/adapter-memory";
import {
  type AnyProjection,
  backOfficeProjections,
  type CommandContext,
  CustomerId,
  commandBus,
  createCommandHandler,
  type DomainRecordedEvent,
  decodeBatch,
  OrderId,
  Quantity,
  readViews,
  replay,
  Sku,
  startProjection,
  unsafeDecode,
} from "@mebel/core";
import { type Infrastructure, openInfrastructure, readSettings } from "@mebel/runtime";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { Io } from "./io.js";
import { run } from "./run.js";

/** Test support: embedded data folders with some shop history, and the CLI run in-process. */

/** What the helpers need: the infrastructure of a data folder, or memory stores. */
type Stores = Pick<Infrastructure, "store" | "readModels">;

const dirs: string[] = [];

export const freshDataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "mebel-cli-"));
  dirs.push(dir);
  return dir;
};

export const removeDataDirs = (): void => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
};

/** Opens the folder's stores for the test and closes them after: the CLI needs the folder free. */
export const withInfrastructure = async <A>(
  dataDir: string,
  use: (infra: Infrastructure) => Promise<A>,
): Promise<A> => {
  const settings = readSettings({ MEBEL_DATA_DIR: dataDir });
  if (E.isLeft(settings)) throw new Error(settings.left.join());
  const infra = await openInfrastructure(settings.right);
  try {
    return await use(infra);
  } finally {
    await infra.close();
  }
};

const must = async <A>(task: TE.TaskEither<{ readonly code: string }, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(result.left.code);
  return result.right;
};

const context = (): CommandContext => ({ correlationId: uuids.next(), causationId: uuids.next() });

/** Receives stock for `skus` and creates `orders` orders, through the command handler. */
export const writeHistory = async (
  infra: Stores,
  { skus, orders }: { readonly skus: ReadonlyArray<string>; readonly orders: number },
): Promise<void> => {
  const bus = commandBus(
    createCommandHandler({ store: infra.store, clock: systemClock, ids: uuids }),
  );
  for (const sku of skus) {
    const command = {
      type: "ReceiveStock" as const,
      sku: unsafeDecode(Sku)(sku),
      quantity: unsafeDecode(Quantity)(5),
    };
    await must(bus.stockItem(command, context()));
  }
  for (let i = 0; i < orders; i += 1) {
    const command = {
      type: "CreateOrder" as const,
      orderId: unsafeDecode(OrderId)(`order-${uuids.next().slice(0, 8)}`),
      customerId: unsafeDecode(CustomerId)("customer-olga"),
    };
    await must(bus.order(command, context()));
  }
};

/** Runs every projection up to the head once, as a service would, and stops them. */
export const runProjections = async (infra: Stores): Promise<void> => {
  const head = await infra.store.head();
  for (const projection of backOfficeProjections) {
    const runner = startProjection(projection, {
      store: infra.store,
      readModels: infra.readModels,
      clock: systemClock,
    });
    if (head !== undefined) await runner.waitUntil(head);
    await runner.stop();
  }
};

/** Every event of the log, decoded, as a replay from zero reads them. */
export const allEvents = async (infra: Stores): Promise<ReadonlyArray<DomainRecordedEvent>> => {
  const events: DomainRecordedEvent[] = [];
  let after: bigint | undefined;
  for (;;) {
    const page = await infra.store.readAll(after === undefined ? {} : { after });
    events.push(...decodeBatch(page.events));
    if (page.isEnd || page.position === undefined) return events;
    after = page.position;
  }
};

/** The stored read model next to what `replay` builds from every event: equal when correct. */
export const modelAndReplay = async (infra: Stores, projection: AnyProjection) => ({
  stored: Object.fromEntries(await readViews(projection, infra.readModels).all()),
  replayed: Object.fromEntries(replay(projection, await allEvents(infra))),
});

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly lines: ReadonlyArray<string>;
}

export interface CaptureOptions {
  readonly interrupt?: AbortSignal;
  /** Makes stderr look like a terminal, where the progress bar is drawn. */
  readonly tty?: boolean;
}

export const capture = (options: CaptureOptions = {}) => {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: {
      write: (chunk) => {
        stdout += chunk;
        return true;
      },
    },
    stderr: {
      write: (chunk) => {
        stderr += chunk;
        return true;
      },
      isTTY: options.tty === true,
    },
    ...(options.interrupt === undefined ? {} : { interrupt: options.interrupt }),
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
};

/** `mebel <argv>` in this process, with only the environment given (never the test runner's). */
export const mebel = async (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  options: CaptureOptions = {},
): Promise<Captured> => {
  const out = capture(options);
  const code = await run(argv, env, out.io);
  return {
    code,
    stdout: out.stdout(),
    stderr: out.stderr(),
    lines: out
      .stdout()
      .split("\n")
      .filter((line) => line !== ""),
  };
};
