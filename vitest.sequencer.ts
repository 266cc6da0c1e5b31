import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The suites that run the shop as real child processes: the longest of the run, by far. */
const PROCESS_SUITES = /^apps\/main\/src\/[^/]+\.test\.ts$/;

/**
 * Vitest's order (each project in turn; files it has timed before longest first, the others
 * largest first), but with the process suites ahead of the rest of their project: a fresh clone
 * has no timings, and a minute-long suite started last would run on alone while the other worker
 * sits idle.
 */
export default class ProcessSuitesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) =>
      PROCESS_SUITES.test(spec.moduleId.slice(spec.project.config.root.length + 1)) ? 0 : 1;
    const position = new Map(sorted.map((spec, i) => [spec, i]));
    return [...sorted].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        (a.project.name === b.project.name ? rank(a) - rank(b) : 0) ||
        (position.get(a) ?? 0) - (position.get(b) ?? 0),
    );
  }
}
