import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import type { PagePosition } from "../ports/read-model-store.js";

// Hex of the UTF-16 code units: URL-safe and reversible with nothing but the language itself
// (the core runs anywhere, so no Buffer, TextEncoder or btoa).
const toHex = (text: string): string => {
  let hex = "";
  for (let i = 0; i < text.length; i += 1) hex += text.charCodeAt(i).toString(16).padStart(4, "0");
  return hex;
};

const fromHex = (hex: string): string | undefined => {
  if (hex.length % 4 !== 0 || !/^[0-9a-f]*$/.test(hex)) return undefined;
  let text = "";
  for (let i = 0; i < hex.length; i += 4)
    text += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return text;
};

const Position = t.tuple([t.string, t.string]);

const parse = (text: string): unknown => {
  try {
    const json = fromHex(text);
    return json === undefined ? undefined : JSON.parse(json);
  } catch {
    return undefined;
  }
};

/** Longer than any cursor this codec writes: a sort value and a key are short ids and instants. */
const MAX_CURSOR_LENGTH = 2_048;

/**
 * Where the next page starts, as clients carry it: opaque (hex of a JSON pair), so its
 * shape can change without breaking them, and decoded like any other input before a store sees it.
 */
export const PageCursor = new t.Type<PagePosition, string, unknown>(
  "PageCursor",
  (u): u is PagePosition =>
    typeof u === "object" &&
    u !== null &&
    typeof (u as PagePosition).sort === "string" &&
    typeof (u as PagePosition).key === "string",
  (u, c) => {
    if (typeof u !== "string" || u.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(u)) {
      return t.failure(u, c, "not a page cursor");
    }
    const pair = Position.decode(parse(u));
    return E.isRight(pair)
      ? t.success({ sort: pair.right[0], key: pair.right[1] })
      : t.failure(u, c, "not a page cursor");
  },
  ({ sort, key }) => toHex(JSON.stringify([sort, key])),
);
