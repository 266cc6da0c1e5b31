import { ROLES, type Role } from "@mebel/core";
import { ACCESS_POLICY, type Access, type Ownership } from "./access-policy.js";

const OWNED: Readonly<Record<Ownership, string>> = {
  "customer-path": "own",
  "customer-body": "own",
  "customer-order": "own order",
  "courier-delivery": "assigned",
  "courier-path": "own",
};

const cell = (access: Access, role: Role | "anonymous"): string => {
  if (access.anyone === true) return access.cookie === true ? "cookie" : "yes";
  if (role === "anonymous") return access.metricsToken === true ? "metrics token" : "";
  if (role === "admin") return "yes";
  if (!access.roles.includes(role)) return "";
  const owner = access.owner;
  const ticket = access.ticket === true ? ", ticket" : "";
  if (owner === undefined) return `yes${ticket}`;
  const owning = owner.startsWith("customer") ? "customer" : "courier";
  return (role === owning ? OWNED[owner] : "yes") + ticket;
};

export const ACCESS_TABLE_START = "<!-- access table: generated from ACCESS_POLICY -->";
export const ACCESS_TABLE_END = "<!-- end of access table -->";

/** The roles x routes table of docs/security.md, as the policy has it now. */
export const accessTable = (): string => {
  const columns = ["anonymous", ...ROLES] as const;
  const header = `| service | route | ${columns.join(" | ")} |`;
  const rule = `| --- | --- | ${columns.map(() => ":-:").join(" | ")} |`;
  const rows = ACCESS_POLICY.map(
    (p) =>
      `| ${p.service} | \`${p.method} ${p.path}\` | ${columns.map((c) => cell(p.access, c)).join(" | ")} |`,
  );
  return [ACCESS_TABLE_START, header, rule, ...rows, ACCESS_TABLE_END].join("\n");
};
