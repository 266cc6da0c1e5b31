import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { openPglite } from "@mebel/adapter-postgres";
import { inject } from "vitest";

let template: Promise<string> | undefined;

/**
 * A PGlite cluster as initdb leaves it, made once a run (in the folder the global set-up hands
 * out) by whichever worker asks first: the others find it there, or lose the race to rename theirs
 * into place and take the winner's.
 */
const initialisedCluster = (): Promise<string> => {
  template ??= (async () => {
    const root = inject("pgliteTemplateDir");
    const ready = join(root, "pglite");
    if (existsSync(ready)) return ready;
    const making = mkdtempSync(join(root, "making-"));
    try {
      await (await openPglite(join(making, "pglite"))).close();
      renameSync(join(making, "pglite"), ready);
    } catch (error) {
      if (!existsSync(ready)) throw error;
    } finally {
      rmSync(making, { recursive: true, force: true });
    }
    return ready;
  })();
  return template;
};

/**
 * Lays an embedded cluster, initialised and nothing more, into a new data folder: the process
 * started on it still creates every schema and seeds the demo, as on a first start. initdb alone
 * takes seconds a start on a loaded machine, so suites whose claim begins after it start here; the
 * first start on an empty folder stays covered by the suites that start on one (all-in-one,
 * observability, the browser journeys).
 */
export const initialiseCluster = async (dataDir: string): Promise<string> => {
  cpSync(await initialisedCluster(), join(dataDir, "pglite"), { recursive: true });
  return dataDir;
};
