import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { couriersFromJson } from "./couriers-config.js";

const problemOf = (text: string): string => {
  const decoded = couriersFromJson(text);
  if (E.isRight(decoded)) throw new Error(`accepted ${text}`);
  return decoded.left;
};

describe("couriersFromJson", () => {
  it("reads a list of couriers, dropping fields it does not know", () => {
    expect(
      couriersFromJson('[{"id":"anna","name":"Anna K.","capacity":3,"phone":"+7 812"}]'),
    ).toEqual(E.right([{ id: "anna", name: "Anna K.", capacity: 3 }]));
    expect(couriersFromJson("[]")).toEqual(E.right([]));
  });

  it("names every field that is wrong, with what it got", () => {
    const problem = problemOf(
      '[{"id":"anna","name":"Anna","capacity":0},{"id":"bad id","capacity":1.5}]',
    );
    expect(problem).toContain("courier 0.capacity: expected a positive integer, got 0");
    expect(problem).toContain('courier 1.id: expected CourierId, got "bad id"');
    expect(problem).toContain(
      "courier 1.name: expected a name of 1 to 200 characters, got nothing",
    );
    expect(problem).toContain("courier 1.capacity: expected a positive integer, got 1.5");
  });

  it("refuses what is not a list, or not JSON at all", () => {
    expect(problemOf('{"id":"anna"}')).toMatch(/^Invalid couriers setting: the list: expected/);
    expect(problemOf("anna,3")).toMatch(/^Invalid couriers setting: not JSON/);
    expect(problemOf("")).toMatch(/not JSON/);
  });

  it("refuses one id listed twice", () => {
    expect(
      problemOf(
        '[{"id":"anna","name":"Anna","capacity":1},{"id":"anna","name":"Anna again","capacity":2}]',
      ),
    ).toBe("Invalid couriers setting: courier id anna is listed more than once.");
  });
});
