import type { SqlClient, SqlQuery } from "./sql-client.js";

/** What one run of a read touched, from `EXPLAIN (ANALYZE, BUFFERS)`: a figure load does not move. */
export interface QueryPlan {
  /** Each node as `Node Type` and, where it has one, ` on relation` and ` using index`. */
  readonly nodes: ReadonlyArray<string>;
  /** Shared buffers (pages of 8 kB) hit or read by the whole statement. */
  readonly buffers: number;
  /** Of those, the ones not in shared buffers (read from the file system or its cache). */
  readonly buffersRead: number;
  /** Rows the scans produced or filtered away, over all their loops. */
  readonly rowsScanned: number;
}

interface PlanNode {
  readonly "Node Type": string;
  readonly "Relation Name"?: string;
  readonly "Index Name"?: string;
  readonly "Actual Rows"?: number;
  readonly "Actual Loops"?: number;
  readonly "Rows Removed by Filter"?: number;
  readonly "Rows Removed by Index Recheck"?: number;
  readonly "Shared Hit Blocks"?: number;
  readonly "Shared Read Blocks"?: number;
  readonly Plans?: ReadonlyArray<PlanNode>;
}

const flatten = (node: PlanNode): ReadonlyArray<PlanNode> => [
  node,
  ...(node.Plans ?? []).flatMap(flatten),
];

const described = (node: PlanNode) =>
  `${node["Node Type"]}${node["Relation Name"] === undefined ? "" : ` on ${node["Relation Name"]}`}${
    node["Index Name"] === undefined ? "" : ` using ${node["Index Name"]}`
  }`;

const scanned = (node: PlanNode) =>
  node["Node Type"].endsWith("Scan") && node["Relation Name"] !== undefined
    ? ((node["Actual Rows"] ?? 0) +
        (node["Rows Removed by Filter"] ?? 0) +
        (node["Rows Removed by Index Recheck"] ?? 0)) *
      (node["Actual Loops"] ?? 1)
    : 0;

/** Runs `text` under `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`: it is executed, its rows dropped. */
export const explain = async (
  client: SqlQuery,
  text: string,
  params: ReadonlyArray<unknown> = [],
): Promise<QueryPlan> => {
  const [row] = await client.query<{ "QUERY PLAN": unknown }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`,
    params,
  );
  // pg parses the json column; PGlite may hand it over as text.
  const raw = row?.["QUERY PLAN"];
  const [top] = (typeof raw === "string" ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
  const nodes = flatten(top.Plan);
  return {
    nodes: nodes.map(described),
    // A node's buffers include its children's: the top node's are the statement's.
    buffers: (top.Plan["Shared Hit Blocks"] ?? 0) + (top.Plan["Shared Read Blocks"] ?? 0),
    buffersRead: top.Plan["Shared Read Blocks"] ?? 0,
    rowsScanned: nodes.reduce((sum, node) => sum + scanned(node), 0),
  };
};

/**
 * The client, except that each SELECT is also explained into `seen` first: the plans of exactly
 * the statements a store sends, with their parameters. For tests and the bench, never a service.
 */
export const explaining = (client: SqlClient, seen: QueryPlan[]): SqlClient => ({
  ...client,
  query: async (text, params, options) => {
    if (/^\s*SELECT\b/i.test(text)) seen.push(await explain(client, text, params));
    return client.query(text, params, options);
  },
});
