import {
  AccessDeniedError,
  ErrorType,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from "@eventstore/db-client";
import { describe, expect, it } from "vitest";
import { isStreamNotFound, isTransient, isWrongExpectedVersion, mayRetryAppend } from "./errors.js";
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

  it("make a subscription resubscribe unless no retry can help", () => {
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
    expect(mayRetryAppend(down, 3)).toBe(true);
    expect(mayRetryAppend(down, "no_stream")).toBe(true);
    expect(mayRetryAppend(down, "any")).toBe(false);
    expect(mayRetryAppend(down, "stream_exists")).toBe(false);
    expect(mayRetryAppend(notLeader, "any")).toBe(true);
    expect(mayRetryAppend(new AccessDeniedError(), 3)).toBe(false);
  });
});
