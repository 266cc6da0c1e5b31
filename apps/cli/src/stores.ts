import { existsSync } from "node:fs";
import {
  DataDirInUseError,
  type Infrastructure,
  openInfrastructure,
  readSettings,
  type Settings,
} from "@mebel/runtime";
import * as E from "fp-ts/lib/Either.js";
import { Failure, messageOf, UsageError } from "./failures.js";

export type Env = Readonly<Record<string, string | undefined>>;

export interface Stores {
  readonly infra: Infrastructure;
  readonly settings: Settings;
}

/** The settings the services read, with `--data-dir` in place of MEBEL_DATA_DIR when given. */
export const settingsFrom = (env: Env, dataDir: string | undefined): Settings => {
  const settings = readSettings(dataDir === undefined ? env : { ...env, MEBEL_DATA_DIR: dataDir });
  if (E.isLeft(settings)) throw new UsageError(`bad settings: ${settings.left.join("; ")}`);
  return settings.right;
};

const KIND = { embedded: "embedded PGlite", postgres: "PostgreSQL", eventstoredb: "EventStoreDB" };

const summary = (settings: Settings): string =>
  `events in ${KIND[settings.events.kind]}, read models in ${KIND[settings.state.kind]}`;

const open = async (settings: Settings): Promise<Infrastructure> => {
  // Opening an embedded store creates it: a mistyped folder would show an empty shop, not an error.
  if (settings.state.kind === "embedded" && !existsSync(settings.state.dataDir)) {
    throw new Failure(
      `there is no embedded store in ${settings.state.dataDir}; point --data-dir or MEBEL_DATA_DIR ` +
        "at the services' data folder, or EVENTSTORE_URL and DATABASE_URL at their servers",
    );
  }
  try {
    return await openInfrastructure(settings, { embeddedOnThread: false });
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      throw new Failure(
        `${error.message} mebel opens the embedded store itself, so it runs while the services ` +
          "are stopped.",
      );
    }
    throw new Failure(`cannot open the stores (${summary(settings)}): ${messageOf(error)}`);
  }
};

/** Opens the stores, lends them to `use`, and always closes them: PGlite holds its folder. */
export const withStores = async <A>(
  settings: Settings,
  use: (stores: Stores) => Promise<A>,
): Promise<A> => {
  const infra = await open(settings);
  try {
    return await use({ infra, settings });
  } finally {
    await infra.close();
  }
};
