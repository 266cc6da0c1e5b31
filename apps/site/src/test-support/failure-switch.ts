import { problem, sendProblem } from "@mebel/adapter-http";
import type { NextFunction, Request, Response } from "express";

/** A middleware that, once told to, answers every request with a failure status. */
export const failureSwitch = () => {
  let failure: number | undefined;
  return {
    middleware: (_req: Request, res: Response, next: NextFunction): void => {
      if (failure === undefined) next();
      else sendProblem(res, problem(failure, "STUB_FAILURE", "Failing on purpose."));
    },
    /** `undefined`: behave again. */
    failWith: (status: number | undefined): void => {
      failure = status;
    },
  };
};
