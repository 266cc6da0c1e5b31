import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { readSettings } from "./settings.js";

describe("settings", () => {
  it("default to everything embedded in ./.data", () => {
    const settings = readSettings({});
    expect(settings).toEqual(
      E.right(
        expect.objectContaining({
          events: { kind: "embedded", dataDir: ".data" },
          state: { kind: "embedded", dataDir: ".data" },
          ports: { site: 3000, catalog: 3001, warehouse: 3002, delivery: 3003 },
        }),
      ),
    );
  });

  it("put events in EventStoreDB and read models in PostgreSQL", () => {
    const settings = readSettings({
      EVENTSTORE_URL: "esdb://localhost:2113?tls=false",
      DATABASE_URL: "postgres://app@db:5432/mebel",
    });
    expect(E.isRight(settings) && settings.right.events).toEqual({
      kind: "eventstoredb",
      url: "esdb://localhost:2113?tls=false",
    });
    expect(E.isRight(settings) && settings.right.state).toEqual({
      kind: "postgres",
      url: "postgres://app@db:5432/mebel",
    });
  });

  it("keep everything in one PostgreSQL when only EVENTSTORE_URL names one", () => {
    const settings = readSettings({ EVENTSTORE_URL: "postgres://app@db:5432/mebel" });
    expect(E.isRight(settings) && settings.right.state).toEqual({
      kind: "postgres",
      url: "postgres://app@db:5432/mebel",
    });
  });

  it("refuse what they cannot use, naming each setting", () => {
    const settings = readSettings({
      SITE_PORT: "eighty",
      EVENTSTORE_URL: "mysql://x",
      LOG_LEVEL: "loud",
    });
    expect(E.isLeft(settings) && settings.left.join("\n")).toMatch(
      /SITE_PORT[\s\S]*EVENTSTORE_URL|EVENTSTORE_URL[\s\S]*SITE_PORT/,
    );
    expect(E.isLeft(readSettings({ EVENTSTORE_URL: "esdb://localhost:2113" }))).toBe(true);
  });
});
