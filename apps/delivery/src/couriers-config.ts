import { type Courier, CourierId, fieldErrors } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import * as t from "io-ts";

/** A plain value that must pass a check; the name is what an error says was expected. */
const checked = <A>(name: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> =>
  new t.Type(name, is, (u, context) => (is(u) ? t.success(u) : t.failure(u, context)), t.identity);

const PositiveInteger = checked(
  "a positive integer",
  (u): u is number => typeof u === "number" && Number.isSafeInteger(u) && u > 0,
);

const CourierName = checked(
  "a name of 1 to 200 characters",
  (u): u is string => typeof u === "string" && u.trim().length > 0 && u.length <= 200,
);

/** Couriers as settings list them; capacity 0 would be a courier who never gets a delivery. */
const CouriersSetting = t.readonlyArray(
  t.exact(t.type({ id: CourierId, name: CourierName, capacity: PositiveInteger })),
);

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? "nothing" : text.length > 40 ? `${text.slice(0, 40)}...` : text;
};

const parse = (text: string): E.Either<ReadonlyArray<string>, unknown> =>
  E.tryCatch(
    () => JSON.parse(text) as unknown,
    (e) => [`not JSON: ${e instanceof Error ? e.message : String(e)}`],
  );

const decode = (json: unknown): E.Either<ReadonlyArray<string>, ReadonlyArray<Courier>> =>
  pipe(
    CouriersSetting.decode(json),
    E.mapLeft((errors) =>
      fieldErrors(errors).map(
        (f, i) =>
          `${f.path === "(root)" ? "the list" : `courier ${f.path}`}: expected ${f.expected}, got ${show(errors[i]?.value)}`,
      ),
    ),
  );

/** Two entries with one id would split one courier's load in two and double their capacity. */
const unique = (
  couriers: ReadonlyArray<Courier>,
): E.Either<ReadonlyArray<string>, ReadonlyArray<Courier>> => {
  const ids = couriers.map((c) => c.id);
  const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  return repeated.length === 0
    ? E.right(couriers)
    : E.left(repeated.map((id) => `courier id ${id} is listed more than once`));
};

/**
 * The delivery context's reference data from settings: a JSON array of `{id, name, capacity}`.
 * Every problem is named in the one message, so a bad setting is fixed in one go.
 */
export const couriersFromJson = (text: string): E.Either<string, ReadonlyArray<Courier>> =>
  pipe(
    parse(text),
    E.chain(decode),
    E.chain(unique),
    E.mapLeft((problems) => `Invalid couriers setting: ${problems.join("; ")}.`),
  );
