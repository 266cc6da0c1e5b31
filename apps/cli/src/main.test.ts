import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

describe("mebel as a process", () => {
  it("runs `projections list` and exits 0", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "apps/cli/src/main.ts", "projections", "list"],
      { cwd: root, env: { ...process.env, MEBEL_DATA_DIR: join(root, ".no-data-needed") } },
    );
    expect(stdout).toMatch(/^order-view\s+5\s+order-view\.v5/m);
  });
});
