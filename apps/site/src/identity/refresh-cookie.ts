import { parse, serialize } from "cookie";
import type { Request, Response } from "express";

export const REFRESH_COOKIE = "mebel_refresh";
// Sent only to the routes that take it: never with an API call, never to a script.
const PATH = "/auth";
const VALUE = /^[A-Za-z0-9_-]{43}$/;

export const refreshCookieOf = (req: Request): string | undefined => {
  const header = req.get("cookie");
  if (header === undefined) return undefined;
  const value = parse(header)[REFRESH_COOKIE];
  return value !== undefined && VALUE.test(value) ? value : undefined;
};

export const setRefreshCookie = (
  res: Response,
  value: string,
  maxAgeSeconds: number,
  secure: boolean,
): void => {
  res.append(
    "Set-Cookie",
    serialize(REFRESH_COOKIE, value, {
      httpOnly: true,
      secure,
      sameSite: "lax",
      path: PATH,
      maxAge: maxAgeSeconds,
    }),
  );
};

export const clearRefreshCookie = (res: Response, secure: boolean): void => {
  res.append(
    "Set-Cookie",
    serialize(REFRESH_COOKIE, "", {
      httpOnly: true,
      secure,
      sameSite: "lax",
      path: PATH,
      maxAge: 0,
    }),
  );
};
