import { sample } from 'openapi-sampler';

import { markdownHtml } from './render-markdown.ts';
import { isJsonObject, resolveRef, stringOf, type JsonObject } from './resolve-ref.ts';

/*
 * A JSON Schema (OpenAPI 3's dialect) as a reader needs it: each field's name, type, whether it is
 * required, its description and its constraints, nested as the data is. Open Banking's schemas
 * nest six or seven levels and refer to themselves (a `Links` object in every answer), so the
 * outline stops at `MAX_DEPTH` and at a schema already being outlined above, saying so.
 */

/** One field of an object (or one choice of a `oneOf`), with what it holds. */
export interface SchemaField {
  name: string;
  type: string;
  required: boolean;
  descriptionHtml: string;
  /** Constraints in words: `One of: Business, Personal`, `1 to 40 characters`. */
  notes: string[];
  children: SchemaField[];
}

/** A schema outlined, with an example of its data (pretty JSON) when one can be made. */
export interface SchemaOutline {
  type: string;
  descriptionHtml: string;
  notes: string[];
  fields: SchemaField[];
  example: string | undefined;
}

const MAX_DEPTH = 8;
const MAX_ENUM_SHOWN = 24;

// allOf's members are combined, as a validator would require all of them.
function flatten(document: JsonObject, raw: unknown): JsonObject {
  const schema = resolveRef(document, raw) ?? {};
  const parts = Array.isArray(schema['allOf']) ? schema['allOf'].map((part) => flatten(document, part)) : [];
  if (parts.length === 0) return schema;
  const merged: JsonObject = { ...schema, properties: {}, required: [] };
  for (const part of [schema, ...parts]) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isJsonObject(value)) Object.assign(merged['properties'] as JsonObject, value);
      else if (key === 'required' && Array.isArray(value)) (merged['required'] as unknown[]).push(...value);
      else if (key !== 'allOf' && !(key in merged)) merged[key] = value;
    }
  }
  return merged;
}

function typeLabel(document: JsonObject, schema: JsonObject): string {
  const type = Array.isArray(schema['type']) ? schema['type'].join(' or ') : typeof schema['type'] === 'string' ? schema['type'] : schema['properties'] ? 'object' : '';
  if (type === 'array') return `array of ${typeLabel(document, flatten(document, schema['items'])) || 'anything'}`;
  const format = typeof schema['format'] === 'string' ? ` (${schema['format']})` : '';
  return type ? `${type}${format}` : Array.isArray(schema['oneOf'] ?? schema['anyOf']) ? 'one of' : '';
}

function range(min: unknown, max: unknown, unit: string): string | undefined {
  if (typeof min === 'number' && typeof max === 'number') return min === max ? `${min} ${unit}` : `${min} to ${max} ${unit}`;
  if (typeof min === 'number') return `at least ${min} ${unit}`;
  if (typeof max === 'number') return `at most ${max} ${unit}`;
  return undefined;
}

function notesOf(schema: JsonObject): string[] {
  const enumValues = Array.isArray(schema['enum']) ? schema['enum'].map((value) => JSON.stringify(value).replace(/^"|"$/g, '')) : [];
  const shown = enumValues.length > MAX_ENUM_SHOWN ? [...enumValues.slice(0, MAX_ENUM_SHOWN), `… (${enumValues.length} values)`] : enumValues;
  return [
    shown.length ? `One of: ${shown.join(', ')}` : undefined,
    range(schema['minLength'], schema['maxLength'], 'characters')?.replace(/^./, (first) => first.toUpperCase()),
    range(schema['minimum'], schema['maximum'], '')?.trim().replace(/^./, (first) => `Value ${first}`),
    range(schema['minItems'], schema['maxItems'], 'items')?.replace(/^./, (first) => first.toUpperCase()),
    typeof schema['pattern'] === 'string' ? `Pattern: ${schema['pattern']}` : undefined,
    schema['readOnly'] === true ? 'Read-only' : undefined,
    schema['deprecated'] === true ? 'Deprecated' : undefined,
  ].filter((note): note is string => note !== undefined);
}

function fieldsOf(document: JsonObject, schema: JsonObject, depth: number, above: ReadonlySet<JsonObject>): SchemaField[] {
  const items = schema['type'] === 'array' ? flatten(document, schema['items']) : undefined;
  if (items) return fieldsOf(document, items, depth, above);
  if (depth >= MAX_DEPTH || above.has(schema)) return [];
  const within = new Set(above).add(schema);
  const choices = schema['oneOf'] ?? schema['anyOf'];
  if (Array.isArray(choices)) {
    return choices.map((choice, index) => fieldOf(document, stringOf(flatten(document, choice), 'title') ?? `Choice ${index + 1}`, choice, false, depth, within));
  }
  const properties = isJsonObject(schema['properties']) ? schema['properties'] : {};
  const required = new Set(Array.isArray(schema['required']) ? schema['required'] : []);
  return Object.entries(properties).map(([name, property]) => fieldOf(document, name, property, required.has(name), depth, within));
}

function fieldOf(document: JsonObject, name: string, raw: unknown, required: boolean, depth: number, above: ReadonlySet<JsonObject>): SchemaField {
  const schema = flatten(document, raw);
  const notes = notesOf(schema);
  const nested = schema['type'] === 'array' ? flatten(document, schema['items']) : schema;
  if (above.has(nested)) notes.push('Holds the same structure as a field above it');
  else if (depth + 1 >= MAX_DEPTH && (nested['properties'] || nested['oneOf'])) notes.push('Nested deeper: see the OpenAPI document');
  return { name, type: typeLabel(document, schema), required, descriptionHtml: markdownHtml(schema['description']), notes, children: fieldsOf(document, schema, depth + 1, above) };
}

/** An example of the data: the document's own (`example`, the first of `examples`) or one made from the schema by openapi-sampler. */
function exampleOf(document: JsonObject, media: JsonObject, schema: unknown, forRequest: boolean): string | undefined {
  const examples = isJsonObject(media['examples']) ? Object.values(media['examples']).map((example) => resolveRef(document, example)) : [];
  const given = 'example' in media ? media['example'] : examples.find((example) => example && 'value' in example)?.['value'];
  try {
    const value = given !== undefined ? given : sample(schema as object, { quiet: true, skipReadOnly: forRequest, skipWriteOnly: !forRequest, maxSampleDepth: MAX_DEPTH }, document);
    return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  } catch {
    // A schema the sampler cannot follow still gets its outline.
    return undefined;
  }
}

/**
 * Outlines a media type object's schema (`content['application/json']` of a request body or an
 * answer), with an example.
 *
 * @param forRequest read-only fields are left out of a request's example, write-only ones out of an answer's.
 */
export function outlineMedia(document: JsonObject, media: JsonObject, forRequest: boolean): SchemaOutline {
  const schema = flatten(document, media['schema']);
  return {
    type: typeLabel(document, schema), descriptionHtml: markdownHtml(schema['description']), notes: notesOf(schema),
    fields: fieldsOf(document, schema, 0, new Set()), example: exampleOf(document, media, media['schema'] ?? {}, forRequest),
  };
}

/** A parameter's schema in a word or two, with its constraints: what the reference's parameter table shows. */
export function describeParameterSchema(document: JsonObject, raw: unknown): { type: string; notes: string[]; enum: string[] | undefined } {
  const schema = flatten(document, raw);
  const enumValues = Array.isArray(schema['enum']) ? schema['enum'].map(String) : undefined;
  return { type: typeLabel(document, schema) || 'string', notes: notesOf(schema), enum: enumValues };
}
