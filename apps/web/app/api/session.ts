import * as t from "io-ts";
import { Me, SessionToken } from "./codecs.js";
import { type Call, call, type Result } from "./http.js";
import { createStore } from "./store.js";

export type Session =
  | { readonly kind: "loading" }
  | { readonly kind: "anonymous" }
  | { readonly kind: "signed-in"; readonly token: string; readonly me: Me };

/**
 * The access token lives in this module's memory only, never in storage or a URL; the refresh
 * token is an HttpOnly cookie the page cannot read. A reload signs in again through the cookie.
 */
export const session = createStore<Session>({ kind: "loading" });

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

const signedIn = async (
  answer: Result<t.TypeOf<typeof SessionToken>>,
): Promise<Result<Session>> => {
  if (!answer.ok) return answer;
  const token = answer.value.accessToken;
  const me = await call({ path: "/auth/me", codec: Me, token });
  if (!me.ok) return me;
  const next: Session = { kind: "signed-in", token, me: me.value };
  session.set(next);
  clearTimeout(refreshTimer);
  // Renewed a little before it runs out, so a page left open stays signed in.
  const renewIn = Math.max(5, answer.value.expiresIn - 30) * 1000;
  refreshTimer = setTimeout(() => void refresh(), renewIn);
  return { ok: true, value: next, etag: null };
};

const renew = async (): Promise<boolean> => {
  const answer = await call({
    method: "POST",
    path: "/auth/refresh",
    codec: SessionToken,
    credentials: true,
  });
  if (answer.ok) return (await signedIn(answer)).ok;
  session.set({ kind: "anonymous" });
  return false;
};

let renewing: Promise<boolean> | undefined;

/**
 * One renewal at a time, in this tab and across the shop's tabs (they share the cookie): each use
 * spends the refresh token, and the site takes a spent one used again for a stolen copy and ends
 * the session everywhere.
 */
export const refresh = (): Promise<boolean> => {
  if (renewing !== undefined) return renewing;
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  const once = locks === undefined ? renew() : locks.request("mebel-refresh", renew);
  renewing = once.finally(() => {
    renewing = undefined;
  });
  return renewing;
};

export const signIn = async (email: string, password: string): Promise<Result<Session>> =>
  signedIn(
    await call({
      method: "POST",
      path: "/auth/login",
      codec: SessionToken,
      body: { email, password },
      credentials: true,
    }),
  );

export const signUp = async (
  name: string,
  email: string,
  password: string,
): Promise<Result<Session>> =>
  signedIn(
    await call({
      method: "POST",
      path: "/auth/register",
      codec: SessionToken,
      body: { name, email, password },
      credentials: true,
    }),
  );

export const signOut = async (): Promise<void> => {
  clearTimeout(refreshTimer);
  await call({ method: "POST", path: "/auth/logout", codec: t.unknown, credentials: true });
  session.set({ kind: "anonymous" });
};

/** A call with the signed-in person's token; an expired token is renewed once and retried. */
export const authed = async <A>(c: Omit<Call<A>, "token">): Promise<Result<A>> => {
  const current = session.get();
  const token = current.kind === "signed-in" ? current.token : undefined;
  const first = await call({ ...c, token });
  if (first.ok || first.problem.status !== 401 || token === undefined) return first;
  if (!(await refresh())) return first;
  const renewed = session.get();
  return call({ ...c, token: renewed.kind === "signed-in" ? renewed.token : undefined });
};

export const currentMe = (): Me | undefined => {
  const s = session.get();
  return s.kind === "signed-in" ? s.me : undefined;
};
