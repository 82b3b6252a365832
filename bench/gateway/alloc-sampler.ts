import diagnostics from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';

/*
 * Loaded into each gateway process by `--alloc-sample` (through NODE_OPTIONS `--import`): from the
 * process's first HTTP request on, V8's sampling heap profiler records allocations, those the
 * collector has since freed included, and when the process exits it writes
 * `alloc-<pid>.json` (`{ requests, bytes }`) into ALLOC_SAMPLE_DIR. Bytes allocated per request
 * move far less from run to run than CPU time on a shared machine, so a small cut shows; but the
 * sampling slows the process, and a run that samples says nothing of speed.
 */

// One sample per this many bytes allocated, on average: fine enough for a figure within about 1 %.
const SAMPLING_INTERVAL = 1024;

interface SamplingNode {
  selfSize: number;
  children: SamplingNode[];
}

function totalBytes(node: SamplingNode): number {
  return node.children.reduce((sum, child) => sum + totalBytes(child), node.selfSize);
}

const dir = process.env.ALLOC_SAMPLE_DIR;
if (dir) {
  let requests = 0;
  const session = new Session();
  diagnostics.subscribe('http.server.request.start', () => {
    if (requests++ > 0) return;
    session.connect();
    session.post('HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  });
  process.on('exit', () => {
    if (requests === 0) return;
    // A session on this thread answers at once, so the file is written before the process ends.
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (!error) writeFileSync(join(dir, `alloc-${process.pid}.json`), JSON.stringify({ requests, bytes: totalBytes(result.profile.head as SamplingNode) }));
    });
  });
}
