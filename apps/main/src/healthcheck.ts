import { readSettings } from "@mebel/runtime";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";

/**
 * The container's health check: exit 0 when the service this container runs answers `/ready`
 * (every service for `all`), 1 otherwise. The service is the first argument or MEBEL_SERVICE.
 */
const Service = t.keyof({ all: null, catalog: null, warehouse: null, delivery: null, site: null });

const TIMEOUT_MS = 2_000;

const service = Service.decode(process.argv[2] ?? process.env.MEBEL_SERVICE ?? "all");
const settings = readSettings(process.env);
if (E.isLeft(service) || E.isLeft(settings)) {
  process.stderr.write("healthcheck: bad MEBEL_SERVICE or settings\n");
  process.exit(2);
}
const { ports } = settings.right;
const checked =
  service.right === "all"
    ? [ports.site, ports.catalog, ports.warehouse, ports.delivery]
    : [ports[service.right]];

const ready = (port: number): Promise<boolean> =>
  fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(TIMEOUT_MS) }).then(
    (res) => res.ok,
    () => false,
  );

const answers = await Promise.all(checked.map(ready));
process.exit(answers.every(Boolean) ? 0 : 1);
