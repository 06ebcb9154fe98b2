import { setFlagsFromString } from 'node:v8';

/**
 * Imported first by the API's entry point, before anything allocates. V8 "pretenures" an
 * allocation site (allocates its objects straight in the old generation) once most of its
 * objects survived a young collection. Start-up work (migrations, the demo load) gives pg's
 * result parsing exactly that record, so under report load every row, field and buffer pg
 * parsed was allocated as old-generation garbage: the heap grew 12 MB/s, each young collection
 * took 9-10 ms instead of 1-2 ms, and the process swelled to 300 MB between full collections.
 * Without pretenuring the heap stays flat under the same load (issue 22 §2 and §3; README).
 */
setFlagsFromString('--no-allocation-site-pretenuring');
