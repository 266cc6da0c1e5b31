import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Listening, listen } from "../app.js";
import { misdocumentedApp } from "./misdocumented-app.js";
import { failOnViolations, RESPONSE_CHECK_ENV, takeViolations } from "./response-check.js";

// The set-up (vitest.response-check.ts) names the file and fails any test that leaves findings
// in it; these tests take theirs, so that they pass only when the check did find them.
const file = process.env[RESPONSE_CHECK_ENV] as string;

let server: Listening;
beforeAll(async () => {
  server = await listen(misdocumentedApp(), 0);
});
afterAll(() => server.close());

const ask = (url: string, answer: string) => fetch(`${url}/products?answer=${answer}`);

describe("the check of every answer against the OpenAPI document", () => {
  it("is switched on for the test suites", () => {
    expect(file).toMatch(/mebel-responses-/);
  });

  it("lets an answer the document describes pass", async () => {
    expect((await ask(server.url, "numbers")).status).toBe(200);
    expect(takeViolations(file)).toEqual([]);
  });

  it("finds a body that does not match the schema, an undeclared status and problem code", async () => {
    await ask(server.url, "strings");
    await ask(server.url, "teapot");
    await ask(server.url, "problem");
    const found = takeViolations(file);
    expect(found.map((v) => [v.operation, v.status])).toEqual([
      ["GET /products", 200],
      ["GET /products", 418],
      ["GET /products", 409],
    ]);
    expect(found[0]?.problem).toMatch(/must be number/);
    expect(found[1]?.problem).toMatch(/status 418 is not declared/);
    expect(found[2]?.problem).toMatch(/status 409 is not declared/);
  });

  it("looks at a command's answer too, which is written without Express's send", async () => {
    const command = (answer: string) =>
      fetch(`${server.url}/products?answer=${answer}`, {
        method: "POST",
        headers: { authorization: "Bearer catalog" },
      });
    expect((await command("sku")).status).toBe(201);
    expect(takeViolations(file)).toEqual([]);
    await command("number");
    await command("problem");
    expect(takeViolations(file).map((v) => [v.operation, v.status, v.problem])).toEqual([
      ["POST /products", 201, expect.stringMatching(/must be string/)],
      ["POST /products", 409, expect.stringMatching(/status 409 is not declared/)],
    ]);
  });

  it("holds a command's position to its spec and its header: declared, and the same in the body", async () => {
    expect((await fetch(`${server.url}/products/SOFA`)).status).toBe(200);
    expect(takeViolations(file)).toEqual([]);
    await ask(server.url, "appended");
    await fetch(`${server.url}/products/SOFA?answer=disagreeing`);
    await fetch(`${server.url}/products/SOFA?answer=unsaid`);
    expect(takeViolations(file).map((v) => [v.operation, v.problem])).toEqual([
      ["GET /products", expect.stringMatching(/Mebel-Position is not declared for 200/)],
      ["GET /products/:sku", 'the body\'s position "8" is not Mebel-Position "7"'],
      ["GET /products/:sku", 'the body\'s position "8" is not Mebel-Position none'],
    ]);
  });

  it("fails the test that received such an answer", async () => {
    await ask(server.url, "strings");
    expect(() => failOnViolations(file)).toThrow(/GET \/products answered 200 application\/json/);
    expect(() => failOnViolations(file)).not.toThrow();
  });

  it("finds them in a child process too, which inherits the variable", async () => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=source",
        "--import",
        "tsx",
        fileURLToPath(new URL("./misdocumented-app.ts", import.meta.url)),
      ],
      { env: { ...process.env }, stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const [line] = (await once(child.stdout, "data")) as [Buffer];
      await ask(line.toString().trim(), "strings");
      expect(takeViolations(file).map((v) => v.problem)).toEqual([
        expect.stringMatching(/must be number/),
      ]);
    } finally {
      child.kill();
    }
  });
});
