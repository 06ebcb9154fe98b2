import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractDiagrams } from './render-diagrams.mjs';

// The browser part needs chromium; only the naming and extraction rules are tested here.
describe('render-diagrams extraction', () => {
  it('names blocks by a preceding diagram comment, else <file>-<n>', () => {
    const markdown = [
      '# Title',
      '<!-- diagram: overview -->',
      '',
      '```mermaid',
      'flowchart LR',
      '  A --> B',
      '```',
      '',
      '```js',
      'not a diagram',
      '```',
      '',
      '~~~mermaid',
      'flowchart TB',
      '~~~',
    ].join('\n');
    assert.deepEqual(extractDiagrams(markdown, 'docs/design.md'), [
      { name: 'overview', line: 4, source: 'flowchart LR\n  A --> B' },
      { name: 'design-2', line: 13, source: 'flowchart TB' },
    ]);
  });

  it('reports an unclosed block with its line', () => {
    assert.throws(
      () => extractDiagrams('x\n```mermaid\nflowchart LR\n', 'a.md'),
      /a\.md:2: mermaid block is never closed/,
    );
  });
});
