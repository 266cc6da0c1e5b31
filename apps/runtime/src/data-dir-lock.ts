import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Thrown when another live process holds the embedded data folder. */
export class DataDirInUseError extends Error {
  override readonly name = "DataDirInUseError";
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * PGlite is one process's database: two processes on one folder would corrupt it. The folder is
 * claimed with a lock file holding the owner's pid; a lock left by a process that died (kill -9)
 * is taken over, a live owner's is refused with a clear error.
 */
export const lockDataDir = (dataDir: string): (() => void) => {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "mebel.lock");
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(path, "utf8"));
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
        throw new DataDirInUseError(
          `The embedded store in ${dataDir} is in use by process ${owner}. Stop it first, or point ` +
            "EVENTSTORE_URL and DATABASE_URL at a server that several processes can share.",
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not claim ${dataDir}.`);
};
