import type { RequestHandler } from "express";
import helmet from "helmet";

type Step = readonly ["set", string, string] | readonly ["remove", string];

/**
 * What helmet's defaults do to a response, read once off a stand-in: they name no function (no
 * nonce), so every answer gets the same headers. Replayed by one middleware, they cost an answer
 * its header writes only, not helmet's dozen middleware calling each other.
 */
const helmetSteps = (): ReadonlyArray<Step> => {
  const steps: Step[] = [];
  const stand = {
    setHeader: (name: string, value: unknown) => {
      steps.push(["set", name, String(value)]);
    },
    removeHeader: (name: string) => {
      steps.push(["remove", name]);
    },
  };
  let done = false;
  const middleware = helmet() as unknown as (
    req: unknown,
    res: unknown,
    next: (error?: unknown) => void,
  ) => void;
  middleware({}, stand, (error) => {
    if (error !== undefined) throw error;
    done = true;
  });
  if (!done) throw new Error("security headers: helmet did not finish at once");
  return steps;
};

/** An API's answers are never pages: no framing, no sniffing, no scripts, no referrer. */
export const securityHeaders = (): RequestHandler => {
  const steps = helmetSteps();
  return (_req, res, next) => {
    for (const step of steps) {
      if (step[0] === "set") res.setHeader(step[1], step[2]);
      else res.removeHeader(step[1]);
    }
    next();
  };
};
