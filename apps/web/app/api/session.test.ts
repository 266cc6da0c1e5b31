import { afterEach, describe, expect, it, vi } from "vitest";
import { refresh, session } from "./session.js";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("renewing the session", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it("spends the refresh cookie once however many calls want a new token at the same time", async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      calls.push(url);
      return url === "/auth/refresh"
        ? json(200, { accessToken: "a1", expiresIn: 600 })
        : json(200, { id: "olga", email: "olga@example.com", name: "Olga", roles: ["customer"] });
    });
    const answers = await Promise.all([refresh(), refresh(), refresh()]);
    expect(answers).toEqual([true, true, true]);
    expect(calls.filter((u) => u === "/auth/refresh")).toHaveLength(1);
    expect(session.get()).toMatchObject({ kind: "signed-in", token: "a1" });
  });

  it("is signed out when the cookie is refused, and renews again on the next call", async () => {
    let refused = 0;
    vi.stubGlobal("fetch", async () => {
      refused += 1;
      return json(401, { status: 401, code: "INVALID_REFRESH_TOKEN", title: "Ended" });
    });
    expect(await refresh()).toBe(false);
    expect(session.get()).toEqual({ kind: "anonymous" });
    expect(await refresh()).toBe(false);
    expect(refused).toBe(2);
  });
});
