/**
 * What one command does in one state, as a decider's transition table says it:
 * - `go`: allowed; the command's own rule makes the events, which bring the state to `to` (it may
 *   still refuse on the command's data, never on the state);
 * - `stay`: already satisfied, a no-op (how a retried or duplicated command stays harmless);
 * - `repeat`: a no-op when the command repeats what brought the state here (the same courier, the
 *   same line), refused with `code` when it asks for something else;
 * - `refuse`: refused with `code`.
 */
export type Cell<Status extends string, Code extends string> =
  | { readonly kind: "go"; readonly to: Status }
  | { readonly kind: "stay" }
  | { readonly kind: "repeat"; readonly code: Code }
  | { readonly kind: "refuse"; readonly code: Code };

/** Every state (with `none`, before the stream's first event) by every command type. */
export type TransitionTable<
  State extends string,
  CommandType extends string,
  Status extends string,
  Code extends string,
> = Readonly<Record<State, Readonly<Record<CommandType, Cell<Status, Code>>>>>;

export const go = <Status extends string>(to: Status) => ({ kind: "go", to }) as const;
export const stay = { kind: "stay" } as const;
export const repeat = <Code extends string>(code: Code) => ({ kind: "repeat", code }) as const;
export const refuse = <Code extends string>(code: Code) => ({ kind: "refuse", code }) as const;

const cellWords = (cell: Cell<string, string>): string => {
  switch (cell.kind) {
    case "go":
      return `→ ${cell.to}`;
    case "stay":
      return "no-op";
    case "repeat":
      return `no-op if repeated, else ${cell.code}`;
    case "refuse":
      return cell.code;
  }
};

/**
 * The table as a Mermaid state diagram (the allowed transitions; `none` is the start) followed by
 * the whole table, refusals included, as a Markdown grid.
 */
export const lifecycleMarkdown = <S extends string, C extends string>(
  title: string,
  table: TransitionTable<S, C, string, string>,
): string => {
  const states = Object.keys(table) as S[];
  const commands = Object.keys(table[states[0] as S]) as C[];
  const node = (s: string) => (s === "none" ? "[*]" : s);
  const edges = states.flatMap((from) =>
    commands.flatMap((command) => {
      const cell = table[from][command];
      return cell.kind === "go" ? [`  ${node(from)} --> ${cell.to}: ${command}`] : [];
    }),
  );
  const header = `| state | ${commands.join(" | ")} |`;
  const rule = `| --- | ${commands.map(() => "---").join(" | ")} |`;
  const rows = states.map(
    (s) => `| ${s} | ${commands.map((c) => cellWords(table[s][c])).join(" | ")} |`,
  );
  return [
    `## ${title}`,
    "",
    "```mermaid",
    "stateDiagram-v2",
    ...edges,
    "```",
    "",
    header,
    rule,
    ...rows,
    "",
  ].join("\n");
};
