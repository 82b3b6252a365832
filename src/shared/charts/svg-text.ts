/*
 * Text and elements for the hand-written usage charts. Every label that reaches an SVG comes from
 * a developer or an API owner (API names, application names), so it is escaped here and nowhere
 * else: `element` escapes every attribute value, and text content goes through `escapeXml`.
 */

const XML_SPECIAL: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&apos;' };

// Characters XML 1.0 §2.2 does not allow at all, even escaped (C0 controls but tab, CR and LF;
// lone surrogates; U+FFFE and U+FFFF): one of them would make the whole image fail to parse.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text made safe for XML content and quoted attribute values; characters XML forbids become U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (char) => XML_SPECIAL[char] ?? char);
}

export type Attributes = Readonly<Record<string, string | number | undefined>>;

/**
 * One SVG element. Attribute values are escaped, numbers rounded to 2 decimals, `undefined` ones
 * left out; `children` is markup already built (escape text with `escapeXml`).
 * @example element('text', { x: 4, y: 16 }, escapeXml(label))
 */
export function element(name: string, attributes: Attributes, children = ''): string {
  let markup = `<${name}`;
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) markup += ` ${key}="${typeof value === 'number' ? round(value) : escapeXml(value)}"`;
  }
  return children === '' ? `${markup}/>` : `${markup}>${children}</${name}>`;
}

/** A coordinate with at most 2 decimals, so the markup stays short and has no `-0` or `1e-7`. */
export function round(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

/**
 * A generous guess of the width a label takes at a font size: there is no font metric on the
 * server, and system-ui digits and letters average about 0.55em, so 0.6em errs towards space.
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * 0.6;
}
