import * as t from "io-ts";
import { describe, expect, it } from "vitest";
import type { RegisteredRoute } from "../auth/route-table.js";
import { openApiDocument } from "./openapi-document.js";
import type { RouteSpec } from "./route-spec.js";

const INFO = { title: "test", description: "", version: "0" };

const documentOf = (spec: RouteSpec) =>
  openApiDocument(INFO, [
    { method: "POST", path: "/things", access: { anyone: true }, spec, idempotent: false },
  ] satisfies ReadonlyArray<RegisteredRoute>);

const Thing = t.type({ name: t.string });

describe("a command's answer in the API's document", () => {
  it("has the position it appended at: the header, and an optional decimal field of the body", () => {
    const created = documentOf({
      summary: "makes a thing",
      command: true,
      responses: { 201: Thing },
    }).paths["/things"]?.post?.responses["201"];
    expect(created?.headers?.["Mebel-Position"]?.schema).toMatchObject({
      type: "string",
      pattern: "^(0|[1-9][0-9]{0,38})$",
    });
    expect(created?.content?.["application/json"]?.schema).toMatchObject({
      type: "object",
      properties: { name: { type: "string" }, position: { type: "string" } },
      required: ["name"],
    });
  });

  it("has neither when the route is no command", () => {
    const answered = documentOf({ summary: "asks", responses: { 200: Thing } }).paths["/things"]
      ?.post?.responses["200"];
    expect(answered?.headers).toBeUndefined();
    expect(answered?.content?.["application/json"]?.schema).not.toHaveProperty(
      "properties.position",
    );
  });

  it("refuses a command whose answer has a position of its own, which the log's would overwrite", () => {
    const Clash = t.type({ position: t.number });
    expect(() =>
      documentOf({ summary: "clashes", command: true, responses: { 200: Clash } }),
    ).toThrow(/POST \/things: its answer has a field "position" of its own/);
  });
});
