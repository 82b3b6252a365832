import assert from 'node:assert/strict';

/** One nginx directive: its name, arguments (quotes removed), and its block's directives if it has one. */
export interface NginxDirective {
  name: string;
  args: string[];
  block?: NginxDirective[];
}

/**
 * Reads an nginx configuration into its directives, enough for the tests to ask where each one is
 * (nginx inherits `proxy_set_header` into a block only when the block sets none, so where they
 * stand matters). Not a validator: nginx itself is not on this machine.
 */
export function parseNginxConfig(text: string): NginxDirective[] {
  const tokens = [...text.replace(/#[^\n]*/g, '').matchAll(/"([^"]*)"|'([^']*)'|([{};])|([^\s{};"']+)/g)]
    .map((match) => (match[3] ? { punct: match[3] } : { word: match[1] ?? match[2] ?? match[4] }));
  let at = 0;
  function block(): NginxDirective[] {
    const directives: NginxDirective[] = [];
    while (at < tokens.length && tokens[at].punct !== '}') {
      const words: string[] = [];
      while (at < tokens.length && tokens[at].word !== undefined) words.push(tokens[at++].word!);
      const end = tokens[at++]?.punct;
      assert.ok(words.length > 0, 'a directive has a name');
      if (end === '{') {
        directives.push({ name: words[0], args: words.slice(1), block: block() });
        assert.equal(tokens[at++]?.punct, '}', `${words[0]} block is closed`);
      } else {
        assert.equal(end, ';', `${words.join(' ')} ends with ;`);
        directives.push({ name: words[0], args: words.slice(1) });
      }
    }
    return directives;
  }
  const directives = block();
  assert.equal(at, tokens.length, 'no unmatched }');
  return directives;
}

/** Every directive named `name`, with the names of the blocks it stands in (`['http', 'server']`). */
export function findDirectives(directives: NginxDirective[], name: string, path: string[] = []): Array<{ directive: NginxDirective; path: string[] }> {
  return directives.flatMap((directive) => [
    ...(directive.name === name ? [{ directive, path }] : []),
    ...(directive.block ? findDirectives(directive.block, name, [...path, directive.name]) : []),
  ]);
}

/** The one directive named `name` directly in `directives`. */
export function only(directives: NginxDirective[], name: string): NginxDirective {
  const found = directives.filter((directive) => directive.name === name);
  assert.equal(found.length, 1, `one ${name}`);
  return found[0];
}

/** The `proxy_set_header` values of a configuration, which must all stand at the http level. */
export function forwardedHeaders(directives: NginxDirective[]): Map<string, string> {
  const found = findDirectives(directives, 'proxy_set_header');
  for (const { directive, path } of found) assert.deepEqual(path, ['http'], `proxy_set_header ${directive.args[0]} is set at the http level only`);
  return new Map(found.map(({ directive }) => [directive.args[0].toLowerCase(), directive.args[1]]));
}

/** The `server` blocks of the http block, by the port they listen on. */
export function serversByPort(directives: NginxDirective[]): Map<number, NginxDirective[]> {
  const http = only(directives, 'http').block!;
  return new Map(http.filter((directive) => directive.name === 'server').map((server) => [Number(only(server.block!, 'listen').args[0]), server.block!]));
}
