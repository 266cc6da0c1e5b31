import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The package as another team gets it: packed, installed into a project outside the workspace,
// type-checked and run. Nothing may resolve through workspace links or TypeScript sources.
const coreDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(
  dirname(createRequire(import.meta.url).resolve("typescript/package.json")),
  "bin",
  "tsc",
);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const program = `
import * as E from "fp-ts/lib/Either.js";
import { orderDecider, type OrderCommand, unsafeDecode, OrderCommand as Codec } from "@mebel/core";
import { given } from "@mebel/core/testing";

const command: OrderCommand = unsafeDecode(Codec)({ type: "CreateOrder", orderId: "o-1", customerId: "c-1" });
const decision = orderDecider.decide(command, orderDecider.initialState);
given(orderDecider).when(command).thenEvents({ type: "OrderCreated", data: { orderId: "o-1", customerId: "c-1" } } as never);
declare const console: { log: (...values: unknown[]) => void };
console.log(JSON.stringify(E.isRight(decision) ? decision.right : decision.left));
`;

describe("@mebel/core as an installed package", () => {
  let project: string;
  let packDir: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), "mebel-consumer-"));
    packDir = mkdtempSync(join(tmpdir(), "mebel-pack-"));
    execFileSync(npm, ["pack", "--pack-destination", packDir, "--silent"], {
      cwd: coreDir,
      stdio: "pipe",
    });
    const tarball = readdirSync(packDir).find((f) => f.endsWith(".tgz"));
    if (tarball === undefined) throw new Error("npm pack produced no tarball");
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    execFileSync(
      npm,
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--silent",
        join(packDir, tarball),
      ],
      { cwd: project, stdio: "pipe" },
    );
    writeFileSync(join(project, "main.ts"), program);
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          outDir: "out",
          types: [],
          lib: ["ES2022"],
        },
        include: ["main.ts"],
      }),
    );
  }, 120_000);

  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    rmSync(packDir, { recursive: true, force: true });
  });

  it("type-checks and runs a program that imports it and its testing helpers", () => {
    execFileSync(process.execPath, [tsc, "-p", project], { cwd: project, stdio: "pipe" });
    const output = execFileSync(process.execPath, [join(project, "out", "main.js")], {
      cwd: project,
      encoding: "utf8",
    });
    expect(JSON.parse(output)).toEqual([
      { type: "OrderCreated", data: { orderId: "o-1", customerId: "c-1" } },
    ]);
  });
});
