/**
 * A node:test reporter that writes only the totals as JSON, so `npm test` can add up every
 * package's suites into one `N passed, N failed` line. Suites (describe blocks) are not counted.
 */
interface TestEvent {
  type: string;
  data: { details?: { type?: string }; skip?: unknown; todo?: unknown };
}

async function* summaryReporter(source: AsyncIterable<TestEvent>) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip !== undefined || event.data.todo !== undefined) totals.skipped += 1;
    else if (event.type === 'test:pass') totals.passed += 1;
    else totals.failed += 1;
  }
  yield `${JSON.stringify(totals)}\n`;
}
export = summaryReporter;
