/*
 * Path templates as routes declare them, relative to their API's base path:
 * `/accounts/{AccountId}/transactions`. A parameter is one whole segment; it matches any
 * non-empty segment and captures it decoded.
 */

export interface PathTemplate {
  readonly template: string;
  readonly params: readonly string[];
  /** The parameters of `path` (relative to the base path), or undefined when it does not match. */
  match(path: string): Record<string, string> | undefined;
}

const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function compilePathTemplate(template: string): PathTemplate {
  const parts = template === '/' ? [] : template.split('/').slice(1);
  const params = parts.flatMap((part) => PARAM.exec(part)?.[1] ?? []);
  return {
    template,
    params,
    match(path) {
      const segments = path === '/' || path === '' ? [] : path.split('/').slice(1);
      if (segments.length !== parts.length) return undefined;
      const found: Record<string, string> = {};
      for (let index = 0; index < parts.length; index += 1) {
        const part = parts[index]!;
        const segment = segments[index]!;
        const param = PARAM.exec(part)?.[1];
        if (param) {
          const value = segment === '' ? undefined : decodeSegment(segment);
          if (value === undefined) return undefined;
          found[param] = value;
        } else if (part !== segment) {
          return undefined;
        }
      }
      return found;
    },
  };
}

/** Fills a template's parameters (an aggregate part's path from its composite route's parameters). */
export function fillPathTemplate(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
