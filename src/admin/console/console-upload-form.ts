import type { Middleware } from 'koa';

import { parseForm } from '../../shared/parse-form.ts';
import { readBodyBytes } from '../../shared/read-raw-body.ts';
import { decodeUtf8, isStorableText } from '../../shared/storable-text.ts';

// An OpenAPI document of a large API runs to hundreds of KiB: the admin API's JSON limit.
const UPLOAD_LIMIT_BYTES = 1024 * 1024;

/**
 * Reads a console form that may carry a file (`multipart/form-data`: the API form's OpenAPI
 * document) into `ctx.state.form`, as `parseForm` reads a urlencoded one, which it hands on to:
 * single values only, a file as its text. The listener's edge does not read multipart bodies, so
 * what it would refuse is refused here: text that is not UTF-8 or that PostgreSQL cannot hold.
 */
export const parseUploadForm: Middleware = async function parseUploadForm(ctx, next) {
  if (!ctx.is('multipart/form-data')) return parseForm(ctx, next);
  const bytes = await readBodyBytes(ctx.req, UPLOAD_LIMIT_BYTES);
  let data: FormData;
  try {
    data = await new Response(bytes, { headers: { 'content-type': ctx.get('content-type') } }).formData();
  } catch {
    return ctx.throw(400, 'The form could not be read. Reload the page and send it again.');
  }
  const form: Record<string, string> = {};
  for (const [name, value] of data) {
    if (Object.hasOwn(form, name)) ctx.throw(400, 'A field of the form was sent more than once.');
    const text = typeof value === 'string' ? value : decodeUtf8(new Uint8Array(await value.arrayBuffer()));
    if (text === undefined || !isStorableText(text) || !isStorableText(name)) return ctx.throw(400, 'A field of the form is not UTF-8 text that can be stored.');
    form[name] = text;
  }
  ctx.state.form = form;
  await next();
};
