import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import type { PagePosition } from "../ports/read-model-store.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

const toBase64Url = (bytes: Uint8Array): string => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const fromBase64Url = (text: string): Uint8Array =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

const Position = t.tuple([t.string, t.string]);

const parse = (text: string): unknown => {
  try {
    return JSON.parse(decoder.decode(fromBase64Url(text)));
  } catch {
    return undefined;
  }
};

/** Longer than any cursor this codec writes: a sort value and a key are short ids and instants. */
const MAX_CURSOR_LENGTH = 1_024;

/**
 * Where the next page starts, as clients carry it: opaque (base64url of a JSON pair), so its
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
  ({ sort, key }) => toBase64Url(encoder.encode(JSON.stringify([sort, key]))),
);
