// A `\u` escape of NUL or of a surrogate half: the only escapes whose value PostgreSQL may refuse.
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * A fast, allocation-free look at JSON text that is about to be judged by `findJsonProblem`:
 * true when the text certainly holds nothing it would refuse, because no container nests past
 * `maxDepth` (brackets inside strings do not count) and no escape could yield a NUL or a lone
 * surrogate. False means "look closer" (parse and walk), not "refused": a paired surrogate escape
 * is fine, and text that is not JSON is the parser's to judge. The text itself is already known to
 * be well-formed Unicode without raw NULs. Most requests (client assertions, consent bodies) pass
 * here and are never parsed twice.
 */
export function isPlainJsonText(text: string, maxDepth: number): boolean {
  if (SUSPECT_ESCAPE.test(text) || text.includes('\u0000')) return false;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return false;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return true;
}
