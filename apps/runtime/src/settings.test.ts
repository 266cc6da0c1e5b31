import { defaultSlotPolicy } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { pgOptions } from "./postgres-settings.js";
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

  it("name where the site reaches each other service, and refuse a URL that is not http(s)", () => {
    const settings = readSettings({
      CATALOG_URL: "http://catalog:3001",
      WAREHOUSE_URL: "https://warehouse.internal",
      DELIVERY_URL: "http://delivery:3003",
    });
    expect(E.isRight(settings) && settings.right.urls).toEqual({
      catalog: "http://catalog:3001",
      warehouse: "https://warehouse.internal",
      delivery: "http://delivery:3003",
    });
    const bad = readSettings({ DELIVERY_URL: "ftp://delivery" });
    expect(E.isLeft(bad) && bad.left.join("\n")).toMatch(/DELIVERY_URL/);
  });

  it("read customers' e-mail settings, and refuse what is not an SMTP URL or a known fault", () => {
    expect(readSettings({})).toEqual(
      E.right(
        expect.objectContaining({
          mail: { from: "Mebel <shop@mebel.localhost>", sinkPort: 3025, pollMs: 1000 },
        }),
      ),
    );
    const smtp = readSettings({
      MEBEL_SMTP_URL: "smtps://mailer:secret@smtp.example.com:465",
      MEBEL_MAIL_FROM: "Shop <shop@example.com>",
      MEBEL_MAIL_POLL_MS: "250",
    });
    expect(E.isRight(smtp) && smtp.right.mail).toEqual({
      smtpUrl: "smtps://mailer:secret@smtp.example.com:465",
      from: "Shop <shop@example.com>",
      sinkPort: 3025,
      pollMs: 250,
    });
    const bad = readSettings({
      MEBEL_SMTP_URL: "http://smtp.example.com",
      MEBEL_TEST_MAIL_FAULT: "x",
    });
    expect(E.isLeft(bad) && bad.left.join("\n")).toMatch(
      /MEBEL_SMTP_URL.*\n.*MEBEL_TEST_MAIL_FAULT|MEBEL_TEST_MAIL_FAULT.*\n.*MEBEL_SMTP_URL/,
    );
    // An error names the variable, never its value: a URL may hold a password.
    expect(E.isLeft(bad) && bad.left.join("\n")).not.toContain("smtp.example.com");
  });

  it("read the delivery windows over the defaults, and refuse a policy with no slot in it", () => {
    expect(E.isRight(readSettings({})) && readSettings({})).toMatchObject({
      right: { slots: defaultSlotPolicy },
    });
    const berlin = readSettings({
      MEBEL_DELIVERY_SLOTS: '{"timeZone":"Europe/Berlin","slotHours":2,"perSlot":2}',
    });
    expect(E.isRight(berlin) && berlin.right.slots).toEqual({
      ...defaultSlotPolicy,
      timeZone: "Europe/Berlin",
      slotHours: 2,
      perSlot: 2,
    });
    for (const bad of ["{", "[]", '{"workingDays":[]}', '{"timeZone":"Mars/Olympus"}']) {
      const refused = readSettings({ MEBEL_DELIVERY_SLOTS: bad });
      expect(E.isLeft(refused) && refused.left.join()).toMatch(/^MEBEL_DELIVERY_SLOTS: /);
    }
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

  it("give PostgreSQL connections a bounded pool and timeouts by default", () => {
    const settings = readSettings({});
    expect(E.isRight(settings) && settings.right.postgres).toEqual({
      poolMax: 8,
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 15_000,
      idleTimeoutMs: 30_000,
      maxLifetimeMs: 1_800_000,
      heartbeatMs: 500,
    });
  });

  it("read the pool size, timeouts and session name from the environment", () => {
    const settings = readSettings({
      MEBEL_PG_POOL_MAX: "4",
      MEBEL_PG_CONNECT_TIMEOUT_MS: "1000",
      MEBEL_PG_STATEMENT_TIMEOUT_MS: "2000",
      MEBEL_PG_IDLE_TIMEOUT_MS: "3000",
      MEBEL_PG_MAX_LIFETIME_MS: "60000",
      MEBEL_PG_HEARTBEAT_MS: "250",
      MEBEL_APPLICATION_NAME: "mebel-warehouse-2",
      MEBEL_PG_SESSION_HOST: "db.internal:5432",
    });
    expect(E.isRight(settings) && settings.right.postgres).toEqual({
      poolMax: 4,
      connectTimeoutMs: 1_000,
      statementTimeoutMs: 2_000,
      idleTimeoutMs: 3_000,
      maxLifetimeMs: 60_000,
      heartbeatMs: 250,
      applicationName: "mebel-warehouse-2",
      sessionHost: "db.internal:5432",
    });
    if (E.isRight(settings)) {
      expect(
        pgOptions(settings.right.postgres, "postgres://app:pw@pooler:6432/mebel"),
      ).toMatchObject({ max: 4, sessionUrl: "postgres://app:pw@db.internal:5432/mebel" });
    }
  });

  it("refuse a pool or a timeout they cannot use, and a session name that could inject", () => {
    for (const [name, value] of [
      ["MEBEL_PG_POOL_MAX", "0"],
      ["MEBEL_PG_POOL_MAX", "many"],
      ["MEBEL_PG_STATEMENT_TIMEOUT_MS", "10"],
      ["MEBEL_PG_HEARTBEAT_MS", "-1"],
      ["MEBEL_APPLICATION_NAME", "x' -c statement_timeout=0"],
      ["MEBEL_PG_SESSION_HOST", "db/evil?x=1"],
    ] as const) {
      const settings = readSettings({ [name]: value });
      expect(E.isLeft(settings) && settings.left.join("\n")).toContain(name);
    }
  });
});
