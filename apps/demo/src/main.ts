import { runJourney } from "./journey.js";

await runJourney((line) => process.stdout.write(`${line}\n`));
