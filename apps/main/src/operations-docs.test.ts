import { readFileSync } from "node:fs";
import { createTelemetry } from "@mebel/adapter-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startObservedWorld } from "./test-support/observed-world.js";

const doc = (name: string) =>
  readFileSync(new URL(`../../../docs/${name}`, import.meta.url), "utf8");
const METRIC = /\b(?:mebel|process|nodejs)_[a-z0-9_]+\b/g;

let world: Awaited<ReturnType<typeof startObservedWorld>>;
/** Every series name the running warehouse exposes on /metrics, histograms' parts included. */
let exposed: ReadonlySet<string>;

beforeAll(async () => {
  world = await startObservedWorld(createTelemetry());
  const admin = await world.issuer.bearer("root", ["admin"]);
  const scraped = await world.call(world.warehouse, "GET", "/metrics", admin);
  expect(scraped.status).toBe(200);
  const types = [...scraped.text.matchAll(/^# TYPE (\S+) (\S+)$/gm)];
  exposed = new Set(
    types.flatMap(([, name = "", type]) =>
      type === "histogram" ? [name, `${name}_bucket`, `${name}_count`, `${name}_sum`] : [name],
    ),
  );
});
afterAll(() => world?.close());

const namedIn = (expressions: ReadonlyArray<string>): ReadonlyArray<string> => [
  ...new Set(expressions.flatMap((e) => e.match(METRIC) ?? [])),
];

describe("the operations documents", () => {
  it("alert on metrics a running service exposes", () => {
    const rules = parse(doc("alerts.yaml")) as {
      groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
    };
    const exprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(rules.groups.flatMap((g) => g.rules.map((r) => r.alert))).toEqual(
      expect.arrayContaining([
        "MebelProjectionLagGrowing",
        "MebelSubscriberFailed",
        "MebelConflictRateHigh",
      ]),
    );
    const names = namedIn(exprs);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !exposed.has(n))).toEqual([]);
  });

  it("chart metrics a running service exposes", () => {
    const dashboard = JSON.parse(doc("grafana-dashboard.json")) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const names = namedIn(dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)));
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !exposed.has(n))).toEqual([]);
  });

  it("name the rules and the dashboard in operations.md", () => {
    const operations = doc("operations.md");
    expect(operations).toContain("alerts.yaml");
    expect(operations).toContain("grafana-dashboard.json");
  });
});
