import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshDataDir, mebel, removeDataDirs } from "./test-world.js";

afterAll(removeDataDirs);

const ONE_LINE = /^mebel: [^\n]+\n$/;

describe("stores that cannot be used", () => {
  it("a data folder held by another live process: exit 1, saying so", async () => {
    const dataDir = freshDataDir();
    // The parent of this test process is alive and is not this process: a service, as far as
    // the lock can tell.
    writeFileSync(join(dataDir, "mebel.lock"), String(process.ppid));
    const answer = await mebel(["projections", "status"], { MEBEL_DATA_DIR: dataDir });
    expect(answer).toMatchObject({ code: 1, stdout: "" });
    expect(answer.stderr).toMatch(ONE_LINE);
    expect(answer.stderr).toMatch(
      new RegExp(`in use by process ${process.ppid}.*runs while the services are stopped`),
    );
  });

  it("a data folder that does not exist: exit 1, and nothing is created", async () => {
    const missing = join(freshDataDir(), "typo");
    const answer = await mebel(["events", "tail"], { MEBEL_DATA_DIR: missing });
    expect(answer).toMatchObject({ code: 1, stdout: "" });
    expect(answer.stderr).toMatch(ONE_LINE);
    expect(answer.stderr).toMatch(`there is no embedded store in ${missing}`);
  });

  it("an unreachable PostgreSQL: exit 1 with one line", async () => {
    const answer = await mebel(["streams", "read", "Order-1"], {
      EVENTSTORE_URL: "postgres://mebel@127.0.0.1:1/mebel",
    });
    expect(answer).toMatchObject({ code: 1, stdout: "" });
    expect(answer.stderr).toMatch(ONE_LINE);
    expect(answer.stderr).toMatch(/cannot open the stores .*ECONNREFUSED/);
  });
});
