import {
  AccessDeniedError,
  ErrorType,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from "@eventstore/db-client";
import { describe, expect, it } from "vitest";
import {
  isStreamNotFound,
  isTransient,
  isUnavailable,
  isWrongExpectedVersion,
  mayRetryAppend,
} from "./errors.js";
import { UnreadableEventError } from "./mapping.js";

describe("client errors", () => {
  it("are told apart by type, whichever copy of the client made them", () => {
    const conflict = new WrongExpectedVersionError(undefined, {
      streamName: "Order-1",
      expected: 0n,
      current: 1n,
    });
    expect(isWrongExpectedVersion(conflict)).toBe(true);
    expect(isWrongExpectedVersion({ type: ErrorType.WRONG_EXPECTED_VERSION })).toBe(true);
    expect(isStreamNotFound(new StreamNotFoundError(undefined, "Order-1"))).toBe(true);
    expect(isStreamNotFound(new Error("stream-not-found"))).toBe(false);
  });

  it("count as the store's absence for a subscription unless no retry can help", () => {
    expect(isTransient(new UnavailableError(undefined, "down"))).toBe(true);
    expect(isTransient(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(
      true,
    );
    expect(isTransient(new AccessDeniedError())).toBe(false);
    expect(isTransient(new UnreadableEventError("no position"))).toBe(false);
    expect(isTransient(new RangeError("bad position"))).toBe(false);
  });

  it("let an append be sent again only where the server will know it for a repeat", () => {
    const down = new UnavailableError(undefined, "down");
    const notLeader = { type: ErrorType.NOT_LEADER };
    expect(mayRetryAppend(down, 3n)).toBe(true);
    expect(mayRetryAppend(down, "no_stream")).toBe(true);
    expect(mayRetryAppend(down, "any")).toBe(false);
    expect(mayRetryAppend(down, "stream_exists")).toBe(false);
    expect(mayRetryAppend(notLeader, "any")).toBe(true);
    expect(mayRetryAppend(new AccessDeniedError(), 3n)).toBe(false);
  });

  it("recognise the batch call's unknown errors that mean the server never handled the append", () => {
    const noLeader = new UnknownError(
      undefined,
      "Could not recognize No leader info available in response",
    );
    expect(isUnavailable(noLeader)).toBe(true);
    expect(mayRetryAppend(noLeader, "any")).toBe(true);
    const other = new UnknownError(undefined, "Could not recognize Something else");
    expect(isUnavailable(other)).toBe(false);
    expect(mayRetryAppend(other, 3n)).toBe(false);
  });

  it("recognise a gRPC error the client passes on unconverted, and socket errors", () => {
    expect(isUnavailable(Object.assign(new Error("14 UNAVAILABLE"), { code: 14 }))).toBe(true);
    expect(isUnavailable(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(true);
    expect(isUnavailable(Object.assign(new Error("13 INTERNAL"), { code: 13 }))).toBe(false);
    expect(isUnavailable(new AccessDeniedError())).toBe(false);
  });
});
