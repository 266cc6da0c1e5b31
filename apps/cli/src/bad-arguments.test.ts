import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mebel } from "./test-world.js";

// A folder that does not exist: a command that got as far as opening the stores would fail with
// exit 1 ("no embedded store"), so exit 2 shows that bad arguments are refused before that.
const env = { MEBEL_DATA_DIR: join(tmpdir(), "mebel-cli-never-created") };

type Case = readonly [what: string, argv: ReadonlyArray<string>, message: RegExp];

/** Every value refused for one option, each saying which option, what it wants and what it got. */
const refused = (
  command: ReadonlyArray<string>,
  option: string,
  expected: string,
  values: ReadonlyArray<string>,
): ReadonlyArray<Case> =>
  values.map((value) => [
    `${option} ${JSON.stringify(value)}`,
    [...command, option, value],
    new RegExp(`${option}: expected ${expected} \\(.*\\), got ${JSON.stringify(value)}`),
  ]);

const READ = ["streams", "read", "Order-1"];
const TAIL = ["events", "tail"];

const CASES: ReadonlyArray<Case> = [
  ["an unknown command", ["frobnicate"], /unknown command 'frobnicate'/],
  ["an unknown subcommand", ["projections", "frob"], /unknown command 'frob'/],
  ["a misspelt subcommand", ["projections", "stauts"], /'stauts' \(Did you mean status\?\)$/m],
  ["an unknown option", ["projections", "status", "--bogus"], /unknown option '--bogus'/],
  [
    "an unknown projection",
    ["projections", "replay", "nope"],
    /<name>: expected a projection \(order-view, .*\), got "nope"/,
  ],
  [
    "a read-model name",
    ["projections", "rebuild", "order-view.v1"],
    /<name>: expected a projection/,
  ],
  ["a missing projection", ["projections", "rebuild"], /missing required argument 'name'/],
  ["too many arguments", ["projections", "replay", "order-view", "extra"], /too many arguments/],
  ...refused(READ, "--from", "a revision", ["-1", "1.5", "1e3", " 7", "9223372036854775808"]),
  ...refused(READ, "--max", "a count", ["0", "all"]),
  ["a blank stream", ["streams", "read", ""], /<stream>: expected a stream name/],
  ["a stream with a space", ["streams", "read", "Order 1"], /<stream>: expected a stream name/],
  ...refused(TAIL, "--from", "a log position", ["x", "-5", "0x10"]),
  [
    "a position beyond PostgreSQL's bigint",
    [...TAIL, "--from", "9223372036854775808"],
    /--from: expected a log position up to 9223372036854775807/,
  ],
  [
    "--from with --from-end",
    [...TAIL, "--from", "3", "--from-end"],
    /'--from-end' cannot be used with option '--from <position>'/,
  ],
  ...refused(TAIL, "--category", "a stream category", ["Order-1", ""]),
  [
    "a bad category among good ones",
    [...TAIL, "--category", "Order", "--category", "a b"],
    /--category: .*, got "a b"/,
  ],
  [
    "a missing option value",
    [...TAIL, "--category"],
    /option '--category <category>' argument missing/,
  ],
  [
    "a blank --data-dir",
    ["--data-dir", " ", "projections", "status"],
    /--data-dir: expected a folder/,
  ],
];

describe("bad arguments", () => {
  it.each(CASES)("%s: exit 2 with one line on stderr", async (_what, argv, message) => {
    const answer = await mebel(argv, env);
    expect(answer.code).toBe(2);
    expect(answer.stdout).toBe("");
    expect(answer.stderr).toMatch(/^mebel: [^\n]+\n$/);
    expect(answer.stderr).toMatch(message);
  });

  it("a bad setting in the environment: exit 2, naming the variable", async () => {
    const answer = await mebel(["projections", "status"], { ...env, LOG_LEVEL: "loud" });
    expect(answer).toMatchObject({ code: 2, stdout: "" });
    expect(answer.stderr).toMatch(/^mebel: bad settings: LOG_LEVEL: [^\n]+\n$/);
  });

  it("no command: exit 2, with the help on stderr", async () => {
    const answer = await mebel([], env);
    expect(answer).toMatchObject({ code: 2, stdout: "" });
    expect(answer.stderr).toMatch(/Usage: mebel/);
  });

  it("help asked for: exit 0, on stdout", async () => {
    for (const argv of [["--help"], ["help", "events"], ["streams", "read", "--help"]]) {
      const answer = await mebel(argv, env);
      expect(answer).toMatchObject({ code: 0, stderr: "" });
      expect(answer.stdout).toMatch(/Usage: mebel/);
    }
  });
});
