import { availableParallelism, cpus, totalmem } from "node:os";
import type { Databases } from "./databases.js";

/** What the figures were measured on: they mean little without it. */
export const describeMachine = async (databases: Databases, used: ReadonlySet<string>) => {
  const versionOf = async (kind: "postgres" | "pglite") => {
    if (!used.has(kind)) return undefined;
    const [row] = await (await databases.get(kind)).client.query<{ version: string }>(
      "SELECT current_setting('server_version') AS version",
    );
    return row?.version;
  };
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: await versionOf("postgres"),
    pglite: await versionOf("pglite"),
  };
};
