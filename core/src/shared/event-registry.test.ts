import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { describe, expect, it } from "vitest";
import { eventRegistry, versioned } from "./event-registry.js";

/** A made-up history: a name that became two fields, then gained a country. */
const V1 = t.type({ name: t.string });
const V2 = t.type({ first: t.string, last: t.string });
const V3 = t.type({ first: t.string, last: t.string, country: t.union([t.string, t.null]) });

const registry = eventRegistry({
  Named: versioned(V3, [
    {
      codec: V1,
      upcast: ({ name }: t.TypeOf<typeof V1>) => {
        const [first = "", ...rest] = name.split(" ");
        return { first, last: rest.join(" ") };
      },
    },
    { codec: V2, upcast: (v2: t.TypeOf<typeof V2>) => ({ ...v2, country: null }) },
  ]),
  Plain: t.type({ n: t.number }),
});

describe("a versioned event registry", () => {
  it("lifts every older version to the newest through the upcasters, in order", () => {
    const newest = { first: "Olga", last: "Ivanova Petrova", country: null };
    expect(registry.decode("Named", { name: "Olga Ivanova Petrova" }, 1)).toEqual(
      E.right({ type: "Named", data: newest }),
    );
    expect(registry.decode("Named", { first: "Olga", last: "Ivanova Petrova" }, 2)).toEqual(
      E.right({ type: "Named", data: newest }),
    );
    expect(registry.decode("Named", { ...newest, country: "RU" }, 3)).toEqual(
      E.right({ type: "Named", data: { ...newest, country: "RU" } }),
    );
  });

  it("writes the newest version, and reads an event that names none as version 1", () => {
    expect(registry.versionOf("Named")).toBe(3);
    expect(registry.versions("Named")).toEqual([1, 2, 3]);
    expect(registry.versionOf("Plain")).toBe(1);
    expect(E.isRight(registry.decode("Named", { name: "Ivan" }))).toBe(true);
  });

  it("refuses a version it does not know, rather than misread it", () => {
    expect(registry.decode("Named", { name: "Ivan" }, 4)).toEqual(
      E.left({ kind: "unknown_version", type: "Named", version: 4 }),
    );
    expect(registry.decode("Plain", { n: 1 }, 0)).toEqual(
      E.left({ kind: "unknown_version", type: "Plain", version: 0 }),
    );
  });

  it("says which version's data is malformed", () => {
    const decoded = registry.decode("Named", { name: 7 }, 1);
    expect(E.isLeft(decoded) && decoded.left).toMatchObject({ kind: "invalid_data", version: 1 });
  });
});
