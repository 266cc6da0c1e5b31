import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isoInstant } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirInUseError } from "./data-dir-lock.js";
import { openInfrastructure } from "./infrastructure.js";
import { readSettings } from "./settings.js";

const dirs: string[] = [];
const settingsFor = (dataDir: string) => {
  const settings = readSettings({ MEBEL_DATA_DIR: dataDir });
  if (E.isLeft(settings)) throw new Error(settings.left.join());
  return settings.right;
};
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "mebel-data-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const event = () => ({
  eventId: crypto.randomUUID(),
  type: "Noted",
  data: { text: "kept" },
  metadata: { correlationId: "c", causationId: "c", occurredAt: isoInstant(new Date()) },
});

describe("embedded infrastructure", () => {
  it("keeps what was written across a restart, on a thread (services) or not (the CLI)", async () => {
    const dir = freshDir();
    const first = await openInfrastructure(settingsFor(dir));
    await first.store.append("Note-1", [event()], "no_stream");
    await first.close();
    const second = await openInfrastructure(settingsFor(dir), { embeddedOnThread: false });
    expect(await second.store.readStream("Note-1")).toHaveLength(1);
    await second.close();
  });

  it("refuses a second process on the same folder, and takes over from a dead one", async () => {
    const dir = freshDir();
    writeFileSync(join(dir, "mebel.lock"), String(process.ppid));
    await expect(openInfrastructure(settingsFor(dir))).rejects.toBeInstanceOf(DataDirInUseError);
    // A pid no process has: the owner died without cleaning up.
    writeFileSync(join(dir, "mebel.lock"), "2147483646");
    const infrastructure = await openInfrastructure(settingsFor(dir));
    await infrastructure.close();
  });
});
