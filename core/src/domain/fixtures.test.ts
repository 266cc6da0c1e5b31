import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { mergeRegistries } from "../shared/event-registry.js";
import { domainEvents as aggregateEvents } from "./events.js";
import { mailPreferenceEvents } from "./mail-preferences/events.js";

/** The three aggregates' events and the customers' own (their mail preferences). */
const domainEvents = mergeRegistries(aggregateEvents, mailPreferenceEvents);

/**
 * Frozen fixtures: one JSON file per event type and schema version, made from the codecs of the
 * day the version was released and never edited after. The store keeps every event forever, so
 * every version must stay readable: removing an old version, or breaking its upcaster, fails here.
 */
const folder = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const fixtures = readdirSync(folder)
  .filter((file) => file.endsWith(".json"))
  .map((file) => ({
    file,
    ...(JSON.parse(readFileSync(join(folder, file), "utf8")) as {
      type: string;
      version: number;
      data: unknown;
    }),
  }));

describe("frozen event fixtures", () => {
  it.each(fixtures)("$file still decodes, through the upcasters, into today's shape", (fixture) => {
    expect(fixture.file).toBe(`${fixture.type}.v${fixture.version}.json`);
    const decoded = domainEvents.decode(fixture.type, fixture.data, fixture.version);
    expect(E.isRight(decoded), JSON.stringify(decoded)).toBe(true);
    if (E.isLeft(decoded)) return;
    // What is written today reads back as itself: the newest version is a fixed point.
    const newest = domainEvents.versionOf(fixture.type);
    expect(domainEvents.decode(fixture.type, domainEvents.encode(decoded.right), newest)).toEqual(
      decoded,
    );
  });

  it("has a fixture for every version of every event type", () => {
    const have = new Set(fixtures.map((f) => `${f.type}.v${f.version}`));
    const want = [...domainEvents.types].flatMap((type) =>
      domainEvents.versions(type).map((version) => `${type}.v${version}`),
    );
    expect(want.filter((name) => !have.has(name))).toEqual([]);
    expect([...have].filter((name) => !want.includes(name))).toEqual([]);
  });
});
