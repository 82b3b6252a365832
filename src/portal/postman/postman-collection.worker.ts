import { parentPort, workerData } from 'node:worker_threads';

import Converter from 'openapi-to-postmanv2';

import type { ConversionRequest, ConversionResult } from './postman-conversion.ts';

/*
 * Converts one OpenAPI document to a Postman collection (v2.1) off the server's event loop: the
 * converter takes most of a second on an Open Banking specification. Its requests use the
 * `baseUrl` collection variable, set here to where the API is called.
 */

const { openapi, baseUrl } = workerData as ConversionRequest;

Converter.convertV2({ type: 'json', data: openapi }, { folderStrategy: 'Tags', parametersResolution: 'Example' }, (error, result) => {
  let answer: ConversionResult;
  const output = result?.result ? result.output?.[0] : undefined;
  if (error || !output) {
    answer = { ok: false, reason: error?.message ?? result?.reason ?? 'no collection' };
  } else {
    const collection = JSON.parse(JSON.stringify(output.data)) as Record<string, unknown> & { variable?: Array<{ key: string; value: unknown }> };
    collection.variable = [...(collection.variable ?? []).filter((variable) => variable.key !== 'baseUrl'), { key: 'baseUrl', value: baseUrl }];
    answer = { ok: true, collection: JSON.stringify(collection, null, 2) };
  }
  parentPort!.postMessage(answer);
});
