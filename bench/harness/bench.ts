import type { Databases } from "./databases.js";
import type { Profile } from "./profile.js";
import type { Result } from "./report.js";

export interface BenchContext {
  readonly profile: Profile;
  readonly databases: Databases;
  /** Progress, on stderr: stdout is kept for the table and the JSON lines. */
  readonly log: (line: string) => void;
  /** Hands a result over as soon as it is known, so a failure later loses nothing. */
  readonly report: (result: Result) => void;
}

export interface Bench {
  /** What `bench/run.ts NAME` selects it by. */
  readonly name: string;
  readonly run: (context: BenchContext) => Promise<void>;
}
