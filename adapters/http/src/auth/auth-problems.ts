import type { Response } from "express";
import { problem, sendProblem } from "../problem.js";

const REALM = 'Bearer realm="mebel"';

/** No credentials: 401 with the scheme to use, as RFC 6750 has it. */
export const sendUnauthenticated = (res: Response): void => {
  res.setHeader("WWW-Authenticate", REALM);
  sendProblem(res, problem(401, "UNAUTHENTICATED", "Sign in and send the access token."));
};

/** Credentials that do not verify: 401, and the client should sign in again. */
export const sendInvalidToken = (res: Response): void => {
  res.setHeader("WWW-Authenticate", `${REALM}, error="invalid_token"`);
  sendProblem(
    res,
    problem(401, "INVALID_TOKEN", "The access token is not valid.", {
      detail: "It is expired, not yet valid, not ours or not well-formed: sign in again.",
    }),
  );
};

/** A valid token whose roles the route does not admit: another token would be needed. */
export const sendInsufficientRole = (res: Response): void => {
  res.setHeader("WWW-Authenticate", `${REALM}, error="insufficient_scope"`);
  sendForbidden(res, "Your role does not allow this.");
};

/** Refused whoever asks this way: another customer's things, another site's page. */
export const sendForbidden = (res: Response, detail = "Your role does not allow this."): void => {
  sendProblem(res, problem(403, "FORBIDDEN", "You may not do this.", { detail }));
};

/** The keys to verify with could not be had: the service's fault, for now. */
export const sendKeysUnavailable = (res: Response): void => {
  res.setHeader("Retry-After", "1");
  sendProblem(
    res,
    problem(503, "AUTHENTICATION_UNAVAILABLE", "Tokens cannot be verified right now."),
  );
};
