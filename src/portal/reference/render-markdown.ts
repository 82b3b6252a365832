import MarkdownIt from 'markdown-it';

/*
 * OpenAPI descriptions are CommonMark (OpenAPI 3 §4.7.1 "Rich Text Formatting"), written by whoever
 * publishes an API: raw HTML in them is shown as text (`html: false`), and markdown-it's link
 * check already refuses `javascript:`, `vbscript:`, `file:` and `data:` addresses, so what a
 * description says cannot become script or markup on the portal.
 */
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** A description as HTML safe to place in a page; empty for anything that is not text. */
export function markdownHtml(text: unknown): string {
  return typeof text === 'string' && text.trim() ? markdown.render(text) : '';
}
